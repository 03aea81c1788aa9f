"""进展雷同: a report that says nearly what the same division said last time is flagged, shown and counted."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from tasks.dashboard import repeats_by_division
from tasks.models import ProgressReport, Status
from tasks.services import report_submit
from tasks.similarity import narrative, nearly_same
from tests.helpers import make_plan, make_report, make_task

D = datetime.date
TODAY = D(2026, 5, 28)

APRIL = (
    "已完成全市中小学课后服务覆盖情况摸底，覆盖面达到85%，召开推进会2次，"
    "印发《课后服务工作指引》，指导各县（市、区）制定实施方案。"
)
APRIL_PROBLEMS = "部分农村学校师资不足，课后服务内容较单一。"
APRIL_NEXT = "下步将继续推进课后服务提质扩面，开展专项督查。"
# Last month's text with a number and a few words changed: what the 督办 office means by 雷同.
MAY_EDITED = (
    "已完成全市中小学课后服务覆盖情况摸底，覆盖面达到88%，召开推进会3次，"
    "印发《课后服务工作指引》，指导各县（市、区）制定实施方案并备案。"
)
MAY_NEW = "组织开展课后服务专项督查，抽查学校42所，发现并整改问题15个；遴选优秀案例10个在全市推广。"


def send(task, division, progress, day, problems=APRIL_PROBLEMS, next_steps=APRIL_NEXT):
    return report_submit(
        task=task,
        division=division,
        author=None,
        status=Status.IN_PROGRESS,
        percent=50,
        progress=progress,
        problems=problems,
        next_steps=next_steps,
        day=day,
    )


@pytest.fixture
def task(personas, frozen_today):
    frozen_today(TODAY)
    plan = make_plan(personas.bureau, year=2026)
    return make_task(plan, lead=[personas.division], responsible=[personas.other_division])


def test_the_same_text_again_is_flagged(task, personas):
    send(task, personas.division, APRIL, D(2026, 4, 20))
    assert send(task, personas.division, APRIL, D(2026, 5, 20)).repeats_previous


def test_whitespace_and_punctuation_do_not_make_a_text_new(task, personas):
    send(task, personas.division, APRIL, D(2026, 4, 20))
    reworded = " " + APRIL.replace("，", ",").replace("。", "  ") + "\n"
    assert send(task, personas.division, reworded, D(2026, 5, 20)).repeats_previous


def test_a_lightly_edited_text_is_flagged(task, personas):
    send(task, personas.division, APRIL, D(2026, 4, 20))
    assert send(task, personas.division, MAY_EDITED, D(2026, 5, 20)).repeats_previous


def test_a_new_text_is_not_flagged(task, personas):
    send(task, personas.division, APRIL, D(2026, 4, 20))
    report = send(task, personas.division, MAY_NEW, D(2026, 5, 20), problems="无", next_steps="总结推广优秀案例。")
    assert not report.repeats_previous


def test_the_first_report_is_never_flagged(task, personas):
    assert not send(task, personas.division, APRIL, D(2026, 4, 20)).repeats_previous


def test_another_divisions_identical_text_does_not_count(task, personas):
    send(task, personas.other_division, APRIL, D(2026, 4, 20))
    assert not send(task, personas.division, APRIL, D(2026, 5, 20)).repeats_previous


def test_a_correction_in_the_same_period_is_compared_with_the_period_before(task, personas):
    send(task, personas.division, APRIL, D(2026, 4, 20))
    first = send(task, personas.division, MAY_NEW, D(2026, 5, 10))
    correction = send(task, personas.division, MAY_NEW + "（更正）", D(2026, 5, 12))
    assert not first.repeats_previous and not correction.repeats_previous
    assert send(task, personas.division, MAY_NEW, D(2026, 6, 10)).repeats_previous


def test_short_texts_count_only_when_identical():
    threshold = 0.9
    assert nearly_same(narrative("按计划推进。"), narrative("按计划推进"), threshold)
    assert not nearly_same(narrative("已完成"), narrative("已完成验收"), threshold)
    assert not nearly_same(narrative(""), narrative(""), threshold)


def test_the_threshold_is_a_setting(task, personas, settings):
    settings.REPEAT_SIMILARITY = 1.0
    send(task, personas.division, APRIL, D(2026, 4, 20))
    assert not send(task, personas.division, MAY_EDITED, D(2026, 5, 20)).repeats_previous


def test_the_migration_flags_existing_reports_as_sending_would(task, personas, monkeypatch):
    d1, d2 = personas.division, personas.other_division
    other = make_task(task.plan, lead=[d1])
    make_report(other, d1, progress=APRIL, period=D(2026, 3, 1))
    make_report(other, d1, progress=APRIL, period=D(2026, 4, 1))  # flagged, in another batch
    rows = [
        (d1, APRIL, D(2026, 3, 1), False),  # first
        (d1, MAY_EDITED, D(2026, 4, 1), True),  # lightly edited
        (d1, MAY_NEW, D(2026, 5, 1), False),  # new
        (d1, MAY_NEW, D(2026, 5, 1), False),  # a correction in the same period
        (d2, MAY_NEW, D(2026, 5, 1), False),  # another division
        (d1, MAY_NEW + "。", D(2026, 6, 1), True),  # same again
    ]
    made = [
        make_report(task, division, progress=text, problems=APRIL_PROBLEMS, next_steps=APRIL_NEXT, period=period)
        for division, text, period, _ in rows
    ]
    migration = importlib.import_module("tasks.migrations.0012_report_repeats_previous")
    monkeypatch.setattr(migration, "TASKS_PER_BATCH", 1)  # walk in several batches
    migration.flag_existing(apps, None)
    flags = dict(ProgressReport.objects.values_list("pk", "repeats_previous"))
    assert [flags[r.pk] for r in made] == [expected for *_, expected in rows]
    assert ProgressReport.objects.filter(task=other, repeats_previous=True).count() == 1


def test_repeats_between_and_by_division_count_the_flagged_reports_of_the_period(task, personas):
    send(task, personas.division, APRIL, D(2026, 4, 20))
    send(task, personas.division, APRIL, D(2026, 5, 20))  # flagged, May
    send(task, personas.other_division, APRIL, D(2026, 4, 20))
    send(task, personas.other_division, MAY_NEW, D(2026, 5, 20))  # not flagged
    send(task, personas.division, APRIL, D(2026, 6, 20))  # flagged, June
    may = ProgressReport.objects.repeats_between(D(2026, 5, 1), D(2026, 5, 31))
    assert list(may.values_list("division_id", "period")) == [(personas.division.pk, D(2026, 5, 1))]
    assert repeats_by_division([task], D(2026, 5, 1), D(2026, 5, 31)) == {personas.division.pk: 1}
    assert repeats_by_division([task.pk], D(2026, 4, 1), D(2026, 6, 30)) == {personas.division.pk: 2}


def test_the_task_page_shows_the_flag_on_the_report_and_the_units_latest(client, task, personas):
    send(task, personas.division, APRIL, D(2026, 4, 20))
    send(task, personas.division, MAY_EDITED, D(2026, 5, 20))
    send(task, personas.other_division, MAY_NEW, D(2026, 5, 20))
    client.force_login(personas.leader)
    page = client.get(task.get_absolute_url()).content.decode()
    units = page[page.index("各单位进展") : page.index('id="reports"')]
    history = page[page.index('id="reports"') :]
    assert units.count("进展雷同") == 1 and "与上次报送内容基本相同" in units
    # Only the lightly edited May report of 基教处, not its April one nor 督导处's.
    items = history.split('class="timeline-item"')[1:]
    assert len(items) == 3 and sum("进展雷同" in item for item in items) == 1
    flagged = next(item for item in items if "进展雷同" in item)
    assert "基教处" in flagged and "88%" in flagged


def test_the_dashboard_counts_each_divisions_flagged_reports_and_links_to_their_tasks(client, personas, frozen_today):
    frozen_today(TODAY)
    plan = make_plan(personas.bureau, year=2026)
    d1, d2 = personas.division, personas.other_division
    repeated = [make_task(plan, lead=[d1]) for _ in range(2)]
    fresh = make_task(plan, lead=[d1], responsible=[d2])
    for t in [*repeated, fresh]:
        send(t, d1, APRIL, D(2026, 4, 20))
        send(t, d2, APRIL, D(2026, 4, 20))
    for t in repeated:
        send(t, d1, MAY_EDITED, D(2026, 5, 20))
    send(fresh, d1, MAY_NEW, D(2026, 5, 20))
    send(fresh, d2, APRIL, D(2026, 5, 20))  # 督导处 repeats on a task it does not lead
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
    table = page[page.index('id="division-table"') :]
    table = table[: table.index("</table>")]
    assert "本期进展雷同" in table
    cells = {
        name: re.findall(r'<td class="text-end[^"]*"><a href="([^"]+)">(\d+)</a></td>', row)
        for name, row in re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>(.*?)</tr>', table, re.S)
    }
    url, count = cells["基教处"][6]  # after 牵头任务, 已完成, 待审核, 滞后/受阻, 逾期, 本期未报送
    flagged = ProgressReport.objects.filter(task__plan=plan, division=d1, repeats_previous=True).count()
    assert int(count) == flagged == 2
    page = client.get(url.replace("&amp;", "&")).content.decode()
    listed = set(re.findall(r'<a href="/tasks/\d+/">([^<]+)</a>', page))
    assert listed == {t.title for t in repeated}
    # 督导处 leads nothing here, so it has no row; its repeat is counted for the bulletin all the same.
    assert repeats_by_division(plan.tasks.all(), D(2026, 5, 1), D(2026, 5, 31)) == {d1.pk: 2, d2.pk: 1}


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999"])
def test_a_malformed_repeated_filter_is_no_server_error(client, personas, value):
    client.force_login(personas.leader)
    response = client.get(reverse("tasks:list"), {"repeated": value})
    assert response.status_code in (200, 400)
