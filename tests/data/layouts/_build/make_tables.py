"""Table layouts of the gallery (01–19): decomposition tables, 民生实事表, 督查进展表 as .docx/.xlsx.

`main(out_dir)` writes the .docx/.xlsx files (make_all.py calls it).  The .txt sources (17–19) and the
.expected.json files are kept as written files; `python make_tables.py --extras` rewrites them from the
same row data below, so a row's cell text and the clerk's reading of it stay side by side.

Every name here (安澜市, 青溪县, 桐川市, 凤岭县, 云杉县, 松源区 …) and every sentence is invented.
"""

from __future__ import annotations

import json
import pathlib
import sys
from dataclasses import dataclass, field

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

Cell = str | list[str]  # a list is one paragraph per item (Word) or one line per item (Excel)

Q = ("03-31", "06-30", "09-30", "12-31")


@dataclass
class Row:
    cells: list[Cell]
    tasks: list[dict] = field(default_factory=list)  # the leaf tasks a clerk reads from this row


@dataclass
class Doc:
    slug: str
    ext: str
    rule: str
    plan: dict | None  # expected plan without "tasks"
    rows: list  # Row or str (a section row)
    header: list[list[str]] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    args: dict | None = None
    error: str | None = None
    build: object = None  # custom builder (out_dir, doc) -> None

    def expected(self) -> dict:
        result: dict = {"rule": self.rule}
        if self.args:
            result["args"] = self.args
        if self.error:
            result["error"] = self.error
            return result
        plan = dict(self.plan)
        plan["tasks"] = [t for r in self.rows if isinstance(r, Row) for t in r.tasks]
        result["plans"] = [plan]
        return result


def task(number=None, text="", lead=None, co=None, **more) -> dict:
    t: dict = {}
    if number is not None:
        t["number"] = number
    t["text"] = text
    if lead is not None:
        t["lead"] = lead
    if co is not None:
        t["co"] = co
    t.update(more)
    return t


def d(year: int, md: str | None) -> str | None:
    return f"{year}-{md}" if md else None


# ---------------------------------------------------------------------------------------------- Word


def _font(run, size=None, bold=False):
    run.font.name = "仿宋_GB2312"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def new_document() -> Document:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    return document


def paragraph(document, text: str, *, center=False, bold=False, size=None, right=False):
    p = document.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(p.add_run(text), size=size, bold=bold)
    return p


def fill(cell, value: Cell, bold=False):
    items = value if isinstance(value, list) else [value]
    first = True
    for item in items:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if item:
            _font(p.add_run(item), bold=bold)


def add_row(table, values: list[Cell], bold=False):
    row = table.add_row()
    for cell, value in zip(row.cells, values):
        fill(cell, value, bold=bold)
    return row


def add_section_row(table, text: str):
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    fill(merged, text, bold=True)


def word_table(document, ncols: int):
    table = document.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    return table


def write_body(table, rows):
    for r in rows:
        if isinstance(r, str):
            add_section_row(table, r)
        else:
            add_row(table, r.cells)


def build_docx(out_dir: pathlib.Path, doc: Doc, table_builder=None):
    document = new_document()
    for line in doc.preamble:
        if line.startswith("#"):
            paragraph(document, line[1:], center=True, bold=True, size=16)
        elif line.startswith(">"):
            paragraph(document, line[1:], right=True)
        else:
            paragraph(document, line)
    ncols = len(doc.header[-1]) if doc.header else len(next(r for r in doc.rows if isinstance(r, Row)).cells)
    table = word_table(document, ncols)
    if table_builder:
        table_builder(table)
    else:
        for header_row in doc.header:
            add_row(table, header_row, bold=True)
    write_body(table, doc.rows)
    for line in doc.closing:
        if line.startswith(">"):
            paragraph(document, line[1:], right=True)
        else:
            paragraph(document, line)
    document.save(out_dir / f"{doc.slug}.docx")


# --------------------------------------------------------------------------------------------- Excel


def xlsx_value(value: Cell) -> str:
    return "\n".join(value) if isinstance(value, list) else value


def new_sheet(title: str):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    return workbook, sheet


def put(sheet, row: int, col: int, value, bold=False):
    cell = sheet.cell(row=row, column=col, value=value if value != "" else None)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if bold:
        cell.font = Font(bold=True)
    return cell


# ------------------------------------------------------------------------------------------ documents

DOCS: list[Doc] = []

# 01 ------------------------------------------------------------------------------------------------
Y = 2025
DOCS.append(
    Doc(
        slug="01-notice-header-words-deadlines",
        ext="docx",
        rule="印发通知加附件表：表头写作 编号 | 重点工作任务 | 主要责任单位 | 协同配合单位 | 完成时限；"
        "完成时限中 6月底前/三季度/年底前/全年/9月底前/3月底前 读作日期，持续推进 无期限；单元格内两段文字是同一项任务",
        plan={
            "title": "安澜市教育局2025年重点工作任务分解表",
            "bureau": "安澜市教育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        preamble=[
            "安教〔2025〕12号",
            "#安澜市教育局关于印发《安澜市教育局2025年重点工作任务分解表》的通知",
            "各县（市、区）教育局，市直各学校，局机关各科室、直属各单位：",
            "为抓好全年教育重点工作落实，经局党组会议研究，现将《安澜市教育局2025年重点工作任务分解表》印发给你们，"
            "请各主要责任单位细化工作措施，压实工作责任，每季度末将推进情况报局督查室。",
            ">安澜市教育局",
            ">2025年2月18日",
            "附件",
            "#安澜市教育局2025年重点工作任务分解表",
        ],
        header=[["编号", "重点工作任务", "主要责任单位", "协同配合单位", "完成时限"]],
        rows=[
            Row(
                ["1", "制定全市学前教育普及普惠巩固提升实施方案，新增公办幼儿园学位1200个。", "学前教育科", "计划财务科、发展规划科", "6月底前"],
                [task("1", "制定全市学前教育普及普惠巩固提升实施方案，新增公办幼儿园学位1200个。", ["学前教育科"], ["计划财务科", "发展规划科"], deadline=d(Y, "06-30"))],
            ),
            Row(
                ["2", "推进义务教育优质均衡发展，完成2个县（市、区）国家优质均衡县创建省级评估。", "基础教育科", "督导室 教研室", "三季度"],
                [task("2", "推进义务教育优质均衡发展，完成2个县（市、区）国家优质均衡县创建省级评估。", ["基础教育科"], ["督导室", "教研室"], deadline=d(Y, "09-30"))],
            ),
            Row(
                [
                    "3",
                    ["深化“双减”工作，规范校外培训机构管理。", "开展课后服务质量提升年活动，义务教育学校课后服务覆盖率保持100%。"],
                    "基础教育科",
                    "校外教育培训监管科",
                    "年底前",
                ],
                [
                    task(
                        "3",
                        "深化“双减”工作，规范校外培训机构管理。开展课后服务质量提升年活动，义务教育学校课后服务覆盖率保持100%。",
                        ["基础教育科"],
                        ["校外教育培训监管科"],
                        deadline=d(Y, "12-31"),
                    )
                ],
            ),
            Row(
                ["4", "实施中小学教师“强师工程”，组织市级骨干教师培训不少于800人次。", "教师工作科", "人事科，计划财务科", "全年"],
                [task("4", "实施中小学教师“强师工程”，组织市级骨干教师培训不少于800人次。", ["教师工作科"], ["人事科", "计划财务科"], deadline=d(Y, "12-31"))],
            ),
            Row(
                ["5", "推进职业院校专业结构调整，新增对接本地主导产业的专业点6个。", "职业与成人教育科", "发展规划科", "9月底前"],
                [task("5", "推进职业院校专业结构调整，新增对接本地主导产业的专业点6个。", ["职业与成人教育科"], ["发展规划科"], deadline=d(Y, "09-30"))],
            ),
            Row(
                ["6", "常态化开展校园安全隐患排查整治，健全校园安全风险防控体系。", "安全稳定科", ["办公室", "体卫艺科"], "持续推进"],
                [task("6", "常态化开展校园安全隐患排查整治，健全校园安全风险防控体系。", ["安全稳定科"], ["办公室", "体卫艺科"], deadline=None)],
            ),
            Row(
                ["7", "完成全市教育事业统计和年度教育经费执行情况统计公告编制。", "发展规划科", "计划财务科", "3月底前"],
                [task("7", "完成全市教育事业统计和年度教育经费执行情况统计公告编制。", ["发展规划科"], ["计划财务科"], deadline=d(Y, "03-31"))],
            ),
        ],
    )
)


