"""Production-safe base settings, read from the environment (see interfaces.md, "Configuration")."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from ..object_storage import s3_storage

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)
# Public (it is in the repository): production.py refuses to start with it.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off / 生产环境必须设置 SECRET_KEY")
    SECRET_KEY = DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "smartsite",
    # The project's apps, lowest first: each may import only those above it in this list.
    "audit",
    "intake",
    "communities",
    "accounts",
    "people",
    "standards",
    "checklists",
    "review",
    "coverage",
    "assessments",
    "pilots",
    "publications",
    "jobs",
    "backups",
    "wagtail.contrib.settings",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.sites",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
# Development-only tools (demo data, the synthetic province): never part of a production deployment unless asked.
if env_bool("DEVTOOLS", DEBUG):
    INSTALLED_APPS.insert(INSTALLED_APPS.index("backups") + 1, "devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware deciding by the person's choice only (cookie, else Chinese): smartsite/i18n.py.
    "smartsite.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Identity (accounts/): idle staff sessions end, then administrators must pass their second factor.
    "accounts.middleware.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the login view into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartsite.urls"
WSGI_APPLICATION = "smartsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the phone form save while a verifier reads; a busy timeout rides out short write locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's length rule with the level-3 minimum and a Chinese message, plus three character classes.
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.password_validation.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The roster (people/): a new account's one-time activation link works this many days (a reprint voids it sooner).
ACTIVATION_DAYS = int(os.environ.get("ACTIVATION_DAYS", "14"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
# A logout form without its own `next` (the second-factor pages') lands on the login page: the project has no
# registration/logged_out.html, and Django would otherwise render it.
LOGOUT_REDIRECT_URL = "login"
# A worker stays logged in on their phone for a whole assessment round.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(120 * 24 * 3600)))

# Identity (accounts/, README "Security"). Login lockout by django-axes: the standalone backend refuses a locked
# caller before the password is checked; accounts.lockout counts each lock against its own limit.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
# An account is locked from one address only (the pair), so a stranger's wrong passwords never shut its owner out
# everywhere; an address is locked under any names at its own limit. Failures on one account from many addresses
# slow it down instead (accounts.lockout: a growing wait, at most LOGIN_SLOWDOWN_MAX_SECONDS).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))  # per account and address
# Per address: a community office or a district's network often shares one public address.
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "20"))
LOGIN_SLOWDOWN_MAX_SECONDS = int(os.environ.get("LOGIN_SLOWDOWN_MAX_SECONDS", "300"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
# A locked caller's further tries are refused without being counted, so the lock ends when the message says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login (time, address, browser) stays on record
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # the project has no Django admin; lockouts are listed in the Wagtail admin
# Reverse proxies in front of the app that append to X-Forwarded-For (nginx: 1); 0 trusts REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.AdminLoginForm"
# Users who may open the Wagtail admin are logged out after this much inactivity; phone workers are not.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
# TOTP second factor for superusers and 管理员 (production.py turns it on by default).
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "智慧社区达标核查"

# One language per screen (README "Languages", locale/README.md). Chinese is the source language: the msgids are
# the Chinese wording, the English catalog translates it; Wagtail's own strings (English msgids) come with Wagtail's
# zh_Hans catalog, and those it lacks are supplied by the project's locale/zh_Hans (site/smartsite/wagtail_strings.py).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# The admin's own preference (account → 偏好设置) offers the same two; without one the admin follows LANGUAGES' choice.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Every time a person reads is Shandong's (Asia/Shanghai): the admin offers no time-zone preference.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The phone's switcher remembers the choice for a year (Django's default is only until the browser closes).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
# Files browsers ask for at the site root (/favicon.ico), served by WhiteNoise in development and production.
WHITENOISE_ROOT = BASE_DIR / "site" / "root"
# Evidence lives under MEDIA_ROOT but MEDIA_URL is never served directly: every file goes through a
# permission-checking view (checklists.views.evidence), see "Evidence files are private".
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# STORAGE_S3_BUCKET (+ endpoint, keys, region) moves media to S3-compatible object storage, private and signed.
if S3_STORAGE := s3_storage(os.environ):
    STORAGES["default"] = S3_STORAGE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Photos up to 20 MB are checked by the photo pipeline; Django must let them through to it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAIL_SITE_NAME = "智慧社区达标核查"
# No calls out of a government network (and the CSP allows none): Wagtail's new-release check stays off.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nor to Gravatar: users with an e-mail get Wagtail's default avatar instead of an image the CSP blocks.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "xlsx", "jsonl"]

# Production hardening; values come from the environment so a reverse proxy set-up can tune them.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
X_FRAME_OPTIONS = "SAMEORIGIN"
# Content-Security-Policy (django-csp): only this origin; the few inline <script>/<style> blocks carry the
# request's nonce ({{ CSP_NONCE }}). Photo previews on the phone are blob: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# How private evidence is handed to the web server: "" (Django streams it), "x-accel" (nginx) or "x-sendfile".
EVIDENCE_SERVE = os.environ.get("EVIDENCE_SERVE", "")
EVIDENCE_ACCEL_PREFIX = os.environ.get("EVIDENCE_ACCEL_PREFIX", "/protected-media/")
# Phone photos: the display copy and the original's facts go first; the original follows on Wi-Fi or when the
# worker sends it ("required", "optional"), or never leaves the phone ("never"). See checklists/originals.py.
EVIDENCE_ORIGINALS = os.environ.get("EVIDENCE_ORIGINALS", "required").strip().lower()
if EVIDENCE_ORIGINALS not in {"required", "optional", "never"}:
    raise ImproperlyConfigured(
        "EVIDENCE_ORIGINALS must be required, optional or never / 原图设置只能是 required、optional 或 never"
    )
# Every picture (intake/images.py: phone photos, imports, evidence files, pilot materials and visit photos): at most
# PHOTO_WORKERS decoded at once per process, each refused before decoding if it would take more than
# PHOTO_MAX_DECODE_BYTES; an upload that finds every slot taken for PHOTO_WAIT_SECONDS is refused as busy (the
# phone gets 503 and sends it again).
PHOTO_WORKERS = int(os.environ.get("PHOTO_WORKERS", "2"))
PHOTO_WAIT_SECONDS = float(os.environ.get("PHOTO_WAIT_SECONDS", "10"))
PHOTO_MAX_DECODE_BYTES = int(os.environ.get("PHOTO_MAX_DECODE_BYTES", str(384 * 1024 * 1024)))
# With EVIDENCE_SERVE=redirect, <img> follows the redirect to the object store, so the CSP must allow its origin.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += env_list("CSP_IMG_SRC", "")
if EVIDENCE_SERVE == "redirect" and (S3_STORAGE or {}).get("OPTIONS", {}).get("endpoint_url"):
    _store = urlsplit(S3_STORAGE["OPTIONS"]["endpoint_url"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_store.scheme}://{_store.netloc}")

# The province's pilot programme: reminders go this many days before each stage's deadline (and once when it has
# passed) by e-mail through Django's mail settings; a midterm, final or rectification review gets this long.
PILOT_REMINDER_DAYS = tuple(int(d) for d in env_list("PILOT_REMINDER_DAYS", "30,7,1"))
PILOT_REVIEW_DAYS = int(os.environ.get("PILOT_REVIEW_DAYS", "60"))
PILOT_MIN_EXPERTS = int(os.environ.get("PILOT_MIN_EXPERTS", "3"))  # the smallest panel a review's guards accept
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG
                               else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
