"""GET /plans and /plans/{id}: the plans the token's owner may read, as the plans page lists them."""

from django.http import HttpRequest
from ninja import Path, Query, Router

from bureau.models import Bureau

from ..models import Plan
from ..views.access import get_plan_for_viewer
from .schemas import ID_MAX, REFUSALS, ErrorOut, Page, PlanDetailOut, PlanFilters, PlanPage

router = Router(tags=["计划"])


def plan_out(plan: Plan) -> dict:
    return {
        "id": plan.pk,
        "title": plan.title,
        "kind": plan.kind,
        "kind_label": plan.get_kind_display(),
        "bureau": {"id": plan.bureau_id, "name": plan.bureau.name},
        "year_start": plan.year_start,
        "year_end": plan.year_end,
        "document_number": plan.document_number,
        "issued_on": plan.issued_on,
        "reporting_cycle": plan.reporting_cycle,
        "closed_at": plan.closed_at,
        "task_count": plan.task_count,
        "completion": plan.completion,
        "url": plan.get_absolute_url(),
    }


@router.get("/plans", response={200: PlanPage, **REFUSALS}, summary="计划列表")
def plan_list(request: HttpRequest, filters: Query[PlanFilters], page: Query[Page]) -> dict:
    plans = Plan.objects.visible_to(request.user)
    if filters.year is not None:
        plans = plans.filter(year_start__lte=filters.year, year_end__gte=filters.year)
    if filters.bureau is not None:
        plans = plans.filter(bureau_id=filters.bureau)
    if filters.area is not None:
        plans = plans.filter(bureau_id__in=Bureau.objects.area(filters.area))
    rows = list(
        plans.select_related("bureau")
        .with_task_counts()
        .order_by("-year_end", "-year_start", "-created_at", "-pk")[page.offset : page.offset + page.limit]
    )
    return {"count": plans.count(), "limit": page.limit, "offset": page.offset, "items": [plan_out(p) for p in rows]}


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, 404: ErrorOut, **REFUSALS}, summary="计划详情")
def plan_detail(request: HttpRequest, plan_id: int = Path(..., ge=1, le=ID_MAX)) -> dict:
    get_plan_for_viewer(request, plan_id)  # 404 outside the user's reach
    plan = Plan.objects.with_task_counts().select_related("bureau").get(pk=plan_id)
    sections = [
        {"id": s.pk, "number": s.number, "title": s.title, "heading": s.heading, "parent_id": s.parent_id}
        for s in plan.sections.all()
    ]
    return plan_out(plan) | {"sections": sections}
