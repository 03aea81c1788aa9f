"""`load_demo`: the seed documents and demo accounts, again and again without loss."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from bureau.models import Bureau, Division, Membership
from tasks.models import Plan, ProgressReport
from tests.helpers import log_in


@pytest.mark.django_db
def test_load_demo_twice_keeps_the_data_and_prints_working_accounts(client):
    """One test for the whole data step of `make run`: it imports the seeds once, however often it runs."""
    first = StringIO()
    call_command("load_demo", stdout=first)
    counts = (Bureau.objects.count(), Division.objects.count(), Membership.objects.count(), Plan.objects.count())
    reports = ProgressReport.objects.count()
    second = StringIO()
    call_command("load_demo", stdout=second)

    assert (
        Bureau.objects.count(),
        Division.objects.count(),
        Membership.objects.count(),
        Plan.objects.count(),
    ) == counts
    assert ProgressReport.objects.count() == reports > 0
    assert "新建教育局 0 个" in second.getvalue() and "已导入过，跳过" in second.getvalue()
    assert Plan.objects.count() == 6
    assert Bureau.objects.get(name="龙湾区教育局").parent.name == "温州市教育局"

    data = json.loads((settings.BASE_DIR / "fixtures" / "organisation.json").read_text(encoding="utf-8"))
    assert data["demo_password"] in second.getvalue()
    for account in data["accounts"]:
        assert account["username"] in second.getvalue()
        assert log_in(client, account["username"], data["demo_password"])
