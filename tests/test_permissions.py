"""Every URL, every role: what each person gets for objects of their own division, of another division
and of another bureau. A URL added without a line in EXPECTED fails `test_every_url_has_an_expected_line`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import FileField, ForeignKey, Model
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bureau import admin_scope
from bureau.admin import BureauAdmin
from bureau.models import Bureau, Division, DivisionAlias, Membership, OutboxMessage, Robot
from bureau.tokens import token_create
from tasks import rules
from tasks.admin import AppendOnlyAdmin, ProgressReportAdmin
from tasks.bulletin import issue_bulletin
from tasks.models import (
    ActualValue,
    Attachment,
    Duty,
    DutyItem,
    ExportJob,
    ExtensionRequest,
    Milestone,
    ProgressReport,
    Section,
    Status,
)

from .helpers import make_division, make_plan, make_report, make_target, make_task, make_user

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


TOKEN_OWNERS = {"own": "staff", "other_division": "other_staff", "other_bureau": "other_leader"}


def token_owner(code):
    """An access token: its owner alone; anyone else's is 404."""
    return _anonymous_to_login(lambda role, target, reach: code if role == TOKEN_OWNERS[target] else 404)


# The API's reads and the kind of object their id names.
API_READS = {"plan_list": None, "plan_detail": "plan", "task_list": None, "task_detail": "task",
             "plan_figures": "plan", "bureau_figures": "bureau"}  # fmt: skip

LEADERS = {"leader", "other_leader", "admin"}
ADMINS = {"admin"}
DIVISION_PEOPLE = {"staff", "other_staff", "head"}
NOT_ALLOWED = everyone(405)


@dataclass
class Line:
    kind: str | None  # what the URL's id names: task, plan, division, bureau, attachment, milestone, extension,
    # token (an upload's), access_token, bulletin, filter_field
    get: object
    post: object


