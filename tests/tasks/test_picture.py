"""The dashboard's picture is built outside the view: its JSON carries the page's own figures."""

import json

import pytest
from django.urls import reverse

from tasks.picture import plan_picture

from .test_dashboard import TODAY, data, figures  # noqa: F401 - the fixture is used by name


@pytest.mark.django_db
def test_the_pictures_json_carries_exactly_the_figures_the_page_shows(client, personas, data):  # noqa: F811
    plan, _ = data
    client.force_login(personas.leader)
    page = client.get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()

    picture = json.loads(json.dumps(plan_picture(plan, TODAY).as_json(), ensure_ascii=False))

    assert {f["label"]: (str(f["value"]), f["url"]) for f in picture["figures"]} == figures(page)
    assert {row["name"]: row["led"] for row in picture["divisions"]} == {"基教处": 4, "督导处": 4}
    assert len(picture["chart"]["trend"]["weeks"]) == 26
