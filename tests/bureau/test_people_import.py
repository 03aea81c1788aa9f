"""/people/import/: upload → preview → confirm of a sheet of people, with per-row errors."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bureau.models import DivisionAlias, Membership
from bureau.people import PersonFields, person_update
from plans.hostile_files import _zip
from tests.helpers import log_in, make_user

from .sheets import HEADER, sheet_bytes


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, data: bytes, name: str = "人员名单.xlsx", **fields):
    return client.post(reverse("people_import"), {"file": SimpleUploadedFile(name, data), **fields})


def _office_sheet() -> bytes:
    """What an office sends: a merged title, a blank line, 序号, an extra column, blank and bad rows."""
    return sheet_bytes(
        [
            [*HEADER, "职务"],
            [1, "陈小明", "基教处", "科员", "13800000001", "chen@example.cn", "一级科员"],
            [2, "林芳", "督导室", "科长", "13800000002", "", "科长"],  # an alias of 督导处
            [3, "周局长", "", "副局长", "13800000003", "", ""],
            [],
            [4, "张三改名", "基教处", "", "", "", ""],  # no phone and no login name
            [5, "吴某", "财务处", "", "13800000005", "", ""],
            [6, "郑某", "基教处", "", "1380000", "", ""],
            [7, "王某", "基教处", "", "13800000007", "wang@", ""],
            [8, "钱某", "基教处", "", "13800000001", "", ""],
            [9, "孙某", "基教处", "", "13900000000", "", ""],
            [10, "", "", "", "", "", ""],
        ],
        title="台州市教育局机关人员名单",
        merge_title=True,
    )


@pytest.mark.django_db
class TestImport:
    def test_the_preview_marks_each_row_new_update_or_error_and_confirm_writes_the_good_ones(self, personas):
        DivisionAlias.objects.create(division=personas.other_division, name="督导室")
        make_user("13900000000", bureau=personas.other_bureau, role=Membership.Role.LEADER)
        existing = make_user(
            "13800000003", bureau=personas.bureau, role=Membership.Role.STAFF, division=personas.division
        )
        client = _client(personas.admin)
        response = _upload(client, _office_sheet())
        assert response.status_code == 302
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        rows = {row.person.line: row for row in preview.context["preview"]}
        assert {line: row.action for line, row in rows.items()} == {
            4: "error", 5: "create", 6: "update", 8: "error", 9: "error", 10: "error", 11: "error",
            12: "error", 13: "error",
        }  # fmt: skip
        assert rows[8].errors == ["缺少登录名：请填写登录名或手机号"]
        assert rows[9].errors == ["未知处室“财务处”"]
        assert rows[10].errors == ["手机号格式不对"]
        assert rows[11].errors == ["邮箱格式不对"]
        assert rows[12].errors == ["表内重复：登录名“13800000001”出现在第 4、12 行"]
        assert rows[13].errors == ["登录名“13900000000”已被其他教育局使用"]
        assert rows[4].errors == rows[12].errors  # both of a pair: which one is meant is for the admin to say
        page = preview.content.decode()
        assert "新建" in page and "更新" in page and "未知处室“财务处”" in page and "有错误的行" in page

        done = client.post(response["Location"], {"action": "confirm"})
        assert done.status_code == 200
        created = done.context["result"].created
        assert [(name, login) for name, login, _ in created] == [("林芳", "13800000002")]
        lin = get_user_model().objects.get(username="13800000002")
        assert (lin.membership.division, lin.membership.role) == (personas.other_division, "head")
        assert lin.membership.must_change_password
        existing.refresh_from_db()
        assert existing.first_name == "周局长" and existing.membership.role == "leader"
        assert existing.check_password("pw")  # an update keeps the password
        assert created[0][2] in done.content.decode()
        assert log_in(Client(), "13800000002", created[0][2])
        # The rows are gone from the session: the same confirm cannot run twice.
        assert client.post(response["Location"], {"action": "confirm"}).status_code == 404

    def test_cancel_writes_nothing(self, personas):
        client = _client(personas.admin)
        response = _upload(client, sheet_bytes([HEADER, [1, "陈小明", "基教处", "", "13800000001", ""]]))
        before = get_user_model().objects.count()
        assert client.post(response["Location"], {"action": "cancel"}).status_code == 302
        assert get_user_model().objects.count() == before

    def test_a_login_name_taken_between_preview_and_confirm_is_left_out(self, personas):
        client = _client(personas.admin)
        response = _upload(client, sheet_bytes([HEADER, [1, "陈小明", "基教处", "", "13800000001", ""]]))
        make_user("13800000001", bureau=personas.other_bureau, role=Membership.Role.LEADER)
        done = client.post(response["Location"], {"action": "confirm"})
        assert done.context["result"].created == []
        assert "已被其他教育局使用" in done.content.decode()

    def test_an_admin_cannot_change_their_own_account_by_import(self, personas):
        client = _client(personas.admin)
        response = _upload(client, sheet_bytes([["姓名", "登录名", "角色"], ["我", "admin", "局领导"]]))
        preview = client.get(response["Location"])
        assert preview.context["preview"][0].errors == ["不能通过导入修改自己的账号"]

    def test_a_login_name_differing_only_by_case_is_the_same_account_as_for_the_form(self, personas):
        """Another bureau's name in other letters is an error, this bureau's the same person (updated under
        their own login name): never a second account that the form would have refused."""
        client = _client(personas.admin)
        sheet = [
            ["姓名", "登录名", "处室", "角色"],
            ["李四", "STAFF", "基教处", "科员"],
            ["王五", "Other_Leader", "", "局领导"],
        ]
        response = _upload(client, sheet_bytes(sheet))
        preview = client.get(response["Location"]).context["preview"]
        assert [row.action for row in preview] == ["update", "error"]
        assert preview[1].errors == ["登录名“Other_Leader”已被其他教育局使用"]
        before = get_user_model().objects.count()
        done = client.post(response["Location"], {"action": "confirm"})
        assert (done.context["result"].updated, done.context["result"].created) == (1, [])
        assert get_user_model().objects.count() == before
        personas.staff.refresh_from_db()
        assert (personas.staff.username, personas.staff.first_name) == ("staff", "李四")
        assert log_in(Client(), "staff", "pw")

    @pytest.mark.parametrize(
        ("data", "name", "message"),
        [
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "人员.xls", "旧版 Excel"),
            (b"not a zip at all", "人员.xlsx", "不是 Excel"),
            (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}), "人员.xlsx", "Word"),
            (
                _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * 50_000_000}),
                "人员.xlsx",
                "压缩炸弹",
            ),
            (b"PK" + b"\0" * (2 * 1024 * 1024 + 10), "人员.xlsx", "超过 2 MB"),
        ],
        ids=["xls", "not-a-zip", "docx-renamed", "zip-bomb", "too-large"],
    )
    def test_a_hostile_file_is_refused_with_400_and_nothing_is_written(self, personas, data, name, message):
        before = get_user_model().objects.count()
        client = _client(personas.admin)
        response = _upload(client, data, name)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert get_user_model().objects.count() == before
        assert not client.session.get("people_imports")

    def test_a_huge_sheet_is_refused(self, personas):
        rows = [HEADER, *([i, f"人员{i}", "基教处", "", f"138{i:08d}", ""] for i in range(2100))]
        response = _upload(_client(personas.admin), sheet_bytes(rows))
        assert response.status_code == 400 and "人员过多" in response.content.decode()

    def test_someone_elses_upload_is_404_and_staff_get_403(self, personas):
        response = _upload(_client(personas.admin), sheet_bytes([HEADER, [1, "陈", "基教处", "", "13800000001", ""]]))
        other_admin = make_user("admin2", bureau=personas.bureau, role=Membership.Role.ADMIN)
        assert _client(other_admin).get(response["Location"]).status_code == 404
        assert _client(personas.staff).get(response["Location"]).status_code == 403
        assert _client(personas.staff).get(reverse("people_import")).status_code == 403

    @pytest.mark.parametrize("people", [5, 200])
    def test_the_preview_takes_a_bounded_number_of_queries(self, personas, django_assert_max_num_queries, people):
        rows = [HEADER, *([i, f"人员{i}", "基教处", "", f"138{i:08d}", ""] for i in range(people))]
        client = _client(personas.admin)
        response = _upload(client, sheet_bytes(rows))
        with django_assert_max_num_queries(8):
            assert client.get(response["Location"]).status_code == 200

    @pytest.mark.parametrize("people", [20, 60])
    def test_an_import_and_a_re_import_cost_a_few_queries_a_person(
        self, personas, django_assert_max_num_queries, people
    ):
        """Writing a person costs at most three queries (user, group, membership), whatever else is in the
        import: the admin group is read once, not per person."""
        rows = [HEADER, *([i, f"人员{i}", "基教处", "", f"138{i:08d}", ""] for i in range(people))]
        client = _client(personas.admin)
        for done in ("created", "updated"):
            response = _upload(client, sheet_bytes(rows))
            with django_assert_max_num_queries(16 + 3 * people):
                result = client.post(response["Location"], {"action": "confirm"}).context["result"]
            assert (len(result.created) if done == "created" else result.updated) == people

    def test_an_update_keeps_a_password_changed_meanwhile(self, personas):
        stale = get_user_model().objects.select_related("membership").get(pk=personas.staff.pk)
        fresh = get_user_model().objects.get(pk=personas.staff.pk)
        fresh.set_password("Zhejiang-2026!")
        fresh.save()
        fields = PersonFields(
            username="staff", name="李四", bureau=personas.bureau, division=personas.division, role="staff"
        )
        person_update(stale, fields)
        assert log_in(Client(), "staff", "Zhejiang-2026!")
        assert get_user_model().objects.get(pk=personas.staff.pk).first_name == "李四"

    def test_the_superuser_chooses_the_bureau(self, personas):
        root = get_user_model().objects.create_superuser("root", password="pw")
        client = _client(root)
        data = sheet_bytes([HEADER, [1, "陈小明", "基教处", "", "13800000001", ""]])
        response = _upload(client, data, bureau=personas.other_bureau.pk)
        preview = client.get(response["Location"])
        assert preview.context["bureau"] == personas.other_bureau
        assert preview.context["preview"][0].errors == ["未知处室“基教处”"]
