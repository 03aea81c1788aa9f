# The worker's app is loaded with Django, so that a job queued by a page finds its configuration.
from .celery import app as celery_app

__all__ = ["celery_app"]
