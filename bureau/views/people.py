"""/people/: a bureau admin's own bureau's people — accounts, one-time passwords, lockouts, and the
upload → preview → confirm import of a sheet of people."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..access import managed_bureau_ids, managed_bureau_ids_or_403, visible_bureau_ids
from ..forms import PeopleSearchForm, PeopleUploadForm, PersonForm
from ..models import Bureau, person_name
from ..people import (
    ERROR,
    PersonFields,
    active_set,
    lockout_clear,
    password_reset,
    people_import,
    people_managed,
    people_ordered,
    people_preview,
    people_search,
    person_create,
    person_update,
    rows_dump,
    rows_load,
    with_states,
)
from ..people_reader import MAX_ROWS, PeopleFileError, read_people
from ..tokens import tokens_live

PER_PAGE = 50
_SESSION_KEY = "people_imports"
_KEEP_PENDING = 3


def _managed_ids(request: HttpRequest) -> list[int] | None:
    """The bureaus whose people the user manages (None: every bureau); 403 for those who manage none."""
    return managed_bureau_ids_or_403(request.user, "只有管理员可以管理人员。")


def _get_person_for_admin(request: HttpRequest, pk: int):
    """A person of a bureau the user manages, with their states. Someone the user cannot see is 404; a
    colleague the user sees but may not manage is 403; a superuser is nobody's to manage (404)."""
    bureau_ids = managed_bureau_ids(request.user)
    if bureau_ids == []:
        visible = visible_bureau_ids(request.user)
        if people_managed(visible).filter(pk=pk).exists():
            raise PermissionDenied("只有管理员可以管理人员。")
        raise Http404("没有这个人员。")
    person = with_states(people_managed(bureau_ids)).filter(pk=pk).first()
    if person is None:
        raise Http404("没有这个人员。")
    return person


def _bureaus(bureau_ids: list[int] | None) -> list[Bureau]:
    """The bureaus of the user's forms: a bureau admin's one, the superuser's tens."""
    bureaus = Bureau.objects.order_by("name")
    return list(bureaus if bureau_ids is None else bureaus.filter(pk__in=bureau_ids))


def _fields(form: PersonForm) -> PersonFields:
    data = form.cleaned_data
    return PersonFields(
        username=data["username"],
        name=data["name"],
        bureau=data["bureau"],
        division=data["division"],
        role=data["role"],
        phone=data["phone"],
        email=data["email"],
    )


def _revoked(count: int) -> str:
    return f"，并撤销了其 {count} 个访问令牌" if count else ""


def _password_page(request: HttpRequest, person, password: str, *, created: bool) -> HttpResponse:
    """The one-time password, in this response only: not in a message, the session or a log."""
    context = {"person": person, "password": password, "created": created}
    return render(request, "bureau/people/password.html", context)


