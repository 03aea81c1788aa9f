"""`<script>` typed into every text field, or carried in by an imported document, is shown as text on
every page, never run."""

import pytest
from django.test import Client
from django.urls import reverse

from tasks.models import Status
from tests.helpers import make_plan, make_section, make_target, make_task

PAYLOAD = '<script>alert("督办")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;督办&quot;)&lt;/script&gt;"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hostile_world(personas):
    # What a hostile document would import: headings, task text, unit labels and target names.
    plan = make_plan(personas.bureau, title=f"2026年工作要点{PAYLOAD}")
    section = make_section(plan, title=PAYLOAD)
    task = make_task(plan, section=section, text=f"推进工作{PAYLOAD}", title=PAYLOAD[:20], lead=[personas.division])
    task.assignments.update(written_as=PAYLOAD[:30])
    make_target(task, metric=PAYLOAD[:40], unit="%")

    staff, head, leader = _client(personas.staff), _client(personas.head), _client(personas.leader)
    posts = [
        (staff, "tasks:report", {"status": Status.BEHIND, "percent": 30, "progress": PAYLOAD, "problems": PAYLOAD,
                                 "next_steps": PAYLOAD}),
        (leader, "tasks:comment", {"text": PAYLOAD}),
        (leader, "tasks:remind", {"text": PAYLOAD}),
        (head, "tasks:milestones", {"title": PAYLOAD, "due": "2026-12-01"}),
        (head, "tasks:extension", {"new_deadline": "2027-01-31", "reason": PAYLOAD}),
    ]  # fmt: skip
    for client, name, data in posts:
        response = client.post(reverse(name, args=[task.pk]), data)
        assert response.status_code == 302, (name, response.status_code)
    return plan, task


@pytest.mark.django_db
def test_script_is_escaped_on_every_page(personas, hostile_world):
    plan, task = hostile_world
    pages = {
        personas.staff: ["tasks:mine", "tasks:list", "tasks:notifications", ("tasks:detail", task.pk),
                         ("tasks:report", task.pk), ("tasks:plan_detail", plan.pk), "tasks:plan_list"],
        personas.head: ["tasks:notifications", ("tasks:milestones", task.pk), ("tasks:detail", task.pk)],
        personas.leader: ["tasks:dashboard", ("tasks:plan_assessment", plan.pk), ("tasks:detail", task.pk),
                          "tasks:notifications"],
        personas.admin: [("tasks:edit", task.pk), ("tasks:duties", task.pk), ("tasks:plan_close", plan.pk)],
    }  # fmt: skip
    shown_escaped = 0
    for user, names in pages.items():
        client = _client(user)
        for entry in names:
            name, args = (entry, []) if isinstance(entry, str) else (entry[0], [entry[1]])
            url = reverse(name, args=args) + (f"?plan={plan.pk}" if name == "tasks:dashboard" else "")
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert "<script>alert" not in page, url
            assert "<img src=x" not in page, url
            shown_escaped += ESCAPED in page
    assert shown_escaped >= 8  # the text is there, as text


@pytest.mark.django_db
def test_over_long_text_and_out_of_range_percent_are_refused(personas, hostile_world):
    _, task = hostile_world
    staff = _client(personas.staff)
    for percent in (-1, 101, "五十"):
        response = staff.post(reverse("tasks:report", args=[task.pk]), {"status": "in_progress", "percent": percent,
                                                                         "progress": "推进"})  # fmt: skip
        assert response.status_code == 400
    response = staff.post(
        reverse("tasks:report", args=[task.pk]), {"status": "in_progress", "percent": 50, "progress": "字" * 20001}
    )
    assert response.status_code == 400
    assert "5000" in response.content.decode()  # the limit is named; the clerk's text stays in the form
    assert not task.reports.filter(progress__startswith="字").exists()
    leader = _client(personas.leader)
    leader.post(reverse("tasks:comment", args=[task.pk]), {"text": "批" * 2001})
    assert not task.comments.filter(text__startswith="批").exists()
