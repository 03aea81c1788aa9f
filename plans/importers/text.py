"""Rules for reading Chinese official-document text: numbering, units, deadlines, targets, years."""

from __future__ import annotations

import calendar
import datetime
import re
from decimal import Decimal

from .parsed import ParsedTarget

CN_DIGITS = "一二三四五六七八九十"
ALL_DIVISIONS = "各处室"

# Numbering as typed: 一、 / （一） / 1. / （1）. Brackets may be ASCII, a closing one may be lost,
# and a number may be lost altogether ("（）建设…").
CHAPTER = re.compile(rf"^([{CN_DIGITS}]+)\s*[、.．]\s*(.*)$", re.S)
SUBCHAPTER = re.compile(rf"^[（(]\s*([{CN_DIGITS}]+)\s*[）)]?\s*(.*)$", re.S)
ITEM = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(.*)$", re.S)
SUBITEM = re.compile(r"^[（(]\s*(\d{0,3})\s*[）)]\s*(.*)$", re.S)
ORDINAL_ITEM = re.compile(rf"(?:(?<=[。；;！])|^)\s*([{CN_DIGITS}]+是)")

INVISIBLE_MARKERS = re.compile(r"\[(?:bookmark|image): [^\]]*\]")


def clean(text: str) -> str:
    """Drop invisible-object markers and outer white space; keep inner line breaks."""
    text = INVISIBLE_MARKERS.sub("", text).replace("\u3000", " ").replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.strip().splitlines()).strip()


def squash(text: str) -> str:
    """Text with every kind of white space removed, for comparing headers and titles."""
    return re.sub(r"\s+", "", text)


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20; None for anything else."""
    if not text or any(ch not in CN_DIGITS for ch in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CN_DIGITS.index(ones) + 1 if ones else 0)
    return CN_DIGITS.index(text) + 1 if len(text) == 1 else None


# ---------------------------------------------------------------- titles and short titles


def short_title(text: str, limit: int = 60) -> str:
    """A task's first clause, as a list shows it."""
    first = re.split(r"[。；;！？\n]", text.strip(), maxsplit=1)[0].strip()
    if len(first) > limit:
        comma = first.find("，", 8)
        first = first[:comma] if 0 < comma <= limit else first[: limit - 1] + "…"
    return first or text[:limit]


# ---------------------------------------------------------------- units

UNIT_SEPARATORS = re.compile(r"[\s、，,；;/／]+")
# Endings of a unit's name; a name runs to one of them (职成教处高教处 is 职成教处 + 高教处).
UNIT_ENDINGS = ("中心", "处", "室", "院", "馆", "所", "组", "会", "委", "校", "站", "局", "科", "部", "团")


