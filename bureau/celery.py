"""The background worker: the outbox, the daily reminders and large exports (Celery).

With CELERY_BROKER_URL=redis://… workers and beat run as their own processes on as many machines as
needed. Without it (the embedded default) the broker is a folder on this machine, and `make run` starts
one worker with beat beside the web server: no other service is needed.

Jobs live in each app's `jobs.py` (tasks/jobs.py, bureau/jobs.py); `tasks.tasks` would read oddly.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")

app = Celery("duban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