# 02 ------------------------------------------------------------------------------------------------
def _two_header_rows(table):
    top = add_row(table, ["序号", "目标任务", "责任单位", "", "完成时限"], bold=True)
    second = add_row(table, ["", "", "牵头责任单位", "协办单位", ""], bold=True)
    for col in (0, 1, 4):
        top.cells[col].merge(second.cells[col])
    top.cells[2].merge(top.cells[3])


DOCS.append(
    Doc(
        slug="02-two-header-rows-lead-and-assist",
        ext="docx",
        rule="两行表头：第一行“责任单位”横跨两列，第二行分为 牵头责任单位 | 协办单位；目标任务 为任务列；序号、目标任务、完成时限纵向合并",
        plan={
            "title": "青溪县教育体育局2025年教育重点工作目标任务分解表",
            "bureau": "青溪县教育体育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        preamble=[
            "#青溪县教育体育局2025年教育重点工作目标任务分解表",
            "根据县委、县政府年度工作部署，结合全县教育体育工作实际，现将2025年重点工作目标任务分解如下，请各股室、各学校对照落实。",
        ],
        header=[["序号", "目标任务", "牵头责任单位", "协办单位", "完成时限"]],
        rows=[
            Row(
                ["1", "新建青溪县第三幼儿园，秋季学期投入使用，新增学位360个。", "计财股", "学前教育股、安全股", "8月底前"],
                [task("1", "新建青溪县第三幼儿园，秋季学期投入使用，新增学位360个。", ["计财股"], ["学前教育股", "安全股"], deadline=d(Y, "08-31"))],
            ),
            Row(
                ["2", "完成县城第二小学综合楼改扩建工程主体建设。", "计财股", "基础教育股", "年底前"],
                [task("2", "完成县城第二小学综合楼改扩建工程主体建设。", ["计财股"], ["基础教育股"], deadline=d(Y, "12-31"))],
            ),
            Row(
                ["3", "开展乡村学校少年宫提质行动，建成示范性少年宫5所。", "体卫艺股", "基础教育股", "三季度"],
                [task("3", "开展乡村学校少年宫提质行动，建成示范性少年宫5所。", ["体卫艺股"], ["基础教育股"], deadline=d(Y, "09-30"))],
            ),
            Row(
                ["4", "组织全县中小学生田径运动会和校园足球联赛。", "体卫艺股", "县青少年业余体育学校", "11月底前"],
                [task("4", "组织全县中小学生田径运动会和校园足球联赛。", ["体卫艺股"], ["县青少年业余体育学校"], deadline=d(Y, "11-30"))],
            ),
            Row(
                ["5", "落实年度教师招聘计划，补充紧缺学科教师40名。", "人事股", "计财股，县人力资源和社会保障局", "7月底前"],
                [task("5", "落实年度教师招聘计划，补充紧缺学科教师40名。", ["人事股"], ["计财股", "县人力资源和社会保障局"], deadline=d(Y, "07-31"))],
            ),
            Row(
                ["6", "推进普通高中多样化特色发展，启动青溪一中科技特色高中创建。", "基础教育股", "教研室", "全年"],
                [task("6", "推进普通高中多样化特色发展，启动青溪一中科技特色高中创建。", ["基础教育股"], ["教研室"], deadline=d(Y, "12-31"))],
            ),
        ],
    )
)
DOCS[-1].build = lambda out, doc: build_docx(out, doc, _two_header_rows)


# 03 ------------------------------------------------------------------------------------------------
def _quarter_header(top_names, quarters_label="时间节点"):
    def builder(table):
        n = len(top_names)
        top = add_row(table, list(top_names) + [quarters_label, "", "", ""], bold=True)
        second = add_row(table, [""] * n + ["一季度", "二季度", "三季度", "四季度"], bold=True)
        for col in range(n):
            top.cells[col].merge(second.cells[col])
        top.cells[n].merge(top.cells[n + 3])

    return builder


def quarter_row(year, number, text, lead, quarters):
    milestones = [[q, f"{year}-{Q[i]}"] for i, q in enumerate(quarters) if q.strip() not in ("", "/", "—")]
    return Row([number, text, lead, *quarters], [task(number, text, [lead], [], milestones=milestones)])


Y26 = 2026
DOCS.append(
    Doc(
        slug="03-quarter-milestones",
        ext="docx",
        rule="两行表头：序号 | 重点任务 | 牵头单位 | 时间节点（横跨四列），第二行 一季度…四季度；季度单元格读作节点（计划年度的季末日期），空白、“/”、“—”不成节点",
        plan={
            "title": "桐川市教育局2026年重点任务季度推进计划",
            "bureau": "桐川市教育局",
            "year": Y26,
            "sections": [],
            "ignored_columns": [],
        },
        preamble=[
            "#桐川市教育局2026年重点任务季度推进计划",
            "各牵头单位要按照时间节点倒排工期，每季度最后一周向局办公室报送完成情况。",
        ],
        header=[["序号", "重点任务", "牵头单位", "一季度", "二季度", "三季度", "四季度"]],
        rows=[
            quarter_row(Y26, "1", "实施城区学校扩容工程，新增中小学学位2000个。", "发展规划科", ["完成项目选址和立项", "完成施工招标", "主体工程封顶", "竣工验收并投入使用"]),
            quarter_row(Y26, "2", "开展中小学校长职级制改革试点。", "人事科", ["制定试点方案", "/", "完成首批职级评审", "总结评估试点成效"]),
            quarter_row(Y26, "3", "推进智慧校园建设，完成60所学校智慧教室改造。", "电化教育馆", ["—", "完成设备采购", "完成40所学校改造", "全部完成并组织验收"]),
            quarter_row(Y26, "4", "组织全市初中学业水平考试和普通高中招生录取。", "招生考试中心", ["发布年度招生政策", "组织考试和录取", "", ""]),
            quarter_row(Y26, "5", "深化新时代学校思政课建设，开展思政课教学展评活动。", "德育科", ["", "组织县（市、区）初赛", "举办全市展评", "/"]),
            quarter_row(Y26, "6", "开展学生体质健康监测，优良率提高2个百分点。", "体卫艺科", ["制定监测方案", "—", "完成抽样监测", "发布监测报告"]),
        ],
    )
)
DOCS[-1].build = lambda out, doc: build_docx(out, doc, _quarter_header(["序号", "重点任务", "牵头单位"]))


