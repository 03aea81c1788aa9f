"""The leader's picture of a plan, or of a city's districts, built once for the dashboard page and
for anything else that shows it (an API returns `as_json()`; the page renders the same object)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bureau.models import Bureau

from . import dashboard
from .assessment import assess
from .models import Plan


@dataclass
class PlanPicture:
    plan: Plan
    day: datetime.date
    figures: list[dashboard.Figure]
    sections: list[dict]
    divisions: list[dict]
    targets: list[dict]
    trend: list[dict]
    latest_reports: list
    scores: list
    chart: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """The figures, section and division tables, targets, trend and chart series as plain values, each
        figure with the link to its tasks (the ranking and the latest reports stay with the page)."""

        def plain(value):
            return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value

        return {
            "plan": {"id": self.plan.pk, "title": self.plan.title, "bureau": self.plan.bureau.name},
            "day": self.day.isoformat(),
            "figures": [{"label": f.label, "value": f.value, "url": f.url} for f in self.figures],
            "sections": self.sections,
            "divisions": [{key: plain(value) for key, value in row.items()} for row in self.divisions],
            "targets": [
                {
                    "task": t["target"].task.number,
                    "metric": t["target"].metric,
                    "target": str(t["target"].value),
                    "unit": t["target"].unit,
                    "actual": None if t["actual"] is None else str(t["actual"]),
                    "attained": t["attained"],
                }
                for t in self.targets
            ],
            "trend": [{key: plain(value) for key, value in point.items()} for point in self.trend],
            "chart": self.chart,
        }


def plan_picture(plan: Plan, day: datetime.date, sort: str = "") -> PlanPicture:
    activity = dashboard.PlanActivity.of(plan, day)
    sections = dashboard.by_section(plan, activity)
    trend = dashboard.trend(plan, day, activity)
    return PlanPicture(
        plan=plan,
        day=day,
        figures=dashboard.headline(plan, activity),
        sections=sections,
        divisions=dashboard.by_division(plan, activity, sort),
        targets=dashboard.targets(activity),
        trend=trend,
        latest_reports=dashboard.latest_reports(activity),
        scores=assess(plan, day, activity),
        chart={
            # Charted to the second level: each chapter, then its parts indented under it.
            "sections": {
                "labels": [("　" * depth) + s["label"] for depth, s in _two_levels(sections)],
                "percent": [s["percent"] for _, s in _two_levels(sections)],
                "urls": [s["url"] for _, s in _two_levels(sections)],
            },
            "trend": {
                "url": dashboard.task_list_url(plan=plan.pk, status="done"),
                "weeks": [t["week"] for t in trend],
                "done": [t["done"] for t in trend],
                "percent": [t["percent"] for t in trend],
            },
        },
    )


def _two_levels(sections: list[dict]) -> list[tuple[int, dict]]:
    return [(depth, row) for top in sections for depth, row in [(0, top), *((1, c) for c in top["children"])]]


def rollup_picture(bureau: Bureau | None, day: datetime.date, year: int | None = None) -> dict:
    """The bureau, each bureau under it and their total for `year` (dashboard.rollup), with the chart of
    their completion."""
    rows = dashboard.rollup(bureau, day, year)
    bureaus = rows[:-1]  # the chart compares the bureaus; the total row is the table's
    chart = {
        "labels": [r["bureau"].short_name or r["bureau"].name for r in bureaus],
        "percent": [round(r["mean_percent"] or 0) for r in bureaus],
        "urls": [r["url"] for r in bureaus],
    }
    return {"rollup": rows, "chart": chart}
