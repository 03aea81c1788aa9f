"""Tokens for the personas, and a client that sends them."""

import pytest
from django.core.cache import cache
from django.test import Client

from bureau.tokens import token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limit counts in the cache, which outlives a test's database: every test starts uncounted.
    cache.clear()
    yield
    cache.clear()


class Api:
    """GET and POST /api/v1/… with a bearer key (or none)."""

    def __init__(self, key: str | None = None) -> None:
        self.key = key
        self.client = Client()

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self._headers())

    def post(self, path: str, body: dict | None = None):
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json", headers=self._headers())


@pytest.fixture
def api(personas):
    """api("staff") → a client with a fresh token of that persona."""

    def for_role(role: str) -> Api:
        _, key = token_create(user=getattr(personas, role), name=f"{role} 的测试令牌")
        return Api(key)

    return for_role
