"""Unit names: the pieces of a cell or a list, and where run-together names are cut."""

from __future__ import annotations

import re

from .vocabulary import ALL_DIVISIONS, STRONG_UNIT_ENDINGS, UNIT_ENDINGS, UNIT_STARTS

_SEPARATORS = " \t\n\r、，,；;/／|"
_OPEN, _CLOSE = "（(【[［〔", "）)】]］〕"
_STRIP = "：:。.．!！?？·•\"'“”‘’"
# A name is the whole government or bureau unit; its last characters say so.
_NOT_A_NAME_START = ("含", "包括", "由", "在", "按", "以", "对", "和", "及", "与", "其中", "有关")


def _pieces(text: str) -> list[str]:
    """Split at separators outside brackets: 各县（市、区）政府 stays one piece."""
    pieces, current, depth = [], "", 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch in _SEPARATORS and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += ch
    pieces.append(current)
    return pieces


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _trim(piece: str) -> str:
    """Outer punctuation, a bracket left over from a tail, and a trailing 等 (市财政局等)."""
    piece = piece.strip().strip(_STRIP).strip()
    while piece and piece[0] in _OPEN and not _balanced(piece):
        piece = piece[1:].strip()
    while piece and piece[-1] in _CLOSE and not _balanced(piece):
        piece = piece[:-1].strip()
    if piece[:1] in _OPEN and piece[-1:] in _CLOSE and _balanced(piece[1:-1]):
        piece = piece[1:-1].strip()
    piece = re.sub(r"等(?:相关|有关)?(?:单位|部门|处室|科室)?$", "", piece) if len(piece) > 3 else piece
    return piece.strip(_STRIP).strip()


def is_unit_name(text: str) -> bool:
    """Whether `text` reads as one unit's name: short, and ending the way unit names end."""
    return (
        2 <= len(text) <= 30
        and (text.endswith(UNIT_ENDINGS) or text == ALL_DIVISIONS)
        and not text.startswith(_NOT_A_NAME_START)
        and "的" not in text
        and _balanced(text)
    )


def is_division(text: str) -> bool:
    return len(text) >= 3 and text.endswith(_DIVISION_ENDINGS)


_DIVISION_ENDINGS = ("处", "科", "股", "室", "局", "中心", "办", "院", "馆", "站")


def starts_unit(text: str) -> bool:
    return text.startswith(UNIT_STARTS)


def _cut_allowed(head: str, rest: str) -> bool:
    """A run-together piece is cut only where a new unit plainly begins: at 市/县/各… after any ending
    (市教育局市委农办), or between two short internal names (职成教处高教处). Never inside a bracket, so
    never after the 委 of 市委组织部 or the 会 of 市发展和改革委员会 (more name characters follow)."""
    if not _balanced(head) or not head.endswith(UNIT_ENDINGS) or len(head) < 2:
        return False
    if starts_unit(rest):
        return True
    internal = not starts_unit(head) and 3 <= len(head) <= 6 and head.endswith(_INTERNAL_ENDINGS)
    return internal and len(rest) >= 2


# Endings after which two internal divisions may run together: 职成教处高教处, 人事科计财科.
_INTERNAL_ENDINGS = (*STRONG_UNIT_ENDINGS, "科", "股")


def _split_run_together(piece: str, known: frozenset[str]) -> list[str]:
    if piece in known or piece == ALL_DIVISIONS:
        return [piece]
    for name in sorted(known, key=len, reverse=True):
        if piece.startswith(name) and len(piece) > len(name):
            rest = _split_run_together(piece[len(name) :], known)
            if all(is_unit_name(part) or part in known for part in rest):
                return [name, *rest]
    for end in range(2, len(piece) - 1):
        head, rest = piece[:end], piece[end:]
        if not _cut_allowed(head, rest):
            continue
        parts = _split_run_together(rest, known)
        if starts_unit(rest):
            fits = all(is_unit_name(p) or p in known for p in parts)
        else:  # two internal divisions: names of three characters or more (高教处, 人事科)
            fits = 3 <= len(parts[0]) <= 6 and all((is_unit_name(p) and len(p) >= 3) or p in known for p in parts)
        if fits:
            return [head, *parts]
    return [piece]


def split_units(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """The unit names in a cell or an inline list, in order, each once."""
    names: list[str] = []
    for raw in _pieces(text):
        piece = _trim(raw)
        if not piece or piece in ("等", "等部门", "等单位") or piece.startswith("排名"):
            continue
        for name in _split_run_together(piece, known):
            if name and name not in names:
                names.append(name)
    return names
