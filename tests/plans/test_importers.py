"""The readers on the five seed documents, in every format they come in, and on faults real documents have."""

import datetime
import io
from decimal import Decimal

import docx
import openpyxl
import pytest

from plans import hostile_files
from plans.importers import PlanFileError, read_plans
from plans.importers.text import find_targets, parse_deadline
from plans.importers.units import split_units
from tasks.models import Plan
from tests.helpers import PeakMemory

from .seeds import LONGWAN, QUZHOU, TAIZHOU, WENZHOU_DUTIES, WENZHOU_SUMMARY_POINTS, read


def only_plan(path, **kwargs):
    plans = read_plans(read(path), **kwargs)
    assert len(plans) == 1
    return plans[0]


def task_numbered(plan, number):
    return next(t for t in plan.tasks if t.number == number)


def comparable(plan):
    return [(t.number, t.text, t.lead_units, t.responsible_units, t.deadline) for t in plan.tasks]


class TestTaizhouDecomposition:
    @pytest.mark.parametrize("fmt", ["docx", "xlsx", "txt"])
    def test_it_reads_seven_sections_and_a_hundred_tasks(self, fmt):
        plan = only_plan(TAIZHOU[fmt], bureau="台州市教育局")
        assert plan.kind == Plan.Kind.DECOMPOSITION
        assert [s.number for s in plan.sections] == list("一二三四五六七")
        assert [t.number for t in plan.leaf_tasks] == [str(n) for n in range(1, 101)]
        assert (plan.year_start, plan.year_end) == (2019, 2019)

    def test_the_three_formats_give_the_same_tasks(self):
        docx_plan = only_plan(TAIZHOU["docx"])
        assert comparable(only_plan(TAIZHOU["xlsx"], bureau="台州市教育局")) == comparable(docx_plan)
        assert comparable(only_plan(TAIZHOU["txt"])) == comparable(docx_plan)

    @pytest.mark.parametrize("fmt", ["docx", "xlsx", "txt"])
    def test_each_task_has_exactly_the_units_of_its_row(self, fmt):
        plan = only_plan(TAIZHOU[fmt], bureau="台州市教育局")
        assert task_numbered(plan, "9").lead_units == ["职成教处", "高教处"]
        assert task_numbered(plan, "32").lead_units == ["基教处", "考试院", "技信中心"]
        assert task_numbered(plan, "33").responsible_units == ["直管处", "计财处"]
        assert task_numbered(plan, "43").lead_units == ["基教处", "职成教处", "高教处"]
        assert task_numbered(plan, "5").responsible_units == []
        assert task_numbered(plan, "1").responsible_units == ["各处室"]

    def test_it_reads_bureau_and_issue_date_from_the_notice(self):
        plan = only_plan(TAIZHOU["docx"])
        assert plan.bureau_name == "台州市教育局"
        assert plan.issued_on == datetime.date(2019, 3, 19)

    def test_task_13_commits_to_four_targets(self):
        targets = task_numbered(only_plan(TAIZHOU["docx"]), "13").targets
        assert [(t.metric, t.comparator, t.value, t.unit) for t in targets] == [
            ("新增学位", ">=", Decimal("6000"), "个"),
            ("普惠性幼儿园覆盖面", ">=", Decimal("90.5"), "%"),
            ("等级幼儿园覆盖面", ">=", Decimal("95"), "%"),
            ("幼儿教师持证率", ">=", Decimal("97"), "%"),
        ]

    def test_no_notice_text_becomes_a_task(self):
        texts = " ".join(t.text for t in only_plan(TAIZHOU["docx"]).tasks)
        assert "抄送" not in texts and "为贯彻落实" not in texts


