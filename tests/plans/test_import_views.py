"""/plans/import/: upload → preview → confirm, for admins only, never a 500."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.models import Division, DivisionAlias
from tasks.models import Plan, Task
from tests.helpers import make_division

from .seeds import TAIZHOU, WENZHOU_SUMMARY_POINTS, read


def upload(client, data: bytes, name: str = "plan.docx", **fields):
    return client.post(reverse("plans:import"), {"file": SimpleUploadedFile(name, data), **fields})


@pytest.fixture
def admin_client(client, personas):
    for name in ("办公室", "督导处", "高教处", "职成教处", "计财处"):
        Division.objects.get_or_create(bureau=personas.bureau, name=name)
    client.force_login(personas.admin)
    return client


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("plans:import"))
        assert response.status_code == 302 and "/accounts/login/" in response.url

    @pytest.mark.parametrize("who", ["staff", "head", "leader"])
    def test_non_admins_are_refused(self, client, personas, who):
        client.force_login(getattr(personas, who))
        assert client.get(reverse("plans:import")).status_code == 403
        assert upload(client, read(TAIZHOU["docx"])).status_code == 403
        assert not Plan.objects.exists()

    def test_another_sessions_preview_is_not_found(self, admin_client, client, personas):
        token = upload(admin_client, read(TAIZHOU["docx"])).url.rstrip("/").rsplit("/", 1)[-1]
        from django.test import Client

        other = Client()
        other.force_login(personas.admin)
        assert other.get(reverse("plans:import_preview", args=[token])).status_code == 404


@pytest.mark.django_db
class TestFlow:
    def test_upload_shows_a_preview_and_writes_nothing(self, admin_client):
        response = upload(admin_client, read(TAIZHOU["docx"]))
        assert response.status_code == 302
        page = admin_client.get(response.url).content.decode()
        assert "2019年全市教育工作任务分解方案" in page
        assert "100 项任务" in page
        assert "一、全面推进“两个战略”" in page
        assert "考试院（未识别）" in page
        assert "第32项：无法识别的单位“考试院”" in page
        assert not Plan.objects.exists()

    def test_confirm_creates_the_plan_with_unknown_units_mapped(self, admin_client, personas):
        preview_url = upload(admin_client, read(TAIZHOU["docx"])).url
        page = admin_client.get(preview_url)
        form = page.context["mapping_form"]
        index = form.unknown_units.index("教研室")
        response = admin_client.post(preview_url, {"action": "confirm", f"unit_{index}": str(personas.division.pk)})
        plan = Plan.objects.get()
        assert response.status_code == 302 and response.url == plan.get_absolute_url()
        assert plan.tasks.count() == 100
        assert DivisionAlias.objects.filter(division=personas.division, name="教研室").exists()
        assert Division.objects.filter(bureau=personas.bureau, name="考试院", confirmed=False).exists()
        assert "导入成功" in admin_client.get(response.url).content.decode()

    def test_cancel_creates_nothing(self, admin_client):
        preview_url = upload(admin_client, read(TAIZHOU["docx"])).url
        response = admin_client.post(preview_url, {"action": "cancel"})
        assert response.status_code == 302
        assert not Plan.objects.exists() and not Task.objects.exists()
        assert admin_client.get(preview_url).status_code == 404

    def test_a_file_with_two_documents_previews_both(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
        page = client.get(upload(client, read(WENZHOU_SUMMARY_POINTS["docx"])).url).content.decode()
        assert "温州市教育局2023年工作总结" in page and "温州市教育局2024年工作要点" in page
        assert "将新建该教育局" in page

    def test_a_bureau_admin_cannot_import_for_another_bureau(self, admin_client, personas):
        response = upload(admin_client, read(TAIZHOU["docx"]), bureau="衢州市教育局")
        assert response.status_code == 403
        assert "只能导入本局及所辖区县的计划" in response.content.decode()
        response = upload(admin_client, read(WENZHOU_SUMMARY_POINTS["docx"]))
        assert response.status_code == 403 and "请联系系统管理员" in response.content.decode()
        assert not Plan.objects.exists()

    def test_an_already_imported_file_is_flagged_and_cannot_be_confirmed(self, admin_client):
        preview_url = upload(admin_client, read(TAIZHOU["docx"])).url
        admin_client.post(preview_url, {"action": "confirm"})
        page = admin_client.get(upload(admin_client, read(TAIZHOU["docx"])).url).content.decode()
        assert "该文件已导入过" in page
        assert 'value="confirm"' not in page
        assert Plan.objects.count() == 1

    def test_a_spreadsheet_needs_the_bureau_typed_in(self, admin_client):
        response = upload(admin_client, read(TAIZHOU["xlsx"]), name="t.xlsx")
        assert response.status_code == 400
        assert "识别教育局名称" in response.content.decode()
        response = upload(admin_client, read(TAIZHOU["xlsx"]), name="t.xlsx", bureau="台州市教育局")
        assert response.status_code == 302


@pytest.mark.django_db
class TestHostileUploads:
    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            ("empty.docx", b"", "文件为空"),
            ("renamed.docx", b"%PDF-1.4 not a word file \x00\x01", "无法识别"),
            ("broken.docx", b"PK\x03\x04broken", "损坏"),
            ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版"),
        ],
    )
    def test_bad_files_get_a_form_error_not_a_500(self, admin_client, name, data, message):
        response = upload(admin_client, data, name=name)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Plan.objects.exists()

    def test_a_truncated_docx_gets_a_form_error(self, admin_client):
        data = read(TAIZHOU["docx"])
        response = upload(admin_client, data[: len(data) // 3])
        assert response.status_code == 400 and "损坏" in response.content.decode()

    def test_an_oversized_file_is_refused(self, admin_client, settings):
        settings.PLAN_UPLOAD_MAX_BYTES = 1000
        response = upload(admin_client, io.BytesIO(b"x" * 2000).getvalue())
        assert response.status_code == 400 and "20 MB" in response.content.decode()

    def test_a_zip_bomb_gets_a_form_error(self, admin_client):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", b"<a/>")
            archive.writestr("word/padding.bin", b"\0" * (300 * 1024 * 1024))
        response = upload(admin_client, buffer.getvalue())
        assert response.status_code == 400 and "压缩炸弹" in response.content.decode()
        assert not Plan.objects.exists()

    def test_an_xml_entity_declaration_gets_a_form_error(self, admin_client):
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(read(TAIZHOU["docx"]))) as original, zipfile.ZipFile(buffer, "w") as archive:
            for item in original.infolist():
                content = original.read(item)
                if item.filename == "word/document.xml":
                    entities = b'<!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    content = b'<?xml version="1.0"?>' + entities + content.split(b"?>", 1)[1]
                archive.writestr(item, content)
        response = upload(admin_client, buffer.getvalue())
        assert response.status_code == 400 and "实体" in response.content.decode()
        assert not Plan.objects.exists()

    @pytest.mark.parametrize(
        "name", ["../../../etc/计划.docx", "..\\..\\计划.docx", "计划\x00\x07\x7f.docx", "..计划.docx"]
    )
    def test_a_file_name_with_folders_or_control_characters_is_made_safe(self, admin_client, name):
        response = upload(admin_client, read(TAIZHOU["docx"]), name=name)
        assert response.status_code == 302
        response = admin_client.post(response["Location"], {"action": "confirm", "unit_0": ""})
        assert response.status_code in (200, 302)
        plan = Plan.objects.get()
        stored = plan.source_file.name
        assert stored.startswith("plans/") and ".." not in stored and "\\" not in stored
        assert all(ch.isprintable() for ch in stored)


@pytest.mark.django_db
def test_plan_detail_shows_the_imported_tree(client, personas):
    make_division(personas.bureau, "办公室")
    from plans.services import import_file

    (plan,) = import_file(data=read(TAIZHOU["docx"]), filename="t.docx", bureau_name="台州市教育局")
    client.force_login(personas.staff)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "七、加强党的全面领导" in page and "召开全市教育大会" in page and "各处室" in page
    client.force_login(personas.other_leader)
    assert client.get(plan.get_absolute_url()).status_code == 404
