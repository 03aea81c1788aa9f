from django.contrib import admin

from bureau.admin_scope import BureauScopedAdmin, ScopedInline, ScopedStackedInline

from .models import ActualValue, Assignment, Attachment, Duty, DutyItem, Plan, ProgressReport, Section, Target, Task


class AssignmentInline(ScopedInline):
    model = Assignment
    extra = 0
    fields = ["division", "role", "written_as"]
    autocomplete_fields = ["division"]


class TargetInline(ScopedInline):
    model = Target
    extra = 0
    fields = ["metric", "comparator", "value", "unit", "order"]


class ReadOnlyReportInline(ScopedInline):
    """Reports are append-only; the task page lists them, it does not edit them."""

    model = ProgressReport
    extra = 0
    fields = ["created_at", "division", "period", "status", "percent", "progress"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(BureauScopedAdmin):
    bureau_path = "plan__bureau"
    list_display = ["number", "title", "plan", "deadline", "status", "percent", "archived"]
    list_filter = [
        "status",
        "archived",
        ("plan__bureau", admin.RelatedOnlyFieldListFilter),
        ("plan", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "text", "number"]
    autocomplete_fields = ["plan", "section", "parent"]
    readonly_fields = ["status", "percent", "created_at", "updated_at"]
    list_select_related = ["plan"]
    inlines = [AssignmentInline, TargetInline, ReadOnlyReportInline]


@admin.register(Assignment)
class AssignmentAdmin(BureauScopedAdmin):
    bureau_path = "task__plan__bureau"
    list_display = ["task", "division", "role", "written_as"]
    list_filter = ["role", ("division__bureau", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["task__title", "division__name"]
    autocomplete_fields = ["task", "division"]
    list_select_related = ["task", "division"]


@admin.register(Target)
class TargetAdmin(BureauScopedAdmin):
    bureau_path = "task__plan__bureau"
    list_display = ["metric", "comparator", "value", "unit", "task"]
    search_fields = ["metric", "task__title"]
    autocomplete_fields = ["task"]
    list_select_related = ["task"]


class ActualValueInline(ScopedInline):
    model = ActualValue
    extra = 0
    autocomplete_fields = ["target"]


class AttachmentInline(ScopedInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(BureauScopedAdmin):
    bureau_path = "task__plan__bureau"
    list_display = ["task", "division", "period", "status", "percent", "author", "created_at"]
    list_filter = ["status", "period", ("division__bureau", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["task__title", "progress", "division__name"]
    autocomplete_fields = ["task", "division", "author"]
    list_select_related = ["task", "division", "author"]
    inlines = [ActualValueInline, AttachmentInline]

    readonly_fields = ["author"]

    def has_change_permission(self, request, obj=None) -> bool:
        # Append-only: an existing report is shown, never changed.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # A report is written under the name of whoever writes it; a correction is a new report.
        obj.author = request.user
        super().save_model(request, obj, form, change)


class AppendOnlyAdmin(BureauScopedAdmin):
    """What a report carries (actual values, evidence) is kept as reported: shown, never changed or removed."""

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActualValue)
class ActualValueAdmin(AppendOnlyAdmin):
    bureau_path = "report__task__plan__bureau"
    list_display = ["target", "value", "report"]
    search_fields = ["target__metric"]
    autocomplete_fields = ["report", "target"]


@admin.register(Attachment)
class AttachmentAdmin(AppendOnlyAdmin):
    bureau_path = "report__task__plan__bureau"
    list_display = ["original_name", "size", "report", "uploaded_at"]
    search_fields = ["original_name"]
    autocomplete_fields = ["report"]


# ---------------------------------------------------------------- the plans and duties tasks belong to


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


class DutyItemInline(ScopedStackedInline):
    model = DutyItem
    extra = 0
    autocomplete_fields = ["units"]


@admin.register(Duty)
class DutyAdmin(BureauScopedAdmin):
    list_display = ["number", "short_text", "bureau", "plan"]
    list_filter = [("bureau", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "items__text"]
    autocomplete_fields = ["bureau", "plan"]
    inlines = [DutyItemInline]

    @admin.display(description="主要职责")
    def short_text(self, duty: Duty) -> str:
        return duty.text[:40]


@admin.register(DutyItem)
class DutyItemAdmin(BureauScopedAdmin):
    bureau_path = "duty__bureau"
    list_display = ["__str__", "duty"]
    list_filter = [("duty__bureau", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text"]
    autocomplete_fields = ["duty", "units"]
