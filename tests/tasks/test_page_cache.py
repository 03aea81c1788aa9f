"""Whole pages kept while nothing they show has changed (tasks/page_cache.py, bureau/changes.py).

These tests commit, as a server does: a write's versions move when its transaction commits."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau import changes
from bureau.access import kept_bureaus_below
from bureau.models import Division
from tasks.filters import filtered_rows
from tasks.models import ProgressReport, Status, Task
from tasks.page_cache import kept_objects
from tasks.tables import TaskTable
from tasks.views.lists import PAGING

from ..helpers import make_division, make_plan, make_section, make_task, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def work(personas):
    plan = make_plan(personas.bureau)
    task = make_task(plan, lead=[personas.division], title="推进集团化办学")
    return task


def forget():
    """As after a restart: no page, piece, row or query kept."""
    for name in ("pages", "fragments", "rows"):
        caches[name].clear()
    kept_objects.clear()
    kept_bureaus_below.cache_clear()


def visit(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def mine(client):
    return visit(client, reverse("tasks:mine"))


def seen(client, url=None):
    """Opens a page until it is kept (the first visit gives the browser its CSRF cookie, as the sign-in
    page does): the queries a kept visit costs."""
    url = url or reverse("tasks:mine")
    for _ in range(2):
        visit(client, url)
    return visit(client, url)[1]


def test_a_page_seen_again_is_answered_from_the_cache_with_the_same_bytes(client, personas, work):
    client.force_login(personas.staff)
    mine(client)  # as the sign-in page does, the first page gives the browser its CSRF cookie
    first, drawn = mine(client)
    again, kept = mine(client)
    assert again.content.decode() == first.content.decode()
    assert "推进集团化办学" in again.content.decode()
    assert kept < drawn
    assert kept <= 5  # session, user, reach, versions, unread count
    assert again["Content-Type"] == first["Content-Type"]


def test_a_reader_without_a_csrf_cookie_is_never_given_a_kept_page(client, personas, work):
    client.force_login(personas.staff)
    mine(client)
    token = client.cookies["csrftoken"].value
    browser = type(client)(enforce_csrf_checks=True)
    browser.force_login(personas.staff)
    page, _ = mine(browser)
    assert browser.cookies["csrftoken"].value != token
    # The form on the page it got works with the cookie it got.
    html = page.content.decode()
    middleware_token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": middleware_token})
    assert response.status_code == 302


def test_a_report_posted_shows_at_once_on_every_page_that_shows_its_task(client, personas, work):
    leader = type(client)()
    leader.force_login(personas.leader)
    client.force_login(personas.staff)
    for page in (reverse("tasks:mine"), work.get_absolute_url()):
        visit(client, page)
    visit(leader, reverse("tasks:list"))
    report = {"status": Status.IN_PROGRESS, "percent": 40, "progress": "已完成调研。"}
    response = client.post(reverse("tasks:report", args=[work.pk]), report)
    assert response.status_code == 302
    assert "已完成调研" in visit(client, work.get_absolute_url())[0].content.decode()
    assert "40%" in visit(client, reverse("tasks:mine"))[0].content.decode()
    assert "40%" in visit(leader, reverse("tasks:list"))[0].content.decode()


def test_a_write_without_signals_is_seen_at_once(client, personas, work):
    client.force_login(personas.staff)
    mine(client)
    Task.objects.filter(pk=work.pk).update(title="改名后的任务")  # autocommit: no save(), no signal
    assert "改名后的任务" in mine(client)[0].content.decode()
    with transaction.atomic():
        Division.objects.filter(pk=personas.division.pk).update(name="基础教育处")
    assert "基础教育处" in mine(client)[0].content.decode()


def test_a_report_in_another_bureau_leaves_this_bureaus_pages_kept(client, personas, work):
    other_division = make_division(personas.other_bureau, "基教科")
    other_task = make_task(make_plan(personas.other_bureau), lead=[other_division])
    other_clerk = make_user(bureau=personas.other_bureau, role="staff", division=other_division)
    district_division = make_division(personas.district, "教育科")
    district_task = make_task(make_plan(personas.district), lead=[district_division], title="县区任务")
    district_clerk = make_user(bureau=personas.district, role="staff", division=district_division)
    client.force_login(personas.staff)
    leader = type(client)()
    leader.force_login(personas.leader)
    kept = seen(client)
    before = seen(leader, reverse("tasks:list"))
    other = type(client)()
    other.force_login(other_clerk)
    report = {"status": Status.IN_PROGRESS, "percent": 10, "progress": "启动。"}
    other.post(reverse("tasks:report", args=[other_task.pk]), report)
    assert ProgressReport.objects.filter(task=other_task).exists()
    assert mine(client)[1] == kept  # still kept: the report was the other bureau's
    assert visit(leader, reverse("tasks:list"))[1] == before
    # …but the city above a district sees the district's report at once.
    clerk = type(client)()
    clerk.force_login(district_clerk)
    clerk.post(reverse("tasks:report", args=[district_task.pk]), {**report, "percent": 70})
    after, queries = visit(leader, reverse("tasks:list"))
    assert "70%" in after.content.decode() and queries > before


def test_a_report_on_another_divisions_task_leaves_my_tasks_and_other_task_pages_kept(client, personas, work):
    theirs = make_task(work.plan, lead=[personas.other_division], title="督导处的任务")
    shared = make_task(work.plan, lead=[personas.other_division], responsible=[personas.division], title="合办的任务")
    client.force_login(personas.staff)
    leader = type(client)()
    leader.force_login(personas.leader)
    other = type(client)()
    other.force_login(personas.other_staff)
    kept_mine, kept_task = seen(client), seen(client, work.get_absolute_url())
    before_list = seen(leader, reverse("tasks:list"))
    report = {"status": Status.IN_PROGRESS, "percent": 20, "progress": "督导处启动。"}
    assert other.post(reverse("tasks:report", args=[theirs.pk]), report).status_code == 302
    # The same bureau wrote, but not to this division's tasks nor to this task.
    assert mine(client)[1] == kept_mine
    assert visit(client, work.get_absolute_url())[1] == kept_task
    # The leader's list shows every task of the bureau: drawn afresh with the report in it.
    page, queries = visit(leader, reverse("tasks:list"))
    assert "20%" in page.content.decode() and queries > before_list
    # A task this division shares: its list shows the task's light, which the other's report may turn.
    assert other.post(reverse("tasks:report", args=[shared.pk]), {**report, "percent": 55}).status_code == 302
    assert mine(client)[1] > kept_mine
    assert "55%" in visit(client, shared.get_absolute_url())[0].content.decode()


def test_a_task_page_shows_a_report_at_once_to_every_reader(client, personas, work):
    leader = type(client)()
    leader.force_login(personas.leader)
    kept = seen(leader, work.get_absolute_url())
    client.force_login(personas.staff)
    report = {"status": Status.IN_PROGRESS, "percent": 35, "progress": "方案已印发。"}
    assert client.post(reverse("tasks:report", args=[work.pk]), report).status_code == 302
    page, queries = visit(leader, work.get_absolute_url())
    assert "方案已印发" in page.content.decode() and queries > kept


def test_a_change_no_code_narrowed_throws_away_division_and_task_pages_too(client, personas, work):
    client.force_login(personas.staff)
    seen(client)
    seen(client, work.get_absolute_url())
    with transaction.atomic():
        Task.objects.filter(pk=work.pk).update(title="统一改名")
    assert "统一改名" in mine(client)[0].content.decode()
    assert "统一改名" in visit(client, work.get_absolute_url())[0].content.decode()


def test_a_leaders_list_after_a_report_shows_it_and_keeps_its_filter_form(client, personas, work):
    client.force_login(personas.leader)
    url = reverse("tasks:list") + f"?plan={work.plan.pk}"
    seen(client, url)
    forget()
    cold = visit(client, url)[1]
    clerk = type(client)()
    clerk.force_login(personas.staff)
    report = {"status": Status.IN_PROGRESS, "percent": 45, "progress": "推进。"}
    assert clerk.post(reverse("tasks:report", args=[work.pk]), report).status_code == 302
    page, queries = visit(client, url)
    assert "45%" in page.content.decode()
    assert queries < cold  # the plans, sections and divisions offered were not read again
    assert f'<option value="{work.plan.pk}" selected>{work.plan.title}</option>' in page.content.decode()


def test_the_filter_form_shows_a_renamed_division_and_a_new_plan_at_once(client, personas, work):
    client.force_login(personas.leader)
    url = reverse("tasks:list")
    seen(client, url)
    Division.objects.filter(pk=personas.division.pk).update(name="基础教育科")
    make_plan(personas.bureau, title="2027年工作要点")
    page = visit(client, url)[0].content.decode()
    assert "基础教育科" in page and "2027年工作要点" in page


def test_the_filter_form_is_each_readers_own_and_keeps_the_values_chosen(client, personas, work):
    client.force_login(personas.leader)
    visit(client, reverse("tasks:list") + "?q=集团化")
    page = visit(client, reverse("tasks:list") + "?q=集团化&page=1")[0].content.decode()
    assert 'value="集团化"' in page
    assert 'value="集团化"' not in visit(client, reverse("tasks:list"))[0].content.decode()
    client.force_login(personas.other_leader)  # another bureau's plans and divisions
    page = visit(client, reverse("tasks:list") + "?q=集团化")[0].content.decode()
    assert work.plan.title not in page


def test_the_filter_form_reads_no_table_a_report_writes(personas, work):
    """What lets the form be kept under everything's version alone (changes.NARROWABLE)."""
    make_section(work.plan, "一、基础教育")
    with CaptureQueriesContext(connection) as queries:
        _, task_filter = filtered_rows(personas.leader, QueryDict(f"plan={work.plan.pk}&status=in_progress"))
        assert task_filter.is_valid()
        task_filter.offer_choices()
        html = render_to_string("tasks/_filter_form.html", {"filter": task_filter})
    assert "一、基础教育" in html and len(queries) >= 3
    read = {table for query in queries for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])}
    assert read and not {table for table in read if changes.NARROWABLE.fullmatch(table)}


