"""The bureau admin's group robots (群机器人): a DingTalk/浙政钉 or WeCom webhook for each division, or one
for the whole bureau, and a test message sent on the spot."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..access import managed_bureau_ids_or_403, managed_or_404
from ..forms import RobotForm
from ..models import Bureau, Robot, person_name
from ..robots import DeliveryError, masked_secret, masked_webhook, send_robot_message

REFUSAL = "只有本局管理员可以设置群机器人。"
# The admin waits on the page for the answer: a few seconds at most.
TEST_TIMEOUT = 5


def _managed_bureaus(request: HttpRequest) -> list[Bureau]:
    """The bureaus whose robots the user sets up; 403 for anyone who administers none."""
    ids = managed_bureau_ids_or_403(request.user, REFUSAL)
    return list(Bureau.objects.all() if ids is None else Bureau.objects.filter(pk__in=ids))


def _get_robot_for_admin(request: HttpRequest, pk: int) -> Robot:
    """A robot of a bureau the user may see, 404 otherwise; 403 unless they administer its bureau."""
    return managed_or_404(request.user, Robot.objects.select_related("bureau", "division"), pk, REFUSAL)


@dataclass
class RobotRow:
    robot: Robot
    webhook: str  # masked
    secret: str  # masked, "" when none


@login_required
@require_safe
def robot_list(request: HttpRequest) -> HttpResponse:
    bureaus = _managed_bureaus(request)
    robots = (
        Robot.objects.filter(bureau__in=bureaus)
        .select_related("bureau", "division")
        .order_by("bureau_id", F("division__name").asc(nulls_first=True), "pk")
    )
    rows = [RobotRow(r, masked_webhook(r.webhook), masked_secret(r.secret)) for r in robots]
    return render(request, "bureau/robots/list.html", {"rows": rows, "many_bureaus": len(bureaus) > 1})


@login_required
@require_http_methods(["GET", "POST"])
def robot_create(request: HttpRequest) -> HttpResponse:
    bureaus = _managed_bureaus(request)
    form = RobotForm(request.POST or None, bureaus=bureaus, initial={"active": True})
    if form.is_valid():
        robot = form.save()
        messages.success(request, f"已添加群机器人「{robot.name}」，可点“发送测试消息”检查是否收到。")
        return redirect("robot_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "bureau/robots/form.html", {"form": form, "robot": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def robot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _get_robot_for_admin(request, pk)
    saved_secret = masked_secret(robot.secret)
    form = RobotForm(request.POST or None, instance=robot, bureaus=_managed_bureaus(request))
    if form.is_valid():
        robot = form.save()
        messages.success(request, f"已保存群机器人「{robot.name}」。")
        return redirect("robot_list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "robot": robot, "saved_secret": saved_secret}
    return render(request, "bureau/robots/form.html", context, status=status)


@login_required
@require_POST
def robot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _get_robot_for_admin(request, pk)
    robot.delete()
    messages.success(request, f"已删除群机器人「{robot.name}」。")
    return redirect("robot_list")


@login_required
@require_POST
def robot_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends one message now, outside the outbox: the admin is waiting to see whether the settings work."""
    robot = _get_robot_for_admin(request, pk)
    sent_at = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    text = (
        "#### 督办系统测试消息\n\n"
        f"这是群机器人「{robot.name}」的测试消息，由 {person_name(request.user)} 于 {sent_at} 发送。"
        "收到即说明设置正确，今后的督办通知会发到这个群。\n\n"
        f"[打开督办系统]({settings.SITE_URL}/)"
    )
    try:
        send_robot_message(robot, title="督办系统测试消息", text=text, timeout=TEST_TIMEOUT)
    except DeliveryError as exc:
        messages.error(request, f"「{robot.name}」测试消息发送失败：{exc}")
    else:
        paused = "" if robot.active else "该机器人已停用，启用后才会收到督办通知。"
        messages.success(request, f"「{robot.name}」测试消息发送成功，请到群里查看。{paused}")
    return redirect("robot_list")
