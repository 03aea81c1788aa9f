"""Property tests of the query parameters: whatever the address bar carries — huge or negative numbers, dates
out of any calendar, other scripts, repeated or empty parameters, another bureau's ids — the task lists,
the exports and the dashboard answer with a page, a download, a redirect or a 4xx, never a 5xx."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from bureau.models import Membership
from tasks.models import Status
from tests.helpers import make_division, make_plan, make_report, make_section, make_task, make_user

ROLES = ["staff", "head", "other_staff", "leader", "admin", "other_leader", "district_staff", "superuser"]
TARGETS = ["own", "district", "other_bureau"]


@dataclass(frozen=True)
class Ref:
    """The id of a row of the test world, resolved when the request is made: `Ref("plan", "other_bureau")`."""

    kind: str
    target: str


# ------------------------------------------------------------------------------------------ the values

NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**31, 2**31 - 1, 2**63, 2**63 - 1, -(2**63) - 1, 2**64, 10**30]),
).map(str)
ODD_NUMBERS = st.sampled_from(
    ["1e309", "-1e309", "1e999999999", "NaN", "nan", "inf", "-Infinity", "1.5", "-0", "0x10", " 1 ", "1_000",
     "١٢", "１２", "²", "9" * 5000, "1" + "0" * 400]
)  # fmt: skip
PERIODS = st.one_of(
    st.sampled_from(
        ["0000-01", "99999-12", "2024-13", "2024-00", "2024-5", "2024-05", "1899-12", "2101-01", "2100-12",
         "1900-01", "2024-05-01", "05-2024", "2024/05", "２０２４-０５", "١٩٩٩-٠١", "2024-05\n", "-2024-05"]
    ),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 99999), st.integers(-1, 99)),
    st.builds(lambda y, m: f"{y}-{m}", st.integers(1900, 2100), st.integers(1, 12)),
)  # fmt: skip
DATES = st.sampled_from(["0000-01-01", "9999-12-31", "99999-12-31", "2024-02-30", "2024-13-01", "1-1-1"])
WORDS = st.sampled_from(
    ["", " ", "true", "false", "on", "off", "True", "1", "0", "yes", "unknown", "done", "in_progress", "red",
     "green", "lead", "responsible", "rollup", "plan", "-", "--", "title", "-title", "percent", "-light", "led",
     "-overdue", "mine_role", "last_reported_at", "lead_labels", "pk", "plan__bureau__name", "?", "%", "_",
     "'", '"', "\\", "%00", "\x00", "\ufeff", "\u202e", "🙂", "基教处", "2024", "a" * 2000]
)  # fmt: skip
LONG = st.sampled_from(["字" * 20000, "a " * 1500, "9" * 5000])


def refs(*kinds: str):
    return st.builds(Ref, st.sampled_from(kinds), st.sampled_from(TARGETS))


REFS = refs("plan", "section", "division", "bureau", "task")
VALUES = st.one_of(WORDS, NUMBERS, ODD_NUMBERS, PERIODS, DATES, REFS, LONG, st.text(max_size=30))

# Every parameter the task filters, django-tables2, the dashboard and the bulletin read, and one they do not.
LIST_KEYS = [
    "q", "plan", "section", "bureau", "division", "leader", "role", "status", "light", "overdue", "extended",
    "not_reported", "unassigned", "sort", "page", "per_page",
]  # fmt: skip
DASHBOARD_KEYS = ["view", "plan", "sort", "year", "period"]
PLAN_KEYS = ["period", "year", "page"]


def query(keys: list[str]):
    """Lists of (key, value) pairs: any of `keys`, any number of times, now and then a key nobody reads."""
    key = st.one_of(st.sampled_from(keys), st.sampled_from(keys), st.text(max_size=8))
    return st.lists(st.tuples(key, VALUES), max_size=8)


# ------------------------------------------------------------------------------------------ the world


@dataclass
class World:
    ids: dict  # (kind, target) → pk
    clients: dict  # role → signed-in Client


@pytest.fixture
def world(personas, django_user_model) -> World:
    district_division = make_division(personas.district, "基教科")
    far_division = make_division(personas.other_bureau, "基教处")
    ids = {}
    for target, bureau, division in (
        ("own", personas.bureau, personas.division),
        ("district", personas.district, district_division),
        ("other_bureau", personas.other_bureau, far_division),
    ):
        plan = make_plan(bureau, reporting_cycle="quarterly") if target == "district" else make_plan(bureau)
        section = make_section(plan)
        task = make_task(plan, section=section, lead=[division], leader="王局长")
        make_task(plan, section=section, responsible=[division], deadline=datetime.date(2020, 1, 31))
        make_report(task, division, status=Status.BEHIND, percent=10)
        ids.update({("plan", target): plan.pk, ("section", target): section.pk, ("task", target): task.pk})
        ids.update({("division", target): division.pk, ("bureau", target): bureau.pk})
    users = {role: getattr(personas, role, None) for role in ROLES}
    users["district_staff"] = make_user(
        bureau=personas.district, role=Membership.Role.STAFF, division=district_division
    )
    users["superuser"] = django_user_model.objects.create_superuser("root", password="pw")
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return World(ids=ids, clients=clients)


def _get(world: World, role: str, path: str, pairs: list[tuple]) -> int:
    values = [(k, str(world.ids[v.kind, v.target]) if isinstance(v, Ref) else v) for k, v in pairs]
    url = path + ("?" + urlencode(values) if values else "")
    # Each request in a savepoint: on PostgreSQL a failed statement would spoil the examples after it.
    with transaction.atomic():
        response = world.clients[role].get(url)
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{role} GET {url} → {response.status_code}"
    event(f"{response.status_code}")  # --hypothesis-show-statistics: how many examples got past the 400s
    return response.status_code


SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
roles = pytest.mark.parametrize("role", ROLES)


# ------------------------------------------------------------------------------------------ the properties


@roles
@SETTINGS
@given(pairs=query(LIST_KEYS), page=st.sampled_from(["tasks:list", "tasks:mine", "tasks:export"]))
# Each of these was a 500. A negative page size failed the paginator (EmptyPage):
@example(pairs=[("per_page", "-1")], page="tasks:list")
@example(pairs=[("per_page", "-1")], page="tasks:mine")
# a thousand search words made a statement deeper than SQLite parses:
@example(pairs=[("q", "a " * 1500)], page="tasks:export")
# an id past 2**63 reached SQLite, which cannot hold it (OverflowError):
@example(pairs=[("bureau", str(10**30))], page="tasks:mine")
# a LIKE pattern past 50,000 bytes is "too complex" for SQLite:
@example(pairs=[("leader", "字" * 20000)], page="tasks:list")
@example(pairs=[("q", "字" * 20000)], page="tasks:export")
# A sort by no column, or by a dotted path, is dropped before django-tables2 warns about it.
@example(pairs=[("sort", "1.5"), ("sort", "plan__bureau__name"), ("sort", "--title")], page="tasks:list")
def test_the_task_lists_and_their_export_never_fail(world, role, pairs, page):
    _get(world, role, reverse(page), pairs)


@roles
@SETTINGS
@given(pairs=query(DASHBOARD_KEYS))
def test_the_dashboard_never_fails(world, role, pairs):
    _get(world, role, reverse("tasks:dashboard"), pairs)


@roles
@SETTINGS
@given(
    pairs=query(PLAN_KEYS),
    pk=st.one_of(st.just(Ref("plan", "own")), refs("plan"), st.sampled_from([0, 2**31, 2**63, 10**30])),
    page=st.sampled_from(
        ["tasks:plan_bulletin", "tasks:plan_export", "tasks:plan_assessment", "tasks:plan_assessment_xlsx"]
    ),
)
def test_the_plan_downloads_never_fail(world, role, pairs, pk, page):
    pk = world.ids[pk.kind, pk.target] if isinstance(pk, Ref) else pk
    _get(world, role, reverse(page, args=[pk]), pairs)


@roles
@SETTINGS
@given(period=PERIODS, target=st.sampled_from(TARGETS))
def test_a_bulletin_for_any_period_is_a_document_or_a_400(world, role, period, target):
    url = reverse("tasks:plan_bulletin", args=[world.ids["plan", target]])
    status = _get(world, role, url, [("period", period)])
    assert status in (200, 400, 404)


@roles
@SETTINGS
@given(pairs=query(["page"]), pk=st.one_of(refs("task"), st.sampled_from([0, 2**63, 10**30])))
def test_a_task_page_never_fails(world, role, pairs, pk):
    pk = world.ids[pk.kind, pk.target] if isinstance(pk, Ref) else pk
    _get(world, role, reverse("tasks:detail", args=[pk]), pairs)


@pytest.mark.django_db
def test_a_refused_filter_is_said_on_the_page_and_the_list_is_unfiltered(world):
    client = world.clients["leader"]
    page = client.get(reverse("tasks:list"), {"q": " ".join(["推进"] * 30), "bureau": str(10**30)}).content.decode()
    assert "筛选条件有误，以下为未经筛选的列表。" in page
    assert "搜索：搜索词最多 20 个，请精简后再搜索。" in page
    assert "教育局：确保该值小于或等于9223372036854775807。" in page
    for target in ("own", "district"):  # neither filter narrowed the list
        assert f'<a href="/tasks/{world.ids["task", target]}/">' in page