def test_a_report_writes_only_the_tables_its_declaration_narrows(client, personas, work):
    client.force_login(personas.staff)
    report = {"status": Status.IN_PROGRESS, "percent": 25, "progress": "推进。"}
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("tasks:report", args=[work.pk]), report).status_code == 302
    written = {changes.written_table(query["sql"]) for query in queries} - {None}
    assert "tasks_progressreport" in written
    assert all(changes.NARROWABLE.fullmatch(table) for table in written), written


def test_the_form_is_kept_whichever_page_or_sort():
    table = TaskTable([])
    assert (table.prefixed_page_field, table.prefixed_order_by_field, table.prefixed_per_page_field) == PAGING


def test_each_person_gets_their_own_page(client, personas, work):
    make_task(work.plan, lead=[personas.other_division], title="督导处的任务")
    client.force_login(personas.staff)
    mine(client)
    client.force_login(personas.other_staff)
    page = mine(client)[0].content.decode()
    assert "督导处的任务" in page and "推进集团化办学" not in page


def test_a_notice_is_shown_once_and_never_kept(client, personas, work):
    client.force_login(personas.staff)
    visit(client, work.get_absolute_url())
    report = {"status": Status.IN_PROGRESS, "percent": 30, "progress": "推进。"}
    client.post(reverse("tasks:report", args=[work.pk]), report)
    assert "进展已报送" in visit(client, work.get_absolute_url())[0].content.decode()
    assert "进展已报送" not in visit(client, work.get_absolute_url())[0].content.decode()


