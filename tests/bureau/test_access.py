import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.access import area_ids, visible_bureau_ids
from bureau.models import Bureau, Membership
from tests.helpers import make_bureau


@pytest.mark.django_db
class TestAreaIds:
    def test_a_leaders_own_area_is_their_reach_read_once(self, personas):
        town = make_bureau("路桥区教育局", parent=personas.bureau)
        leader = personas.leader
        visible_bureau_ids(leader)  # as the dashboard has, checking the leader's reach
        with CaptureQueriesContext(connection) as captured:
            area = area_ids(leader, personas.bureau.pk)
        assert sorted(area) == sorted(Bureau.objects.area(personas.bureau.pk))
        assert set(area) == {personas.bureau.pk, personas.district.pk, town.pk}
        assert captured.captured_queries == []

    def test_another_bureaus_area_is_its_own(self, personas):
        make_bureau("某区教育局", parent=personas.other_bureau)
        assert area_ids(personas.leader, personas.district.pk) == [personas.district.pk]
        root = get_user_model().objects.create_superuser("root", password="pw")
        # A superuser who is also the city's leader sees every bureau: their city's area is still the city.
        Membership.objects.create(user=root, bureau=personas.bureau, role=Membership.Role.LEADER)
        city = sorted([personas.bureau.pk, personas.district.pk])
        assert sorted(area_ids(root, personas.bureau.pk)) == city
        # A division's staff see only their own bureau: the area asked for is still the whole city.
        assert sorted(area_ids(personas.staff, personas.bureau.pk)) == city
