"""Whole pages kept for the next identical request while nothing they can show has changed.

A page is kept under its address, its reader (user, CSRF secret, unread count), the day (lights and
overdue turn at midnight) and the data versions of every bureau the reader can see (bureau/changes.py),
read from the database on each request: a write on any server moves them before it commits, so the
next request anywhere misses and draws the page afresh. A page that shows one division's tasks or one
task is keyed on that division's or task's version instead, which a report on another task leaves
alone. A piece of a page drawn from what only writes other than reports change (the list's filter form:
bureaus, divisions, plans, sections) is kept under everything's version (`kept_fragment`), so a page
drawn afresh after a report draws it no more; so is the list's built query (`kept_object`). A list's rows
are kept under their tasks' versions and a task page's reports, which never change, as drawn
(`kept_pieces`): a page drawn afresh after a report writes again only what the report changed. All are
kept in each process (CACHES["pages"], CACHES["fragments"], CACHES["rows"], kept_objects).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial, wraps

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from bureau import changes
from bureau.access import membership_of, visible_bureau_ids

from . import rules
from .context_processors import unread_notifications

# Headers the view set that a kept page answers with again; cookies are never kept.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options")


def cached_page(view=None, *, scopes: Callable[..., list[int] | None] | None = None):
    """Serves `view`'s 200 answer to a GET from the cache while the data behind it is unchanged.
    `scopes(request, *args, **kwargs)` names the versions the page is keyed on when it shows less than
    the reader's bureaus (None from it: those bureaus)."""
    if view is None:
        return partial(cached_page, scopes=scopes)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        pages = caches["pages"]
        key = _key(request, scopes and scopes(request, *args, **kwargs))
        kept = pages.get(key)
        if kept is not None:
            content, headers = kept
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if _keepable(request, response):
            pages.set(key, (response.content, {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}))
        return response

    return wrapper


def _cacheable(request: HttpRequest) -> bool:
    # A notice waiting to be shown is shown once; a connection with writes of its own not yet committed
    # reads data the versions do not describe; a page's forms carry a token for the reader's CSRF secret,
    # which a reader without one is given only as the page is drawn.
    storage = getattr(request, "_messages", None)
    waiting = storage is not None and len(storage)
    return (
        request.method in ("GET", "HEAD")
        and bool(request.META.get("CSRF_COOKIE"))
        and not waiting
        and changes.settled(connection)
    )


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    storage = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (storage is not None and len(storage))  # no notice was given while it was drawn
        and changes.settled(connection)
    )


def _reach(request: HttpRequest) -> list[int] | None:
    """The bureaus the reader sees, their own among them."""
    membership = membership_of(request.user)
    reach = visible_bureau_ids(request.user)
    if reach is not None and membership is not None:
        reach = sorted({*reach, membership.bureau_id})
    return reach


def _reader(request: HttpRequest) -> tuple:
    """Who reads, and what they may do and see, as read before the versions: a change committed
    meanwhile is in neither."""
    user = request.user
    membership = membership_of(user)
    return (
        getattr(request, "LANGUAGE_CODE", ""),
        user.pk,
        (user.is_superuser, user.is_staff),
        membership and (membership.role, membership.bureau_id, membership.division_id),
        _reach(request),
    )