EXPECTED: dict[str, Line] = {
    "home": Line(None, everyone(302), NOT_ALLOWED),
    "login": Line(None, lambda *_: 200, lambda *_: 200),
    "logout": Line(None, lambda *_: 405, lambda *_: LOGIN),
    "password_change": Line(None, everyone(200), everyone(200)),
    "password_change_done": Line(None, everyone(200), NOT_ALLOWED),
    "tasks:notifications": Line(None, everyone(200), NOT_ALLOWED),
    "tasks:dashboard": Line(None, roles(LEADERS, 200), NOT_ALLOWED),
    "tasks:plan_list": Line(None, everyone(200), NOT_ALLOWED),
    "plans:import": Line(None, roles(ADMINS, 200), roles(ADMINS, 400)),
    "plans:import_preview": Line("token", roles(ADMINS, 404), roles(ADMINS, 404)),
    "tasks:plan_detail": Line("plan", within_reach(200), NOT_ALLOWED),
    "tasks:plan_export": Line("plan", within_reach(200), NOT_ALLOWED),
    "tasks:plan_bulletin": Line("plan", within_reach(200), NOT_ALLOWED),
    # Numbered 督查通报 are the leaders'; `bulletin` names one of the target's bureau (its PDF already made).
    "tasks:bulletin_new": Line(None, roles(LEADERS, 200), roles(LEADERS, 400)),
    "tasks:bulletin_detail": Line("bulletin", roles(LEADERS, 200), NOT_ALLOWED),
    "tasks:bulletin_docx": Line("bulletin", roles(LEADERS, 200), NOT_ALLOWED),
    "tasks:bulletin_pdf": Line("bulletin", roles(LEADERS, 200), NOT_ALLOWED),
    "tasks:plan_assessment": Line("plan", roles(LEADERS, 200), roles(ADMINS, 400)),
    "tasks:plan_assessment_xlsx": Line("plan", roles(LEADERS, 200), NOT_ALLOWED),
    "tasks:plan_close": Line("plan", roles(ADMINS, 200), roles(ADMINS, 400)),
    "tasks:plan_assign": Line("plan", NOT_ALLOWED, roles(ADMINS, 400)),
    "tasks:list": Line(None, everyone(200), NOT_ALLOWED),
    # The list's filter choices: anyone who has the list, for the plans and divisions they may see.
    "tasks:filter_choices": Line("filter_field", everyone(200), NOT_ALLOWED),
    "tasks:mine": Line(None, roles(DIVISION_PEOPLE, 200), NOT_ALLOWED),
    "tasks:export": Line(None, everyone(200), NOT_ALLOWED),
    "tasks:mine_export": Line(None, roles(DIVISION_PEOPLE, 200), NOT_ALLOWED),
    "tasks:mine_report": Line(None, roles(DIVISION_PEOPLE, 200), roles(DIVISION_PEOPLE, 400)),
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
    # The bureau admin's people; `person` names a person of the target's division (bureau). Posting nothing:
    # the forms refuse it (400), a reset shows its one-time password (200), an unlock is always possible.
    "people_list": Line(None, roles(ADMINS, 200), NOT_ALLOWED),
    "person_create": Line(None, roles(ADMINS, 200), roles(ADMINS, 400)),
    "person_edit": Line("person", roles(ADMINS, 200), roles(ADMINS, 400)),
    "person_reset": Line("person", NOT_ALLOWED, roles(ADMINS, 200)),
    "person_unlock": Line("person", NOT_ALLOWED, roles(ADMINS, 302)),
    "person_active": Line("person", NOT_ALLOWED, roles(ADMINS, 400)),
    "people_import": Line(None, roles(ADMINS, 200), roles(ADMINS, 400)),
    "people_import_preview": Line("token", roles(ADMINS, 404), roles(ADMINS, 404)),
    # Everyone's own name, phone, email and channels; an empty form lacks the name.
    "account": Line(None, everyone(200), everyone(400)),
    # Group robots are the bureau admin's; `robot` names a robot of the target's division.
    "robot_list": Line(None, roles(ADMINS, 200), NOT_ALLOWED),
    "robot_create": Line(None, roles(ADMINS, 200), roles(ADMINS, 400)),
    "robot_edit": Line("robot", roles(ADMINS, 200), roles(ADMINS, 400)),
    "robot_delete": Line("robot", NOT_ALLOWED, roles(ADMINS, 302)),
    "robot_test": Line("robot", NOT_ALLOWED, roles(ADMINS, 302)),
    # One's own API tokens; another's is not there. The tokens are made in `world` by their owners.
    "account_tokens": Line(None, everyone(200), everyone(400)),
    "account_token_revoke": Line("access_token", NOT_ALLOWED, token_owner(302)),
    # 发送记录 is the bureau admin's; `outbox` names a failed message of the target's bureau.
    "outbox_list": Line(None, roles(ADMINS, 200), NOT_ALLOWED),
    "outbox_retry": Line("outbox", NOT_ALLOWED, roles(ADMINS, 302)),
    # A background export is its asker's alone (the same owners as the tokens); posting nothing is refused.
    "tasks:export_job_start": Line(None, NOT_ALLOWED, everyone(400)),
    "tasks:export_job": Line("export_job", token_owner(200), NOT_ALLOWED),
    "tasks:export_job_file": Line("export_job", token_owner(200), NOT_ALLOWED),
    # The API takes tokens, not sessions: signed in or not, a browser's session is 401 (so no CSRF to
    # consider). Its matrix by token is tests/test_api_permissions.py.
    **{f"api-1:{name}": Line(kind, lambda *_: 401, lambda *_: 405) for name, kind in API_READS.items()},
    "api-1:report_create": Line("task", lambda *_: 405, lambda *_: 401),
    "api-1:openapi-json": Line(None, lambda *_: 200, lambda *_: 200),  # the schema is public
    "api-1:api-root": Line(None, lambda *_: 404, lambda *_: 404),
}


# ------------------------------------------------------------------------------------------ the admin
# Bureau admins are staff with the 管理员 group; everyone else is sent to the admin's login page.


def _admin_rule(answer):
    """`answer(target)` for the bureau admin; every other role goes to the admin's login page."""
    return lambda role, target, reach: answer(target) if role == "admin" else ADMIN_LOGIN


