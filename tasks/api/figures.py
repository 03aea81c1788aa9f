"""GET /plans/{id}/figures and /bureaus/{id}/figures: the dashboard's numbers, built by the builders the
dashboard page renders (tasks.picture), so that the API and the page cannot disagree."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field as SchemaField
from ninja import Path, Query, Router, Schema

from bureau.access import is_leader, visible_bureau_ids
from bureau.models import Bureau

from .. import rules
from ..models import Plan
from ..picture import plan_picture, rollup_picture
from ..views.access import get_plan_for_leader
from .schemas import ID_MAX, MAX_YEAR, MIN_YEAR, REFUSALS, BureauFigures, ErrorOut, PlanFigures

router = Router(tags=["看板"])
REFUSAL = "看板仅对局领导和管理员开放。"


@router.get(
    "/plans/{plan_id}/figures",
    response={200: PlanFigures, 403: ErrorOut, 404: ErrorOut, **REFUSALS},
    summary="计划的看板数字",
)
def plan_figures(request: HttpRequest, plan_id: int = Path(..., ge=1, le=ID_MAX)) -> dict:
    """The figures, section and division tables, targets and trend of the plan's dashboard, each figure
    with the link to exactly its tasks in the web list."""
    plan = get_plan_for_leader(request, plan_id, REFUSAL)
    if plan.kind == Plan.Kind.SUMMARY:
        raise Http404("工作总结没有看板。")  # the dashboard offers no 工作总结 either
    return plan_picture(plan, rules.today()).as_json()


class Year(Schema):
    year: int | None = SchemaField(None, ge=MIN_YEAR, le=MAX_YEAR, description="年度，默认今年")


def _plain(row: dict) -> dict:
    bureau = row["bureau"]
    return {
        "bureau": bureau and {"id": bureau.pk, "name": bureau.name},
        "label": row.get("label") or bureau.name,
        **{key: row[key] for key in ("total", "done", "behind", "overdue", "not_reported", "red")},
        "mean_percent": row["mean_percent"],
        "url": row["url"],
        "urls": row["urls"],
    }


@router.get(
    "/bureaus/{bureau_id}/figures",
    response={200: BureauFigures, 403: ErrorOut, 404: ErrorOut, **REFUSALS},
    summary="教育局与其下属各局（市的县区、省的各市）的对比",
)
def bureau_figures(request: HttpRequest, query: Query[Year], bureau_id: int = Path(..., ge=1, le=ID_MAX)) -> dict:
    """The bureau and each bureau under it (a city's districts, a province's cities with theirs) over the plans
    running in the year, then their total: the numbers of the dashboard's 全市对比 / 全省对比."""
    reach = visible_bureau_ids(request.user)
    bureaus = Bureau.objects.all() if reach is None else Bureau.objects.filter(pk__in=reach)
    bureau = get_object_or_404(bureaus, pk=bureau_id)
    if not is_leader(request.user):
        raise PermissionDenied(REFUSAL)
    day = rules.today()
    year = query.year or day.year
    picture = rollup_picture(bureau, day, year)
    return {
        "bureau": {"id": bureau.pk, "name": bureau.name},
        "year": year,
        "day": day.isoformat(),
        "rows": [_plain(row) for row in picture["rollup"]],
        "chart": picture["chart"],
    }
