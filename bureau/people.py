"""A bureau's people as its admin manages them: who they are, whether they can sign in, and the writes —
accounts made with a one-time password, reset, unlocked, stopped, and imported from a sheet."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from .models import Bureau, Division, Membership, person_name
from .people_reader import ParsedPerson
from .services import admin_group, person_save
from .tokens import tokens_revoke_all

ONE_TIME_ITERATIONS = 1_000
# No 0/O, 1/l/I: a password read out over the phone.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet


# ---------------------------------------------------------------- reads


def people_managed(bureau_ids: list[int] | None) -> QuerySet:
    """The accounts placed in these bureaus (every bureau for None), superusers never: they are the
    deployment's, not a bureau's."""
    users = get_user_model().objects.filter(membership__isnull=False, is_superuser=False)
    if bureau_ids is not None:
        users = users.filter(membership__bureau_id__in=bureau_ids)
    return users


def with_states(users: QuerySet) -> QuerySet:
    """Each user with its membership, bureau and division, and `locked`: django-axes counts enough failed
    logins for the name within the cool-off (from any address)."""
    attempts = AccessAttempt.objects.filter(
        username=OuterRef("username"), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return users.select_related("membership", "membership__bureau", "membership__division").annotate(
        locked=Exists(attempts)
    )


def people_search(users: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return users
    return users.filter(
        Q(first_name__icontains=text) | Q(username__icontains=text) | Q(membership__phone__icontains=text)
    )


def people_ordered(users: QuerySet) -> QuerySet:
    """By bureau, then the bureau-wide (no division) first, then division, then name."""
    return users.order_by(
        "membership__bureau__name",
        F("membership__division__name").asc(nulls_first=True),
        "first_name",
        "username",
    )


# ---------------------------------------------------------------- writes


def one_time_hash(password: str) -> str:
    """The stored hash of a one-time password. With the default PBKDF2 hasher, at fewer rounds than a chosen
    password gets: an import of 2,000 people would otherwise hash for many minutes in one request. The
    password is random (twelve characters of 55, about 69 bits), so the rounds add nothing an attacker could
    use; Django hashes it again at full strength at the first sign-in, which must then change it anyway."""
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=ONE_TIME_ITERATIONS)
    return make_password(password)


def one_time_password() -> str:
    """Twelve characters in three groups (Kp7x-Qm3R-8vTz): read out once, changed at the first sign-in."""
    while True:
        text = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            return "-".join(text[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class PersonFields:
    username: str
    name: str
    bureau: Bureau
    division: Division | None
    role: str
    phone: str = ""
    email: str = ""


@transaction.atomic(savepoint=False)  # no savepoint per person in an import of thousands
def person_create(fields: PersonFields, *, group: Group | None = None) -> tuple[object, str]:
    """A new account with a one-time password; returns the user and the password, which is kept nowhere.
    `group`: the admin group, when the caller has it already."""
    password = one_time_password()
    user = get_user_model()(username=fields.username, password=one_time_hash(password))
    person_save(
        user=user,
        bureau=fields.bureau,
        division=fields.division,
        role=fields.role,
        must_change_password=True,
        profile=_profile(fields),
        group=group,
    )
    return user, password


@transaction.atomic(savepoint=False)
def person_update(user, fields: PersonFields, *, group: Group | None = None) -> None:
    user.username = fields.username
    person_save(
        user=user,
        bureau=fields.bureau,
        division=fields.division,
        role=fields.role,
        profile=_profile(fields),
        group=group,
    )


def _profile(fields: PersonFields) -> dict:
    return {"first_name": fields.name, "email": fields.email, "phone": fields.phone}


@transaction.atomic
def password_reset(user) -> tuple[str, int]:
    """A new one-time password, to be changed at the next sign-in; a lockout of the name is cleared with it,
    and the person's API tokens are revoked (whoever knew the old password may have made one). Returns the
    password and how many tokens were revoked."""
    password = one_time_password()
    user.password = one_time_hash(password)
    user.save(update_fields=["password"])
    Membership.objects.filter(user=user).update(must_change_password=True)
    lockout_clear(user.username)
    return password, tokens_revoke_all(user)


def lockout_clear(username: str) -> int:
    """How many of django-axes' records of failed logins for the name were removed (every address)."""
    return axes_reset(username=username)


