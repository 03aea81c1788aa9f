from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from .models import Bureau, Division, Membership, Robot
from .people_reader import MAX_FILE_BYTES, phone_normalise
from .robots import webhook_problem
from .tokens import MAX_EXPIRY_DAYS


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


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects loaded once, in the view: the page's template then draws the options without
    a query (a ModelChoiceField queries each time its options are drawn). Cleans to the object or None."""

    def __init__(self, *, objects=(), label_of=str, empty_label: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_objects(objects, label_of=label_of, empty_label=empty_label)

    def set_objects(self, objects, *, label_of=str, empty_label: str | None = None) -> None:
        self.objects = {str(obj.pk): obj for obj in objects}
        empty = [("", empty_label)] if empty_label is not None else []
        self.choices = empty + [(key, label_of(obj)) for key, obj in self.objects.items()]

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(str(value)) if value not in self.empty_values else None


def _bureau_label(bureau: Bureau) -> str:
    return bureau.name


def _only_bureau(field: ObjectChoiceField, bureaus: list[Bureau]) -> Bureau | None:
    """A bureau admin's one bureau: nothing to choose, so the field is hidden and may be left out."""
    if len(bureaus) != 1:
        return None
    field.widget = forms.HiddenInput()
    field.initial = bureaus[0].pk
    field.required = False
    return bureaus[0]


class PersonForm(forms.Form):
    """An account as a bureau admin makes or changes it. The superuser also picks the bureau."""

    name = forms.CharField(label="姓名", max_length=150)
    username = forms.CharField(
        label="登录名",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="用于登录，可用手机号；只能包含字母、数字和 @/./+/-/_。",
    )
    bureau = ObjectChoiceField(label="教育局")
    division = ObjectChoiceField(label="处室/单位", required=False, help_text="处室人员和处室负责人必须选择所在处室。")
    role = forms.ChoiceField(label="角色", choices=Membership.Role.choices, initial=Membership.Role.STAFF)
    phone = forms.CharField(label="手机", max_length=20, required=False, help_text="用于群消息中@本人。")
    # auth_user.email is varchar(254); EmailField alone allows 320, a 500 on PostgreSQL.
    email = forms.EmailField(label="邮箱", max_length=254, required=False, help_text="有邮箱时，通知同时发到邮箱。")

    def __init__(self, *args, bureaus: list[Bureau], instance=None, acting_user=None, **kwargs) -> None:
        if instance is not None:
            membership = instance.membership
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.first_name,
                    "username": instance.username,
                    "bureau": membership.bureau_id,
                    "division": membership.division_id,
                    "role": membership.role,
                    "phone": membership.phone,
                    "email": instance.email,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance, self.acting_user = instance, acting_user
        several = len(bureaus) > 1
        divisions = (
            Division.objects.filter(bureau__in=bureaus).select_related("bureau").order_by("bureau__name", "name")
        )
        self.fields["bureau"].set_objects(bureaus, label_of=_bureau_label)
        self.fields["division"].set_objects(
            divisions,
            label_of=(lambda d: f"{d.bureau.short_name or d.bureau.name} · {d.name}") if several else str,
            empty_label="（无，局领导和管理员可不选）",
        )
        self._only_bureau = _only_bureau(self.fields["bureau"], bureaus)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_bureau(self):
        return self.cleaned_data["bureau"] or self._only_bureau

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        taken = get_user_model().objects.filter(username__iexact=username)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError("登录名“%(name)s”已被使用，请换一个。", code="unique", params={"name": username})
        return username

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])

    def clean(self) -> dict:
        data = super().clean()
        bureau, division, role = data.get("bureau"), data.get("division"), data.get("role")
        if division is not None and bureau is not None and division.bureau_id != bureau.pk:
            self.add_error("division", ValidationError("所选处室不属于该教育局。", code="division_bureau"))
        elif division is None and role in (Membership.Role.STAFF, Membership.Role.HEAD):
            self.add_error(
                "division", ValidationError("处室人员和处室负责人必须选择所在处室。", code="division_required")
            )
        if self.instance is not None and self.instance == self.acting_user and role and role != Membership.Role.ADMIN:
            self.add_error("role", ValidationError("不能取消自己的管理员角色。", code="self_demotion"))
        return data


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    bureau = ObjectChoiceField(label="教育局", required=False)

    def __init__(self, *args, bureaus: list[Bureau] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if bureaus is None:
            del self.fields["bureau"]
        else:
            self.fields["bureau"].set_objects(bureaus, label_of=_bureau_label, empty_label="全部教育局")


class PeopleUploadForm(forms.Form):
    file = forms.FileField(
        label="人员表",
        help_text="Excel（.xlsx），不超过 2 MB、2,000 人；列：姓名、处室、角色、手机、邮箱（可选：登录名）。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"empty": "文件为空。", "required": "请选择要导入的文件。", "invalid": "上传的不是文件。"},
    )
    bureau = ObjectChoiceField(label="导入到")

    def __init__(self, *args, bureaus: list[Bureau], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bureau"].set_objects(bureaus, label_of=_bureau_label)
        self._only_bureau = _only_bureau(self.fields["bureau"], bureaus)

    def clean_bureau(self):
        return self.cleaned_data["bureau"] or self._only_bureau

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError("文件超过 2 MB，请拆分后再导入。", code="too_large")
        return upload


# ---------------------------------------------------------------- one's own account (bureau/views/account.py)


class ProfileForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=150)
    email = forms.EmailField(label="邮箱", max_length=254, required=False)  # auth_user.email's length
    phone = forms.CharField(label="手机", max_length=20, required=False, help_text="处室群机器人按手机号@本人。")
    email_notifications = forms.BooleanField(label="邮件通知", required=False, help_text="有邮箱时，通知同时发到邮箱。")
    robot_mentions = forms.BooleanField(
        label="群消息中@我", required=False, help_text="钉钉/浙政钉群消息中按手机号@本人。"
    )

    def __init__(self, *args, user, **kwargs) -> None:
        membership = getattr(user, "membership", None)
        initial = {"name": user.first_name, "email": user.email}
        if membership is not None:
            initial |= {
                "phone": membership.phone,
                "email_notifications": membership.email_notifications,
                "robot_mentions": membership.robot_mentions,
            }
        super().__init__(*args, initial=initial, **kwargs)
        if membership is None:
            # An account of no bureau (the deployment's superuser) has no phone or channels to choose.
            for name in ("phone", "email_notifications", "robot_mentions"):
                del self.fields[name]

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])


class OneTimePasswordChangeForm(PasswordChangeForm):
    """Django's password change; while `one_time` (the account must change the password an admin gave),
    the new password may not be that one: keeping it would clear the flag and leave a password someone
    else has read."""

    def __init__(self, user, *args, one_time: bool = False, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.one_time = one_time

    def clean(self) -> dict:
        data = super().clean()
        password = data.get("new_password2")
        if self.one_time and password and not self.has_error("new_password2") and self.user.check_password(password):
            self.add_error(
                "new_password2", ValidationError("新密码不能与管理员给出的一次性密码相同。", code="password_unchanged")
            )
        return data


# ---------------------------------------------------------------- access tokens (bureau/views/tokens.py)


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=60, help_text="如 省平台对接、数据看板，便于日后辨认。")
    expires_in_days = forms.IntegerField(
        label="有效天数",
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text=f"留空则长期有效；最长 {MAX_EXPIRY_DAYS} 天。",
    )