@login_required
@require_safe
def people_list(request: HttpRequest) -> HttpResponse:
    bureau_ids = _managed_ids(request)
    bureaus = _bureaus(bureau_ids) if bureau_ids is None else None
    form = PeopleSearchForm(request.GET or None, bureaus=bureaus)
    people = people_managed(bureau_ids)
    if form.is_valid():
        people = people_search(people, form.cleaned_data["q"])
        if form.cleaned_data.get("bureau"):
            people = people.filter(membership__bureau=form.cleaned_data["bureau"])
    page = Paginator(people_ordered(with_states(people)), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    context = {
        "form": form,
        "page": page,
        "several_bureaus": bureau_ids is None or len(bureau_ids) > 1,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "bureau/people/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create_view(request: HttpRequest) -> HttpResponse:
    bureau_ids = _managed_ids(request)
    form = PersonForm(request.POST or None, bureaus=_bureaus(bureau_ids), acting_user=request.user)
    if form.is_valid():
        try:
            person, password = person_create(_fields(form))
        except IntegrityError:
            form.add_error("username", "登录名已被使用，请换一个。")
        else:
            messages.success(request, f"已创建账号：{person_name(person)}（{person.username}）。")
            return _password_page(request, person, password, created=True)
    status = 400 if request.method == "POST" else 200
    return render(request, "bureau/people/form.html", {"form": form, "person": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_admin(request, pk)
    bureau_ids = managed_bureau_ids(request.user)
    form = PersonForm(request.POST or None, bureaus=_bureaus(bureau_ids), instance=person, acting_user=request.user)
    if form.is_valid():
        try:
            person_update(person, _fields(form))
        except IntegrityError:
            form.add_error("username", "登录名已被使用，请换一个。")
        else:
            messages.success(request, f"已保存 {person_name(person)} 的信息。")
            return redirect("person_edit", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": person, "live_tokens": tokens_live(person).count()}
    return render(request, "bureau/people/form.html", context, status=status)


@login_required
@require_POST
def person_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_admin(request, pk)
    password, revoked = password_reset(person)
    messages.success(request, f"已重置 {person_name(person)} 的密码，并解除了登录锁定{_revoked(revoked)}。")
    return _password_page(request, person, password, created=False)


@login_required
@require_POST
def person_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_admin(request, pk)
    if lockout_clear(person.username):
        messages.success(request, f"已解除 {person_name(person)} 的登录锁定，现在可以重新登录。")
    else:
        messages.info(request, f"{person_name(person)} 没有登录失败记录，无需解除。")
    return redirect("person_edit", pk=person.pk)


@login_required
@require_POST
def person_active(request: HttpRequest, pk: int) -> HttpResponse:
    """active=0 stops the account, active=1 lets it sign in again: the state asked for, not a toggle, so
    that sending the form twice does what it said once."""
    person = _get_person_for_admin(request, pk)
    wanted = request.POST.get("active")
    if wanted not in ("0", "1"):
        return render(request, "bureau/people/refused.html", {"person": person, "message": "请求有误。"}, status=400)
    if wanted == "0" and person.pk == request.user.pk:
        message = "不能停用自己的账号。"
        return render(request, "bureau/people/refused.html", {"person": person, "message": message}, status=409)
    name = person_name(person)
    changed, revoked = active_set(person, wanted == "1")
    if changed:
        messages.success(
            request, f"已停用 {name} 的账号{_revoked(revoked)}。" if wanted == "0" else f"已启用 {name} 的账号。"
        )
    else:
        messages.info(request, f"{name} 的账号已是{'停用' if wanted == '0' else '启用'}状态。")
    return redirect("person_edit", pk=person.pk)


# ---------------------------------------------------------------- import


def _pending(request: HttpRequest, token: str) -> dict:
    pending = request.session.get(_SESSION_KEY, {}).get(token)
    if pending is None:
        raise Http404("导入文件不存在或已过期，请重新上传。")
    return pending


def _pending_discard(request: HttpRequest, token: str) -> None:
    imports = request.session.get(_SESSION_KEY, {})
    if imports.pop(token, None) is not None:
        request.session[_SESSION_KEY] = imports


@login_required
@require_http_methods(["GET", "POST"])
def people_import_upload(request: HttpRequest) -> HttpResponse:
    bureau_ids = _managed_ids(request)
    form = PeopleUploadForm(request.POST or None, request.FILES or None, bureaus=_bureaus(bureau_ids))
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = read_people(upload.read())
        except PeopleFileError as exc:
            form.add_error("file", str(exc))
        else:
            if not parsed.rows:
                form.add_error("file", "表格中没有人员。")
            else:
                token = secrets.token_urlsafe(16)
                # The rows, not the file: the session is in the database, so any app server has them.
                imports = dict(list(request.session.get(_SESSION_KEY, {}).items())[-(_KEEP_PENDING - 1) :])
                imports[token] = {
                    "bureau": form.cleaned_data["bureau"].pk,
                    "filename": upload.name[:200],
                    "sheet": parsed.sheet,
                    "ignored": parsed.ignored_columns,
                    "rows": rows_dump(parsed.rows),
                }
                request.session[_SESSION_KEY] = imports
                return redirect("people_import_preview", token=token)
    status = 400 if request.method == "POST" else 200
    return render(request, "bureau/people/import_upload.html", {"form": form, "max_rows": MAX_ROWS}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def people_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    bureau_ids = _managed_ids(request)
    pending = _pending(request, token)
    bureau = next((b for b in _bureaus(bureau_ids) if b.pk == pending["bureau"]), None)
    if bureau is None:
        raise Http404("导入文件不存在或已过期，请重新上传。")
    rows = rows_load(pending["rows"])
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            _pending_discard(request, token)
            messages.info(request, "已取消导入，未写入任何数据。")
            return redirect("people_list")
        try:
            result = people_import(bureau=bureau, rows=rows, acting_user=request.user)
        except IntegrityError:
            # Someone took a login name between the check and the write: nothing of the file is written.
            messages.error(request, "导入时有登录名刚被占用，未写入任何数据，请重新预览后再确认。")
        else:
            _pending_discard(request, token)
            messages.success(
                request,
                f"导入完成：新建 {len(result.created)} 人，更新 {result.updated} 人"
                + (f"，{len(result.skipped)} 行有错误未导入。" if result.skipped else "。"),
            )
            return render(request, "bureau/people/import_done.html", {"result": result, "bureau": bureau})
    preview = people_preview(bureau=bureau, rows=rows, acting_user=request.user)
    counts = {action: sum(1 for row in preview if row.action == action) for action in ("create", "update", ERROR)}
    context = {"pending": pending, "bureau": bureau, "preview": preview, "counts": counts, "token": token}
    return render(
        request, "bureau/people/import_preview.html", context, status=400 if request.method == "POST" else 200
    )
