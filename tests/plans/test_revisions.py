"""Re-imports that never lose or misplace work: which plan a document revises, and which task each item
continues when a revision renumbers."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bureau.models import Division
from plans.importers import PlanFileError
from plans.services import import_file, preview_file
from tasks.models import Plan, ProgressReport, Task
from tests.helpers import make_bureau, make_division, make_report

from .test_importers import docx_bytes

TITLE = "某某市教育局2025年重点工作任务分解"
ITEMS = [
    "推进集团化办学，新增紧密型教育集团5个。（牵头单位：基教处）",
    "完善中小学教师职称评聘办法。（牵头单位：人事处）",
    "实施校园安全标准化建设，创建平安校园示范校20所。（牵头单位：安管处）",
    "开展义务教育质量监测，发布区域质量报告。（牵头单位：督导处）",
    "建设智慧校园示范校10所，推进教育数据共享。（牵头单位：技信中心）",
    "落实学生资助政策，做到应助尽助。（牵头单位：计财处）",
    "深化“双减”工作，规范校外培训机构管理。（牵头单位：基教处）",
    "加强师德师风建设，开展师德专题教育。（牵头单位：人事处）",
]
UNITS = ["基教处", "人事处", "安管处", "督导处", "技信中心", "计财处"]


def plan_document(items, title=TITLE, number=""):
    head = [title] + ([number] if number else []) + ["一、重点任务"]
    return docx_bytes([*head, *(f"{index}.{text}" for index, text in enumerate(items, start=1))])


@pytest.fixture
def bureau(db):
    bureau = make_bureau("某某市教育局")
    for name in UNITS:
        make_division(bureau, name)
    return bureau


def reported_plan(bureau):
    (plan,) = import_file(data=plan_document(ITEMS), filename="v1.docx")
    reports = {}  # item index → its reports' ids
    for index, task in enumerate(plan.tasks.order_by("order")):
        division = task.assignments.first().division
        reports[index] = [make_report(task, division).pk, make_report(task, division).pk]
    return plan, reports


class TestRenumberedRevision:
    def revised_items(self):
        items = list(ITEMS)
        del items[1]  # item 2 is dropped
        items[5] = "深化“双减”工作，从严规范校外培训机构管理，开展专项治理。（牵头单位：基教处）"  # old 7, reworded
        items.insert(3, "建设家长学校，开展家庭教育指导服务。（牵头单位：基教处）")  # a new item 4
        return items

    def test_every_report_stays_on_the_task_it_was_written_for(self, bureau):
        _, reports = reported_plan(bureau)
        import_file(data=plan_document(self.revised_items()), filename="v2.docx")

        for index, report_ids in reports.items():
            task = Task.objects.get(reports__pk=report_ids[0])
            assert sorted(task.reports.values_list("pk", flat=True)) == sorted(report_ids)
            if index == 1:
                assert task.archived  # the dropped item keeps its reports, archived
            elif index == 6:
                assert not task.archived and task.text.startswith("深化“双减”工作，从严规范")
            else:
                assert not task.archived and task.text == ITEMS[index].split("（")[0]

    def test_the_new_item_starts_empty_and_numbers_follow_the_revision(self, bureau):
        plan, _ = reported_plan(bureau)
        import_file(data=plan_document(self.revised_items()), filename="v2.docx")
        current = list(plan.tasks.current().order_by("order"))
        assert [t.number for t in current] == [str(n) for n in range(1, 9)]
        new = current[3]
        assert new.text.startswith("建设家长学校") and new.reports.count() == 0
        assert ProgressReport.objects.count() == 16

    def test_the_preview_shows_each_renumbered_match_with_its_confidence(self, bureau):
        reported_plan(bureau)
        (item,) = preview_file(plan_document(self.revised_items())).plans
        moved = {m.parsed.number: (m.task.number, m.confidence) for m in item.diff.uncertain}
        # Old 3 and 4 moved up a place with their text unchanged; old 7 kept its number but was reworded.
        assert set(moved) == {"2", "3", "7"}
        assert moved["2"] == ("3", 1.0) and moved["3"] == ("4", 1.0)
        assert moved["7"][0] == "7" and 0.45 <= moved["7"][1] < 0.9
        assert [t.number for t in item.diff.removed] == ["2"]
        assert [t.number for t in item.diff.added] == ["4"]

    def test_the_admin_can_correct_a_match_before_confirming(self, bureau):
        plan, reports = reported_plan(bureau)
        (item,) = preview_file(plan_document(self.revised_items())).plans
        reworded = next(m for m in item.diff.matches if m.parsed.number == "7")
        import_file(
            data=plan_document(self.revised_items()), filename="v2.docx", overrides={0: {reworded.parsed.id: None}}
        )
        old = Task.objects.get(reports__pk=reports[6][0])
        assert old.archived  # the admin said the reworded item is a new task
        assert plan.tasks.current().get(number="7").reports.count() == 0


class TestPlanIdentity:
    def test_another_list_of_the_same_kind_and_year_is_a_new_plan(self, bureau):
        plan, _ = reported_plan(bureau)
        other = plan_document(ITEMS[:3], title="某某市教育局2025年民生实事项目任务分解")
        (second,) = import_file(data=other, filename="other.docx")
        assert second.pk != plan.pk
        plan.refresh_from_db()
        assert plan.title == TITLE and plan.tasks.current().count() == 8

    def test_a_title_that_says_revised_is_a_new_version(self, bureau):
        plan, _ = reported_plan(bureau)
        (item,) = preview_file(plan_document(ITEMS, title=f"{TITLE}（修订稿）")).plans
        assert item.existing == plan and item.revision_certain

    def test_a_similar_title_asks_the_admin(self, bureau):
        plan, _ = reported_plan(bureau)
        data = plan_document(ITEMS, title="某某市教育局2025年重点工作任务分解表")
        (item,) = preview_file(data).plans
        assert item.existing == plan and not item.revision_certain
        with pytest.raises(PlanFileError, match="请选择"):
            import_file(data=data, filename="v2.docx")
        (created,) = import_file(data=data, filename="v2.docx", modes={0: "new"})
        assert created.pk != plan.pk and Plan.objects.count() == 2

    def test_the_command_prints_the_diff_and_needs_update_or_new(self, bureau, tmp_path, capsys):
        plan, _ = reported_plan(bureau)
        path = tmp_path / "v2.docx"
        path.write_bytes(plan_document(ITEMS[:7], title=f"{TITLE}（修订稿）"))
        with pytest.raises(CommandError) as refused:
            call_command("import_plan", str(path))
        assert refused.value.returncode == 2 and "--update" in str(refused.value)
        assert "移除 1 项" in capsys.readouterr().out
        assert plan.tasks.current().count() == 8
        call_command("import_plan", str(path), "--update")
        assert plan.tasks.current().count() == 7
        assert Plan.objects.count() == 1

    def test_the_command_can_import_it_as_a_new_plan(self, bureau, tmp_path):
        reported_plan(bureau)
        path = tmp_path / "v2.docx"
        path.write_bytes(plan_document(ITEMS[:7], title=f"{TITLE}（修订稿）"))
        call_command("import_plan", str(path), "--new")
        assert Plan.objects.count() == 2


def test_reimporting_the_plans_own_ledger_changes_nothing(client, bureau, django_user_model):
    plan, _ = reported_plan(bureau)
    user = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(user)
    ledger = client.get(reverse("tasks:plan_export", args=[plan.pk])).content
    (item,) = preview_file(ledger).plans
    assert item.existing == plan
    assert (item.diff.added, item.diff.changed, item.diff.removed) == ([], [], [])
    assert Division.objects.filter(bureau=bureau).count() == len(UNITS)
    assert io.BytesIO(ledger).getbuffer().nbytes > 0


class TestPreviewPage:
    def upload(self, client, data):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(reverse("plans:import"), {"file": SimpleUploadedFile("v2.docx", data)})
        assert response.status_code == 302, response.content.decode()
        return response["Location"]

    def test_a_similar_title_must_be_answered_before_anything_is_written(self, admin_client, bureau):
        plan, _ = reported_plan(bureau)
        preview = self.upload(admin_client, plan_document(ITEMS, title="某某市教育局2025年重点工作任务分解表"))
        page = admin_client.get(preview).content.decode()
        assert "作为新计划导入" in page and f"作为《{TITLE}》的新版本" in page
        response = admin_client.post(preview, {"action": "confirm"})
        assert response.status_code == 400 and "请选择" in response.content.decode()
        assert Plan.objects.count() == 1
        response = admin_client.post(preview, {"action": "confirm", "mode_0": "new"})
        assert response.status_code == 302 and Plan.objects.count() == 2
        plan.refresh_from_db()
        assert plan.tasks.current().count() == 8

    def test_the_admin_corrects_a_match_on_the_page(self, admin_client, bureau):
        plan, reports = reported_plan(bureau)
        revised = TestRenumberedRevision().revised_items()
        preview = self.upload(admin_client, plan_document(revised, title=f"{TITLE}（修订稿）"))
        page = admin_client.get(preview).content.decode()
        assert "任务对应" in page and "相似度" in page
        (item,) = preview_file(plan_document(revised, title=f"{TITLE}（修订稿）")).plans
        reworded = next(m for m in item.diff.matches if m.parsed.number == "7")
        response = admin_client.post(
            preview, {"action": "confirm", "mode_0": "update", f"match_0_{reworded.parsed.id}": ""}
        )
        assert response.status_code == 302
        assert Task.objects.get(reports__pk=reports[6][0]).archived
        assert Task.objects.get(reports__pk=reports[0][0]).plan_id == plan.pk


class TestWhoAnswers:
    def test_all_divisions_is_a_standing_assignment_in_a_fresh_bureau(self, db, tmp_path):
        # A CLI import into a database with no divisions: nothing is confirmed yet, 各处室 is not lost.
        from .seeds import TAIZHOU, read

        path = tmp_path / "taizhou.docx"
        path.write_bytes(read(TAIZHOU["docx"]))
        call_command("import_plan", str(path))
        standing = Task.objects.exclude(all_divisions_role="")
        assert standing.count() == 24
        division = Division.objects.get(name="督导处")
        division.confirmed = True
        division.save()
        for task in standing:
            assert "督导处" in [a.division.name for a in task.assignments.all()]
            assert "各处室" in task.lead_labels + task.responsible_labels
        later = make_division(division.bureau, "新设处")
        assert later.assignments.count() == 24

    def test_a_division_the_task_names_keeps_its_own_role(self, db, tmp_path):
        from .seeds import TAIZHOU, read

        path = tmp_path / "taizhou.docx"
        path.write_bytes(read(TAIZHOU["docx"]))
        call_command("import_plan", str(path))
        office = Division.objects.get(name="办公室")  # the lead of task 1, whose 责任单位 is 各处室
        office.confirmed = True
        office.save()
        first = Task.objects.get(number="1", archived=False)
        assert first.assignments.get(division=office).role == "lead"

    def test_a_part_that_names_no_unit_is_answered_for_by_its_item(self, bureau):
        data = docx_bytes(
            [
                TITLE,
                "一、重点任务",
                "1.推进集团化办学。（牵头单位：基教处）",
                "（1）新增紧密型教育集团5个。",
                "（2）完善集团考核办法。（牵头单位：人事处）",
            ]
        )
        (plan,) = import_file(data=data, filename="p.docx")
        first, second = plan.tasks.filter(parent__isnull=False).order_by("order")
        assert first.lead_labels == ["基教处"] and second.lead_labels == ["人事处"]


def test_a_list_on_one_subject_is_not_a_version_of_the_general_one(bureau):
    import_file(data=plan_document(ITEMS[:3], title="某某市教育局2025年工作要点"), filename="a.docx")
    (item,) = preview_file(plan_document(ITEMS[3:], title="某某市教育局2025年安全工作要点")).plans
    assert item.existing is None
