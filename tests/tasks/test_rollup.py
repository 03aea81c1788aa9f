"""The leader's picture by year: the city beside its districts and their total, every figure a link to
exactly its tasks, and a parent section's link holding its sub-sections' tasks."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from bureau.models import Bureau, Membership
from tasks.models import Status
from tasks.services import report_submit
from tests.helpers import make_bureau, make_division, make_plan, make_section, make_task, make_user

from .test_dashboard import titles_listed

D = datetime.date


@pytest.fixture
def province(personas, frozen_today):
    frozen_today(D(2026, 5, 28))
    district_unit = make_division(personas.district, "基教科")
    city_plan = make_plan(personas.bureau, year=2026)
    district_plan = make_plan(personas.district, year=2026)
    done = make_task(city_plan, lead=[personas.division])
    report_submit(task=done, division=personas.division, author=None, status=Status.DONE, percent=100,
                  progress="完成", day=D(2026, 5, 10))  # fmt: skip
    make_task(city_plan, lead=[personas.other_division], deadline=D(2026, 3, 31))  # overdue, never reported
    behind = make_task(district_plan, lead=[district_unit])
    report_submit(task=behind, division=district_unit, author=None, status=Status.BEHIND, percent=10,
                  progress="滞后", day=D(2026, 5, 3))  # fmt: skip
    make_task(make_plan(personas.bureau, year=2025), lead=[personas.division])  # another year: not counted
    return city_plan


def rollup_rows(page: str) -> dict[str, list[tuple[str, str]]]:
    """Each row's label and its figures as (value, link)."""
    rows = {}
    for row in re.findall(r"<tr[^>]*><td><a href=\"[^\"]+\">([^<]+)</a></td>(.*?)</tr>", page):
        label, cells = row
        rows[label] = [(v, u.replace("&amp;", "&")) for u, v in re.findall(r'<a href="([^"]+)">(\d+)</a>', cells)]
    return rows


@pytest.mark.django_db
def test_every_rollup_figure_links_to_exactly_its_tasks_and_the_total_adds_up(client, personas, province):
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard"), {"view": "rollup", "year": "2026"}).content.decode()
    rows = rollup_rows(page)
    assert set(rows) == {"台州市教育局", "椒江区教育局", "台州合计"}
    for label, figures in rows.items():
        for value, url in figures:
            assert len(titles_listed(client.get(url).content.decode())) == int(value), (label, url)
    totals = [int(v) for v, _ in rows["台州合计"]]
    city, district = ([int(v) for v, _ in rows[name]] for name in ("台州市教育局", "椒江区教育局"))
    assert totals == [a + b for a, b in zip(city, district, strict=True)]
    assert totals[:4] == [3, 0, 1, 1]  # tasks, done (the finished one awaits review), behind, overdue


@pytest.mark.django_db
def test_the_year_defaults_to_this_year_when_it_has_plans_else_the_latest(client, personas, frozen_today):
    make_plan(personas.bureau, year=2024, title="2024年工作要点")
    make_plan(personas.bureau, year=2025, title="2025年工作要点")
    frozen_today(D(2026, 5, 28))
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard")).content.decode()
    assert '<option value="2025" selected>' in page and "2025年工作要点" in page
    make_plan(personas.bureau, year=2026, title="2026年工作要点")
    page = client.get(reverse("tasks:dashboard")).content.decode()
    assert '<option value="2026" selected>' in page
    assert "2025年工作要点</option>" not in page  # the plan selector holds the year's plans


@pytest.mark.django_db
def test_a_parent_sections_link_lists_its_sub_sections_tasks(client, personas, frozen_today):
    frozen_today(D(2026, 5, 28))
    plan = make_plan(personas.bureau, year=2026)
    chapter = make_section(plan, "重点工作", number="一")
    part = make_section(plan, "学前教育", number="（一）", parent=chapter)
    inside = [make_task(plan, section=part, lead=[personas.division]) for _ in range(2)]
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
    link = re.search(r'<a href="([^"]+)">一、重点工作</a>', page).group(1).replace("&amp;", "&")
    assert titles_listed(client.get(link).content.decode()) == {t.title for t in inside}


@pytest.mark.django_db
def test_the_sections_chart_goes_to_the_second_level_and_tasks_in_no_section_link_alone(client, personas, frozen_today):
    frozen_today(D(2026, 5, 28))
    plan = make_plan(personas.bureau, year=2026)
    chapter = make_section(plan, "重点工作", number="一")
    make_task(plan, section=make_section(plan, "学前教育", number="（一）", parent=chapter), lead=[personas.division])
    loose = make_task(plan, lead=[personas.division])
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
    chart = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page).group(1))
    assert chart["sections"]["labels"] == ["一、重点工作", "　（一）学前教育", "未分部分"]
    unsectioned = chart["sections"]["urls"][-1]
    assert titles_listed(client.get(unsectioned).content.decode()) == {loose.title}


@pytest.fixture
def zhejiang(personas, province):
    """A provincial department above 台州 (with its district) and 衢州, with a plan of its own."""
    department = make_bureau("浙江省教育厅", level=Bureau.Level.PROVINCE)
    Bureau.objects.filter(pk__in=[personas.bureau.pk, personas.other_bureau.pk]).update(parent=department)
    make_task(make_plan(personas.other_bureau, year=2026), lead=[make_division(personas.other_bureau, "基教处")])
    make_task(make_plan(department, year=2026), lead=[make_division(department, "基础教育处")])
    return make_user("province_leader", bureau=department, role=Membership.Role.LEADER)