# 04 ------------------------------------------------------------------------------------------------
DOCS.append(
    Doc(
        slug="04-merged-section-rows",
        ext="docx",
        rule="横跨整行的合并单元格“一、…”是章节行，其下各行任务归入该章节；表头 牵头组织实施单位 | 协同配合单位 | 时间节点",
        plan={
            "title": "凤岭县教育局2025年重点工作任务清单",
            "bureau": "凤岭县教育局",
            "year": Y,
            "sections": ["一、学前教育和义务教育", "二、职业教育和终身教育", "三、教育保障"],
            "ignored_columns": [],
        },
        preamble=[
            "#凤岭县教育局2025年重点工作任务清单",
            "本清单所列任务纳入年度目标管理考核，由局督导室按月跟踪督办。",
        ],
        header=[["序号", "工作内容", "牵头组织实施单位", "协同配合单位", "时间节点"]],
        rows=[
            "一、学前教育和义务教育",
            Row(
                ["1", "新增普惠性民办幼儿园4所，普惠性幼儿园覆盖率达到92%以上。", "学前教育股", "计财股", "年底前"],
                [task("1", "新增普惠性民办幼儿园4所，普惠性幼儿园覆盖率达到92%以上。", ["学前教育股"], ["计财股"], deadline=d(Y, "12-31"))],
            ),
            Row(
                ["2", "推进城乡学校共同体建设，实现乡村小规模学校结对帮扶全覆盖。", "基础教育股", "教研室", "6月底前"],
                [task("2", "推进城乡学校共同体建设，实现乡村小规模学校结对帮扶全覆盖。", ["基础教育股"], ["教研室"], deadline=d(Y, "06-30"))],
            ),
            Row(
                ["3", "做好适龄残疾儿童少年入学安置，义务教育阶段入学率保持在97%以上。", "基础教育股", "县特殊教育学校", "9月底前"],
                [task("3", "做好适龄残疾儿童少年入学安置，义务教育阶段入学率保持在97%以上。", ["基础教育股"], ["县特殊教育学校"], deadline=d(Y, "09-30"))],
            ),
            "二、职业教育和终身教育",
            Row(
                ["4", "支持县职业中学创建省级高水平中职学校。", "职成教股", "计财股、人事股", "全年"],
                [task("4", "支持县职业中学创建省级高水平中职学校。", ["职成教股"], ["计财股", "人事股"], deadline=d(Y, "12-31"))],
            ),
            Row(
                ["5", "开展全民终身学习活动周，建设社区学习点10个。", "职成教股", "县社区学院", "11月底前"],
                [task("5", "开展全民终身学习活动周，建设社区学习点10个。", ["职成教股"], ["县社区学院"], deadline=d(Y, "11-30"))],
            ),
            "三、教育保障",
            Row(
                ["6", "落实义务教育教师平均工资收入水平不低于当地公务员平均工资收入水平。", "计财股", "人事股", "年底前"],
                [task("6", "落实义务教育教师平均工资收入水平不低于当地公务员平均工资收入水平。", ["计财股"], ["人事股"], deadline=d(Y, "12-31"))],
            ),
            Row(
                ["7", "完成学校安全防范设施“三个100%”达标复查。", "安全股", "后勤服务中心", "三季度"],
                [task("7", "完成学校安全防范设施“三个100%”达标复查。", ["安全股"], ["后勤服务中心"], deadline=d(Y, "09-30"))],
            ),
        ],
    )
)


# 05 ------------------------------------------------------------------------------------------------
def numbered(prefix_number, sep, text, lead, co, deadline_cell, deadline_md, lead_cell=None, co_cell=None):
    return Row(
        [f"{prefix_number}{sep}{text}", lead_cell if lead_cell is not None else "、".join(lead), co_cell if co_cell is not None else "、".join(co), deadline_cell],
        [task(prefix_number, text, lead, co, deadline=d(Y, deadline_md))],
    )


