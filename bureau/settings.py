"""Settings for 督办. Everything that differs between machines comes from the environment."""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Off unless asked for: a server started without the environment must not show tracebacks.
DEBUG = _env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DEBUG 关闭时必须设置环境变量 SECRET_KEY（生产环境）；在开发机上直接运行 manage.py 请先 export DEBUG=1。"
        )
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - development default
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "bureau",
    "plans",
    "tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "bureau.security.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A one-time password is changed before anything else (after messages: it leaves a notice).
    "bureau.middleware.MustChangePasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bureau.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bureau.urls"
WSGI_APPLICATION = "bureau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tasks.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Django's own backends, each also keeping the data versions cached pages are keyed on (bureau/changes.py).
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace("django.db.backends.", "bureau.databases.")
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Choice lists iterate their querysets; a server-side cursor per list costs round trips for nothing.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # A database that hangs costs a request a few seconds, then the busy page (bureau/faults.py), not a
    # worker held until gunicorn kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )
    # PgBouncer refuses the `options` startup parameter ("unsupported startup parameter: options"), and in
    # transaction mode a SET would stay on whichever server connection ran it: behind it the timeout is the
    # database role's (ALTER ROLE … SET statement_timeout, docs/deployment.md).
    if not _env_bool("DATABASE_PGBOUNCER", False):
        DATABASES["default"]["OPTIONS"].setdefault(
            "options", f"-c statement_timeout={int(os.environ.get('DATABASE_STATEMENT_TIMEOUT_MS', '5000'))}"
        )
else:
    # Writers wait for each other instead of failing when several report at the same moment: a
    # transaction takes the write lock when it begins (a deferred one that upgrades later fails at once
    # with "database is locked"), and WAL lets pages read while a report is written.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=int(os.environ.get("SQLITE_LOCK_TIMEOUT", "10")),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "bureau.backends.MembershipBackend",
]
# Login throttling (django-axes): five failures for one user name from one address lock that pair
# out for fifteen minutes, and thirty failures from one address, whatever the names, lock the address
# (bureau.backends.AddressLockHandler: axes has one limit for all its parameters, and a bureau's offices
# often share one NAT address). A success clears its own name's count from that address, not the
# address's. The superuser sees and clears lockouts in /admin/ (or `manage.py axes_reset_username NAME`,
# `manage.py axes_reset_ip ADDRESS`); they span bureaus, so bureau admins do not.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))  # 0: no address lock
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "bureau.backends.AddressLockHandler"
AXES_USERNAME_CALLABLE = "bureau.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "bureau.security.client_ip"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded plans and evidence files are official documents: they live outside
# the static tree and are only ever sent through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Where `make backup` writes its archives.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))

# ---------------------------------------------------------------- security
# Behind nginx: nginx terminates HTTPS and passes X-Forwarded-Proto and X-Real-IP (see README). X-Real-IP
# is believed only from the addresses listed here (bureau.security.client_ip), so that a client reaching
# gunicorn directly cannot choose the address its failed logins count against.


def _proxy_networks(name: str) -> list[str]:
    value = os.environ.get(name, "").strip()
    if value.lower() in {"", "0", "false", "no", "off"}:
        return []
    if value.lower() in {"1", "true", "yes", "on"}:
        # The old switch. Read as 127.0.0.1 it would, with nginx on another machine, count every user's
        # failures against nginx's address and lock the whole site out at once; so it is refused.
        raise ImproperlyConfigured(
            f"{name} 现在填写反向代理（nginx）的地址，逗号分隔，可写网段，不再是开关；"
            f"nginx 与本系统在同一台机器上时请写 {name}=127.0.0.1。"
        )
    networks = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} 中的“{part}”不是 IP 地址或网段（例如 127.0.0.1、10.0.0.0/24）。"
            ) from None
    return networks


