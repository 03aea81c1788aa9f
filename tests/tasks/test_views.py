"""The reporting pages: who may see and do what, the report form, evidence files, 批示 and 催办."""

import datetime
import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import ActualValue, Attachment, Notification, ProgressReport, Status, TaskEvent
from tests.helpers import make_plan, make_report, make_section, make_target, make_task

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def world(personas):
    """A task of the staff's division, one of another division, and one of another bureau."""
    plan = make_plan(personas.bureau)
    own = make_task(plan, lead=[personas.division], responsible=[personas.other_division])
    make_target(own, metric="普惠性幼儿园覆盖面", value="90", unit="%")
    others = make_task(plan, lead=[personas.other_division])
    from tests.helpers import make_division

    foreign_division = make_division(personas.other_bureau, "基教处")
    foreign = make_task(make_plan(personas.other_bureau), lead=[foreign_division])
    return personas, own, others, foreign


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


ENTITY_TYPES = b'<!DOCTYPE t [<!ENTITY a "a">]><Types>&a;</Types>'


def office_zip(members: dict[str, bytes], types: bytes = b"<Types/>") -> bytes:
    """A .docx/.xlsx-shaped zip holding `members`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


REPORT = {"status": Status.IN_PROGRESS, "percent": "40", "progress": "已完成调研，正在起草方案。"}


@pytest.mark.django_db
class TestPermissionMatrix:
    @pytest.mark.parametrize(
        ("who", "detail", "report_page", "report_post"),
        [
            (None, 302, 302, 302),
            ("staff", 200, 200, 302),
            ("head", 200, 200, 302),
            ("other_staff", 200, 200, 302),  # 督导处 is a responsible division of this task
            ("leader", 200, 403, 403),
            ("admin", 200, 200, 302),
            ("other_leader", 404, 404, 404),
        ],
    )
    def test_own_task(self, client, world, who, detail, report_page, report_post):
        personas, own, _, _ = world
        client = as_user(client, getattr(personas, who) if who else None)
        assert client.get(reverse("tasks:detail", args=[own.pk])).status_code == detail
        assert client.get(reverse("tasks:report", args=[own.pk])).status_code == report_page
        before = ProgressReport.objects.count()
        data = {**REPORT, "division": personas.division.pk}
        assert client.post(reverse("tasks:report", args=[own.pk]), data).status_code == report_post
        assert ProgressReport.objects.count() == before + (1 if report_post == 302 and who else 0)

    def test_staff_cannot_report_on_another_divisions_task(self, client, world):
        personas, _, others, _ = world
        as_user(client, personas.staff)
        assert client.get(reverse("tasks:detail", args=[others.pk])).status_code == 200
        assert client.get(reverse("tasks:report", args=[others.pk])).status_code == 403
        assert client.post(reverse("tasks:report", args=[others.pk]), REPORT).status_code == 403
        assert not ProgressReport.objects.exists()

    @pytest.mark.parametrize("who", ["staff", "leader", "admin"])
    def test_another_bureaus_task_is_not_found_by_id(self, client, world, who):
        personas, _, _, foreign = world
        as_user(client, getattr(personas, who))
        for name in ("tasks:detail", "tasks:report", "tasks:edit"):
            assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
        assert client.post(reverse("tasks:comment", args=[foreign.pk]), {"text": "x"}).status_code == 404

    def test_a_city_leader_sees_its_districts_tasks(self, client, world):
        personas, *_ = world
        from tests.helpers import make_division

        district_task = make_task(make_plan(personas.district), lead=[make_division(personas.district, "基教科")])
        as_user(client, personas.leader)
        assert client.get(reverse("tasks:detail", args=[district_task.pk])).status_code == 200
        as_user(client, personas.staff)
        assert client.get(reverse("tasks:detail", args=[district_task.pk])).status_code == 404

    @pytest.mark.parametrize(("who", "status"), [("staff", 403), ("head", 403), ("leader", 302), ("admin", 302)])
    def test_only_leaders_comment_and_remind(self, client, world, who, status):
        personas, own, _, _ = world
        as_user(client, getattr(personas, who))
        assert client.post(reverse("tasks:comment", args=[own.pk]), {"text": "抓紧推进"}).status_code == status
        assert client.post(reverse("tasks:remind", args=[own.pk])).status_code == status

    @pytest.mark.parametrize(("who", "status"), [("staff", 403), ("leader", 403), ("admin", 200)])
    def test_only_admins_edit_a_task(self, client, world, who, status):
        personas, own, _, _ = world
        as_user(client, getattr(personas, who))
        assert client.get(reverse("tasks:edit", args=[own.pk])).status_code == status

    def test_login_lands_staff_on_their_tasks(self, client, world):
        response = client.post(reverse("login"), {"username": "staff", "password": "pw"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("tasks:mine")


@pytest.mark.django_db
class TestReportForm:
    def test_a_report_with_an_actual_value_and_a_pdf_shows_in_the_timeline(self, client, world):
        personas, own, _, _ = world
        target = own.targets.get()
        as_user(client, personas.staff)
        response = client.post(
            reverse("tasks:report", args=[own.pk]),
            {
                **REPORT,
                "problems": "资金缺口",
                "next_steps": "争取专项资金",
                f"target_{target.pk}": "88.5",
                "attachments": [SimpleUploadedFile("../../etc/方案.pdf", PDF)],
            },
        )
        assert response.status_code == 302 and response.url == own.get_absolute_url()
        page = client.get(response.url).content.decode()
        assert "已完成调研，正在起草方案。" in page and "资金缺口" in page and "争取专项资金" in page
        assert "88.5%" in page and "方案.pdf" in page
        attachment = Attachment.objects.get()
        assert attachment.original_name == "方案.pdf"
        assert "方案" not in attachment.file.name and attachment.file.name.endswith(".pdf")
        own.refresh_from_db()
        assert (own.status, own.percent) == (Status.IN_PROGRESS, 40)

    def test_progress_is_required_and_percent_within_0_100(self, client, world):
        personas, own, _, _ = world
        as_user(client, personas.staff)
        response = client.post(reverse("tasks:report", args=[own.pk]), {**REPORT, "progress": "", "percent": "120"})
        assert response.status_code == 400
        assert not ProgressReport.objects.exists()

    def test_done_means_100_percent(self, client, world):
        personas, own, _, _ = world
        as_user(client, personas.staff)
        response = client.post(reverse("tasks:report", args=[own.pk]), {**REPORT, "status": Status.DONE})
        assert response.status_code == 400 and "完成率应为100%" in response.content.decode()

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("virus.exe", b"MZ\x90\x00", "类型不允许"),
            ("fake.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名"),
            ("fake.docx", PDF, "内容与扩展名"),
            ("empty.png", b"", "空"),
            ("truncated.pdf", PDF[:4], "内容与扩展名"),
            # Built when the case runs: a 200 MB member compresses slowly.
            ("bomb.docx", lambda: office_zip({"word/document.xml": b"\0" * (200 * 1024 * 1024)}), "压缩炸弹"),
            ("entity.xlsx", lambda: office_zip({"xl/workbook.xml": b"<workbook/>"}, types=ENTITY_TYPES), "实体"),
            ("truncated.docx", lambda: office_zip({"word/document.xml": b"<w:document/>" * 100})[:40], "损坏"),
        ],
    )
    def test_attachments_are_checked_by_content(self, client, world, name, content, message):
        personas, own, _, _ = world
        as_user(client, personas.staff)
        upload = SimpleUploadedFile(name, content() if callable(content) else content)
        response = client.post(reverse("tasks:report", args=[own.pk]), {**REPORT, "attachments": [upload]})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not ProgressReport.objects.exists()

    @pytest.mark.parametrize(
        "name", ["../../etc/佐证.pdf", "C:\\Users\\佐证.pdf", "佐证\x00\x1b[31m\x7f.pdf", "..佐证.pdf"]
    )
    def test_a_file_name_with_folders_or_control_characters_is_kept_only_for_display(self, client, world, name):
        personas, own, _, _ = world
        as_user(client, personas.staff)
        upload = SimpleUploadedFile(name, PDF)
        response = client.post(reverse("tasks:report", args=[own.pk]), {**REPORT, "attachments": [upload]})
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert "/" not in attachment.original_name and "\\" not in attachment.original_name
        assert all(ch.isprintable() for ch in attachment.original_name)
        assert attachment.file.name.startswith("evidence/") and ".." not in attachment.file.name
        response = client.get(reverse("tasks:attachment", args=[attachment.pk]))
        assert response.status_code == 200
        assert (
            "\n" not in response["Content-Disposition"] and "/" not in response["Content-Disposition"].split("''")[-1]
        )

    def test_an_attachment_over_10_mb_is_refused(self, client, world, settings):
        settings.ATTACHMENT_MAX_BYTES = 100
        personas, own, _, _ = world
        as_user(client, personas.staff)
        upload = SimpleUploadedFile("big.png", PNG + b"\0" * 200)
        response = client.post(reverse("tasks:report", args=[own.pk]), {**REPORT, "attachments": [upload]})
        assert response.status_code == 400 and "超过 10 MB" in response.content.decode()

    def test_attachments_download_only_for_those_who_see_the_task(self, client, world):
        personas, own, _, _ = world
        as_user(client, personas.staff)
        client.post(
            reverse("tasks:report", args=[own.pk]),
            {**REPORT, "attachments": [SimpleUploadedFile("图.png", PNG)]},
        )
        url = Attachment.objects.get().get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
        assert "attachment" in response["Content-Disposition"]
        as_user(client, personas.other_leader)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
class TestLeadersActions:
    def test_a_comment_is_shown_and_notified_to_the_divisions(self, client, world, django_capture_on_commit_callbacks):
        personas, own, _, _ = world
        personas.staff.email = "staff@example.cn"
        personas.staff.save()
        as_user(client, personas.leader)
        with django_capture_on_commit_callbacks(execute=True):  # the email leaves once the comment is saved
            client.post(reverse("tasks:comment", args=[own.pk]), {"text": "请加快进度，月底前报结果。"})
        assert "请加快进度，月底前报结果。" in client.get(own.get_absolute_url()).content.decode()
        recipients = set(Notification.objects.values_list("recipient__username", flat=True))
        assert recipients == {"staff", "head", "other_staff"}
        assert [m.to for m in mail.outbox] == [["staff@example.cn"]]
        as_user(client, personas.staff)
        assert ">1</span>" in client.get(reverse("tasks:mine")).content.decode()
        page = client.get(reverse("tasks:notifications")).content.decode()
        assert "请加快进度" in page
        assert Notification.objects.filter(recipient=personas.staff, read_at__isnull=True).count() == 0

    def test_a_reminder_on_a_division_reaches_its_members_only(self, client, world):
        personas, *_ = world
        as_user(client, personas.leader)
        response = client.post(reverse("tasks:remind_division", args=[personas.other_division.pk]), {"next": "//evil"})
        assert response.status_code == 302 and response.url == reverse("tasks:list")
        assert list(Notification.objects.values_list("recipient__username", "kind")) == [("other_staff", "reminder")]


@pytest.mark.django_db
class TestEditAndHistory:
    def edit(self, client, task, version, lead, deadline="2026-06-30"):
        return client.post(
            reverse("tasks:edit", args=[task.pk]),
            {"version": version, "deadline": deadline, "deadline_text": "6月底前", "lead": [d.pk for d in lead]},
        )

    def test_an_edit_is_recorded_in_the_history(self, client, world):
        personas, own, _, _ = world
        as_user(client, personas.admin)
        assert self.edit(client, own, own.version, [personas.other_division]).status_code == 302
        own.refresh_from_db()
        assert own.lead_labels == ["督导处"] and own.deadline.isoformat() == "2026-06-30"
        event = TaskEvent.objects.get(task=own)
        assert event.actor == personas.admin and "督导处" in event.summary and "6月底前" in event.summary
        assert "6月底前" in client.get(own.get_absolute_url()).content.decode()

    def test_a_stale_form_gets_a_conflict_instead_of_overwriting(self, client, world):
        personas, own, _, _ = world
        as_user(client, personas.admin)
        stale = own.version
        self.edit(client, own, stale, [personas.other_division])
        response = self.edit(client, own, stale, [personas.division], deadline="2026-09-30")
        assert response.status_code == 409 and "已被他人修改" in response.content.decode()
        own.refresh_from_db()
        assert own.lead_labels == ["督导处"] and own.deadline.isoformat() == "2026-06-30"


@pytest.mark.django_db
class TestReportHistory:
    def report(self, task, division, n, **fields):
        return make_report(task, division, percent=n, progress=f"第{n}次报送", **fields)

    def test_the_task_page_shows_the_newest_reports_and_pages_back_to_the_oldest(self, client, world):
        personas, own, _, _ = world
        for n in range(1, 26):
            self.report(own, personas.division, n)
        as_user(client, personas.staff)
        first = client.get(own.get_absolute_url()).content.decode()
        assert "共 25 条" in first and "第 1 / 2 页" in first
        assert "第25次报送" in first and "第6次报送" in first and "第5次报送" not in first
        second = client.get(own.get_absolute_url() + "?page=2").content.decode()
        assert "第5次报送" in second and "第1次报送" in second and "第6次报送" not in second
        # A page number that is not one lands on the first or the last page, never an error.
        assert "第25次报送" in client.get(own.get_absolute_url() + "?page=abc").content.decode()
        assert "第1次报送" in client.get(own.get_absolute_url() + "?page=99").content.decode()

    def test_a_targets_value_comes_from_its_newest_report_even_off_the_first_page(self, client, world):
        personas, own, _, _ = world
        target = own.targets.get()
        older = self.report(own, personas.division, 1)
        ActualValue.objects.create(report=older, target=target, value="70")
        newer = self.report(own, personas.division, 2)
        ActualValue.objects.create(report=newer, target=target, value="92.5")
        for n in range(3, 30):
            self.report(own, personas.division, n)
        as_user(client, personas.staff)
        page = client.get(own.get_absolute_url()).content.decode()
        assert "第2次报送" not in page
        assert "92.5%" in page and "已达成" in page


@pytest.mark.django_db
class TestLists:
    def test_my_tasks_lists_only_my_divisions_tasks_with_my_role(self, client, world):
        personas, own, others, foreign = world
        as_user(client, personas.other_staff)
        page = client.get(reverse("tasks:mine")).content.decode()
        assert own.title in page and others.title in page and foreign.title not in page
        assert "责任" in page and "牵头" in page

    def test_filters_narrow_the_list(self, client, world, frozen_today):
        import datetime

        personas, own, others, _ = world
        frozen_today(datetime.date(own.plan.year_end, 3, 10))
        from tasks.services import report_submit

        report_submit(
            task=own, division=personas.division, author=None, status=Status.BEHIND, percent=10, progress="慢"
        )
        as_user(client, personas.leader)
        page = client.get(reverse("tasks:list"), {"status": Status.BEHIND}).content.decode()
        assert own.title in page and others.title not in page
        page = client.get(reverse("tasks:list"), {"light": "yellow"}).content.decode()
        assert own.title in page and others.title not in page
        page = client.get(reverse("tasks:list"), {"q": own.text.split("：")[0]}).content.decode()
        assert own.title in page and others.title not in page

    def test_the_leader_filter_narrows_the_list_to_that_leaders_tasks(self, client, world):
        personas, own, others, _ = world
        own.leader = "王副局长"
        own.save(update_fields=["leader"])
        as_user(client, personas.leader)
        page = client.get(reverse("tasks:list"), {"leader": "王副"}).content.decode()
        assert own.title in page and others.title not in page

    def test_plan_and_section_filters_offer_only_visible_plans_and_narrow_the_list(self, client, world):
        personas, own, others, foreign = world
        second_plan = make_plan(personas.bureau, title="第二份方案")
        section = make_section(second_plan, number="一", title="学前教育")
        later = make_task(second_plan, lead=[personas.division], section=section)
        as_user(client, personas.leader)
        page = client.get(reverse("tasks:list"), {"plan": second_plan.pk}).content.decode()
        assert later.title in page and own.title not in page
        assert f'<option value="{second_plan.pk}" selected>' in page
        assert "一、学前教育" in page and foreign.plan.title not in page
        page = client.get(reverse("tasks:list"), {"section": section.pk}).content.decode()
        assert later.title in page and others.title not in page
        # Another bureau's plan is not a choice: the filter is refused and its tasks stay hidden.
        page = client.get(reverse("tasks:list"), {"plan": foreign.plan_id}).content.decode()
        assert foreign.title not in page and own.title in page

    def test_the_legend_explains_the_lights(self, client, world):
        personas, *_ = world
        as_user(client, personas.staff)
        assert "落后序时进度20个百分点" in client.get(reverse("tasks:mine")).content.decode()


def test_png_constant_is_a_real_png_header():
    assert io.BytesIO(PNG).read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
def test_an_extended_deadline_shows_the_new_date_and_keeps_the_documents_words_with_the_old(client, personas):
    task = make_task(
        make_plan(personas.bureau, year=2026), lead=[personas.division], deadline=datetime.date(2026, 6, 30)
    )
    task.deadline_text = "6月底前"
    task.original_deadline, task.deadline = task.deadline, datetime.date(2026, 9, 30)  # as an approved extension
    task.save()
    client.force_login(personas.leader)
    listed = client.get(reverse("tasks:list")).content.decode()
    assert "2026-09-30" in listed and "6月底前" not in listed
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "2026年9月30日</dd>" in page
    assert "2026年6月30日（原文：6月底前）（已批准延期）" in page
