"""/people/: a bureau admin's own bureau's people — the list, accounts, one-time passwords, lockouts."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bureau.models import AccessToken, Membership
from bureau.tokens import token_create
from tests.helpers import log_in, make_bureau, make_division, make_user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _lock_out(username: str) -> None:
    """Fail to sign in as `username` through the login page until django-axes locks the name."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"})
    assert response.status_code == 429


def _person_form(personas, **changes) -> dict:
    form = {
        "name": "陈小明",
        "username": "chenxm",
        "bureau": personas.bureau.pk,
        "division": personas.division.pk,
        "role": Membership.Role.STAFF,
        "phone": "13800000001",
        "email": "chen@example.cn",
    }
    return form | changes


@pytest.mark.django_db
class TestPeopleList:
    def test_a_bureau_admin_sees_their_own_bureaus_people_by_name(self, personas):
        personas.staff.first_name = "张三"
        personas.staff.save()
        get_user_model().objects.create_superuser("root", password="pw")
        response = _client(personas.admin).get(reverse("people_list"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "张三" in page and "<code>staff</code>" in page
        assert "other_leader" not in page  # another bureau's
        assert "<code>root</code>" not in page  # the deployment's superuser is nobody's to manage

    def test_staff_are_refused_and_anonymous_are_sent_to_log_in(self, personas, client):
        assert _client(personas.staff).get(reverse("people_list")).status_code == 403
        assert _client(personas.leader).get(reverse("people_list")).status_code == 403
        response = client.get(reverse("people_list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("text", ["张", "staff", "1390000"])
    def test_it_finds_people_by_name_login_or_phone(self, personas, text):
        personas.staff.first_name = "张三"
        personas.staff.save()
        Membership.objects.filter(user=personas.staff).update(phone="13900001111")
        response = _client(personas.admin).get(reverse("people_list"), {"q": text})
        page = response.content.decode()
        assert "<code>staff</code>" in page and "<code>head</code>" not in page

    def test_the_superuser_sees_every_bureau_and_filters_by_one(self, personas):
        root = get_user_model().objects.create_superuser("root", password="pw")
        page = _client(root).get(reverse("people_list")).content.decode()
        assert "<code>other_leader</code>" in page and "<code>staff</code>" in page
        response = _client(root).get(reverse("people_list"), {"bureau": personas.other_bureau.pk})
        page = response.content.decode()
        assert "<code>other_leader</code>" in page and "<code>staff</code>" not in page

    def test_it_shows_who_is_stopped_locked_or_must_change_the_password(self, personas):
        personas.head.is_active = False
        personas.head.save()
        Membership.objects.filter(user=personas.other_staff).update(must_change_password=True)
        _lock_out("staff")
        response = _client(personas.admin).get(reverse("people_list"))
        rows = {p.username: p for p in response.context["page"].object_list}
        assert rows["staff"].locked and not rows["leader"].locked
        page = response.content.decode()
        assert "已停用" in page and "已锁定" in page and "须改密码" in page and "正常" in page

    @pytest.mark.parametrize("people", [3, 60])
    def test_the_list_takes_a_bounded_number_of_queries(self, personas, django_assert_max_num_queries, people):
        for i in range(people):
            make_user(f"clerk{i}", bureau=personas.bureau, role=Membership.Role.STAFF, division=personas.division)
        client = _client(personas.admin)
        with django_assert_max_num_queries(6):  # 5 measured at both sizes
            response = client.get(reverse("people_list"))
        assert response.status_code == 200


@pytest.mark.django_db
class TestCreate:
    def test_it_creates_an_account_whose_one_time_password_is_shown_once(self, personas):
        client = _client(personas.admin)
        response = client.post(reverse("person_create"), _person_form(personas))
        assert response.status_code == 200
        password = response.context["password"]
        assert password in response.content.decode()
        user = get_user_model().objects.get(username="chenxm")
        assert user.first_name == "陈小明" and user.email == "chen@example.cn" and user.check_password(password)
        assert user.membership.must_change_password and user.membership.phone == "13800000001"
        assert not user.is_staff
        # Nowhere to be seen again: not in the session, not on the person's page.
        assert password not in str(dict(client.session))
        assert password not in client.get(reverse("person_edit", args=[user.pk])).content.decode()

    def test_a_one_time_password_works_once_and_forces_a_change(self, personas):
        response = _client(personas.admin).post(reverse("person_create"), _person_form(personas))
        password = response.context["password"]
        client = Client()
        assert log_in(client, "chenxm", password)
        response = client.get(reverse("tasks:mine"))
        assert response.status_code == 302 and response["Location"] == reverse("password_change")
        page = client.get(reverse("password_change")).content.decode()
        assert "一次性密码" in page
        response = client.post(
            reverse("password_change"),
            {"old_password": password, "new_password1": "Zhejiang-2026!", "new_password2": "Zhejiang-2026!"},
        )
        assert response.status_code == 302
        assert client.get(reverse("tasks:mine")).status_code == 200
        assert not Membership.objects.get(user__username="chenxm").must_change_password
        assert not log_in(Client(), "chenxm", password)
        assert log_in(Client(), "chenxm", "Zhejiang-2026!")

    def test_the_api_and_signing_out_pass_before_the_change(self, personas):
        Membership.objects.filter(user=personas.staff).update(must_change_password=True)
        client = _client(personas.staff)
        assert client.get(reverse("tasks:list"))["Location"] == reverse("password_change")
        assert client.post(reverse("logout")).status_code == 302
        # The API signs in with tokens and answers for itself.
        assert client.get("/api/v1/").get("Location") != reverse("password_change")

    def test_an_admin_account_is_staff_in_the_admin_group(self, personas):
        _client(personas.admin).post(
            reverse("person_create"), _person_form(personas, role=Membership.Role.ADMIN, division="")
        )
        user = get_user_model().objects.get(username="chenxm")
        assert user.is_staff and not user.is_superuser
        assert user.groups.filter(name="管理员").exists()

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"division": ""}, "division", "处室人员和处室负责人必须选择所在处室。"),
            ({"username": "STAFF"}, "username", "登录名“STAFF”已被使用，请换一个。"),
            ({"username": "陈 小明"}, "username", None),
            ({"phone": "12345"}, "phone", None),
            ({"email": "chen@"}, "email", None),
            ({"name": ""}, "name", None),
        ],
    )
    def test_bad_fields_are_refused_and_nothing_is_written(self, personas, changes, field, message):
        response = _client(personas.admin).post(reverse("person_create"), _person_form(personas, **changes))
        assert response.status_code == 400
        assert field in response.context["form"].errors
        if message:
            assert message in response.context["form"].errors[field]
        assert not get_user_model().objects.filter(first_name="陈小明").exists()

    def test_another_bureaus_division_or_bureau_cannot_be_chosen(self, personas):
        far = make_division(personas.other_bureau, "基教处")
        client = _client(personas.admin)
        assert client.post(reverse("person_create"), _person_form(personas, division=far.pk)).status_code == 400
        response = client.post(reverse("person_create"), _person_form(personas, bureau=personas.other_bureau.pk))
        assert response.status_code == 400
        assert not get_user_model().objects.filter(username="chenxm").exists()

    def test_no_field_makes_a_superuser(self, personas):
        _client(personas.admin).post(reverse("person_create"), _person_form(personas, is_superuser="on"))
        assert not get_user_model().objects.get(username="chenxm").is_superuser


