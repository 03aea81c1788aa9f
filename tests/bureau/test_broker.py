"""A broker that hangs costs the page that queues a job a few seconds, never the request."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUEUE_ONE = (
    "import django, time; django.setup()\n"
    "from bureau.jobs import deliver_messages\n"
    "started = time.monotonic()\n"
    "try:\n"
    "    deliver_messages.delay([1])\n"
    "except Exception as exc:\n"
    "    print('refused', type(exc).__name__)\n"
    "print(round(time.monotonic() - started, 1))\n"
)


def test_queueing_on_a_redis_that_never_answers_gives_up_within_seconds():
    listener = socket.create_server(("127.0.0.1", 0))
    held = []
    threading.Thread(target=lambda: held.extend(listener.accept()[0] for _ in range(20)), daemon=True).start()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "bureau.settings",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
        "PYTHONPATH": str(ROOT),
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", QUEUE_ONE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    listener.close()
    assert result.returncode == 0, result.stderr
    refused, seconds = result.stdout.split("\n")[:2]
    assert refused.startswith("refused")  # the outbox logs it and its sweep sends the message later
    assert float(seconds) < 8 and time.monotonic() - started < 30
