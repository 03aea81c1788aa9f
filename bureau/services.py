"""Writes to the organisation: bureaus, divisions and accounts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Bureau, Division, DivisionAlias, Membership


class AccountError(ValueError):
    """A request for an account that names something that does not exist."""


@dataclass(frozen=True)
class AccountResult:
    user: object
    created: bool


@transaction.atomic
def account_save(
    *,
    username: str,
    bureau_name: str,
    role: str,
    password: str | None = None,
    division_name: str | None = None,
) -> AccountResult:
    """Create or update one account and its membership."""
    if role not in Membership.Role.values:
        choices = "、".join(Membership.Role.values)
        raise AccountError(f"未知角色“{role}”，可选：{choices}。")
    bureau = Bureau.objects.filter(name=bureau_name).first()
    if bureau is None:
        raise AccountError(f"未找到教育局“{bureau_name}”。")
    division = None
    if division_name:
        division = Division.objects.filter(bureau=bureau).lookup_table().get(division_name)
        if division is None:
            raise AccountError(f"{bureau.name}没有处室/单位“{division_name}”。")
    elif role in (Membership.Role.STAFF, Membership.Role.HEAD):
        raise AccountError("处室人员和处室负责人必须指定所在处室（--division）。")

    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if created and not password:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    person_save(user=user, bureau=bureau, division=division, role=role, password=password)
    return AccountResult(user=user, created=created)


@transaction.atomic(savepoint=False)
def person_save(
    *,
    user,
    bureau: Bureau,
    division: Division | None,
    role: str,
    password: str | None = None,
    must_change_password: bool | None = None,
    profile: dict | None = None,
    group: Group | None = None,
) -> Membership:
    """Place a saved or new account in `bureau` with `role`: the one place the admin role's rules live.
    `profile` sets first_name/email on the user and phone/channel choices on the membership. `group` is
    admin_group(), fetched once by a caller that saves many people (an import)."""
    profile = dict(profile or {})
    user_fields = ["username", "is_staff"]
    for name in ("first_name", "email"):
        if name in profile:
            setattr(user, name, profile.pop(name))
            user_fields.append(name)
    if password:
        user.set_password(password)
        user_fields.append("password")
    # A bureau's admins manage its data through Django admin as well as the app's own pages;
    # they are not superusers, whose reach is every bureau.
    user.is_staff = role == Membership.Role.ADMIN
    new = user.pk is None
    # Only the fields set here: a whole-row save would put back a password changed meanwhile.
    user.save(update_fields=None if new else user_fields)
    if role == Membership.Role.ADMIN:
        user.groups.add(group or admin_group())
    elif not new:
        user.groups.remove(group or admin_group())
    defaults = {"bureau": bureau, "division": division, "role": role, **profile}
    if must_change_password is not None:
        defaults["must_change_password"] = must_change_password
    if new:
        return Membership.objects.create(user=user, **defaults)
    membership = getattr(user, "membership", None) if type(user).membership.is_cached(user) else None
    if membership is not None:
        # Read with the user (an import's preview): one UPDATE, not update_or_create's four queries.
        for name, value in defaults.items():
            setattr(membership, name, value)
        membership.save(update_fields=list(defaults))
        return membership
    membership, _ = Membership.objects.update_or_create(user=user, defaults=defaults)
    return membership


def admin_group() -> Group:
    """The group that gives bureau admins every permission on the app's own models."""
    group, _ = Group.objects.get_or_create(name="管理员")
    permissions = Permission.objects.filter(content_type__app_label__in=["bureau", "tasks"])
    if group.permissions.count() != permissions.count():
        group.permissions.set(permissions)
    return group


@transaction.atomic
def organisation_load(data: dict) -> tuple[int, int]:
    """Ensure the bureaus and divisions described by `data` exist; returns how many were created."""
    bureaus_created = divisions_created = 0
    for entry in data["bureaus"]:
        parent = Bureau.objects.get(name=entry["parent"]) if entry.get("parent") else None
        bureau, created = Bureau.objects.get_or_create(
            name=entry["name"],
            defaults={"short_name": entry.get("short_name", ""), "level": entry.get("level", "city"), "parent": parent},
        )
        bureaus_created += created
        for spec in entry.get("divisions", []):
            division, created = Division.objects.get_or_create(
                bureau=bureau,
                name=spec["name"],
                defaults={"kind": spec.get("kind", Division.Kind.INTERNAL)},
            )
            divisions_created += created
            for alias in spec.get("aliases", []):
                DivisionAlias.objects.get_or_create(division=division, name=alias)
    return bureaus_created, divisions_created


def demo_accounts_load(data: dict) -> list[dict]:
    """Create or update the demo accounts listed in `data` (all with its demo password)."""
    for account in data["accounts"]:
        account_save(
            username=account["username"],
            bureau_name=account["bureau"],
            division_name=account.get("division"),
            role=account["role"],
            password=data["demo_password"],
        )
    return data["accounts"]
