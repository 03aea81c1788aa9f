from django.contrib import admin

from .models import Bureau, Division, DivisionAlias, Duty, DutyItem, Membership

admin.site.site_header = "督办 · 管理后台"
admin.site.site_title = "督办"
admin.site.index_title = "数据管理"


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


class DivisionAliasInline(admin.TabularInline):
    model = DivisionAlias
    extra = 1


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "bureau", "kind", "confirmed"]
    list_filter = ["confirmed", "kind", "bureau"]
    list_editable = ["confirmed"]
    search_fields = ["name", "aliases__name", "bureau__name"]
    autocomplete_fields = ["bureau"]
    inlines = [DivisionAliasInline]


@admin.register(DivisionAlias)
class DivisionAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "division"]
    search_fields = ["name", "division__name"]
    autocomplete_fields = ["division"]


class DutyItemInline(admin.StackedInline):
    model = DutyItem
    extra = 0
    autocomplete_fields = ["units"]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["number", "short_text", "bureau", "plan"]
    list_filter = ["bureau"]
    search_fields = ["text", "items__text"]
    autocomplete_fields = ["bureau", "plan"]
    inlines = [DutyItemInline]

    @admin.display(description="主要职责")
    def short_text(self, duty: Duty) -> str:
        return duty.text[:40]


@admin.register(DutyItem)
class DutyItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "duty"]
    list_filter = ["duty__bureau"]
    search_fields = ["text"]
    autocomplete_fields = ["duty", "units"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "bureau", "division", "role"]
    list_filter = ["role", "bureau"]
    search_fields = ["user__username", "user__first_name", "division__name"]
    autocomplete_fields = ["user", "bureau", "division"]
