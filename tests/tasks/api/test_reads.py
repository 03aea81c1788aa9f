"""The API's reads: the same plans, tasks and figures the pages show, paged, in a bounded number of queries."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from bureau.tokens import token_create
from tasks.models import Milestone, Status, Task
from tasks.picture import plan_picture
from tasks.services import report_submit
from tests.helpers import make_division, make_plan, make_section, make_target, make_task
from tests.tasks.test_dashboard import TODAY, data, figures, titles_listed  # noqa: F401 - the fixture is used
from tests.tasks.test_rollup import province, rollup_rows  # noqa: F401 - the fixture is used by name

from .conftest import Api

D = datetime.date


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.django_db
class TestPlans:
    def test_it_lists_the_plans_the_owner_may_read_with_their_counts(self, api, personas):
        own = make_plan(personas.bureau, year=2026)
        make_task(own, lead=[personas.division], percent=40)
        district = make_plan(personas.district, year=2025)
        far = make_plan(personas.other_bureau)
        body = api("leader").get("/plans").json()
        assert body["count"] == 2 and {p["id"] for p in body["items"]} == {own.pk, district.pk}
        first = next(p for p in body["items"] if p["id"] == own.pk)
        assert first["task_count"] == 1 and first["completion"] == 40 and first["bureau"]["name"] == "台州市教育局"
        assert ids(api("staff").get("/plans")) == {own.pk}  # a division's staff: their own bureau only
        assert ids(api("other_leader").get("/plans")) == {far.pk}

    def test_it_filters_by_year_bureau_and_area(self, api, personas):
        this_year = make_plan(personas.bureau, year=2026)
        make_plan(personas.bureau, year=2024)
        district = make_plan(personas.district, year=2026)
        leader = api("leader")
        assert ids(leader.get("/plans", {"year": 2026})) == {this_year.pk, district.pk}
        assert ids(leader.get("/plans", {"year": 2026, "bureau": personas.district.pk})) == {district.pk}
        assert ids(leader.get("/plans", {"bureau": personas.other_bureau.pk})) == set()
        # An area is the bureau with every bureau under it.
        assert ids(leader.get("/plans", {"area": personas.bureau.pk})) == ids(leader.get("/plans"))
        assert ids(leader.get("/plans", {"area": personas.district.pk})) == {district.pk}
        assert ids(leader.get("/plans", {"area": personas.other_bureau.pk})) == set()

    def test_it_pages_with_limit_and_offset_and_says_the_total(self, api, personas):
        plans = [make_plan(personas.bureau, year=2000 + n) for n in range(5)]
        leader = api("leader")
        page = leader.get("/plans", {"limit": 2, "offset": 2}).json()
        assert page["count"] == 5 and page["limit"] == 2 and page["offset"] == 2
        assert [p["id"] for p in page["items"]] == [plans[2].pk, plans[1].pk]  # latest year first
        assert leader.get("/plans", {"limit": 201}).status_code == 422
        assert leader.get("/plans", {"limit": 0}).status_code == 422

    def test_one_plan_with_its_sections(self, api, personas):
        plan = make_plan(personas.bureau)
        top = make_section(plan, "强化党建引领", number="一")
        make_section(plan, "抓好班子建设", number="（一）", parent=top)
        body = api("staff").get(f"/plans/{plan.pk}").json()
        assert body["title"] == plan.title
        assert [(s["heading"], s["parent_id"]) for s in body["sections"]] == [
            ("一、强化党建引领", None),
            ("（一）抓好班子建设", top.pk),
        ]
        assert api("other_leader").get(f"/plans/{plan.pk}").status_code == 404

    @pytest.mark.parametrize("count", [3, 30])
    def test_the_list_takes_a_bounded_number_of_queries(self, api, personas, django_assert_max_num_queries, count):
        for n in range(count):
            make_task(make_plan(personas.bureau, year=2000 + n), lead=[personas.division])
        leader = api("leader")
        with django_assert_max_num_queries(6):
            assert len(leader.get("/plans", {"limit": 200}).json()["items"]) == count


@pytest.mark.django_db
class TestTasks:
    @pytest.fixture
    def tasks(self, personas, frozen_today):
        frozen_today(D(2026, 5, 28))  # after the due day: not reported this month is red
        plan = make_plan(personas.bureau, year=2026)
        reported = make_task(plan, lead=[personas.division], text="推进集团化办学。")
        report_submit(task=reported, division=personas.division, author=None, status=Status.IN_PROGRESS,
                      percent=60, progress="进展", day=D(2026, 5, 10))  # fmt: skip
        overdue = make_task(plan, lead=[personas.other_division], deadline=D(2026, 3, 31), text="完成校舍排查。")
        behind = make_task(plan, lead=[personas.division], responsible=[personas.other_division])
        report_submit(task=behind, division=personas.division, author=None, status=Status.BEHIND,
                      percent=10, progress="滞后", day=D(2026, 5, 3))  # fmt: skip
        other_plan = make_plan(personas.bureau, year=2026)
        elsewhere = make_task(other_plan, lead=[personas.other_division])
        far = make_task(make_plan(personas.other_bureau), lead=[make_division(personas.other_bureau, "基教处")])
        return {"plan": plan, "reported": reported, "overdue": overdue, "behind": behind,
                "elsewhere": elsewhere, "far": far}  # fmt: skip

    def test_the_filters_mean_what_the_web_lists_do(self, api, personas, tasks):
        t = {name: task.pk for name, task in tasks.items() if name != "plan"}
        leader = api("leader")
        assert ids(leader.get("/tasks")) == {t["reported"], t["overdue"], t["behind"], t["elsewhere"]}
        assert ids(leader.get("/tasks", {"plan": tasks["plan"].pk})) == {t["reported"], t["overdue"], t["behind"]}
        # A division's tasks are those it answers for (leads), as the dashboard counts them.
        assert ids(leader.get("/tasks", {"division": personas.division.pk})) == {t["reported"], t["behind"]}
        assert ids(leader.get("/tasks", {"status": ["behind", "in_progress"]})) == {t["reported"], t["behind"]}
        assert ids(leader.get("/tasks", {"overdue": "true"})) == {t["overdue"]}
        assert ids(leader.get("/tasks", {"not_reported": "true", "plan": tasks["plan"].pk})) == {t["overdue"]}
        assert ids(leader.get("/tasks", {"light": "red"})) == {t["overdue"], t["elsewhere"]}
        assert ids(leader.get("/tasks", {"q": "集团化"})) == {t["reported"]}
        assert ids(leader.get("/tasks", {"overdue": "false"})) == ids(leader.get("/tasks"))
        # The web list with the same filters lists the same tasks.
        page = self._web_titles(personas, {"plan": tasks["plan"].pk, "light": "red"})
        api_titles = {
            i["title"] for i in leader.get("/tasks", {"plan": tasks["plan"].pk, "light": "red"}).json()["items"]
        }
        assert page == api_titles

    def test_an_area_is_a_bureau_with_every_bureau_under_it_as_on_the_web(self, api, personas, tasks):
        district_task = make_task(make_plan(personas.district, year=2026), lead=[make_division(personas.district)])
        leader = api("leader")
        whole = ids(leader.get("/tasks", {"area": personas.bureau.pk}))
        assert whole == ids(leader.get("/tasks")) and district_task.pk in whole
        assert ids(leader.get("/tasks", {"area": personas.district.pk})) == {district_task.pk}
        assert ids(leader.get("/tasks", {"area": personas.other_bureau.pk})) == set()  # out of reach: nothing
        page = self._web_titles(personas, {"area": personas.district.pk})
        assert page == {i["title"] for i in leader.get("/tasks", {"area": personas.district.pk}).json()["items"]}

    @staticmethod
    def _web_titles(personas, params) -> set[str]:
        client = Client()
        client.force_login(personas.leader)
        return titles_listed(client.get(reverse("tasks:list"), params).content.decode())

    def test_a_filter_the_list_would_set_aside_is_refused_in_chinese(self, api, personas, tasks):
        far_plan = tasks["far"].plan_id
        response = api("leader").get("/tasks", {"plan": far_plan})
        assert response.status_code == 422
        assert response.json()["detail"].startswith("参数不正确")
        assert response.json()["errors"][0]["field"] == "plan"

    def test_rows_carry_units_light_and_deadline_as_written_and_as_a_date(self, api, personas, tasks):
        Task.objects.filter(pk=tasks["behind"].pk).update(deadline_text="6月底前")
        rows = {r["id"]: r for r in api("staff").get("/tasks", {"plan": tasks["plan"].pk}).json()["items"]}
        row = rows[tasks["behind"].pk]
        assert row["lead_units"] == ["基教处"] and row["responsible_units"] == ["督导处"]
        assert row["deadline_text"] == "6月底前" and row["deadline"] == "2026-12-31"
        assert row["status"] == "behind" and row["percent"] == 10 and row["light"] in {"red", "yellow"}

    def test_one_task_as_its_page_shows_it(self, api, personas, tasks):
        task = tasks["behind"]
        target = make_target(task, metric="集团化覆盖率", value="90", unit="%")
        report_submit(task=task, division=personas.division, author=personas.staff, status=Status.BEHIND,
                      percent=20, progress="推进中", actuals={target: 45}, day=D(2026, 5, 20))  # fmt: skip
        Milestone.objects.create(task=task, title="出台方案", due=D(2026, 6, 30))
        body = api("leader").get(f"/tasks/{task.pk}").json()
        assert body["text"] == task.text and body["percent"] == 20
        assert body["light_reasons"].endswith(body["light_label"] + "：" + body["light_reasons"].split("：", 1)[1])
        assert "落后" in body["light_reasons"] or "未报送" in body["light_reasons"]
        lead = next(u for u in body["units"] if u["role"] == "lead")
        assert lead["name"] == "基教处" and lead["latest_report"]["percent"] == 20
        assert lead["latest_report"]["author"] == "staff"
        assert next(u for u in body["units"] if u["role"] == "responsible")["latest_report"] is None
        assert body["targets"] == [
            {"id": target.pk, "metric": "集团化覆盖率", "comparator": ">=", "value": "90", "unit": "%",
             "goal": "≥90%", "latest_actual": "45", "attained": False}
        ]  # fmt: skip
        assert [m["title"] for m in body["milestones"]] == ["出台方案"]
        assert body["read_only"] == ""

    def test_another_bureaus_task_is_not_found(self, api, personas, tasks):
        assert api("leader").get(f"/tasks/{tasks['far'].pk}").status_code == 404
        assert api("leader").get("/tasks/999999").json()["detail"] == "对象不存在或不在您的查看范围内。"

    @pytest.mark.parametrize("count", [5, 60])
    def test_the_list_and_a_task_take_a_bounded_number_of_queries(
        self, api, personas, django_assert_max_num_queries, count
    ):
        plan = make_plan(personas.bureau)
        for _ in range(count):
            task = make_task(plan, lead=[personas.division], responsible=[personas.other_division])
            make_target(task)
        leader = api("leader")
        with django_assert_max_num_queries(10):
            assert len(leader.get("/tasks", {"limit": 200}).json()["items"]) == count
        with django_assert_max_num_queries(10):
            assert leader.get(f"/tasks/{task.pk}").status_code == 200


@pytest.mark.django_db
class TestFigures:
    def test_a_plans_figures_are_the_dashboards(self, api, client, personas, data):  # noqa: F811
        plan, _ = data
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
        body = api("leader").get(f"/plans/{plan.pk}/figures").json()
        assert {f["label"]: (str(f["value"]), f["url"]) for f in body["figures"]} == figures(page)
        assert body == json.loads(json.dumps(plan_picture(plan, TODAY).as_json(), ensure_ascii=False))
        assert {row["name"]: row["led"] for row in body["divisions"]} == {"基教处": 4, "督导处": 4}

    def test_figures_are_for_leaders(self, api, personas, data):  # noqa: F811
        plan, _ = data
        response = api("staff").get(f"/plans/{plan.pk}/figures")
        assert response.status_code == 403 and response.json()["detail"] == "看板仅对局领导和管理员开放。"
        assert api("other_leader").get(f"/plans/{plan.pk}/figures").status_code == 404

    def test_a_bureaus_figures_are_the_rollups(self, api, client, personas, province):  # noqa: F811
        client.force_login(personas.leader)
        page = client.get(reverse("tasks:dashboard"), {"view": "rollup", "year": "2026"}).content.decode()
        body = api("leader").get(f"/bureaus/{personas.bureau.pk}/figures", {"year": 2026}).json()
        keys = ["total", "done", "behind", "overdue", "not_reported", "red"]
        api_rows = {row["label"]: [(str(row[k]), row["urls"][k]) for k in keys] for row in body["rows"]}
        assert api_rows == rollup_rows(page)
        assert body["year"] == 2026 and [r["label"] for r in body["rows"]][-1] == "台州合计"

    def test_a_bureau_out_of_reach_is_not_found_and_staff_are_refused(self, api, personas, province):  # noqa: F811
        assert api("leader").get(f"/bureaus/{personas.other_bureau.pk}/figures").status_code == 404
        assert api("staff").get(f"/bureaus/{personas.bureau.pk}/figures").status_code == 403
        district = api("leader").get(f"/bureaus/{personas.district.pk}/figures").json()
        assert [r["label"] for r in district["rows"]] == ["椒江区教育局", "椒江合计"]

    @pytest.mark.parametrize("count", [4, 40])
    def test_figures_take_a_bounded_number_of_queries(self, api, personas, django_assert_max_num_queries, count):
        plan = make_plan(personas.bureau)
        for _ in range(count):
            task = make_task(plan, lead=[personas.division])
            report_submit(task=task, division=personas.division, author=None, status=Status.IN_PROGRESS,
                          percent=30, progress="进展")  # fmt: skip
        leader = api("leader")
        with django_assert_max_num_queries(20):
            assert leader.get(f"/plans/{plan.pk}/figures").status_code == 200
        with django_assert_max_num_queries(10):
            assert leader.get(f"/bureaus/{personas.bureau.pk}/figures").status_code == 200


@pytest.mark.django_db
def test_a_superusers_token_reads_every_bureau(personas, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw")  # no membership
    plans = {make_plan(personas.bureau).pk, make_plan(personas.other_bureau).pk}
    _, key = token_create(user=root, name="运维")
    assert ids(Api(key).get("/plans")) == plans
