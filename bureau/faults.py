"""What a user sees when the database cannot answer: a Chinese page, never a bare English 500.

A write that waited for SQLite's lock, a PostgreSQL statement or connection that timed out, or a
database that is down are not bugs in the page: they answer 503 with 系统繁忙 and a Retry-After, so
the clerk submits again in a moment. Everything else is the ordinary 500 page."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error

RETRY_AFTER_SECONDS = 5


def _database_busy(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, InterfaceError):
            return True
        if isinstance(exc, OperationalError):
            # On SQLite a missing table is an OperationalError too, and waiting will not fix it.
            return connection.vendor != "sqlite" or "locked" in str(exc)
        exc = exc.__cause__ or exc.__context__
    return False


@requires_csrf_token
def server_error_or_busy(request: HttpRequest) -> HttpResponse:
    """The root urls' handler500."""
    if _database_busy(sys.exc_info()[1]):
        # No request context: its processors would ask the database that just failed.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return server_error(request)
