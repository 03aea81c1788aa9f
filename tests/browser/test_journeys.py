"""The journeys people make, end to end, at desktop and phone widths."""

import datetime
import io
import json
import re

import docx
import openpyxl
import pytest
from django.conf import settings

from bureau.models import Division, DivisionAlias
from bureau.services import demo_accounts_load, organisation_load
from plans.services import import_file
from tasks.models import Plan, ProgressReport, Task

from .conftest import login, submit

FIXTURES = settings.BASE_DIR / "fixtures"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.browser


def build_demo(*, skip: str = "") -> None:
    """The demo organisation and accounts, with the seed documents imported by the real importer."""
    data = json.loads((FIXTURES / "organisation.json").read_text(encoding="utf-8"))
    organisation_load(data)
    demo_accounts_load(data)
    for path in sorted(FIXTURES.glob("*.docx")):
        if not skip or skip not in path.name:
            import_file(data=path.read_bytes(), filename=path.name)


@pytest.fixture
def demo_db(transactional_db):
    build_demo()


@pytest.fixture
def demo_db_before_taizhou(transactional_db):
    """Taizhou's plan not yet imported, and its 技信中心 known under its full name only."""
    build_demo(skip="taizhou")
    Division.objects.filter(bureau__name="台州市教育局", name="技信中心").update(name="技术信息中心")


def test_admin_imports_a_new_plan(visit_factory, demo_db_before_taizhou, tmp_path):
    visit = visit_factory("admin-import")
    login(visit, "admin")
    visit.check("login")

    visit.go("/plans/import/")
    visit.check("upload")
    visit.page.set_input_files("#id_file", str(FIXTURES / "taizhou-2019-decomposition.docx"))
    submit(visit)
    assert re.search(r"/plans/import/[\w-]+/$", visit.page.url)
    body = visit.page.inner_text("main")
    assert "100 项任务" in body and "一、全面推进“两个战略”" in body and "七、加强党的全面领导" in body
    assert "职成教处" in body and "各处室" in body and "技信中心（未识别）" in body
    assert visit.page.locator("select[name^=unit_]").count() == 1
    visit.check("preview")

    visit.page.select_option("select[name=unit_0]", label="技术信息中心")
    submit(visit, "button[value=confirm]")
    assert re.search(r"/plans/\d+/$", visit.page.url)
    assert "导入成功" in visit.page.inner_text("main")
    visit.check("imported")
    plan = Plan.objects.get(bureau__name="台州市教育局")
    assert plan.tasks.current().leaves().count() == 100
    assert DivisionAlias.objects.filter(name="技信中心", division__name="技术信息中心").exists()

    visit.go("/plans/")
    row = visit.page.locator("tr", has_text=plan.title)
    assert row.locator("td").nth(5).inner_text().strip() == "100"

    broken = tmp_path / "损坏的计划.docx"
    broken.write_bytes(b"PK\x03\x04 broken archive")
    visit.go("/plans/import/")
    visit.expect_refusal("/plans/import/", 400)
    visit.page.set_input_files("#id_file", str(broken))
    submit(visit)
    assert "文件已损坏或不完整" in visit.page.inner_text("main")
    visit.check("broken-file")


