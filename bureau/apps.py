from django.apps import AppConfig


class BureauConfig(AppConfig):
    name = "bureau"
    verbose_name = "组织机构"
