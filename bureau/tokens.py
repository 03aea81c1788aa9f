"""Personal access tokens for the API: a key shown once to its owner, kept only as its SHA-256."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db.models import Q
from django.utils import timezone

from .models import AccessToken

# A recognisable start: a key pasted where it should not be is easy to spot and to search for.
KEY_PREFIX = "dbn_"
SHOWN_PREFIX = 12  # the characters of the key kept in clear to tell tokens apart (AccessToken.prefix)
MAX_EXPIRY_DAYS = 3650
# A token's last use is written at most this often: a busy client must not write a row per request.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user, name: str, expires_in_days: int | None = None) -> tuple[AccessToken, str]:
    """A new token and its key; the key is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
    token = AccessToken.objects.create(
        user=user, name=name, prefix=key[:SHOWN_PREFIX], key_hash=key_hash(key), expires_at=expires_at
    )
    return token, key


def token_revoke(*, token: AccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def tokens_live(user):
    """The user's tokens neither revoked nor expired (whether the user may sign in aside)."""
    now = timezone.now()
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def tokens_revoke_all(user) -> int:
    """Revoke every live token of the user, as when their password is reset or their account stopped: how
    many were revoked. A revoked token stays revoked, whatever happens to the account later."""
    return tokens_live(user).update(revoked_at=timezone.now())


def token_for_key(key: str) -> AccessToken | None:
    """The usable token the key belongs to, with its user, or None; its last use noted (once a minute)."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    now = timezone.now()
    token = (
        AccessToken.objects.usable(now)
        .select_related("user", "user__membership__division")
        .filter(key_hash=key_hash(key))
        .first()
    )
    if token is not None and (token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY):
        token.last_used_at = now
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_expired_at(key: str) -> datetime.datetime | None:
    """When the key's token expired, if that is all that keeps it from use (not revoked, its owner active):
    the API then says so rather than "invalid"; None otherwise."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    return (
        AccessToken.objects.filter(
            key_hash=key_hash(key), revoked_at__isnull=True, user__is_active=True, expires_at__lte=timezone.now()
        )
        .values_list("expires_at", flat=True)
        .first()
    )


def token_state(token: AccessToken, now: datetime.datetime | None = None) -> str:
    """有效, 已撤销 or 已过期, as the tokens page shows it."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "已撤销"
    if token.expires_at is not None and token.expires_at <= now:
        return "已过期"
    return "有效"