DOMAIN_APPS = {"bureau", "plans", "tasks"}
# Shown, never changed or deleted, by anyone: ADMIN_WRITES tries it with whole forms.
APPEND_ONLY = {"progressreport", "actualvalue", "attachment"}
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
    deletes = _name not in {"bureau"} | APPEND_ONLY
    changes = _name not in APPEND_ONLY
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
        issuer = personas.leader if target == "own" else personas.other_leader
        day = rules.today()
        bulletin = issue_bulletin(plans=[plan], month=day.replace(day=1), red_header=False, user=issuer, day=day)
        bulletin.pdf.save("bulletin.pdf", ContentFile(b"%PDF-1.4"), save=True)
        objects[("bulletin", target)] = bulletin
    objects[("bureau", "other_division")] = personas.bureau
    objects[("bulletin", "other_division")] = objects[("bulletin", "own")]
    objects |= {("person", "own"): personas.staff, ("person", "other_division"): personas.other_staff}
    objects[("person", "other_bureau")] = personas.other_leader
    for target, owner in TOKEN_OWNERS.items():
        objects[("access_token", target)] = token_create(user=getattr(personas, owner), name="省平台对接")[0]
    for target, owner in TOKEN_OWNERS.items():
        job = ExportJob(user=getattr(personas, owner), kind="tasks", filename="任务清单.xlsx", state="done")
        job.file.save("任务清单.xlsx", ContentFile(b"PK"), save=False)
        job.save()
        objects[("export_job", target)] = job
        bureau = objects[("division", target)].bureau_id
        objects[("outbox", target)] = OutboxMessage.objects.create(
            bureau_id=bureau, channel="email", address="a@example.gov.cn", subject="催办", body="请报送", state="failed"
        )
    for target in TARGETS:
        # Its webhook is no allowed address, so 发送测试消息 answers at once without a request.
        division = objects[("division", target)]
        objects[("robot", target)] = Robot.objects.create(
            bureau_id=division.bureau_id,
            division=division,
            kind=Robot.Kind.DINGTALK,
            name=f"{division.name}群",
            webhook="http://127.0.0.1:9/robot/send?access_token=x",
        )
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
    if kind == "filter_field":
        return reverse(name, args=["plan"])
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


# ------------------------------------------------------------------------------------------ the admin's writes
# What an answer code cannot show: what a whole, valid form posted in the admin leaves in the database. A line
# is one write and, for each admin role, what becomes of it. `broken` undoes the rule the line stands for, and
# undone, the line must see the write go through (test_each_write_line_sees_its_rule_undone): no line passes
# on a form that was never valid.

ADMIN_ROLES = ["district_admin", "admin", "superuser"]
KEPT, MOVED, CHANGED, DELETED = "kept", "moved", "changed", "deleted"
ATTACHED, REFUSED = "attached", "refused"
ADDER, NAMED = "under the adder's name", "under the name in the form"


@dataclass
class AdminWorld:
    objects: dict  # World.objects, and the district's rows under the target "district"
    users: dict  # admin role → user
    accounts: dict  # "superuser" / "unplaced" → an account that belongs to no bureau
    rows: dict  # (model name, target) → the report, actual value and attachment of "own" and "district"
    staff: object  # a clerk of the city, whose name no admin may write a report under


@pytest.fixture
def admin_world(world, personas, django_user_model) -> AdminWorld:
    district_division = make_division(personas.district, "基教科")
    _task_world(personas, make_plan(personas.district), district_division, "district", world.objects)
    world.objects[("bureau", "district")] = personas.district
    root = django_user_model.objects.create_superuser("root", password="pw")
    users = {
        "district_admin": make_user("district_admin", bureau=personas.district, role=Membership.Role.ADMIN),
        "admin": personas.admin,
        "superuser": root,
    }
    accounts = {"superuser": root, "unplaced": django_user_model.objects.create_user("unplaced", password="pw")}
    rows = {}
    for target in ("own", "district"):
        report = world.objects[("attachment", target)].report
        rows |= {("progressreport", target): report, ("attachment", target): world.objects[("attachment", target)]}
        rows[("actualvalue", target)] = report.actuals.get()
    return AdminWorld(objects=world.objects, users=users, accounts=accounts, rows=rows, staff=personas.staff)


@dataclass
class Write:
    url: Callable  # (AdminWorld, role) → the admin page the form is posted to
    data: Callable  # (AdminWorld, role) → the form
    outcome: Callable  # (AdminWorld, role) → what the database holds after the post
    expected: dict[str, str]  # admin role → outcome
    broken: list[tuple]  # (class or module, attribute, value): the rule undone
    broken_for: tuple[str, str]  # (role, outcome) once the rule is undone