class TestQuzhouDivisionOfLabour:
    @pytest.mark.parametrize("fmt", ["docx", "txt"])
    def test_it_reads_82_tasks_of_which_81_carry_units(self, fmt):
        plan = only_plan(QUZHOU[fmt])
        leaves = plan.leaf_tasks
        assert len(leaves) == 82
        assert [t for t in leaves if not t.responsible_units] == [leaves[-1]]
        assert plan.kind == Plan.Kind.DIVISION_OF_LABOUR
        assert (plan.year_start, plan.year_end) == (2016, 2020)

    def test_the_last_task_is_four_four_two_and_names_no_unit(self):
        plan = only_plan(QUZHOU["docx"])
        last = plan.leaf_tasks[-1]
        assert [s.number for s in plan.section_path(last.section)] == ["四", "（四）"]
        assert last.number == "2"

    def test_major_projects_group_their_items(self):
        plan = only_plan(QUZHOU["docx"])
        groups = [t for t in plan.tasks if t.text == "重大项目"]
        assert len(groups) == 9
        assert all(any(c.parent == g.id for c in plan.tasks) for g in groups)

    def test_unnumbered_item_under_a_major_project_is_kept(self):
        plan = only_plan(QUZHOU["docx"])
        assert any(t.text.startswith("普通高中特色示范工程") and t.parent for t in plan.tasks)

    def test_numbering_faults_lose_no_task_and_are_reported(self):
        plan = only_plan(QUZHOU["docx"])
        assert any("（）" in w and "（2）" in w for w in plan.warnings)
        assert any("缺少右括号" in w for w in plan.warnings)
        assert any("从2跳到5" in w for w in plan.warnings)
        assert [s.title for s in plan.sections if s.number == "（一）"][-1] == "保障措施"

    def test_a_unit_spelled_two_ways_is_read_as_written(self):
        plan = only_plan(QUZHOU["docx"])
        assert any("督导室" in t.responsible_units for t in plan.tasks)

    def test_ascii_parentheses_still_close_the_unit_list(self):
        plan = only_plan(QUZHOU["docx"])
        assert all(not u.endswith(")") for t in plan.tasks for u in t.responsible_units)
        assert all("责任单位" not in t.text for t in plan.tasks)

    def test_main_indicator_one_has_five_targets(self):
        targets = only_plan(QUZHOU["docx"]).tasks[0].targets
        assert [t.metric for t in targets] == [
            "学前三年入园率",
            "学前教育示范乡镇",
            "残疾幼儿学前入园率",
            "残疾儿童少年九年义务教育入学率",
            "听障儿童少年高中段入学率",
        ]
        assert [t.value for t in targets] == [Decimal(v) for v in ("97", "50", "90", "98", "95")]


class TestLongwanWorkPoints:
    @pytest.mark.parametrize("fmt", ["docx", "txt"])
    def test_it_reads_21_tasks_in_seven_actions(self, fmt):
        plan = only_plan(LONGWAN[fmt])
        assert [t.number for t in plan.leaf_tasks] == [str(n) for n in range(1, 22)]
        actions = {plan.section_path(t.section)[-1].title for t in plan.tasks}
        assert len(actions) == 7 and all("提升行动" in title for title in actions)
        assert plan.bureau_name == "龙湾区教育局"
        assert plan.warnings == []

    def test_overall_approach_is_not_a_task(self):
        plan = only_plan(LONGWAN["docx"])
        assert not any("总体要求" in t.text for t in plan.tasks)
        assert plan.sections[0].title == "总体思路"

    def test_targets_read_from_prose(self):
        plan = only_plan(LONGWAN["docx"])
        metrics = {(t.metric, t.value, t.unit) for t in task_numbered(plan, "8").targets}
        assert ("义务教育标准化学校比例", Decimal("95"), "%") in metrics


class TestWenzhouSummaryAndPoints:
    @pytest.mark.parametrize("fmt", ["docx", "txt"])
    def test_one_file_gives_a_summary_and_the_work_points(self, fmt):
        summary, points = read_plans(read(WENZHOU_SUMMARY_POINTS[fmt]))
        assert (summary.kind, summary.year_start, len(summary.tasks)) == (Plan.Kind.SUMMARY, 2023, 0)
        assert len(summary.sections) == 4
        assert (points.kind, points.year_start) == (Plan.Kind.WORK_POINTS, 2024)
        assert [t.number for t in points.leaf_tasks] == [str(n) for n in range(1, 24)]
        assert len(points.sections) == 5 and all("工程" in s.title for s in points.sections)
        assert points.document_number == summary.document_number == "温教发〔2024〕1号"


