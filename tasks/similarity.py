"""Which duty work items a task most likely serves, by shared character pairs (Chinese has no spaces)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher


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


def _normalised(text: str) -> str:
    """The characters that carry meaning: whitespace and punctuation dropped."""
    return re.sub(r"[^\w]|_", "", text)


# Below this many meaningful characters two texts are compared exactly: a short 按计划推进 said twice is a
# repeat, but "已完成" vs "已完成部分" must not count as nearly the same (a few characters make a large ratio).
SHORT_NARRATIVE = 20


def narrative(progress: str, problems: str = "", next_steps: str = "") -> str:
    """A report's 进展情况 + 存在问题 + 下步打算, normalised for comparison."""
    return _normalised(progress) + "|" + _normalised(problems) + "|" + _normalised(next_steps)


def nearly_same(a: str, b: str, threshold: float) -> bool:
    """Whether two normalised narratives say nearly the same: difflib's ratio at least `threshold`."""
    if not a.strip("|") or not b.strip("|"):
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < SHORT_NARRATIVE:
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # The quick ratios bound ratio() from above: most new texts are told apart without the full match.
    return all(ratio() >= threshold for ratio in (matcher.real_quick_ratio, matcher.quick_ratio, matcher.ratio))
