"""Numbering as documents type it: 一、 / （一） / 1. / （1） / 1） / ① / 第一部分 / 一是, at any depth.

A form's level is not fixed: a document's outline nests each form under the form that came before it,
so a plan may start at （一） or at 1. and still read right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocabulary import BULLETS, CN_DIGITS

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 二十三 → 23; None for anything else."""
    if not text or any(ch not in CN_DIGITS for ch in text) or len(text) > 3:
        return None
    if "十" not in text:
        return CN_DIGITS.index(text) + 1 if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CN_DIGITS.index(ones) + 1 if ones else 0)


def cn_digits(value: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十; a value Chinese counting has no word for stays in digits."""
    if not 1 <= value <= 99:
        return str(value)
    if value <= 10:
        return CN_DIGITS[value - 1]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else CN_DIGITS[tens - 1]) + "十" + (CN_DIGITS[ones - 1] if ones else "")


@dataclass(frozen=True)
class Numbered:
    form: str  # the numbering form: "一、", "（一）", "1.", "（1）", "1）", "①", "第一部分", "•"
    value: int | None  # None where the number was lost ("（）建设…") or a bullet has none
    number: str  # as tasks and sections keep it: "一", "（一）", "1", "（1）", "1）", "①"
    body: str
    closed: bool = True  # False when a bracket was lost: "（一保障措施"


_CN = f"[{CN_DIGITS}]{{1,3}}"
_FORMS: list[tuple[str, re.Pattern]] = [
    ("第一部分", re.compile(rf"^第\s*({_CN}|\d{{1,2}})\s*(部分|章|篇|板块)\s*[、：:.．]?\s*(.*)$", re.S)),
    ("一、", re.compile(rf"^({_CN})\s*[、.．]\s*(.*)$", re.S)),
    ("（一）", re.compile(rf"^[（(]\s*({_CN})\s*([）)]?)\s*[、.．]?\s*(.*)$", re.S)),
    ("（1）", re.compile(r"^[（(]\s*(\d{0,3})\s*[）)]\s*[、.．]?\s*(.*)$", re.S)),
    ("1）", re.compile(r"^(\d{1,4})\s*[）)]\s*(.*)$", re.S)),
    ("1.", re.compile(r"^(\d{1,4})\s*[.．、](?!\d)\s*(.*)$", re.S)),
    ("①", re.compile(rf"^([{CIRCLED}])\s*[、.．]?\s*(.*)$", re.S)),
    ("•", re.compile(rf"^[{BULLETS}]\s*(.*)$", re.S)),
]
# "11.121人才工程": a digit after the dot is read as part of the text only when the number continues
# the sequence the document is in.
_ITEM_BEFORE_DIGIT = re.compile(r"^(\d{1,4})\s*[.．](\d.*)$", re.S)


def match_number(text: str, expected: dict[str, int] | None = None) -> Numbered | None:
    """The numbering a paragraph starts with. `expected` maps a form to the next value it would take."""
    for form, pattern in _FORMS:
        found = pattern.match(text)
        if not found:
            continue
        if form == "第一部分":
            value = cn_number(found.group(1)) if not found.group(1).isdecimal() else int(found.group(1))
            if value is None:
                continue
            return Numbered(form, value, f"第{found.group(1)}{found.group(2)}", found.group(3).strip())
        if form == "一、":
            value = cn_number(found.group(1))
            if value is None:
                continue
            return Numbered(form, value, found.group(1), found.group(2).strip())
        if form == "（一）":
            value = cn_number(found.group(1))
            if value is None:
                continue
            return Numbered(form, value, f"（{found.group(1)}）", found.group(3).strip(), closed=bool(found.group(2)))
        if form == "（1）":
            digits = found.group(1)
            value = int(digits) if digits.isdecimal() else None
            return Numbered(form, value, f"（{digits}）", found.group(2).strip())
        if form in ("1）", "1."):
            return Numbered(
                form, int(found.group(1)), found.group(1) + ("）" if form == "1）" else ""), found.group(2).strip()
            )
        if form == "①":
            value = CIRCLED.index(found.group(1)) + 1
            return Numbered(form, value, found.group(1), found.group(2).strip())
        return Numbered(form, None, "", found.group(1).strip())
    run_on = _ITEM_BEFORE_DIGIT.match(text)
    if run_on and expected and expected.get("1.") == int(run_on.group(1)):
        return Numbered("1.", int(run_on.group(1)), run_on.group(1), run_on.group(2).strip())
    return None


# 一是…；二是…: ordinal sentences inside one paragraph.
ORDINAL = re.compile(rf"(?:(?<=[。；;！])|^)\s*([{CN_DIGITS}]{{1,2}}是)")


def split_ordinals(text: str) -> tuple[str, list[str]] | None:
    """ "深化改革。一是…；二是…" → ("深化改革。", ["…；", "…"]) when 一是, 二是… run in order."""
    starts = []
    for found in ORDINAL.finditer(text):
        value = cn_number(found.group(1)[:-1])
        if value == len(starts) + 1:
            starts.append(found)
    if len(starts) < 2:
        return None
    lead = text[: starts[0].start(1)].strip()
    items = []
    for index, found in enumerate(starts):
        end = starts[index + 1].start(1) if index + 1 < len(starts) else len(text)
        # The separator between items ("…；二是") belongs to neither.
        items.append(text[found.end(1) : end].strip().lstrip("，,：:").rstrip("；;，,、").strip())
    return lead, [item for item in items if item]
