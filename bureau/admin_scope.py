"""The admin site limited to the user's bureaus: a bureau admin sees, chooses and changes only rows of
their own bureau and its districts; the deployment's superuser sees everything."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model

from .access import visible_bureau_ids


def reachable(model, request):
    """The rows of `model` the user may pick in a form: those its own admin page shows the user, or None
    when the model is not bureau-bound."""
    bureau_ids = visible_bureau_ids(request.user)
    if bureau_ids is None:
        return None
    if model is get_user_model():
        # People of the user's bureaus only: an account that belongs to no bureau (the superuser's, or one
        # not yet placed) is the deployment's to place, not a bureau admin's to take.
        return model.objects.filter(membership__bureau_id__in=bureau_ids, is_superuser=False)
    model_admin = admin.site._registry.get(model)
    if isinstance(model_admin, BureauScopedAdmin):
        return model_admin.get_queryset(request)
    return None


def _limited(db_field, request, kwargs: dict) -> dict:
    if "queryset" not in kwargs:
        queryset = reachable(db_field.related_model, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
    return kwargs


class ScopedChoices:
    """Foreign-key and many-to-many choices limited to the user's bureaus, so that neither the form nor
    a hand-made POST can attach a row to another bureau's data."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_limited(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **_limited(db_field, request, kwargs))


class BureauScopedAdmin(ScopedChoices, admin.ModelAdmin):
    """A model admin whose rows belong to a bureau through `bureau_path` (a lookup ending at Bureau)."""

    bureau_path = "bureau"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        bureau_ids = visible_bureau_ids(request.user)
        if bureau_ids is None:
            return queryset
        return queryset.filter(**{f"{self.bureau_path}__in": bureau_ids})


class ScopedInline(ScopedChoices, admin.TabularInline):
    pass


class ScopedStackedInline(ScopedChoices, admin.StackedInline):
    pass
