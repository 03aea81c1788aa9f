import datetime

import pytest


@pytest.fixture
def frozen_today(monkeypatch):
    """Pin the date the reporting rules see."""

    def freeze(day: datetime.date) -> datetime.date:
        monkeypatch.setattr("tasks.rules.today", lambda: day)
        return day

    return freeze