class TestWenzhouDuties:
    @pytest.mark.parametrize("fmt", ["docx", "txt"])
    def test_it_reads_12_duties_with_99_work_items(self, fmt):
        plan = only_plan(WENZHOU_DUTIES[fmt])
        assert plan.kind == Plan.Kind.DUTIES
        assert [d.number for d in plan.duties] == list(range(1, 13))
        assert sum(len(d.work_items) for d in plan.duties) == 99
        units = {u for d in plan.duties for item in d.work_items for u in item.units}
        assert units == {"市教研院", "市电教馆", "市教育装备中心", "市教师教育院", "市教育评估院", "市基建中心"}

    @pytest.mark.parametrize("fmt", ["docx", "txt"])
    def test_annual_work_is_ten_projects_of_37_items(self, fmt):
        plan = only_plan(WENZHOU_DUTIES[fmt])
        projects = [t for t in plan.tasks if t.parent is None]
        assert len(projects) == 10
        assert len(plan.leaf_tasks) == 37
        assert all(t.parent for t in plan.leaf_tasks)
        assert plan.year_start == 2017


class TestUnitSplitting:
    @pytest.mark.parametrize(
        ("cell", "units"),
        [
            ("职成教处高教处", ["职成教处", "高教处"]),
            ("基教处 考试院", ["基教处", "考试院"]),
            ("基教处\n职成教处\n高教处", ["基教处", "职成教处", "高教处"]),
            ("计财处、督导处、", ["计财处", "督导处"]),
            ("办公室", ["办公室"]),
            ("市教育装备中心", ["市教育装备中心"]),
            ("各处室", ["各处室"]),
            ("基教处、基教处", ["基教处"]),
        ],
    )
    def test_it_splits_a_cell_into_units(self, cell, units):
        assert split_units(cell) == units


class TestDeadlines:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2019年6月底前", datetime.date(2019, 6, 30)),
            ("6月底前", datetime.date(2020, 6, 30)),
            ("全年", datetime.date(2020, 12, 31)),
            ("上半年", datetime.date(2020, 6, 30)),
            ("9月", datetime.date(2020, 9, 30)),
            ("2020年3月15日", datetime.date(2020, 3, 15)),
            ("第三季度", datetime.date(2020, 9, 30)),
            ("持续推进", None),
        ],
    )
    def test_a_deadline_becomes_a_date_where_it_names_one(self, text, expected):
        assert parse_deadline(text, 2020) == expected


class TestTargets:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("新增学位6000个", ("新增学位", ">=", "6000", "个")),
            ("普惠性幼儿园覆盖面达到90.5%", ("普惠性幼儿园覆盖面", ">=", "90.5", "%")),
            ("残疾儿童入学率不低于98%", ("残疾儿童入学率", ">=", "98", "%")),
            ("完成基建项目投入50亿以上", ("完成基建项目投入", ">=", "50", "亿")),
            ("巩固率达到95%以上", ("巩固率", ">=", "95", "%")),
            ("近视率控制在30%以内", ("近视率", "<=", "30", "%")),
        ],
    )
    def test_a_committed_figure_becomes_a_target(self, text, expected):
        (target,) = find_targets(text)
        assert (target.metric, target.comparator, target.value, target.unit) == (
            expected[0],
            expected[1],
            Decimal(expected[2]),
            expected[3],
        )

    def test_a_figure_that_qualifies_a_noun_is_not_a_target(self):
        targets = find_targets("小学30人以下班级占30%")
        assert [(t.metric, t.value) for t in targets] == [("小学30人以下班级", Decimal("30"))]

    def test_dates_are_not_targets(self):
        assert find_targets("2019年6月底前出台文件") == []


