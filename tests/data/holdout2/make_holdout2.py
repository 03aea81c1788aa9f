"""Writes the .docx / .xlsx documents of the second hold-out set, and their expected results.

Run:  /work/main/.venv/bin/python tests/data/holdout2/make_holdout2.py

Every document here is invented (places, bureaus, sentences); only the layouts follow forms that
published task lists use.  The .txt documents and their expected results are written by hand.
"""

import json
import os

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))


# ----------------------------------------------------------------------------- helpers


def new_doc(landscape=False):
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "仿宋_GB2312"
    st.font.size = Pt(12)
    st.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    if landscape:
        sec = doc.sections[0]
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
        sec.left_margin = sec.right_margin = Cm(2)
    return doc


def para(doc, text, bold=False, center=False, size=None):
    p = doc.add_paragraph()
    r = p.add_run(text)
    r.bold = bold
    if size:
        r.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def fill(cell, value):
    """value: str (\\n inside becomes a line break) or list of str (one paragraph each)."""
    paras = value if isinstance(value, list) else [value]
    first = cell.paragraphs[0]
    for r in list(first.runs):
        r._element.getparent().remove(r._element)
    first.add_run(paras[0])
    for t in paras[1:]:
        cell.add_paragraph(t)


def joined(value):
    paras = value if isinstance(value, list) else [value]
    return "".join(p.replace("\n", "") for p in paras)


def units(s):
    """Split a unit cell the way the conventions say: 、，, spaces and line breaks, not inside （）."""
    out, cur, depth = [], "", 0
    for ch in s:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
        if depth == 0 and ch in "、，, \n\u3000;；":
            if cur.strip():
                out.append(cur.strip().rstrip("。"))
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip().rstrip("。"))
    return out


def task(text, lead, co):
    return {"text": text, "lead": lead, "co": co}


