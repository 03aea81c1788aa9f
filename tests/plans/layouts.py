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


@dataclass
class Score:
    """Tasks found with clean text, and (task, role, unit) triples right, over a set of documents."""

    expected_tasks: int = 0
    read_tasks: int = 0
    clean_tasks: int = 0
    expected_units: int = 0
    read_units: int = 0
    right_units: int = 0
    refused: int = 0

    @staticmethod
    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def task_recall(self) -> float:
        return self.ratio(self.clean_tasks, self.expected_tasks)

    @property
    def task_precision(self) -> float:
        return self.ratio(self.clean_tasks, self.read_tasks)

    @property
    def unit_recall(self) -> float:
        return self.ratio(self.right_units, self.expected_units)

    @property
    def unit_precision(self) -> float:
        return self.ratio(self.right_units, self.read_units)


def _triples(lead: list[str], co: list[str]) -> set[tuple[str, str]]:
    return {("lead", u) for u in lead} | {("co", u) for u in co}


def score(folder: str) -> Score:
    total = Score()
    for case in cases(folder):
        wanted = [t for plan in case.expected.get("plans", []) for t in plan["tasks"]]
        total.expected_tasks += len(wanted)
        total.expected_units += sum(len(_triples(t.get("lead", []), t.get("co", []))) for t in wanted)
        try:
            leaves = [t for plan in read_case(case) for t in plan.leaf_tasks]
        except PlanFileError:
            total.refused += 1 if wanted else 0
            continue
        total.read_tasks += len(leaves)
        total.read_units += sum(len(_triples(t.lead_units, t.responsible_units)) for t in leaves)
        unmatched = {index: t for index, t in enumerate(leaves)}
        for want in wanted:
            match = next((i for i, t in unmatched.items() if squashed(t.text) == squashed(want["text"])), None)
            if match is None:
                continue
            task = unmatched.pop(match)
            total.clean_tasks += 1
            got = _triples(task.lead_units, task.responsible_units)
            total.right_units += len(got & _triples(want.get("lead", []), want.get("co", [])))
    return total
