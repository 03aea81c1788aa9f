"""The labels that assign units, a leader, a deadline or progress: labelled lines (牵头单位：…) and
bracketed tails (（责任科室：…）, （A、B，排名第一位为牵头单位）, （A牵头，B配合））."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .units import is_division, is_unit_name, split_units, starts_unit
from .vocabulary import (
    CO_WORDS,
    DEADLINE_ENDINGS,
    FIRST_LEADS,
    LEAD_WORDS,
    LEADER_HEADS,
    NOT_LEADER_HEADS,
    PROGRESS_ENDINGS,
    UNIT_HEADS,
)


def label_role(label: str) -> str | None:
    """What a column header or a line label names: "lead", "co", "responsible", "leader", "deadline"."""
    label = re.sub(r"\s+", "", label)
    if label.endswith(NOT_LEADER_HEADS):
        return None
    if label.endswith(LEADER_HEADS):
        return "leader"
    if label.endswith(DEADLINE_ENDINGS) and "单位" not in label:
        return "deadline"
    if label.endswith(PROGRESS_ENDINGS):
        return "progress"
    bare = label in LEAD_WORDS + CO_WORDS or label in ("牵头", "配合", "协办", "责任")
    if not (bare or any(label.endswith(head) or f"{head}（" in label for head in UNIT_HEADS)):
        return None
    if any(word in label for word in LEAD_WORDS):
        return "lead"
    if any(word in label for word in CO_WORDS):
        return "co"
    return "responsible"


# Any short label ends the value before it, whether or not its role is known ("实际完成情况：…").
_ANY_LABEL = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,8})\s*[:：]")
# A label is a few characters of role words and a head word, then a colon.
_LABEL = re.compile(
    r"(?P<label>(?:[\u4e00-\u9fff]{0,8}?(?:单位|处室|科室|股室|部门|领导|责任人|时限|时间|期限|节点|情况|进展)(?:[（(][^）)]{1,4}[）)])?)"
    r"|牵头|配合|协办)\s*[:：]"
)


@dataclass
class UnitSpec:
    """Units as labelled: 牵头, 配合 and plain 责任 (whose role depends on the labels beside it)."""

    lead_named: list[str] = field(default_factory=list)
    co_named: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    leader: str = ""
    deadline_text: str = ""
    progress: str = ""

    @property
    def lead(self) -> list[str]:
        # 责任单位 beside a 配合 label is the lead; beside a 牵头 label (or alone) it is a co-unit.
        return self.responsible if self.co_named and not self.lead_named else self.lead_named

    @property
    def co(self) -> list[str]:
        units = self.co_named if self.co_named and not self.lead_named else self.responsible + self.co_named
        return [u for u in dict.fromkeys(units) if u not in self.lead]

    def merge(self, other: UnitSpec) -> None:
        for mine, theirs in (
            (self.lead_named, other.lead_named),
            (self.co_named, other.co_named),
            (self.responsible, other.responsible),
        ):
            mine += [u for u in theirs if u not in mine]
        self.leader = self.leader or other.leader
        self.deadline_text = other.deadline_text or self.deadline_text
        self.progress = self.progress or other.progress

    def copy_units(self) -> UnitSpec:
        return UnitSpec(list(self.lead_named), list(self.co_named), list(self.responsible))

    @property
    def empty(self) -> bool:
        return not (
            self.lead_named or self.co_named or self.responsible or self.leader or self.deadline_text or self.progress
        )


def read_labelled(text: str, known: frozenset[str] = frozenset()) -> UnitSpec | None:
    """ "牵头单位：A；配合单位：B、C；完成时限：6月底前" as a UnitSpec; None unless the text is all labels."""
    labels = [m for m in _LABEL.finditer(text) if label_role(m.group("label"))]
    if not labels or text[: labels[0].start()].strip(" （(【[　"):
        return None
    boundaries = sorted({m.start() for m in labels} | {m.start() for m in _ANY_LABEL.finditer(text)})
    spec = UnitSpec()
    values = {"lead": spec.lead_named, "co": spec.co_named, "responsible": spec.responsible}
    for label in labels:
        after = bisect.bisect_right(boundaries, label.start())
        end = boundaries[after] if after < len(boundaries) else len(text)
        value = text[label.end() : end].strip().strip("；;，,。.）)】] ").strip()
        role = label_role(label.group("label"))
        if role == "leader":
            spec.leader = spec.leader or value
        elif role == "deadline":
            spec.deadline_text = value
        elif role == "progress":
            spec.progress = text[label.end() : end].strip()
        else:
            values[role] += [u for u in split_units(value, known) if u not in values[role]]
    return spec


_LEADS_AND_ASSISTS = re.compile(r"^(?P<lead>.+?)牵头[，,；;、\s]*(?:(?P<co>.+?)(?:配合|参与|协同|协助|协办))?$")


def read_unlabelled(text: str, known: frozenset[str] = frozenset()) -> UnitSpec | None:
    """ "市教育局、市委农办、市财政局，排名第一位为牵头单位" or "市教育局牵头，市财政局配合" as units;
    None unless every piece is a unit."""
    roles = _LEADS_AND_ASSISTS.match(text.strip())
    if roles:
        lead, co = split_units(roles.group("lead"), known), split_units(roles.group("co") or "", known)
        if lead and all(is_unit_name(n) or n in known for n in lead + co):
            return UnitSpec(lead_named=lead, co_named=co)
    first_leads = FIRST_LEADS.search(text)
    body = FIRST_LEADS.sub("", text) if first_leads else text
    names = split_units(body, known)
    if not names or not all(is_unit_name(n) or n in known for n in names):
        return None
    # Without the note, one name in brackets may be an aside ("（含民办学校）"); one that names a body of
    # government (市教育局, 各县（市、区）人民政府) or a division (计划财务股) is not.
    if not first_leads and len(names) < 2 and not all(n in known or starts_unit(n) or is_division(n) for n in names):
        return None
    if first_leads:
        return UnitSpec(lead_named=names[:1], co_named=names[1:])
    return UnitSpec(responsible=names)


# ---------------------------------------------------------------- tails and label lines of an item

_TAIL = re.compile(
    r"[（(【［]([^（）()【】［］]*(?:[（(][^（）()]*[）)][^（）()【】［］]*)*)[）)】］]\s*[。.；;，,]?\s*$"
)
_DEADLINE_ONLY = re.compile(
    r"^(?:持续推进|长期坚持|长期|常态化(?:推进)?|(?:\d{4}\s*年\s*)?"
    r"(?:\d{1,2}\s*月(?:底|末|中旬|上旬|下旬|\d{1,2}\s*日)?前?|[上下]半年|年底前?|年内|全年|第?[一二三四]季度末?前?)(?:完成)?)$"
)


_PUBLICITY_NOTE = re.compile(r"^此件[^）)]{0,6}公开[^）)]{0,4}$")


def read_line(text: str, known: frozenset[str] = frozenset()) -> UnitSpec | None:
    """A line that only assigns: labels, or a bracketed list of units."""
    stripped = text.strip()
    if stripped[:1] in "（(【［" and stripped.rstrip("。.；;")[-1:] in "）)】］":
        inner = stripped.rstrip("。.；;")[1:-1]
        return read_labelled(inner, known) or read_unlabelled(inner, known)
    return read_labelled(stripped, known)


def take_trailers(text: str, known: frozenset[str] = frozenset()) -> tuple[str, UnitSpec]:
    """Split an item into its text and what trails it: "…。（牵头单位：A；完成时限：6月底前）", label lines
    such as "牵头责任单位：…" / "责任领导：…" under it, or "（A、B、C，排名第一位为牵头单位）"."""
    spec = UnitSpec()
    lines = text.split("\n")
    # Label lines under the item's first line.
    while len(lines) > 1:
        found = read_line(lines[-1], known)
        if found is None or found.empty:
            break
        spec.merge(found)
        lines.pop()
    text = "\n".join(lines)
    for _ in range(3):  # units, a leader and a deadline may each trail the text in brackets
        tail = _TAIL.search(text)
        if not tail:
            break
        inner = tail.group(1).strip()
        if _PUBLICITY_NOTE.match(inner):
            text = text[: tail.start()].rstrip()  # （此件主动公开）: a note on the document, not the item
            continue
        due = ""
        pieces = re.split(r"[，,；;]", inner)
        if len(pieces) > 1 and _DEADLINE_ONLY.match(re.sub(r"\s+", "", pieces[-1])):
            due, inner = pieces[-1].strip(), inner[: inner.rfind(pieces[-1])].rstrip("，,；; ")
        found = read_labelled(inner, known) or read_unlabelled(inner, known)
        if found is not None and due:
            found.deadline_text = due
        if found is None and _DEADLINE_ONLY.match(re.sub(r"\s+", "", inner)):
            found = UnitSpec(deadline_text=inner)
        if found is None or found.empty:
            break
        spec.merge(found)
        text = text[: tail.start()].rstrip()
    # A label written into the line without brackets: "…工作。牵头单位：基教处".
    inline = _INLINE_LABELS.search(text)
    if inline and inline.start() > 0:
        found = read_labelled(text[inline.start() :], known)
        if found and not found.empty:
            spec.merge(found)
            text = text[: inline.start()].rstrip()
    return text.strip(), spec


_INLINE_LABELS = re.compile(
    r"(?<=[。；;！])\s*(?:[\u4e00-\u9fff]{0,6}(?:单位|处室|科室|股室|部门|领导)|牵头|配合)\s*[:：]"
)
