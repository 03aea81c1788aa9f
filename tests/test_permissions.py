"""Every URL, every role: what each person gets for objects of their own division, of another division
and of another bureau. A URL added without a line in EXPECTED fails `test_every_url_has_an_expected_line`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bureau.models import Division, DivisionAlias, Duty, DutyItem
from plans.models import Section
from tasks.models import ActualValue, Attachment, ExtensionRequest, Milestone, Status

from .helpers import make_division, make_plan, make_report, make_target, make_task

ROLES = ["anonymous", "staff", "other_staff", "head", "leader", "other_leader", "admin"]
TARGETS = ["own", "other_division", "other_bureau"]
LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page


def walk(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    """(name, route) of every pattern, with namespaces; unnamed patterns are named by their route."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else route), route


# ------------------------------------------------------------------------------------------ rules
# A rule maps (role, target, reachable) to the expected answer: an HTTP status or LOGIN.


def _anonymous_to_login(rule):
    return lambda role, target, reach: LOGIN if role == "anonymous" else rule(role, target, reach)


def everyone(code):
    return _anonymous_to_login(lambda role, target, reach: code)


def within_reach(code):
    """`code` for objects in the user's bureaus, 404 outside them."""
    return _anonymous_to_login(lambda role, target, reach: code if reach else 404)


def roles(allowed: set[str], code, refused=403):
    """Within reach: `code` for the allowed roles, `refused` for the others; 404 outside reach."""
    return _anonymous_to_login(lambda role, target, reach: (code if role in allowed else refused) if reach else 404)


def reporters(code):
    """Those who may report: the assigned division's people, and admins for any assigned division."""

    def rule(role, target, reach):
        if not reach:
            return 404
        assigned = {"own": {"staff", "head"}, "other_division": {"other_staff"}, "other_bureau": set()}[target]
        return code if role in assigned | {"admin"} else 403

    return _anonymous_to_login(rule)


def evidence_readers(code):
    """Evidence files: the task's assigned divisions, the bureau's leaders and admins."""

    def rule(role, target, reach):
        if not reach:
            return 404
        assigned = {"own": {"staff", "head"}, "other_division": {"other_staff"}, "other_bureau": set()}[target]
        return code if role in assigned | {"leader", "other_leader", "admin"} else 403

    return _anonymous_to_login(rule)


def planners(code):
    """Milestones: admins, and the head of the lead division."""

    def rule(role, target, reach):
        if not reach:
            return 404
        return code if role == "admin" or (role == "head" and target == "own") else 403

    return _anonymous_to_login(rule)


def lead_head(code):
    def rule(role, target, reach):
        if not reach:
            return 404
        return code if role == "head" and target == "own" else 403

    return _anonymous_to_login(rule)


LEADERS = {"leader", "other_leader", "admin"}
ADMINS = {"admin"}
DIVISION_PEOPLE = {"staff", "other_staff", "head"}
NOT_ALLOWED = everyone(405)


@dataclass
class Line:
    kind: str | None  # what the URL's id names: task, plan, division, attachment, milestone, extension, token
    get: object
    post: object