@pytest.mark.django_db
def test_a_province_compares_its_cities_each_with_its_districts(client, personas, zhejiang):
    client.force_login(zhejiang)
    page = client.get(reverse("tasks:dashboard"), {"view": "rollup", "year": "2026"}).content.decode()
    assert "浙江省教育厅 · 全省对比" in page
    rows = rollup_rows(page)
    assert set(rows) == {"浙江省教育厅", "台州市教育局", "衢州市教育局", "浙江合计"}
    # 台州's row holds its district's task too: two of the city's this year and one of 椒江's.
    assert next(int(v) for v, _ in rows["台州市教育局"]) == 3
    for label, figures in rows.items():
        for value, url in figures:
            assert len(titles_listed(client.get(url).content.decode())) == int(value), (label, url)
    assert next(int(v) for v, _ in rows["浙江合计"]) == 5


@pytest.mark.django_db
def test_a_city_row_of_the_province_opens_the_citys_own_rollup(client, personas, zhejiang):
    client.force_login(zhejiang)
    page = client.get(reverse("tasks:dashboard"), {"view": "rollup", "year": "2026"}).content.decode()
    drill = re.search(r'<td><a href="([^"]+)">台州市教育局</a>', page).group(1).replace("&amp;", "&")
    city = client.get(drill).content.decode()
    assert "台州市教育局 · 全市对比" in city
    rows = rollup_rows(city)
    assert set(rows) == {"台州市教育局", "椒江区教育局", "台州合计"}
    # The city's total is the city's, not the province's the leader sees.
    for value, url in rows["台州合计"]:
        assert len(titles_listed(client.get(url).content.decode())) == int(value), url
    assert next(int(v) for v, _ in rows["台州合计"]) == 3
    # 衢州 has no districts, 椒江 is one: their names open their plans' dashboards.
    for name, page_of in (("衢州市教育局", page), ("椒江区教育局", city)):
        link = re.search(rf'<td><a href="([^"]+)">{name}</a>', page_of).group(1).replace("&amp;", "&")
        assert "view=rollup" not in link
        opened = client.get(link).content.decode()
        # Its plan's dashboard, the selector offering that bureau's plans (named by its short name).
        assert 'id="division-table"' in opened and f"{name[:2]} · " in opened


@pytest.mark.django_db
def test_a_city_leader_cannot_open_another_citys_or_the_provinces_dashboard(client, personas, zhejiang):
    client.force_login(personas.leader)
    for bureau in (personas.other_bureau, zhejiang.membership.bureau):
        response = client.get(reverse("tasks:dashboard"), {"view": "rollup", "bureau": bureau.pk})
        assert response.status_code == 404
    assert client.get(reverse("tasks:dashboard"), {"bureau": "台州"}).status_code == 404


@pytest.mark.django_db
def test_the_superuser_opens_on_every_top_bureau_side_by_side(client, personas, zhejiang, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(root)
    page = client.get(reverse("tasks:dashboard"), {"year": "2026"}).content.decode()
    assert "各地对比" in page
    assert set(rollup_rows(page)) == {"浙江省教育厅", "全部合计"}
    assert next(int(v) for v, _ in rollup_rows(page)["全部合计"]) == 5
    # The plan selector offers one bureau's plans, never the province's: none for the superuser at first.
    assert 'name="plan"' not in page


@pytest.mark.django_db
def test_a_province_leader_sees_every_task_below_and_the_plan_choices_stay_their_own(client, personas, zhejiang):
    client.force_login(zhejiang)
    listed = titles_listed(client.get(reverse("tasks:list"), {"year": "2026", "per_page": 200}).content.decode())
    assert len(listed) == 5
    page = client.get(reverse("tasks:dashboard"), {"year": "2026"}).content.decode()
    plan_select = re.search(r'<select[^>]*name="plan".*?</select>', page, re.S).group(0)
    assert plan_select.count("<option") == 1  # the department's own plan, not its cities'


@pytest.mark.django_db
def test_the_years_offered_are_those_of_the_bureau_opened_and_the_bureaus_under_it(client, personas, zhejiang):
    make_plan(Bureau.objects.get(name="浙江省教育厅"), year=2023)  # the province's alone
    make_plan(personas.district, year=2024)  # 椒江's, under 台州
    client.force_login(zhejiang)

    def offered(query) -> set[str]:  # what a dashboard's year selector offers
        page = client.get(reverse("tasks:dashboard"), query).content.decode()
        # Only the year selector's: the plan selector's options are plan ids, which may have four digits too.
        select = re.search(r'<select[^>]*name="year".*?</select>', page, re.S).group(0)
        return set(re.findall(r'<option value="(\d+)"', select))

    years = {
        name: offered(query)
        for name, query in (
            ("省", {"view": "rollup"}),
            ("台州", {"view": "rollup", "bureau": personas.bureau.pk}),
            ("椒江", {"bureau": personas.district.pk}),
            ("衢州", {"bureau": personas.other_bureau.pk}),
        )
    }
    assert years == {
        "省": {"2023", "2024", "2025", "2026"},
        "台州": {"2024", "2025", "2026"},
        "椒江": {"2024", "2026"},
        "衢州": {"2026"},
    }
