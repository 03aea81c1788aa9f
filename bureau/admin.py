from django.contrib import admin

from .access import membership_of
from .admin_scope import BureauScopedAdmin, ScopedInline
from .models import Bureau, Division, DivisionAlias, Membership

admin.site.site_header = "督办 · 管理后台"
admin.site.site_title = "督办"
admin.site.index_title = "数据管理"


@admin.register(Bureau)
class BureauAdmin(BureauScopedAdmin):
    bureau_path = "pk"
    list_display = ["name", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # Where a bureau sits (under which city) is for the level above it to say: a district admin who
        # detached their bureau would leave the city's oversight.
        membership = membership_of(request.user)
        if not request.user.is_superuser and obj is not None and membership and membership.bureau_id == obj.pk:
            return ["parent", "level"]
        return []

    # A new bureau, or one removed with all its plans, is the deployment's decision, not a bureau's.
    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class DivisionAliasInline(ScopedInline):
    model = DivisionAlias
    extra = 1


@admin.register(Division)
class DivisionAdmin(BureauScopedAdmin):
    list_display = ["name", "bureau", "kind", "confirmed"]
    list_filter = ["confirmed", "kind", ("bureau", admin.RelatedOnlyFieldListFilter)]
    list_editable = ["confirmed"]
    search_fields = ["name", "aliases__name", "bureau__name"]
    autocomplete_fields = ["bureau"]
    inlines = [DivisionAliasInline]


@admin.register(DivisionAlias)
class DivisionAliasAdmin(BureauScopedAdmin):
    bureau_path = "division__bureau"
    list_display = ["name", "division"]
    search_fields = ["name", "division__name"]
    autocomplete_fields = ["division"]


@admin.register(Membership)
class MembershipAdmin(BureauScopedAdmin):
    list_display = ["user", "bureau", "division", "role"]
    list_filter = ["role", ("bureau", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "division__name"]
    autocomplete_fields = ["user", "bureau", "division"]