EXPECTED: dict[str, Line] = {
    "home": Line(None, everyone(302), NOT_ALLOWED),
    "login": Line(None, lambda *_: 200, lambda *_: 200),
    "logout": Line(None, lambda *_: 405, lambda *_: LOGIN),
    "password_change": Line(None, everyone(200), everyone(200)),
    "password_change_done": Line(None, everyone(200), NOT_ALLOWED),
    "notifications": Line(None, everyone(200), NOT_ALLOWED),
    "dashboard": Line(None, roles(LEADERS, 200), NOT_ALLOWED),
    "plans:list": Line(None, everyone(200), NOT_ALLOWED),
    "plans:import": Line(None, roles(ADMINS, 200), roles(ADMINS, 400)),
    "plans:import_preview": Line("token", roles(ADMINS, 404), roles(ADMINS, 404)),
    "plans:detail": Line("plan", within_reach(200), NOT_ALLOWED),
    "plans:export": Line("plan", within_reach(200), NOT_ALLOWED),
    "plans:bulletin": Line("plan", within_reach(200), NOT_ALLOWED),
    "plans:assessment": Line("plan", roles(LEADERS, 200), roles(ADMINS, 400)),
    "plans:assessment_xlsx": Line("plan", roles(LEADERS, 200), NOT_ALLOWED),
    "plans:close": Line("plan", roles(ADMINS, 200), roles(ADMINS, 400)),
    "plans:assign": Line("plan", NOT_ALLOWED, roles(ADMINS, 400)),
    "tasks:list": Line(None, everyone(200), NOT_ALLOWED),
    "tasks:mine": Line(None, roles(DIVISION_PEOPLE, 200), NOT_ALLOWED),
    "tasks:export": Line(None, everyone(200), NOT_ALLOWED),
    "tasks:detail": Line("task", within_reach(200), NOT_ALLOWED),
    "tasks:report": Line("task", reporters(200), reporters(400)),
    "tasks:edit": Line("task", roles(ADMINS, 200), roles(ADMINS, 400)),
    "tasks:duties": Line("task", roles(ADMINS, 200), roles(ADMINS, 302)),
    "tasks:comment": Line("task", NOT_ALLOWED, roles(LEADERS, 302)),
    "tasks:remind": Line("task", NOT_ALLOWED, roles(LEADERS, 302)),
    "tasks:remind_division": Line("division", NOT_ALLOWED, roles(LEADERS, 302)),
    "tasks:attachment": Line("attachment", evidence_readers(200), NOT_ALLOWED),
    "tasks:milestones": Line("task", planners(200), planners(400)),
    "tasks:milestone_delete": Line("milestone", NOT_ALLOWED, planners(302)),
    "tasks:review": Line("task", NOT_ALLOWED, roles(LEADERS, 302)),
    "tasks:extension": Line("task", NOT_ALLOWED, lead_head(302)),
    "tasks:extension_decide": Line("extension", NOT_ALLOWED, roles(LEADERS, 302)),
}


# ------------------------------------------------------------------------------------------ the admin
# Bureau admins are staff with the 管理员 group; everyone else is sent to the admin's login page.


def _admin_rule(answer):
    """`answer(target)` for the bureau admin; every other role goes to the admin's login page."""
    return lambda role, target, reach: answer(target) if role == "admin" else ADMIN_LOGIN


DOMAIN_APPS = {"bureau", "plans", "tasks"}
# Another bureau's row does not exist for a bureau admin: the admin sends them back to its index.
ELSEWHERE = 302


def _same(get_rule):
    return Line(None, get_rule, get_rule)


ADMIN_EXPECTED: dict[str, Line] = {
    "admin:index": _same(_admin_rule(lambda t: 200)),
    "admin:login": Line(None, lambda role, *_: 302 if role == "admin" else 200, lambda role, *_: 200),
    # Logging out of the admin needs a POST; others are sent to the admin's index, which asks them to log in.
    "admin:logout": Line(
        None,
        lambda role, *_: 405 if role == "admin" else 302,
        lambda role, *_: LOGIN if role == "admin" else 302,
    ),
    "admin:password_change": _same(_admin_rule(lambda t: 200)),
    "admin:password_change_done": Line(None, _admin_rule(lambda t: 200), _admin_rule(lambda t: 405)),
    "admin:jsi18n": Line(None, _admin_rule(lambda t: 200), _admin_rule(lambda t: 405)),
    "admin:autocomplete": Line(None, _admin_rule(lambda t: 403), _admin_rule(lambda t: 405)),
    "admin:view_on_site": Line("content_object", _admin_rule(lambda t: 302), _admin_rule(lambda t: 302)),
    "admin/(?P<url>.*)$": _same(_admin_rule(lambda t: 404)),
}
for _model in admin.site._registry:
    _app, _name = _model._meta.app_label, _model._meta.model_name
    _ours = _app in DOMAIN_APPS
    ADMIN_EXPECTED[f"admin:app_list:{_app}"] = Line(
        "app_label", _admin_rule(lambda t, ours=_ours: 200 if ours else 404), None
    )
    ADMIN_EXPECTED[f"admin:app_list:{_app}"].post = ADMIN_EXPECTED[f"admin:app_list:{_app}"].get
    # The old-style address of a row redirects to its change page.
    ADMIN_EXPECTED[f"admin/{_app}/{_name}/<path:object_id>/"] = Line(
        "admin_object", _admin_rule(lambda t: 302), _admin_rule(lambda t: 302)
    )
    if not _ours:
        # Users, groups and login lockouts span every bureau: the superuser's alone. (The lockout id names
        # no row, and a history page reports a missing row before it asks for permission.)
        for _view in ("changelist", "add", "change", "delete", "history", "password_change"):
            if _view == "password_change" and _name != "user":
                continue
            kind = "admin_object" if _view in {"change", "delete", "history", "password_change"} else None
            code = 302 if (_app, _view) == ("axes", "history") else 403
            ADMIN_EXPECTED[f"admin:{_app}_{_name}_{_view}"] = _same(_admin_rule(lambda t, c=code: c))
            ADMIN_EXPECTED[f"admin:{_app}_{_name}_{_view}"].kind = kind
        continue
    creates = _name != "bureau"  # new bureaus are the superuser's
    # Bureaus are the superuser's; reports, their actual values and evidence are append-only.
    deletes = _name not in {"bureau", "progressreport", "actualvalue", "attachment"}
    changes = _name not in {"progressreport", "actualvalue", "attachment"}
    ADMIN_EXPECTED[f"admin:{_app}_{_name}_changelist"] = _same(_admin_rule(lambda t: 200))
    ADMIN_EXPECTED[f"admin:{_app}_{_name}_add"] = _same(_admin_rule(lambda t, c=creates: 200 if c else 403))
    ADMIN_EXPECTED[f"admin:{_app}_{_name}_change"] = Line(
        "admin_object",
        _admin_rule(lambda t: ELSEWHERE if t == "other_bureau" else 200),  # a report is shown read-only
        _admin_rule(lambda t, c=changes: ELSEWHERE if t == "other_bureau" else 200 if c else 403),
    )
    ADMIN_EXPECTED[f"admin:{_app}_{_name}_delete"] = Line(
        "admin_object",
        _admin_rule(lambda t, d=deletes: (ELSEWHERE if t == "other_bureau" else 200) if d else 403),
        _admin_rule(lambda t, d=deletes: (ELSEWHERE if t == "other_bureau" else 200) if d else 403),
    )
    ADMIN_EXPECTED[f"admin:{_app}_{_name}_history"] = Line(
        "admin_object",
        _admin_rule(lambda t: ELSEWHERE if t == "other_bureau" else 200),
        _admin_rule(lambda t: ELSEWHERE if t == "other_bureau" else 200),
    )


