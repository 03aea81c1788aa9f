"""Schemathesis against the API's own OpenAPI schema, in process: whatever it sends, valid or not, the API
answers without a server error. It authenticates as the bureau admin, who reaches every route's data."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from bureau.tokens import token_create
from bureau.wsgi import application
from tasks.api.urls import api
from tasks.models import Milestone, Status
from tasks.services import report_submit
from tests.helpers import make_plan, make_section, make_target, make_task


@pytest.fixture
def keep_the_connection():
    """The calls go to the WSGI application, whose end of request closes a connection inside a transaction
    (the test's); Django's test client keeps it open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_key(personas, settings, keep_the_connection) -> str:
    """A plan with sections, targets, milestones and reports, and a token of the admin who reaches it all."""
    settings.API_RATE_LIMIT = "100000/m"
    settings.SECURE_SSL_REDIRECT = False
    plan = make_plan(personas.bureau, year=2026)
    section = make_section(plan, "重点任务")
    tasks = []
    for n in range(3):
        # The last has two divisions, for which an admin must name the one reported for.
        responsible = [personas.other_division] if n == 2 else []
        task = make_task(plan, lead=[personas.division], responsible=responsible, section=section)
        tasks.append(task)
        target = make_target(task)
        Milestone.objects.create(task=task, title=f"节点{n}", due="2026-06-30")
        report_submit(task=task, division=personas.division, author=personas.staff, status=Status.IN_PROGRESS,
                      percent=20 * n, progress="进展", actuals={target: 10 * n})  # fmt: skip
    district_plan = make_plan(personas.district, year=2026)
    make_task(district_plan, lead=[])
    KNOWN.update(
        task_id=[t.pk for t in tasks],
        plan_id=[plan.pk, district_plan.pk],
        bureau_id=[personas.bureau.pk, personas.district.pk],
    )
    return token_create(user=personas.admin, name="schemathesis")[1]


# The schema as /api/v1/openapi.json serves it, the calls made to the WSGI application in this process.
# (schemathesis.pytest.from_fixture would load it per test, but its lazy loader does not run on pytest 9.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application
KNOWN: dict[str, list[int]] = {}  # the ids of rows that exist, by path parameter, filled by the fixture


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time an id that exists: made-up ids alone would rarely get past a 404."""
    known = {name: KNOWN[name] for name in path_parameters or {} if KNOWN.get(name)}
    if not known:
        return st.just(path_parameters)
    real = st.fixed_dictionaries({name: st.sampled_from(ids) for name, ids in known.items()})
    return st.one_of(st.just(path_parameters), real.map(lambda chosen: {**path_parameters, **chosen}))


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_request_gets_a_server_error(case, admin_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_key}"}, checks=[not_a_server_error])
