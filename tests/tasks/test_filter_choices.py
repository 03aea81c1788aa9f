"""The task list's filters stay short whatever the user sees: a province's plans and divisions are found
by typing part of a name, a plan's sections follow the plan chosen, and the page stays small."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.models import Bureau, Division, Membership
from tasks.filters import CHOICES_SHOWN
from tasks.models import Plan, Section
from tests.helpers import make_bureau, make_plan, make_section, make_task, make_user

LIST_PAGE_MAX_BYTES = 60_000


def build_province(cities: int, department: Bureau | None = None) -> Bureau:
    """A provincial department over `cities` cities (more of them, if it is given), each with 25 divisions
    and 3 plans of 7 sections."""
    department = department or make_bureau("某省教育厅", level=Bureau.Level.PROVINCE)
    first = department.children.count()
    bureaus = Bureau.objects.bulk_create(
        Bureau(name=f"第{n}市教育局", short_name=f"第{n}市", level=Bureau.Level.CITY, parent=department)
        for n in range(first, first + cities)
    )
    Division.objects.bulk_create(Division(bureau=b, name=f"第{d}处") for b in bureaus for d in range(25))
    plans = Plan.objects.bulk_create(
        Plan(bureau=b, title=f"{b.name}工作要点（{p}）", year_start=2026, year_end=2026)
        for b in bureaus
        for p in range(3)
    )
    Section.objects.bulk_create(
        Section(plan=p, number=str(s), title=f"部分{s}", order=s) for p in plans for s in range(7)
    )
    for plan in plans[:60]:
        make_task(plan, lead=[plan.bureau.divisions.first()])
    return department


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


@pytest.fixture
def province_leader(db):
    def build(cities: int):
        department = build_province(cities)
        return make_user(f"leader{cities}", bureau=department, role=Membership.Role.LEADER)

    return build


@pytest.mark.django_db
@pytest.mark.parametrize("cities", [20, 40])
def test_a_province_list_offers_a_short_list_and_stays_small(client, province_leader, cities):
    client.force_login(province_leader(cities))
    response = client.get(reverse("tasks:list"))
    page = response.content.decode()
    assert len(response.content) < LIST_PAGE_MAX_BYTES
    assert len(options(page, "plan")) == len(options(page, "division")) == CHOICES_SHOWN + 1  # and 全部
    assert f"另有 {cities * 3 - CHOICES_SHOWN} 项" in page and f"另有 {cities * 25 - CHOICES_SHOWN} 项" in page
    assert options(page, "section") == ["", "none"]  # no plan chosen: no plan's sections
    assert 'name="division_q"' in page


@pytest.mark.django_db
def test_typing_a_name_finds_a_division_past_the_short_list(client, province_leader):
    client.force_login(province_leader(20))
    far = Division.objects.get(bureau__name="第19市教育局", name="第24处")
    page = client.get(reverse("tasks:list"), {"division_q": "第19市 第24处"}).content.decode()
    assert options(page, "division") == ["", str(far.pk)]
    answer = client.get(reverse("tasks:filter_choices", args=["division"]), {"division_q": "19市 24处"})
    assert options(answer.content.decode(), "division") == ["", str(far.pk)]


@pytest.mark.django_db
def test_a_chosen_division_past_the_short_list_stays_chosen_and_filters(client, province_leader):
    client.force_login(province_leader(20))
    lead = Division.objects.get(bureau__name="第19市教育局", name="第0处")
    page = client.get(reverse("tasks:list"), {"division": lead.pk}).content.decode()
    assert f'<option value="{lead.pk}" selected>' in page
    assert page.count('<a href="/tasks/') == 3  # its bureau's three plans have one task each


@pytest.mark.django_db
def test_the_sections_offered_are_the_chosen_plans(client, province_leader):
    client.force_login(province_leader(20))
    plan = Plan.objects.get(title="第7市教育局工作要点（1）")
    own = [str(pk) for pk in plan.sections.order_by("order").values_list("pk", flat=True)]
    page = client.get(reverse("tasks:list"), {"plan": plan.pk}).content.decode()
    assert options(page, "section") == ["", *own, "none"]
    answer = client.get(reverse("tasks:filter_choices", args=["section"]), {"plan": plan.pk}).content.decode()
    assert options(answer, "section") == ["", *own, "none"]
    # A section chosen alone brings its own plan's sections.
    alone = client.get(reverse("tasks:list"), {"section": own[2]}).content.decode()
    assert options(alone, "section") == ["", *own, "none"]


@pytest.mark.django_db
def test_another_provinces_plan_and_division_are_refused(client, personas, province_leader):
    client.force_login(province_leader(20))
    foreign = make_plan(personas.other_bureau)
    make_section(foreign)
    page = client.get(reverse("tasks:list"), {"plan": foreign.pk, "division": personas.division.pk}).content.decode()
    assert "筛选条件有误" in page
    assert str(foreign.pk) not in options(page, "plan") and str(personas.division.pk) not in options(page, "division")
    assert options(page, "section") == ["", "none"]
    answer = client.get(reverse("tasks:filter_choices", args=["section"]), {"plan": foreign.pk}).content.decode()
    assert options(answer, "section") == ["", "none"]


@pytest.mark.django_db
def test_the_choices_answer_refuses_an_unknown_field_and_strangers(client, personas, province_leader):
    client.force_login(province_leader(1))
    assert client.get(reverse("tasks:filter_choices", args=["status"])).status_code == 404
    client.logout()
    assert client.get(reverse("tasks:filter_choices", args=["plan"])).status_code == 302


@pytest.mark.django_db
def test_a_district_leader_sees_every_plan_and_division_without_searching(client, personas):
    plans = [make_plan(personas.bureau) for _ in range(3)]
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:list")).content.decode()
    assert set(options(page, "plan")) >= {str(p.pk) for p in plans}
    assert 'name="division_q"' not in page and "另有" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, params",
    [
        ("tasks:list", {}),
        ("tasks:list", {"status": "in_progress"}),
        ("tasks:dashboard", {"view": "rollup"}),
        ("tasks:dashboard", {}),
        ("tasks:export", {}),
    ],
)
def test_province_pages_run_the_same_queries_for_twenty_cities_and_forty(
    client, province_leader, settings, url, params
):
    settings.EXPORT_BACKGROUND_ROWS = 10  # the province's list is offered in the background
    leader = province_leader(20)
    client.force_login(leader)
    counts = []
    for cities in (20, 40):
        if cities > Bureau.objects.filter(level=Bureau.Level.CITY).count():
            build_province(20, leader.membership.bureau)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url), params).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_another_bureaus_plans_are_named_with_their_bureau(client, province_leader):
    client.force_login(province_leader(20))
    page = client.get(reverse("tasks:list")).content.decode()
    assert "第0市 · 第0市教育局工作要点（0）" in page


@pytest.mark.django_db
def test_a_section_left_from_the_plan_chosen_before_is_set_aside(client, province_leader):
    client.force_login(province_leader(20))
    before, after = Plan.objects.filter(bureau__name="第3市教育局").order_by("pk")[:2]
    page = client.get(reverse("tasks:list"), {"plan": after.pk, "section": before.sections.first().pk}).content.decode()
    assert "筛选条件有误" not in page
    assert page.count('<td class="td-title">') == after.tasks.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["tasks:export", "tasks:list"])
def test_only_the_page_that_shows_the_form_reads_its_short_lists(client, province_leader, settings, url):
    settings.EXPORT_BACKGROUND_ROWS = 10  # the province's list is offered in the background
    client.force_login(province_leader(20))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(url), {"status": "in_progress"}).status_code == 200
    short_lists = [q["sql"] for q in captured.captured_queries if f"LIMIT {CHOICES_SHOWN + 1}" in q["sql"]]
    # The list shows the plans and divisions to choose from; the file has no form to offer them in.
    assert len(short_lists) == (2 if url == "tasks:list" else 0)
