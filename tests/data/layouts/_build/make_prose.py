"""Prose-layout documents of the gallery (numbers 20–39 that are .docx).

Each document is a list of paragraphs. A paragraph is a plain string (typed text, numbers typed by the
writer), or a tuple (text, num_id, ilvl) for a paragraph that takes its number from numbering.xml, or a
dict for anything else (style, alignment, numbering). All text is invented for the tests.
"""

from __future__ import annotations

import pathlib

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# --------------------------------------------------------------------------- helpers


def _new() -> docx.Document:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    return document


def _title(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True


def _right(document, text: str) -> None:
    paragraph = document.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _set_num(paragraph, num_id: int, ilvl: int = 0) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def _add(document, item) -> None:
    """Add one paragraph spec (see the module docstring)."""
    if isinstance(item, str):
        document.add_paragraph(item)
        return
    if isinstance(item, tuple):
        text, num_id, ilvl = item
        _set_num(document.add_paragraph(text), num_id, ilvl)
        return
    paragraph = document.add_paragraph(item["text"], style=item.get("style"))
    if "num" in item:
        _set_num(paragraph, *item["num"])


class Numbering:
    """Writes w:abstractNum and w:num elements into the document's numbering part."""

    def __init__(self, document):
        self.element = document.part.numbering_part.element
        abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in self.element.findall(qn("w:abstractNum"))]
        num_ids = [int(n.get(qn("w:numId"))) for n in self.element.findall(qn("w:num"))]
        self.next_abstract = max(abstract_ids, default=0) + 10
        self.next_num = max(num_ids, default=0) + 10

    def abstract(self, levels: list[tuple[str, str]], styles: dict[int, str] | None = None) -> int:
        """levels: (numFmt, lvlText) per level, e.g. ("chineseCounting", "%1、")."""
        styles = styles or {}
        abstract_id = self.next_abstract
        self.next_abstract += 1
        lvls = []
        for ilvl, (fmt, text) in enumerate(levels):
            pstyle = f'<w:pStyle w:val="{styles[ilvl]}"/>' if ilvl in styles else ""
            lvls.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
            )
        xml = (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="{"multilevel" if len(levels) > 1 else "singleLevel"}"/>'
            + "".join(lvls)
            + "</w:abstractNum>"
        )
        element = parse_xml(xml)
        first_num = self.element.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.element.append(element)
        return abstract_id

    def num(self, abstract_id: int, restart: bool = False) -> int:
        num_id = self.next_num
        self.next_num += 1
        override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
        xml = f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        self.element.append(parse_xml(xml))
        return num_id


def _save(document, out_dir: pathlib.Path, name: str) -> None:
    document.save(out_dir / name)


# --------------------------------------------------------------------------- 20: labelled unit lines, leaders


def doc20(out_dir):
    d = _new()
    _title(d, "安澜市教育局2025年工作要点")
    for p in [
        "2025年是“十四五”规划收官之年。全市教育系统要坚持立德树人根本任务，聚焦办好人民满意的教育，"
        "统筹推进各级各类教育协调发展。现将全年重点工作安排如下。",
        "一、全面加强教育系统党的建设",
        "1.深化党建引领。健全局党组理论学习中心组学习制度，推动基层党组织标准化规范化建设。"
        "开展“一校一品”党建品牌创建，形成一批可复制的经验做法。",
        "牵头责任单位：市教育局机关党委",
        "协同责任单位：市委组织部、市委教育工委",
        "责任领导：李明",
        "2.加强师德师风建设。完善师德考核评价办法，对违反师德行为实行“零容忍”。"
        "组织开展师德师风专项整治，建立问题线索台账并逐一销号。",
        "牵头责任单位：市教育局教师工作科",
        "协同责任单位：市教育局督导室、市纪委监委驻市教育局纪检监察组",
        "分管领导：王副局长",
        "二、推进基础教育优质均衡发展",
        "3.扩大优质学前教育资源。新建、改扩建一批公办幼儿园，落实普惠性民办幼儿园扶持政策，"
        "规范幼儿园收费管理。",
        "牵头责任单位：市教育局基础教育科",
        "协同责任单位：市财政局、市人力社保局、市自然资源和规划局",
        "责任领导：陈晓华",
        "4.推进义务教育集团化办学。扩大紧密型教育集团覆盖面，探索集团内教师统一调配、课程统一开发机制。",
        "牵头责任单位：市教育局基础教育科",
        "协同责任单位：市教育局人事科、各县（市、区）教育局",
        "5.促进普通高中多样化发展。支持有条件的高中建设科技、人文、艺术特色课程基地，稳妥推进选课走班。",
        "牵头责任单位：市教育局基础教育科",
        "分管领导：陈晓华",
        "三、提升教育治理能力",
        "6.深化教育督导改革。完善督学责任区制度，开展县域义务教育优质均衡发展督导评估。",
        "协同责任单位：市教育局督导室、市教育局基础教育科",
        "7.加强校园安全管理。健全校园安全风险防控体系，常态化开展防溺水、交通安全和消防安全教育。",
        "牵头责任单位：市教育局安全稳定科",
        "协同责任单位：市公安局、市应急管理局、市消防救援支队",
        "责任领导：李明",
    ]:
        _add(d, p)
    _right(d, "安澜市教育局")
    _right(d, "2025年2月18日")
    _save(d, out_dir, "20-labelled-unit-lines.docx")


