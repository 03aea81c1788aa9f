"""Authentication backends and the login-throttling pieces django-axes is configured with."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.http import HttpRequest

# The length of django-axes' username columns.
AXES_USERNAME_MAX_LENGTH = AccessAttempt._meta.get_field("username").max_length


class MembershipBackend(ModelBackend):
    """Loads the signed-in user with their membership in the same query: every page needs both."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related(
                "membership", "membership__bureau", "membership__division"
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class AddressLockHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus a lock on an address from which settings.LOGIN_ADDRESS_FAILURE_LIMIT
    logins failed within the cool-off, whatever the user names: axes holds every lockout parameter to one
    limit, and an address a whole office shares behind NAT needs a higher one than a name does.

    The count is read from axes' own rows in the database, so every gunicorn worker sees the same one, and
    a success clears only that name's failures from the address (AXES_RESET_ON_SUCCESS), as for the name lock.
    """

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self._address_is_locked(request)

    def user_login_failed(self, sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self._address_is_locked(request):
            # What axes does when the name's failures reach its limit: AxesMiddleware answers with the
            # locked-out page.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def _address_is_locked(self, request: HttpRequest) -> bool:
        limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if not (limit and settings.AXES_LOCK_OUT_AT_FAILURE and request.axes_ip_address):
            return False
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        failures = attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
        # The locked-out page says which lock it is.
        request.axes_address_locked = failures >= limit
        return request.axes_address_locked


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The user name django-axes records, cut to the length of its columns: a longer one is no account's
    name, and on PostgreSQL it would end the request in a 500 (the admin's login form does not check the
    length; bureau.forms.LoginForm does)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else request.POST.get(field)
    return username[:AXES_USERNAME_MAX_LENGTH] if isinstance(username, str) else username