def write_expected(name, rule, title, bureau, tasks):
    data = {"rule": rule, "plans": [{"title": title, "bureau": bureau, "tasks": tasks}]}
    with open(os.path.join(HERE, name + ".expected.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


# ----------------------------------------------------------------------------- 01
# County education-and-sports bureau, Word table: section rows merged across, 分管领导 and
# 牵头股室 merged down, multi-paragraph task cells, line breaks in a unit cell.


def doc01():
    name = "01-qinglan-jiaoti-fenjie"
    title = "青岚县教育体育局2025年重点工作任务分解表"
    bureau = "青岚县教育体育局"
    doc = new_doc(landscape=True)
    para(doc, "附件")
    para(doc, title, bold=True, center=True, size=16)
    para(doc, "（2025年3月）", center=True)

    header = ["序号", "重点工作任务", "分管领导", "牵头股室", "配合股室", "完成时限"]
    # rows: ("section", text) or (no, task, leader, lead, co, deadline); None = merged with above
    rows = [
        ("section", "一、坚持党建引领，压实全面从严治党责任"),
        (
            "1",
            "深化理论武装。落实局党组“第一议题”制度，全年组织党组理论学习中心组集中学习不少于12次，开展专题研讨4次。",
            "刘建平",
            "党建股",
            "办公室",
            "2025年12月",
        ),
        (
            "2",
            ["开展“清风校园”廉洁文化进校园活动。", "每所中小学至少建成1处廉洁文化阵地，年底前组织一次全县集中展评。"],
            None,
            "纪检组",
            "党建股、办公室",
            "2025年11月",
        ),
        ("section", "二、扩大优质资源，推动基础教育均衡发展"),
        (
            "3",
            "新建城东幼儿园、改扩建黄石镇中心幼儿园，新增学前教育学位540个。",
            "陈晓梅",
            "基础教育股",
            "计划财务股、项目办",
            "2025年8月底",
        ),
        (
            "4",
            ["推进义务教育优质均衡发展县创建。", "完成县域自评，整改薄弱指标，迎接省级督导评估。"],
            None,
            None,
            "督导室\n计划财务股\n人事股",
            "2025年10月",
        ),
        (
            "5",
            "规范课后服务管理，义务教育学校课后服务覆盖率保持100%，学生自愿参与率达到90%以上。",
            None,
            None,
            "各中小学",
            "长期坚持",
        ),
        ("section", "三、锻造过硬队伍，提升教师专业素养"),
        ("6", "公开招聘新教师85名，其中分配到农村学校的不少于60名。", "王力", "人事股", "计划财务股", "2025年7月"),
        (
            "7",
            ["实施“青蓝工程”。", "组织新入职教师与骨干教师师徒结对，全年开展送教下乡活动不少于20场。"],
            None,
            "教师发展中心",
            "人事股、基础教育股",
            "2025年12月",
        ),
        ("section", "四、守牢安全底线，强化教育条件保障"),
        (
            "8",
            "开展校园安全隐患排查整治，每季度全覆盖排查一次，建立问题清单并限期销号。",
            "赵卫东",
            "安全股",
            "基础教育股、后勤服务中心",
            "每季度",
        ),
        ("9", "完成青岚二中学生宿舍楼主体工程建设。", None, "项目办", "计划财务股", "2025年9月"),
        (
            "10",
            "落实家庭经济困难学生资助政策，确保应助尽助、精准资助。",
            None,
            "学生资助管理中心",
            "计划财务股",
            "2025年12月",
        ),
    ]
    table = doc.add_table(rows=1 + len(rows), cols=6)
    table.style = "Table Grid"
    for i, h in enumerate(header):
        fill(table.cell(0, i), h)
    tasks = []
    last = {2: None, 3: None}  # column -> (row index of the top cell, value)
    for ri, row in enumerate(rows, start=1):
        if row[0] == "section":
            c = table.cell(ri, 0).merge(table.cell(ri, 5))
            fill(c, row[1])
            last = {2: None, 3: None}
            continue
        no, text, leader, lead, co, deadline = row
        fill(table.cell(ri, 0), no)
        fill(table.cell(ri, 1), text)
        for col, val in ((2, leader), (3, lead)):
            if val is None:
                top, topval = last[col]
                table.cell(top, col).merge(table.cell(ri, col))
            else:
                fill(table.cell(ri, col), val)
                last[col] = (ri, val)
        fill(table.cell(ri, 4), co)
        fill(table.cell(ri, 5), deadline)
        tasks.append(task(joined(text), units(last[3][1]), units(co)))
    doc.add_paragraph("")
    para(doc, "注：各牵头股室于每月25日前将推进情况报局办公室。")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(
        name,
        "教体局任务分解表：牵头股室/配合股室两列，分管领导和牵头股室纵向合并，章节行横向合并，单元格内多段落",
        title,
        bureau,
        tasks,
    )


# ----------------------------------------------------------------------------- 02
# City government, two header rows (责任分工 over 牵头领导/牵头单位/责任单位), non-consecutive 序号
# (an excerpt of the whole report), leader merged down, units in two paragraphs.


def doc02():
    name = "02-yunxi-zfgzbg-jiaoyu"
    title = "2025年云溪市《政府工作报告》教育领域重点工作任务分解表"
    doc = new_doc(landscape=True)
    para(doc, "附件1")
    para(doc, title, bold=True, center=True, size=16)
    rows = [
        (
            "41",
            [
                "新建、改扩建中小学校8所，新增学位6000个以上。",
                "加快推进市十一中、滨江实验小学建设，确保秋季学期投入使用。",
            ],
            "孙志刚",
            "市教育局",
            ["市发展改革委、市自然资源局、市住房城乡建设局", "各县（市、区）人民政府"],
            "2025年12月底",
        ),
        (
            "42",
            "推进学前教育普及普惠，普惠性幼儿园覆盖率达到92%以上。",
            None,
            "市教育局",
            "市财政局，各县（市、区）人民政府",
            "2025年12月底",
        ),
        ("43", "深化县域普通高中振兴计划，支持5所县中改善办学条件。", None, "市教育局", "市财政局", "2025年9月底"),
        (
            "44",
            "实施中小学生“每天综合体育活动2小时”行动，学生体质健康优良率提高2个百分点。",
            None,
            "市教育局",
            "市体育局、市卫生健康委",
            "持续推进",
        ),
        (
            "45",
            "完善随迁子女入学政策，符合条件的随迁子女在公办学校就读比例不低于90%。",
            None,
            "市教育局",
            "市公安局、市住房城乡建设局",
            "2025年9月底",
        ),
        (
            "58",
            "推动云溪职业技术学院新校区一期建成投用，新增专业3个。",
            "李红霞",
            "市教育局、市人力资源社会保障局",
            "云溪职业技术学院、市财政局",
            "2025年8月底",
        ),
        (
            "59",
            "开展职业技能培训3万人次，新增高技能人才4000人。",
            None,
            "市人力资源社会保障局",
            "市教育局、市总工会",
            "2025年12月底",
        ),
        (
            "63",
            "新增托位1200个，每千人口拥有3岁以下婴幼儿托位数达到4.5个。",
            "孙志刚",
            "市卫生健康委",
            "市教育局、市妇联，各县（市、区）人民政府",
            "2025年12月底",
        ),
    ]
    table = doc.add_table(rows=2 + len(rows), cols=6)
    table.style = "Table Grid"
    fill(table.cell(0, 0), "序号")
    fill(table.cell(0, 1), "工作任务")
    fill(table.cell(0, 2).merge(table.cell(0, 4)), "责任分工")
    fill(table.cell(0, 5), "完成时限")
    fill(table.cell(1, 2), "牵头领导")
    fill(table.cell(1, 3), "牵头单位")
    fill(table.cell(1, 4), "责任单位")
    for col in (0, 1, 5):
        table.cell(0, col).merge(table.cell(1, col))
    tasks = []
    top = None
    for ri, (no, text, leader, lead, co, deadline) in enumerate(rows, start=2):
        fill(table.cell(ri, 0), no)
        fill(table.cell(ri, 1), text)
        if leader is None:
            table.cell(top, 2).merge(table.cell(ri, 2))
        else:
            fill(table.cell(ri, 2), leader + "副市长")
            top = ri
        fill(table.cell(ri, 3), lead)
        fill(table.cell(ri, 4), co)
        fill(table.cell(ri, 5), deadline)
        co_units = units("\n".join(co) if isinstance(co, list) else co)
        tasks.append(task(joined(text), units(lead), co_units))
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(
        name,
        "政府分解表两行表头：责任分工下分牵头领导/牵头单位/责任单位，责任单位为配合；序号不连续；牵头领导纵向合并",
        title,
        "",
        tasks,
    )


# ----------------------------------------------------------------------------- 03
# Education bureau supervision ledger: single 责任科室 column (all co), ①② items in one cell
# under a heading line, 责任人 / 推进情况 / 备注 columns.


def doc03():
    name = "03-nanping-duban-taizhang"
    title = "南屏市教育局2025年第三季度重点督办事项推进情况表"
    bureau = "南屏市教育局"
    doc = new_doc(landscape=True)
    para(doc, title, bold=True, center=True, size=16)
    para(doc, "填报单位：南屏市教育局办公室　　　　　　　　填报时间：2025年10月10日")
    header = ["序号", "督办事项", "责任科室", "责任人", "完成时限", "推进情况", "备注"]
    rows = [
        (
            "1",
            [
                "市委教育工作领导小组第一次会议议定事项：",
                "①制定《南屏市中小学教师减负清单》。",
                "②建立中小学校长任期目标考核办法。",
            ],
            [["制定《南屏市中小学教师减负清单》。", "建立中小学校长任期目标考核办法。"]],
            "人事科、政策法规科",
            "周敏",
            "2025年9月30日",
            ["①已于9月12日印发。", "②初稿已完成，正在征求意见。"],
            "",
        ),
        (
            "2",
            "推动市直学校食堂“明厨亮灶”改造全覆盖。",
            None,
            "体卫艺科",
            "郑晓",
            "2025年10月31日",
            "已完成28所，剩余4所正在施工。",
            "",
        ),
        (
            "3",
            "市人大代表建议第36号办理：缓解城北片区小学学位紧张问题。",
            None,
            "基础教育科\n发展规划科",
            "陈立",
            "2025年8月31日",
            "已书面答复代表，代表表示满意。",
            "已办结",
        ),
        (
            "4",
            [
                "领导批示件（南教批〔2025〕17号）：",
                "①核查青山路小学校门口上下学交通拥堵问题并提出整改意见。",
                "②会同交警部门在学校周边设置上下学临时停车区。",
            ],
            [
                [
                    "核查青山路小学校门口上下学交通拥堵问题并提出整改意见。",
                    "会同交警部门在学校周边设置上下学临时停车区。",
                ]
            ],
            "安全稳定科",
            "黄波",
            "2025年9月15日",
            ["①已完成现场核查。", "②临时停车区已施划，9月8日启用。"],
            "",
        ),
        (
            "5",
            "完成2025年中考网上阅卷场所标准化改造。",
            None,
            "市教育考试中心",
            "吴一凡",
            "2025年6月",
            "已完成并通过省级验收。",
            "已办结",
        ),
        (
            "6",
            "推进市教育城域网升级改造，完成千兆到校。",
            None,
            "电教馆、计划财务科",
            "林森",
            "2025年12月31日",
            "已完成招标，正在进场施工。",
            "",
        ),
    ]
    table = doc.add_table(rows=1 + len(rows), cols=7)
    table.style = "Table Grid"
    for i, h in enumerate(header):
        fill(table.cell(0, i), h)
    tasks = []
    for ri, (no, text, leaves, resp, person, deadline, progress, note) in enumerate(rows, start=1):
        for ci, v in enumerate([no, text, resp, person, deadline, progress, note]):
            fill(table.cell(ri, ci), v)
        if leaves:
            for t in leaves[0]:
                tasks.append(task(t, [], units(resp)))
        else:
            tasks.append(task(joined(text), [], units(resp)))
    doc.add_paragraph("")
    para(doc, "审核人：李强　　　　　　　　填表人：许可")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(
        name,
        "督办台账：仅一列责任科室（全部为co）；一格内①②分项为各自的叶子任务，冒号标题行不是任务；责任人/推进情况/备注列不进任务",
        title,
        bureau,
        tasks,
    )


# ----------------------------------------------------------------------------- 04
# District education bureau task list: 重点任务 (parent, merged down) + 具体举措 with △ bullets,
# 责任单位 + 配合单位 without 牵头 -> 责任单位 is lead; 责任单位 merged down for two rows.


def doc04():
    name = "04-linhai-qiangqu-qingdan"
    title = "临海区教育局2025年教育强区建设重点任务清单"
    bureau = "临海区教育局"
    doc = new_doc(landscape=True)
    para(doc, "附件")
    para(doc, title, bold=True, center=True, size=16)
    header = ["序号", "重点任务", "具体举措", "责任单位", "配合单位", "时间节点"]
    # (no, parent, bullets (list of str or str with \n), resp, co, deadline); None = merged above
    rows = [
        (
            "1",
            "提升学前教育保教质量",
            ["△开展幼儿园保教质量自评，覆盖率达到100%。", "△创建市级示范幼儿园2所。"],
            "学前教育科",
            "督导室",
            "2025年11月",
        ),
        (None, None, "△推进幼小科学衔接实验区建设，遴选试点园校10对。", "学前教育科、教研室", "各小学", "2025年12月"),
        (
            "2",
            "推进义务教育强校提质",
            "△组建紧密型教育集团3个，实现城区优质学校集团化全覆盖。\n△推行集团内教师交流轮岗，交流比例不低于15%。",
            "基础教育科",
            "人事科、教研室",
            "2025年9月",
        ),
        (None, None, "△落实“双减”作业公示制度，每学期开展作业设计评比。", "基础教育科", "督导室", "长期"),
        (
            "3",
            "深化教育数字化转型",
            ["△建成智慧校园示范校6所。", "△开展教师数字素养全员培训，培训合格率95%以上。"],
            "教育信息中心",
            "教师进修学校",
            "2025年12月",
        ),
        ("4", "筑牢校园安全防线", "△完成全区中小学校园视频监控联网改造。", "安全管理科", "教育装备中心", "2025年10月"),
        (None, None, "△汛期每月开展一次防溺水专题教育，签订家长告知书。", None, "各中小学、各幼儿园", "2025年8月"),
    ]
    table = doc.add_table(rows=1 + len(rows), cols=6)
    table.style = "Table Grid"
    for i, h in enumerate(header):
        fill(table.cell(0, i), h)
    tasks = []
    top = {0: None, 1: None, 3: None}
    resp_val = None
    for ri, (no, parent, bullets, resp, co, deadline) in enumerate(rows, start=1):
        for col, val in ((0, no), (1, parent), (3, resp)):
            if val is None:
                table.cell(top[col], col).merge(table.cell(ri, col))
            else:
                fill(table.cell(ri, col), val)
                top[col] = ri
        if resp is not None:
            resp_val = resp
        fill(table.cell(ri, 2), bullets)
        fill(table.cell(ri, 4), co)
        fill(table.cell(ri, 5), deadline)
        items = bullets if isinstance(bullets, list) else bullets.split("\n")
        for b in items:
            tasks.append(task(b.lstrip("△"), units(resp_val), units(co)))
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(
        name,
        "任务清单：重点任务列为父级（纵向合并），具体举措格内△分项各为叶子；责任单位+配合单位无牵头列，责任单位为lead；责任单位纵向合并",
        title,
        bureau,
        tasks,
    )


# ----------------------------------------------------------------------------- 05
# City government's livelihood-projects progress sheet (xlsx): merged 类别, 责任单位 + 配合单位,
# progress / percentage / telephone columns, a closing 说明 row.


def xlsx05():
    name = "05-fengyuan-minsheng-jinzhan"
    title = "丰源市2025年民生实事项目（教育类）1—9月进展情况表"
    wb = Workbook()
    ws = wb.active
    ws.title = "教育类"
    ws.merge_cells("A1:I1")
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:I2")
    ws["A2"] = "填报单位：丰源市人民政府督查室                    截止日期：2025年9月30日"
    header = [
        "序号",
        "类别",
        "民生实事项目",
        "责任单位",
        "配合单位",
        "分管市领导",
        "1—9月进展情况",
        "完成比例",
        "监督电话",
    ]
    ws.append(header)
    rows = [
        (
            1,
            "学有所教",
            "新建城南实验学校、丰源十二中，新增义务教育学位3600个。",
            "市教育局",
            "市住房城乡建设局、市自然资源和规划局",
            "何建国",
            "城南实验学校主体已封顶；丰源十二中完成桩基施工。",
            "65%",
            "0738-2251001",
        ),
        (
            2,
            None,
            "为全市中小学教室更换护眼照明灯具1.2万套。",
            "市教育局",
            "市财政局",
            "何建国",
            "已完成9800套安装。",
            "82%",
            "0738-2251001",
        ),
        (
            3,
            None,
            "城区义务教育学校课后服务实现“5+2”全覆盖。",
            "市教育局",
            "各县（市、区）人民政府",
            "何建国",
            "已全覆盖，参与学生4.6万人。",
            "100%",
            "0738-2251001",
        ),
        (
            4,
            None,
            "建设中小学心理健康辅导室30个，配备专兼职心理教师。",
            "市教育局、市卫生健康委",
            "市妇联",
            "何建国",
            "已建成22个，正在采购设备。",
            "73%",
            "0738-2251001",
        ),
        (
            5,
            None,
            "为家庭经济困难学生发放资助资金，确保应助尽助。",
            "市教育局",
            "市财政局\n市民政局",
            "何建国",
            "已发放资助资金5120万元。",
            "78%",
            "0738-2251002",
        ),
        (
            6,
            "幼有所育",
            "新增普惠性托位800个。",
            "市卫生健康委",
            "市教育局、市发展改革委",
            "周芳",
            "新增托位560个。",
            "70%",
            "0738-2263110",
        ),
        (
            7,
            None,
            "改造提升乡镇公办幼儿园15所。",
            "市教育局",
            "各县（市、区）人民政府\n市财政局",
            "何建国",
            "已完工9所，6所正在施工。",
            "60%",
            "0738-2251001",
        ),
    ]
    start = ws.max_row + 1
    tasks = []
    cat_top = None
    for i, r in enumerate(rows):
        rowno = start + i
        vals = list(r)
        if vals[1] is None:
            vals[1] = None
        ws.append(vals)
        if r[1] is not None:
            if cat_top is not None and rowno - 1 > cat_top:
                ws.merge_cells(start_row=cat_top, start_column=2, end_row=rowno - 1, end_column=2)
            cat_top = rowno
        tasks.append(task(r[2], units(r[3]), units(r[4])))
    last = start + len(rows) - 1
    if last > cat_top:
        ws.merge_cells(start_row=cat_top, start_column=2, end_row=last, end_column=2)
    ws.append([])
    ws.append(["说明：完成比例按年度目标任务量计算；“5+2”指每周5天、每天不少于2小时。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=9)
    for row in ws.iter_rows(min_row=3):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="center")
    for col, w in zip("ABCDEFGHI", (6, 10, 40, 18, 26, 10, 30, 9, 14)):
        ws.column_dimensions[col].width = w
    wb.save(os.path.join(HERE, name + ".xlsx"))
    write_expected(
        name,
        "政府民生实事进展表：类别纵向合并，责任单位+配合单位无牵头列（责任单位为lead），进展/比例/电话列不进任务，说明行不是任务",
        title,
        "",
        tasks,
    )


# ----------------------------------------------------------------------------- 06
# District education bureau's copy of the government-report decomposition (xlsx): 主要责任单位 +
# 协同配合单位, section rows with no tasks under them, non-consecutive numbers, units ending in 。


def xlsx06():
    name = "06-jiangyu-zfgzbg-fenjie"
    title = "江屿区教育局2025年政府工作报告重点工作任务分解表"
    bureau = "江屿区教育局"
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = title
    ws.merge_cells("A1:D1")
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["序号", "重点工作任务", "主要责任单位", "协同配合单位"])
    content = [
        ("section", "一、2025年经济社会发展的主要预期目标"),
        (
            5,
            "居民人均可支配收入增长5.5%左右。",
            "区发改委",
            "区人社局、区农业农村局、区教育局，各镇人民政府、街道办事处。",
        ),
        ("section", "二、聚焦项目建设，夯实发展基础"),
        ("section", "三、深化改革开放，激发发展活力"),
        (37, "深化教育评价改革，推进中小学校长职级制试点。", "区教育局", "区委组织部、区人社局。"),
        ("section", "四、坚持民生优先，增进人民福祉"),
        (
            61,
            "持续推进学前教育普及普惠、义务教育优质均衡发展，加快建设江屿二小、滨海中学扩建教学楼项目。",
            "区教育局",
            "区政府有关部门，各镇人民政府、街道办事处。",
        ),
        (62, "深化与省内知名高校合作办学，引进优质基础教育资源。", "区教育局", "区投资促进中心。"),
        (63, "实施“强师工程”，新招聘教师120名，培育区级骨干教师200名。", "区教育局", "区委编办\n区人社局\n区财政局"),
        (
            66,
            "大力发展普惠托育服务，全区托位数提高至620个。",
            "区卫健委",
            "区教育局、区妇联，各镇人民政府、街道办事处。",
        ),
        (71, "推进青少年体育活动进校园，新建学校体育场地向社会开放15所。", "区文体旅局", "区教育局。"),
        ("section", "五、加强政府自身建设"),
    ]
    tasks = []
    for item in content:
        if item[0] == "section":
            ws.append([item[1]])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=4)
        else:
            no, text, lead, co = item
            ws.append([no, text, lead, co])
            tasks.append(task(text, units(lead), units(co)))
    for row in ws.iter_rows(min_row=3):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="center")
    for col, w in zip("ABCD", (8, 60, 16, 40)):
        ws.column_dimensions[col].width = w
    wb.save(os.path.join(HERE, name + ".xlsx"))
    write_expected(
        name,
        "教育局转载的政府工作报告分解表：主要责任单位+协同配合单位（前者为lead），空章节行、不连续序号，单位末尾带句号",
        title,
        bureau,
        tasks,
    )