# --------------------------------------------------------------------------- 22: 科室 tails


def doc22(out_dir):
    d = _new()
    _title(d, "临川区教育和体育局2025年工作要点")
    for p in [
        "2025年，全区教育体育工作以推动教育高质量发展为主线，着力解决群众急难愁盼问题。主要工作如下。",
        "一、坚持党建统领",
        "1.落实全面从严治党主体责任。制定年度党建工作责任清单，压实党组织书记第一责任人责任。"
        "开展党组织书记抓党建述职评议。（责任科室：组干科、机关党委）",
        "2.强化意识形态阵地管理。加强校园讲座、论坛、新媒体平台审核把关，定期研判意识形态领域情况。"
        "（责任科室：宣传科、办公室）",
        "二、办好公平优质教育",
        "3.推进城区学校扩容。加快实施城东小学、滨河中学新建工程，缓解城区学位紧张状况。"
        "（责任科室：计财科、基教科、安全后勤科）",
        "4.深化“双减”工作。提升课后服务质量，丰富科技、体育、艺术类服务项目，严格校外培训机构日常监管。"
        "（责任科室：基教科、校外培训监管科）",
        "5.关爱特殊群体学生。完善留守儿童、随迁子女和残疾儿童少年关爱帮扶机制，落实送教上门制度。"
        "（责任科室：基教科、学生资助中心）",
        "三、发展群众体育事业",
        "6.完善全民健身设施。推进社区多功能运动场建设，推动学校体育场馆在课余时间向社会开放。"
        "（责任科室：体育科、计财科）",
    ]:
        _add(d, p)
    _right(d, "临川区教育和体育局")
    _right(d, "2025年3月3日")
    _save(d, out_dir, "22-keshi-tail.docx")


# --------------------------------------------------------------------------- 24: deadlines in tails and text


def doc24(out_dir):
    d = _new()
    _title(d, "东海省教育厅2025年工作要点")
    for p in [
        "2025年全省教育工作要深入实施教育强省建设规划，扎实推进各项改革任务落地见效。",
        "一、推动基础教育扩优提质",
        "1.开展义务教育优质均衡发展县创建。指导各地对照评估指标查漏补缺，形成创建工作台账。"
        "（牵头单位：基教处；配合单位：督导室；完成时限：6月底前）",
        "2.推进县中发展提升行动。建立省级示范性高中与县域高中结对帮扶机制，组织开展县中校长专题培训。"
        "（牵头单位：基教处；配合单位：教师处、财务处；完成时限：2025年10月底前）",
        "3.完善学前教育保教质量评估。三季度完成省级幼儿园保育教育质量评估指南修订并印发实施。"
        "（牵头单位：基教处）",
        "二、提升职业教育和高等教育服务能力",
        "4.推进市域产教联合体建设。遴选一批产教融合型企业，年内实现各设区市产教联合体全覆盖。"
        "（牵头单位：职成处；配合单位：发展规划处）",
        "5.实施高校学科专业结构优化调整。上半年完成本科专业设置预警名单发布，撤销一批就业质量偏低的专业。"
        "（牵头单位：高教处）",
        "6.加强高校毕业生就业指导。健全就业育人体系，三季度末前完成离校未就业毕业生信息衔接。"
        "（牵头单位：学生处；配合单位：高教处）",
        "三、强化教育保障",
        "7.落实教师减负清单。清理规范进校园事项，6月底前完成各类检查评比考核事项的集中清理。"
        "（牵头单位：教师处；配合单位：办公室）",
        "8.加强教育经费监管。开展教育经费使用绩效评价，规范学校财务管理和政府采购行为。"
        "（牵头单位：财务处；配合单位：审计处；完成时限：12月底前）",
        "9.推进教育数字化转型。持续完善省级智慧教育平台功能，推动优质数字资源向农村学校倾斜。"
        "（牵头单位：科技处）",
    ]:
        _add(d, p)
    _right(d, "东海省教育厅")
    _right(d, "2025年2月26日")
    _save(d, out_dir, "24-tail-and-text-deadlines.docx")


