"""The 督查通报 as GB/T 9704 lays out official documents: A4 and its margins, the fonts and sizes, 22 lines
a page, "— N —" at the outside edge, the 文号 of each bureau and year, 落款 and 成文日期, the optional 红头;
its figures are the dashboard's for the period, and its first paragraph is written from them."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from tasks import dashboard
from tasks.bulletin import issue_bulletin
from tasks.models import Bulletin, ProgressReport, Review, Status
from tasks.services import report_submit
from tests.helpers import make_division, make_plan, make_task

D = datetime.date
TODAY = D(2026, 12, 1)
YEAR_END = D(2026, 12, 31)


@pytest.fixture
def plan(personas, frozen_today):
    frozen_today(TODAY)
    plan = make_plan(personas.bureau, year=2026)
    make_task(plan, lead=[personas.division])
    return plan


def issue(client, plan_ids, period="2026-11", red_header=False):
    data = {"period": period, "plans": plan_ids}
    if red_header:
        data["red_header"] = "on"
    response = client.post(reverse("tasks:bulletin_new"), data)
    assert response.status_code == 302, response.content.decode()
    return Bulletin.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def document_of(client, bulletin) -> docx.document.Document:
    response = client.get(reverse("tasks:bulletin_docx", args=[bulletin.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return docx.Document(io.BytesIO(response.content))


def east_asia(run_or_style) -> str:
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._r
    return element.rPr.rFonts.get(qn("w:eastAsia"))


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def paragraph(document, starting: str):
    return next(p for p in document.paragraphs if p.text.startswith(starting))


@pytest.mark.django_db
class TestLayout:
    @pytest.fixture
    def document(self, client, personas, plan):
        client.force_login(personas.leader)
        return document_of(client, issue(client, [plan.pk]))

    def test_the_page_is_a4_with_the_national_margins(self, document):
        section = document.sections[0]
        assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
        margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
        assert [round(m.mm) for m in margins] == [37, 35, 28, 26]

    def test_a_page_holds_22_lines_of_28_characters(self, document):
        grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:type")) == "lines"
        assert int(grid.get(qn("w:linePitch"))) * 22 / 20 == pytest.approx((297 - 37 - 35) / 25.4 * 72, abs=2)
        # 28 characters of 三号 with the style's spacing fit the 156 mm line; 29 do not.
        spacing = int(document.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
        width = (210 - 28 - 26) / 25.4 * 72
        assert 28 * (16 + spacing) <= width < 29 * (16 + spacing)

    def test_the_body_is_fangsong_sanhao_indented_two_characters_at_a_fixed_line(self, document):
        normal = document.styles["Normal"]
        assert east_asia(normal) == "仿宋_GB2312" and normal.font.size == Pt(16)
        spacing = normal.paragraph_format
        assert spacing.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert spacing.line_spacing == Pt(28.95)
        indent = normal.element.pPr.find(qn("w:ind"))
        assert indent.get(qn("w:firstLineChars")) == "200" and indent.get(qn("w:firstLine")) == "640"
        body = paragraph(document, "根据《")
        assert body.style.name == "Normal" and body.paragraph_format.first_line_indent is None  # the style's
        # The font table names the face a machine without the GB2312 fonts uses instead.
        table = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
        assert "仿宋_GB2312".encode() in table.blob and 'w:val="仿宋"'.encode() in table.blob

    def test_the_title_is_xiaobiaosong_erhao_centred(self, document):
        title = document.paragraphs[0]
        assert "重点工作督查通报" in title.text and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert {east_asia(r) for r in title.runs} == {"方正小标宋简体"}
        assert {r.font.size for r in title.runs} == {Pt(22)}

    def test_headings_are_heiti_then_kaiti(self, client, personas, plan):
        second = make_plan(personas.bureau, year=2026, title="2026年督导工作要点")
        make_task(second, lead=[personas.other_division])
        client.force_login(personas.leader)
        document = document_of(client, issue(client, [plan.pk, second.pk]))
        assert east_asia(paragraph(document, "一、总体情况").runs[0]) == "黑体"
        assert east_asia(paragraph(document, "（一）《").runs[0]) == "楷体_GB2312"
        assert "（二）《2026年督导工作要点》" in text_of(document)

    def test_page_numbers_sit_at_the_outside_edge_between_dashes(self, document):
        assert document.settings.odd_and_even_pages_header_footer
        section = document.sections[0]
        for footer, alignment in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            (number,) = footer.paragraphs
            assert number.alignment == alignment
            xml = number._p.xml
            assert "<w:instrText" in xml and " PAGE " in number._p.xpath("string(.//w:instrText)")
            assert number.text == "— 1 —"  # the field's last value between "— " and " —"
            assert {east_asia(r) for r in number.runs} == {"宋体"} and {r.font.size for r in number.runs} == {Pt(14)}

    def test_the_number_signature_and_date(self, document, personas):
        assert document.paragraphs[1].text == "督办通报〔2026〕1号"
        name, date = [p for p in document.paragraphs if p.text][-2:]
        assert (name.text, date.text) == (personas.bureau.name, "2026年12月1日")
        assert name.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert date._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"  # 右空四字

    def test_no_red_header_unless_asked(self, document):
        assert "FF0000" not in document.element.xml

    def test_the_red_header_names_the_bureau_in_red_over_a_red_rule(self, client, personas, plan):
        client.force_login(personas.leader)
        document = document_of(client, issue(client, [plan.pk], red_header=True))
        head = document.paragraphs[0]
        assert head.text == personas.bureau.name and str(head.runs[0].font.color.rgb) == "FF0000"
        assert east_asia(head.runs[0]) == "方正小标宋简体"
        texts = [p.text for p in document.paragraphs]
        number = texts.index("督办通报〔2026〕1号")
        rule = document.paragraphs[number + 1]
        bottom = rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
        assert bottom.get(qn("w:color")) == "FF0000"
        assert "重点工作督查通报" in texts[number + 2]


@pytest.mark.django_db
class TestNumbers:
    def test_each_bureau_numbers_its_years_bulletins_from_one(self, client, personas, plan, frozen_today):
        client.force_login(personas.leader)
        labels = [issue(client, [plan.pk]).number_label for _ in range(3)]
        assert labels == ["督办通报〔2026〕1号", "督办通报〔2026〕2号", "督办通报〔2026〕3号"]
        far = make_plan(personas.other_bureau, year=2026)
        client.force_login(personas.other_leader)
        assert issue(client, [far.pk]).number_label == "督办通报〔2026〕1号"
        frozen_today(D(2027, 1, 5))
        client.force_login(personas.leader)
        bulletin = issue(client, [plan.pk], period="2026-12")
        assert bulletin.number_label == "督办通报〔2027〕1号"
        assert document_of(client, bulletin).paragraphs[1].text == "督办通报〔2027〕1号"

    def test_downloading_takes_no_number(self, client, personas, plan):
        client.force_login(personas.leader)
        bulletin = issue(client, [plan.pk])
        document_of(client, bulletin)
        client.get(reverse("tasks:bulletin_detail", args=[bulletin.pk]))
        client.get(reverse("tasks:plan_bulletin", args=[plan.pk]), {"period": "2026-11"})
        assert Bulletin.objects.count() == 1 and issue(client, [plan.pk]).sequence == 2

    def test_a_number_taken_meanwhile_is_tried_again(self, personas, plan, monkeypatch):
        """Two leaders at once: the second's insert meets the unique (bureau, year, sequence), and it tries again."""
        issue_bulletin(plans=[plan], month=D(2026, 11, 1), red_header=False, user=personas.leader, day=TODAY)
        real_save = Bulletin.save
        attempts = []

        def rival_took_it(self, *args, **kwargs):
            attempts.append(self.sequence)
            if len(attempts) == 1:
                raise IntegrityError("UNIQUE constraint failed: bulletin_number_unique")
            return real_save(self, *args, **kwargs)

        monkeypatch.setattr(Bulletin, "save", rival_took_it)
        second = issue_bulletin(plans=[plan], month=D(2026, 11, 1), red_header=False, user=personas.leader, day=TODAY)
        assert attempts == [2, 2] and second.sequence == 2
        assert sorted(Bulletin.objects.values_list("sequence", flat=True)) == [1, 2]

    def test_the_database_refuses_a_number_twice(self, personas, plan):
        first = issue_bulletin(plans=[plan], month=D(2026, 11, 1), red_header=False, user=personas.leader, day=TODAY)
        with pytest.raises(IntegrityError), transaction.atomic():
            Bulletin.objects.create(bureau=first.bureau, year=2026, sequence=1, period=first.period, issued_on=TODAY,
                                    created_by=personas.leader, document=first.document.name)  # fmt: skip

    def test_the_draft_download_leaves_the_number_blank(self, client, personas, plan):
        client.force_login(personas.leader)
        response = client.get(reverse("tasks:plan_bulletin", args=[plan.pk]), {"period": "2026-11"})
        document = docx.Document(io.BytesIO(response.content))
        assert document.paragraphs[1].text == "督办通报〔2026〕　号"
        assert round(document.sections[0].page_width.mm) == 210


