"""Counts kept per bureau (tasks/figures_cache.py): after a write, a roll-up or a many-bureau list counts
again only the bureaus it touched, and shows every bureau's figures as they now are.

These tests commit, as a server does: a write's versions move when its transaction commits."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau import changes
from tasks import rules
from tasks.dashboard import rollup

from ..helpers import make_division, make_plan, make_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plans(personas):
    """Two tasks in the city's plan, two in its district's."""
    city_plan, district_plan = make_plan(personas.bureau), make_plan(personas.district)
    district_division = make_division(personas.district, "基教股")
    for _ in range(2):
        make_task(city_plan, lead=[personas.division])
        make_task(district_plan, lead=[district_division])
    return city_plan, district_plan


def totals(personas) -> dict[str, int]:
    return {row["bureau"].name: row["total"] for row in rollup(personas.bureau, rules.today()) if row["bureau"]}


def counted_bureaus(queries) -> set[int]:
    """The bureaus the roll-up's counting query counted, if it ran."""
    (sql,) = [q["sql"] for q in queries if 'AS "not_reported"' in q["sql"]] or [""]
    if not sql:
        return set()
    listed = sql[sql.index('"plans_plan"."bureau_id" IN (') :].split("(", 1)[1].split(")")[0]
    return {int(pk) for pk in listed.split(",")}


def test_a_roll_up_after_one_bureaus_write_counts_only_that_bureau_again(personas, plans):
    _, district_plan = plans
    assert totals(personas) == {"台州市教育局": 2, "椒江区教育局": 2}

    with changes.within([personas.district.pk]):
        make_task(district_plan)
    with CaptureQueriesContext(connection) as queries:
        assert totals(personas) == {"台州市教育局": 2, "椒江区教育局": 3}

    assert counted_bureaus(queries) == {personas.district.pk}
    with CaptureQueriesContext(connection) as queries:
        assert totals(personas) == {"台州市教育局": 2, "椒江区教育局": 3}
    assert counted_bureaus(queries) == set()  # nothing changed: nothing counted


def test_a_write_that_names_no_bureau_counts_every_bureau_again(personas, plans):
    city_plan, _ = plans
    totals(personas)
    make_task(city_plan)
    with CaptureQueriesContext(connection) as queries:
        assert totals(personas) == {"台州市教育局": 3, "椒江区教育局": 2}
    assert counted_bureaus(queries) == {personas.bureau.pk, personas.district.pk}


def test_writes_not_yet_committed_are_counted_and_never_kept(personas, plans):
    _, district_plan = plans
    totals(personas)
    with transaction.atomic(), changes.within([personas.district.pk]):
        make_task(district_plan)
        assert totals(personas) == {"台州市教育局": 2, "椒江区教育局": 3}
        transaction.set_rollback(True)
    assert totals(personas) == {"台州市教育局": 2, "椒江区教育局": 2}


def test_a_city_list_counts_its_rows_bureau_by_bureau_and_always_right(client, personas, plans):
    _, district_plan = plans
    client.force_login(personas.leader)

    def listed() -> int:
        response = client.get(reverse("tasks:list"))
        assert response.status_code == 200
        return response.context["table"].paginator.count

    assert listed() == 4
    with changes.within([personas.district.pk]):
        late = make_task(district_plan, title="新增的县区任务")
    assert listed() == 5
    assert late.title in client.get(reverse("tasks:list")).content.decode()
    make_task(district_plan)  # a write that names no bureau
    assert listed() == 6