# --------------------------------------------------------------------------- 25: notice title


def doc25(out_dir):
    d = _new()
    _title(d, "安澜市教育局关于印发《安澜市教育局2025年工作要点》的通知")
    for p in [
        "安教〔2025〕12号",
        "各县（市、区）教育局，市直各学校，局机关各科室：",
        "根据《安澜市教育事业发展“十四五”规划》和全市教育工作会议部署，现将《安澜市教育局2025年工作要点》"
        "印发给你们，请结合实际认真抓好落实。",
    ]:
        _add(d, p)
    _right(d, "安澜市教育局")
    _right(d, "2025年2月20日")
    _title(d, "安澜市教育局2025年工作要点")
    for p in [
        "一、落实立德树人根本任务",
        "1.推进大中小学思政课一体化建设。组建市级思政课教学联盟，每学期开展一次同课异构集体备课活动。"
        "（责任单位：基础教育科、教研室）",
        "2.加强学生心理健康教育。落实《安澜市学生心理健康促进行动方案》，配齐配强专兼职心理健康教师。"
        "（责任单位：体卫艺科、教研室）",
        "二、实施六大人才行动计划",
        "3.实施名校长培养计划。遴选一批中青年校长开展跟岗研修，建立名校长工作室。"
        "（责任单位：人事科、教师发展中心）",
        "4.实施骨干教师梯队攀升计划。完善教坛新秀、教学能手、学科带头人逐级评选机制。"
        "（责任单位：人事科、教师发展中心）",
        "三、深化三年行动方案",
        "5.推进学前教育普及普惠三年行动。巩固普惠性幼儿园覆盖成果，推动乡镇公办中心园提质。"
        "（责任单位：基础教育科）",
        "6.推进职业教育提质培优三年行动。深化校企合作，建设一批市级高水平专业群。"
        "（责任单位：职业教育科、发展规划科）",
    ]:
        _add(d, p)
    _save(d, out_dir, "25-notice-cites-other-book-title.docx")


# --------------------------------------------------------------------------- 27: （一） sections with 1. items


def doc27(out_dir):
    d = _new()
    _title(d, "江州市教委2025年工作要点")
    for p in [
        "2025年，全市教育系统围绕建设教育强市目标，重点抓好以下工作。",
        "（一）推进学前教育普及普惠。坚持公益普惠基本方向，着力补齐农村和城乡结合部资源短板。",
        "1.实施公办幼儿园扩容工程。利用闲置校舍改建一批公办幼儿园，优先满足适龄幼儿就近入园需求。"
        "（牵头单位：学前教育处；配合单位：发展规划处）",
        "2.提升保育教育质量。深化幼小科学衔接实验区建设，坚决纠正幼儿园“小学化”倾向。"
        "（牵头单位：学前教育处；配合单位：教研室）",
        "（二）推动义务教育优质均衡。以缩小城乡、校际差距为重点，促进教育机会公平。",
        "1.深化学区制管理改革。完善学区内资源共享、教研共进、考核捆绑机制。"
        "（牵头单位：基教处）",
        "2.规范义务教育招生入学。严格落实免试就近入学，全面推行网上报名和阳光分班。"
        "（牵头单位：基教处；配合单位：督导室）",
        "3.加强乡村小规模学校建设。改善办学条件，推进城乡学校结对帮扶全覆盖。"
        "（牵头单位：基教处；配合单位：财务处）",
        "（三）加强教师队伍建设。着力打造高素质专业化创新型教师队伍。",
        "1.优化教师资源配置。推进县域内教师“县管校聘”管理改革，促进教师合理流动。"
        "（牵头单位：人事处；配合单位：教师工作处）",
        "2.完善教师培训体系。实施新教师入职培训和骨干教师高端研修，提高培训针对性。"
        "（牵头单位：教师工作处）",
    ]:
        _add(d, p)
    _right(d, "江州市教委")
    _right(d, "2025年3月10日")
    _save(d, out_dir, "27-paren-sections-with-items.docx")


