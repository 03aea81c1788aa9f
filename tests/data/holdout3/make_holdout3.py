"""Build the third hold-out set (docx / xlsx) and the expected JSON beside each document.

Run:  /work/main/.venv/bin/python tests/data/holdout3/make_holdout3.py
Texts are invented; layouts follow published 任务清单 / 分解表 / 工作要点 / 推进表.
"""
import copy
import json
import os
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Cm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))


def units(s):
    """Split a unit string the way the annotation convention says (、，, spaces, line breaks)."""
    out, cur, depth = [], "", 0
    for ch in (s or "") + "、":
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
        if depth == 0 and (ch in "、，," or ch.isspace()):
            if cur.strip():
                out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return out


def write_expected(name, rule, plans, args=None):
    data = {"rule": rule}
    if args:
        data["args"] = args
    data["plans"] = plans
    with open(os.path.join(HERE, name + ".expected.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


def task(text, lead, co, **kw):
    d = {"text": text, "lead": lead, "co": co}
    d.update(kw)
    return d


# ---------------------------------------------------------------- docx helpers
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


def title_para(doc, text, size=18):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(text)
    r.bold = True
    r.font.size = Pt(size)
    return p


def set_cell(cell, text):
    """Set cell text; '\n' separates paragraphs (real multi-paragraph cells)."""
    parts = text.split("\n") if text else [""]
    cell.paragraphs[0].text = parts[0]
    for extra in parts[1:]:
        cell.add_paragraph(extra)


def set_cell_br(cell, text):
    """Set cell text with soft line breaks (w:br) inside one paragraph."""
    p = cell.paragraphs[0]
    parts = text.split("\n")
    run = p.add_run(parts[0])
    for extra in parts[1:]:
        run.add_break()
        run = p.add_run(extra)


def repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


# ================================================================ 01
def doc01():
    name = "01-qingxi-jyj-qingdan"
    title = "青溪县教育局2026年度重点工作任务清单"
    doc = new_doc(landscape=True)
    p = doc.add_paragraph("附件")
    title_para(doc, title)
    doc.add_paragraph("各股室、局属各单位：现将年度重点工作任务清单印发给你们，请牵头科室会同责任科室细化措施，"
                      "每月25日前将推进情况报局办公室。")
    hdr = ["序号", "重点工作", "工作措施", "牵头科室", "责任科室", "完成时间"]
    groups = [
        ("1", "推进学前教育普惠发展", [
            ("新建城东幼儿园，新增公办学位360个。", "发展规划股", "计划财务股、基础教育股", "2026年8月"),
            ("开展普惠性民办幼儿园认定复核，全年认定不少于6所。", "基础教育股", "民办教育股", "2026年10月"),
            ("落实学前教育生均公用经费财政补助标准。\n建立保教费动态调整机制，报县发改局审核后执行。",
             "计划财务股", "基础教育股", "2026年12月"),
        ]),
        ("2", "深化义务教育“双减”工作", [
            ("完善课后服务“5+2”模式，课后服务覆盖率保持100%。", "基础教育股", "教研室、安全股", "长期"),
            ("开展校外培训机构专项治理“回头看”。", "校外培训监管股", "县市场监管局、各乡镇中心学校", "2026年11月"),
        ]),
        ("3", "加强教师队伍建设", [
            ("实施“青蓝工程”，组织新入职教师结对帮扶不少于120对。", "人事股", "教师发展中心", "2026年9月"),
            ("落实中小学教师平均工资收入水平不低于当地公务员平均工资收入水平。", "计划财务股", "人事股", "2026年12月"),
            ("推进义务教育学校校长职级制改革试点。", "人事股", "", "2026年12月"),
        ]),
        ("4", "守牢校园安全底线", [
            ("开展校园安全隐患“季查季清”，重点整治校舍、食堂、校车安全。", "安全股", "后勤服务中心，各中小学校", "每季度末"),
        ]),
    ]
    nrows = 1 + sum(len(g[2]) for g in groups)
    t = doc.add_table(rows=nrows, cols=len(hdr))
    t.style = "Table Grid"
    for i, h in enumerate(hdr):
        set_cell(t.cell(0, i), h)
    repeat_header(t.rows[0])
    r = 1
    tasks = []
    for num, key, measures in groups:
        start = r
        for text, lead, co, when in measures:
            set_cell(t.cell(r, 2), text)
            set_cell(t.cell(r, 3), lead)
            set_cell(t.cell(r, 4), co)
            set_cell(t.cell(r, 5), when)
            tasks.append(task(text.replace("\n", ""), units(lead), units(co)))
            r += 1
        end = r - 1
        if end > start:
            a = t.cell(start, 0).merge(t.cell(end, 0))
            b = t.cell(start, 1).merge(t.cell(end, 1))
        else:
            a, b = t.cell(start, 0), t.cell(start, 1)
        set_cell(a, num)
        set_cell(b, key)
    doc.add_paragraph("")
    doc.add_paragraph("抄送：县政府督查室。")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(name, "重点工作列纵向合并、每行一条工作措施为叶子任务；牵头科室+责任科室→责任科室为co；多段落措施单元格合为一条",
                   [{"title": title, "bureau": "青溪县教育局", "tasks": tasks}])


# ================================================================ 02
def doc02():
    name = "02-nanling-minsheng-jindu"
    title = "南岭县2026年民生实事项目推进计划表"
    doc = new_doc(landscape=True)
    doc.add_paragraph("南岭县人民政府办公室")
    doc.add_paragraph("关于印发南岭县2026年民生实事项目推进计划的通知")
    doc.add_paragraph("各乡镇人民政府，县政府各部门：")
    doc.add_paragraph("经县政府研究同意，现将《南岭县2026年民生实事项目推进计划表》印发给你们。各牵头单位要按季度进度"
                      "倒排工期，配合单位要主动对接，确保年底前全面完成。")
    title_para(doc, title, 16)
    rows = [
        ("1", "新建南岭县第三小学", "建成24个教学班，新增学位1080个", "县教育局", "县住建局、县自然资源局",
         "完成初步设计", "开工建设", "主体封顶", "完成年度投资1.2亿元"),
        ("2", "改造农村义务教育学校薄弱设施", "完成12所学校厕所、食堂改造", "县教育局", "县财政局",
         "确定改造清单", "完成招标", "完成8所", "全部完工"),
        ("3", "为城乡困难家庭学生发放资助金", "资助学生不少于4500人次", "县教育局", "县民政局、县乡村振兴局",
         "春季学期资助发放", "—", "秋季学期资助认定", "全部发放到位"),
        ("4", "建设社区老年学校", "新建社区老年学校8所", "县教育局", "县老龄办、各乡镇人民政府",
         "选址", "建成3所", "建成6所", "建成8所"),
        ("5", "开展中小学生免费视力筛查", "筛查覆盖率达到100%", "县卫健局、县教育局", "各乡镇卫生院",
         "制定方案", "完成城区学校筛查", "完成农村学校筛查", "建立视力健康档案"),
        ("6", "新增城区公共停车泊位", "新增泊位1200个", "县城管局", "县公安局交警大队、县住建局",
         "完成点位规划", "新增300个", "新增800个", "新增1200个"),
        ("7", "实施“护苗”交通安全工程", "在学校周边新设交通安全设施50处", "县公安局交警大队", "县教育局、县交通运输局",
         "排查学校周边路段", "完成20处", "完成40处", "完成50处"),
    ]
    t = doc.add_table(rows=2 + len(rows), cols=9)
    t.style = "Table Grid"
    # two header rows
    for c, h in ((0, "序号"), (1, "项目名称"), (2, "年度目标任务")):
        m = t.cell(0, c).merge(t.cell(1, c))
        set_cell(m, h)
    m = t.cell(0, 3).merge(t.cell(0, 4))
    set_cell(m, "责任单位")
    m = t.cell(0, 5).merge(t.cell(0, 8))
    set_cell(m, "进度安排")
    for c, h in ((3, "牵头单位"), (4, "配合单位"), (5, "一季度"), (6, "二季度"), (7, "三季度"), (8, "四季度")):
        set_cell(t.cell(1, c), h)
    repeat_header(t.rows[0])
    repeat_header(t.rows[1])
    tasks = []
    for i, row in enumerate(rows):
        for c, v in enumerate(row):
            set_cell(t.cell(2 + i, c), v)
        tasks.append(task(row[1], units(row[3]), units(row[4]), target_text=row[2]))
    doc.add_paragraph("")
    doc.add_paragraph("南岭县人民政府办公室")
    doc.add_paragraph("2026年2月10日")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(name, "两行表头（责任单位→牵头/配合，进度安排→四个季度）；政府文件 bureau 为空；项目名称为任务",
                   [{"title": title, "bureau": "", "tasks": tasks}])


# ================================================================ 03
def doc03():
    name = "03-jiangzhou-fenjie-bullets"
    title = "江州市教育局2026年重点工作任务分解表"
    doc = new_doc(landscape=True)
    doc.add_paragraph("附件1")
    title_para(doc, title, 16)
    hdr = ["序号", "工作任务", "责任单位", "配合单位", "完成时限"]
    body = [
        ("sec", "一、落实立德树人根本任务"),
        ("1", "推进大中小学思政课一体化建设。", "思政科", "教研室", "2026年12月"),
        ("2", "①开展“书香校园”创建活动，命名市级书香校园20所；\n②举办全市中小学生经典诵读大赛；\n③推动中小学图书馆数字化改造。",
         "基础教育科", "语工办、电教馆", "2026年11月"),
        ("3", "加强学生心理健康教育，配齐专职心理教师。", "体卫艺科\n各县（市、区）教育局", "教研室", "2026年9月"),
        ("sec", "二、促进教育优质均衡"),
        ("4", "推进义务教育优质均衡发展县创建，年内力争1个县（市、区）通过省级评估。", "督导科", "基础教育科、发展规划科",
         "2026年10月"),
        ("5", "△实施普通高中强基扩优行动；\n△推进县域普通高中多样化特色发展。", "高中教育科", "教研室", "2026年12月"),
        ("6", "深化产教融合，新建市级产教融合实训基地3个。", "职成教科", "市人社局 市工信局", "2026年12月"),
    ]
    t = doc.add_table(rows=1 + len(body), cols=5)
    t.style = "Table Grid"
    for i, h in enumerate(hdr):
        set_cell(t.cell(0, i), h)
    tasks = []
    for r, row in enumerate(body, start=1):
        if row[0] == "sec":
            m = t.cell(r, 0).merge(t.cell(r, 4))
            set_cell(m, row[1])
            continue
        num, text, lead, co, when = row
        set_cell(t.cell(r, 0), num)
        set_cell(t.cell(r, 1), text)
        if "\n" in lead:
            set_cell_br(t.cell(r, 2), lead)
        else:
            set_cell(t.cell(r, 2), lead)
        set_cell(t.cell(r, 3), co)
        set_cell(t.cell(r, 4), when)
        parts = text.split("\n")
        if len(parts) > 1:
            for ptxt in parts:
                ptxt = re.sub(r"^[①②③④⑤△]", "", ptxt).rstrip("；;")
                tasks.append(task(ptxt, units(lead), units(co)))
        else:
            tasks.append(task(text, units(lead), units(co)))
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(name, "责任单位+配合单位无牵头→责任单位为lead；①②/△分条为独立叶子任务；整行合并的章节行；单元格内换行分单位",
                   [{"title": title, "bureau": "江州市教育局", "tasks": tasks}])


# ================================================================ 04
def doc04():
    name = "04-dongyang-tuijinbiao-jidu"
    title = "东阳区教育局2026年重点任务推进表"
    doc = new_doc(landscape=True)
    title_para(doc, title, 16)
    doc.add_paragraph("填报单位：（盖章）                         填报时间：    年  月  日")
    hdr = ["序号", "重点任务", "责任单位", "分管领导", "一季度", "二季度", "三季度", "四季度"]
    rows = [
        ("1", "实施中小学校舍改扩建工程，完成红星路小学等3所学校改扩建。", "规划建设科、计财科", "李副局长",
         "完成招标", "全面开工", "完成主体", "竣工验收"),
        ("2", "推进集团化办学，新组建教育集团2个。", "基础教育科", "王副局长",
         "制定方案", "遴选核心校", "挂牌成立", "开展评估"),
        ("3", "开展义务教育课堂教学改革“百校示范”活动。", None, None,
         "启动", "中期推进", "现场观摩", "总结表彰"),
        ("4", "健全学生资助体系，确保应助尽助。", "学生资助中心", "陈副局长",
         "春季资助", "—", "秋季资助", "年度绩效评价"),
        ("5", "推进教育数字化转型，建设智慧校园示范校10所。", "电教馆、各街道中心学校", None,
         "申报", "建设", "建设", "验收"),
        ("6", "开展教师“县管校聘”管理改革。", "组织人事科", "赵书记",
         "摸底", "出台办法", "组织竞聘", "完成交流轮岗"),
        ("7", "强化校园食品安全管理，实现“明厨亮灶”全覆盖。", "安全科\n区市场监管局", "陈副局长",
         "排查", "整改", "抽查", "全覆盖"),
        ("8", "落实“五项管理”，开展专项督导。", "督导室", None,
         "部署", "督导", "通报", "复查"),
    ]
    t = doc.add_table(rows=1 + len(rows), cols=len(hdr))
    t.style = "Table Grid"
    for i, h in enumerate(hdr):
        set_cell(t.cell(0, i), h)
    tasks = []
    last_unit = None
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is not None:
                set_cell(t.cell(r, c), v)
        unit = row[2] if row[2] is not None else last_unit
        last_unit = unit
        tasks.append(task(row[1], [], units(unit)))
    # merge 责任单位 and 分管领导 of rows 2-3; 分管领导 of rows 4-5 and 7-8
    t.cell(2, 2).merge(t.cell(3, 2))
    t.cell(2, 3).merge(t.cell(3, 3))
    t.cell(4, 3).merge(t.cell(5, 3))
    t.cell(7, 3).merge(t.cell(8, 3))
    # merged cells concatenate texts; reset to the single value
    for (r, c, v) in ((2, 2, "基础教育科"), (2, 3, "王副局长"), (4, 3, "陈副局长"), (7, 3, "陈副局长")):
        cell = t.cell(r, c)
        for p in cell.paragraphs[1:]:
            p._element.getparent().remove(p._element)
        cell.paragraphs[0].text = v
    if True:
        cell = t.cell(7, 2)
        for p in cell.paragraphs[1:]:
            p._element.getparent().remove(p._element)
        cell.paragraphs[0].text = ""
        set_cell_br(cell, "安全科\n区市场监管局")
    doc.add_paragraph("注：请各责任单位于每季度最后一个月20日前报送推进情况。")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(name, "单一责任单位列→全部co；责任单位与分管领导纵向合并；四个季度列为节点",
                   [{"title": title, "bureau": "东阳区教育局", "tasks": tasks}])


# ================================================================ 05
def doc05():
    name = "05-linchuan-minsheng-qingdan"
    title = "临川区教育局2026年教育民生实事任务清单"
    wb = Workbook()
    ws = wb.active
    ws.title = "民生实事"
    ws["A1"] = "附件2"
    ws.merge_cells("A2:G2")
    ws["A2"] = title
    ws["A2"].font = Font(bold=True, size=16)
    ws["A2"].alignment = Alignment(horizontal="center")
    hdr = ["序号", "类别", "实事项目", "具体目标", "牵头单位", "责任单位", "完成时限"]
    ws.append(hdr)
    rows = [
        ("1", "学前教育", "新建改扩建公办幼儿园3所", "新增公办学位540个", "发展规划科", "学前教育科、区住建局", "2026年8月底"),
        ("2", None, "推进托幼一体化", "新增2—3岁托位300个", "学前教育科", "区卫健委", "2026年12月底"),
        ("3", "义务教育", "实施中小学“午餐工程”提质", "城区学校午餐供餐满意度达到90%以上", "后勤管理中心", "各中小学校", "2026年9月"),
        ("4", None, "为义务教育学校配备AED设备", "实现全区义务教育学校全覆盖", "体卫艺科", "区红十字会 区财政局", "2026年10月"),
        ("5", None, "开展“暖心托管”暑期服务", "服务学生不少于3000人", "基础教育科", "团区委、区妇联", "2026年8月"),
        ("6", "特殊教育", "建设融合教育资源教室10间", "随班就读学生较多的学校全部配建", "特殊教育指导中心", "基础教育科", "2026年11月"),
        ("7", "职业教育", "开展新型职业农民技能培训", "培训2000人次", "职成教科", "区农业农村局，区人社局", "2026年12月"),
    ]
    tasks = []
    for row in rows:
        ws.append(list(row))
        tasks.append(task(row[2], units(row[4]), units(row[5]), target_text=row[3]))
    # 类别 merged vertically
    ws.merge_cells("B4:B5")
    ws.merge_cells("B6:B8")
    ws.append([])
    n = ws.max_row + 1
    ws.cell(n, 1, "注：1.牵头单位负责统筹协调、定期调度，责任单位按职责抓好落实。")
    ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=7)
    ws.cell(n + 1, 1, "2.各项目进展情况请于每月5日前报区教育局办公室（联系电话：8861234）。")
    ws.merge_cells(start_row=n + 1, start_column=1, end_row=n + 1, end_column=7)
    for col, w in zip("ABCDEFG", (6, 10, 30, 30, 16, 24, 14)):
        ws.column_dimensions[col].width = w
    wb.save(os.path.join(HERE, name + ".xlsx"))
    write_expected(name, "xlsx：附件行+合并标题行+表头+纵向合并类别+注释行；牵头单位+责任单位→责任单位为co",
                   [{"title": title, "bureau": "临川区教育局", "tasks": tasks}])


# ================================================================ 06
def doc06():
    name = "06-ninghe-ducha-jinzhan"
    title = "宁河县2026年一季度重点工作进展情况"
    wb = Workbook()
    ws = wb.active
    ws.title = title
    hdr = ["序号", "工作任务", "责任单位", "进展情况", "存在问题", "下步打算"]
    ws.append(hdr)
    rows = [
        (1, "新建宁河县实验中学", "县教育局 县住建局", "已完成可研批复，正在开展初步设计。", "用地报批滞后", "4月底前完成用地组卷"),
        (2, "推进城乡供水一体化工程  ", "县水利局", "完成管网铺设18公里。", "无", "加快推进"),
        (3, "开展农村公路“白改黑”", "县交通运输局\n各乡镇人民政府", "已完成12公里。", "资金缺口较大", "积极争取上级资金"),
        None,
        (4, "实施中小学教师“强师”培训", "县教育局、县人社局", "完成首期培训380人。", "—", "二季度开展骨干教师研修"),
        (5, "建设县级公共实训基地", "县人社局", "完成主体建设60%。", "施工进度偏慢", "督促施工单位增加作业面"),
        ("6", "推进老旧小区改造", "县住建局，城关镇人民政府", "已开工7个小区。", "群众意见协调难", "加强入户沟通"),
        (7, "落实学生营养改善计划", "县教育局\n县市场监管局\n县财政局", "一季度补助资金已全部拨付。", "无", "开展食品安全专项检查"),
        (8, "创建省级全民运动健身模范县", "县文广体旅局", "制定创建方案。", "场地设施不足", "新建健身路径20条"),
    ]
    tasks = []
    for row in rows:
        if row is None:
            ws.append([])
            continue
        ws.append(list(row))
        tasks.append(task(row[1].strip(), [], units(row[2])))
    for col, w in zip("ABCDEF", (6, 30, 22, 30, 18, 24)):
        ws.column_dimensions[col].width = w
    for r in ws.iter_rows(min_row=2):
        for c in r:
            c.alignment = Alignment(wrap_text=True, vertical="center")
    wb.save(os.path.join(HERE, name + ".xlsx"))
    write_expected(name, "xlsx：无标题行，表头在第1行，工作表名为标题；单一责任单位列→全部co；单位以空格/换行/顿号/逗号分隔；中间有空行",
                   [{"title": title, "bureau": "", "tasks": tasks}])


# ================================================================ 07
def doc07():
    name = "07-pingchuan-gongzuoyaodian-tails"
    title = "平川市教育局2026年工作要点"
    doc = new_doc()
    title_para(doc, title)
    doc.add_paragraph("2026年全市教育工作的总体要求是：坚持稳中求进，聚焦立德树人、优质均衡、改革创新三项重点，"
                      "加快建设教育强市，努力办好人民满意的教育。")
    items = [
        ("一、坚持党建引领，筑牢教育发展根基", None),
        ("1.深化党建“双创”工程。", "开展中小学校党组织领导的校长负责制落实情况专项检查，年内创建党建示范校15所。",
         "（牵头处室：组织人事处；配合处室：机关党委、基础教育处）", "组织人事处", "机关党委、基础教育处"),
        ("2.加强意识形态工作。", "健全意识形态工作责任制，定期开展校园阵地排查。",
         "（责任处室：宣传处、办公室）", "", "宣传处、办公室"),
        ("二、推进基础教育扩优提质", None),
        ("3.扩大优质学前教育资源。", "新建公办幼儿园6所，普惠性幼儿园覆盖率稳定在92%以上。",
         "（牵头处室：学前教育处；配合处室：发展规划处、财务处；完成时限：2026年9月底）", "学前教育处", "发展规划处、财务处"),
        ("4.推进义务教育优质均衡。", "推行学区化治理，实施城乡学校“手拉手”共同体建设。",
         "（牵头处室：基础教育处；配合处室：督导室，各县（市、区）教育局）", "基础教育处", "督导室、各县（市、区）教育局"),
        ("5.促进普通高中特色多样发展。", "培育省级特色高中2所。",
         "（牵头处室：高中教育处）", "高中教育处", ""),
        ("三、深化教育综合改革", None),
        ("6.推进中考改革。", "完善初中学业水平考试制度，优化综合素质评价。",
         "（牵头处室：考试院；配合处室：基础教育处、教研室）", "考试院", "基础教育处、教研室"),
        ("7.深化新时代教育评价改革。", "开展县域教育评价改革试点，坚决纠正唯分数、唯升学倾向。",
         "（牵头处室：政策法规处；配合处室：督导室）", "政策法规处", "督导室"),
        ("8.推进教育数字化。", "建设市级教育数据中心，完成“智慧作业”平台上线。",
         "（牵头处室：电教馆；配合处室：财务处、基础教育处；完成时限：2026年12月）", "电教馆", "财务处、基础教育处"),
        ("四、加强教师队伍建设", None),
        ("9.加强师德师风建设。", "开展师德专题教育，严肃查处违规有偿补课。",
         "（责任处室：教师工作处）", "", "教师工作处"),
        ("10.优化教师资源配置。", "推进中小学教师“县管校聘”，统筹调配紧缺学科教师。",
         "（牵头处室：教师工作处；配合处室：组织人事处 财务处）", "教师工作处", "组织人事处、财务处"),
    ]
    tasks = []
    for it in items:
        if it[1] is None:
            p = doc.add_paragraph()
            r = p.add_run(it[0])
            r.bold = True
            continue
        head, body, tail, lead, co = it
        doc.add_paragraph(head + body + tail)
        text = re.sub(r"^\d+\.", "", head) + body
        tasks.append(task(text, units(lead), units(co)))
    doc.add_paragraph("")
    doc.add_paragraph("平川市教育局办公室                2026年2月18日印发")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(name, "散文工作要点：条目尾括号（牵头处室：…；配合处室：…；完成时限：…）；只有责任处室→co；只有牵头处室→lead",
                   [{"title": title, "bureau": "平川市教育局", "tasks": tasks}])


# ================================================================ 08
def doc08():
    name = "08-xinan-fengong-labelled"
    title = "溪南区政府2026年重点工作任务分解和责任分工方案"
    doc = new_doc()
    doc.add_paragraph("溪南区人民政府关于印发《溪南区政府2026年重点工作任务分解和责任分工方案》的通知")
    doc.add_paragraph("各街道办事处，区政府各部门，各有关单位：")
    doc.add_paragraph("经区政府同意，现将《溪南区政府2026年重点工作任务分解和责任分工方案》印发给你们，请认真贯彻落实。")
    doc.add_paragraph("溪南区人民政府")
    doc.add_paragraph("2026年3月2日")
    title_para(doc, title, 16)
    doc.add_paragraph("为确保区政府工作报告确定的各项任务落到实处，现就全区2026年重点工作制定分工方案如下。")
    tasks = []

    def item(text_lines, leader, lead, co, colon="："):
        for ln in text_lines:
            doc.add_paragraph(ln)
        if leader:
            doc.add_paragraph("牵头区领导：" + leader)
        if lead is not None:
            doc.add_paragraph("牵头单位" + colon + lead)
        if co is not None:
            doc.add_paragraph("责任单位：" + co)

    doc.add_paragraph("一、办好人民满意的教育")
    item(["1.新建溪南实验学校，新增义务教育学位1800个。"], "周文涛", "区教育局", "区住建局，区自然资源分局，江北街道")
    tasks.append(task("新建溪南实验学校，新增义务教育学位1800个。", ["区教育局"], ["区住建局", "区自然资源分局", "江北街道"]))
    item(["2.深化“双减”成果，义务教育学校课后服务实现全覆盖。"], "周文涛", "区教育局", "各街道")
    tasks.append(task("深化“双减”成果，义务教育学校课后服务实现全覆盖。", ["区教育局"], ["各街道"]))
    doc.add_paragraph("3.提升学前教育保障水平。")
    subs = ["（1）完成3所街道中心幼儿园提档升级。",
            "（2）落实学前教育资助政策，做到应助尽助。",
            "（3）开展无证幼儿园专项整治。"]
    item(subs, "周文涛", "区教育局", "区财政局，区市场监管局，各街道")
    for s in subs:
        tasks.append(task(re.sub(r"^（\d）", "", s), ["区教育局"], ["区财政局", "区市场监管局", "各街道"]))
    doc.add_paragraph("二、织密民生保障网")
    item(["4.城镇新增就业3500人，城镇调查失业率控制在5.5%以内。"], "孙立群", "区人社局", "各街道，区就业服务中心", colon=":")
    tasks.append(task("城镇新增就业3500人，城镇调查失业率控制在5.5%以内。", ["区人社局"], ["各街道", "区就业服务中心"]))
    item(["5.新建社区嵌入式养老服务站6个。"], "孙立群", "区民政局", "区卫健局、区财政局")
    tasks.append(task("新建社区嵌入式养老服务站6个。", ["区民政局"], ["区卫健局", "区财政局"]))
    item(["6.推进区人民医院门诊综合楼建设，年底前主体完工。"], "孙立群", "区卫健局", None)
    tasks.append(task("推进区人民医院门诊综合楼建设，年底前主体完工。", ["区卫健局"], []))
    doc.add_paragraph("三、提升城市治理水平")
    item(["7.改造老旧小区12个，惠及居民2800户。"], "郑海波", "区住建局", "相关街道")
    tasks.append(task("改造老旧小区12个，惠及居民2800户。", ["区住建局"], ["相关街道"]))
    doc.add_paragraph("各牵头单位要会同责任单位于3月20日前制定细化方案，报区政府督查室备案。")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(name, "逐行标签：牵头区领导/牵头单位/责任单位各占一段；（1）（2）（3）子项为叶子并继承父项单位；政府文件 bureau 为空",
                   [{"title": title, "bureau": "", "tasks": tasks}])


# ================================================================ 09 (Word automatic numbering)
NUMBERING_ABSTRACT_ID = "90"
NUM_ID = "90"


def add_numbering(doc):
    numbering = doc.part.numbering_part.element
    absn = OxmlElement("w:abstractNum")
    absn.set(qn("w:abstractNumId"), NUMBERING_ABSTRACT_ID)
    mlt = OxmlElement("w:multiLevelType")
    mlt.set(qn("w:val"), "multilevel")
    absn.append(mlt)
    specs = [(0, "chineseCounting", "%1、"), (1, "decimal", "%2."), (2, "decimal", "（%3）")]
    for ilvl, fmt, text in specs:
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        start = OxmlElement("w:start")
        start.set(qn("w:val"), "1")
        lvl.append(start)
        nf = OxmlElement("w:numFmt")
        nf.set(qn("w:val"), fmt)
        lvl.append(nf)
        if ilvl > 0:
            rs = OxmlElement("w:lvlRestart")
            rs.set(qn("w:val"), str(ilvl))
            lvl.append(rs)
        lt = OxmlElement("w:lvlText")
        lt.set(qn("w:val"), text)
        lvl.append(lt)
        jc = OxmlElement("w:lvlJc")
        jc.set(qn("w:val"), "left")
        lvl.append(jc)
        pPr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), "0")
        ind.set(qn("w:firstLine"), "640")
        pPr.append(ind)
        lvl.append(pPr)
        absn.append(lvl)
    # abstractNum elements must precede num elements
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(absn)
    else:
        numbering.append(absn)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), NUM_ID)
    an = OxmlElement("w:abstractNumId")
    an.set(qn("w:val"), NUMBERING_ABSTRACT_ID)
    num.append(an)
    numbering.append(num)


