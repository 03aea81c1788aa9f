"""The organisation's background jobs: delivering the outbox."""

from celery import shared_task
from django.db import OperationalError

from . import outbox

# A database busy for a moment (SQLite's write lock, a PostgreSQL statement timeout) makes the job try
# again within seconds, rather than leave its messages to the minute's sweep.
BUSY_RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 1, "retry_backoff_max": 30, "max_retries": 5}


@shared_task(name="bureau.deliver_messages", **BUSY_RETRY)
def deliver_messages(ids: list[int]) -> dict[str, int]:
    """Deliver these just-written messages (queued when their transaction committed)."""
    return outbox.deliver_many(ids)


@shared_task(name="bureau.deliver_due_messages")
def deliver_due_messages() -> dict[str, int]:
    """Every minute: messages whose retry has come, and any a lost job left behind."""
    return outbox.deliver_due()
