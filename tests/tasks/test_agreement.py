"""One plan state, five readings: the dashboard, the task list's filters, the 督查通报, the ledger and the
assessment give the same figures, because each rule is defined once."""

import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.urls import reverse

from tasks.models import Status
from tasks.services import report_submit
from tests.helpers import make_division, make_plan, make_task

from .test_dashboard import FIGURE_CELL, figures, titles_listed

D = datetime.date
TODAY = D(2026, 5, 28)


@pytest.fixture
def plan(personas, frozen_today):
    """Leads that reported this month, a lead that did not, a responsible unit that never reports
    (it is not asked to), an overdue task, one awaiting review, one behind."""
    frozen_today(TODAY)
    plan = make_plan(personas.bureau, year=2026)
    basic, inspection = personas.division, personas.other_division
    helper = make_division(personas.bureau, "职成教处")
    rows = [
        # (lead, responsible, deadline, report day, status, percent)
        (basic, [helper], D(2026, 12, 31), D(2026, 5, 10), Status.IN_PROGRESS, 60),
        (basic, [helper], D(2026, 12, 31), D(2026, 5, 11), Status.DONE, 100),  # awaiting review
        (basic, [], D(2026, 3, 31), D(2026, 5, 12), Status.IN_PROGRESS, 80),  # overdue
        (inspection, [], D(2026, 12, 31), D(2026, 4, 20), Status.IN_PROGRESS, 50),  # not reported in May
        (inspection, [helper], D(2026, 12, 31), D(2026, 5, 3), Status.BEHIND, 20),
        (inspection, [], D(2026, 12, 31), None, None, None),  # never reported
    ]
    for lead, responsible, deadline, day, status, percent in rows:
        task = make_task(plan, lead=[lead], responsible=responsible, deadline=deadline)
        if day:
            report_submit(
                task=task, division=lead, author=None, status=status, percent=percent, progress="进展", day=day
            )
    return plan


def download(client, name: str, plan, **params) -> bytes:
    response = client.get(reverse(name, args=[plan.pk]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def division_table(page: str) -> dict[str, list[int]]:
    rows = re.findall(
        rf'<td><a href="[^"]+">([^<]+)</a></td>((?:{FIGURE_CELL})+)',
        page,
    )
    table = {name: [int(n) for n in re.findall(r">(\d+)<", cells)] for name, cells in rows}
    # 牵头, 已完成, 待审核, 滞后/受阻, 逾期, 本期未报送, 本期进展雷同: the division table, not the sections' one.
    return {name: cells for name, cells in table.items() if len(cells) == 7}


@pytest.mark.django_db
def test_dashboard_lists_bulletin_ledger_and_assessment_agree(client, personas, plan):
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
    shown = {label: (int(value) if value.isdigit() else value, url) for label, (value, url) in figures(page).items()}
    by_division = division_table(page)
    assert shown["本期未报送"][0] == 2 and shown["逾期"][0] == 1 and shown["待审核"][0] == 1

    # The list behind each figure holds exactly its tasks.
    for label in ("任务总数", "已完成", "待审核", "推进中", "滞后/受阻", "逾期", "本期未报送"):
        value, url = shown[label]
        assert len(titles_listed(client.get(url).content.decode())) == value, label

    # The bulletin's summary, each unit's line and the units it names as not reported.
    document = docx.Document(io.BytesIO(download(client, "tasks:plan_bulletin", plan, period="2026-05")))
    text = "\n".join(p.text for p in document.paragraphs)
    summary = re.search(
        r"共(\d+)项，其中已完成(\d+)项，推进中(\d+)项，滞后或受阻(\d+)项，逾期未完成(\d+)项，本期未报送(\d+)项", text
    )
    assert [int(n) for n in summary.groups()] == [
        shown[label][0] for label in ("任务总数", "已完成", "推进中", "滞后/受阻", "逾期", "本期未报送")
    ]
    for name, cells in by_division.items():
        led, done, _, behind, overdue, not_reported = cells[:6]
        assert (
            f"{name}：牵头任务{led}项，已完成{done}项，滞后或受阻{behind}项，逾期{overdue}项，本期未报送{not_reported}项"
            in text
        )
    named = next(p.text for p in document.paragraphs if "请以上单位抓紧报送" in p.text).split("。")[0].split("、")
    assert named == [name for name, cells in by_division.items() if cells[5]]
    assert "职成教处" not in named  # a responsible unit is not asked for the period's report

    # The ledger: every task once, with the status the dashboard counts.
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, "tasks:plan_export", plan))).active
    header = next(row for row in sheet.iter_rows(values_only=True) if row and row[0] == "序号")
    status_column = header.index("状态")
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(rows) == shown["任务总数"][0]
    assert sum(row[status_column] == "已完成" for row in rows) == shown["已完成"][0]
    assert sum(row[status_column] == "待审核" for row in rows) == shown["待审核"][0]

    # The assessment ranks the same lead units over the same tasks.
    assessment = client.get(reverse("tasks:plan_assessment", args=[plan.pk])).content.decode()
    ranked = dict(re.findall(r"<td>\d+</td><td>([^<]+)</td><td class=\"text-end\">(\d+)</td>", assessment))
    assert {name: int(led) for name, led in ranked.items()} == {name: cells[0] for name, cells in by_division.items()}


@pytest.mark.django_db
def test_a_past_periods_bulletin_tells_that_period_as_it_stood_at_its_end(client, personas, plan):
    client.force_login(personas.leader)
    document = docx.Document(io.BytesIO(download(client, "tasks:plan_bulletin", plan, period="2026-04")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "（2026年4月）" in text and "截至2026年4月30日" in text
    # Only the task never reported had no April report; in May, the one last reported in April joins it.
    assert "本期未报送1项" in text
    named = next(p.text for p in document.paragraphs if "请以上单位抓紧报送" in p.text).split("。")[0].split("、")
    assert named == ["督导处"]


@pytest.mark.django_db
def test_the_light_legend_is_written_from_the_rules_numbers(client, personas, plan, settings):
    settings.REPORT_DUE_DAY = 20
    settings.DEADLINE_WARNING_DAYS = 5
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:plan_detail", args=[plan.pk])).content.decode()
    assert "每月20日后仍未报送" in page and "在5天内" in page and "落后序时进度20个百分点" in page
