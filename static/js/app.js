// Small behaviours shared by every page; no inline scripts, so a strict CSP can apply.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("[data-busy]")) return;
  var busy = form.querySelector(".busy-indicator");
  if (busy) busy.classList.remove("d-none");
  // A disabled button is left out of what the form sends: keep the pressed one's name and value.
  var pressed = event.submitter;
  if (pressed && pressed.name) {
    var kept = document.createElement("input");
    kept.type = "hidden";
    kept.name = pressed.name;
    kept.value = pressed.value;
    form.appendChild(kept);
  }
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
  });
});