def _own(role: str) -> str:
    """The target of the role's own rows: a district admin's are the district's, the others' the city's."""
    return "district" if role == "district_admin" else "own"


def _yes(self, request, obj=None) -> bool:
    return True


def _management_forms(model) -> dict:
    """Empty inline formsets of `model`'s admin page: they add nothing and change nothing."""
    data = {}
    for inline in admin.site._registry[model].inlines:
        fk = next(f for f in inline.model._meta.fields if isinstance(f, ForeignKey) and f.related_model is model)
        prefix = fk.remote_field.get_accessor_name()
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def _posted(obj, **changes) -> dict:
    """The change form of `obj` as a browser would send it back, with `changes` (files stay as they are)."""
    files = [f.name for f in obj._meta.fields if isinstance(f, FileField)]
    fields = {k: v for k, v in model_to_dict(obj, exclude=files).items() if v is not None}
    return fields | changes | _management_forms(type(obj))


def _placement(target: str, level: str, expected: dict, broken_for: tuple) -> Write:
    """The bureau of `target` posted with no parent and `level`: MOVED once either is stored."""

    def data(aw: AdminWorld, role: str) -> dict:
        bureau = aw.objects[("bureau", target)]
        return {"name": bureau.name, "short_name": bureau.short_name, "parent": "", "level": level}

    def outcome(aw: AdminWorld, role: str) -> str:
        bureau = aw.objects[("bureau", target)]  # as the fixture made it
        stored = Bureau.objects.values_list("parent_id", "level").get(pk=bureau.pk)
        return KEPT if stored == (bureau.parent_id, bureau.level) else MOVED

    return Write(
        url=lambda aw, role: reverse("admin:bureau_bureau_change", args=[aw.objects[("bureau", target)].pk]),
        data=data,
        outcome=outcome,
        expected=expected,
        broken=[(BureauAdmin, "get_readonly_fields", lambda self, request, obj=None: [])],
        broken_for=broken_for,
    )


_scoped_reachable = admin_scope.reachable


def _every_user_reachable(model, request):
    return None if model is get_user_model() else _scoped_reachable(model, request)


def _membership(account: str) -> Write:
    """`account`, which belongs to no bureau, posted as a leader of the role's own bureau."""

    def data(aw: AdminWorld, role: str) -> dict:
        bureau = aw.objects[("bureau", _own(role))]
        return {"user": aw.accounts[account].pk, "bureau": bureau.pk, "division": "", "role": "leader"}

    def outcome(aw: AdminWorld, role: str) -> str:
        return ATTACHED if Membership.objects.filter(user=aw.accounts[account]).exists() else REFUSED

    return Write(
        url=lambda aw, role: reverse("admin:bureau_membership_add"),
        data=data,
        outcome=outcome,
        expected={"district_admin": REFUSED, "admin": REFUSED, "superuser": ATTACHED},
        broken=[(admin_scope, "reachable", _every_user_reachable)],
        broken_for=("admin", ATTACHED),
    )


def _report_form(aw: AdminWorld, role: str) -> dict:
    return {
        "task": aw.objects[("task", _own(role))].pk,
        "division": aw.objects[("division", _own(role))].pk,
        "author": aw.staff.pk,
        "period": "2026-05-01",
        "status": "in_progress",
        "percent": 30,
        "progress": "补录进展",
    } | _management_forms(ProgressReport)


def _report_author(aw: AdminWorld, role: str) -> str:
    report = ProgressReport.objects.filter(progress="补录进展").first()
    return REFUSED if report is None else ADDER if report.author_id == aw.users[role].pk else NAMED


# What each append-only row's change form tries to change.
CHANGES = {
    "progressreport": ("progress", "改写的进展"),
    "actualvalue": ("value", Decimal("1.00")),
    "attachment": ("original_name", "改名.pdf"),
}