@pytest.mark.django_db
class TestForm:
    def test_the_page_lists_the_bureaus_bulletins_and_offers_this_years_plans(self, client, personas, plan):
        old = make_plan(personas.bureau, year=2023, title="2023年旧计划")
        far = make_plan(personas.other_bureau, year=2026, title="衢州计划")
        client.force_login(personas.leader)
        issue(client, [plan.pk])
        page = client.get(reverse("tasks:bulletin_new")).content.decode()
        assert "督办通报〔2026〕1号" in page and plan.title in page
        assert old.title not in page and far.title not in page

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"period": "2026-13"}, "通报月份格式应为"),
            ({"period": "2027-01"}, "不能通报尚未到来的月份"),
            ({"period": "2026-11", "plans": []}, "这个字段是必填项"),
        ],
    )
    def test_bad_input_is_a_400_and_issues_nothing(self, client, personas, plan, data, message):
        client.force_login(personas.leader)
        response = client.post(reverse("tasks:bulletin_new"), {"plans": [plan.pk], **data})
        assert response.status_code == 400 and message in response.content.decode()
        assert Bulletin.objects.count() == 0

    def test_another_bureaus_plan_cannot_be_chosen(self, client, personas, plan):
        far = make_plan(personas.other_bureau, year=2026)
        client.force_login(personas.leader)
        response = client.post(reverse("tasks:bulletin_new"), {"period": "2026-11", "plans": [far.pk]})
        assert response.status_code == 400 and Bulletin.objects.count() == 0

    def test_plans_of_two_bureaus_are_refused(self, client, personas, plan):
        district = make_plan(personas.district, year=2026)
        client.force_login(personas.leader)
        response = client.post(reverse("tasks:bulletin_new"), {"period": "2026-11", "plans": [plan.pk, district.pk]})
        assert response.status_code == 400 and "同一个教育局" in response.content.decode()

    def test_staff_are_refused(self, client, personas, plan):
        client.force_login(personas.staff)
        assert client.get(reverse("tasks:bulletin_new")).status_code == 403

    @pytest.mark.parametrize("count", [1, 8])
    def test_the_page_reads_a_bounded_number_of_queries(
        self, client, personas, plan, count, django_assert_max_num_queries
    ):
        client.force_login(personas.leader)
        for n in range(count):
            make_plan(personas.bureau, year=2026, title=f"计划{n}")
            issue(client, [plan.pk])
        with django_assert_max_num_queries(10):
            assert client.get(reverse("tasks:bulletin_new")).status_code == 200
        bulletin = Bulletin.objects.first()
        with django_assert_max_num_queries(8):
            assert client.get(reverse("tasks:bulletin_detail", args=[bulletin.pk])).status_code == 200


