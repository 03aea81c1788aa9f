"""Upload → preview → confirm for new and revised plans (admins only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bureau.access import is_admin, visible_bureau_ids

from ..forms import PlanUploadForm, RevisionForm, UnitMappingForm
from ..importers import PlanFileError
from ..pending import PendingImport, pending_discard, pending_load, pending_save
from ..services import file_sha256, import_file, preview_plans, read_plans_safely

_SESSION_KEY = "pending_imports"


def _require_admin(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied("只有管理员可以导入工作计划。")


def _outside_reach(request: HttpRequest, preview) -> str | None:
    """Why this admin may not import the file's plans, if they may not: a bureau admin imports for
    their own bureau and its districts; only the deployment's superuser creates bureaus."""
    reach = visible_bureau_ids(request.user)
    if reach is None:
        return None
    if preview.bureau is None:
        return f"系统中还没有“{preview.bureau_name}”，新建教育局请联系系统管理员。"
    if preview.bureau.pk not in reach:
        return f"您只能导入本局及所辖区县的计划，不能导入“{preview.bureau.name}”的计划。"
    return None


def _get_pending_for_admin(request: HttpRequest, token: str) -> PendingImport:
    """A pending upload of this user's session; 404 for any other token."""
    _require_admin(request)
    pending = pending_load(token) if token in request.session.get(_SESSION_KEY, []) else None
    if pending is None:
        raise Http404("导入文件不存在或已过期，请重新上传。")
    return pending


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        bureau, year = form.cleaned_data["bureau"] or None, form.cleaned_data["year"]
        sha = file_sha256(data)
        try:
            parsed = read_plans_safely(data, bureau_name=bureau, year=year)
            preview = preview_plans(parsed, sha=sha)
        except PlanFileError as exc:
            form.add_error("file", str(exc))
        else:
            refusal = _outside_reach(request, preview)
            if refusal:
                form.add_error("bureau", refusal)
                return render(request, "plans/import_upload.html", {"form": form}, status=403)
            token = pending_save(data=data, filename=upload.name, bureau=bureau, year=year, sha256=sha, parsed=parsed)
            request.session[_SESSION_KEY] = [*request.session.get(_SESSION_KEY, [])[-9:], token]
            return redirect("plans:import_preview", token=token)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/import_upload.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    pending = _get_pending_for_admin(request, token)
    try:
        preview = preview_plans(pending.parsed, sha=pending.sha256)
    except PlanFileError as exc:
        pending_discard(token)
        messages.error(request, str(exc))
        return redirect("plans:import")

    refusal = _outside_reach(request, preview)
    if refusal:
        pending_discard(token)
        raise PermissionDenied(refusal)

    if request.method == "POST" and request.POST.get("action") == "cancel":
        pending_discard(token)
        messages.info(request, "已取消导入，未写入任何数据。")
        return redirect("plans:import")

    data = request.POST if request.method == "POST" else None
    unassigned = sum(item.unassigned_count for item in preview.plans)
    mapping_form = UnitMappingForm(
        data, unknown_units=preview.unknown_units, bureau=preview.bureau, unassigned=unassigned
    )
    revision_form = RevisionForm(data, preview=preview)
    status = 200
    if request.method == "POST" and mapping_form.is_valid() and revision_form.is_valid():
        try:
            plans = import_file(
                data=pending.data,
                filename=pending.filename,
                bureau_name=pending.bureau,
                year=pending.year,
                unit_mapping=mapping_form.mapping(),
                default_lead=mapping_form.lead_for_unassigned(),
                modes=revision_form.modes(),
                overrides=revision_form.overrides(),
                parsed=pending.parsed,
            )
        except PlanFileError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            pending_discard(token)
            titles = "、".join(f"《{p.title}》" for p in plans)
            messages.success(request, f"导入成功：{titles}。")
            return redirect(plans[0])
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "plans/import_preview.html",
        {"preview": preview, "pending": pending, "mapping_form": mapping_form, "revision_form": revision_form},
        status=status,
    )
