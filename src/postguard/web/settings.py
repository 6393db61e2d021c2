"""The one settings module, read from the environment (DESIGN.md).

Environment:

- ``POSTGUARD_DATA_DIR``: where the SQLite database, mail and secrets live
  (default ``$XDG_DATA_HOME/postguard`` or ``~/.local/share/postguard``).
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/postguard``; SQLite
  in the data directory (WAL) when unset.
- ``SECRET_KEY`` or ``SECRET_KEY_FILE``: required in production.
- ``POSTGUARD_PRODUCTION=1``: secure cookies, no debug, refuse the default key.
- ``POSTGUARD_ALLOWED_HOSTS``: comma-separated host names.
- ``EMAIL_HOST`` (+ ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``
  or ``EMAIL_HOST_PASSWORD_FILE``, ``EMAIL_USE_TLS``): SMTP; without it, mail
  is written to files in ``<data dir>/mail``.
- ``POSTGUARD_SECRETS_KEY`` or ``POSTGUARD_SECRETS_KEY_FILE``: the key that encrypts
  channel credentials (required in production; outside it `postguard` keeps one in
  ``<data dir>/secrets_key``).
- ``POSTGUARD_AUDIT_KEY`` or ``POSTGUARD_AUDIT_KEY_FILE``: the HMAC key that signs each
  audit entry and checkpoint (required in production; outside it ``<data dir>/audit_key``).
  ``POSTGUARD_AUDIT_CHECKPOINT_DIR`` (default ``<data dir>/audit-checkpoints``) and
  ``POSTGUARD_AUDIT_CHECKPOINT_HOURS`` (default 24): where and how often checkpoints go.
- ``POSTGUARD_PUBLISH_TOO_LATE_MINUTES`` (default 120): a post not published this
  long after its time goes back to the committee instead of out.
- ``POSTGUARD_TRUSTED_PROXIES``: comma-separated addresses or networks (``10.0.0.1``,
  ``10.0.0.0/8``) of reverse proxies whose X-Forwarded-For names the client; none by
  default, so the header is ignored.
- ``POSTGUARD_SIGNIN_FAILURES_PER_NAME`` (default 5), ``POSTGUARD_SIGNIN_FAILURES_PER_ADDRESS``
  (default 50), ``POSTGUARD_SIGNIN_COOLOFF_MINUTES`` (default 15): sign-in throttling.
- ``POSTGUARD_OAUTH_<NETWORK>_CLIENT_ID`` / ``_CLIENT_SECRET``: the app registered
  with a network, for connecting its channels with OAuth.

Importing this module has no side effects (mypy's Django plugin imports it).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from postguard.web.orgs.clients import parse_networks
from postguard.web.paths import data_dir


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret(name: str) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise ImproperlyConfigured(f"cannot read {name}_FILE {path}: {exc}") from exc
    return None


def _positive(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


PRODUCTION = _flag("POSTGUARD_PRODUCTION")
DATA_DIR = data_dir()
BASE_DIR = Path(__file__).resolve().parent

#: Used only outside production, so that a laptop demo starts with no setup;
#: production refuses it below.
INSECURE_DEFAULT_SECRET_KEY = "postguard-insecure-development-key-do-not-use-in-production"
SECRET_KEY = _secret("SECRET_KEY") or INSECURE_DEFAULT_SECRET_KEY
if PRODUCTION and (SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "POSTGUARD_PRODUCTION is set but SECRET_KEY is the default or shorter than 32 "
        "characters: set SECRET_KEY or SECRET_KEY_FILE to a long random value"
    )

DEBUG = not PRODUCTION and _flag("POSTGUARD_DJANGO_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("POSTGUARD_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("POSTGUARD_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "postguard.web.orgs",
    "postguard.web.workflow",
    "postguard.web.audit",
    "postguard.web.inbox",
    "postguard.web.pages",
    "django_tasks",
    "django_tasks_db",
    "postguard.web.publishing",
    "postguard.web.communities",
    "postguard.web.presence",
    "postguard.web.takedown",
    "postguard.web.evaluation",
    "axes",
]

MIDDLEWARE = [
    # First: nothing may read a proxy header that a client sent itself.
    "postguard.web.orgs.clients.ForwardedHeaders",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (see the security headers below).
    "postguard.web.middleware.ContentSecurityPolicy",
    # Outermost but one: turns every error under /api/ into JSON, whoever answered it.
    "postguard.web.middleware.ApiJsonErrors",
    # Before anything reads a body: one larger than its address accepts is a 413.
    "postguard.web.limits.RequestSizeLimit",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a sign-in lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "postguard.web.urls"
WSGI_APPLICATION = "postguard.web.wsgi.application"

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
                "postguard.web.pages.context.workspace",
            ],
        },
    }
]

_SQLITE_OPTIONS: dict[str, Any] = {
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write
    # lock at BEGIN so that two writers queue instead of failing mid-way
    # (which matters for the audit chain, appended inside each write).
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    else:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "postguard.sqlite3"),
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**_SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        # One connection per server thread or worker process, kept between requests:
        # opening one (and its PRAGMAs) cost about 1 ms of every API call. Between
        # requests it is in autocommit, so it holds no lock and blocks no checkpoint.
        config["CONN_MAX_AGE"] = 600
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

#: Reverse proxies trusted to say who the client is (X-Forwarded-For); see orgs/clients.py.
try:
    TRUSTED_PROXIES = parse_networks(os.environ.get("POSTGUARD_TRUSTED_PROXIES", ""))
except ValueError as exc:
    raise ImproperlyConfigured(f"POSTGUARD_TRUSTED_PROXIES: {exc}") from None

# Sign-in throttling by django-axes (orgs/signin.py explains the two limits). The axes
# checker backend comes first; the second looks people up by the canonical user name.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "postguard.web.orgs.signin.CanonicalNameBackend",
]
#: Failures for one user name from one address before that pair is locked.
AXES_FAILURE_LIMIT = _positive("POSTGUARD_SIGNIN_FAILURES_PER_NAME", 5)
#: Failures from one address (any names) before it is locked for every name that has
#: not signed in from there before.
SIGNIN_FAILURES_PER_ADDRESS = max(
    _positive("POSTGUARD_SIGNIN_FAILURES_PER_ADDRESS", 50), AXES_FAILURE_LIMIT
)
#: A successful sign-in from an address within this many days makes it "known" for that name.
SIGNIN_KNOWN_ADDRESS_DAYS = 90
AXES_COOLOFF_TIME = timedelta(minutes=_positive("POSTGUARD_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = "postguard.web.orgs.signin.lockout_parameters"
AXES_USERNAME_CALLABLE = "postguard.web.orgs.signin.throttled_name"
AXES_CLIENT_IP_CALLABLE = "postguard.web.orgs.clients.client_address"
AXES_LOCKOUT_CALLABLE = "postguard.web.orgs.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
#: Tries during a lockout do not prolong it: a person locked out by a stranger at the
#: same address gets back in after the cool-off however often they tried meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ADMIN = False
#: Password-reset throttling: mails asked for per e-mail address and per client
#: address in the window; beyond that the same neutral page answers and nothing is sent.
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESETS_PER_ADDRESS = 3

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
#: Uploaded images of posts: never served as static files, only through the post's
#: own address to those who may see it (workflow/media.py).
MEDIA_ROOT = Path(os.environ.get("POSTGUARD_MEDIA_ROOT", "") or DATA_DIR / "media")
#: The largest image accepted in the composer (each network's own limit applies too).
POSTGUARD_MAX_IMAGE_BYTES = int(os.environ.get("POSTGUARD_MAX_IMAGE_BYTES", "10000000"))
STATICFILES_DIRS = [BASE_DIR / "static"]

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = _secret("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "postguard@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- security headers ---------------------------------------------------------------------
# Content-Security-Policy: postguard.web.middleware.ContentSecurityPolicy (no inline script
# or style anywhere; /api/docs alone allows Swagger UI's inline styles). These come from
# Django's SecurityMiddleware and XFrameOptionsMiddleware:
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
#: Links followed out of postguard (a comment's URL on the network) do not carry the
#: address of the page they were on (an inbox item's number, a case).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# --- end of security headers --------------------------------------------------------------
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

#: How long an invitation link stays valid.
INVITATION_DAYS = 14

# Background tasks: the queue lives in the same database (django-tasks backport of
# Django 6's tasks API; `postguard worker` runs them).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
#: A post not published this long after its time goes back to the committee.
POSTGUARD_PUBLISH_TOO_LATE_MINUTES = int(
    os.environ.get("POSTGUARD_PUBLISH_TOO_LATE_MINUTES", "120")
)
#: How long one worker holds a publication before another may take it over.
POSTGUARD_PUBLISH_LEASE_SECONDS = int(os.environ.get("POSTGUARD_PUBLISH_LEASE_SECONDS", "600"))
#: Submitting and approving a post for a channel that is not connected (or whose
#: credentials were refused) is refused: it could never go out. Demo organizations,
#: whose channels are made up, are exempt.
POSTGUARD_REQUIRE_CONNECTED_CHANNELS = _flag("POSTGUARD_REQUIRE_CONNECTED_CHANNELS", True)
#: The time zone a new organization starts with (an IANA name such as Europe/London);
#: administrators change their organization's on its settings page.
POSTGUARD_DEFAULT_TIME_ZONE = os.environ.get("POSTGUARD_DEFAULT_TIME_ZONE", "").strip() or "UTC"
try:
    import zoneinfo

    zoneinfo.ZoneInfo(POSTGUARD_DEFAULT_TIME_ZONE)
except (ValueError, zoneinfo.ZoneInfoNotFoundError):
    raise ImproperlyConfigured(
        f"POSTGUARD_DEFAULT_TIME_ZONE: {POSTGUARD_DEFAULT_TIME_ZONE!r} is not a time zone "
        "(use an IANA name such as Europe/London)."
    ) from None
#: Channel owners are told this many days before a token expires.
POSTGUARD_TOKEN_EXPIRY_WARNING_DAYS = 7

# The audit record: how often the worker writes a signed checkpoint of its head (when it
# moved) and mails it to the chairs. The key and directory are read by postguard.web.audit.
POSTGUARD_AUDIT_CHECKPOINT_HOURS = float(os.environ.get("POSTGUARD_AUDIT_CHECKPOINT_HOURS", "24"))

# Presence monitoring (postguard.web.presence.fetch): feeds and pages from outside are
# fetched within a time budget and size cap; private and loopback addresses are refused
# (SSRF) unless POSTGUARD_PRESENCE_ALLOW_PRIVATE is on -- for the tests' local server only.
POSTGUARD_PRESENCE_ALLOW_PRIVATE = _flag("POSTGUARD_PRESENCE_ALLOW_PRIVATE") and not PRODUCTION
POSTGUARD_PRESENCE_TIMEOUT = float(os.environ.get("POSTGUARD_PRESENCE_TIMEOUT", "15"))
POSTGUARD_PRESENCE_MAX_BYTES = int(os.environ.get("POSTGUARD_PRESENCE_MAX_BYTES", "5000000"))
POSTGUARD_PRESENCE_MAX_REDIRECTS = int(os.environ.get("POSTGUARD_PRESENCE_MAX_REDIRECTS", "5"))

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # axes logs every failure with the details masked; the record keeps them instead.
    "loggers": {"postguard": {"level": "INFO"}, "axes": {"level": "ERROR"}},
}
