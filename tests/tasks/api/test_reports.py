"""POST /tasks/{id}/reports: a report through the report page's form and service, refused as the page
refuses it, and nothing written when it is."""

import datetime

import pytest
from django.utils import timezone

from tasks.forms import ReportForm
from tasks.models import Milestone, ProgressReport, Status, Task
from tests.helpers import make_division, make_plan, make_target, make_task

VALID = {"status": "in_progress", "percent": 60, "progress": "已完成方案起草。"}


@pytest.fixture
def task(personas):
    return make_task(make_plan(personas.bureau), lead=[personas.division], responsible=[personas.other_division])


def nothing_written(task) -> bool:
    return not ProgressReport.objects.filter(task=task).exists()


@pytest.mark.django_db
class TestReporting:
    def test_a_valid_report_is_written_and_the_task_brought_up_to_date(self, api, personas, task):
        target = make_target(task, metric="覆盖率", value="90")
        milestone = Milestone.objects.create(task=task, title="出台方案", due=datetime.date(2026, 6, 30))
        body = {**VALID, "problems": "经费不足", "actuals": [{"target": target.pk, "value": "75.5"}],
                "milestones": [milestone.pk]}  # fmt: skip
        response = api("staff").post(f"/tasks/{task.pk}/reports", body)
        assert response.status_code == 201, response.content
        report = ProgressReport.objects.get(task=task)
        assert (report.division, report.author, report.percent, report.problems) == (
            personas.division, personas.staff, 60, "经费不足",
        )  # fmt: skip
        assert report.actuals.get().value == 75.5
        milestone.refresh_from_db()
        assert milestone.done_in == report
        created = response.json()
        assert created["report"]["id"] == report.pk and created["report"]["division"] == "基教处"
        assert created["task"]["percent"] == 60 and created["task"]["status"] == Status.IN_PROGRESS

    @pytest.mark.parametrize(
        "changes",
        [
            {"percent": 150},
            {"progress": ""},
            {"progress": "长" * 5001},
            {"status": "done", "percent": 80},
            {"percent": -1, "progress": "  "},
        ],
    )
    def test_an_invalid_report_gives_the_forms_own_messages_and_writes_nothing(self, api, task, changes):
        body = {**VALID, **changes}
        response = api("staff").post(f"/tasks/{task.pk}/reports", body)
        assert response.status_code == 422
        form = ReportForm({k: str(v) for k, v in body.items()}, task=task)
        assert not form.is_valid()
        got = {e["field"]: e["message"] for e in response.json()["errors"]}
        assert got == {name: " ".join(messages) for name, messages in form.errors.items()}
        assert response.json()["detail"].startswith("参数不正确")
        assert nothing_written(task)

    def test_a_bad_actual_value_is_refused_under_its_target(self, api, task):
        target = make_target(task)
        body = {**VALID, "actuals": [{"target": target.pk, "value": "1e20"}]}
        response = api("staff").post(f"/tasks/{task.pk}/reports", body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == f"actuals.{target.pk}"
        assert nothing_written(task)

    def test_a_target_of_another_task_is_refused(self, api, personas, task):
        other = make_target(make_task(task.plan, lead=[personas.division]))
        response = api("staff").post(f"/tasks/{task.pk}/reports", {**VALID, "actuals": [{"target": other.pk}]})
        assert response.status_code == 422 and "该任务没有这个指标" in response.json()["detail"]
        assert nothing_written(task)

    @pytest.mark.parametrize("body", [{}, {"status": "later", "percent": 1, "progress": "x"}, {"percent": "六十"}])
    def test_a_payload_of_the_wrong_shape_is_422_in_chinese(self, api, task, body):
        response = api("staff").post(f"/tasks/{task.pk}/reports", body)
        assert response.status_code == 422
        assert response.json()["detail"].startswith("参数不正确：")
        assert nothing_written(task)

    def test_malformed_json_is_refused_not_a_server_error(self, api, task):
        client = api("staff")
        response = client.client.post(
            f"/api/v1/tasks/{task.pk}/reports", "{not json", content_type="application/json",
            headers=client._headers(),
        )  # fmt: skip
        assert response.status_code == 400
        assert response.json()["detail"] == "请求体不是有效的 JSON，无法解析。"
        assert nothing_written(task)

    def test_someone_not_assigned_is_refused_with_403(self, api, personas, task):
        response = api("leader").post(f"/tasks/{task.pk}/reports", VALID)
        assert response.status_code == 403
        assert response.json()["detail"] == "只有承担该任务的处室人员可以报送进展。"
        assert nothing_written(task)

    def test_a_responsible_division_reports_for_itself(self, api, personas, task):
        assert api("other_staff").post(f"/tasks/{task.pk}/reports", VALID).status_code == 201
        assert ProgressReport.objects.get(task=task).division == personas.other_division

    def test_another_bureaus_task_is_not_found(self, api, personas):
        far = make_task(make_plan(personas.other_bureau))
        assert api("staff").post(f"/tasks/{far.pk}/reports", VALID).status_code == 404
        assert nothing_written(far)

    def test_an_archived_task_or_a_closed_plans_is_409_with_the_reason(self, api, personas, task):
        Task.objects.filter(pk=task.pk).update(archived=True)
        response = api("staff").post(f"/tasks/{task.pk}/reports", VALID)
        assert response.status_code == 409 and "归档" in response.json()["detail"]
        Task.objects.filter(pk=task.pk).update(archived=False)
        task.plan.closed_at = timezone.now()
        task.plan.save()
        response = api("staff").post(f"/tasks/{task.pk}/reports", VALID)
        assert response.status_code == 409 and "年度关闭" in response.json()["detail"]
        assert nothing_written(task)

    def test_an_admin_names_the_division_when_several_are_assigned(self, api, personas, task):
        admin = api("admin")
        response = admin.post(f"/tasks/{task.pk}/reports", VALID)
        assert response.status_code == 422
        assert {e["field"] for e in response.json()["errors"]} == {"division"}
        assert nothing_written(task)
        response = admin.post(f"/tasks/{task.pk}/reports", {**VALID, "division": personas.other_division.pk})
        assert response.status_code == 201
        assert ProgressReport.objects.get(task=task).division == personas.other_division


@pytest.mark.django_db
class TestWhatAReportNames:
    """The division, milestones and targets of a report are checked, not ignored: nothing is written for
    another division, another task's milestone or a target given twice."""

    @pytest.mark.parametrize("which", ["the other assigned division", "another bureau's", "none at all"])
    def test_a_division_the_user_does_not_report_for_is_refused(self, api, personas, task, which):
        pk = {
            "the other assigned division": personas.other_division.pk,
            "another bureau's": make_division(personas.other_bureau, "基教处").pk,
            "none at all": 10**9,
        }[which]
        response = api("staff").post(f"/tasks/{task.pk}/reports", {**VALID, "division": pk})
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["field"] == "division"
        assert "不能代" in response.json()["detail"]
        assert nothing_written(task)

    def test_staff_may_name_their_own_division(self, api, personas, task):
        response = api("staff").post(f"/tasks/{task.pk}/reports", {**VALID, "division": personas.division.pk})
        assert response.status_code == 201
        assert ProgressReport.objects.get(task=task).division == personas.division

    def test_an_admin_naming_an_unassigned_division_is_refused(self, api, personas, task):
        elsewhere = make_division(personas.bureau, "财务处")
        response = api("admin").post(f"/tasks/{task.pk}/reports", {**VALID, "division": elsewhere.pk})
        assert response.status_code == 422
        assert {e["field"] for e in response.json()["errors"]} == {"division"}
        assert nothing_written(task)

    @pytest.mark.parametrize("which", ["another task's", "done", "huge"])
    def test_a_milestone_not_among_the_tasks_open_ones_is_refused(self, api, personas, task, which):
        due = datetime.date(2026, 6, 30)
        if which == "another task's":
            pk = Milestone.objects.create(task=make_task(task.plan, lead=[personas.division]), title="别的", due=due).pk
        elif which == "done":
            pk = Milestone.objects.create(task=task, title="已完成", due=due, done_at=timezone.now()).pk
        else:
            pk = 10**30
        response = api("staff").post(f"/tasks/{task.pk}/reports", {**VALID, "milestones": [pk]})
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["field"].startswith("milestones")
        assert nothing_written(task)

    def test_a_target_given_twice_is_refused(self, api, task):
        target = make_target(task)
        actuals = [{"target": target.pk, "value": "1"}, {"target": target.pk, "value": "2"}]
        response = api("staff").post(f"/tasks/{task.pk}/reports", {**VALID, "actuals": actuals})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == f"actuals.{target.pk}"
        assert "重复" in response.json()["detail"]
        assert nothing_written(task)
