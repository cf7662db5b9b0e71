"""Settings for chuyende, read from environment variables.

Every value that differs between a laptop and production comes from the environment and is
documented in the README's configuration table. A value that cannot be understood stops start-up
with a message that names the variable, rather than running with a guess.
"""

import base64
import hashlib
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true or false.")


def envint(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Mode and secrets ------------------------------------------------------------------------

DEBUG = envbool("DEBUG", False)

# Only good for development: production (DEBUG=false) refuses to start with it.
DEFAULT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is false "
        "(for development, set DEBUG=true)."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the site is served on.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Fernet keys (comma-separated, the first encrypts; the others still decrypt while rotating) for the
# secrets stored in the database (core/crypto.py). Development derives one from SECRET_KEY; production
# has none unless set, and core/crypto.py then refuses to store or read a secret.
ENCRYPTION_KEYS = envlist("ENCRYPTION_KEY", [])
if not ENCRYPTION_KEYS and DEBUG:
    ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"chuyende-encryption:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A timestamp server (RFC 3161) for digital signatures of issued documents: with it they are PAdES
# B-T (the time is vouched for), without it B-B (documents/signing.py).
SIGNING_TSA_URL = os.environ.get("SIGNING_TSA_URL", "").strip()
if SIGNING_TSA_URL and not SIGNING_TSA_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SIGNING_TSA_URL must be an http:// or https:// address.")

# --- Applications ----------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "accounts",
    "organizations",
    "documents",
    "planning",
    "notifications",
    "drafts",
    "meetings",
    "evaluations",
    "room",
    "reports",
    "library",
    "search",
    "archives",
    "home",
    "zalo",
    "push",
    "ninja",
    "api",
]

MIDDLEWARE = [
    # First: a body over the upload limit is refused before anything reads it.
    "core.middleware.UploadLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # WhiteNoise: static files compressed, a hashed file cached a year (core/staticfiles.py).
    "core.staticfiles.StaticFilesMiddleware",
    # Pages are sent gzip-compressed (a weak signal); Django's GZip pads against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# A strict Content-Security-Policy: scripts, styles, fonts and pictures only from this site (plus
# pictures embedded in drafts as data: URIs), no inline script or style, no plugins, no framing, forms
# posting only here. A page with a stricter policy of its own (a PDF shown in the browser) keeps it.
# Permissions-Policy turns off what the app never uses.
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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

ROOT_URLCONF = "chuyende.urls"
WSGI_APPLICATION = "chuyende.wsgi.application"
ASGI_APPLICATION = "chuyende.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Storage ---------------------------------------------------------------------------------

VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
_default_db = f"sqlite:///{VAR_DIR / 'chuyende.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db)}
except ValueError as exc:  # dj-database-url raises ValueError for unknown schemes
    raise ImproperlyConfigured(f"DATABASE_URL is not understood: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work side by side; the timeout waits out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles the dashboard's aggregates afresh on every request (2.4 s of a 4 s
        # query at province scale, docs/architecture.md); the app's queries are short and many.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        # A pool of connections shared by the threads of one process (Django's own, with psycopg_pool):
        # for an ASGI server holding the room's live streams, whose requests each run their synchronous
        # part in a thread of their own, so that thousands of phones opening streams wait their turn
        # for one of these connections instead of each opening its own (docs/architecture.md, § The
        # meeting room). A pooled connection goes back to the pool when the request ends, so
        # CONN_MAX_AGE does not apply. 0: no pool, a connection per thread (gunicorn's sync workers).
        DATABASE_POOL_SIZE = envint("DATABASE_POOL_SIZE", 0)
        if DATABASE_POOL_SIZE:
            DATABASES["default"]["CONN_MAX_AGE"] = 0
            DATABASES["default"]["OPTIONS"]["pool"] = {
                "min_size": 1,
                "max_size": DATABASE_POOL_SIZE,
                "timeout": envint("DATABASE_POOL_TIMEOUT", 20),
            }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed static files (needs `collectstatic`): always in production, under `make run` too.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "core.staticfiles.HashedStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if STATIC_MANIFEST:
    # Served from STATIC_ROOT as collected, never from the source folders (their names carry no hash).
    WHITENOISE_USE_FINDERS = False
    WHITENOISE_AUTOREFRESH = False
    # A file asked for by its plain name (not through {% static %}) may change: a minute.
    WHITENOISE_MAX_AGE = 60


# The cache: this process's memory by default (one app server); with several app servers behind a
# load balancer, a shared one — CACHE_URL=redis://host:6379/0 (Redis, which Django supports itself).
def cache_from_url(url: str) -> dict[str, Any]:
    scheme = url.split("://", 1)[0] if "://" in url else url
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chuyende"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: use redis://host:port/db, locmem:// or dummy://.")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}

# Live updates of the meeting room (room/live.py, docs/architecture.md § The meeting room): "poll" (the
# pages ask every 2 s, answered 304 while nothing changed) or "stream" (server-sent events at
# /hop/<id>/song/, served by an ASGI server, told of changes through Redis pub/sub at LIVE_REDIS_URL,
# by default the cache's Redis).
LIVE_UPDATES = os.environ.get("LIVE_UPDATES", "poll").strip().lower() or "poll"
if LIVE_UPDATES not in ("poll", "stream"):
    raise ImproperlyConfigured(f"LIVE_UPDATES={LIVE_UPDATES!r}: use poll or stream.")