def docx_bytes(paragraphs=(), table=None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestUnseenLayouts:
    def test_inline_lead_and_cooperating_units(self):
        data = docx_bytes(
            [
                "某某市教育局2025年工作要点",
                "一、深化改革",
                "1.推进集团化办学。（牵头单位：基教处；配合单位：计财处、人事处）",
                "2.完善评价制度。（完成时限：2025年6月底前）",
            ]
        )
        (plan,) = read_plans(data)
        first, second = plan.tasks
        assert (first.lead_units, first.responsible_units) == (["基教处"], ["计财处", "人事处"])
        assert first.text == "推进集团化办学。"
        assert (second.deadline, second.deadline_text) == (datetime.date(2025, 6, 30), "2025年6月底前")
        assert plan.bureau_name == "某某市教育局"

    def test_spreadsheet_with_other_headers_in_another_order(self):
        data = xlsx_bytes(
            [
                ["某某县教育局2025年重点工作任务分解表"],
                [],
                ["编号", "配合单位", "重点任务", "完成时限", "牵头处室"],
                ["一、教育均衡"],
                [1, "督导室", "新建学校3所", "2025年9月", "基教处"],
                [None, None, None, None, None],
                [2, None, "开展质量监测", "持续推进", "教研室"],
            ]
        )
        (plan,) = read_plans(data, year=2025)
        assert [s.title for s in plan.sections] == ["教育均衡"]
        first, second = plan.tasks
        assert (first.lead_units, first.responsible_units) == (["基教处"], ["督导室"])
        assert first.deadline == datetime.date(2025, 9, 30)
        assert (second.deadline, second.deadline_text) == (None, "持续推进")
        assert first.targets[0].value == Decimal("3")

    def test_a_year_given_by_the_user_wins(self):
        data = docx_bytes(["某某市教育局工作要点", "一、总体", "1.推进某项工作。"])
        (plan,) = read_plans(data, year=2030)
        assert (plan.year_start, plan.year_end) == (2030, 2030)


class TestBadInput:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "文件为空"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版"),
            (b"PK\x03\x04 this is not really a zip", "损坏"),
            (b"\x00\x01\x02\x03binary", "无法识别"),
            ("只是一段没有任何任务的文字。".encode(), "没有找到可识别的工作任务"),
        ],
    )
    def test_it_refuses_with_a_clear_message(self, data, message):
        with pytest.raises(PlanFileError, match=message):
            read_plans(data)

    def test_a_truncated_docx_is_refused(self):
        data = read(TAIZHOU["docx"])
        with pytest.raises(PlanFileError, match="损坏"):
            read_plans(data[: len(data) // 2])

    def test_a_file_over_20_mb_is_refused(self):
        with pytest.raises(PlanFileError, match="20 MB"):
            read_plans(b"x" * (20 * 1024 * 1024 + 1))

    def test_a_zip_bomb_is_refused(self):
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", b"<a/>")
            archive.writestr("word/padding.bin", b"\0" * (300 * 1024 * 1024))
        with pytest.raises(PlanFileError, match="压缩炸弹"):
            read_plans(buffer.getvalue())

    def test_xml_entity_declarations_are_refused(self):
        import zipfile

        source = io.BytesIO(read(TAIZHOU["docx"]))
        buffer = io.BytesIO()
        with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as archive:
            for item in original.infolist():
                content = original.read(item)
                if item.filename == "word/document.xml":
                    content = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]>' + content.split(b"?>", 1)[1]
                archive.writestr(item, content)
        with pytest.raises(PlanFileError, match="实体"):
            read_plans(buffer.getvalue())

    def test_a_plan_whose_year_cannot_be_found_asks_for_one(self):
        with pytest.raises(PlanFileError, match="年度"):
            read_plans(docx_bytes(["某某市教育局工作要点", "一、总体", "1.推进某项工作。"]))


class TestOddInput:
    """Found by reading the readers as an attacker would: each once raised or took seconds."""

    def outline(self, *items: str) -> bytes:
        return "\n".join(["某某市教育局2025年工作要点", "一、重点工作", *items]).encode()

    def test_a_date_no_calendar_has_is_no_deadline(self):
        (plan,) = read_plans(self.outline("1.推进工作。（完成时限：0000年2月）"))
        assert plan.tasks[0].deadline is None and plan.tasks[0].deadline_text == "0000年2月"

    def test_a_year_outside_the_calendar_is_refused(self):
        with pytest.raises(PlanFileError, match="年度应在"):
            read_plans(self.outline("1.推进工作。"), year=10000)

    def test_items_past_999_keep_their_numbers(self):
        (plan,) = read_plans(self.outline(*(f"{n}.推进第{n}项工作。" for n in range(1, 1201))))
        assert [t.number for t in plan.tasks][-2:] == ["1199", "1200"]

    @pytest.mark.parametrize("run", [" " * 20000, "，" * 20000, "1" * 20000])
    def test_a_line_of_one_character_repeated_is_one_task(self, run):
        (plan,) = read_plans(self.outline(f"1.推进{run}工作。"))
        assert len(plan.tasks) == 1

    def test_word_numbering_with_a_start_it_cannot_count_from_still_reads(self):
        document = docx.Document()
        document.add_paragraph("某某市教育局2025年工作要点")
        document.add_paragraph("一、重点工作")
        numbering = document.part.numbering_part.element
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        numbering.append(
            parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="x"/>'
                '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
            )
        )
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        for text in ("推进集团化办学。", "完善评价制度。"):
            paragraph = document.add_paragraph(text)
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
            )
        buffer = io.BytesIO()
        document.save(buffer)
        (plan,) = read_plans(buffer.getvalue())
        assert [(t.number, t.text) for t in plan.tasks] == [("1", "推进集团化办学。"), ("2", "完善评价制度。")]