def split_units(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """The unit names in a cell or an inline list, in order, each once."""
    names: list[str] = []
    for piece in UNIT_SEPARATORS.split(text.replace("（", "(").replace("）", ")")):
        piece = piece.strip("()（）:：。.")
        if not piece:
            continue
        for name in _split_run_together(piece, known):
            if name not in names:
                names.append(name)
    return names


def _split_run_together(piece: str, known: frozenset[str]) -> list[str]:
    if piece in known or piece == ALL_DIVISIONS:
        return [piece]
    for name in sorted(known, key=len, reverse=True):
        if piece.startswith(name) and len(piece) > len(name):
            rest = _split_run_together(piece[len(name) :], known)
            if rest:
                return [name, *rest]
    # The shortest name of two or more characters ending in a unit ending whose remainder splits too.
    for end in range(2, len(piece)):
        head = piece[:end]
        if head.endswith(UNIT_ENDINGS):
            rest = piece[end:]
            if len(rest) >= 2 and rest.endswith(UNIT_ENDINGS):
                return [head, *_split_run_together(rest, known)]
    return [piece]


INLINE_UNITS = re.compile(
    r"[（(]\s*((?:牵头|责任|配合|协办|参与)(?:单位|处室|部门)\s*[:：][^（）()]*)[）)]\s*[。.；;]?\s*$"
)
ROLE_LABEL = re.compile(r"(牵头|责任|配合|协办|参与)(?:单位|处室|部门)\s*[:：]")


def take_inline_units(text: str) -> tuple[str, list[str], list[str]] | None:
    """Split "…。（牵头单位：A；配合单位：B、C）" into text, lead units, responsible units."""
    match = INLINE_UNITS.search(text)
    if not match:
        return None
    lead: list[str] = []
    responsible: list[str] = []
    spec = match.group(1)
    labels = list(ROLE_LABEL.finditer(spec))
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(spec)
        names = split_units(spec[label.end() : end])
        (lead if label.group(1) == "牵头" else responsible).extend(n for n in names if n)
    return text[: match.start()].rstrip(), lead, responsible


# ---------------------------------------------------------------- deadlines

_DEADLINE_DATE = re.compile(r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_QUARTER = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def parse_deadline(text: str, year: int) -> datetime.date | None:
    """A 完成时限 as a date where it names one: "2019年6月底前" → 2019-06-30, "全年" → 12-31."""
    text = squash(text)
    if not text:
        return None
    match = _DEADLINE_DATE.search(text)
    if match:
        year = int(match.group(1) or year)
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        last = calendar.monthrange(year, month)[1]
        day = int(match.group(3)) if match.group(3) and "上旬" not in text else last
        if "上旬" in text:
            day = 10
        elif "中旬" in text:
            day = 20
        return datetime.date(year, month, min(day, last))
    match = re.search(r"(\d{4})\s*年", text)
    if match:
        year = int(match.group(1))
    quarter = re.search(r"第([一二三四1-4])季度", text)
    if quarter:
        month = _QUARTER[quarter.group(1)]
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    if "上半年" in text:
        return datetime.date(year, 6, 30)
    if any(word in text for word in ("全年", "年底", "年末", "年内", "下半年", "年度内")) or match:
        return datetime.date(year, 12, 31)
    return None


# ---------------------------------------------------------------- targets

_UNIT = (
    r"(?:%|‰|个百分点|(?:万|亿)?(?:人次|平方米|元|个|所|人|家|名|项|册|间|㎡|支|座|套|次|张|台|门|节|篇|部|场"
    r"|批|条|辆|户|公里|米|课时|小时|学时)|万|亿)"
)
_QUANTITY = re.compile(
    r"(?P<prefix>不低于|不少于|不高于|不超过|超过|低于|少于|高于|达到|达|超|提升至|提高到|提高至|增至|降至|控制在|保持在|占)?"
    r"\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>" + _UNIT + r")\s*(?P<suffix>以上|以下|以内|左右)?"
)
_AT_MOST = {"不高于", "不超过", "低于", "少于", "降至", "控制在"}
_TRAILING_VERBS = re.compile(
    r"(分别|均|全部|累计|力争|确保|要)?(不低于|不少于|不高于|不超过|超过|低于|达到|达|超|提升至|提高到|提高至|增至|降至|控制在|保持在|占|为|至)$"
)


def find_targets(text: str) -> list[ParsedTarget]:
    """Every figure a task commits to: "新增学位6000个", "覆盖面达到90.5%", "不低于98%"."""
    targets: list[ParsedTarget] = []
    for clause in re.split(r"[，。；;：:！？\n]", text):
        start = 0
        for match in _QUANTITY.finditer(clause):
            after = clause[match.end() :]
            # A figure that qualifies a noun ("30人以下班级") is not a commitment of its own.
            if after and after[0] not in "和及、与":
                continue
            metric = clause[start : match.start()].strip(" 和及、与")
            metric = _TRAILING_VERBS.sub("", metric).strip(" 和及、与的")
            if not metric and targets:
                metric = targets[-1].metric
            comparator = ">="
            if match.group("prefix") in _AT_MOST or match.group("suffix") in ("以下", "以内"):
                comparator = "<="
            targets.append(
                ParsedTarget(
                    metric=(metric or "指标")[-200:],
                    comparator=comparator,
                    value=Decimal(match.group("value")),
                    unit=match.group("unit"),
                )
            )
            start = match.end()
    return targets


# ---------------------------------------------------------------- document metadata

_FIVE_YEAR_PLAN = re.compile(rf"[“\"]?十([{CN_DIGITS[:9]}])五[”\"]?")
_YEAR_RANGE = re.compile(r"(20\d\d)\s*[-—–~～至到]\s*(20\d\d)\s*年")
_YEAR = re.compile(r"(20\d\d)\s*年")
BUREAU_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}?[省市区县]教育局")
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\s*\d{4}\s*〕\s*\d+\s*号")
_ISSUE_DATE = re.compile(r"(20\d\d)\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])\s*(\d{1,2})\s*日?")


def find_years(text: str) -> tuple[int, int] | None:
    match = _FIVE_YEAR_PLAN.search(text)
    if match:
        # From the sixth five-year plan (1981–1985) on, plans follow each other every five years.
        start = 1981 + 5 * (10 + CN_DIGITS.index(match.group(1)) + 1 - 6)
        return start, start + 4
    match = _YEAR_RANGE.search(text)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = _YEAR.search(text)
    if match:
        return int(match.group(1)), int(match.group(1))
    return None


def find_issue_date(text: str) -> datetime.date | None:
    found = None
    for match in _ISSUE_DATE.finditer(text):
        try:
            found = datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return found