@pytest.mark.django_db
class TestEdit:
    def test_the_admin_changes_a_persons_name_division_role_and_phone(self, personas):
        response = _client(personas.admin).post(
            reverse("person_edit", args=[personas.staff.pk]),
            _person_form(personas, username="staff", division=personas.other_division.pk, role="head"),
        )
        assert response.status_code == 302
        personas.staff.refresh_from_db()
        assert personas.staff.first_name == "陈小明"
        assert (personas.staff.membership.division, personas.staff.membership.role) == (personas.other_division, "head")

    @pytest.mark.parametrize("view", ["person_edit", "person_reset", "person_unlock", "person_active"])
    def test_an_admin_of_another_bureau_gets_404(self, personas, view):
        far_admin = make_user("far_admin", bureau=personas.other_bureau, role=Membership.Role.ADMIN)
        client = _client(far_admin)
        response = client.get(reverse(view, args=[personas.staff.pk])) if view == "person_edit" else None
        if response is not None:
            assert response.status_code == 404
        assert client.post(reverse(view, args=[personas.staff.pk]), {"active": "0"}).status_code == 404
        personas.staff.refresh_from_db()
        assert personas.staff.is_active

    def test_a_district_is_not_its_citys_admins_to_manage(self, personas):
        district_clerk = make_user("district_clerk", bureau=personas.district, role=Membership.Role.LEADER)
        assert _client(personas.admin).get(reverse("person_edit", args=[district_clerk.pk])).status_code == 404

    @pytest.mark.parametrize("who", ["district person", "superuser", "superuser placed in the bureau"])
    def test_every_person_route_is_404_for_the_bureau_admin_outside_their_people(self, personas, who):
        """The matrix's targets are the city's and another city's: a district's person and the deployment's
        superuser are the other two a city admin must not reach, by any of the person routes."""
        if who == "district person":
            person = make_user("district_clerk", bureau=personas.district, role=Membership.Role.LEADER)
        else:
            person = get_user_model().objects.create_superuser("root", password="pw")
            if who == "superuser placed in the bureau":
                Membership.objects.create(user=person, bureau=personas.bureau, role=Membership.Role.ADMIN)
        token_create(user=person, name="对接")
        client = _client(personas.admin)
        assert client.get(reverse("person_edit", args=[person.pk])).status_code == 404
        for view, data in [
            ("person_edit", _person_form(personas, username=person.username)),
            ("person_reset", {}),
            ("person_unlock", {}),
            ("person_active", {"active": "0"}),
        ]:
            assert client.post(reverse(view, args=[person.pk]), data).status_code == 404, view
        person.refresh_from_db()
        assert person.is_active and person.check_password("pw") and person.first_name == ""
        assert AccessToken.objects.get(user=person).revoked_at is None

    def test_staff_get_403_for_a_colleague(self, personas):
        assert _client(personas.staff).get(reverse("person_edit", args=[personas.head.pk])).status_code == 403

    def test_a_superuser_is_nobodys_to_edit(self, personas):
        root = get_user_model().objects.create_superuser("root", password="pw")
        Membership.objects.create(user=root, bureau=personas.bureau, role=Membership.Role.ADMIN)
        client = _client(personas.admin)
        assert client.get(reverse("person_edit", args=[root.pk])).status_code == 404
        assert client.post(reverse("person_reset", args=[root.pk])).status_code == 404

    def test_an_email_longer_than_the_column_is_refused_not_a_server_error(self, personas):
        email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".cn"
        response = _client(personas.admin).post(reverse("person_create"), _person_form(personas, email=email))
        assert response.status_code == 400
        assert "254" in response.content.decode()
        assert not get_user_model().objects.filter(username="chenxm").exists()

    def test_an_admin_cannot_take_away_their_own_admin_role(self, personas):
        response = _client(personas.admin).post(
            reverse("person_edit", args=[personas.admin.pk]),
            _person_form(personas, username="admin", role="leader", division=""),
        )
        assert response.status_code == 400
        assert personas.admin.membership.role == "admin"


