from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from ..access import is_leader, membership_of


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands after login: leaders on the overview, division staff on their own tasks."""
    if is_leader(request.user):
        return redirect("tasks:dashboard")
    membership = membership_of(request.user)
    if membership is not None and membership.division_id:
        return redirect("tasks:mine")
    return redirect("tasks:plan_list")
