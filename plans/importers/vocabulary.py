"""The words plan documents are written in, as data the readers share.

Chinese compounds put their head word last: 主要责任单位 is a unit (单位) that is mainly responsible
(主要责任), 年度任务目标 a target, 重点工作任务 a task. Columns and labels are recognised by that head
word and by the role words before it, so a header nobody listed still finds its role.
"""

from __future__ import annotations

import re

CN_DIGITS = "一二三四五六七八九十"
ALL_DIVISIONS = "各处室"

# ---------------------------------------------------------------- roles of a column or a label

# Words that make a unit column or label the lead (牵头) one.
LEAD_WORDS = ("牵头", "主要责任", "主责", "主办", "主体责任")
# Words that make it a co-operating one.
CO_WORDS = ("协同", "配合", "协办", "参与", "协助", "协作", "会同")
# "责任单位" is the lead beside a 配合 column and a co-unit beside a 牵头 one.
RESPONSIBLE_WORDS = ("责任", "承办", "实施", "落实", "负责")
# Head words of a column or label that holds units.
UNIT_HEADS = ("单位", "处室", "科室", "股室", "部门", "处（室）", "科（室）", "处(室)", "科(室)")
# A person answers: the leader (责任领导, 分管局长, 责任人); a contact (联系人) is no one the plan assigns.
LEADER_HEADS = ("领导", "局长", "责任人")
NOT_LEADER_HEADS = ("联系人",)
# How a label or header of a deadline or of progress ends.
DEADLINE_ENDINGS = ("时限", "时间", "期限", "节点", "日期")
PROGRESS_ENDINGS = ("完成情况", "进展情况", "推进情况", "落实情况", "工作进展", "进展")
NUMBER_HEADS = ("序号", "编号", "排序", "项目序号")
TEXT_HEADS = (
    "任务",
    "工作",
    "内容",
    "事项",
    "名称",
    "项目",
    "举措",
    "措施",
    "要点",
    "实事",
    "重点",
    "目标与任务",
)
TARGET_HEADS = ("目标", "指标", "目标值", "预期成效", "预期目标", "标志性成果", "成果")
DEADLINE_HEADS = ("时限", "时间", "期限", "时间节点", "完成节点", "完成日期", "截止日期", "进度安排", "时间安排")
PROGRESS_HEADS = ("推进情况", "进展情况", "完成情况", "进展", "进度", "工作进展", "落实情况", "当前进展")
SECTION_HEADS = ("类别", "分类", "领域", "板块", "方面", "类型", "所属领域", "任务类别")
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
QUARTER_HEADER = re.compile(r"^(?:第)?([一二三四1-4])季度(?:末)?$|^Q([1-4])$", re.I)
MONTH_HEADER = re.compile(r"^(\d{1,2})\s*月(?:份|底|末)?$")
HALF_YEAR_HEADER = re.compile(r"^(上|下)半年$")

# A 台账's own columns (tasks/exports.py): where the work stands, beside what the plan says. Read back they
# are no part of the plan: 最新进展情况 is no 进展 the plan lists, 时限日期 no second 时限, 指标及实际值 no
# targets to set.
LEDGER_HEADS = frozenset(
    {"时限日期", "红黄绿灯", "灯", "序时进度", "最新进展", "最新进展情况", "最新存在问题", "最新下步打算",
     "指标及实际值", "最近报送", "进展雷同"}
)  # fmt: skip
# A table with these columns lists reports (a 台账's 报送记录), not tasks.
REPORT_RECORD_HEADS = frozenset({"报送人", "报送时间"})

# A cell or line that says "nothing here".
EMPTY_MARKS = frozenset({"", "/", "—", "－", "-", "——", "无", "暂无", "／", "\\"})

# ---------------------------------------------------------------- unit names

# Endings that close a unit's name wherever they stand: 职成教处高教处 is 职成教处 + 高教处.
STRONG_UNIT_ENDINGS = (
    "中心",
    "政府",
    "办公室",
    "委员会",
    "局",
    "处",
    "室",
    "院",
    "馆",
    "所",
    "站",
    "校",
    "厅",
    "办",
    "团",
    "联",
    "队",
    "大学",
    "学院",
    "学校",
    "集团",
    "公司",
    "银行",
)
# Endings that also occur inside a longer name (市委组织部, 市发展和改革委员会, 县委教育工委): a
# run-together piece is cut after one of them only where a new unit plainly begins.
WEAK_UNIT_ENDINGS = ("委", "会", "科", "部", "组", "股", "署", "台", "协")
UNIT_ENDINGS = STRONG_UNIT_ENDINGS + WEAK_UNIT_ENDINGS
# How the name of another body begins: 市…, 县…, 各县（市、区）…, 团市委.
UNIT_STARTS = ("市", "县", "区", "省", "各", "镇", "乡", "街道", "团", "共青团", "中共", "国家", "自治")
# Notes that make the first unit of an unlabelled list the lead.
FIRST_LEADS = re.compile(
    r"(?:排名|排序|排在|列)?第一(?:位|个)?的?(?:责任)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)?|首位为牵头(?:单位)?"
)

# ---------------------------------------------------------------- bureaus and issuers

BUREAU_SUFFIXES = ("教育和体育局", "教育体育局", "教育文体局", "教育局", "教体局", "教育厅", "教委", "教育委员会")
# Cities of a province's rank: their 教育委员会 stands where a province's 教育厅 does.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
BUREAU_NAME = re.compile(
    # The province and prefecture written before the place take their own room: 广西壮族自治区南宁市青秀区教育局,
    # 四川省凉山彝族自治州西昌市教育和体育局.
    r"(?:[\u4e00-\u9fff]{2,10}?(?:省|自治区|自治州|地区|盟)){0,2}"
    r"[\u4e00-\u9fff]{1,10}?(?:省|市|区|县|旗|州|盟)(?:" + "|".join(BUREAU_SUFFIXES) + r")"
    r"|(?:" + "|".join(m.removesuffix("市") for m in MUNICIPALITIES) + r")市(?:教育委员会|教委)"
)
# A document these issue names no bureau: the admin chooses which bureau's plan it is.
GOVERNMENT_ISSUER = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:省|市|区|县|旗|州)(?:人民政府(?:办公室|办公厅)?|政府办公室|政府办|委办公室|委员会办公室)"
)

# ---------------------------------------------------------------- document framing

# Headings that frame a plan rather than give work to do.
FRAMING_TITLES = (
    "指导思想",
    "总体思路",
    "总体要求",
    "基本原则",
    "工作目标",
    "主要目标",
    "发展目标",
    "目标任务",
    "工作原则",
    "背景",
    "发展基础",
)
# The closing words addressed to the readers after the last item: they end the body.
CLOSING_REMARK = re.compile(
    r"^[（(]此件[^）)]{0,6}公开[^）)]{0,4}[）)]$|^(?:各[\u4e00-\u9fff、（）()]{0,14}?(?:要|务必|应当|须)|请各|以上(?:任务|工作)|本(?:要点|方案|计划|通知)|未尽事宜)"
)
GROUP_HEADING = re.compile(r"^(重大项目|重点项目|重大工程|重点工程)[:：。]?$")
BULLETS = "△▲●○◆◇■□•·▪▶►☆★※"
