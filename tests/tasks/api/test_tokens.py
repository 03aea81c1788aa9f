"""Personal access tokens: made and revoked by their owner on /account/tokens/, shown once, kept hashed,
and refused once revoked or expired."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from bureau.models import AccessToken
from bureau.tokens import token_create

from .conftest import Api


def _create(client, **data):
    return client.post(reverse("account_tokens"), {"name": "省平台对接", **data})


@pytest.mark.django_db
class TestTheTokensPage:
    def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(self, client, personas):
        client.force_login(personas.staff)
        page = _create(client).content.decode()
        key = page.split('id="token-key">', 1)[1].split("<", 1)[0]
        assert key.startswith("dbn_") and len(key) > 40
        token = AccessToken.objects.get()
        assert token.user == personas.staff and token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        stored = [str(value) for value in AccessToken.objects.values_list().get()]
        assert all(key not in value for value in stored)
        listing = client.get(reverse("account_tokens")).content.decode()
        assert key not in listing and token.prefix in listing and "省平台对接" in listing

    def test_it_lists_only_ones_own_tokens_with_their_state(self, client, personas):
        token_create(user=personas.other_staff, name="别人的令牌")
        expired, _ = token_create(user=personas.staff, name="过期的令牌", expires_in_days=1)
        AccessToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
        token_create(user=personas.staff, name="在用的令牌")
        client.force_login(personas.staff)
        page = client.get(reverse("account_tokens")).content.decode()
        assert "别人的令牌" not in page
        assert "过期的令牌" in page and "已过期" in page and "在用的令牌" in page and "有效" in page

    def test_an_expiry_in_days_is_kept_and_a_bad_one_refused(self, client, personas):
        client.force_login(personas.staff)
        _create(client, expires_in_days=30)
        expires_at = AccessToken.objects.get().expires_at
        assert abs(expires_at - timezone.now() - datetime.timedelta(days=30)) < datetime.timedelta(minutes=1)
        for bad in ("0", "-3", "99999", "明天"):
            response = _create(client, expires_in_days=bad)
            assert response.status_code == 400
        assert _create(client, name="").status_code == 400
        assert AccessToken.objects.count() == 1

    def test_the_owner_revokes_a_token_and_another_users_token_is_not_found(self, client, personas):
        mine, key = token_create(user=personas.staff, name="我的")
        theirs, their_key = token_create(user=personas.other_staff, name="别人的")
        client.force_login(personas.staff)
        assert client.post(reverse("account_token_revoke", args=[theirs.pk])).status_code == 404
        response = client.post(reverse("account_token_revoke", args=[mine.pk]))
        assert response.status_code == 302
        mine.refresh_from_db(), theirs.refresh_from_db()
        assert mine.revoked_at is not None and theirs.revoked_at is None
        assert Api(key).get("/plans").status_code == 401
        assert Api(their_key).get("/plans").status_code == 200


@pytest.mark.django_db
class TestTheApiTakesTokens:
    def test_a_usable_key_is_accepted_and_its_use_noted_at_most_once_a_minute(self, personas):
        token, key = token_create(user=personas.staff, name="对接")
        response = Api(key).get("/plans")
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store, private"  # the owner's data, as on the pages
        token.refresh_from_db()
        first = token.last_used_at
        assert first is not None
        Api(key).get("/plans")
        token.refresh_from_db()
        assert token.last_used_at == first  # within the minute: not written again
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
        Api(key).get("/plans")
        token.refresh_from_db()
        assert token.last_used_at > first

    def test_an_expired_token_says_when_it_expired(self, personas):
        token, key = token_create(user=personas.staff, name="对接", expires_in_days=5)
        token.expires_at = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)
        token.save()
        response = Api(key).get("/tasks")
        assert response.status_code == 401
        assert response.json() == {"detail": "访问令牌已过期（到期时间 2026-03-01 16:30）"}  # Beijing time

    @pytest.mark.parametrize("state", ["revoked", "expired and revoked", "inactive user"])
    def test_a_revoked_token_or_an_inactive_users_is_401_in_chinese(self, personas, state):
        token, key = token_create(user=personas.staff, name="对接", expires_in_days=5)
        if state != "inactive user":
            token.revoked_at = timezone.now()
            if state == "expired and revoked":
                token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
            token.save()
        else:
            personas.staff.is_active = False
            personas.staff.save()
        response = Api(key).get("/tasks")
        assert response.status_code == 401
        assert response.json() == {"detail": "访问令牌无效或已撤销"}
        assert response["WWW-Authenticate"].startswith("Bearer")

    @pytest.mark.parametrize(
        "header", ["Bearer dbn_nosuchkey", "Bearer ", "Basic c3RhZmY6cHc=", "Bearer not-ours", "dbn_x"]
    )
    def test_an_unknown_or_malformed_key_is_401(self, personas, header):
        response = Api().client.get("/api/v1/plans", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.json()["detail"] == "访问令牌无效或已撤销"

    def test_no_key_says_how_to_send_one(self, personas):
        response = Api().get("/plans")
        assert response.status_code == 401
        assert "Authorization: Bearer" in response.json()["detail"]

    def test_a_key_someone_else_guessed_from_the_prefix_is_refused(self, personas):
        _, key = token_create(user=personas.staff, name="对接")
        assert Api(key[:-1] + ("A" if key[-1] != "A" else "B")).get("/plans").status_code == 401

    def test_a_session_is_not_accepted(self, client, personas):
        client.force_login(personas.leader)
        response = client.get("/api/v1/plans")
        assert response.status_code == 401

    def test_a_user_who_must_change_their_password_still_reaches_the_api(self, personas):
        personas.staff.membership.must_change_password = True
        personas.staff.membership.save()
        _, key = token_create(user=personas.staff, name="对接")
        response = Api(key).get("/plans")
        assert response.status_code == 200
