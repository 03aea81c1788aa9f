from django import forms
from django.conf import settings

from bureau.models import Bureau, Division

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

    def __init__(self, *args, unknown_units: list[str], bureau: Bureau | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        divisions = Division.objects.filter(bureau=bureau, confirmed=True) if bureau else Division.objects.none()
        choices = [("", "新建为待确认单位")] + [(str(d.pk), d.name) for d in divisions]
        self.unknown_units = unknown_units
        for index, name in enumerate(unknown_units):
            self.fields[f"unit_{index}"] = forms.ChoiceField(label=name, choices=choices, required=False)
        self._divisions = {str(d.pk): d for d in divisions}

    def mapping(self) -> dict[str, Division]:
        result = {}
        for index, name in enumerate(self.unknown_units):
            chosen = self.cleaned_data.get(f"unit_{index}")
            if chosen:
                result[name] = self._divisions[chosen]
        return result
