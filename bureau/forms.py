from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


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