# --------------------------------------------------------------------------- 29: 第一部分 top level, 1）items


def doc29(out_dir):
    d = _new()
    _title(d, "青溪县教育体育局2025年教育体育工作要点")
    for p in [
        "第一部分 教育事业",
        "一、办好学前和义务教育",
        "1）推进乡镇公办中心幼儿园标准化建设，补齐保教设施设备短板。",
        "2）实施义务教育薄弱学校改造，改善农村寄宿制学校食宿条件。",
        "3）加强控辍保学工作，落实“一生一案”动态监测。",
        "二、提升高中和职业教育质量",
        "1）推进县一中、县二中特色多样发展，提升高考综合改革适应能力。",
        "2）深化县职教中心与本地企业合作，开设订单班。",
        "第二部分 体育事业",
        "一、推动群众体育发展",
        "1）举办全县农民运动会，广泛开展乡村篮球赛事活动。",
        "2）新建一批健身步道和笼式足球场，方便群众就近健身。",
        "二、抓好竞技体育后备人才培养",
        "1）完善县少体校与中小学联合培养机制，选拔输送优秀苗子。",
    ]:
        _add(d, p)
    _right(d, "青溪县教育体育局")
    _right(d, "2025年3月1日")
    _save(d, out_dir, "29-part-headings-and-paren-digits.docx")


# --------------------------------------------------------------------------- 31: numbering continues, 11.121人才工程


def doc31(out_dir):
    d = _new()
    _title(d, "安澜市教育局2025年人才工作要点")
    for p in [
        "一、加强人才工作统筹",
        "1.健全教育人才工作领导机制。定期召开教育系统人才工作专题会议，研究解决人才引育重大问题。",
        "牵头单位：市委教育工委",
        "配合单位：市委组织部",
        "2.完善人才工作考核办法。将人才工作纳入县（市、区）教育局和市直学校年度目标考核。",
        "牵头单位：市教育局人事科",
        "配合单位：市人力资源和社会保障局",
        "3.建立人才需求动态目录。梳理全市中小学紧缺学科教师需求，按年度发布引才目录。",
        "牵头单位：市教育局人事科",
        "二、拓宽人才引进渠道",
        "4.开展高层次人才专项引进。赴重点师范院校开展校园招聘，落实安家补贴和住房保障政策。",
        "牵头单位：市委组织部",
        "配合单位：市人力资源和社会保障局、市财政局、市教育局",
        "5.推进产教人才双向流动。支持职业院校聘请企业技术骨干担任兼职教师。",
        "牵头单位：市教育局职业教育科",
        "配合单位：市科技和信息化局、市人力资源和社会保障局",
        "6.支持高校引育科研团队。支持本地高校围绕主导产业组建科研创新团队。",
        "牵头单位：市科技和信息化局",
        "配合单位：市发展和改革委员会、市教育局",
        "三、做强人才培养平台",
        "7.建设名师工作室联盟。整合市县两级名师工作室，实行项目化管理和年度考评。",
        "牵头单位：市教育局教师发展中心",
        "8.开展青年教师成长营活动。组织入职五年内青年教师参加教学基本功训练和展示。",
        "牵头单位：市教育局教师发展中心",
        "配合单位：各县（市、区）教育局",
        "9.推进校长职级制改革。完善校长职级评定标准和薪酬激励办法。",
        "牵头单位：市委组织部",
        "配合单位：市教育局、市人力资源和社会保障局",
        "10.深化教师职称制度改革。完善中小学教师职称评价标准，突出教育教学实绩导向。",
        "牵头单位：市人力资源和社会保障局",
        "配合单位：市教育局人事科",
        "11.121人才工程扩面提质。按照培养一百名领军人才、两百名骨干人才、一千名青年人才的目标，"
        "完善遴选、培养、考核全链条机制。",
        "牵头单位：市教育局人事科",
        "配合单位：市委组织部、市财政局",
        "12.优化人才服务保障。建立教育人才服务专员制度，协调解决子女入学、配偶就业等问题。",
        "牵头单位：市教育局办公室",
        "配合单位：市发展和改革委员会、市人力资源和社会保障局",
    ]:
        _add(d, p)
    _right(d, "安澜市教育局")
    _right(d, "2025年3月12日")
    _save(d, out_dir, "31-number-continues-121.docx")


# --------------------------------------------------------------------------- 32: automatic numbering, three levels