def test_division_clerk_reports_progress(visit_factory, demo_db):
    own = Task.objects.get(plan__bureau__name="台州市教育局", number="13")
    jjc = Division.objects.get(bureau__name="台州市教育局", name="基教处")
    foreign = Task.objects.filter(plan__bureau__name="台州市教育局").exclude(assignments__division=jjc).first()

    visit = visit_factory("clerk-report")
    login(visit, "staff_tz_jjc")
    assert visit.page.url.endswith("/tasks/mine/")
    visit.check("my-tasks")
    if visit.width < 768:
        # A phone: every element within the width, the first task's light and 报送 on the first screen.
        past = visit.page.evaluate(
            "() => Array.from(document.querySelectorAll('main *'))"
            ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
        )
        assert past == [], f"超出 390px 的元素：{past}"
        for selector in ("main tbody tr:first-child .light", "main tbody tr:first-child a:text('报送')"):
            box = visit.page.locator(selector).bounding_box()
            assert box and box["y"] + box["height"] <= 844, selector
        visit.page.click("#filters-toggle")  # the filters fold behind one button

    visit.page.check("#id_not_reported")
    submit(visit, "form.filter-form button[type=submit]")
    assert "not_reported=on" in visit.page.url
    visit.check("not-reported")

    submit(visit, f"a[href='/tasks/{own.pk}/']")
    visit.check("task")
    submit(visit, "text=报送进展")
    visit.page.select_option("#id_status", "in_progress")
    visit.page.fill("#id_percent", "45")
    visit.page.fill("#id_progress", "新增学位已完成三千个，普惠性幼儿园覆盖面稳步提升。")
    visit.page.fill("#id_problems", "部分项目用地未落实")
    target = own.targets.get(metric="新增学位")
    visit.page.fill(f"#id_target_{target.pk}", "3200")
    visit.page.set_input_files(
        "#id_attachments", files=[{"name": "推进情况.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    visit.check("report-form")
    submit(visit)
    assert visit.page.url.endswith(f"/tasks/{own.pk}/")
    timeline = visit.page.inner_text("main")
    assert "新增学位已完成三千个" in timeline and "推进情况.pdf" in timeline and "3200个" in timeline
    visit.check("reported")

    visit.expect_refusal(f"/tasks/{foreign.pk}/report/", 403)
    visit.go(f"/tasks/{foreign.pk}/report/")
    assert "无权访问" in visit.page.inner_text("main")
    visit.check("refused")


def test_leader_reviews_and_chases(visit_factory, demo_db):
    plan = Plan.objects.get(bureau__name="台州市教育局")
    visit = visit_factory("leader-review")
    login(visit, "leader_tz")
    assert visit.page.url.endswith("/dashboard/")
    assert plan.title in visit.page.inner_text("h1")
    total = visit.page.locator(".card", has_text="任务总数").inner_text()
    assert "100" in total
    visit.check("dashboard")

    row = visit.page.locator("#division-table tbody tr", has=visit.page.locator(".light-red")).first
    name = row.locator("td").first.inner_text().strip()
    led = int(row.locator("td").nth(1).inner_text())
    with visit.page.expect_navigation():
        row.locator("td a").first.click()
    listed = visit.page.locator("table tbody tr").count()
    division = Division.objects.get(bureau=plan.bureau, name=name)
    expected = Task.objects.filter(plan=plan, assignments__division=division, assignments__role="lead").count()
    assert listed == led == min(expected, 50)
    visit.check("division-tasks")

    visit.page.go_back()
    row = visit.page.locator("#division-table tbody tr", has_text=name).first
    with visit.page.expect_navigation():
        row.locator("button", has_text="催办").click()
    assert f"已向{name}" in visit.page.inner_text("main")
    visit.check("reminded")

    with visit.page.expect_download() as download:
        visit.page.click("text=导出任务分解表（xlsx）")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet["A3"].value == "序号" and sheet.max_row > 100
    # The 督查通报: issued with a 文号, the plan already ticked, then downloaded.
    with visit.page.expect_navigation():
        visit.page.click("text=印发督查通报（编文号）")
    assert visit.page.is_checked(f"#id_plans_{plan.pk}")
    visit.check("bulletin-form")
    submit(visit, "text=印发并编号")
    assert "督办通报〔" in visit.page.inner_text("main")
    with visit.page.expect_download() as download:
        visit.page.click("text=下载 Word（docx）")
    document = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "督查通报" in text and "重点任务共100项" in text and "1号" in text


def test_division_clerk_reports_the_month_at_once(visit_factory, demo_db, monkeypatch):
    # A day of the seed plan's own year, so that its tasks are the month's open work (the live server
    # runs in this process and asks the same rules).
    monkeypatch.setattr("tasks.rules.today", lambda: datetime.date(2019, 5, 20))
    visit = visit_factory("clerk-month")
    login(visit, "staff_tz_jjc")
    submit(visit, "text=本月集中报送")
    assert visit.page.url.endswith("/tasks/mine/report/")
    assert "本月25日前报送，还剩5天" in visit.page.inner_text("main")
    visit.check("month")

    rows = visit.page.eval_on_selector_all("main section.card", "els => els.map(e => e.id.slice(4))")
    good, bad = rows[0], rows[1]
    untick = "els => els.forEach(e => { e.checked = false; })"
    visit.page.eval_on_selector_all("input[name$='-send']", untick)
    visit.page.check(f"#send-{good}")
    visit.page.fill(f"#id_t{good}-percent", "55")
    visit.page.fill(f"#id_t{good}-progress", "本月集中报送：方案已印发。")
    submit(visit, "button[value=draft]")
    assert "已保存 1 项任务的草稿" in visit.page.inner_text("main")
    assert not ProgressReport.objects.filter(progress__startswith="本月集中报送").exists()
    visit.check("draft")

    visit.page.eval_on_selector_all("input[name$='-send']", untick)
    visit.page.check(f"#send-{good}")  # its draft filled the row again
    visit.page.check(f"#send-{bad}")
    visit.page.fill(f"#id_t{bad}-percent", "120")
    visit.page.fill(f"#id_t{bad}-progress", "超过百分之百")
    visit.expect_refusal("/tasks/mine/report/", 400)
    submit(visit, "button[value=submit]")
    body = visit.page.inner_text("main")
    assert "已报送 1 项；1 项有误" in body
    assert ProgressReport.objects.filter(task_id=good, progress="本月集中报送：方案已印发。", percent=55).exists()
    assert not ProgressReport.objects.filter(task_id=bad, progress="超过百分之百").exists()
    visit.check("partly-refused")


def test_city_leader_compares_districts_by_year_and_reads_a_lights_reason(visit_factory, demo_db):
    visit = visit_factory("leader-rollup")
    login(visit, "leader_wz")
    assert visit.page.locator("#id_year option[selected]").count() == 1
    submit(visit, "text=全市对比")
    assert "view=rollup" in visit.page.url and "year=" in visit.page.url
    total_row = visit.page.locator("#rollup-table tbody tr", has_text="温州合计")
    figure = total_row.locator("td").nth(1)
    count = int(figure.inner_text())
    visit.check("rollup")
    with visit.page.expect_navigation():
        figure.locator("a").click()
    assert visit.page.locator("main tbody tr").count() == min(count, 50)
    visit.check("rollup-tasks")

    with visit.page.expect_navigation():
        visit.page.locator("main tbody tr a[href^='/tasks/']").first.click()
    explanation = visit.page.inner_text("#light-explanation")
    assert any(light in explanation for light in ("红灯：", "黄灯：", "绿灯："))
    visit.check("light-reason")