# ----------------------------------------------------------------------------- 07
# City education bureau 工作要点 (prose docx): notice header, 总体要求 paragraph, 一、 sections,
# numbered items with （责任科室：…） tails, one （牵头科室：…；配合科室：…） tail, untidy numbering.


def doc07():
    name = "07-beishan-gongzuoyaodian"
    title = "北山市教育局2025年工作要点"
    bureau = "北山市教育局"
    doc = new_doc()
    para(doc, "北山市教育局关于印发《北山市教育局2025年工作要点》的通知", bold=True, center=True, size=15)
    para(doc, "各县（市、区）教育局，市直各学校，局机关各科室、直属各单位：")
    para(doc, "　　现将《北山市教育局2025年工作要点》印发给你们，请结合实际认真贯彻落实。")
    para(doc, "北山市教育局")
    para(doc, "2025年2月26日")
    para(doc, "（此件主动公开）")
    para(doc, "")
    para(doc, title, bold=True, center=True, size=16)
    para(
        doc,
        "　　2025年全市教育工作的总体要求是：以办好人民满意的教育为目标，坚持立德树人，坚持教育优先发展，"
        "深化教育综合改革，着力补短板、强弱项、提质量，推动北山教育在全省争先进位。",
    )
    sections = [
        (
            "一、坚持党建统领，夯实教育系统政治根基",
            [
                (
                    "1.",
                    "深化理论武装。落实局党委理论学习中心组学习制度，全年集中学习不少于12次，组织全市教育系统党组织书记轮训一次。",
                    "（责任科室：组织宣传科、机关党委）",
                    [],
                    ["组织宣传科", "机关党委"],
                ),
                (
                    "2.",
                    "压紧压实全面从严治党主体责任。制定局党委落实主体责任清单，开展校园餐、招生录取等领域专项监督。",
                    "（责任科室：机关纪委、组织宣传科）",
                    [],
                    ["机关纪委", "组织宣传科"],
                ),
            ],
        ),
        (
            "二、扩优提质，办好公平优质的基础教育",
            [
                (
                    "3.",
                    "扩大普惠性学前教育资源。新建、改扩建公办幼儿园6所，新增学位1620个，普惠性幼儿园覆盖率稳定在90%以上。",
                    "（牵头科室：学前教育科；配合科室：发展规划科、财务科）",
                    ["学前教育科"],
                    ["发展规划科", "财务科"],
                ),
                (
                    "4.",
                    "推进义务教育优质均衡发展。指导两个县区通过国家义务教育优质均衡发展县评估认定，城区学校大班额保持动态清零。",
                    "（责任科室：基础教育科）",
                    [],
                    ["基础教育科"],
                ),
                (
                    "5.",
                    "办好特殊教育。落实残疾儿童少年“一人一案”入学安置，适龄残疾儿童义务教育入学率达到97%以上。",
                    "（责任科室：基础教育科、市特殊教育指导中心）",
                    [],
                    ["基础教育科", "市特殊教育指导中心"],
                ),
            ],
        ),
        (
            "三、产教融合，增强职业教育适应性",
            [
                (
                    "6.",
                    "推进中职学校办学条件达标工程，年内4所中职学校办学条件全部达标。",
                    "（责任科室：职业教育与成人教育科）",
                    [],
                    ["职业教育与成人教育科"],
                ),
                (
                    "7.",
                    "深化校企合作，新建市级产教融合实训基地5个，组织职业院校技能大赛。",
                    "（责任科室：职业教育与成人教育科、市教育科学研究院）",
                    [],
                    ["职业教育与成人教育科", "市教育科学研究院"],
                ),
            ],
        ),
        (
            "四、强师赋能，建设高素质专业化教师队伍",
            [
                (
                    "8.",
                    "加强师德师风建设，开展师德师风专项整治，完善师德失范行为通报警示制度。",
                    "(责任科室:教师工作科、人事科)",
                    [],
                    ["教师工作科", "人事科"],
                ),
                (
                    "9.",
                    "实施新一轮名师名校长培养工程，遴选培养对象150名。",
                    "（责任科室：教师工作科）",
                    [],
                    ["教师工作科"],
                ),
                (
                    "10、",
                    "做好2025年中考、高考组织工作，确保考试安全平稳。",
                    "（责任单位：市教育考试院）",
                    [],
                    ["市教育考试院"],
                ),
            ],
        ),
        (
            "五、守牢底线，营造安全稳定的育人环境",
            [
                (
                    "11.",
                    "健全学生心理健康工作体系，每所中小学至少配备1名专职心理健康教师，开展心理健康测评全覆盖。",
                    "（责任科室：体卫艺科）",
                    [],
                    ["体卫艺科"],
                ),
                (
                    "12.",
                    "开展校园安全“护苗”专项行动，完成中小学幼儿园“护学岗”设置全覆盖。",
                    "（责任科室：安全稳定科，各县（市、区）教育局）",
                    [],
                    ["安全稳定科", "各县（市、区）教育局"],
                ),
            ],
        ),
    ]
    tasks = []
    for head, items in sections:
        para(doc, head, bold=True)
        for no, text, tail, lead, co in items:
            para(doc, "　　" + no + text + tail)
            tasks.append(task(text, lead, co))
    para(doc, "")
    para(doc, "　　各科室、各单位要对照工作要点，细化工作措施，明确时间节点，确保各项任务落到实处。")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(
        name,
        "教育局工作要点正文：编号条目后接（责任科室：…）尾注（全部为co），一条（牵头科室：…；配合科室：…）；半角括号尾注、“10、”编号；总体要求段不是任务",
        title,
        bureau,
        tasks,
    )


