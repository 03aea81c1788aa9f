"""发送记录: the bureau admin sees every email and robot message of the bureau, what became of it, and
sends a failed one again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from .. import outbox
from ..access import managed_bureau_ids_or_403, managed_or_404
from ..models import OutboxMessage

REFUSAL = "只有本局管理员可以查看发送记录。"
PER_PAGE = 50


def _managed_messages(request: HttpRequest):
    """The messages of the bureaus the user administers; 403 for anyone who administers none."""
    ids = managed_bureau_ids_or_403(request.user, REFUSAL)
    rows = OutboxMessage.objects.all()
    return rows if ids is None else rows.filter(bureau_id__in=ids)


def _get_message_for_admin(request: HttpRequest, pk: int) -> OutboxMessage:
    """A message of a bureau the user may see, 404 otherwise; 403 unless they administer its bureau."""
    return managed_or_404(request.user, OutboxMessage.objects.all(), pk, REFUSAL)


@login_required
@require_safe
def outbox_list(request: HttpRequest) -> HttpResponse:
    rows = _managed_messages(request)
    counts = rows.aggregate(
        pending=Count("pk", filter=Q(state=OutboxMessage.State.PENDING)),
        failed=Count("pk", filter=Q(state=OutboxMessage.State.FAILED)),
        sent=Count("pk", filter=Q(state=OutboxMessage.State.SENT)),
    )
    state = request.GET.get("state", "")
    if state in OutboxMessage.State.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    page = Paginator(rows.select_related("recipient", "robot").order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "counts": counts, "state": state, "states": OutboxMessage.State.choices}
    return render(request, "bureau/outbox.html", context)


@login_required
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = _get_message_for_admin(request, pk)
    if message.state != OutboxMessage.State.FAILED:
        messages.info(request, "该消息不是发送失败状态，无需重新发送。")
    else:
        outbox.retry(message)
        messages.success(request, "已重新加入发送队列。")
    return redirect("outbox_list")