def numbered(doc, text, ilvl):
    p = doc.add_paragraph(text)
    pPr = p._p.get_or_add_pPr()
    numPr = OxmlElement("w:numPr")
    il = OxmlElement("w:ilvl")
    il.set(qn("w:val"), str(ilvl))
    ni = OxmlElement("w:numId")
    ni.set(qn("w:val"), NUM_ID)
    numPr.append(il)
    numPr.append(ni)
    pPr.insert(0, numPr)
    return p


def doc09():
    name = "09-yunling-autonumber-first-lead"
    title = "云岭县教育局2026年工作要点"
    doc = new_doc()
    add_numbering(doc)
    doc.add_paragraph("云岭县教育局关于印发《云岭县教育局2026年工作要点》的通知")
    doc.add_paragraph("各乡镇中心学校，县直各学校、幼儿园，局机关各股室、直属单位：")
    doc.add_paragraph("现将《云岭县教育局2026年工作要点》印发给你们，请结合实际抓好落实。各项工作所列责任单位中，"
                      "排名第一位的为牵头单位，其余为配合单位。")
    doc.add_paragraph("云岭县教育局")
    doc.add_paragraph("2026年2月26日")
    title_para(doc, title, 16)
    numbered(doc, "总体要求", 0)
    numbered(doc, "指导思想。坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务。", 1)
    numbered(doc, "工作目标。全县学前三年毛入园率保持在95%以上，义务教育巩固率达到98%，高中阶段毛入学率达到93%。", 1)
    secs = [
        ("推动各级各类教育协调发展", [
            ("实施学前教育普及普惠县创建，新增普惠性学位450个。", "基础教育股、计划财务股、各乡镇中心学校"),
            ("推进义务教育学校标准化建设，完成5所乡村小规模学校提升改造。", "计划财务股、基础教育股"),
            ("办好县职业中学，开设现代农业技术、电子商务等特色专业。", "职成教股、教研室"),
        ]),
        ("全面提升教育教学质量", [
            ("开展“县域教研共同体”建设，组织送教下乡活动不少于20场。", "教研室、基础教育股"),
            ("加强体育美育劳动教育，确保学生每天校内体育活动时间不少于2小时。", "体卫艺股、基础教育股、各学校"),
            ("开展学生近视、肥胖等健康问题综合防控。", "体卫艺股 县疾控中心"),
        ]),
        ("强化教育保障", [
            ("落实教育经费“两个只增不减”，规范学校财务管理。", "计划财务股、审计股"),
            ("推进平安校园建设，开展防溺水、交通安全专项教育。", "安全股、各乡镇中心学校、县直各学校"),
            ("完成乡村教师周转宿舍建设120套。", "计划财务股"),
        ]),
    ]
    tasks = []
    for sec, items in secs:
        numbered(doc, sec, 0)
        for text, us in items:
            numbered(doc, text + "（" + us + "）", 1)
            u = units(us)
            tasks.append(task(text, u[:1], u[1:]))
    doc.add_paragraph("（此件主动公开）")
    doc.save(os.path.join(HERE, name + ".docx"))
    write_expected(name, "Word自动编号（numbering.xml，一、/1.）无键入编号；通知声明排名第一位为牵头单位→首个单位lead；总体要求下的编号段落不是任务",
                   [{"title": title, "bureau": "云岭县教育局", "tasks": tasks}])


def main():
    doc01()
    doc02()
    doc03()
    doc04()
    doc05()
    doc06()
    doc07()
    doc08()
    doc09()


if __name__ == "__main__":
    main()