def _append_only(name: str) -> dict[str, Write]:
    """A change, a delete and the changelist's delete action on the role's own row: all leave it as it was."""
    model_admin = next(m for m in admin.site._registry.values() if m.model._meta.model_name == name)
    field, new_value = CHANGES[name]

    def row(aw: AdminWorld, role: str):
        return aw.rows[(name, _own(role))]

    def stored(aw: AdminWorld, role: str) -> str:
        obj = row(aw, role)
        value = type(obj).objects.filter(pk=obj.pk).values_list(field, flat=True).first()
        return DELETED if value is None else CHANGED if value == new_value else KEPT

    def page(view: str):
        return lambda aw, role: reverse(f"admin:tasks_{name}_{view}", args=[row(aw, role).pk])

    undo_change = [(type(model_admin), "has_change_permission", _yes)]
    # Deleting a report deletes its values and evidence, and the admin asks for their delete permission too.
    undo_delete = [
        (ProgressReportAdmin, "has_delete_permission", _yes),
        (AppendOnlyAdmin, "has_delete_permission", _yes),
    ]
    if name == "progressreport":
        # The model refuses as well, below the admin.
        undo_change.append((ProgressReport, "save", Model.save))
        undo_delete.append((ProgressReport, "delete", Model.delete))
    return {
        f"{name}: a change": Write(
            url=page("change"),
            data=lambda aw, role: _posted(row(aw, role), **{field: new_value}),
            outcome=stored,
            expected=dict.fromkeys(ADMIN_ROLES, KEPT),
            broken=undo_change,
            broken_for=("admin", CHANGED),
        ),
        f"{name}: a delete": Write(
            url=page("delete"),
            data=lambda aw, role: {"post": "yes"},
            outcome=stored,
            expected=dict.fromkeys(ADMIN_ROLES, KEPT),
            broken=undo_delete,
            broken_for=("admin", DELETED),
        ),
        f"{name}: the changelist's delete action": Write(
            url=lambda aw, role: reverse(f"admin:tasks_{name}_changelist"),
            data=lambda aw, role: {"action": "delete_selected", "_selected_action": [row(aw, role).pk], "post": "yes"},
            outcome=stored,
            expected=dict.fromkeys(ADMIN_ROLES, KEPT),
            broken=undo_delete,
            broken_for=("admin", DELETED),
        ),
    }


ADMIN_WRITES: dict[str, Write] = {
    # Where a bureau sits is for the level above to say: its own admin cannot detach it from its city.
    "bureau: the district's parent and level": _placement(
        "district", "city", {"district_admin": KEPT, "admin": MOVED, "superuser": MOVED}, ("district_admin", MOVED)
    ),
    "bureau: the city's level": _placement(
        "own", "district", {"district_admin": KEPT, "admin": KEPT, "superuser": MOVED}, ("admin", MOVED)
    ),
    # An account of no bureau is the deployment's to place, not a bureau admin's to take.
    "membership: the superuser's account": _membership("superuser"),
    "membership: an account not yet placed": _membership("unplaced"),
    # A report added in the admin is written under the adder's own name, whatever the form says.
    "progressreport: an added report": Write(
        url=lambda aw, role: reverse("admin:tasks_progressreport_add"),
        data=_report_form,
        outcome=_report_author,
        expected=dict.fromkeys(ADMIN_ROLES, ADDER),
        broken=[
            (ProgressReportAdmin, "save_model", admin.ModelAdmin.save_model),
            (ProgressReportAdmin, "readonly_fields", []),
        ],
        broken_for=("admin", NAMED),
    ),
    **{line: write for name in sorted(APPEND_ONLY) for line, write in _append_only(name).items()},
}


def _write(aw: AdminWorld, line: Write, role: str) -> str:
    client = Client()
    client.force_login(aw.users[role])
    # Each write in a savepoint, so that one line's write is not the next one's starting point.
    with transaction.atomic():
        client.post(line.url(aw, role), line.data(aw, role))
        outcome = line.outcome(aw, role)
        transaction.set_rollback(True)
    return outcome


@pytest.mark.django_db
def test_the_admins_writes_leave_what_each_role_may_leave(admin_world):
    problems = []
    for name, line in ADMIN_WRITES.items():
        for role in ADMIN_ROLES:
            got = _write(admin_world, line, role)
            if got != line.expected[role]:
                problems.append(f"{name} as {role}: expected {line.expected[role]}, got {got}")
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ADMIN_WRITES))
def test_each_write_line_sees_its_rule_undone(admin_world, monkeypatch, name):
    line = ADMIN_WRITES[name]
    for target, attribute, value in line.broken:
        monkeypatch.setattr(target, attribute, value)
    role, outcome = line.broken_for
    assert _write(admin_world, line, role) == outcome