def _key(request: HttpRequest, scopes: list[int] | None) -> str:
    reach = _reach(request)
    parts = (
        request.get_full_path(),
        request.method == "HEAD",
        request.headers.get("HX-Request"),
        request.headers.get("HX-Target"),
        request.headers.get("HX-Boosted"),
        _reader(request),
        request.META["CSRF_COOKIE"],
        unread_notifications(request).get("unread_count"),
        rules.today().isoformat(),
        scopes,
        changes.version(connection, reach if scopes is None else scopes),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def my_division_scopes(request: HttpRequest, *args, **kwargs) -> list[int] | None:
    """The scopes of a page of the reader's division's own tasks (我的任务)."""
    membership = membership_of(request.user)
    if membership is None or membership.division_id is None:
        return None
    return [changes.division_scope(membership.division_id)]


def task_page_scopes(request: HttpRequest, pk: int, *args, **kwargs) -> list[int]:
    """The scopes of a task's page."""
    return [changes.task_scope(pk)]


def fragment_key(request: HttpRequest, *, ignore: Iterable[str] = ()) -> str | None:
    """The key of a piece of the page drawn from no table a report writes (changes.NARROWABLE): its
    reader, address (its parameters but `ignore`) and everything's version, read before the piece's data
    is (None while the connection has writes of its own uncommitted). See kept_fragment()."""
    if not changes.settled(connection):
        return None
    parts = (
        request.path,
        sorted((name, request.GET.getlist(name)) for name in request.GET if name not in ignore),
        _reader(request),
        changes.everything(connection),
    )
    return "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept_fragment(key: str | None, draw: Callable[[], str]) -> SafeString:
    """`draw()`'s HTML, kept under `key` (fragment_key()) when there is one."""
    html = caches["fragments"].get(key) if key else None
    if html is None:
        html = str(draw())
        if key:
            caches["fragments"].set(key, html)
    return mark_safe(html)  # noqa: S308 -- drawn by a template, kept as drawn


class _KeptObjects:
    """Objects kept as they are, unpickled, in this process: the newest `size` of them."""

    def __init__(self, size: int) -> None:
        self.size, self.objects, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str):
        with self.lock:
            kept = self.objects.get(key)
            if kept is not None:
                self.objects.move_to_end(key)
            return kept

    def set(self, key: str, value) -> None:
        with self.lock:
            self.objects[key] = value
            self.objects.move_to_end(key)
            while len(self.objects) > self.size:
                self.objects.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.objects.clear()


# A list's built filter query takes some 120 KB: the default 100 of them, 12 MB a process.
kept_objects = _KeptObjects(settings.KEPT_QUERY_ENTRIES)


def kept_object(key: str | None, build: Callable[[], object]):
    """`build()`'s result, kept as it is under `key` (fragment_key()) when there is one: for what costs more
    to unpickle than to keep (a built QuerySet: 1.7 ms to unpickle, 5 ms to build). Never change it."""
    kept = kept_objects.get(key) if key else None
    if kept is None:
        kept = build()
        if key:
            kept_objects.set(key, kept)
    return kept


def kept_rows(key: str | None, tasks: list, draw: Callable[[list], list[str]]) -> list[str]:
    """Each task's row as `draw(tasks)` writes them, kept under `key` (as kept_object's, read before the
    rows were), the task and its `data_version` (read with its row, TaskQuerySet.with_data_version): a
    list drawn afresh after a report writes again only the rows of the tasks it changed."""
    return kept_pieces(key, tasks, draw, version=lambda task: task.data_version)


def kept_pieces(
    key: str | None, objects: list, draw: Callable[[list], list[str]], *, version: Callable | None = None
) -> list[str]:
    """Each object's piece of a page as `draw(objects)` writes them, kept under `key` (None: not kept), the
    object and its `version(object)` (None: it never changes but by what moves `key`), in CACHES["rows"];
    draw() is given only the objects whose pieces are not kept."""
    if not key:
        return draw(objects)
    # The moments in a piece are shown in the current time zone.
    zone = timezone.get_current_timezone_name()
    keys = [
        "piece:" + hashlib.sha256(repr((key, zone, item.pk, version and version(item))).encode()).hexdigest()
        for item in objects
    ]
    cache = caches["rows"]
    kept = cache.get_many(keys)
    missing = [(piece_key, item) for piece_key, item in zip(keys, objects, strict=True) if piece_key not in kept]
    if missing:
        drawn = dict(zip((piece_key for piece_key, _ in missing), draw([item for _, item in missing]), strict=True))
        cache.set_many(drawn)
        kept |= drawn
    return [kept[piece_key] for piece_key in keys]


def report_items_key(request: HttpRequest) -> str | None:
    """The key a task page's reports are kept under (kept_pieces): a report is never changed, so they
    are drawn again only when what they name (a division, an author, a target) may have, which moves
    everything's version, read here before the reports are (None while the connection has writes of its
    own uncommitted)."""
    if not changes.settled(connection):
        return None
    return f"reports {getattr(request, 'LANGUAGE_CODE', '')} {changes.everything(connection)}"