@pytest.mark.django_db
class TestResetUnlockActive:
    def test_reset_gives_a_new_one_time_password_and_ends_the_lockout(self, personas):
        _lock_out("staff")
        client = _client(personas.admin)
        response = client.post(reverse("person_reset", args=[personas.staff.pk]))
        assert response.status_code == 200
        password = response.context["password"]
        assert "已重置" in response.content.decode()
        assert Membership.objects.get(user=personas.staff).must_change_password
        assert log_in(Client(), "staff", password)
        assert not log_in(Client(), "staff", "pw")

    def test_unlock_lets_a_locked_out_clerk_sign_in_again(self, personas):
        _lock_out("staff")
        assert not log_in(Client(), "staff", "pw")
        client = _client(personas.admin)
        response = client.post(reverse("person_unlock", args=[personas.staff.pk]), follow=True)
        assert "已解除" in response.content.decode()
        assert log_in(Client(), "staff", "pw")
        response = client.post(reverse("person_unlock", args=[personas.staff.pk]), follow=True)
        assert "无需解除" in response.content.decode()

    def test_a_stopped_account_cannot_sign_in_until_started_again(self, personas):
        signed_in = _client(personas.staff)
        client = _client(personas.admin)
        response = client.post(reverse("person_active", args=[personas.staff.pk]), {"active": "0"}, follow=True)
        assert "已停用" in response.content.decode()
        assert not log_in(Client(), "staff", "pw")
        assert signed_in.get(reverse("tasks:mine")).status_code == 302  # the open session ends too
        again = client.post(reverse("person_active", args=[personas.staff.pk]), {"active": "0"}, follow=True)
        assert "已是停用状态" in again.content.decode()
        client.post(reverse("person_active", args=[personas.staff.pk]), {"active": "1"})
        assert log_in(Client(), "staff", "pw")


