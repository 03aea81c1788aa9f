"""Shared personas: two bureaus, two divisions, and one person in each role."""

import os
from dataclasses import dataclass

import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

from bureau.access import kept_bureaus_below
from bureau.celery import app as celery_app
from bureau.models import Bureau, Division, Membership
from tasks.page_cache import kept_objects

from .helpers import make_bureau, make_division, make_user
from .mail_server import hanging_smtp  # noqa: F401 -- a mail server that never answers
from .robot_server import robot_server  # noqa: F401 -- the stand-in robot endpoints, for any test

# CI runs the property tests derandomised, so that a landing never depends on luck; locally they search
# afresh each run (pin what they find as @example).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")
# Jobs run where they are queued, after the transaction that queued them commits; tests/test_worker.py
# runs a real worker against Redis.
celery_app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Each test counts its own queries: none answered by what an earlier test left kept.
    caches["figures"].clear()
    caches["fragments"].clear()
    caches["rows"].clear()
    kept_objects.clear()
    kept_bureaus_below.cache_clear()


@dataclass
class Personas:
    bureau: Bureau
    district: Bureau
    other_bureau: Bureau
    division: Division
    other_division: Division
    admin: object
    leader: object
    head: object
    staff: object
    other_staff: object
    other_leader: object


@pytest.fixture
def personas(db) -> Personas:
    bureau = make_bureau("台州市教育局")
    district = make_bureau("椒江区教育局", parent=bureau)
    other_bureau = make_bureau("衢州市教育局")
    division = make_division(bureau, "基教处")
    other_division = make_division(bureau, "督导处")
    return Personas(
        bureau=bureau,
        district=district,
        other_bureau=other_bureau,
        division=division,
        other_division=other_division,
        admin=make_user("admin", bureau=bureau, role=Membership.Role.ADMIN),
        leader=make_user("leader", bureau=bureau, role=Membership.Role.LEADER),
        head=make_user("head", bureau=bureau, role=Membership.Role.HEAD, division=division),
        staff=make_user("staff", bureau=bureau, role=Membership.Role.STAFF, division=division),
        other_staff=make_user("other_staff", bureau=bureau, role=Membership.Role.STAFF, division=other_division),
        other_leader=make_user("other_leader", bureau=other_bureau, role=Membership.Role.LEADER),
    )
