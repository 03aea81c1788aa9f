"""/account/: everyone's own name, phone, email and channels."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bureau.models import Membership


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
class TestAccount:
    def test_a_clerk_sets_their_name_phone_email_and_channels(self, personas):
        client = _client(personas.staff)
        page = client.get(reverse("account"))
        assert page.status_code == 200 and "修改密码" in page.content.decode()
        response = client.post(
            reverse("account"),
            {"name": " 张三 ", "phone": "138 0000 0001", "email": "zhang@example.cn", "robot_mentions": "on"},
        )
        assert response.status_code == 302
        personas.staff.refresh_from_db()
        membership = Membership.objects.get(user=personas.staff)
        assert (personas.staff.first_name, personas.staff.email) == ("张三", "zhang@example.cn")
        assert membership.phone == "13800000001"
        assert (membership.email_notifications, membership.robot_mentions) == (False, True)
        # Shown by name from now on.
        assert "张三" in client.get(reverse("account")).content.decode()

    def test_a_bad_phone_or_email_is_refused_and_nothing_is_written(self, personas):
        client = _client(personas.staff)
        response = client.post(reverse("account"), {"name": "张三", "phone": "12345", "email": "x@"})
        assert response.status_code == 400
        assert "手机号格式不对" in response.content.decode()
        personas.staff.refresh_from_db()
        assert personas.staff.first_name == ""

    def test_an_email_longer_than_the_column_is_refused_not_a_server_error(self, personas):
        email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".cn"  # 311 characters, a valid address
        response = _client(personas.staff).post(reverse("account"), {"name": "张三", "email": email})
        assert response.status_code == 400
        assert "254" in response.content.decode()
        personas.staff.refresh_from_db()
        assert personas.staff.email == ""

    def test_role_and_division_are_not_ones_own_to_change(self, personas):
        _client(personas.staff).post(reverse("account"), {"name": "张三", "role": "admin", "division": ""})
        membership = Membership.objects.get(user=personas.staff)
        assert (membership.role, membership.division) == ("staff", personas.division)

    def test_a_superuser_without_a_bureau_edits_name_and_email(self, db):
        root = get_user_model().objects.create_superuser("root", password="pw")
        client = _client(root)
        assert "手机" not in client.get(reverse("account")).content.decode().split("<form", 1)[1].split("</form>")[0]
        response = client.post(reverse("account"), {"name": "系统管理员", "email": "root@example.cn"})
        assert response.status_code == 302
        root.refresh_from_db()
        assert (root.first_name, root.email) == ("系统管理员", "root@example.cn")

    def test_anonymous_are_sent_to_log_in(self, client):
        response = client.get(reverse("account"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
class TestTheForcedPasswordChange:
    def _forced(self, personas) -> Client:
        personas.staff.set_password("Kp7x-Qm3R-8vTz")
        personas.staff.save()
        Membership.objects.filter(user=personas.staff).update(must_change_password=True)
        return _client(personas.staff)

    def test_the_one_time_password_cannot_be_kept_as_the_new_one(self, personas):
        client = self._forced(personas)
        same = "Kp7x-Qm3R-8vTz"
        response = client.post(
            reverse("password_change"), {"old_password": same, "new_password1": same, "new_password2": same}
        )
        assert response.status_code == 200
        assert "新密码不能与管理员给出的一次性密码相同。" in response.content.decode()
        assert Membership.objects.get(user=personas.staff).must_change_password

    def test_another_password_ends_the_one_time_one(self, personas):
        client = self._forced(personas)
        new = "Zhejiang-2026!"
        response = client.post(
            reverse("password_change"), {"old_password": "Kp7x-Qm3R-8vTz", "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 302
        assert not Membership.objects.get(user=personas.staff).must_change_password

    def test_without_the_flag_the_same_password_is_djangos_business(self, personas):
        personas.staff.set_password("Kp7x-Qm3R-8vTz")
        personas.staff.save()
        same = "Kp7x-Qm3R-8vTz"
        response = _client(personas.staff).post(
            reverse("password_change"), {"old_password": same, "new_password1": same, "new_password2": same}
        )
        assert response.status_code == 302
