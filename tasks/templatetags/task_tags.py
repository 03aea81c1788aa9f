from django import template

from bureau.models import person_name
from tasks import rules
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


@register.simple_tag(takes_context=True)
def division_rows(context, divisions):
    """{% division_rows divisions %}: the dashboard's division table body (tasks/rows.py)."""
    from tasks import rows  # rows reads this module's labels: imported here, either may load first

    return rows.division_rows(
        divisions, csrf_token=str(context["csrf_token"]), next_path=context["request"].get_full_path()
    )


@register.inclusion_tag("tasks/_light_legend.html")
def light_legend() -> dict:
    """The light's triggers, written from the rules' own numbers."""
    return {
        "labels": dict(Light.choices),
        "due_day": rules.due_day(),
        "behind_by": rules.BEHIND_BY,
        "warning_days": rules.warning_days(),
    }


@register.filter
def person(user, default: str = "—") -> str:
    """{{ report.author|person }}: the person's name (姓名), else their login name; `default` for nobody."""
    return person_name(user) or default
