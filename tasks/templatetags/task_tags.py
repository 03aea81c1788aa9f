from django import template

from tasks.models import Status
from tasks.rules import Light

register = template.Library()


@register.filter
def status_label(value: str | None) -> str:
    """未启动 for "not_started"; empty for no status."""
    return Status(value).label if value else ""


@register.filter
def light_label(value: str | None) -> str:
    """红灯 for "red": the labels the rules define."""
    return Light(value).label if value else ""
