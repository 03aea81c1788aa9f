// Small behaviours shared by every page; no inline scripts, so a strict CSP can apply.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("[data-busy]")) return;
  var busy = form.querySelector(".busy-indicator");
  if (busy) busy.classList.remove("d-none");
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
  });
});
