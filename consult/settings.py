"""Settings for Consult, driven by environment variables.

One module for every environment: a developer's `make run` sets DEBUG=1, a
server sets SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_number(name: str, default: str, meaning: str, *, whole: bool = True) -> int | float:
    """A number from the environment; anything else stops the start with a sentence
    that names the setting and what it is for, not a traceback about `int()`."""
    value = os.environ.get(name, "").strip() or default
    try:
        return int(value) if whole else float(value)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ImproperlyConfigured(f"{name} must be {kind} ({meaning}); it is {value!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-development-key-used-only-with-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "responses.apps.ConsultAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "django_htmx",
    "axes",
    "django_ratelimit",
    # Before django_tasks_db: its `db_worker` command is ours (with a heartbeat).
    "responses",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "responses.middleware.NoNulInQueryMiddleware",
    "responses.middleware.FormsInUtf8Middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "consult.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "responses.middleware.DomainErrorMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for too many failures into
    # the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "consult.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "consult.wsgi.application"

# A server keeps each connection for a minute rather than opening one per request;
# the health check replaces one the database has dropped (a restart, a failover)
# before a request uses it. A developer's server opens one per request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_number(
            "CONN_MAX_AGE",
            "0" if DEBUG else "60",
            "seconds a database connection is kept open",
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores select_for_update(): taking the write lock when the
    # transaction begins keeps the read-check-write of optimistic locking whole.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Work that should not hold up a page (rendering papers, sending mail) is queued in
# the database and done by `manage.py db_worker`, which `make run` and `make serve`
# start beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-axes checks every sign-in first (the site's and the admin's): after
# AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# refused for AXES_COOLOFF_MINUTES, counted again from each further try. Locking the
# pair, not the username alone, means someone guessing cannot lock a colleague out
# from elsewhere; an administrator can unlock it early in /admin/ (Access attempts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_number(
    "AXES_FAILURE_LIMIT", "5", "failed sign-ins before an account is locked out"
)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_number("AXES_COOLOFF_MINUTES", "15", "minutes a locked-out sign-in waits")
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Sessions end after SESSION_IDLE_HOURS without a request: a request pushes the
# expiry back (at most every five minutes: consult.sessions).
SESSION_COOKIE_AGE = int(
    env_number("SESSION_IDLE_HOURS", "8", "hours idle before signing out", whole=False) * 60 * 60
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Rendered documents (PDF, Word), named by the digest of what they show: shared by
    # every app server and the task worker.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("DOCUMENTS_DIR", str(BASE_DIR / ".cache" / "documents"))
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Object storage for the documents, shared by servers that share no disk: set
# AWS_STORAGE_BUCKET_NAME and django-storages' usual AWS_* settings (install the
# "s3" extra for boto3). The folder above is the default.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "location": os.environ.get("DOCUMENTS_PREFIX", "documents"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # What each person has used of the limits below, in a database table (made by a
    # migration), so that every worker of every server counts alike.
    "limits": {
        "BACKEND": "consult.limit_counts.LimitCounts",
        "LOCATION": "consult_limit_counts",
        "TIMEOUT": 2 * 60 * 60,  # longer than the longest count, an hour
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

# How much one person may ask of the server (responses/limits.py): past a limit, a
# request is answered 429 with a sentence saying how long to wait, and does nothing.
# Each is far above what an officer does by hand: the live preview asks once a pause
# in typing (400 ms), a save or a comment is a press of a button, and the editor's
# heartbeat comes every 20 seconds from each window open.
RATELIMIT_USE_CACHE = "limits"
PREVIEWS_PER_MINUTE = env_number(
    "PREVIEWS_PER_MINUTE", "60", "live previews one person may ask for in a minute"
)
SAVES_PER_MINUTE = env_number("SAVES_PER_MINUTE", "30", "saves one person may make in a minute")
COMMENTS_PER_MINUTE = env_number(
    "COMMENTS_PER_MINUTE", "20", "comments and suggestions one person may post in a minute"
)
HEARTBEATS_PER_MINUTE = env_number(
    "HEARTBEATS_PER_MINUTE", "120", "heartbeats one person's open editors may send in a minute"
)
# Failed sign-ins from one address in 5 minutes, whatever the usernames: each costs a
# password hash (about a third of a second of CPU), even for a username nobody has.
# A council office may sign in from one address: 30 is ten people mistyping three times.
FAILED_SIGN_INS_PER_ADDRESS = env_number(
    "FAILED_SIGN_INS_PER_ADDRESS", "30", "failed sign-ins from one address in 5 minutes"
)
# E-mails one person's @mentions may send in an hour; past it, the comment is saved
# and its mentions send nothing.
MENTION_MAILS_PER_HOUR = env_number(
    "MENTION_MAILS_PER_HOUR", "60", "e-mails one person's @mentions may send in an hour"
)

# Seconds a document may take to lay out before the task worker stops it: RENDER_TIMEOUT,
# and RENDER_SECONDS_PER_QUESTION more for each question (a 2,000-question paper: 220).
RENDER_TIMEOUT = env_number("RENDER_TIMEOUT", "120", "seconds a document may take to lay out")
RENDER_SECONDS_PER_QUESTION = env_number(
    "RENDER_SECONDS_PER_QUESTION",
    "0.05",
    "seconds more a document may take to lay out for each question",
    whole=False,
)

# Signs every backup's manifest (manage.py backup and restore need it; nothing else does).
BACKUP_KEY = os.environ.get("BACKUP_KEY", "")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_REVERT_DISABLED = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# HTTPS unless DEBUG is on: cookies over HTTPS only, plain HTTP redirected, and
# Strict-Transport-Security so that browsers never try plain HTTP again. HTTPS=0 serves
# plain HTTP (an intranet trial): passwords and session cookies then cross the network
# in clear. HTTPS=1 with DEBUG tries it on a developer's machine.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# A load balancer or monitor may probe the app server itself over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = (
    env_number("HSTS_SECONDS", "31536000", "seconds browsers keep to HTTPS") if HTTPS else 0
)
# The header covers the host that sends it and that host's own subdomains
# (consult.example.gov.uk and *.consult.example.gov.uk), never its sister sites, so
# it is on. Set HSTS_INCLUDE_SUBDOMAINS=0 if Consult is served from the council's bare
# domain, whose other sites may still speak plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = [
    # "SECURE_HSTS_PRELOAD is not True": preloading is for a council's whole registered
    # domain and is all but irreversible; it is the council's call, not this application's.
    "security.W021",
    # django-ratelimit names memcached and Redis; the limits count in a database table
    # that every worker shares, one statement a count (consult/limit_counts.py).
    "django_ratelimit.W001",
]


def forwarded_client_ip(request) -> str | None:
    """The client's address as the proxy saw it (consult/addresses.py): earlier ones in
    X-Forwarded-For are whatever the client sent, and would let anyone choose the
    address that sign-in throttling counts failures against."""
    from consult import addresses

    return addresses.forwarded(request)


def throttled_username(request, credentials: dict | None) -> str:
    """The username that sign-in throttling counts failures against, cut to the
    length a username can have: a longer one is no account, and would not fit the
    throttle's own table (a server error on PostgreSQL)."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "")[:150]


