"""Every API route, every role, with a token of each persona: a token reaches what its owner reaches in the
pages (tests/test_permissions.py), 404 outside it and 403 where seen but not allowed. A route added without a
line in API_EXPECTED fails `test_every_api_route_has_an_expected_line`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from bureau.tokens import token_create
from tasks.api.urls import api

from .test_permissions import LEADERS, ROLES, TARGETS, _reachable, world  # noqa: F401 - world is a fixture

NO_TOKEN = 401


def everyone(code):
    return lambda role, target, reach: NO_TOKEN if role == "anonymous" else code


def within_reach(code):
    return lambda role, target, reach: NO_TOKEN if role == "anonymous" else code if reach else 404


def roles(allowed: set[str], code):
    def rule(role, target, reach):
        if role == "anonymous":
            return NO_TOKEN
        return (code if role in allowed else 403) if reach else 404

    return rule


def reporters(code):
    """The assigned division's people, and admins for any assigned division (as tasks:report)."""

    def rule(role, target, reach):
        if role == "anonymous":
            return NO_TOKEN
        if not reach:
            return 404
        assigned = {"own": {"staff", "head"}, "other_division": {"other_staff"}, "other_bureau": set()}[target]
        return code if role in assigned | {"admin"} else 403

    return rule


@dataclass
class Route:
    kind: str | None  # what the path's id names, as in test_permissions: task, plan, bureau
    rule: Callable
    body: dict | None = None  # what a POST sends: a valid request, so that only access decides


REPORT = {"status": "in_progress", "percent": 50, "progress": "按计划推进。"}

API_EXPECTED: dict[str, Route] = {
    "GET /plans": Route(None, everyone(200)),
    "GET /plans/{plan_id}": Route("plan", within_reach(200)),
    "GET /tasks": Route(None, everyone(200)),
    "GET /tasks/{task_id}": Route("task", within_reach(200)),
    "GET /plans/{plan_id}/figures": Route("plan", roles(LEADERS, 200)),
    "GET /bureaus/{bureau_id}/figures": Route("bureau", roles(LEADERS, 200)),
    "POST /tasks/{task_id}/reports": Route("task", reporters(201), REPORT),
}


def api_routes() -> set[str]:
    """ "METHOD /path" of every operation of the API, walked from its routers."""
    return {
        f"{method} {path}"
        for _, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
    }


def test_every_api_route_has_an_expected_line():
    assert api_routes() - set(API_EXPECTED) == set(), "新增的接口需要在权限表中写明每个角色的预期结果"
    assert set(API_EXPECTED) - api_routes() == set(), "权限表中有已不存在的接口"


@pytest.fixture
def keys(world, settings) -> dict[str, str | None]:  # noqa: F811
    """A token of each persona (none for the anonymous caller)."""
    settings.API_RATE_LIMIT = "100000/m"
    cache.clear()
    return {
        role: None if user is None else token_create(user=user, name="权限表")[1] for role, user in world.users.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(API_EXPECTED))
def test_each_api_route_answers_each_role_as_expected(world, keys, name):  # noqa: F811
    method, path = name.split(" ", 1)
    route = API_EXPECTED[name]
    problems = []
    for role in ROLES:
        headers = {"Authorization": f"Bearer {keys[role]}"} if keys[role] else {}
        for target in TARGETS if route.kind else ["own"]:
            url = "/api/v1" + path
            if route.kind:
                url = url.replace("{" + f"{route.kind}_id" + "}", str(world.objects[(route.kind, target)].pk))
            reach = route.kind is None or _reachable(role, target)
            expected = route.rule(role, target, reach)
            # Each request in a savepoint: a report written must not change the next request's answer.
            with transaction.atomic():
                client = Client()
                if method == "GET":
                    response = client.get(url, headers=headers)
                else:
                    response = client.post(url, route.body, content_type="application/json", headers=headers)
                transaction.set_rollback(True)
            if response.status_code != expected:
                problems.append(f"{name} as {role} ({target}): expected {expected}, got {response.status_code}")
    assert problems == [], "\n".join(problems)
