"""督查通报 as a leader issues them: the form and the bureau's list, one bulletin, its docx and PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from bureau.access import is_leader

from .. import pdf, rules
from ..bulletin import NumberBusy, issue_bulletin
from ..forms import BulletinForm
from ..models import Bulletin
from .exports import DOCX, _download

REFUSAL = "只有局领导和管理员可以印发督查通报。"
LISTED = 50  # the newest bulletins the page lists


def _require_leader(request: HttpRequest) -> None:
    if not is_leader(request.user):
        raise PermissionDenied(REFUSAL)


def _get_bulletin_for_leader(request: HttpRequest, pk: int) -> Bulletin:
    """A bulletin of a bureau the user may read (404 for any other); 403 for people who are not leaders."""
    bulletin = get_object_or_404(Bulletin.objects.visible_to(request.user).select_related("bureau"), pk=pk)
    _require_leader(request)
    return bulletin


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bulletin_new(request: HttpRequest) -> HttpResponse:
    _require_leader(request)
    today = rules.today()
    named = request.GET.get("plan", "")
    form = BulletinForm(
        request.POST if request.method == "POST" else None, user=request.user, today=today, plan_id=named
    )
    status = 400 if form.is_bound else 200
    if form.is_valid():
        try:
            bulletin = issue_bulletin(
                plans=list(form.cleaned_data["plans"]),
                month=form.cleaned_data["period"],
                red_header=form.cleaned_data["red_header"],
                user=request.user,
                day=today,
            )
        except NumberBusy as busy:
            form.add_error(None, str(busy))
            status = 409
        else:
            return redirect(bulletin)
    # From a plan's page or the dashboard, the plan comes ticked.
    checked = set(form["plans"].value() or []) if form.is_bound else {named}
    plans = list(form.fields["plans"].queryset)
    plan_choices = [
        {"pk": plan.pk, "label": form.fields["plans"].label_from_instance(plan), "checked": str(plan.pk) in checked}
        for plan in plans
    ]
    period = form["period"].value()
    # A plan whose years are over is told as of its last month by default.
    ended = [plan.year_end for plan in plans if str(plan.pk) == named and plan.year_end < today.year]
    default_period = f"{ended[0]}-12" if ended else f"{today:%Y-%m}"
    issued = list(Bulletin.objects.visible_to(request.user).select_related("bureau").prefetch_related("plans")[:LISTED])
    return render(
        request,
        "tasks/bulletin_new.html",
        {
            "form": form,
            "issued": issued,
            "plan_choices": plan_choices,
            "period_value": period if form.is_bound and isinstance(period, str) else default_period,
        },
        status=status,
    )


@login_required
@require_safe
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _get_bulletin_for_leader(request, pk)
    plans = list(bulletin.plans.order_by("title"))
    return render(
        request,
        "tasks/bulletin_detail.html",
        {"bulletin": bulletin, "plans": plans, "pdf_available": bool(bulletin.pdf) or pdf.available()},
    )


def _filename(bulletin: Bulletin, extension: str) -> str:
    return f"{bulletin.bureau.name}{bulletin.number_label}.{extension}"


@login_required
@require_safe
def bulletin_docx(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _get_bulletin_for_leader(request, pk)
    with bulletin.document.open("rb") as file:
        return _download(file.read(), DOCX, _filename(bulletin, "docx"))


@login_required
@require_safe
def bulletin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF, converted once by LibreOffice and kept; a page saying why when it cannot be made."""
    bulletin = _get_bulletin_for_leader(request, pk)
    if not bulletin.pdf:
        with bulletin.document.open("rb") as file:
            content = file.read()
        try:
            converted = pdf.docx_to_pdf(content)
        except pdf.ConversionFailed as error:
            context = {"bulletin": bulletin, "message": str(error)}
            return render(request, "tasks/bulletin_pdf_failed.html", context, status=503)
        bulletin.pdf.save(f"督办通报{bulletin.year}-{bulletin.sequence}.pdf", ContentFile(converted), save=False)
        Bulletin.objects.filter(pk=bulletin.pk).update(pdf=bulletin.pdf.name)
    with bulletin.pdf.open("rb") as file:
        return _download(file.read(), "application/pdf", _filename(bulletin, "pdf"))