def doc32(out_dir):
    d = _new()
    numbering = Numbering(d)
    abstract = numbering.abstract([("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")])
    n = numbering.num(abstract)
    _title(d, "临川区教育和体育局2025年学校体育和健康教育工作要点")
    for p in [
        "为全面提升学生体质健康水平，结合我区实际，制定本要点。",
        ("深化学校体育改革", n, 0),
        ("上好体育与健康课程", n, 1),
        ("开齐开足体育课，推行“健康知识+基本运动技能+专项运动技能”教学模式。（责任单位：体卫艺科、教研室）", n, 2),
        ("保障学生每天校内外各一小时体育活动时间，落实大课间制度。（责任单位：体卫艺科）", n, 2),
        ("完善体育竞赛体系", n, 1),
        ("举办区中小学生运动会和校园足球联赛，建立校级、片区、区级三级竞赛机制。（责任单位：体卫艺科、区体育中心）", n, 2),
        ("支持学校组建篮球、排球、田径等运动队，开展常态化训练。（责任单位：体卫艺科）", n, 2),
        ("加强学生健康管理", n, 0),
        ("推进近视和肥胖综合防控", n, 1),
        ("落实眼保健操和课间远眺制度，每学期开展一次视力筛查并建立档案。（责任单位：体卫艺科、区疾控中心）", n, 2),
        ("加强学校食堂营养配餐指导，开展超重肥胖学生运动干预。（责任单位：体卫艺科、安全后勤科）", n, 2),
        ("开展健康教育进课堂活动，普及传染病防控和急救知识。（责任单位：体卫艺科、区卫生健康局）", n, 2),
    ]:
        _add(d, p)
    _right(d, "临川区教育和体育局")
    _right(d, "2025年3月6日")
    _save(d, out_dir, "32-word-autonumber-three-levels.docx")


# --------------------------------------------------------------------------- 33: automatic numbering, ① leaves


def doc33(out_dir):
    d = _new()
    numbering = Numbering(d)
    abstract = numbering.abstract(
        [("chineseCounting", "%1、"), ("decimal", "%2."), ("decimalEnclosedCircle", "%3")]
    )
    n = numbering.num(abstract)
    _title(d, "云岭市教体局2025年教育信息化工作要点")
    for p in [
        ("夯实数字基础设施", n, 0),
        ("推进校园网络提速升级。", n, 1),
        ("完成农村中小学千兆光纤接入，实现校园无线网络教学区域全覆盖。", n, 2),
        ("建设市级教育城域网安全监测平台，开展网络安全等级保护测评。", n, 2),
        ("更新教室多媒体设备，淘汰超期服役的投影设备。", n, 1),
        ("深化数字教育应用", n, 0),
        ("推动国家智慧教育平台常态化应用。", n, 1),
        ("组织教师参加平台应用专题培训，将应用情况纳入学校年度考核。", n, 2),
        ("遴选一批平台应用示范校，总结推广典型案例。", n, 2),
        ("开展学生数字素养提升活动。", n, 1),
        ("举办中小学生信息素养大赛和人工智能创意作品展示。", n, 2),
        ("在初中阶段开设人工智能普及课程。", n, 2),
    ]:
        _add(d, p)
    _right(d, "云岭市教体局")
    _right(d, "2025年2月28日")
    _save(d, out_dir, "33-word-autonumber-circled.docx")


# --------------------------------------------------------------------------- 34: automatic numbering, restart per section


def doc34(out_dir):
    d = _new()
    numbering = Numbering(d)
    chapters = numbering.num(numbering.abstract([("chineseCounting", "%1、")]))
    decimal = numbering.abstract([("decimal", "%1.")])
    paren = numbering.abstract([("decimal", "%1）")])
    first, second, third = numbering.num(decimal, True), numbering.num(decimal, True), numbering.num(paren, True)
    _title(d, "江州市教委2025年语言文字工作要点")
    for p in [
        "为深入推进国家通用语言文字推广普及，现就2025年全市语言文字工作作出如下安排。",
        ("推广普及国家通用语言文字", chapters, 0),
        ("开展第二十八届全国推广普通话宣传周活动，组织进社区、进农村、进企业宣传。", first, 0),
        ("推进农村学前儿童普通话教育，组织幼儿教师参加普通话能力提升培训。", first, 0),
        ("加强教师普通话水平测试管理，规范测试站点考务工作。", first, 0),
        ("加强学校语言文字工作", chapters, 0),
        ("开展语言文字规范化示范校创建，完成一批示范校评估验收。", second, 0),
        ("将语言文字规范使用纳入学校督导评估内容。", second, 0),
        ("传承弘扬中华优秀语言文化", chapters, 0),
        ("举办中华经典诵写讲大赛，组织优秀作品展演。", third, 0),
        ("开展方言文化保护调查，建立地方语言资源档案。", third, 0),
    ]:
        _add(d, p)
    _right(d, "江州市教委")
    _right(d, "2025年3月18日")
    _save(d, out_dir, "34-word-autonumber-restart-per-section.docx")


