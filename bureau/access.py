"""Who may see and do what, in one place for every app's views."""

from __future__ import annotations

import functools

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import get_object_or_404

from . import changes
from .models import Bureau, Division, Membership


def membership_of(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def is_admin(user) -> bool:
    membership = membership_of(user)
    return user.is_superuser or (membership is not None and membership.role == Membership.Role.ADMIN)


def managed_bureau_ids(user) -> list[int] | None:
    """The bureaus whose people, robots and outgoing messages the user manages: a bureau admin their own
    bureau, the superuser every bureau (None); nobody else any."""
    if user.is_superuser:
        return None
    membership = membership_of(user)
    return [membership.bureau_id] if membership and membership.role == Membership.Role.ADMIN else []


def managed_bureau_ids_or_403(user, refusal: str) -> list[int] | None:
    """managed_bureau_ids(), or 403 with `refusal` for someone who administers no bureau."""
    ids = managed_bureau_ids(user)
    if ids == []:
        raise PermissionDenied(refusal)
    return ids


def managed_or_404(user, queryset, pk: int, refusal: str):
    """The row `pk` of `queryset` (whose rows have a bureau) for its bureau's admin: 404 when the user may not
    see its bureau, 403 with `refusal` when they see it but do not administer it."""
    visible = visible_bureau_ids(user)
    row = get_object_or_404(queryset if visible is None else queryset.filter(bureau_id__in=visible), pk=pk)
    managed = managed_bureau_ids(user)
    if managed is not None and row.bureau_id not in managed:
        raise PermissionDenied(refusal)
    return row


def visible_bureau_ids(user) -> list[int] | None:
    """The bureaus whose data the user may read; None means every bureau (superuser).
    Worked out once per user object, i.e. once a request."""
    if user.is_superuser:
        return None
    if not hasattr(user, "_visible_bureau_ids"):
        membership = membership_of(user)
        ids = [membership.bureau_id] if membership else []
        if membership and membership.is_bureau_wide:
            # A city's leaders also oversee its districts, a province's its cities and theirs.
            ids += bureaus_below(membership.bureau_id)
        user._visible_bureau_ids = ids
    return user._visible_bureau_ids


def bureaus_below(bureau_id: int) -> list[int]:
    """Bureau.objects.below(), kept in the process while everything's version is unchanged: every write to
    the bureaus moves it (only a report's tables are narrowed, changes.NARROWABLE), and reading it costs
    a tenth of the 1 ms the query cost every leader's page."""
    if not changes.settled(connection):  # a tree changed here but not committed is no one else's yet
        return Bureau.objects.below(bureau_id)
    return list(kept_bureaus_below(bureau_id, changes.everything(connection)))


@functools.lru_cache(maxsize=1024)
def kept_bureaus_below(bureau_id: int, everything: int) -> tuple[int, ...]:
    """The bureaus under `bureau_id` as they were at everything's version `everything` (bureaus_below)."""
    return tuple(Bureau.objects.below(bureau_id))


def area_ids(user, bureau_id: int) -> list[int]:
    """Bureau.objects.area(bureau_id): for a leader's own bureau, the reach already worked out for them."""
    membership = membership_of(user)
    if membership and membership.is_bureau_wide and membership.bureau_id == bureau_id and not user.is_superuser:
        return list(visible_bureau_ids(user))  # a copy: the reach itself stays as worked out
    return Bureau.objects.area(bureau_id)


def is_leader(user) -> bool:
    """Leaders and admins act for their whole bureau (and a city's for its districts)."""
    membership = membership_of(user)
    return user.is_superuser or (membership is not None and membership.is_bureau_wide)


def visible_divisions(user):
    """The divisions of the bureaus the user may see (all of them for the superuser)."""
    bureau_ids = visible_bureau_ids(user)
    return Division.objects.all() if bureau_ids is None else Division.objects.filter(bureau_id__in=bureau_ids)
