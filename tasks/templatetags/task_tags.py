from django import template

from tasks.models import Status

register = template.Library()


@register.filter
def status_label(value: str | None) -> str:
    """未启动 for "not_started"; empty for no status."""
    return Status(value).label if value else ""
