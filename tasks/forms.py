import datetime
import re

from django import forms
from django.db.models import Q

from bureau.models import Division

from .attachments import validate_attachment
from .formats import MIN_YEAR
from .models import REPORT_STATUSES, Plan, Review, Status, Task


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=REPORT_STATUSES)
    percent = forms.IntegerField(label="完成率（%）", min_value=0, max_value=100)
    progress = forms.CharField(label="进展情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    problems = forms.CharField(
        label="存在问题", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label="下步打算", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(
        label="佐证材料",
        required=False,
        help_text="可多选；pdf、doc、docx、xls、xlsx、jpg、png，每个不超过 10 MB。",
        widget=MultipleFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, task: Task, targets: list | None = None, open_milestones: list | None = None, **kwargs):
        """`targets` and `open_milestones`, when given, save their queries (the month page reads them all at once)."""
        super().__init__(*args, **kwargs)
        self.targets = list(task.targets.all()) if targets is None else targets
        if open_milestones is None:
            open_milestones = list(task.milestones.filter(done_at__isnull=True))
        self.open_milestones = open_milestones
        if self.open_milestones:
            self.fields["milestones"] = forms.MultipleChoiceField(
                label="本次完成的时间节点",
                required=False,
                choices=[(str(m.pk), str(m)) for m in self.open_milestones],
                widget=forms.CheckboxSelectMultiple,
            )
        for target in self.targets:
            self.fields[f"target_{target.pk}"] = forms.DecimalField(
                label=f"实际值：{target.metric}（目标{target.goal}）",
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=-(10**11),
                max_value=10**11,
            )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > 10:
            raise forms.ValidationError("一次最多上传 10 个附件。", code="too_many")
        for upload in files:
            validate_attachment(upload)
        return files

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.DONE and data.get("percent") not in (None, 100):
            self.add_error("percent", forms.ValidationError("状态为已完成时，完成率应为100%。", code="done_not_100"))
        return data

    @property
    def target_fields(self):
        return [self[f"target_{t.pk}"] for t in self.targets]

    def actuals(self) -> dict:
        return {t: self.cleaned_data.get(f"target_{t.pk}") for t in self.targets}

    def ticked_milestones(self) -> list:
        chosen = set(self.cleaned_data.get("milestones") or [])
        return [m for m in self.open_milestones if str(m.pk) in chosen]


class CommentForm(forms.Form):
    text = forms.CharField(label="批示内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReminderForm(forms.Form):
    text = forms.CharField(label="催办说明", max_length=500, required=False)


class TaskEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(label="完成时限（日期）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    deadline_text = forms.CharField(label="时限原文", max_length=60, required=False)
    lead = forms.ModelMultipleChoiceField(label="牵头单位", queryset=Division.objects.none(), required=False)
    responsible = forms.ModelMultipleChoiceField(label="责任单位", queryset=Division.objects.none(), required=False)

    def __init__(self, *args, task: Task, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        divisions = Division.objects.filter(bureau_id=task.plan.bureau_id).order_by("name")
        self.fields["lead"].queryset = divisions
        self.fields["responsible"].queryset = divisions

    def clean(self):
        data = super().clean()
        if not data.get("lead") and not data.get("responsible"):
            raise forms.ValidationError("至少需要一个牵头或责任单位。", code="no_units")
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点内容", max_length=200)
    due = forms.DateField(label="节点日期", widget=forms.DateInput(attrs={"type": "date"}))


class ReviewForm(forms.Form):
    action = forms.ChoiceField(label="审核结果", choices=Review.Action.choices)
    comment = forms.CharField(label="意见", max_length=2000, required=False)


class ExtensionRequestForm(forms.Form):
    new_deadline = forms.DateField(label="申请延至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="延期理由", max_length=2000)


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审批", choices=[("approve", "批准"), ("refuse", "不批准")])
    comment = forms.CharField(label="审批意见", max_length=2000, required=False)


class WeightsForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["weight_on_time", "weight_reporting", "weight_targets", "penalty_per_return"]

    def clean(self):
        data = super().clean()
        weights = [data.get(f) or 0 for f in ("weight_on_time", "weight_reporting", "weight_targets")]
        if sum(weights) != 100:
            raise forms.ValidationError("三项权重之和应为100。", code="weights_sum")
        return data


class PlanCloseForm(forms.Form):
    carry_into = forms.ModelChoiceField(
        label="未完成任务结转到", queryset=Plan.objects.none(), required=False, empty_label="不结转"
    )

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carry_into"].queryset = (
            Plan.objects.filter(bureau_id=plan.bureau_id, year_end__gte=plan.year_end, closed_at__isnull=True)
            .exclude(pk=plan.pk)
            .exclude(kind__in=[Plan.Kind.SUMMARY, Plan.Kind.DUTIES])
        )


class AssignUnitsForm(forms.Form):
    """Give tasks that name no unit their lead and co-units, several at once."""

    tasks = forms.ModelMultipleChoiceField(
        label="任务", queryset=Task.objects.none(), error_messages={"required": "请选择要分配的任务。"}
    )
    lead = forms.ModelChoiceField(
        label="牵头单位", queryset=Division.objects.none(), error_messages={"required": "请选择牵头单位。"}
    )
    co = forms.ModelMultipleChoiceField(label="责任单位", queryset=Division.objects.none(), required=False)

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = plan.tasks.current().unassigned()
        divisions = Division.objects.filter(bureau_id=plan.bureau_id, confirmed=True)
        self.fields["lead"].queryset = divisions
        self.fields["co"].queryset = divisions

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lead") in (cleaned.get("co") or []):
            self.add_error("co", "牵头单位不必再列为责任单位。")
        return cleaned


class BulletinForm(forms.Form):
    """督查通报: the month told and the plans it tells, chosen among this year's and last year's plans of the
    leader's bureaus."""

    period = forms.CharField(label="通报月份", widget=forms.DateInput(attrs={"type": "month"}), max_length=7)
    plans = forms.ModelMultipleChoiceField(
        label="工作计划", queryset=Plan.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    red_header = forms.BooleanField(label="套红头（局名称与红色分隔线）", required=False)

    def __init__(self, *args, user, today, plan_id: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # The choices stay few whatever the scope; a plan asked for by name (from its page or the dashboard)
        # is offered whatever its year.
        recent = Q(year_start__lte=today.year, year_end__gte=today.year - 1)
        named = Q(pk=int(plan_id)) if plan_id and plan_id.isdigit() and len(plan_id) < 19 else Q(pk__in=[])
        self.fields["plans"].queryset = (
            Plan.objects.visible_to(user)
            .filter(recent | named)
            .exclude(kind=Plan.Kind.SUMMARY)
            .select_related("bureau")
            .order_by("bureau__name", "-year_end", "title")
        )
        self.fields["plans"].label_from_instance = lambda plan: (
            f"{plan.bureau.name}：{plan.title}（{plan.years_display}）"
        )
        self.fields["period"].initial = f"{today:%Y-%m}"

    def clean_period(self) -> datetime.date:
        raw = self.cleaned_data["period"].strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError("通报月份格式应为 YYYY-MM，如 2026-11。", code="format")
        month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        if month > self.today.replace(day=1):
            raise forms.ValidationError("不能通报尚未到来的月份。", code="future")
        if month.year < MIN_YEAR:
            raise forms.ValidationError(f"通报月份不能早于 {MIN_YEAR} 年。", code="too_old")
        return month

    def clean(self):
        cleaned = super().clean()
        plans, month = cleaned.get("plans"), cleaned.get("period")
        if plans and len({plan.bureau_id for plan in plans}) > 1:
            raise forms.ValidationError("一份通报只能选择同一个教育局的计划。", code="bureaus")
        if plans and month and any(not plan.year_start <= month.year <= plan.year_end for plan in plans):
            raise forms.ValidationError("所选月份不在计划的年度内。", code="years")
        return cleaned
