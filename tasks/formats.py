"""How the plan's things are written for people: one definition each, used by pages, exports and readers."""

from __future__ import annotations

import datetime

# The years a plan, a deadline, a period or a selector may name: past them a date is a typo or a probe.
MIN_YEAR, MAX_YEAR = 1900, 2100


def heading(number: str, title: str) -> str:
    """一 + 全面推进 → "一、全面推进"; （一） + 学前教育 → "（一）学前教育"."""
    if number and not number.startswith(("（", "(")):
        return f"{number}、{title}"
    return f"{number}{title}"


def chinese_month(day: datetime.date) -> str:
    """2026-05-01 → "2026年5月"."""
    return f"{day.year}年{day.month}月"


def chinese_date(day: datetime.date) -> str:
    """2026-05-08 → "2026年5月8日", as official documents write dates (templates: |date:"Y年n月j日")."""
    return f"{day.year}年{day.month}月{day.day}日"
