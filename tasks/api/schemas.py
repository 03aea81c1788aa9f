"""What the API reads and writes, as pydantic schemas: the OpenAPI schema is built from them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from ..filters import ID_MAX, SEARCH_MAX_LENGTH
from ..rules import MAX_YEAR, MIN_YEAR

MAX_LIMIT = 200
Id = int  # a row's key; bounded where it is read (Field(ge=1, le=ID_MAX)) so that no database overflows

ReportStatus = Literal["not_started", "in_progress", "done", "behind", "blocked"]
TaskStatus = Literal["not_started", "in_progress", "done", "behind", "blocked", "pending_review"]
LightValue = Literal["red", "yellow", "green"]


def key(description: str = "", default: Any = ...) -> Any:
    return Field(default, ge=1, le=ID_MAX, description=description)


class Page(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数，1–{MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=10**9, description="跳过的条数")


class PlanFilters(Schema):
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="只看该年度执行的计划（工作总结除外）")
    bureau: int | None = key("教育局编号", None)
    area: int | None = key("地区：该教育局及其下属各级教育局（省的各市、市的县区）的计划", None)


class TaskFilters(Schema):
    """The task list's filters, with the meanings of the web list's (tasks/filters.py)."""

    plan: int | None = key("计划编号", None)
    section: str | None = Field(None, max_length=20, description="部分编号；none 为未分部分")
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="该年度执行的计划的任务")
    bureau: int | None = key("教育局编号", None)
    area: int | None = key("地区：该教育局及其下属各级教育局（省的各市、市的县区）的任务", None)
    division: int | None = key("牵头单位（处室）编号：该处室牵头的任务", None)
    status: list[TaskStatus] | None = Field(None, description="状态，可重复")
    light: LightValue | None = None
    overdue: bool | None = Field(None, description="仅看逾期")
    not_reported: bool | None = Field(None, description="仅看本期未报送")
    extended: bool | None = Field(None, description="仅看已延期")
    unassigned: bool | None = Field(None, description="仅看未分配")
    q: str | None = Field(None, max_length=SEARCH_MAX_LENGTH, description="搜索任务内容或编号，空格分隔多个词")


class BureauOut(Schema):
    id: int
    name: str


class PlanOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    bureau: BureauOut
    year_start: int
    year_end: int
    document_number: str
    issued_on: datetime.date | None
    reporting_cycle: str
    closed_at: datetime.datetime | None
    task_count: int = Field(description="当前末级任务数")
    completion: float | None = Field(description="当前末级任务的平均完成率")
    url: str = Field(description="网页地址")


class SectionOut(Schema):
    id: int
    number: str
    title: str
    heading: str
    parent_id: int | None


class PlanDetailOut(PlanOut):
    sections: list[SectionOut]


class PlanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PlanOut]


class TaskRow(Schema):
    id: int
    plan_id: int
    section_id: int | None
    number: str
    title: str
    deadline: datetime.date | None = Field(description="完成时限（日期）")
    deadline_text: str = Field(description="时限原文，如 6月底前")
    status: str
    status_label: str
    percent: int
    light: str
    light_label: str
    lead_units: list[str] = Field(description="牵头单位，按原文")
    responsible_units: list[str] = Field(description="责任单位，按原文")
    reported_period: datetime.date | None = Field(description="牵头单位最近报送的周期")
    last_reported_at: datetime.datetime | None
    url: str


class TaskPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TaskRow]


class ReportOut(Schema):
    id: int
    division_id: int
    division: str
    author: str
    period: datetime.date
    status: str
    status_label: str
    percent: int
    progress: str
    problems: str
    next_steps: str
    created_at: datetime.datetime


class UnitOut(Schema):
    division_id: int
    name: str
    role: str
    role_label: str
    written_as: str
    latest_report: ReportOut | None


class TargetOut(Schema):
    id: int
    metric: str
    comparator: str
    value: str
    unit: str
    goal: str
    latest_actual: str | None
    attained: bool


class MilestoneOut(Schema):
    id: int
    title: str
    due: datetime.date
    done_at: datetime.datetime | None


class TaskDetail(TaskRow):
    text: str
    leader: str
    section: SectionOut | None
    original_deadline: datetime.date | None = Field(description="批准延期前的完成时限")
    light_reasons: str = Field(description="灯色的依据，与任务页相同")
    read_only: str = Field(description="不能再报送的原因；可以报送时为空")
    units: list[UnitOut]
    targets: list[TargetOut]
    milestones: list[MilestoneOut]


class ActualIn(Schema):
    target: int = key("指标编号")
    value: Decimal | None = Field(None, description="实际值")


class ReportIn(Schema):
    status: ReportStatus
    # The bounds are documented here and checked by the report form, whose messages the page shows too.
    percent: int = Field(
        description="完成率 0–100；状态为 done 时应为 100", json_schema_extra={"minimum": 0, "maximum": 100}
    )
    progress: str = Field(description="进展情况，必填", json_schema_extra={"minLength": 1, "maxLength": 5000})
    problems: str = Field("", description="存在问题", json_schema_extra={"maxLength": 5000})
    next_steps: str = Field("", description="下步打算", json_schema_extra={"maxLength": 5000})
    actuals: list[ActualIn] = Field(default_factory=list, max_length=200, description="各指标的实际值")
    milestones: list[Id] = Field(default_factory=list, max_length=200, description="本次完成的时间节点编号")
    division: int | None = key("报送单位编号：管理员代多个承担处室报送时必填", None)


class ReportCreated(Schema):
    report: ReportOut
    task: TaskRow


class FigureOut(Schema):
    label: str
    value: int | str
    url: str


class SectionFigure(Schema):
    label: str
    total: int
    done: int
    percent: int
    url: str
    children: list[SectionFigure] = []


class DivisionFigure(Schema):
    division_id: int
    name: str
    led: int
    done: int
    pending_review: int
    behind: int
    overdue: int
    not_reported: int
    repeated: int = Field(0, description="本期进展雷同的报送数")
    red: int
    yellow: int
    last_report: str | None
    light: str
    light_label: str
    url: str
    urls: dict[str, str]


class TargetFigure(Schema):
    task: str
    metric: str
    target: str
    unit: str
    actual: str | None
    attained: bool


class TrendPoint(Schema):
    week: str
    done: int
    percent: int


class PlanRef(Schema):
    id: int
    title: str
    bureau: str


class PlanFigures(Schema):
    """The dashboard's picture of one plan, the numbers the page shows (tasks.picture.PlanPicture.as_json)."""

    plan: PlanRef
    day: str
    figures: list[FigureOut]
    sections: list[SectionFigure]
    divisions: list[DivisionFigure]
    targets: list[TargetFigure]
    trend: list[TrendPoint]
    chart: dict[str, Any]


class RollupRow(Schema):
    bureau: BureauOut | None = Field(description="合计行为空")
    label: str
    total: int
    done: int
    behind: int
    overdue: int
    not_reported: int
    red: int
    mean_percent: float | None
    url: str
    urls: dict[str, str]


class BureauFigures(Schema):
    """The bureau and its districts side by side for a year, then their total, as 全市对比 shows them."""

    bureau: BureauOut
    year: int
    day: str
    rows: list[RollupRow]
    chart: dict[str, Any]


class ErrorOut(Schema):
    detail: str = Field(description="中文说明")


class FieldError(Schema):
    location: str = Field(description="查询参数、路径参数或请求体")
    field: str
    message: str
    type: str | None


class InvalidOut(Schema):
    detail: str = Field(description="参数不正确：各字段及原因")
    errors: list[FieldError]


# The refusals every route may give, documented with the answer's own schema.
REFUSALS = {401: ErrorOut, 422: InvalidOut, 429: ErrorOut}