def all_urls() -> list[tuple[str, str]]:
    """Every URL pattern; the admin's app_list is one pattern with one entry per app."""
    urls = []
    for name, route in walk(get_resolver()):
        if name == "admin:app_list":
            urls += [(f"admin:app_list:{app}", route) for app in {m._meta.app_label for m in admin.site._registry}]
        else:
            urls.append((name, route))
    return urls


def test_every_url_has_an_expected_line():
    names = {name for name, _ in all_urls()}
    expected = set(EXPECTED) | set(ADMIN_EXPECTED)
    assert names - expected == set(), "新增的网址需要在权限表中写明每个角色的预期结果"
    assert expected - names == set(), "权限表中有已不存在的网址"


# ------------------------------------------------------------------------------------------ the world


@dataclass
class World:
    objects: dict  # (kind, target) → object
    users: dict  # role → user or None


def _task_world(personas, plan, division, target: str, objects: dict) -> None:
    task = make_task(plan, lead=[division])
    report = make_report(task, division, progress="按计划推进。")
    target_row = make_target(task)
    ActualValue.objects.create(report=report, target=target_row, value=80)
    attachment = Attachment(report=report, original_name="佐证.pdf", size=8)
    attachment.file.save("evidence.pdf", ContentFile(b"%PDF-1.4"), save=True)
    milestone = Milestone.objects.create(task=task, title="完成方案", due=datetime.date(2026, 6, 30))
    extension = ExtensionRequest.objects.create(
        task=task,
        requested_by=personas.admin,
        current_deadline=task.deadline,
        new_deadline=task.deadline + datetime.timedelta(days=30),
        reason="需要更多时间。",
    )
    objects.update(
        {
            ("task", target): task,
            ("plan", target): plan,
            ("division", target): division,
            ("attachment", target): attachment,
            ("milestone", target): milestone,
            ("extension", target): extension,
        }
    )


@pytest.fixture
def world(personas) -> World:
    far_division = make_division(personas.other_bureau, "基教处")
    own_plan, far_plan = make_plan(personas.bureau), make_plan(personas.other_bureau)
    objects: dict = {}
    _task_world(personas, own_plan, personas.division, "own", objects)
    _task_world(personas, own_plan, personas.other_division, "other_division", objects)
    _task_world(personas, far_plan, far_division, "other_bureau", objects)
    for bureau, plan, division, target in (
        (personas.bureau, own_plan, personas.division, "own"),
        (personas.other_bureau, far_plan, far_division, "other_bureau"),
    ):
        Section.objects.create(plan=plan, title="第一部分")
        DivisionAlias.objects.create(division=division, name=f"{division.name}别名")
        duty = Duty.objects.create(bureau=bureau, number="1", text="主要职责")
        DutyItem.objects.create(duty=duty, text="年度重点工作")
        objects[("bureau", target)] = bureau
    return World(
        objects=objects,
        users={role: (None if role == "anonymous" else getattr(personas, role)) for role in ROLES},
    )


