"""A province's leader finds one division among thousands by typing, on desktop and phone widths."""

import pytest

from bureau.models import Division, Membership
from tests.helpers import make_user
from tests.tasks.test_filter_choices import build_province

from .conftest import PASSWORD, login, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def province_leader(transactional_db):
    department = build_province(20)
    leader = make_user("province_leader", bureau=department, role=Membership.Role.LEADER)
    leader.set_password(PASSWORD)
    leader.save()
    return leader


def test_a_province_leader_types_to_find_a_division_and_lists_its_tasks(visit_factory, province_leader):
    visit = visit_factory("province-filter")
    login(visit, "province_leader")
    visit.go("/tasks/")
    if not visit.page.locator("#id_division").is_visible():
        visit.page.click("#filters-toggle")  # on a phone the filters fold away
    assert "另有" in visit.page.inner_text("#choices-division")
    far = Division.objects.get(bureau__name="第17市教育局", name="第0处")
    with visit.page.expect_response(lambda response: "/tasks/filter-choices/division/" in response.url):
        visit.page.fill("input[name=division_q]", "第17市 第0处")
    visit.page.wait_for_function("document.querySelectorAll('#id_division option').length === 2")
    visit.page.select_option("#id_division", str(far.pk))
    visit.check("division-found")
    submit(visit, "form.filter-form button[type=submit]")
    rows = visit.page.locator("main tbody tr")
    assert rows.count() == 3  # the three plans of 第17市, one task each, led by its 第0处
    assert visit.page.locator("#id_division option[selected]").inner_text().endswith("第0处")
    visit.check("division-tasks")