# ------------------------------------------------------------------------------ the figures


@pytest.fixture
def history(personas, frozen_today):
    """Two periods of one plan. October: one task accepted, one deadline passed, 督导处 silent, one repeated
    report. November: two accepted, two deadlines passed, 基教处 and 督导处 partly silent, 教研室 repeating twice."""
    frozen_today(TODAY)
    plan = make_plan(personas.bureau, year=2026)
    basic, inspection = personas.division, personas.other_division
    research = make_division(personas.bureau, "教研室")

    def task(lead, deadline=YEAR_END):
        return make_task(plan, lead=[lead], deadline=deadline)

    def report(task, division, day, repeats=False):
        submitted = report_submit(
            task=task, division=division, author=None, status=Status.IN_PROGRESS, percent=40,
            progress=f"第{task.pk}项在{day:%m月%d日}的进展", day=day,
        )  # fmt: skip
        # The flag as the history needs it, whatever the similarity rule would say.
        ProgressReport.objects.filter(pk=submitted.pk).update(repeats_previous=repeats)

    def accept(task, on):
        task.status, task.percent = Status.DONE, 100
        task.save(update_fields=["status", "percent"])
        review = Review.objects.create(task=task, action=Review.Action.ACCEPT, decided_by=personas.leader)
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
        Review.objects.filter(pk=review.pk).update(created_at=moment)

    accept(task(basic), D(2026, 10, 20))
    accept(task(basic), D(2026, 11, 5))
    accept(task(research), D(2026, 11, 25))
    late_in_october = task(inspection, deadline=D(2026, 10, 15))
    report(late_in_october, inspection, D(2026, 11, 3))
    for lead, deadline in ((basic, D(2026, 11, 10)), (research, D(2026, 11, 20))):
        report(task(lead, deadline), lead, D(2026, 11, 4))
    report(task(basic), basic, D(2026, 10, 8))  # silent in November
    never = task(inspection)  # reports in neither period
    for _ in range(2):
        repeated = task(research)
        report(repeated, research, D(2026, 10, 9))
        report(repeated, research, D(2026, 11, 9), repeats=True)
    once = task(research)
    report(once, research, D(2026, 10, 9), repeats=True)
    report(once, research, D(2026, 11, 9))
    return plan, never


