"""The organisation's background jobs: delivering the outbox."""

from celery import shared_task

from . import outbox


@shared_task(name="bureau.deliver_messages")
def deliver_messages(ids: list[int]) -> dict[str, int]:
    """Deliver these just-written messages (queued when their transaction committed)."""
    return outbox.deliver_many(ids)


@shared_task(name="bureau.deliver_due_messages")
def deliver_due_messages() -> dict[str, int]:
    """Every minute: messages whose retry has come, and any a lost job left behind."""
    return outbox.deliver_due()
