from django.contrib import admin

from bureau.admin_scope import BureauScopedAdmin, ScopedInline
from tasks.models import Task

from .models import Plan, Section


class SectionInline(ScopedInline):
    model = Section
    extra = 0
    fields = ["number", "title", "parent", "order"]
    autocomplete_fields = ["parent"]


class TaskInline(ScopedInline):
    model = Task
    extra = 0
    fields = ["number", "title", "section", "deadline", "deadline_text", "order", "archived"]
    autocomplete_fields = ["section"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(BureauScopedAdmin):
    list_display = ["title", "bureau", "kind", "year_start", "year_end", "document_number", "created_at"]
    list_filter = ["kind", ("bureau", admin.RelatedOnlyFieldListFilter), "year_end"]
    search_fields = ["title", "document_number", "bureau__name"]
    autocomplete_fields = ["bureau"]
    readonly_fields = ["source_sha256", "created_at"]
    inlines = [SectionInline, TaskInline]


@admin.register(Section)
class SectionAdmin(BureauScopedAdmin):
    bureau_path = "plan__bureau"
    list_display = ["__str__", "plan", "order"]
    list_filter = [("plan__bureau", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "plan__title"]
    autocomplete_fields = ["plan", "parent"]