AXES_USERNAME_CALLABLE = throttled_username

# Behind a proxy that ends TLS and sets X-Forwarded-Proto and X-Forwarded-For, set
# BEHIND_PROXY=1. Without it both headers are anyone's to send and are ignored.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_CLIENT_IP_CALLABLE = forwarded_client_ip
    RATELIMIT_IP_META_KEY = forwarded_client_ip
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# The SMTP server, when EMAIL_BACKEND is SMTP; Django's defaults otherwise. A server
# that does not answer within EMAIL_TIMEOUT seconds is given up on (mail is sent after
# each step commits, in the request: a hung server must not hang the page).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_number("EMAIL_PORT", "25", "the mail server's port")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (usually 465), not both."
    )
EMAIL_TIMEOUT = env_number("EMAIL_TIMEOUT", "10", "seconds to wait for the mail server")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "consult@localhost")
# The address links in e-mails point at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Logs go to standard output: plain text for a developer, one JSON object a line on
# a server (consult/logging.py), for journald or a log collector to keep. LOG_LEVEL is
# the least severe level written (WARNING: every failed request and sign-in).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
        "json": {"()": "consult.logging.JSONLinesFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain" if DEBUG else "json",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own handler writes only with DEBUG, and would write each line twice:
    # its records go to the one above instead.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL}},
}