# --------------------------------------------------------------------------- 35: heading styles and List Number


def doc35(out_dir):
    d = _new()
    numbering = Numbering(d)
    heading_abstract = numbering.abstract([("chineseCounting", "%1、")], styles={0: "Heading1"})
    heading_num = numbering.num(heading_abstract)
    heading1 = d.styles["Heading 1"].element
    num_pr = heading1.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = heading_num
    list_abstract = numbering.abstract([("decimal", "%1.")])
    list_num = numbering.num(list_abstract)
    list_style = d.styles["List Number"].element
    list_style.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = list_num
    restart_1 = numbering.num(list_abstract, True)
    restart_2 = numbering.num(list_abstract, True)
    _title(d, "安澜市教育局2025年教育民生实事工作要点")
    for p in [
        "2025年，市教育局围绕群众关心的入学、入园、课后服务等问题，集中办好一批教育民生实事。",
        {"text": "办好家门口的好学校", "style": "Heading 1"},
        {"text": "学前教育", "style": "Heading 2"},
        {"text": "新建公办幼儿园一批，增加普惠性学位供给。", "style": "List Number"},
        {"text": "开展托幼一体化试点，招收两至三岁幼儿。", "style": "List Number"},
        {"text": "义务教育", "style": "Heading 2"},
        {"text": "推进中小学食堂明厨亮灶改造，实现公办学校全覆盖。", "style": "List Number", "num": (restart_1, 0)},
        {"text": "优化课后服务内容，推广“基础托管+特色课程”模式。", "style": "List Number", "num": (restart_1, 0)},
        {"text": "为农村学校配备校车，保障偏远地区学生安全上下学。", "style": "List Number", "num": (restart_1, 0)},
        {"text": "帮扶困难学生群体", "style": "Heading 1"},
        {"text": "做好家庭经济困难学生资助，确保应助尽助。", "style": "List Number", "num": (restart_2, 0)},
        {"text": "开展残疾儿童少年送教上门，建立一人一案。", "style": "List Number", "num": (restart_2, 0)},
    ]:
        _add(d, p)
    _right(d, "安澜市教育局")
    _right(d, "2025年1月25日")
    _save(d, out_dir, "35-heading-styles-list-number.docx")


# --------------------------------------------------------------------------- 38: empty item


def doc38(out_dir):
    d = _new()
    _title(d, "青溪县教育体育局2025年工作要点")
    for p in [
        "2025年，全县教育体育系统要紧扣县委县政府中心工作，扎实办好人民满意的教育。",
        "一、促进教育均衡发展",
        "1.推进城乡教育共同体建设。以城区优质学校带动乡村学校，实行教研、管理、考核一体化。"
        "（责任股室：基教股、人事股）",
        "2.改善农村学校办学条件。实施乡村学校厕所、宿舍、食堂改造，更新教学仪器设备。"
        "（责任股室：计财股、基教股）",
        "3.",
        "4.加强教师队伍建设。落实乡村教师生活补助政策，开展城乡教师交流轮岗。"
        "（责任股室：人事股）",
        "二、守牢校园安全底线",
        "5.开展校园安全隐患排查整治。重点排查校舍、消防、食品安全等领域隐患，建立整改台账。"
        "（责任股室：安全股、计财股）",
        "6.加强校车安全管理。规范校车驾驶人资格审查，落实随车照管人员制度。"
        "（责任股室：安全股）",
    ]:
        _add(d, p)
    _right(d, "青溪县教育体育局")
    _right(d, "2025年2月21日")
    _save(d, out_dir, "38-empty-item.docx")


def main(out_dir: pathlib.Path) -> None:
    for build in (doc20, doc22, doc24, doc25, doc27, doc29, doc31, doc32, doc33, doc34, doc35, doc38):
        build(pathlib.Path(out_dir))


if __name__ == "__main__":
    main(pathlib.Path(__file__).resolve().parent.parent)
