"""Which plan a document revises, and which stored task each of its items continues.

A bureau holds several lists of one kind in a year (工作要点分解, 民生实事, 督查事项): a document is a
new version of a stored plan only when its title or document number says so. A revision usually
renumbers, so its items are matched to the stored tasks by what they say (text, section, units), the
number breaking ties only.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from tasks.models import Plan, Task

from .importers.parsed import ParsedPlan, ParsedTask

_REVISION_WORDS = re.compile(r"[（(〔]?(?:修订|调整|修改|更新)(?:稿|版|后|本)?[）)〕]?|[（(]?(?:\d{4}年)?修订[）)]?")
# Below this a document's title is not even a candidate for revising a stored plan's.
_SIMILAR_TITLE = 0.85
# Below this an item is not taken to continue a stored task.
_SAME_TASK = 0.45
# A match at or above this is shown as certain in the preview.
CERTAIN = 0.9


def _normal_title(title: str) -> str:
    return re.sub(r"[\s《》“”\"]", "", _REVISION_WORDS.sub("", title))


def _distinctive(title: str) -> str:
    """What tells two lists of one bureau and year apart: the title without the bureau and the years."""
    return re.sub(
        r"^.*?(?:教育局|教育体育局|教体局|教育厅|教委|人民政府)|20\d\d\s*(?:[-—–至]\s*20\d\d)?\s*年度?", "", title
    )


@dataclass
class Revision:
    plan: Plan | None  # the stored plan the document may revise
    certain: bool  # False: the preview asks whether it is a new version or a new plan


def revision_of(parsed: ParsedPlan, candidates: list[Plan]) -> Revision:
    """The stored plan (of the same bureau, kind and years) that `parsed` is a new version of."""
    title = _normal_title(parsed.title)
    for plan in candidates:
        if parsed.document_number and plan.document_number == parsed.document_number:
            return Revision(plan, True)
        if _normal_title(plan.title) == title:
            return Revision(plan, True)
    mine = _distinctive(title)
    scored = [
        (difflib.SequenceMatcher(None, _distinctive(_normal_title(p.title)), mine).ratio(), p) for p in candidates
    ]
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    if best[1] is not None and best[0] >= _SIMILAR_TITLE:
        return Revision(best[1], False)
    return Revision(None, True)


@dataclass
class TaskMatch:
    parsed: ParsedTask
    task: Task | None  # None: a new task
    confidence: float


def _pairs(text: str) -> set[str]:
    text = re.sub(r"[\s，。；、：,.;:（）()“”]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _likeness(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def match_tasks(
    stored: list[Task],
    parsed: ParsedPlan,
    *,
    stored_paths: dict[int, str],
    stored_units: dict[int, tuple[str, ...]],
    overrides: dict[int, int | None] | None = None,
) -> list[TaskMatch]:
    """Each parsed task with the stored task it continues, best pairs first; `overrides` (parsed task id
    → stored task id or None) are the admin's corrections."""
    overrides = overrides or {}
    by_pk = {task.pk: task for task in stored}
    paths = {t.id: "".join(s.number + s.title for s in parsed.section_path(t.section)) for t in parsed.tasks}
    taken: set[int] = {pk for pk in overrides.values() if pk in by_pk}
    result: dict[int, TaskMatch] = {}
    for parsed_id, pk in overrides.items():
        task_of = next((t for t in parsed.tasks if t.id == parsed_id), None)
        if task_of is not None:
            result[parsed_id] = TaskMatch(task_of, by_pk.get(pk) if pk else None, 1.0)

    open_tasks = [t for t in parsed.tasks if t.id not in result]
    open_stored = [t for t in stored if t.pk not in taken]
    # The same text in the same place is the same task, whatever its number now.
    exact = {(stored_paths[t.pk], t.text): t for t in open_stored}
    for task in open_tasks:
        found = exact.pop((paths[task.id], task.text), None)
        if found is not None and found.pk not in taken:
            taken.add(found.pk)
            result[task.id] = TaskMatch(task, found, 1.0)
    open_tasks = [t for t in open_tasks if t.id not in result]
    open_stored = [t for t in open_stored if t.pk not in taken]

    stored_pairs = {t.pk: _pairs(t.text) for t in open_stored}
    candidates = []
    for task in open_tasks:
        pairs = _pairs(task.text)
        units = tuple(task.lead_units + task.responsible_units)
        for old in open_stored:
            text = _likeness(pairs, stored_pairs[old.pk])
            if text < _SAME_TASK - 0.15:
                continue
            score = (
                0.8 * text
                + 0.1 * (stored_paths[old.pk] == paths[task.id])
                + 0.07 * (stored_units[old.pk] == units)
                + 0.03 * (old.number == task.number)
            )
            candidates.append((score, task.id, old.pk))
    parsed_by_id = {t.id: t for t in open_tasks}
    for score, parsed_id, pk in sorted(candidates, key=lambda c: -c[0]):
        if score < _SAME_TASK or parsed_id in result or pk in taken:
            continue
        taken.add(pk)
        result[parsed_id] = TaskMatch(parsed_by_id[parsed_id], by_pk[pk], round(score, 2))
    return [result.get(t.id) or TaskMatch(t, None, 0.0) for t in parsed.tasks]
