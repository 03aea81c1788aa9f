"""People are shown by their names (姓名), not their login names, wherever a page names them."""

import datetime

import pytest
from django.urls import reverse

from tasks.services import comment_add, report_submit
from tasks.workflow import milestone_add, review_decide
from tests.helpers import make_plan, make_task


@pytest.mark.django_db
def test_a_task_page_names_the_reporter_and_the_leader_not_their_logins(client, personas):
    personas.staff.first_name = "王小明"
    personas.staff.save()
    personas.leader.first_name = "李局长"
    personas.leader.save()
    task = make_task(make_plan(personas.bureau), lead=[personas.division])
    report_submit(task=task, division=personas.division, author=personas.staff, status="in_progress", percent=30,
                  progress="推进中")  # fmt: skip
    comment_add(task=task, author=personas.leader, text="请加快进度")
    personas.admin.first_name = "赵管理"
    personas.admin.save()
    milestone_add(task=task, actor=personas.admin, title="完成调研", due=datetime.date(2026, 6, 30))
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "王小明" in page and "李局长" in page and "赵管理" in page  # the change log names its actor
    assert f"· {personas.admin.username}</span>" not in page
    client.force_login(personas.staff)
    notices = client.get(reverse("tasks:notifications")).content.decode()
    assert "李局长" in notices and "王小明" in notices  # the sender, and the user's own name in the menu


def returned_task(personas):
    """A task its division finished and the leader sent back: 佐证材料不全."""
    task = make_task(make_plan(personas.bureau), lead=[personas.division])
    report_submit(task=task, division=personas.division, author=personas.staff, status="done", percent=100,
                  progress="已完成")  # fmt: skip
    review_decide(task=task, actor=personas.leader, action="return", comment="佐证材料不全")
    return task


@pytest.mark.django_db
def test_the_latest_instruction_and_a_return_reason_stand_at_the_top_of_the_task_page(client, personas):
    task = returned_task(personas)
    comment_add(task=task, author=personas.leader, text="请本周内补齐材料")
    client.force_login(personas.staff)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    top = page[: page.index('id="light-explanation"')]
    assert "已退回" in top and "佐证材料不全" in top and "领导批示" in top and "请本周内补齐材料" in top


@pytest.mark.django_db
def test_the_return_banner_goes_once_the_task_is_sent_for_review_again(client, personas):
    task = returned_task(personas)
    report_submit(task=task, division=personas.division, author=personas.staff, status="done", percent=100,
                  progress="已补齐材料")  # fmt: skip
    client.force_login(personas.staff)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert 'id="returned"' not in page