def _reachable(role: str, target: str) -> bool:
    return (target == "other_bureau") == (role == "other_leader")


def _admin_object(model, target: str, world: World):
    """A row of `model` in the target's bureau, found through its admin's bureau path."""
    bureau = world.objects[("bureau", "own" if target == "own" else "other_bureau")]
    path = admin.site._registry[model].bureau_path
    return model.objects.filter(**{path: bureau.pk}).order_by("pk").first()


def _url(name: str, route: str, kind: str | None, target: str, world: World) -> str:
    if name.startswith("admin:app_list:"):
        return reverse("admin:app_list", args=[name.rsplit(":", 1)[1]])
    if name == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    if kind is None:
        return reverse(name)
    if kind == "token":
        return reverse(name, args=["0" * 32])
    if kind == "content_object":
        from django.contrib.contenttypes.models import ContentType

        task = world.objects[("task", target)]
        return reverse(name, args=[ContentType.objects.get_for_model(task).pk, task.pk])
    if kind == "admin_object":
        if name.startswith("admin/"):  # admin/<app>/<model>/<path:object_id>/
            app, model_name = name.split("/")[1:3]
        else:  # admin:<app>_<model>_<view>; neither app labels nor model names hold "_"
            app, model_name, _ = name.split(":", 1)[1].split("_", 2)
        model = next(m for m in admin.site._registry if m._meta.label_lower == f"{app}.{model_name}")
        if model._meta.app_label not in DOMAIN_APPS:
            # Auth's rows exist; lockout rows come and go with logins, so a lockout id names none.
            pk = {"user": world.users["leader"].pk, "group": world.users["admin"].groups.get().pk}.get(
                model_name, 10**9
            )
        else:
            row = _admin_object(model, target, world)
            assert row is not None, f"测试数据缺少 {model._meta.label} 的一行（{target}）"
            pk = row.pk
        return f"/admin/{app}/{model_name}/{pk}/" if name.startswith("admin/") else reverse(name, args=[pk])
    return reverse(name, args=[world.objects[(kind, target)].pk])


def _answer(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


def _check(name: str, route: str, line: Line, world: World) -> list[str]:
    problems = []
    targets = TARGETS if line.kind not in (None, "token") else ["own"]
    if line.kind == "admin_object":
        targets = ["own", "other_bureau"]
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        for target in targets:
            url = _url(name, route, line.kind, target, world)
            for method, rule in (("GET", line.get), ("POST", line.post)):
                reach = line.kind in (None, "token") or _reachable(role, target)
                expected = rule(role, target, reach)
                # Each request in a savepoint: a POST that deletes or changes must not change the next one.
                with transaction.atomic():
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    transaction.set_rollback(True)
                got = _answer(response)
                if got != expected:
                    problems.append(f"{method} {url} as {role} ({target}): expected {expected}, got {got}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_page_answers_each_role_as_expected(world, name):
    route = dict(all_urls())[name]
    problems = _check(name, route, EXPECTED[name], world)
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_the_admin_answers_each_role_as_expected(world):
    problems = []
    for name, route in all_urls():
        if name in ADMIN_EXPECTED:
            problems += _check(name, route, ADMIN_EXPECTED[name], world)
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_a_bureau_admin_cannot_move_a_row_into_another_bureau(world, personas):
    client = Client()
    client.force_login(personas.admin)
    division = world.objects[("division", "own")]
    far = world.objects[("bureau", "other_bureau")]
    response = client.post(
        reverse("admin:bureau_division_change", args=[division.pk]),
        {
            "bureau": far.pk,
            "name": division.name,
            "kind": division.kind,
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form is shown again with its error
    division.refresh_from_db()
    assert division.bureau_id == personas.bureau.pk
    assert Division.objects.filter(bureau=far).count() == 1


@pytest.mark.django_db
def test_review_of_a_task_that_is_not_pending_is_refused_with_409(world, personas):
    client = Client()
    client.force_login(personas.leader)
    task = world.objects[("task", "own")]
    assert task.status != Status.PENDING_REVIEW
    response = client.post(reverse("tasks:review", args=[task.pk]), {"action": "accept", "comment": ""})
    assert response.status_code == 409