def _api_status(key: str) -> int:
    return Client().get("/api/v1/plans", headers={"Authorization": f"Bearer {key}"}).status_code


@pytest.mark.django_db
class TestTokensEndWithTheAccess:
    def test_the_edit_page_shows_how_many_tokens_are_live(self, personas):
        token_create(user=personas.staff, name="对接一")
        token_create(user=personas.staff, name="对接二")
        revoked, _ = token_create(user=personas.staff, name="已撤销")
        AccessToken.objects.filter(pk=revoked.pk).update(revoked_at=revoked.created_at)
        page = _client(personas.admin).get(reverse("person_edit", args=[personas.staff.pk])).content.decode()
        assert "有效访问令牌：2 个" in page

    def test_a_password_reset_revokes_the_persons_tokens(self, personas):
        _, key = token_create(user=personas.staff, name="对接")
        _, theirs = token_create(user=personas.other_staff, name="别人的")
        response = _client(personas.admin).post(reverse("person_reset", args=[personas.staff.pk]))
        assert "并撤销了其 1 个访问令牌" in response.content.decode()
        assert _api_status(key) == 401
        assert _api_status(theirs) == 200

    def test_stopping_an_account_revokes_its_tokens_and_starting_it_again_does_not_bring_them_back(self, personas):
        _, key = token_create(user=personas.staff, name="对接")
        client = _client(personas.admin)
        url = reverse("person_active", args=[personas.staff.pk])
        response = client.post(url, {"active": "0"}, follow=True)
        assert "并撤销了其 1 个访问令牌" in response.content.decode()
        client.post(url, {"active": "1"})
        assert _api_status(key) == 401
        assert not AccessToken.objects.filter(user=personas.staff, revoked_at__isnull=True).exists()
        page = client.get(reverse("person_edit", args=[personas.staff.pk])).content.decode()
        assert "有效访问令牌：0 个" in page

    def test_an_admin_cannot_stop_their_own_account(self, personas):
        response = _client(personas.admin).post(reverse("person_active", args=[personas.admin.pk]), {"active": "0"})
        assert response.status_code == 409
        assert "不能停用自己的账号" in response.content.decode()
        personas.admin.refresh_from_db()
        assert personas.admin.is_active


def test_names_not_login_names_in_the_header(personas, client):
    personas.staff.first_name = "张三"
    personas.staff.save()
    page = _client(personas.staff).get(reverse("tasks:mine")).content.decode()
    assert "张三" in page and "个人设置" in page
    assert "人员管理" not in page
    assert "人员管理" in _client(personas.admin).get(reverse("tasks:plan_list")).content.decode()


def test_a_new_bureau_admin_has_no_one_elses_people(db):
    bureau = make_bureau("温州市教育局")
    admin = make_user("wz_admin", bureau=bureau, role=Membership.Role.ADMIN)
    response = _client(admin).get(reverse("people_list"))
    assert [p.username for p in response.context["page"].object_list] == ["wz_admin"]


@pytest.mark.django_db
def test_a_one_time_password_is_hashed_lightly_and_again_at_full_strength_at_sign_in(personas, settings):
    """An import of 2,000 people must not hash for minutes; the random password is changed at sign-in anyway."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    response = _client(personas.admin).post(reverse("person_reset", args=[personas.staff.pk]))
    personas.staff.refresh_from_db()
    assert personas.staff.password.startswith("pbkdf2_sha256$1000$")
    assert log_in(Client(), "staff", response.context["password"])
    personas.staff.refresh_from_db()
    assert not personas.staff.password.startswith("pbkdf2_sha256$1000$")
