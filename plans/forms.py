from django import forms
from django.conf import settings

from bureau.models import Bureau, Division

from .services import NEW, UPDATE

ACCEPTED_EXTENSIONS = (".docx", ".xlsx", ".txt")


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="计划文件",
        help_text="Word（.docx）、Excel（.xlsx）或文本（.txt），不超过 20 MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
        error_messages={"empty": "文件为空。", "required": "请选择要导入的文件。", "invalid": "上传的不是文件。"},
    )
    bureau = forms.CharField(
        label="教育局",
        required=False,
        max_length=100,
        help_text="不填则从文件中识别；填写尚不存在的教育局将在确认导入时新建。",
    )
    year = forms.IntegerField(
        label="年度", required=False, min_value=2000, max_value=2100, help_text="不填则从文件中识别。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("文件超过 20 MB，请拆分后再导入。", code="too_large")
        return upload


class UnitMappingForm(forms.Form):
    """One choice per unknown unit: map it to an existing division, or create it unconfirmed."""

    def __init__(self, *args, unknown_units: list[str], bureau: Bureau | None, unassigned: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        divisions = Division.objects.filter(bureau=bureau, confirmed=True) if bureau else Division.objects.none()
        choices = [("", "新建为待确认单位")] + [(str(d.pk), d.name) for d in divisions]
        self.unknown_units = unknown_units
        for index, name in enumerate(unknown_units):
            self.fields[f"unit_{index}"] = forms.ChoiceField(label=name, choices=choices, required=False)
        self._divisions = {str(d.pk): d for d in divisions}
        if unassigned and self._divisions:
            self.fields["default_lead"] = forms.ChoiceField(
                label=f"未写明单位的 {unassigned} 项任务的牵头单位",
                choices=[("", "暂不分配（导入后在计划页分配）")] + [(str(d.pk), d.name) for d in divisions],
                required=False,
            )

    @property
    def unit_fields(self) -> list:
        return [field for field in self if field.name.startswith("unit_")]

    @property
    def default_lead_field(self):
        return self["default_lead"] if "default_lead" in self.fields else None

    def lead_for_unassigned(self) -> Division | None:
        return self._divisions.get(self.cleaned_data.get("default_lead") or "")

    def mapping(self) -> dict[str, Division]:
        result = {}
        for index, name in enumerate(self.unknown_units):
            chosen = self.cleaned_data.get(f"unit_{index}")
            if chosen:
                result[name] = self._divisions[chosen]
        return result


class RevisionForm(forms.Form):
    """For each plan of the file that may revise a stored one: a new version or a new plan; and for each
    renumbered, reworded or added item, the stored task it continues (the admin's correction)."""

    def __init__(self, *args, preview, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.proposed: dict[str, str] = {}
        for index, item in enumerate(preview.plans):
            if item.existing is None:
                continue
            self.fields[f"mode_{index}"] = forms.ChoiceField(
                label=f"《{item.parsed.title}》",
                choices=[(UPDATE, f"作为《{item.existing.title}》的新版本"), (NEW, "作为新计划导入")],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=UPDATE if item.revision_certain else None,
                error_messages={"required": "请选择作为新版本更新，还是作为新计划导入。"},
            )
            diff = item.diff
            stored = {t.pk: t for t in [*diff.removed, *(m.task for m in diff.uncertain)]}
            choices = [("", "作为新任务")] + [
                (str(t.pk), f"原第{t.number}项 {t.title[:30]}") for t in sorted(stored.values(), key=lambda t: t.order)
            ]
            looked_at = [*diff.uncertain, *(m for m in diff.matches if m.task is None)] if stored else diff.uncertain
            for match in looked_at:
                name = f"match_{index}_{match.parsed.id}"
                proposed = str(match.task.pk) if match.task else ""
                self.proposed[name] = proposed
                confidence = f"（相似度 {match.confidence:.0%}）" if match.task else "（新增）"
                self.fields[name] = forms.ChoiceField(
                    label=f"第{match.parsed.number}项 {match.parsed.text[:30]}{confidence}",
                    choices=choices,
                    required=False,
                    initial=proposed,
                )

    def modes(self) -> dict[int, str]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items() if name.startswith("mode_")}

    def overrides(self) -> dict[int, dict[int, int | None]]:
        """The matches the admin changed: plan index → parsed task id → stored task id (None: a new task)."""
        result: dict[int, dict[int, int | None]] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("match_") and value != self.proposed[name]:
                _, index, parsed_id = name.split("_")
                result.setdefault(int(index), {})[int(parsed_id)] = int(value) if value else None
        return result

    @property
    def match_fields(self) -> list:
        return [field for field in self if field.name.startswith("match_")]

    @property
    def mode_fields(self) -> list:
        return [field for field in self if field.name.startswith("mode_")]
