"""Settings for Studieväg.

One settings module, configured by environment variables (see README,
"Configuration"). With nothing set it runs on SQLite in DEBUG for local work;
outside DEBUG it refuses to start without a secret key.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("STUDIEVAG_DEBUG", default=False)

SECRET_KEY = env.str("STUDIEVAG_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set STUDIEVAG_SECRET_KEY (or STUDIEVAG_DEBUG=1 for local development).")
    SECRET_KEY = "insecure-local-development-key-only-used-with-debug"

ALLOWED_HOSTS = env.list("STUDIEVAG_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("STUDIEVAG_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "studievag.core.apps.StudievagAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    # Background jobs: Django's tasks framework with its database backend.
    "django_tasks",
    "django_tasks_db",
    # Infrastructure below every domain area.
    "studievag.jobs",
    "studievag.disclosure",
    # Domain areas, one app each.
    "studievag.core",
    "studievag.organisations",
    "studievag.catalogue",
    "studievag.scales",
    "studievag.people",
    "studievag.enrolments",
    "studievag.access",
    "studievag.records",
    "studievag.audit",
    "studievag.plans",
    "studievag.demo",
    "studievag.intake",
    "studievag.support",
    "studievag.progress",
    "studievag.handover",
    "studievag.outcomes",
    "studievag.surveys",
    "studievag.quality",
    "studievag.effect_chain",
    "studievag.interop",
    # The national data set and the benchmark (management commands only).
    "studievag.benchmark",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "studievag.core.middleware.SwedishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "studievag.core.middleware.ContentSecurityPolicyMiddleware",
    "studievag.core.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "studievag" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "studievag.access.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: SQLite with zero set-up; DATABASE_URL switches to PostgreSQL,
# e.g. postgres://studievag:secret@db.example:5432/studievag
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'studievag.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The group-level reports run analytical queries with many expressions that
    # take well under a second; PostgreSQL's JIT spends longer compiling them than
    # running them (national report 1.5 s with JIT, 0.9 s without; see `manage.py bench`).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # SQLite for many people at once: write-ahead logging lets reads go on while
    # one request writes; every request that may write (every page logs its reads)
    # takes the write lock when its transaction begins (IMMEDIATE), so two requests
    # never both read and then fail to upgrade to a write ("database is locked");
    # the second waits up to the busy timeout instead. The job worker shares the
    # file the same way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("STUDIEVAG_SQLITE_BUSY_SECONDS", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
else:
    # Persistent connections (a new one per request costs a few milliseconds),
    # checked before reuse so a restarted database server costs no failed request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("STUDIEVAG_CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Background jobs (studievag/jobs): tasks are rows in the database; `manage.py
# db_worker` runs them and `manage.py jobs_scheduler` enqueues the scheduled ones.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Connections that compute a full refresh of the report facts side by side (PostgreSQL):
# one per core the database server may spend on it.
STUDIEVAG_FACTS_WORKERS = env.int("STUDIEVAG_FACTS_WORKERS", default=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local accounts (staff without single sign-on, students, guardians): long
# passwords, none of the common ones, and none built on a school word or a
# place name with a year or a digit added (the first guesses against a school).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "studievag.core.passwords.GuessablePasswordValidator"},
]
# Single sign-on with OpenID Connect: on when a client id is configured.
OIDC_ENABLED = bool(env.str("STUDIEVAG_OIDC_CLIENT_ID", default=""))
# django-axes first: it refuses a log-in while the account or the address is locked out.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "studievag.core.sso.StudievagOIDCBackend")
    OIDC_RP_CLIENT_ID = env.str("STUDIEVAG_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("STUDIEVAG_OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("STUDIEVAG_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("STUDIEVAG_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("STUDIEVAG_OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("STUDIEVAG_OIDC_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("STUDIEVAG_OIDC_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = False
    OIDC_STORE_ID_TOKEN = False
    LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=failed"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Throttling of log-ins (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords
# in a row for one account, or from one address, log-in is refused there for
# LOGIN_LOCKOUT_MINUTES, even with the right password; each lockout is logged
# (logger "studievag.security") and kept in the admin's access attempts.
AXES_FAILURE_LIMIT = env.int("STUDIEVAG_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("STUDIEVAG_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "studievag.core.auth_views.locked_out"
AXES_CLIENT_IP_CALLABLE = "studievag.core.auth_views.client_ip"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("STUDIEVAG_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env.int("STUDIEVAG_SESSION_SECONDS", default=8 * 60 * 60)
# HTTPS only, remembered by the browser (HSTS), outside local development.
# Behind a proxy that ends TLS, STUDIEVAG_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO
# lets Django know the request came over HTTPS.
SECURE_HSTS_SECONDS = env.int("STUDIEVAG_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("STUDIEVAG_HSTS_SUBDOMAINS", default=False)
SECURE_SSL_REDIRECT = env.bool("STUDIEVAG_SSL_REDIRECT", default=False)
if proxy_ssl_header := env.str("STUDIEVAG_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (proxy_ssl_header, "https")

# Language: Swedish first, English second; student and guardian pages also
# in Arabic (right to left). Adding Dari, Tigrinya, Somali … is a matter of
# a translation file plus an entry in FAMILY_LANGUAGES.
LANGUAGE_CODE = "sv"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
]
STAFF_LANGUAGES = ["sv", "en"]
FAMILY_LANGUAGES = ["sv", "en", "ar"]
LOCALE_PATHS = [BASE_DIR / "studievag" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Project-wide assets (the shared stylesheet, vendor libraries from `make assets`).
STATICFILES_DIRS = [BASE_DIR / "studievag" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Where the audit log takes the client address from. Behind a reverse proxy
# set STUDIEVAG_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR.
CLIENT_IP_HEADER = env.str("STUDIEVAG_CLIENT_IP_HEADER", default="REMOTE_ADDR")

# Group-level reports hide a count under QUALITY_MIN_COUNT and a share whose
# base is under QUALITY_MIN_BASE ("..", Swedish official-statistics practice).
# An organiser can raise these limits for itself (quality.SuppressionRule).
QUALITY_MIN_COUNT = env.int("STUDIEVAG_QUALITY_MIN_COUNT", default=5)
QUALITY_MIN_BASE = env.int("STUDIEVAG_QUALITY_MIN_BASE", default=10)
if QUALITY_MIN_COUNT < 3 or QUALITY_MIN_BASE < QUALITY_MIN_COUNT:
    raise ImproperlyConfigured(
        "STUDIEVAG_QUALITY_MIN_COUNT must be at least 3 and STUDIEVAG_QUALITY_MIN_BASE at least as large."
    )

# Secrets that must not live in the database (e.g. the student registers' tokens), in a
# TOML file readable only by the service account; see studievag/interop/README.md.
SECRETS_FILE = env.str("STUDIEVAG_SECRETS_FILE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("STUDIEVAG_LOG_LEVEL", default="INFO")},
    # WeasyPrint and its font library log every layout step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
