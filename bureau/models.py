"""The organisation: bureaus, their divisions and who belongs where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Bureau(models.Model):
    class Level(models.TextChoices):
        CITY = "city", "市"
        DISTRICT = "district", "县区"

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.CITY)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级教育局",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "教育局"
        verbose_name_plural = "教育局"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DivisionQuerySet(models.QuerySet):
    def lookup_table(self) -> dict[str, Division]:
        """Every name and alias of these divisions, mapped to the division."""
        table: dict[str, Division] = {}
        for division in self.prefetch_related("aliases"):
            table[division.name] = division
            for alias in division.aliases.all():
                table.setdefault(alias.name, division)
        return table


class Division(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", "内设处室"
        AFFILIATED = "affiliated", "直属单位"

    bureau = models.ForeignKey(Bureau, verbose_name="教育局", on_delete=models.CASCADE, related_name="divisions")
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices, default=Kind.INTERNAL)
    confirmed = models.BooleanField("已确认", default=True, help_text="导入时新建的单位需管理员确认后才算正式单位。")

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = "处室/单位"
        verbose_name_plural = "处室/单位"
        ordering = ["bureau_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "name"], name="division_unique_name_per_bureau"),
        ]

    def __str__(self) -> str:
        return self.name


class DivisionAlias(models.Model):
    """Another spelling of a division's name (督导室 for 督导处)."""

    division = models.ForeignKey(Division, verbose_name="处室/单位", on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField("别名", max_length=60)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="alias_unique_per_division"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.division.name}"


# Leaders and admins act for the whole bureau (and a city's for its districts); staff and heads for
# their division.
BUREAU_WIDE_ROLES = ["leader", "admin"]  # Membership.Role.LEADER, Membership.Role.ADMIN


class Membership(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", "处室人员"
        HEAD = "head", "处室负责人"
        LEADER = "leader", "局领导"
        ADMIN = "admin", "管理员"

    BUREAU_WIDE_ROLES = BUREAU_WIDE_ROLES

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="membership"
    )
    bureau = models.ForeignKey(Bureau, verbose_name="教育局", on_delete=models.CASCADE, related_name="memberships")
    division = models.ForeignKey(
        Division,
        verbose_name="处室/单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = "人员归属"
        verbose_name_plural = "人员归属"
        constraints = [
            # Staff and heads act for a division; leaders and admins for the whole bureau.
            models.CheckConstraint(
                condition=Q(role__in=BUREAU_WIDE_ROLES) | Q(division__isnull=False),
                name="membership_division_required_for_staff",
            ),
        ]

    def __str__(self) -> str:
        where = self.division.name if self.division_id else self.bureau.name
        return f"{self.user} · {where} · {self.get_role_display()}"

    @property
    def is_bureau_wide(self) -> bool:
        return self.role in self.BUREAU_WIDE_ROLES


def person_name(user) -> str:
    """How people are shown: their name (姓名) when the account has one, else the login name."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()
