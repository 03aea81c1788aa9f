import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
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


@pytest.mark.django_db(transaction=True)
class TestKeptReach:
    """A leader's reach is kept between requests while everything's version stands (the tree's writes move it)."""

    def reach(self, user) -> set[int]:
        fresh = get_user_model().objects.select_related("membership").get(pk=user.pk)  # as a new request has
        return set(visible_bureau_ids(fresh))

    def test_is_read_once_and_then_from_what_was_kept(self, personas):
        assert self.reach(personas.leader) == {personas.bureau.pk, personas.district.pk}
        with CaptureQueriesContext(connection) as captured:
            self.reach(personas.leader)
        assert not any('"bureau_bureau"' in query["sql"] for query in captured.captured_queries)

    def test_follows_a_bureau_added_moved_or_removed_at_once(self, personas):
        self.reach(personas.leader)
        town = make_bureau("路桥区教育局", parent=personas.bureau)
        assert self.reach(personas.leader) == {personas.bureau.pk, personas.district.pk, town.pk}
        Bureau.objects.filter(pk=town.pk).update(parent=personas.other_bureau)
        assert self.reach(personas.leader) == {personas.bureau.pk, personas.district.pk}
        assert town.pk in self.reach(personas.other_leader)
        personas.district.delete()
        assert self.reach(personas.leader) == {personas.bureau.pk}

    def test_a_tree_changed_but_not_committed_is_not_kept(self, personas):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_bureau("路桥区教育局", parent=personas.bureau)
            assert len(self.reach(personas.leader)) == 3  # this connection sees its own write…
            raise RuntimeError("rolled back")
        assert self.reach(personas.leader) == {personas.bureau.pk, personas.district.pk}  # …no one keeps it