class TestFramingChapters:
    def read(self, *lines: str):
        (plan,) = read_plans("\n".join(["某某市教育局2025年工作要点", *lines]).encode())
        return [t.text for t in plan.leaf_tasks]

    def test_a_framing_chapter_without_units_is_dropped_beside_chapters_that_name_them(self):
        texts = self.read(
            "一、总体要求",
            "1.坚持立德树人根本任务。",
            "二、重点任务",
            "1.推进集团化办学。（牵头单位：基教处）",
            "三、保障措施",
            "1.加强组织领导。",
        )
        assert texts == ["推进集团化办学。"]

    def test_in_a_plan_that_names_no_unit_every_chapter_keeps_its_items(self):
        texts = self.read(
            "一、深化改革", "1.推进集团化办学。", "二、强化保障措施", "1.加强经费保障。", "2.加强督查考核。"
        )
        assert texts == ["推进集团化办学。", "加强经费保障。", "加强督查考核。"]


def lying_docx(real_size: int = 50 * 1024 * 1024, declared: int = 1000) -> bytes:
    """A .docx whose document.xml declares `declared` bytes but inflates to `real_size`."""
    return hostile_files.lying_member_docx(inflated=real_size, declared=declared)


class TestArchivesThatLie:
    def test_a_member_inflating_past_its_declared_size_is_read_no_further(self):
        data = lying_docx()
        assert len(data) < 1024 * 1024  # 50 MB of spaces compress to about 50 KB
        with PeakMemory() as peak, pytest.raises(PlanFileError, match="损坏"):
            read_plans(data)
        assert peak.bytes < 20 * 1024 * 1024  # the 50 MB were never inflated

    def test_an_entity_declaration_after_padding_is_found(self):
        import zipfile

        source = io.BytesIO(read(TAIZHOU["docx"]))
        buffer = io.BytesIO()
        with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in original.infolist():
                content = original.read(item)
                if item.filename == "word/styles.xml":
                    content = content.replace(b"?>", b"?>" + b" " * 10_000 + b'<!DOCTYPE w [<!ENTITY a "x">]>', 1)
                archive.writestr(item, content)
        with pytest.raises(PlanFileError, match="实体"):
            read_plans(buffer.getvalue())