BEHIND_PROXY = _proxy_networks("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production defaults follow DEBUG; each can be turned off, e.g. for a benchmark over plain HTTP.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Every script and style comes from our own static files: no inline script, no inline style, no CDN.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Email goes over SMTP once EMAIL_HOST is set; until then it is printed to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS 与 EMAIL_USE_SSL 只能设置其一。")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # a mail server that hangs must not hold a worker
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "督办系统 <noreply@localhost>")
# Group robot webhooks go to DingTalk's, 浙政钉's and WeCom's own hosts only (bureau/robots.py); a
# government intranet gateway is added here as host[:port], comma-separated, and may then be plain http.
ROBOT_WEBHOOK_HOSTS = [h.strip().lower() for h in os.environ.get("ROBOT_WEBHOOK_HOSTS", "").split(",") if h.strip()]
# Where notify() sends each message (tasks/notifications.py): one class per channel. Email and robots
# write to the outbox (bureau/outbox.py); the worker sends, retrying a failure this many times in all,
# waiting one minute, then two, four… up to six hours between attempts.
NOTIFICATION_CHANNELS = [
    "tasks.notifications.InAppChannel",
    "tasks.notifications.EmailChannel",
    "tasks.notifications.RobotChannel",
]
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
# The address people open the site at, for the links in emails and robot messages.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# One cache for every app server when CACHE_URL names a Redis (the API's rate limits count across
# servers); this process's memory otherwise.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
    if os.environ.get("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Whole pages (tasks/page_cache.py), in each process: their keys hold the data versions the database
    # keeps, so another server's writes are seen at once, and a deployment's new templates with a restart.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": int(os.environ.get("PAGE_CACHE_SECONDS", "600")),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "400"))},
    },
    # Pieces of pages drawn from what only writes other than reports change (the task lists' filter form),
    # kept apart from the pages so that many searches do not push whole pages out.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": int(os.environ.get("PAGE_CACHE_SECONDS", "600")),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_CACHE_ENTRIES", "400"))},
    },
    # The task lists' rows, each under its task's version (tasks/page_cache.py kept_rows): a list drawn
    # afresh after a report writes again only the rows the report changed.
    "rows": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rows",
        "TIMEOUT": int(os.environ.get("PAGE_CACHE_SECONDS", "600")),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("ROW_CACHE_ENTRIES", "5000"))},
    },
    # Each bureau's counts behind a roll-up or a long list (tasks/figures_cache.py), kept the same way:
    # a write redraws a province's page, and these spare it counting the bureaus the write did not touch.
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "TIMEOUT": int(os.environ.get("PAGE_CACHE_SECONDS", "600")),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FIGURES_CACHE_ENTRIES", "5000"))},
    },
}
# Built queries kept as they are in each process (tasks/page_cache.py kept_objects), beside CACHES.
KEPT_QUERY_ENTRIES = int(os.environ.get("KEPT_QUERY_ENTRIES", "100"))
# Requests a user may make to the API (all their tokens together), as "count/period" (s, m, h, d),
# counted in the cache above.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/m")

# ---------------------------------------------------------------- background work (bureau/celery.py)
# A real broker when one is named (redis://127.0.0.1:6379/0); otherwise a folder on this machine, which
# the worker `make run` starts reads. Results are not kept: each job records its own outcome in its row.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "filesystem://"
    _queue = VAR_DIR / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(VAR_DIR / "control"),
    }
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # Pages hand messages and exports to the broker after their transaction commits: a broker that hangs
    # must cost a page a few seconds, not the request (the outbox's sweep sends what could not be queued).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 3}
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 0.5,
    }
# Jobs run in the calling process, inside the request that queued them: for the tests only, since it
# gives up the outbox's promise that delivery never slows a page, and runs no beat.
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-job leaves it for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat, the scheduler: the outbox's retries every minute, the reminders each morning (REMINDER_HOUR,
# Asia/Shanghai), old export files each night. One beat for the whole deployment (see README).
CELERY_BEAT_SCHEDULE = {
    "deliver-due-messages": {"task": "bureau.deliver_due_messages", "schedule": 60.0},
    "send-reminders": {
        "task": "tasks.send_reminders",
        "schedule": crontab(hour=int(os.environ.get("REMINDER_HOUR", "8")), minute=0),
    },
    "remove-old-exports": {"task": "tasks.remove_old_exports", "schedule": crontab(hour=3, minute=30)},
    "fail-stale-exports": {"task": "tasks.fail_stale_exports", "schedule": 600.0},
}

# Plans larger than this are refused before they are read.
PLAN_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The month page sends about eight fields a task; a division with a few hundred tasks must still fit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# A division that has not reported by this day of the period turns its tasks red.
REPORT_DUE_DAY = int(os.environ.get("REPORT_DUE_DAY", "25"))
# Divisions that have not reported are reminded daily this many days before the due day, and chased daily
# after it.
REPORT_REMINDER_DAYS = int(os.environ.get("REPORT_REMINDER_DAYS", "3"))
# A task-list export of more rows than this is built in the background, the page showing its progress:
# about what xlsxwriter writes in 600 ms here (a district's 300 tasks at once, a city's 2,700 not);
# the files are kept this many days.
EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "400"))
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
# An export still queued or running after this long lost its worker: it is failed, so its page stops waiting.
EXPORT_STALE_MINUTES = int(os.environ.get("EXPORT_STALE_MINUTES", "30"))
# Evidence files a report may carry.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# A task or milestone due within this many days turns yellow and its divisions are reminded.
DEADLINE_WARNING_DAYS = int(os.environ.get("DEADLINE_WARNING_DAYS", "3"))
# A report whose 进展情况/存在问题/下步打算 is at least this similar (0–1) to the same division's previous
# report on the task is flagged 进展雷同.
REPEAT_SIMILARITY = float(os.environ.get("REPEAT_SIMILARITY", "0.9"))
