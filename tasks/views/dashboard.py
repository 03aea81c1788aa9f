"""/dashboard/: where the year's plan stands, who is behind, what to chase."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bureau.access import area_ids, is_leader, membership_of, visible_bureau_ids
from bureau.models import Bureau
from tasks.models import Plan

from .. import rules
from ..dashboard import DIVISION_COLUMNS, DIVISION_WIDE_ONLY
from ..filters import address_id
from ..page_cache import cached_page
from ..picture import plan_picture, rollup_picture


def _require_leader(request: HttpRequest) -> None:
    if not is_leader(request.user):
        raise PermissionDenied("看板仅对局领导和管理员开放。")


def _chosen_year(request: HttpRequest, years: list[int]) -> int:
    """The year asked for, else this year if it has plans, else the latest year that has."""
    this_year = rules.today().year
    asked = request.GET.get("year", "")
    if asked in {str(year) for year in years}:
        return int(asked)
    return this_year if this_year in years or not years else years[-1]


def _default_plan(plans, bureau_id: int | None, year: int) -> Plan | None:
    """The user's own bureau's plan for the year, else its latest plan, else any latest plan."""
    # A closed plan is shown only when asked for by name.
    plans = [p for p in plans if p.closed_at is None] or plans
    own = [p for p in plans if p.bureau_id == bureau_id] or plans
    running = [p for p in own if p.year_start <= year <= p.year_end]
    return (running or own or [None])[0]


def _focus_bureau(request: HttpRequest, membership) -> Bureau | None:
    """The bureau the dashboard is about: one the leader drilled into (`?bureau=`, 404 outside their reach),
    else their own; none for the superuser, who starts from the province-wide roll-up."""
    asked = request.GET.get("bureau", "")
    if asked:
        reach = visible_bureau_ids(request.user)
        bureaus = Bureau.objects.all() if reach is None else Bureau.objects.filter(pk__in=reach)
        if not (bureau := bureaus.filter(pk=address_id(asked)).first()):
            raise Http404("教育局不存在或不在您的查看范围内。")
        return bureau
    return membership.bureau if membership else None


def _rollup_label(bureau: Bureau | None) -> str:
    if bureau is None:
        return "各地对比"
    return "全省对比" if bureau.level == Bureau.Level.PROVINCE else "全市对比"


@login_required
@require_safe
@cached_page
def dashboard_view(request: HttpRequest) -> HttpResponse:
    _require_leader(request)
    membership = membership_of(request.user)
    day = rules.today()
    visible = Plan.objects.visible_to(request.user).exclude(kind=Plan.Kind.SUMMARY)
    plan_id = request.GET.get("plan", "")
    asked_plan = None
    if plan_id:
        asked_plan = visible.filter(pk=address_id(plan_id)).select_related("bureau").first()
        if asked_plan is None:
            raise Http404("计划不存在或不在您的查看范围内。")
    bureau = asked_plan.bureau if asked_plan else _focus_bureau(request, membership)
    # Only the bureau's own plans are offered: a province's thousand plans are reached through its roll-up.
    plans = list(
        visible.filter(bureau=bureau).select_related("bureau").order_by("-year_end", "-year_start", "-created_at")
        if bureau
        else []
    )
    # The years of the plans of the bureau and those under it, whose roll-up the year also chooses: a
    # district's own, not its province's.
    area = area_ids(request.user, bureau.pk) if bureau else []
    area_plans = visible.filter(bureau_id__in=area) if bureau else visible
    years = sorted(
        {
            year
            for start, end in area_plans.order_by().values_list("year_start", "year_end").distinct()
            for year in range(start, end + 1)
        }
    )
    year = _chosen_year(request, years)
    can_rollup = bureau is None or len(area) > 1
    context = {
        "plans": [p for p in plans if p.year_start <= year <= p.year_end],
        "years": years,
        "year": year,
        "day": day,
        "bureau": bureau,
        "own_bureau": bureau is not None and membership is not None and bureau.pk == membership.bureau_id,
        "can_rollup": can_rollup,
        "rollup_label": _rollup_label(bureau),
    }

    # With no plan of its own this year (the superuser has none), a bureau over others opens on the roll-up.
    if can_rollup and (request.GET.get("view") == "rollup" or (asked_plan is None and not context["plans"])):
        context.update(view="rollup", **rollup_picture(bureau, day, year))
        return render(request, "tasks/dashboard.html", context)

    if asked_plan:
        plan = asked_plan
        if not plan.year_start <= year <= plan.year_end:
            # A plan asked for by name shows its own year in the selector.
            year = plan.year_end
            context.update(year=year, plans=[p for p in plans if p.year_start <= year <= p.year_end])
    else:
        plan = _default_plan(context["plans"], bureau.pk if bureau else None, year)
    if plan is None:
        return render(request, "tasks/dashboard.html", {**context, "plan": None})

    sort = request.GET.get("sort", "")
    picture = plan_picture(plan, day, sort)
    context.update(
        view="plan",
        sort=sort,
        division_columns=DIVISION_COLUMNS,
        division_wide_only=DIVISION_WIDE_ONLY,
        **vars(picture),
    )
    return render(request, "tasks/dashboard.html", context)