DOCS.append(
    Doc(
        slug="05-number-inside-text-cell",
        ext="docx",
        rule="没有序号列，编号写在任务单元格开头（“1.”“2．”“3、”“10.”）：number 取该编号，text 不含编号；牵头单位 | 责任单位 两列时牵头为 lead、责任为 co",
        plan={
            "title": "松源区教育局2025年民办教育和校外培训治理工作任务分解表",
            "bureau": "松源区教育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        preamble=["#松源区教育局2025年民办教育和校外培训治理工作任务分解表"],
        header=[["工作内容", "牵头单位", "责任单位", "完成时限"]],
        rows=[
            numbered("1", ".", "开展民办学校年度检查，及时向社会公布检查结果。", ["民办教育科"], ["督导室", "计划财务科"], "5月底前", "05-31"),
            numbered("2", "．", "完成全区民办学校章程修订核准工作。", ["民办教育科"], ["政策法规科"], "6月底前", "06-30"),
            numbered("3", "、", "建立校外培训机构“黑白名单”制度，每季度动态更新。", ["校外教育培训监管科"], ["区市场监督管理局"], "持续推进", None),
            numbered("4", ".", "推进校外培训预收费资金监管全覆盖。", ["校外教育培训监管科"], ["区财政局", "区金融工作中心"], "9月底前", "09-30", co_cell="区财政局区金融工作中心"),
            numbered("5", ".", "开展暑期校外培训专项治理行动。", ["校外教育培训监管科"], ["区文化市场综合执法大队"], "8月底前", "08-31"),
            numbered("6", ".", "组织民办学校举办者和校长专题培训。", ["民办教育科"], ["教师发展中心"], "10月底前", "10-31"),
            numbered("7", ".", "完成民办幼儿园收费备案审核。", ["学前教育科"], ["区发展和改革局"], "三季度", "09-30"),
            numbered("8", ".", "规范民办义务教育学校招生，全部纳入全区统一招生平台。", ["基础教育科"], ["民办教育科"], "7月底前", "07-31"),
            numbered("9", ".", "开展非学科类校外培训机构设置标准宣传解读。", ["校外教育培训监管科"], ["区体育局", "区文化和旅游局"], "4月底前", "04-30"),
            numbered("10", ".", "对民办学校财务管理情况开展专项审计。", ["计划财务科"], ["民办教育科", "审计室"], "年底前", "12-31", co_cell="民办教育科，审计室"),
        ],
    )
)


# 06 ------------------------------------------------------------------------------------------------
def bullet_row(number, items: list[tuple[str, str]] | str, lead, co, deadline_cell, deadline_md, leader, co_cell=None):
    """items: a plain text, or (bullet, text) pairs written one paragraph each."""
    co_text = co_cell if co_cell is not None else "、".join(co)
    common = dict(lead=lead, co=co, leader=leader, deadline=d(Y, deadline_md))
    if isinstance(items, str):
        return Row([number, items, "、".join(lead), co_text, deadline_cell, leader], [task(number, items, **common)])
    return Row(
        [number, [b + t for b, t in items], "、".join(lead), co_text, deadline_cell, leader],
        [task(None, t, **common) for _, t in items],
    )


DOCS.append(
    Doc(
        slug="06-bullets-in-one-cell",
        ext="docx",
        rule="一个单元格里用 △ / ● / ①②③ / 1）2） 分条写多项工作：每条是一个叶任务（不含符号），继承该行的牵头、配合单位、完成时限和责任领导",
        plan={
            "title": "安澜市教育局2025年教育数字化和教学研究工作任务分解表",
            "bureau": "安澜市教育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        preamble=[
            "#安澜市教育局2025年教育数字化和教学研究工作任务分解表",
            "各牵头单位为第一责任单位，配合单位要主动对接、协同推进。",
        ],
        header=[["序号", "重点工作", "牵头单位", "配合单位", "完成时限", "责任领导"]],
        rows=[
            bullet_row("1", "建成市级智慧教育平台二期，实现全市中小学全部接入。", ["电化教育馆"], ["计划财务科"], "9月底前", "09-30", "陈志远"),
            bullet_row(
                "2",
                [
                    ("△", "开展国家中小学智慧教育平台应用示范校创建，认定示范校20所。"),
                    ("△", "组织全市教师数字素养专题培训，参训教师不少于3000人。"),
                    ("△", "遴选推广数字化教学优秀案例50个。"),
                ],
                ["电化教育馆"],
                ["教师工作科"],
                "11月底前",
                "11-30",
                "陈志远",
            ),
            bullet_row(
                "3",
                [("●", "修订初中各学科教学指导意见。"), ("●", "举办全市中小学青年教师优质课评比。")],
                ["教研室"],
                ["基础教育科"],
                "年底前",
                "12-31",
                "分管副局长",
            ),
            bullet_row(
                "4",
                [
                    ("①", "完成普通高中学业水平合格性考试组织工作；"),
                    ("②", "做好初中学业水平考试命题和阅卷质量分析；"),
                    ("③", "发布年度义务教育学业质量监测报告。"),
                ],
                ["教研室"],
                ["招生考试中心", "督导室"],
                "三季度",
                "09-30",
                "刘慧敏",
            ),
            bullet_row(
                "5",
                [("1）", "推进县域教研共同体建设，建立学科教研基地15个。"), ("2）", "开展送教下乡活动不少于40场次。")],
                ["教研室"],
                ["各县（市、区）教育局"],
                "全年",
                "12-31",
                "刘慧敏",
            ),
            bullet_row("6", "开展中小学教育装备配备达标评估。", ["教育装备中心"], ["计划财务科"], "10月底前", "10-31", "陈志远"),
        ],
    )
)


# 07 ------------------------------------------------------------------------------------------------
def gov_row(number, text, leader, lead, co, co_cell):
    return Row([number, text, leader, "、".join(lead), co_cell], [task(number, text, lead, co, leader=leader)])


DOCS.append(
    Doc(
        slug="07-government-units-and-leaders",
        ext="docx",
        rule="市政府办公室印发的分解表：全政府单位名（市委组织部、市人力资源和社会保障局、市科技和信息化局、市发展和改革委员会、各县（市、区）政府、市财政局、团市委）"
        "以 、 ， 空格 换行 或直接连写（市财政局市人力社保局）分隔，括号内的顿号不拆分；责任领导 列是 leader；牵头责任单位 为 lead、责任单位 为 co；合并的章节行",
        args={"bureau": "安澜市教育局", "year": Y},
        plan={
            "title": "安澜市2025年教育领域重点工作目标任务分解表",
            "kind": "decomposition",
            "year": Y,
            "sections": ["一、教育文化", "二、民生保障"],
            "ignored_columns": [],
        },
        preamble=[
            "安政办〔2025〕8号",
            "#安澜市人民政府办公室关于印发《安澜市2025年教育领域重点工作目标任务分解表》的通知",
            "各县（市、区）人民政府，市政府各部门、各直属机构：",
            "《安澜市2025年教育领域重点工作目标任务分解表》已经市政府同意，现印发给你们，请认真抓好落实。"
            "各牵头责任单位要会同责任单位制定推进计划，市政府督查室将于年中、年末开展专项督查。",
            ">安澜市人民政府办公室",
            ">2025年3月10日",
        ],
        header=[["序号", "目标与任务", "责任领导", "牵头责任单位", "责任单位"]],
        rows=[
            "一、教育文化",
            gov_row("1", "完善中小学教职工编制动态调整机制，深化“县管校聘”管理改革。", "王立群", ["市教育局"], ["市委组织部", "市人力资源和社会保障局"], "市委组织部、市人力资源和社会保障局"),
            gov_row("2", "落实教育经费“两个只增不减”要求，保障义务教育学校生均公用经费按时足额拨付。", "王立群", ["市财政局"], ["市教育局", "各县（市、区）政府"], "市教育局，各县（市、区）政府"),
            gov_row("3", "实施教育人才引进计划，引进高层次教育人才30名以上。", "分管副市长", ["市教育局"], ["市财政局", "市人力社保局"], "市财政局市人力社保局"),
            gov_row("4", "推进中小学人工智能教育普及，建设人工智能教育实验室50个。", "赵明川", ["市教育局"], ["市科技和信息化局", "市发展和改革委员会"], "市科技和信息化局 市发展和改革委员会"),
            "二、民生保障",
            gov_row(
                "5",
                "新建、改扩建中小学校和幼儿园12所，新增学位8000个。",
                "王立群",
                ["市教育局"],
                ["市发展和改革委员会", "市自然资源和规划局", "各县（市、区）政府"],
                "市发展和改革委员会、市自然资源和规划局、各县（市、区）政府",
            ),
            gov_row("6", "开展青少年心理健康关爱行动，健全学生心理健康筛查和干预机制。", "赵明川", ["市教育局"], ["市卫生健康委员会", "团市委"], ["市卫生健康委员会", "团市委"]),
            gov_row("7", "开展“希望工程·圆梦行动”助学活动，资助困难家庭学生1000名以上。", "分管副市长", ["团市委"], ["市教育局", "市民政局"], "市教育局、市民政局"),
            gov_row("8", "落实家庭经济困难学生资助政策，做到应助尽助。", "赵明川", ["市教育局"], ["市财政局", "市民政局", "市乡村振兴局"], "市财政局，市民政局，市乡村振兴局"),
        ],
    )
)


# 08 ------------------------------------------------------------------------------------------------
def row5(number, text, lead, co, deadline_cell, deadline_md, lead_cell=None, co_cell=None, **more):
    return Row(
        [number, text, lead_cell if lead_cell is not None else "、".join(lead), co_cell if co_cell is not None else "、".join(co), deadline_cell],
        [task(number, text, lead, co, deadline=d(Y, deadline_md), **more)],
    )


DOCS.append(
    Doc(
        slug="08-two-leads-stacked",
        ext="docx",
        rule="牵头单位单元格里上下两段写两个单位：两个牵头单位；配合单位里的换行、连写（办公室教研室）同样分开；时间节点 列给期限",
        plan={
            "title": "云杉县教育局2025年教育督导重点工作任务分解表",
            "bureau": "云杉县教育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        preamble=["#云杉县教育局2025年教育督导重点工作任务分解表"],
        header=[["序号", "重点工作任务", "牵头单位", "配合单位", "时间节点"]],
        rows=[
            row5("1", "迎接省级县域义务教育优质均衡发展督导评估。", ["教育督导室", "基础教育股"], ["计财股", "人事股"], "三季度", "09-30", lead_cell=["教育督导室", "基础教育股"]),
            row5("2", "开展中小学校责任督学挂牌督导，实现每月督导全覆盖。", ["教育督导室"], ["各中小学校"], "全年", "12-31"),
            row5("3", "组织幼儿园办园行为督导评估。", ["学前教育股", "教育督导室"], ["计财股", "安全股"], "6月底前", "06-30", lead_cell=["学前教育股", "教育督导室"], co_cell=["计财股", "安全股"]),
            row5("4", "开展学校体育、美育和劳动教育专项督导。", ["教育督导室"], ["体卫艺股"], "10月底前", "10-31"),
            row5("5", "完成乡镇中心学校校长任期结束督导评估。", ["人事股", "教育督导室"], ["办公室"], "年底前", "12-31", lead_cell=["人事股", "教育督导室"]),
            row5("6", "建立督导问题整改台账，实行销号管理。", ["教育督导室"], ["办公室", "教研室"], "持续推进", None, co_cell="办公室教研室"),
        ],
    )
)


# 09 ------------------------------------------------------------------------------------------------
def row6(number, text, lead, co, deadline_cell, deadline_md, extra, lead_cell=None, co_cell=None):
    return Row(
        [number, text, lead_cell if lead_cell is not None else "、".join(lead), co_cell if co_cell is not None else "、".join(co), deadline_cell, extra],
        [task(number, text, lead, co, deadline=d(Y, deadline_md))],
    )


DOCS.append(
    Doc(
        slug="09-responsible-and-cooperating",
        ext="docx",
        rule="没有牵头列，表头 责任单位 | 配合单位：责任单位为 lead，配合单位为 co；写有电话的“备注”列不识别，列入 ignored_columns；县委教育工委 是单位名",
        plan={
            "title": "青溪县教育体育局2025年教育民生工程推进清单",
            "bureau": "青溪县教育体育局",
            "year": Y,
            "sections": [],
            "ignored_columns": ["备注"],
        },
        preamble=["#青溪县教育体育局2025年教育民生工程推进清单"],
        header=[["序号", "工作任务", "责任单位", "配合单位", "完成时限", "备注"]],
        rows=[
            row6("1", "完成县实验小学风雨操场建设并投入使用。", ["计财股"], ["体卫艺股", "县实验小学"], "9月底前", "09-30", "联系电话：0797-6812301"),
            row6("2", "实施农村义务教育学生营养改善计划，保障学生餐食品安全。", ["后勤服务中心"], ["安全股", "县市场监督管理局"], "全年", "12-31", "咨询电话：6812347", co_cell="安全股，县市场监督管理局"),
            row6("3", "推进学校食堂“明厨亮灶”建设全覆盖。", ["后勤服务中心"], ["县市场监督管理局"], "6月底前", "06-30", ""),
            row6("4", "开展教师师德师风专项整治行动。", ["人事股"], ["县委教育工委", "办公室"], "年底前", "12-31", "", co_cell="县委教育工委 办公室"),
            row6("5", "为农村学校配齐心理健康教育专兼职教师。", ["人事股"], ["基础教育股"], "8月底前", "08-31", "电话：6812350"),
            row6("6", "完成校车安全隐患专项排查整治。", ["安全股"], ["县公安局交通管理大队"], "3月底前", "03-31", "监督电话：6812399"),
        ],
    )
)


# 10 ------------------------------------------------------------------------------------------------
def row_only_responsible(number, text, co, deadline_cell, deadline_md, person, phone, co_cell=None):
    return Row(
        [number, text, co_cell if co_cell is not None else "、".join(co), deadline_cell, person, phone],
        [task(number, text, [], co, deadline=d(Y, deadline_md))],
    )


DOCS.append(
    Doc(
        slug="10-only-responsible-column",
        ext="docx",
        rule="只有一列“责任单位”、没有牵头或配合列：其中所有单位都是 co，lead 为空；“联系人”“监督电话”列不识别，列入 ignored_columns",
        plan={
            "title": "桐川市教育局2025年教育系统为民办实事项目清单",
            "bureau": "桐川市教育局",
            "year": Y,
            "sections": [],
            "ignored_columns": ["联系人", "监督电话"],
        },
        preamble=[
            "#桐川市教育局2025年教育系统为民办实事项目清单",
            "欢迎社会各界对项目推进情况进行监督。",
        ],
        header=[["序号", "主要任务", "责任单位", "完成时限", "联系人", "监督电话"]],
        rows=[
            row_only_responsible("1", "改造提升农村学校厕所20座。", ["后勤保障科", "计划财务科"], "8月底前", "08-31", "周海", "0759-2236101"),
            row_only_responsible("2", "完成中小学教室照明达标改造300间。", ["教育装备中心"], "9月底前", "09-30", "林晓", "0759-2236115"),
            row_only_responsible("3", "开设“家长学校”线上课程，全年推送家庭教育指导课程24期。", ["德育科", "关工委办公室"], "全年", "12-31", "郑雨", "0759-2236120", co_cell="德育科 关工委办公室"),
            row_only_responsible("4", "开展义务教育阶段学生近视防控，每学期组织视力筛查一次。", ["体卫艺科", "市疾病预防控制中心"], "11月底前", "11-30", "郑雨", "0759-2236120", co_cell="体卫艺科，市疾病预防控制中心"),
            row_only_responsible("5", "按时足额发放家庭经济困难学生资助资金。", ["学生资助管理中心"], "年底前", "12-31", "何平", "0759-2236133"),
            row_only_responsible("6", "开通“招生入学一网通办”服务，实现新生入学线上报名。", ["基础教育科", "电化教育馆"], "6月底前", "06-30", "林晓", "0759-2236115", co_cell=["基础教育科", "电化教育馆"]),
        ],
    )
)


# 11 ------------------------------------------------------------------------------------------------
def livelihood(number, name, target, lead, leader, progress):
    return Row(
        [number, name, target, lead, leader, progress],
        [task(number, name, [lead], [], leader=leader, target_text=target, progress_text=progress)],
    )


DOCS.append(
    Doc(
        slug="11-livelihood-target-and-progress",
        ext="docx",
        rule="民生实事表：民生事项名称 为任务列，年度任务目标 为 target_text，推进情况 为 progress_text，责任领导 为 leader（人名或职务）",
        plan={
            "title": "安澜市教育局2025年教育民生实事项目推进情况表",
            "bureau": "安澜市教育局",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        preamble=[
            "#安澜市教育局2025年教育民生实事项目推进情况表",
            "（截至2025年6月30日）",
        ],
        header=[["编号", "民生事项名称", "年度任务目标", "牵头单位", "责任领导", "推进情况"]],
        rows=[
            livelihood("1", "城区中小学学位扩容", "新建、改扩建学校6所，新增学位5400个。", "发展规划科", "分管副局长", "已完成4所学校主体工程建设，其余2所正在进行基础施工。"),
            livelihood("2", "普惠托育服务拓展", "支持20所幼儿园开设托班，新增托位600个。", "学前教育科", "李婉清", "已有12所幼儿园完成托班开设申报。"),
            livelihood("3", "中小学生午间休息服务", "义务教育学校午休服务覆盖率达到90%。", "基础教育科", "李婉清", "已出台午休服务指导意见，覆盖率达到76%。"),
            livelihood("4", "学生心理健康护航", "每所中小学至少配备1名专职心理健康教育教师。", "体卫艺科", "分管副局长", "专职心理健康教育教师招聘公告已发布。"),
            livelihood("5", "校园周边交通安全整治", "完成50所学校周边护学岗和接送区设置。", "安全稳定科", "王建国", "已完成31所学校接送区施划。"),
        ],
    )
)


# 12 ------------------------------------------------------------------------------------------------
def progress_row(number, text, leader, lead, co, schedule, progress, co_cell=None):
    return Row(
        [number, text, leader, "、".join(lead), co_cell if co_cell is not None else "、".join(co), schedule, progress],
        [task(number, text, lead, co, leader=leader, progress_text=progress)],
    )


DOCS.append(
    Doc(
        slug="12-progress-report-leader-columns",
        ext="docx",
        rule="督查进展表：分管领导 列是 leader（人名或“分管副局长”），牵头单位 为 lead，责任处室（科室） 为 co，推进情况 为 progress_text；进度安排 一列写多个步骤",
        plan={
            "title": "凤岭县教育局2025年重点工作督查进展表（二季度）",
            "bureau": "凤岭县教育局",
            "year": Y,
            "sections": [],
        },
        preamble=[
            "#凤岭县教育局2025年重点工作督查进展表（二季度）",
            "填报说明：推进情况请写明已完成的具体工作量，不写计划性表述。",
        ],
        header=[["序号", "工作内容", "分管领导", "牵头单位", "责任处室（科室）", "进度安排", "推进情况"]],
        rows=[
            progress_row("1", "实施县城区幼儿园扩容工程，新增学位450个。", "杨帆", ["学前教育股"], ["计财股"], "6月底前完成主体施工，8月底前投入使用", "主体工程已完成80%。"),
            progress_row(
                "2",
                "开展义务教育课程实施规范化管理专项检查。",
                "杨帆",
                ["基础教育股"],
                ["教研室", "教育督导室"],
                "4月完成学校自查，5月开展抽查",
                "全部学校已完成自查，抽查覆盖28所学校。",
            ),
            progress_row("3", "组织新任教师岗前培训。", "分管副局长", ["人事股"], ["县教师进修学校"], "8月下旬集中培训", "培训方案已制定，授课专家已落实。"),
            progress_row(
                "4",
                "推进校园安全标准化建设。",
                "周晓东",
                ["安全股"],
                ["后勤服务中心", "各中小学校"],
                "全年推进，年底前完成验收",
                "已完成15所学校标准化建设自评。",
                co_cell="后勤服务中心 各中小学校",
            ),
            progress_row(
                "5",
                "开展家校社协同育人“教联体”建设试点。",
                "周晓东",
                ["基础教育股"],
                ["德育股", "县妇联"],
                "9月底前确定试点学校",
                "已遴选试点学校4所，正在制定实施方案。",
                co_cell=["德育股", "县妇联"],
            ),
        ],
    )
)


# 13 ------------------------------------------------------------------------------------------------
DOCS.append(
    Doc(
        slug="13-refused-no-task-column",
        ext="docx",
        rule="表格只有 序号 | 监督电话 | 联系人，没有任务内容列：拒绝导入",
        plan=None,
        error="表头中没有找到任务内容列",
        preamble=[
            "#安澜市教育局2025年行风建设监督联系表",
            "群众可通过以下电话反映教育系统行风问题。",
        ],
        header=[["序号", "监督电话", "联系人"]],
        rows=[
            Row(["1", "0791-8820101", "局办公室 周明"]),
            Row(["2", "0791-8820115", "督导室 孙莉"]),
            Row(["3", "0791-8820123", "纪检监察室 韩刚"]),
        ],
    )
)


# 14 xlsx: merged title rows above the header ----------------------------------------------------------
def xrow(number, text, lead, co, deadline_cell, deadline_md, leader, lead_cell=None, co_cell=None):
    return Row(
        [number, text, lead_cell if lead_cell is not None else "、".join(lead), co_cell if co_cell is not None else "、".join(co), deadline_cell, leader],
        [task(number, text, lead, co, deadline=d(Y, deadline_md), leader=leader)],
    )


def build_xlsx_title_rows(out_dir, doc):
    workbook, sheet = new_sheet("任务分解")
    put(sheet, 1, 1, "青溪县教育体育局2025年教育重点工作任务分解表", bold=True)
    sheet.merge_cells("A1:F1")
    put(sheet, 2, 1, "青溪县教育体育局办公室                    2025年3月12日印发")
    sheet.merge_cells("A2:F2")
    for col, name in enumerate(doc.header[0], 1):
        put(sheet, 3, col, name, bold=True)
    for r, row in enumerate(doc.rows, 4):
        for col, value in enumerate(row.cells, 1):
            put(sheet, r, col, xlsx_value(value))
    for letter, width in zip("ABCDEF", (6, 48, 14, 20, 12, 10)):
        sheet.column_dimensions[letter].width = width
    workbook.save(out_dir / f"{doc.slug}.xlsx")


DOCS.append(
    Doc(
        slug="14-xlsx-merged-title-rows",
        ext="xlsx",
        rule="Excel：表头上方有两行横向合并的标题行（标题、印发单位和日期）；表头 序号 | 工作内容 | 牵头单位 | 协办单位 | 完成时限 | 分管领导；单元格内换行分隔单位",
        plan={
            "title": "青溪县教育体育局2025年教育重点工作任务分解表",
            "bureau": "青溪县教育体育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        header=[["序号", "工作内容", "牵头单位", "协办单位", "完成时限", "分管领导"]],
        rows=[
            xrow("1", "推进学前教育普及普惠县创建，迎接省级评估认定。", ["学前教育股"], ["计财股", "教育督导室"], "10月底前", "10-31", "刘志强"),
            xrow("2", "完成县第四中学学生宿舍楼建设。", ["计财股"], ["安全股"], "年底前", "12-31", "刘志强"),
            xrow("3", "开展中小学“书香校园”阅读推广活动。", ["基础教育股"], ["教研室", "县图书馆"], "全年", "12-31", "分管副局长", co_cell="教研室，县图书馆"),
            xrow("4", "实施乡村教师支持计划，按时发放乡村教师生活补助。", ["人事股"], ["计财股"], "6月底前", "06-30", "陈红"),
            xrow("5", "推进青少年校园足球特色学校建设，新增特色学校3所。", ["体卫艺股"], ["基础教育股"], "三季度", "09-30", "陈红"),
            xrow("6", "完善教育系统安全生产责任体系，组织开展应急疏散演练。", ["安全股"], ["办公室", "后勤服务中心"], "持续推进", None, "刘志强", co_cell=["办公室", "后勤服务中心"]),
        ],
    )
)
DOCS[-1].build = build_xlsx_title_rows


# 15 xlsx: two header rows with merged cells (quarters) --------------------------------------------------
def build_xlsx_quarters(out_dir, doc):
    workbook, sheet = new_sheet("季度节点")
    put(sheet, 1, 1, "安澜市教育局2025年重点任务季度推进计划表", bold=True)
    sheet.merge_cells("A1:G1")
    for col, name in enumerate(["序号", "重点任务", "牵头单位", "时间节点"], 1):
        put(sheet, 2, col, name, bold=True)
    for col, name in enumerate(["一季度", "二季度", "三季度", "四季度"], 4):
        put(sheet, 3, col, name, bold=True)
    for letter in "ABC":
        sheet.merge_cells(f"{letter}2:{letter}3")
    sheet.merge_cells("D2:G2")
    for r, row in enumerate(doc.rows, 4):
        for col, value in enumerate(row.cells, 1):
            put(sheet, r, col, xlsx_value(value))
    for letter, width in zip("ABCDEFG", (6, 40, 14, 16, 16, 16, 16)):
        sheet.column_dimensions[letter].width = width
    workbook.save(out_dir / f"{doc.slug}.xlsx")


DOCS.append(
    Doc(
        slug="15-xlsx-quarter-header-rows",
        ext="xlsx",
        rule="Excel 两行表头（合并单元格）：序号、重点任务、牵头单位纵向合并，时间节点横跨四列，下一行 一季度…四季度；季度单元格为节点，空白、“/”、“—”不成节点",
        plan={
            "title": "安澜市教育局2025年重点任务季度推进计划表",
            "bureau": "安澜市教育局",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        rows=[
            quarter_row(Y, "1", "编制教育强市建设规划。", "发展规划科", ["完成专题调研", "形成规划初稿", "征求意见并修改完善", "印发实施"]),
            quarter_row(Y, "2", "推进中小学教师职称评审改革。", "人事科", ["/", "制定评审办法", "组织开展评审", "公布评审结果"]),
            quarter_row(Y, "3", "开展义务教育学校办学质量评价。", "督导室", ["制定评价指标", "组织学校自评", "开展实地评价", "—"]),
            quarter_row(Y, "4", "实施校园餐管理提升行动。", "后勤服务中心", ["开展食堂专项检查", "", "推进食材统一配送", "评估总结"]),
            quarter_row(Y, "5", "推进高中阶段学校招生制度改革。", "招生考试中心", ["—", "发布招生方案", "完成招生录取", "/"]),
        ],
    )
)
DOCS[-1].build = build_xlsx_quarters


# 16 xlsx: a 类别 column whose merged values group the tasks -------------------------------------------
def crow(category, number, text, lead, co, deadline_cell, deadline_md, co_cell=None):
    return Row(
        [category, number, text, "、".join(lead), co_cell if co_cell is not None else "、".join(co), deadline_cell],
        [task(number, text, lead, co, deadline=d(Y, deadline_md))],
    )


def build_xlsx_category(out_dir, doc):
    workbook, sheet = new_sheet("重点工作")
    put(sheet, 1, 1, "松源区教育局2025年教育重点工作任务清单", bold=True)
    sheet.merge_cells("A1:F1")
    for col, name in enumerate(["类别", "序号", "工作内容", "牵头单位", "配合单位", "完成时限"], 1):
        put(sheet, 2, col, name, bold=True)
    first_of = {}
    for r, row in enumerate(doc.rows, 3):
        category = row.cells[0]
        if category not in first_of:
            first_of[category] = r
            put(sheet, r, 1, category)
        for col, value in enumerate(row.cells[1:], 2):
            put(sheet, r, col, xlsx_value(value))
    last = 2 + len(doc.rows)
    starts = sorted(first_of.values()) + [last + 1]
    for start, end in zip(starts, starts[1:]):
        if end - 1 > start:
            sheet.merge_cells(start_row=start, start_column=1, end_row=end - 1, end_column=1)
    for letter, width in zip("ABCDEF", (10, 6, 44, 14, 20, 12)):
        sheet.column_dimensions[letter].width = width
    workbook.save(out_dir / f"{doc.slug}.xlsx")


DOCS.append(
    Doc(
        slug="16-xlsx-category-column",
        ext="xlsx",
        rule="Excel：首列“类别”纵向合并（教育民生、教育改革、队伍建设），每个类别是一个章节，其下任务归入该章节",
        plan={
            "title": "松源区教育局2025年教育重点工作任务清单",
            "bureau": "松源区教育局",
            "year": Y,
            "sections": ["教育民生", "教育改革", "队伍建设"],
            "ignored_columns": [],
        },
        rows=[
            crow("教育民生", "1", "新建松源区第六幼儿园，新增学位270个。", ["学前教育科"], ["计划财务科"], "8月底前", "08-31"),
            crow("教育民生", "2", "完成3所学校直饮水设施改造。", ["后勤保障科"], ["计划财务科", "体卫艺科"], "6月底前", "06-30"),
            crow("教育民生", "3", "规范学生校服采购流程，实施校服选用“阳光工程”。", ["后勤保障科"], ["纪检监察室"], "三季度", "09-30"),
            crow("教育改革", "4", "深化集团化办学，新组建教育集团2个。", ["基础教育科"], ["人事科"], "9月底前", "09-30"),
            crow("教育改革", "5", "推进区域教育评价改革，完善学校发展性评价方案。", ["督导室"], ["教研室"], "年底前", "12-31"),
            crow("教育改革", "6", "开展中小学劳动教育实践基地建设。", ["德育科"], ["区农业农村局"], "全年", "12-31"),
            crow("队伍建设", "7", "实施名师名校长培养工程，培育区级名师工作室10个。", ["人事科"], ["教师发展中心"], "11月底前", "11-30"),
            crow("队伍建设", "8", "开展新入职教师规范化培训。", ["教师发展中心"], ["人事科"], "持续推进", None),
        ],
    )
)
DOCS[-1].build = build_xlsx_category


# 17–19 txt ------------------------------------------------------------------------------------------
TXT_HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]

DOCS.append(
    Doc(
        slug="17-txt-pipe-table",
        ext="txt",
        rule="纯文本：用“|”分隔的表格（类 Markdown，表头下有 ---|--- 行）",
        plan={
            "title": "云杉县教育局2025年校园安全工作任务分解表",
            "bureau": "云杉县教育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        header=[TXT_HEADER],
        rows=[
            row5("1", "开展春季开学校园安全大检查。", ["安全股"], ["后勤服务中心", "各中小学校"], "3月底前", "03-31"),
            row5("2", "组织防溺水专题教育，做好家长告知。", ["安全股"], ["德育股"], "6月底前", "06-30"),
            row5("3", "推进校园视频监控系统与公安平台联网。", ["安全股"], ["县公安局", "县教育信息中心"], "三季度", "09-30", co_cell="县公安局 县教育信息中心"),
            row5("4", "开展校园食品安全“护苗”行动。", ["后勤服务中心"], ["县市场监督管理局", "安全股"], "全年", "12-31", co_cell="县市场监督管理局，安全股"),
            row5("5", "完成学校消防设施年度维护保养。", ["后勤服务中心"], ["县消防救援大队"], "10月底前", "10-31"),
            row5("6", "健全学生欺凌防治工作机制。", ["德育股"], ["安全股"], "持续推进", None),
        ],
    )
)

DOCS.append(
    Doc(
        slug="18-txt-box-drawing-table",
        ext="txt",
        rule="纯文本：制表符画的框线表格（┌─┬─┐ │ ├─┼─┤ └─┴─┘），任务单元格在框内折成两行，两行合为一项任务",
        plan={
            "title": "凤岭县教育局2025年教师队伍建设任务分解表",
            "bureau": "凤岭县教育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        header=[["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]],
        rows=[
            row5("1", "开展县级骨干教师和学科带头人评选，认定骨干教师120名。", ["人事股"], ["县教师进修学校"], "9月底前", "09-30"),
            row5("2", "实施乡村学校教师周转宿舍建设项目。", ["计财股"], ["人事股", "后勤服务中心"], "年底前", "12-31"),
            row5("3", "深化中小学教师“县管校聘”管理改革。", ["人事股"], ["县委编办", "县人社局"], "8月底前", "08-31"),
            row5("4", "组织全县中小学教师暑期全员培训。", ["县教师进修学校"], ["人事股"], "三季度", "09-30"),
            row5("5", "开展师德师风建设年活动。", ["人事股"], ["县委教育工委"], "全年", "12-31"),
        ],
    )
)

DOCS.append(
    Doc(
        slug="19-txt-one-cell-per-line",
        ext="txt",
        rule="纯文本：从表格复制出来每个单元格占一行——先是表头各格各占一行，然后每行任务从序号开始逐格一行",
        plan={
            "title": "安澜市教育局2025年教育对外交流合作工作任务分解表",
            "bureau": "安澜市教育局",
            "kind": "decomposition",
            "year": Y,
            "sections": [],
            "ignored_columns": [],
        },
        header=[TXT_HEADER],
        rows=[
            row5("1", "开展中外人文交流特色学校创建，新增特色学校3所。", ["对外交流合作科"], ["基础教育科"], "10月底前", "10-31"),
            row5("2", "组织中小学生境外研学安全管理培训。", ["对外交流合作科"], ["安全稳定科"], "6月底前", "06-30"),
            row5("3", "与友好城市教育部门签订教育合作备忘录。", ["对外交流合作科"], ["办公室"], "年底前", "12-31"),
            row5("4", "做好港澳台学生来安澜就读服务保障。", ["基础教育科"], ["对外交流合作科", "招生考试中心"], "全年", "12-31"),
            row5("5", "开展外籍教师聘任资质审核。", ["人事科"], ["对外交流合作科"], "三季度", "09-30"),
        ],
    )
)


# ------------------------------------------------------------------------------------------ text files


def flat(value: Cell) -> str:
    return "、".join(value) if isinstance(value, list) else value


def pipe_text(doc: Doc) -> str:
    lines = [doc.plan["title"], ""]
    lines.append("| " + " | ".join(doc.header[0]) + " |")
    lines.append("|" + "|".join("---" for _ in doc.header[0]) + "|")
    for row in doc.rows:
        lines.append("| " + " | ".join(flat(c) for c in row.cells) + " |")
    lines += ["", "云杉县教育局办公室", "2025年2月26日"]
    return "\n".join(lines) + "\n"


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F or ch in "“”‘’" else 1 for ch in s)


def _wrap(s: str, width: int) -> list[str]:
    lines, current = [], ""
    for ch in s:
        if _width(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return lines + [current]


def box_text(doc: Doc) -> str:
    widths = [6, 28, 16, 22, 10]
    top = "┌" + "┬".join("─" * (w // 2) for w in widths) + "┐"
    mid = "├" + "┼".join("─" * (w // 2) for w in widths) + "┤"
    bottom = "└" + "┴".join("─" * (w // 2) for w in widths) + "┘"

    def render(cells):
        wrapped = [_wrap(c, w) for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = []
            for lines, w in zip(wrapped, widths):
                s = lines[i] if i < len(lines) else ""
                parts.append(s + " " * (w - _width(s)))
            out.append("│" + "│".join(parts) + "│")
        return out

    lines = [doc.plan["title"], "", top]
    lines += render(doc.header[0])
    for row in doc.rows:
        lines.append(mid)
        lines += render([flat(c) for c in row.cells])
    lines.append(bottom)
    return "\n".join(lines) + "\n"


def cell_per_line_text(doc: Doc) -> str:
    lines = [doc.plan["title"], ""]
    lines += doc.header[0]
    for row in doc.rows:
        lines += [flat(c) for c in row.cells]
    return "\n".join(lines) + "\n"


TEXT_WRITERS = {"17-txt-pipe-table": pipe_text, "18-txt-box-drawing-table": box_text, "19-txt-one-cell-per-line": cell_per_line_text}


# ------------------------------------------------------------------------------------------------ main


def main(out_dir: pathlib.Path) -> None:
    for doc in DOCS:
        if doc.ext == "txt":
            continue
        if doc.build:
            doc.build(out_dir, doc)
        else:
            build_docx(out_dir, doc)


def extras(out_dir: pathlib.Path) -> None:
    """The .txt sources and every .expected.json (kept in git; rewrite only after editing the rows)."""
    for doc in DOCS:
        if doc.ext == "txt":
            (out_dir / f"{doc.slug}.txt").write_text(TEXT_WRITERS[doc.slug](doc), encoding="utf-8")
        text = json.dumps(doc.expected(), ensure_ascii=False, indent=2) + "\n"
        (out_dir / f"{doc.slug}.expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    here = pathlib.Path(__file__).resolve().parent.parent
    main(here)
    if "--extras" in sys.argv:
        extras(here)
