"""/account/tokens/: one's own personal access tokens for the API, made and revoked by their owner."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import TokenForm
from ..models import AccessToken
from ..tokens import token_create, token_revoke, token_state


def _get_own_token(request: HttpRequest, pk: int) -> AccessToken:
    """Only one's own token: another user's is not there (404)."""
    return get_object_or_404(AccessToken.objects.filter(user=request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if form.is_valid():
        token, key = token_create(
            user=request.user, name=form.cleaned_data["name"], expires_in_days=form.cleaned_data["expires_in_days"]
        )
        # The key is shown on this answer only: it is not stored, and a reload does not show it again.
        return render(request, "bureau/token_created.html", {"token": token, "key": key})
    tokens = list(AccessToken.objects.filter(user=request.user))
    for token in tokens:
        token.state = token_state(token)
    status = 400 if request.method == "POST" else 200
    return render(request, "bureau/tokens.html", {"form": form, "tokens": tokens}, status=status)


@login_required
@require_POST
def token_revoke_page(request: HttpRequest, pk: int) -> HttpResponse:
    token = _get_own_token(request, pk)
    token_revoke(token=token)
    messages.success(request, f"访问令牌“{token.name}”已撤销，使用它的系统将无法再访问。")
    return redirect("account_tokens")