def test_the_unread_count_and_the_day_are_part_of_the_page(client, personas, work, monkeypatch):
    client.force_login(personas.staff)
    seen(client)
    # A 批示 by the leader rings the staff's bell: the kept page must not show the old count.
    leader = type(client)()
    leader.force_login(personas.leader)
    leader.post(reverse("tasks:comment", args=[work.pk]), {"text": "请加快进度。"})
    assert "条未读" in mine(client)[0].content.decode()
    kept = seen(client)
    monkeypatch.setattr("tasks.rules.today", lambda: datetime.date(2026, 12, 31) + datetime.timedelta(days=1))
    assert mine(client)[1] > kept  # a new day is drawn afresh (lights and overdue turn at midnight)


def test_signing_in_and_sessions_do_not_throw_pages_away(client, personas, work):
    client.force_login(personas.staff)
    kept = seen(client)
    other = type(client)()
    assert other.post(reverse("login"), {"username": "leader", "password": "pw"}).status_code == 302
    assert mine(client)[1] == kept


def test_writes_not_yet_committed_are_never_kept_nor_answered_from_the_cache(client, personas, work):
    client.force_login(personas.staff)
    kept = seen(client)
    with transaction.atomic():
        Task.objects.filter(pk=work.pk).update(title="尚未提交的名字")
        assert not changes.settled(connection)
        page, queries = mine(client)
        assert "尚未提交的名字" in page.content.decode() and queries > kept
        transaction.set_rollback(True)
    assert changes.settled(connection)
    assert "尚未提交的名字" not in mine(client)[0].content.decode()


