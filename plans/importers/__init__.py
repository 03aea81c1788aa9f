"""Readers that turn a plan document into dataclasses; nothing here touches the database.

`read_plans(data)` is the entry point: it loads the file's blocks, splits them into the
documents the file carries, recognises each document's layout and hands it to its reader.
"""

from .documents import read_plans
from .parsed import ParsedPlan, ParsedSection, ParsedTarget, ParsedTask, PlanFileError

__all__ = ["ParsedPlan", "ParsedSection", "ParsedTarget", "ParsedTask", "PlanFileError", "read_plans"]
