from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .models import Bureau, Division, Robot
from .robots import webhook_problem


class LoginForm(AuthenticationForm):
    """Django's sign-in form, with the user name's length checked: Django sets the field's max_length after
    the field has made its validators, so a longer name went on to authentication, and on PostgreSQL
    into django-axes' 255-character column (a 500)."""

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        limit = self.fields["username"].max_length
        if len(username) > limit:
            raise ValidationError(
                "用户名最多 %(limit)d 个字符，请检查后重新输入。", code="max_length", params={"limit": limit}
            )
        return username


class RobotForm(forms.ModelForm):
    """A group robot of one of `bureaus`. The secret is never shown back: left empty on edit it stays as
    saved, and `clear_secret` removes it."""

    webhook = forms.CharField(
        label="Webhook 地址",
        max_length=500,
        help_text="在群设置的“智能群助手/群机器人”中添加自定义机器人后复制。",
    )
    secret = forms.CharField(
        label="加签密钥",
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="钉钉/浙政钉机器人选“加签”安全设置时显示的密钥（SEC 开头）；企业微信留空。",
    )
    clear_secret = forms.BooleanField(label="清除已保存的密钥", required=False)

    class Meta:
        model = Robot
        fields = ["bureau", "division", "kind", "name", "webhook", "active"]
        labels = {"division": "范围"}

    field_order = ["bureau", "kind", "name", "division", "webhook", "secret", "clear_secret", "active"]

    def __init__(self, *args, bureaus: list[Bureau], **kwargs):
        super().__init__(*args, **kwargs)
        self.bureaus = bureaus
        if len(bureaus) == 1:
            # An admin's robots are their own bureau's: no choice to offer.
            del self.fields["bureau"]
            self.instance.bureau = bureaus[0]
        else:
            self.fields["bureau"].queryset = Bureau.objects.filter(pk__in=[b.pk for b in bureaus])
        division = self.fields["division"]
        division.queryset = (
            Division.objects.filter(bureau__in=bureaus).select_related("bureau").order_by("bureau_id", "name")
        )
        division.empty_label = "全局（全局通知）"
        if len(bureaus) > 1:
            division.label_from_instance = lambda d: f"{d.bureau.name} · {d.name}"
        if not self.instance.secret:
            del self.fields["clear_secret"]

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_webhook(self) -> str:
        return self.cleaned_data["webhook"].strip()

    def clean_secret(self) -> str:
        secret = self.cleaned_data["secret"].strip()
        if secret.lower().startswith(("http://", "https://")):
            raise ValidationError("这里填加签密钥（SEC 开头），Webhook 地址请填在上一栏。", code="secret_is_url")
        if any(c.isspace() for c in secret):
            raise ValidationError("加签密钥中不能有空格或换行，请从机器人设置中完整复制。", code="secret_space")
        return secret

    def clean(self):
        data = super().clean()
        kind, webhook = data.get("kind"), data.get("webhook")
        if kind and webhook:
            problem = webhook_problem(kind, webhook)
            if problem:
                self.add_error("webhook", ValidationError(problem, code="webhook"))
        if kind == Robot.Kind.WECOM and data.get("secret"):
            self.add_error("secret", ValidationError("企业微信群机器人没有加签密钥，请留空。", code="wecom_secret"))
        bureau = data.get("bureau") if "bureau" in self.fields else self.instance.bureau
        division = data.get("division")
        if division is not None and bureau is not None and division.bureau_id != bureau.pk:
            self.add_error("division", ValidationError("请选择该教育局自己的处室。", code="division_bureau"))
        return data

    def save(self, commit: bool = True) -> Robot:
        robot = super().save(commit=False)
        if robot.kind == Robot.Kind.WECOM or self.cleaned_data.get("clear_secret"):
            robot.secret = ""
        elif self.cleaned_data["secret"]:
            robot.secret = self.cleaned_data["secret"]
        if commit:
            robot.save()
        return robot


# ---------------------------------------------------------------- people (bureau/views/people.py)


def _phone(value: str) -> str:
    phone = phone_normalise(value)
    if phone is None:
        raise ValidationError(
            "手机号格式不对：请填写 11 位手机号，或带区号的固定电话（如 0576-88888888）。", code="phone"
        )
    return phone
