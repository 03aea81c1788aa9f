from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = "组织机构"

    def ready(self) -> None:
        # The embedded default's broker is a folder (bureau/celery.py), which kombu expects to exist before
        # the first message is written or read; the web process and the worker both pass here.
        if settings.CELERY_BROKER_URL == "filesystem://":
            for folder in settings.CELERY_BROKER_TRANSPORT_OPTIONS.values():
                Path(folder).mkdir(parents=True, exist_ok=True)
