"""督查通报 as issued: each takes the next 文号 of its bureau and year, and keeps the document it was issued as."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from bureau.access import visible_bureau_ids
from bureau.models import Bureau

from .plan import Plan

NUMBER_PREFIX = "督办通报"


def number_label(year: int, sequence: int | None) -> str:
    """督办通报〔2026〕3号; a draft leaves the number blank for the office to fill in."""
    return f"{NUMBER_PREFIX}〔{year}〕{sequence if sequence else '　'}号"


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user) -> BulletinQuerySet:
        bureau_ids = visible_bureau_ids(user)
        return self if bureau_ids is None else self.filter(bureau_id__in=bureau_ids)


class Bulletin(models.Model):
    bureau = models.ForeignKey(Bureau, verbose_name="教育局", on_delete=models.CASCADE, related_name="bulletins")
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    period = models.DateField("报送周期")  # the first day of the month told
    issued_on = models.DateField("成文日期")
    plans = models.ManyToManyField(Plan, verbose_name="工作计划", related_name="bulletins")
    red_header = models.BooleanField("红头", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="印发人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("印发时间", auto_now_add=True)
    # The document as issued: a numbered bulletin does not change when later reports arrive.
    document = models.FileField("通报文件", upload_to="bulletins/%Y/")
    pdf = models.FileField("PDF", upload_to="bulletins/%Y/", blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year", "sequence"], name="bulletin_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number_label

    def get_absolute_url(self) -> str:
        return reverse("tasks:bulletin_detail", args=[self.pk])

    @property
    def number_label(self) -> str:
        return number_label(self.year, self.sequence)