@transaction.atomic
def active_set(user, active: bool) -> tuple[bool, int]:
    """Whether anything changed, and how many API tokens were revoked: a stopped account cannot sign in,
    its sessions end at once (the backends refuse an inactive user) and its tokens are revoked, so that
    starting it again does not bring back keys handed out before."""
    if user.is_active == active:
        return False, 0
    user.is_active = active
    user.save(update_fields=["is_active"])
    return True, 0 if active else tokens_revoke_all(user)


# ---------------------------------------------------------------- import: preview and write

CREATE, UPDATE, ERROR = "create", "update", "error"
ACTION_LABELS = {CREATE: "新建", UPDATE: "更新", ERROR: "错误"}


@dataclass
class PreviewRow:
    person: ParsedPerson
    action: str
    errors: list[str] = field(default_factory=list)
    division: Division | None = None
    user: object = None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def role_label(self) -> str:
        return Membership.Role(self.person.role).label if self.person.role else self.person.role_word


def people_preview(*, bureau: Bureau, rows: list[ParsedPerson], acting_user) -> list[PreviewRow]:
    """What importing `rows` into `bureau` would do to each: 新建, 更新 (the login name is this bureau's),
    or 错误 with why. Three queries whatever the number of rows."""
    divisions = Division.objects.filter(bureau=bureau).lookup_table()
    # Looked up without regard to case, as the person form checks a name: "Zhang" is not a new account
    # beside "zhang". Accounts made before that rule may still differ only by case: all are kept.
    names = {row.username.lower() for row in rows if row.username}
    existing: dict[str, list] = {}
    users = (
        get_user_model()
        .objects.annotate(username_lower=Lower("username"))
        .filter(username_lower__in=names)
        .select_related("membership")
    )
    for user in users:
        existing.setdefault(user.username_lower, []).append(user)
    preview = []
    for row in rows:
        errors = list(row.errors)
        division = divisions.get(row.division) if row.division else None
        if row.division and division is None:
            errors.append(f"未知处室“{row.division}”")
        elif not row.division and row.role in (Membership.Role.STAFF, Membership.Role.HEAD):
            errors.append("处室人员和处室负责人须填写处室")
        same = existing.get(row.username.lower(), []) if row.username else []
        user = next((u for u in same if u.username == row.username), same[0] if len(same) == 1 else None)
        if same and user is None:
            # Several accounts differ from it only by case: which one is meant is not ours to guess.
            errors.append(f"登录名“{row.username}”与已有账号仅大小写不同，请改用其他登录名")
        if user is not None:
            membership = getattr(user, "membership", None)
            if user.is_superuser or membership is None:
                errors.append(f"登录名“{row.username}”已被系统账号使用")
            elif membership.bureau_id != bureau.pk:
                errors.append(f"登录名“{row.username}”已被其他教育局使用")
            elif user.pk == acting_user.pk:
                errors.append("不能通过导入修改自己的账号")
        action = ERROR if errors else (UPDATE if user is not None else CREATE)
        preview.append(PreviewRow(person=row, action=action, errors=errors, division=division, user=user))
    return preview


@dataclass
class ImportResult:
    created: list[tuple[str, str, str]]  # (姓名, 登录名, one-time password)
    updated: int
    skipped: list[PreviewRow]


@transaction.atomic
def people_import(*, bureau: Bureau, rows: list[ParsedPerson], acting_user) -> ImportResult:
    """Write the rows without errors, all in one transaction; rows with errors are left out (the page says
    so before the admin confirms). Checked again here: the database may have changed since the preview."""
    result = ImportResult(created=[], updated=0, skipped=[])
    group = admin_group()  # once, not per person: it is a get_or_create and two counts
    for item in people_preview(bureau=bureau, rows=rows, acting_user=acting_user):
        row = item.person
        if item.action == ERROR:
            result.skipped.append(item)
            continue
        fields = PersonFields(
            # An update keeps the person's login name as it is, when the sheet spells it in other letters.
            username=item.user.username if item.action == UPDATE else row.username,
            name=row.name,
            bureau=bureau,
            division=item.division,
            role=row.role,
            phone=row.phone,
            email=row.email,
        )
        if item.action == UPDATE:
            person_update(item.user, fields, group=group)
            result.updated += 1
        else:
            user, password = person_create(fields, group=group)
            result.created.append((person_name(user), user.username, password))
    return result


def rows_dump(rows: list[ParsedPerson]) -> list[dict]:
    """The parsed rows as the session keeps them between preview and confirm."""
    return [asdict(row) for row in rows]


def rows_load(data: list[dict]) -> list[ParsedPerson]:
    return [ParsedPerson(**row) for row in data]
