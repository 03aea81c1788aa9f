"""A list in its usual order is paged plan by plan: every page holds exactly the rows of the full order."""

import re

import pytest
from django.urls import reverse

from tasks.models import Task
from tests.helpers import make_plan, make_task


def titles_listed(page: str) -> list[str]:
    """The task titles of the table, in the order listed."""
    return re.findall(r'<td class="td-title"><a href="/tasks/\d+/">([^<]+)</a>', page)


@pytest.fixture
def three_plans(personas):
    plans = [make_plan(personas.bureau, year=2025), make_plan(personas.bureau, year=2026),
             make_plan(personas.district, year=2026)]  # fmt: skip
    for plan, size in zip(plans, (5, 12, 0), strict=True):
        for n in range(size):
            make_task(plan, lead=[personas.division], title=f"{plan.year_end}-{plan.pk}-{n}")
    make_task(plans[2], lead=[personas.division], title="区县唯一任务")
    return plans


def expected_order() -> list[str]:
    return list(Task.objects.order_by("-plan__year_end", "plan_id", "order").values_list("title", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [1, 4, 5, 13, 50])
def test_every_page_holds_the_rows_of_the_full_order(client, personas, three_plans, per_page):
    client.force_login(personas.leader)
    everything, listed, page = expected_order(), [], 1
    while len(listed) < len(everything):
        titles = titles_listed(client.get(reverse("tasks:list"), {"per_page": per_page, "page": page}).content.decode())
        assert titles == everything[(page - 1) * per_page : page * per_page]
        listed += titles
        page += 1
    assert listed == everything


@pytest.mark.django_db
def test_a_page_past_the_end_is_the_last_and_a_sort_still_sorts(client, personas, three_plans):
    client.force_login(personas.leader)
    everything = expected_order()
    last = titles_listed(client.get(reverse("tasks:list"), {"per_page": 5, "page": 99}).content.decode())
    assert last == everything[15:]
    by_title = titles_listed(client.get(reverse("tasks:list"), {"sort": "title", "per_page": 50}).content.decode())
    assert by_title == sorted(everything)


@pytest.mark.django_db
def test_a_filter_that_matches_nothing_lists_nothing(client, personas, three_plans):
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:list"), {"q": "没有这样的任务"}).content.decode()
    assert titles_listed(page) == [] and "没有符合条件的任务" in page
