"""Reading the gallery's documents and comparing them with the expected results beside them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from plans.importers import PlanFileError, read_plans

DATA = Path(__file__).resolve().parent.parent / "data"
FORMATS = (".docx", ".xlsx", ".txt")


@dataclass
class Case:
    document: Path
    expected: dict

    @property
    def name(self) -> str:
        return self.document.name


def cases(folder: str) -> list[Case]:
    found = []
    for path in sorted((DATA / folder).glob("*.expected.json")):
        stem = path.name.removesuffix(".expected.json")
        document = next(path.with_name(stem + ext) for ext in FORMATS if path.with_name(stem + ext).exists())
        found.append(Case(document, json.loads(path.read_text(encoding="utf-8"))))
    return found


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def read_case(case: Case):
    args = case.expected.get("args", {})
    return read_plans(case.document.read_bytes(), bureau=args.get("bureau"), year=args.get("year"))


def task_view(task) -> dict:
    return {
        "number": task.number,
        "text": squashed(task.text),
        "lead": task.lead_units,
        "co": task.responsible_units,
        "leader": task.leader,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "milestones": [[m.title, m.due.isoformat()] for m in task.milestones],
        "targets": [[t.metric, t.comparator, float(t.value), t.unit] for t in task.targets],
        "target_text": squashed(task.target_text),
        "progress_text": squashed(task.progress_text),
    }


def expected_view(task: dict) -> dict:
    view = dict(task)
    for key in ("text", "target_text", "progress_text"):
        if key in view:
            view[key] = squashed(view[key])
    if "milestones" in view:
        view["milestones"] = [[squashed(title), due] for title, due in view["milestones"]]
    if "targets" in view:
        view["targets"] = [[m, c, float(v), u] for m, c, v, u in view["targets"]]
    return view


def differences(case: Case) -> list[str]:
    """What the reader gets wrong on one document, one line each; empty when it reads it as expected."""
    expected = case.expected
    try:
        plans = read_case(case)
    except PlanFileError as exc:
        if "error" in expected and expected["error"] in str(exc):
            return []
        return [f"refused: {exc}"]
    if "error" in expected:
        return [f"read, but should be refused with “{expected['error']}”"]
    problems = []
    if len(plans) != len(expected["plans"]):
        problems.append(f"{len(plans)} plans, expected {len(expected['plans'])}: {[p.title for p in plans]}")
    for plan, want in zip(plans, expected["plans"], strict=False):
        got = {
            "title": plan.title,
            "bureau": plan.bureau_name,
            "kind": plan.kind,
            "year": plan.year_end,
            "sections": [s.heading for s in plan.sections],
            "ignored_columns": plan.ignored_columns,
        }
        for key, value in got.items():
            if key in want and (squashed(str(want[key])) != squashed(str(value))):
                problems.append(f"{key}: {value!r}, expected {want[key]!r}")
        leaves = plan.leaf_tasks
        if len(leaves) != len(want["tasks"]):
            problems.append(f"{len(leaves)} tasks, expected {len(want['tasks'])}")
        for index, (task, wanted) in enumerate(zip(leaves, want["tasks"], strict=False), start=1):
            view, wanted = task_view(task), expected_view(wanted)
            for key in wanted:
                if key in view and view[key] != wanted[key]:
                    problems.append(f"task {index} {key}: {view[key]!r}, expected {wanted[key]!r}")
    return problems
