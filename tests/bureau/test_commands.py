from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from bureau.models import Membership
from tests.helpers import log_in, make_bureau, make_division


def add_user(*args: str) -> str:
    out = StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestAddUser:
    def setup_method(self):
        self.bureau = make_bureau("台州市教育局")
        self.division = make_division(self.bureau, "督导处")
        self.division.aliases.create(name="督导室")

    def test_it_creates_a_staff_account_that_can_log_in(self, client):
        add_user("wang", "--bureau", "台州市教育局", "--division", "督导处", "--role", "staff", "--password", "s3cret!")
        membership = Membership.objects.get(user__username="wang")
        assert (membership.division, membership.role) == (self.division, "staff")
        assert log_in(client, "wang", "s3cret!")

    def test_it_finds_the_division_by_alias(self):
        add_user("li", "--bureau", "台州市教育局", "--division", "督导室", "--role", "head")
        assert Membership.objects.get(user__username="li").division == self.division

    def test_running_it_again_updates_the_role(self):
        add_user("zhao", "--bureau", "台州市教育局", "--division", "督导处", "--role", "staff")
        add_user("zhao", "--bureau", "台州市教育局", "--role", "leader")
        membership = Membership.objects.get(user__username="zhao")
        assert (membership.role, membership.division) == ("leader", None)
        assert get_user_model().objects.filter(username="zhao").count() == 1

    def test_an_admin_gets_the_admin_site_but_is_no_superuser(self):
        add_user("root2", "--bureau", "台州市教育局", "--role", "admin")
        user = get_user_model().objects.get(username="root2")
        assert user.is_staff and not user.is_superuser
        assert user.has_perm("tasks.add_plan") and user.has_perm("tasks.change_task")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--bureau", "不存在教育局", "--role", "leader"], "未找到教育局"),
            (["--bureau", "台州市教育局", "--division", "人事科", "--role", "staff"], "没有处室/单位“人事科”"),
            (["--bureau", "台州市教育局", "--division", "督导处", "--role", "boss"], "未知角色"),
            (["--bureau", "台州市教育局", "--role", "staff"], "必须指定所在处室"),
        ],
    )
    def test_it_refuses_unknown_names_with_exit_code_2(self, args, message):
        with pytest.raises(CommandError) as error:
            add_user("nobody", *args)
        assert error.value.returncode == 2
        assert message in str(error.value)
        assert not get_user_model().objects.filter(username="nobody").exists()