def test_a_version_moves_once_per_transaction_and_only_for_its_scopes(personas):
    task = make_task(make_plan(personas.other_bureau))
    before = changes.version(connection, [personas.bureau.pk])
    with transaction.atomic(), changes.within([personas.other_bureau.pk]):
        Task.objects.filter(pk=task.pk).update(percent=10)
        Task.objects.filter(pk=task.pk).update(percent=20)
    assert changes.version(connection, [personas.bureau.pk]) == before
    # Declared or not, a write to what is not a task's work (a division) is everybody's change.
    with changes.within([personas.other_bureau.pk]):
        make_division(personas.other_bureau)
    assert changes.version(connection, [personas.bureau.pk])[0] == before[0] + 1
    before = changes.version(connection, [personas.bureau.pk])
    with transaction.atomic():
        make_division(personas.bureau)
        make_division(personas.bureau)
    total, _ = changes.version(connection, [personas.bureau.pk])
    assert total == before[0] + 1


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "tasks_task" ("title") VALUES (%s)', "tasks_task"),
        ('UPDATE "tasks_assignment" SET "latest_report_id" = %s', "tasks_assignment"),
        ('DELETE FROM "tasks_reportdraft" WHERE "id" = %s', "tasks_reportdraft"),
        ('INSERT OR IGNORE INTO "bureau_division" ("name") VALUES (%s)', "bureau_division"),
        ('SELECT * FROM "tasks_task"', None),
        ('UPDATE "django_session" SET "session_data" = %s', None),
        ('INSERT INTO "tasks_notification" ("text") VALUES (%s)', None),
        ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', None),
        ('UPDATE "auth_user" SET "last_login" = %s, "is_active" = %s WHERE "auth_user"."id" = %s', "auth_user"),
    ],
)
def test_the_writes_that_count(sql, table):
    assert changes.written_table(sql) == table


def test_a_leaders_list_after_a_report_builds_its_filter_no_more_and_still_shows_todays_lights(
    client, personas, work, monkeypatch
):
    client.force_login(personas.leader)
    due = make_task(work.plan, lead=[personas.division], title="按期完成的任务", deadline=datetime.date(2026, 12, 31))
    url = reverse("tasks:list") + f"?plan={work.plan.pk}&overdue=on"
    monkeypatch.setattr("tasks.rules.today", lambda: datetime.date(2026, 12, 31))
    assert due.title not in visit(client, url)[0].content.decode()
    clerk = type(client)()
    clerk.force_login(personas.staff)
    report = {"status": Status.IN_PROGRESS, "percent": 45, "progress": "推进。"}
    assert clerk.post(reverse("tasks:report", args=[work.pk]), report).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        assert visit(client, url)[0].status_code == 200
    # Neither the plan chosen nor its sections were read again to check the filter.
    assert not any('FROM "plans_section"' in q["sql"] or 'FROM "plans_plan"' in q["sql"] for q in queries)
    monkeypatch.setattr("tasks.rules.today", lambda: datetime.date(2027, 1, 1))
    assert due.title in visit(client, url)[0].content.decode()  # overdue from the new day on