def issued_document(client, personas, plan, period="2026-11"):
    client.force_login(personas.leader)
    return document_of(client, issue(client, [plan.pk], period=period))


@pytest.mark.django_db
def test_the_opening_paragraph_is_written_from_the_two_periods(client, personas, history):
    plan, _ = history
    document = issued_document(client, personas, plan)
    opening = document.paragraphs[4].text
    assert opening == (
        "本期（2026年11月）完成任务2项，比上期多1项；新增逾期2项，比上期多1项；"
        "基教处、督导处未按时报送（上期1个单位）；教研室2项报送与上期进展雷同（上期1项）。"
    )


@pytest.mark.django_db
def test_the_repeated_reports_are_listed(client, personas, history):
    plan, _ = history
    text = text_of(issued_document(client, personas, plan))
    section = text.split("五、进展雷同的报送")[1]
    assert section.count("教研室：") == 2


@pytest.mark.django_db
def test_every_figure_is_the_dashboards_for_the_period(client, personas, history):
    plan, _ = history
    document = issued_document(client, personas, plan)
    text = text_of(document)
    # The dashboard as the leader sees it for the period's last day.
    client.force_login(personas.leader)
    day = D(2026, 11, 30)
    activity = dashboard.PlanActivity.of(plan, day)
    counts = dashboard.headline_counts(activity.tasks)
    summary = re.search(
        r"共(\d+)项，其中已完成(\d+)项，推进中(\d+)项，滞后或受阻(\d+)项，逾期未完成(\d+)项，本期未报送(\d+)项；总体完成率(\d+)%",
        text,
    )
    assert [int(n) for n in summary.groups()] == [
        counts[k] for k in ("total", "done", "in_progress", "behind", "overdue", "not_reported")
    ] + [round(counts["mean_percent"])]
    rows = dashboard.by_division(plan, activity)
    assert rows
    for row in rows:
        assert (
            f"{row['name']}：牵头任务{row['led']}项，已完成{row['done']}项，滞后或受阻{row['behind']}项，"
            f"逾期{row['overdue']}项，本期未报送{row['not_reported']}项。"
        ) in text
    named = paragraph(document, "基教处、").text.split("。")[0].split("、")
    assert named == [row["name"] for row in rows if row["not_reported"]]
    repeated = {row["name"]: row["repeated"] for row in rows if row["repeated"]}
    assert repeated == {"教研室": 2}
    assert "教研室2项报送与上期进展雷同" in document.paragraphs[4].text
    # The page itself shows the same headline.
    page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
    assert f">{counts['total']}<" in page


