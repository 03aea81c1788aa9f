"""How the plan's things are written for people: one definition each, used by pages, exports and readers."""

from __future__ import annotations


def heading(number: str, title: str) -> str:
    """一 + 全面推进 → "一、全面推进"; （一） + 学前教育 → "（一）学前教育"."""
    if number and not number.startswith(("（", "(")):
        return f"{number}、{title}"
    return f"{number}{title}"
