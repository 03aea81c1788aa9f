import functools
import operator

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, When

from bureau.access import membership_of, visible_divisions
from bureau.models import Bureau, Division

from . import rules
from .formats import heading
from .models import Assignment, Plan, ProgressReport, Section, Status, Task
from .paging import PLAN_ORDER
from .rules import Cycle, Light, not_reported_q, overdue_q, period_end, period_start, unassigned_q

# The value for tasks in no section (as the dashboard's 未分部分 row links them).
NO_SECTION = "none"
# Each word of a search is one more condition: SQLite refuses a statement of a thousand of them, and a LIKE
# pattern past 50,000 bytes.
SEARCH_MAX_WORDS = 20
SEARCH_MAX_LENGTH = 500
ID_MAX = 2**63 - 1  # the largest key a BigAutoField holds
# How many plans or divisions a filter lists before it asks to type part of a name.
CHOICES_SHOWN = 30


def _few_words(value: str) -> None:
    if len(value.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(f"搜索词最多 {SEARCH_MAX_WORDS} 个，请精简后再搜索。", code="too_many_words")


def address_id(value) -> int | None:
    """A row id given in the address, or None for anything a key cannot be."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(ID_MAX))):
        return None
    return int(value) if 0 < int(value) <= ID_MAX else None


class WholeNumberFilter(django_filters.NumberFilter):
    """A row's id or a year: a whole number a key can hold (2026.5 is refused, not read as 2026). A decimal
    filter would send 1e30 to the database, which
    cannot compare it with a key (SQLite raises OverflowError)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class TaskFilter(django_filters.FilterSet):
    """The filters of the task tables; `light` needs a queryset annotated by `with_light()`."""

    q = django_filters.CharFilter(
        label="搜索", method="filter_text", max_length=SEARCH_MAX_LENGTH, validators=[_few_words]
    )
    # Any visible plan or division is accepted (one row read to check it), but the form offers a short
    # list of them (see _offer): a province holds hundreds of plans and thousands of divisions.
    plan = django_filters.ModelChoiceFilter(label="计划", field_name="plan", queryset=Plan.objects.none())
    # A section with sub-sections holds their tasks too, as the dashboard counts them.
    section = django_filters.ChoiceFilter(label="部分", method="filter_section")
    year = WholeNumberFilter(
        label="年度",
        method="filter_year",
        widget=forms.HiddenInput,
        min_value=rules.MIN_YEAR,
        max_value=rules.MAX_YEAR,
    )
    bureau = WholeNumberFilter(label="教育局", field_name="plan__bureau_id", widget=forms.HiddenInput)
    # A bureau and every bureau under it: a province's roll-up row for a city holds its districts.
    area = WholeNumberFilter(label="地区", method="filter_area", widget=forms.HiddenInput)
    division = django_filters.ModelChoiceFilter(
        label="牵头单位", method="filter_division", queryset=Division.objects.none()
    )
    # No longer than the field: a longer name matches no task.
    leader = django_filters.CharFilter(label="责任领导", field_name="leader", lookup_expr="icontains", max_length=100)
    role = django_filters.ChoiceFilter(label="角色", choices=Assignment.Role.choices, field_name="mine_role")
    # distinct=False: a status is one column of the task, no join can repeat a row.
    status = django_filters.MultipleChoiceFilter(
        label="状态", choices=Status.choices, widget=forms.SelectMultiple, distinct=False
    )
    light = django_filters.ChoiceFilter(label="红黄绿灯", choices=Light.choices)
    overdue = django_filters.BooleanFilter(label="仅看逾期", method="filter_overdue", widget=forms.CheckboxInput)
    extended = django_filters.BooleanFilter(label="仅看已延期", method="filter_extended", widget=forms.CheckboxInput)
    not_reported = django_filters.BooleanFilter(
        label="仅看本期未报送", method="filter_not_reported", widget=forms.CheckboxInput
    )
    unassigned = django_filters.BooleanFilter(
        label="仅看未分配", method="filter_unassigned", widget=forms.CheckboxInput
    )
    # A division id, from the dashboard's 进展雷同 figure.
    repeated = WholeNumberFilter(label="进展雷同单位", method="filter_repeated", widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Task
        fields = [
            "q",
            "plan",
            "section",
            "year",
            "bureau",
            "area",
            "division",
            "leader",
            "role",
            "status",
            "light",
            "overdue",
            "extended",
            "not_reported",
            "unassigned",
            "repeated",
        ]

    def __init__(self, *args, plans=None, with_role: bool = False, divisions=None, own_bureau_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        plans = plans if plans is not None else Plan.objects.none()
        self.filters["plan"].queryset = plans
        if with_role:
            # "My tasks" are one division's already.
            del self.filters["division"]
        else:
            del self.filters["role"]
            self.filters["division"].queryset = divisions if divisions is not None else Division.objects.none()
        self.filters["section"].extra["choices"] = self._section_choices(plans)
        self.own_bureau_id = own_bureau_id

    def offer_choices(self) -> None:
        """Short lists for the form's 计划 and 牵头单位: for the page that shows the form, not for the
        export, the API or a background job, which only read the filtered rows."""
        own_bureau_id, fields = self.own_bureau_id, self.form.fields
        # The bureau's own come first; the rest are found by typing part of a name.
        first = Case(When(bureau_id=own_bureau_id, then=0), default=1)

        # Across a province plans share titles (2026年工作要点): another bureau's is named with its bureau.
        def plan_label(plan) -> str:
            return (
                plan.title
                if plan.bureau_id == own_bureau_id
                else f"{plan.bureau.short_name or plan.bureau.name} · {plan.title}"
            )

        ordered_plans = (
            fields["plan"].queryset.annotate(first=first).order_by("first", "-year_end", "bureau__name", "title")
        )
        self._offer("plan", ordered_plans.select_related("bureau"), search=("title", "bureau__name"), label=plan_label)
        if "division" in fields:
            ordered = fields["division"].queryset.annotate(first=first).order_by("first", "bureau__name", "name")
            self._offer("division", ordered.select_related("bureau"), search=("name", "bureau__name"),
                        label=lambda d: f"{d.bureau.short_name or d.bureau.name} · {d.name}")  # fmt: skip

    def _section_choices(self, plans) -> list[tuple[str, str]]:
        """The sections of the plan chosen (or of the section's own plan when only a section is given):
        never every section of every plan the user sees."""
        plan, section = address_id(self.data.get("plan")), address_id(self.data.get("section"))
        if plan:
            sections = Section.objects.filter(plan_id=plan, plan__in=plans)
            if section and not sections.filter(pk=section).exists():
                # A section of the plan chosen before (the plan changed, the section stayed): set aside, not
                # refused, so the new plan's tasks are listed.
                self.data = self.data.copy()
                self.data.pop("section")
        elif section:
            sections = Section.objects.filter(plan__sections=section, plan__in=plans)
        else:
            sections = Section.objects.none()
        return [
            (str(pk), heading(number, title)) for pk, number, title in sections.values_list("pk", "number", "title")
        ] + [(NO_SECTION, "未分部分")]

    def _offer(self, name: str, queryset, *, search: tuple[str, ...], label) -> None:
        """Show the field `name` as a short list: up to CHOICES_SHOWN rows matching the words typed in
        `<name>_q`, and the chosen one; `field.more` says how many more match, so the form asks for a name."""
        field = self.form.fields[name]
        words = str(self.data.get(f"{name}_q", ""))[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_WORDS]
        for word in words:
            queryset = queryset.filter(functools.reduce(operator.or_, (Q(**{f"{f}__icontains": word}) for f in search)))
        shown = list(queryset[: CHOICES_SHOWN + 1])
        more = queryset.count() - CHOICES_SHOWN if len(shown) > CHOICES_SHOWN else 0
        shown = shown[:CHOICES_SHOWN]
        chosen = address_id(self.data.get(name))
        if chosen and chosen not in {row.pk for row in shown}:
            # The chosen row stays offered (and selected) whatever was typed, if the user may see it.
            shown += list(field.queryset.filter(pk=chosen))
        # Set as Django's ModelChoiceField reads them back (django-filter's setter would wrap them in a
        # queryset iterator): the field still validates against its whole queryset.
        field._choices = field.widget.choices = [("", "全部"), *((str(row.pk), label(row)) for row in shown)]
        field.more, field.search = more, " ".join(words)

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(text__icontains=word) | Q(number=word))
        return queryset

    def filter_division(self, queryset, name, value):
        """The tasks a division answers for, as the dashboard counts them."""
        answering = Assignment.objects.acting_leads().filter(division=value).values("task_id")
        return queryset.filter(pk__in=answering)

    def filter_section(self, queryset, name, value):
        if value == NO_SECTION:
            return queryset.filter(section__isnull=True)
        family = dict(Section.objects.filter(plan__sections=value).values_list("pk", "parent_id"))
        chosen, grew = {int(value)}, True
        while grew:
            below = {pk for pk, parent in family.items() if parent in chosen} - chosen
            chosen, grew = chosen | below, bool(below)
        return queryset.filter(section_id__in=chosen)

    def filter_area(self, queryset, name, value):
        return queryset.filter(plan__bureau_id__in=Bureau.objects.area(value))

    def filter_year(self, queryset, name, value):
        """The tasks of the plans running in that year, 工作总结 left out: what the roll-up counts."""
        return queryset.filter(plan__in=Plan.objects.running_in(int(value)))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(rules.today())) if value else queryset

    def filter_extended(self, queryset, name, value):
        return queryset.filter(original_deadline__isnull=False) if value else queryset

    def filter_unassigned(self, queryset, name, value):
        return queryset.filter(unassigned_q()) if value else queryset

    def filter_repeated(self, queryset, name, value):
        """The tasks on which the division sent a report flagged 进展雷同 in the current period, as the
        dashboard counts them."""
        day, in_period = rules.today(), Q()
        for cycle in Cycle.values:
            start = period_start(day, cycle)
            flagged = ProgressReport.objects.repeats_between(start, period_end(start, cycle)).filter(division_id=value)
            in_period |= Q(plan__reporting_cycle=cycle, pk__in=flagged.values("task_id"))
        return queryset.filter(in_period)

    def filter_not_reported(self, queryset, name, value):
        if not value:
            return queryset
        # On "my tasks" it is the user's division that has or has not reported, not the lead.
        field = "mine_period" if "mine_period" in queryset.query.annotations else "reported_period"
        return queryset.filter(not_reported_q(rules.today(), field=field))


def filtered_rows(user, params, queryset=None, *, with_role: bool = False) -> tuple:
    """The tasks `user` sees, narrowed by the list's filters in `params` (a QueryDict), and the filter for
    the form. The pages and the background export both read their rows here, so a file holds the rows
    its page listed."""
    if queryset is None:
        queryset = Task.objects.visible_to(user).current().leaves().with_light().for_list()
    plans = Plan.objects.visible_to(user).exclude(kind=Plan.Kind.SUMMARY)
    membership = membership_of(user)
    task_filter = TaskFilter(
        params or None,
        queryset=queryset,
        plans=plans,
        with_role=with_role,
        divisions=None if with_role else visible_divisions(user),
        own_bureau_id=membership.bureau_id if membership else None,
    )
    rows = task_filter.qs if task_filter.is_bound and task_filter.is_valid() else queryset
    return rows.order_by(*PLAN_ORDER), task_filter


def division_rows(division):
    """我的任务: the division's current tasks, each with the division's role and latest report."""
    return Task.objects.current().leaves().for_division(division).with_light().for_list()