# ------------------------------------------------------------------------------ the PDF

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("REQUIRE_LIBREOFFICE") != "1",
    reason="LibreOffice 未安装（CI 设 REQUIRE_LIBREOFFICE=1 时必须运行）",
)


@needs_libreoffice
@pytest.mark.django_db
def test_the_pdf_is_a4_with_page_numbers(client, personas, history):
    assert shutil.which("soffice"), "REQUIRE_LIBREOFFICE=1 但未找到 soffice"
    plan, _ = history
    client.force_login(personas.leader)
    bulletin = issue(client, [plan.pk])
    detail = client.get(reverse("tasks:bulletin_detail", args=[bulletin.pk])).content.decode()
    assert reverse("tasks:bulletin_pdf", args=[bulletin.pk]) in detail
    response = client.get(reverse("tasks:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", content)
    assert boxes
    for box in boxes:
        x0, y0, x1, y1 = map(float, box)
        assert x1 - x0 == pytest.approx(595, abs=1) and y1 - y0 == pytest.approx(842, abs=1)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "b.pdf"
        path.write_bytes(content)
        text = subprocess.run([shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True)
        pages = subprocess.run([shutil.which("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)", pages), pages
    # LibreOffice sets the spaces around the number as gaps, which pdftotext may or may not keep.
    assert re.search(r"— ?1 ?—", text.stdout.split("\f")[0]), text.stdout.split("\f")[0][-200:]
    # Converted once, then kept.
    assert Bulletin.objects.get(pk=bulletin.pk).pdf


@pytest.mark.django_db
def test_without_libreoffice_the_pdf_is_a_page_saying_so(client, personas, plan, monkeypatch):
    monkeypatch.setattr("tasks.pdf.shutil.which", lambda name: None)
    client.force_login(personas.leader)
    bulletin = issue(client, [plan.pk])
    assert "下载 PDF" not in client.get(reverse("tasks:bulletin_detail", args=[bulletin.pk])).content.decode()
    response = client.get(reverse("tasks:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 503 and "未安装 LibreOffice" in response.content.decode()


@pytest.mark.django_db
def test_a_hanging_conversion_is_a_page_not_a_500(client, personas, plan, monkeypatch):
    def hang(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], 60)

    monkeypatch.setattr("tasks.pdf.shutil.which", lambda name: "/usr/bin/soffice")
    monkeypatch.setattr("tasks.pdf.subprocess.run", hang)
    client.force_login(personas.leader)
    bulletin = issue(client, [plan.pk])
    response = client.get(reverse("tasks:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 503 and "超时" in response.content.decode()


@pytest.mark.django_db
def test_the_plan_page_offers_the_bulletin_to_leaders_with_the_plan_ticked(client, personas, plan):
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:plan_detail", args=[plan.pk])).content.decode()
    link = f"{reverse('tasks:bulletin_new')}?plan={plan.pk}"
    assert link in page
    form = client.get(link).content.decode()
    assert re.search(rf'value="{plan.pk}" id="id_plans_{plan.pk}" checked', form)
    client.force_login(personas.staff)
    assert link not in client.get(reverse("tasks:plan_detail", args=[plan.pk])).content.decode()


@pytest.mark.django_db
def test_a_number_never_free_is_a_409_and_no_bulletin(client, personas, plan, monkeypatch):
    def always_taken(self, *args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: bulletin_number_unique")

    monkeypatch.setattr(Bulletin, "save", always_taken)
    client.force_login(personas.leader)
    response = client.post(reverse("tasks:bulletin_new"), {"period": "2026-11", "plans": [plan.pk]})
    assert response.status_code == 409 and "文号分配未成功" in response.content.decode()
    assert Bulletin.objects.count() == 0
