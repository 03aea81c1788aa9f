"""Counts kept per bureau, so that a province's roll-up or long list after one district's report counts
that district again and takes the other hundred bureaus' counts as they were.

A bureau's counts are kept under what was asked (the query, the day), the bureau and its data version
with everything's (bureau/changes.py): a write moves the versions of the bureaus whose plans it touches
before it commits, so the next request anywhere counts those bureaus afresh. Kept in each process
(CACHES["figures"]), as pages are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

from bureau import changes

Counts = TypeVar("Counts")


def per_bureau(
    asked: str, bureau_ids: Iterable[int] | None, count: Callable[[list[int]], dict[int, Counts]], nothing: Counts
) -> dict[int, Counts]:
    """{bureau id: counts} for `bureau_ids` (None: every bureau), `count(ids)` giving those of the bureaus
    not kept (a bureau it leaves out has `nothing`). `asked` names the question; it must say everything
    the counts depend on but the bureau's data."""
    if not changes.settled(connection):  # data of its own not yet committed: the versions do not say it
        every = changes.versions(connection) if bureau_ids is None else dict.fromkeys(bureau_ids)
        every.pop(changes.EVERYTHING, None)
        return _counted(count, list(every), nothing)
    versions = changes.versions(connection, bureau_ids)
    everything = versions.pop(changes.EVERYTHING)
    asked = hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()
    keys = {bureau: f"{asked}:{bureau}:{version}:{everything}" for bureau, version in versions.items()}
    store = caches["figures"]
    kept = store.get_many(keys.values())
    missing = [bureau for bureau, key in keys.items() if key not in kept]
    counted = _counted(count, missing, nothing) if missing else {}
    store.set_many({keys[bureau]: counts for bureau, counts in counted.items()})
    return {bureau: kept[key] if key in kept else counted[bureau] for bureau, key in keys.items()}


def _counted(count, bureau_ids: list[int], nothing) -> dict[int, Counts]:
    found = count(bureau_ids)
    return {bureau: found.get(bureau, nothing) for bureau in bureau_ids}