def test_a_refused_filter_is_explained_each_time_the_list_is_opened(client, personas, work):
    client.force_login(personas.leader)
    url = reverse("tasks:list") + "?status=finished"
    for _ in range(3):
        page = visit(client, url)[0].content.decode()
        assert "筛选条件有误" in page and work.title in page


def test_a_list_drawn_afresh_after_a_report_writes_again_that_tasks_row_alone(client, personas, work, monkeypatch):
    other = make_task(work.plan, lead=[personas.other_division], title="督导处的任务")
    client.force_login(personas.leader)
    url = reverse("tasks:list")
    seen(client, url)
    written = []
    write_rows = TaskTable.write_rows
    monkeypatch.setattr(TaskTable, "write_rows", lambda table, tasks: written.extend(tasks) or write_rows(table, tasks))
    clerk = type(client)()
    clerk.force_login(personas.staff)
    report = {"status": Status.IN_PROGRESS, "percent": 45, "progress": "推进。"}
    assert clerk.post(reverse("tasks:report", args=[work.pk]), report).status_code == 302
    rows = re.findall(r"<tr>.*?</tr>", visit(client, url)[0].content.decode())
    assert written == [work]
    assert any(work.title in row and "45%" in row and personas.division.name in row for row in rows)
    assert any(other.title in row and personas.other_division.name in row for row in rows)
    Division.objects.filter(pk=personas.other_division.pk).update(name="督导科")
    assert "督导科" in visit(client, url)[0].content.decode()  # every row is written again
    assert {task.pk for task in written} == {work.pk, other.pk}


def test_a_kept_row_turns_red_the_day_its_deadline_passes(client, personas, work, monkeypatch):
    client.force_login(personas.leader)
    make_task(work.plan, lead=[personas.division], text="本月完成。", deadline=datetime.date(2026, 12, 21))
    monkeypatch.setattr("tasks.rules.today", lambda: datetime.date(2026, 12, 20))
    url = reverse("tasks:list") + "?q=本月完成"
    seen(client, url)
    red = '<span class="light light-red">红灯</span></td></tr>'
    assert red not in visit(client, url)[0].content.decode()
    monkeypatch.setattr("tasks.rules.today", lambda: datetime.date(2026, 12, 22))
    assert red in visit(client, url)[0].content.decode()


def test_a_task_page_after_a_report_shows_it_above_the_kept_ones_and_a_rename_in_all(client, personas, work):
    client.force_login(personas.staff)
    for percent in (20, 40):
        report = {"status": Status.IN_PROGRESS, "percent": percent, "progress": f"完成{percent}%。"}
        assert client.post(reverse("tasks:report", args=[work.pk]), report).status_code == 302
        page = visit(client, work.get_absolute_url())[0].content.decode()
    assert page.index("完成40%。") < page.index("完成20%。")
    Division.objects.filter(pk=personas.division.pk).update(name="基础教育科")
    page = visit(client, work.get_absolute_url())[0].content.decode()
    assert page.count("· 基础教育科 ·") == 2


def test_a_sub_tasks_page_names_its_parent(client, personas, work):
    child = make_task(work.plan, lead=[personas.division], parent=work, number="一是", title="建设示范校")
    client.force_login(personas.staff)
    page = visit(client, child.get_absolute_url())[0].content.decode()
    assert f"› {work.number} {work.title}" in page


def test_a_report_with_a_file_shows_it_on_a_task_page_whose_reports_had_none(client, personas, work):
    client.force_login(personas.staff)
    plain = {"status": Status.IN_PROGRESS, "percent": 20, "progress": "无附件。"}
    assert client.post(reverse("tasks:report", args=[work.pk]), plain).status_code == 302
    seen(client, work.get_absolute_url())
    upload = SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with_file = {"status": Status.IN_PROGRESS, "percent": 40, "progress": "附佐证。", "attachments": [upload]}
    assert client.post(reverse("tasks:report", args=[work.pk]), with_file).status_code == 302
    page = visit(client, work.get_absolute_url())[0].content.decode()
    assert page.count("佐证材料：") == 1 and "验收报告.pdf</a>" in page and "无附件。" in page
