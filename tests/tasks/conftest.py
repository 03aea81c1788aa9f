import datetime

import pytest


@pytest.fixture
def frozen_today(monkeypatch):
    """Pin "today" for every rule, page, export and reminder: all of them ask tasks.rules.today()."""

    def freeze(day: datetime.date) -> datetime.date:
        monkeypatch.setattr("tasks.rules.today", lambda: day)
        return day

    return freeze