# ----------------------------------------------------------------------------- 09
# District government decomposition (prose docx): labelled lines under items — 牵头领导 / 牵头单位 /
# 责任单位 / 完成时限; one item with 责任单位 only, one with two labels on one line, half-width colons.


def doc09():
    name = "09-songtao-zhengfu-fengong"
    title = "松涛区政府2025年重点工作任务分解和责任分工方案"
    doc = new_doc()
    para(doc, "松涛区人民政府文件", bold=True, center=True, size=22)
    para(doc, "松政发〔2025〕3号", center=True)
    para(doc, "松涛区人民政府关于印发《松涛区政府2025年重点工作任务分解和责任分工方案》的通知", bold=True, center=True)
    para(doc, "各镇人民政府、街道办事处，区政府各部门，各有关单位：")
    para(
        doc,
        "　　经区政府同意，现将《松涛区政府2025年重点工作任务分解和责任分工方案》印发给你们，请结合实际，认真贯彻落实。",
    )
    para(doc, "松涛区人民政府")
    para(doc, "2025年3月12日")
    para(doc, "（此件公开发布）")
    para(doc, "")
    para(doc, title, bold=True, center=True, size=16)
    para(doc, "　　为全面完成区十七届人大四次会议确定的各项目标任务，现就2025年区政府重点工作制定分工方案如下。")
    # (text, [label lines])
    sections = [
        (
            "一、优先发展教育事业",
            [
                (
                    "1.新建区实验幼儿园，改扩建杨柳镇、石门镇中心幼儿园，新增学前教育学位720个。",
                    [
                        "牵头领导：马向东",
                        "牵头单位：区教育局",
                        "责任单位：区发改局、区财政局，杨柳镇人民政府、石门镇人民政府",
                        "完成时限：2025年12月底",
                    ],
                    ["区教育局"],
                    ["区发改局", "区财政局", "杨柳镇人民政府", "石门镇人民政府"],
                ),
                (
                    "2.推动集团化办学扩面提质，新组建区域教育集团2个，集团内骨干教师交流比例达到20%。",
                    ["牵头领导：马向东", "牵头单位：区教育局", "责任单位：区委编办、区人社局", "完成时限：2025年9月底"],
                    ["区教育局"],
                    ["区委编办", "区人社局"],
                ),
                (
                    "3.启动松涛中学综合楼建设，年内完成主体工程。",
                    [
                        "牵头单位：区教育局、区住建局",
                        "责任单位：区自然资源分局，松涛街道办事处",
                        "完成时限：2025年11月底",
                    ],
                    ["区教育局", "区住建局"],
                    ["区自然资源分局", "松涛街道办事处"],
                ),
                (
                    "4.落实义务教育阶段课后服务全覆盖，加强校外培训机构常态化监管。",
                    ["牵头单位：区教育局    责任单位：区市场监管局、区公安分局"],
                    ["区教育局"],
                    ["区市场监管局", "区公安分局"],
                ),
            ],
        ),
        (
            "二、提升卫生健康服务水平",
            [
                (
                    "5.推进区人民医院新院区建设，完成门诊综合楼主体封顶。",
                    ["牵头领导：韩丽", "牵头单位：区卫健局", "责任单位：区发改局、区住建局", "完成时限：2025年12月底"],
                    ["区卫健局"],
                    ["区发改局", "区住建局"],
                ),
                (
                    "6.开展中小学生近视、肥胖、脊柱侧弯筛查，筛查覆盖率达到100%。",
                    ["牵头单位:区卫健局", "责任单位:区教育局,各镇人民政府、街道办事处"],
                    ["区卫健局"],
                    ["区教育局", "各镇人民政府", "街道办事处"],
                ),
            ],
        ),
        (
            "三、织密社会保障网",
            [
                (
                    "7.新增城镇就业5000人，高校毕业生就业率保持在90%以上。",
                    ["牵头领导：韩丽", "牵头单位：区人社局", "责任单位：区教育局、区工信局，各镇人民政府、街道办事处"],
                    ["区人社局"],
                    ["区教育局", "区工信局", "各镇人民政府", "街道办事处"],
                ),
                (
                    "8.建成社区嵌入式养老服务中心4个。",
                    ["责任单位：区民政局、区卫健局", "完成时限：2025年10月底"],
                    [],
                    ["区民政局", "区卫健局"],
                ),
                (
                    "9.做好困难群众救助帮扶，及时足额发放低保、特困供养资金。",
                    ["牵头单位：区民政局", "责任单位：区财政局，各镇人民政府、街道办事处", "完成时限：全年"],
                    ["区民政局"],
                    ["区财政局", "各镇人民政府", "街道办事处"],
                ),
            ],
        ),
        (
            "四、维护社会安全稳定",
            [
                (
                    "10.深化校园及周边安全综合治理，实现中小学幼儿园“护学岗”和一键报警装置全覆盖。",
                    ["牵头领导：刘洪波", "牵头单位：区公安分局", "责任单位：区教育局、区交通运输局"],
                    ["区公安分局"],
                    ["区教育局", "区交通运输局"],
                ),
            ],
        ),
    ]
    tasks = []
    for head, items in sections:
        para(doc, head, bold=True)
        for text, labels, lead, co in items:
            para(doc, "　　" + text)
            for lab in labels:
                para(doc, "　　" + lab)
            body = text.split(".", 1)[1]
            tasks.append(task(body, lead, co))
    para(doc, "")
    para(doc, "　　各牵头单位要于每季度末5日前将工作进展情况报区政府督查室。")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(
        name,
        "区政府分工方案正文：条目下另起行标注牵头领导/牵头单位/责任单位/完成时限（牵头+责任→责任为co；仅责任单位→全为co）；半角冒号、两个标签同一行",
        title,
        "",
        tasks,
    )


def main():
    doc01()
    doc02()
    doc03()
    doc04()
    xlsx05()
    xlsx06()
    doc07()
    doc09()


if __name__ == "__main__":
    main()