_cache_url = os.environ.get("CACHE_URL", "")
LIVE_REDIS_URL = os.environ.get(
    "LIVE_REDIS_URL", _cache_url if _cache_url.startswith(("redis://", "rediss://")) else ""
)
if LIVE_UPDATES == "stream" and not LIVE_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "LIVE_UPDATES=stream needs Redis to pass the changes between processes: set "
        "LIVE_REDIS_URL=redis://host:6379/0 (or CACHE_URL=redis://…), or use LIVE_UPDATES=poll."
    )
# The frame of every page (the user's scope, the work queue, the bell) cached across requests, dropped
# on change (core.versions, home.invalidation). Only correct when every app server shares the cache: on
# by default with Redis; with the per-process default, only for a single process (FRAME_CACHE=true).
FRAME_CACHE = envbool("FRAME_CACHE", CACHES["default"]["BACKEND"].endswith("RedisCache"))
# Sign-in sessions read through the shared cache and written to both it and the database: one query
# less on every page. Only with a cache every app server shares, so that signing out on one server
# ends the session on all of them; otherwise in the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)

# Background jobs: run at once in the embedded default; a db_worker process in production.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if envbool("TASKS_USE_WORKER", False)
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- Accounts and sign-in --------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Counted per account, however the login is typed (case, e-mail or username): accounts/lockout.py.
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_key"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a load balancer the client address is in X-Forwarded-For; off unless configured.
AXES_IPWARE_PROXY_COUNT = envint("PROXY_COUNT", 0)

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14, minimum=300)

# --- E-mail ----------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# How long an e-mail claimed by a worker may stay "sending" before another worker takes it over (the
# first one died): notifications/outbox.py.
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", 300, minimum=1)
# Webhooks (notifications/webhooks.py) go to HTTPS addresses on the public Internet only: an endpoint on
# this machine or the local network (http://127.0.0.1 for the tests and the demo's receiver) is allowed
# only with this on. Never in production: anyone who may register a webhook could then reach the
# services behind the firewall.
WEBHOOKS_ALLOW_PRIVATE = envbool("WEBHOOKS_ALLOW_PRIVATE", False)
# Background jobs (core/jobs.py): a running job silent this long belonged to a worker that died and is
# taken up again; its file is kept this many days, then `manage.py jobs` removes it.
JOB_LEASE_SECONDS = envint("JOB_LEASE_SECONDS", 120, minimum=1)
JOB_FILE_DAYS = envint("JOB_FILE_DAYS", 7, minimum=1)
# Zalo (zalo/, docs/zalo.md): how long one call to Zalo may take, and whether an Official Account may
# point at a stand-in on this machine (http://127.0.0.1:8025, `manage.py zalo_standin`) instead of
# Zalo's own HTTPS addresses. Never in production: the app secret and the tokens go where it points.
ZALO_TIMEOUT_SECONDS = envint("ZALO_TIMEOUT_SECONDS", 10, minimum=1)
ZALO_ALLOW_STANDIN = envbool("ZALO_ALLOW_STANDIN", DEBUG)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chuyende <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Web Push (push/, docs/pwa.md): the VAPID key pair from `manage.py generate_vapid_keys` and a contact
# address the push services may write to (mailto: or https:). Neither key set: push is off, except under
# DEBUG, where a pair is made once into VAR_DIR/vapid-keys.json.
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "").strip()
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "").strip()
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (push off).")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "").strip() or "mailto:" + (
    re.sub(r"^.*<|>.*$", "", DEFAULT_FROM_EMAIL).strip() or "no-reply@localhost"
)
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(f"VAPID_SUBJECT={VAPID_SUBJECT!r}: write mailto:address or an https:// link.")
# How long a push service keeps a push for a browser that is offline (seconds).
# The push services browsers subscribe with; another address is refused (the server posts to it),
# except a stand-in on this machine where PUSH_ALLOW_STANDIN (development) allows it.
PUSH_ALLOW_STANDIN = envbool("PUSH_ALLOW_STANDIN", DEBUG)
PUSH_TTL_SECONDS = envint("PUSH_TTL_SECONDS", 24 * 60 * 60, minimum=0)

# --- Language and time -----------------------------------------------------------------------

LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LANGUAGE_CODE = os.environ.get("LANGUAGE", "vi")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE={LANGUAGE_CODE!r} is not one of: vi, en.")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.") from None

# --- Uploads ---------------------------------------------------------------------------------

UPLOAD_MAX_MB = envint("UPLOAD_MAX_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- The REST API (docs/api.md) ------------------------------------------------------------------

# Requests per access token, or per signed-in user, e.g. "600/min", "20/s", "10000/day"; empty: no limit.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/min").strip()
if API_RATE_LIMIT and not re.fullmatch(r"\d+/\d*(s|sec|m|min|h|hour|d|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT={API_RATE_LIMIT!r}: write requests/period, e.g. 600/min, 20/s, 10000/day."
    )
# A JSON body larger than this is refused (413); files follow UPLOAD_MAX_MB.
API_JSON_MAX_KB = envint("API_JSON_MAX_KB", 1024, minimum=1)
# How long the first answer to an Idempotency-Key is kept (then `manage.py purge_idempotency_keys`).
API_IDEMPOTENCY_HOURS = envint("API_IDEMPOTENCY_HOURS", 24, minimum=1)

# --- Security in production ------------------------------------------------------------------

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    if envbool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # LOG_FORMAT=json: one JSON object per line, for a log collector (core/logs.py).
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT", "plain") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; failures and lockouts (WARNING) are what matter.
    # WeasyPrint reports each rendering step at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # django-tasks reports every task start and end at INFO; failures are what matter.
        "django_tasks": {"level": "WARNING"},
    },
}
