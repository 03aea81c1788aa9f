"""Paging a task list in its usual order (newest plans first, each plan's tasks in document order) without
sorting every task the user sees: a province's first page sorted 30,000 rows to keep 50."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.utils.functional import cached_property
from django_tables2.rows import BoundRow

from . import figures_cache

PLAN_ORDER = ("-plan__year_end", "plan_id", "order")


def plan_count_query(queryset):
    """(plan id, its year_end, rows) for each plan among `queryset`'s rows, in one grouped query."""
    return queryset.order_by().values_list("plan_id", "plan__year_end").annotate(rows=Count("pk"))


def plan_counts(queryset, bureau_ids: list[int] | None) -> list[tuple[int, int, int]]:
    """plan_count_query's rows for `queryset`, whose plans are all of `bureau_ids` (None: of any bureau),
    each bureau's kept while its data is unchanged (tasks/figures_cache.py): a province's list counts
    again only the bureaus written to since."""
    try:
        asked = f"plan counts {queryset.query.sql_with_params()!r}"
    except EmptyResultSet:
        return []

    def count(bureau_ids: list[int]) -> dict[int, list]:
        by_bureau: dict[int, list] = {}
        rows = (
            queryset.filter(plan__bureau_id__in=bureau_ids)
            .order_by()
            .values_list("plan__bureau_id", "plan_id", "plan__year_end")
            .annotate(rows=Count("pk"))
        )
        for bureau, *row in rows:
            by_bureau.setdefault(bureau, []).append(tuple(row))
        return by_bureau

    return [row for rows in figures_cache.per_bureau(asked, bureau_ids, count, []).values() for row in rows]


class PlanOrderPaginator(Paginator):
    """For rows ordered by PLAN_ORDER: counts the rows of each plan in one grouped query, then reads a
    page from the few plans it falls in, through the (plan, order) index. Rows of the plans of several
    bureaus, `bureau_ids` (None: any), are counted bureau by bureau when `per_bureau` (plan_counts)."""

    def __init__(
        self, rows, per_page, *, per_bureau: bool = False, bureau_ids: list[int] | None = None, **kwargs
    ) -> None:
        # `rows` are django-tables2's BoundRows over the filtered queryset.
        self.table, self.queryset = rows.table, rows.data.data
        self.per_bureau, self.bureau_ids = per_bureau, bureau_ids
        super().__init__(rows, per_page, **kwargs)

    @cached_property
    def plan_counts(self) -> list[tuple[int, int]]:
        """(plan id, rows) in the list's order."""
        counts = plan_counts(self.queryset, self.bureau_ids) if self.per_bureau else plan_count_query(self.queryset)
        return [(pk, rows) for pk, _, rows in sorted(counts, key=lambda count: (-count[1], count[0]))]

    @cached_property
    def count(self) -> int:
        return sum(rows for _, rows in self.plan_counts)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        plans, before, seen = [], 0, 0
        for plan_id, rows in self.plan_counts:
            if seen + rows > bottom and seen < top:
                before = before if plans else seen
                plans.append(plan_id)
            seen += rows
        records = self.queryset.filter(plan_id__in=plans)[bottom - before : top - before] if plans else []
        return Page([BoundRow(record, table=self.table) for record in records], number, self)
