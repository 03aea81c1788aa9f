"""Rules for reading Chinese official-document text: deadlines, targets, years, issue dates."""

from __future__ import annotations

import calendar
import datetime
import re
from decimal import Decimal

from tasks.formats import MAX_YEAR, MIN_YEAR

from .parsed import ParsedTarget
from .vocabulary import CN_DIGITS

INVISIBLE_MARKERS = re.compile(r"\[(?:bookmark|image): [^\]]*\]")


def clean(text: str) -> str:
    """Drop invisible-object markers and outer white space; keep inner line breaks."""
    text = INVISIBLE_MARKERS.sub("", text).replace("\u3000", " ").replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.strip().splitlines()).strip()


def squash(text: str) -> str:
    """Text with every kind of white space removed, for comparing headers and titles."""
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- titles and short titles


def short_title(text: str, limit: int = 60) -> str:
    """A task's first clause, as a list shows it."""
    first = re.split(r"[。；;！？\n]", text.strip(), maxsplit=1)[0].strip()
    if len(first) > limit:
        comma = first.find("，", 8)
        first = first[:comma] if 0 < comma <= limit else first[: limit - 1] + "…"
    return first or text[:limit]


# ---------------------------------------------------------------- deadlines

_DEADLINE_DATE = re.compile(r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_NUMERIC_DATE = re.compile(r"(20\d\d)[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?(?!\d)")
_QUARTER = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def parse_deadline(text: str, year: int) -> datetime.date | None:
    """A 完成时限 as a date where it names one: "2019年6月底前" → 2019-06-30, "全年" → 12-31; None for a
    date no calendar has ("0000年2月")."""
    try:
        due = _deadline(text, year)
    except ValueError:
        return None
    return due if due and MIN_YEAR <= due.year <= MAX_YEAR else None


def _deadline(text: str, year: int) -> datetime.date | None:
    text = squash(text)
    if not text:
        return None
    numeric = _NUMERIC_DATE.search(text)  # 2025.8, 2025-06-30, 2025/6/30
    if numeric:
        text = f"{numeric.group(1)}年{numeric.group(2)}月" + (f"{numeric.group(3)}日" if numeric.group(3) else "")
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
    quarter = re.search(r"([一二三四1-4])季度", text)
    if quarter:
        month = _QUARTER[quarter.group(1)]
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    if "上半年" in text:
        return datetime.date(year, 6, 30)
    if any(word in text for word in ("全年", "年底", "年末", "年内", "下半年", "年度内")) or match:
        return datetime.date(year, 12, 31)
    return None


# A deadline written inside a task's text: "6月底前完成", "三季度末", "上半年", "年内". "每季度", "三年内"
# and "下半年起" are not deadlines.
_TEXT_DEADLINE = re.compile(
    r"(?<![每各])(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:底|末|中旬|上旬|下旬|\d{1,2}\s*日)?\s*(?:前|以前|之前)"
    r"|(?<![每各])(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:底|末)"
    r"|(?<![每各])第?[一二三四]季度末?(?:前|以前)?(?=[完建实出启全基开取达形落推做见]|$|[，。；,;])"
    r"|(?<![每])[上下]半年(?:前|内)?(?=[完建实出启全基开取达形落推做见]|$|[，。；,;])"
    r"|(?<![一二三四五六七八九十两\d年])年(?:内|底前|底|末前|末)(?!\d)"
)


def find_deadline_text(text: str, year: int) -> str:
    """The latest deadline a task's text names, as written; "" when it names none."""
    latest: tuple[datetime.date, str] | None = None
    for found in _TEXT_DEADLINE.finditer(text):
        phrase = found.group(0)
        due = parse_deadline(phrase, year)
        if due and due.year == year and (latest is None or due >= latest[0]):
            latest = (due, phrase)
    return latest[1] if latest else ""


# ---------------------------------------------------------------- targets

_UNIT = (
    r"(?:%|‰|个百分点|(?:万|亿)?(?:人次|平方米|元|个|所|人|家|名|项|册|间|㎡|支|座|套|次|张|台|门|节|篇|部|场"
    r"|批|条|辆|户|公里|米|课时|小时|学时)|万|亿)"
)
_QUANTITY = re.compile(
    # The figure starts where a run of digits starts, and white space belongs to the prefix, so a long
    # run of digits or spaces is read in linear time.
    r"(?:(?P<prefix>不低于|不少于|不高于|不超过|超过|低于|少于|高于|达到|达|超|提升至|提高到|提高至|增至|降至|控制在|保持在|占)\s*)?"
    r"(?<![\d.])(?P<value>\d{1,12}(?:\.\d{1,6})?)\s*(?P<unit>" + _UNIT + r")\s*(?P<suffix>以上|以下|以内|左右)?"
)
_AT_MOST = {"不高于", "不超过", "低于", "少于", "降至", "控制在"}
_TRAILING_VERBS = re.compile(
    r"(分别|均|全部|累计|力争|确保|要)?(不低于|不少于|不高于|不超过|超过|低于|达到|达|超|提升至|提高到|提高至|增至|降至|控制在|保持在|占|为|至)$"
)


def find_targets(text: str) -> list[ParsedTarget]:
    """Every figure a task commits to: "新增学位6000个", "覆盖面达到90.5%", "不低于98%"."""
    targets: list[ParsedTarget] = []
    for clause in re.split(r"[，,。；;：:！!？?\n]", text):
        start = 0
        run_start = len(targets)
        for match in _QUANTITY.finditer(clause):
            after = clause[match.end() :]
            # A figure that qualifies a noun ("30人以下班级") is not a commitment of its own.
            if after and after[0] not in "和及、与":
                continue
            metric = clause[start : match.start()].strip(" 和及、与")
            metric = _TRAILING_VERBS.sub("", metric).strip(" 和及、与的")
            metric = re.sub(r"(分别|均)$", "", metric) if "分别" not in clause else metric
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
        _pair_respective(clause, targets[run_start:])
    return targets


def _pair_respective(clause: str, run: list[ParsedTarget]) -> None:
    """ "入园率和巩固率分别达到98%和99.5%": each figure with its own metric."""
    if len(run) < 2 or "分别" not in clause:
        return
    names = [n for n in re.split(r"[和及与、]", re.sub(r"(分别|均)$", "", run[0].metric)) if n]
    if len(names) == len(run):
        for target, name in zip(run, names, strict=True):
            target.metric = name


# ---------------------------------------------------------------- document metadata

_FIVE_YEAR_PLAN = re.compile(rf"[“\"]?十([{CN_DIGITS[:9]}])五[”\"]?")
_YEAR_RANGE = re.compile(r"(20\d\d)\s*[-—–~～至到]\s*(20\d\d)\s*年")
_YEAR = re.compile(r"(20\d\d)\s*年")
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
