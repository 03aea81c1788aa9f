"""Which duty work items a task most likely serves, by shared character pairs (Chinese has no spaces)."""

from __future__ import annotations

import re


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def similarity(a: str, b: str) -> float:
    """Share of `b`'s character pairs that `a` contains: short work items match long task texts."""
    pairs_a, pairs_b = _bigrams(a), _bigrams(b)
    if not pairs_a or not pairs_b:
        return 0.0
    return len(pairs_a & pairs_b) / len(pairs_b)


def rank(text: str, candidates: list, key=lambda c: c.text, limit: int = 5) -> list:
    scored = [(similarity(text, key(c)), c) for c in candidates]
    return [c for score, c in sorted(scored, key=lambda sc: -sc[0]) if score > 0][:limit]
