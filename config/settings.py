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
    "studievag.core.apps.AxesConfig",  # django-axes, named in Swedish
    # Background jobs: Django's tasks framework with its database backend.
    "django_tasks",
    "studievag.jobs.apps.TaskQueueConfig",  # django_tasks_db, named in Swedish
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
    # The REST API for the organisation's other systems (integrations).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "studievag.api",
    # The national data set and the benchmark (management commands only).
    "studievag.benchmark",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The SAML request/response state, in its own cookie (SameSite=None, as the
    # identity provider POSTs the answer back from its own site).
    "djangosaml2.middleware.SamlSessionMiddleware",
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
    # Random reads cost little more than sequential ones when the tables a report reads are in
    # memory or on SSD (PostgreSQL's default of 4 is for spinning disks). At the default, the
    # planner found one hash over all 210,000 enrolments (and every student) cheaper than a few
    # thousand index look-ups for an organiser's report: its queries took twice as long.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c random_page_cost=" + env.str("STUDIEVAG_PG_RANDOM_PAGE_COST", default="1.1")
    )
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

# Queries a page runs again and again with other values (studievag/kept_sql.py) are
# prepared on each PostgreSQL connection: later runs skip parsing and planning. Turn off
# (STUDIEVAG_PG_PREPARE=0) behind a connection pooler that cannot keep prepared statements
# (PgBouncer before 1.21 in transaction mode).
STUDIEVAG_PG_PREPARE = env.bool("STUDIEVAG_PG_PREPARE", default=True)

# Background jobs (studievag/jobs): tasks are rows in the database; `manage.py
# db_worker` runs them and `manage.py jobs_scheduler` enqueues the scheduled ones.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Connections that compute a full refresh of the report facts side by side (PostgreSQL):
# one per core the database server may spend on it.
STUDIEVAG_FACTS_WORKERS = env.int("STUDIEVAG_FACTS_WORKERS", default=2)
# Connections a report page reads its queries on side by side (PostgreSQL; see
# studievag/quality/reading.py): the page's own and one more, one per core.
STUDIEVAG_REPORT_CONNECTIONS = env.int("STUDIEVAG_REPORT_CONNECTIONS", default=2)
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

# Single sign-on with SAML 2.0 (Skolfederation): on when the service's public address
# is configured. See README, "Sign-on with SAML (Skolfederation)", and studievag/core/saml.py.
SAML_BASE_URL = env.str("STUDIEVAG_SAML_BASE_URL", default="").rstrip("/")
SAML_ENABLED = bool(SAML_BASE_URL)
SAML_ENTITY_ID = env.str("STUDIEVAG_SAML_ENTITY_ID", default=f"{SAML_BASE_URL}/saml2/metadata/")
SAML_KEY_FILE = env.str("STUDIEVAG_SAML_KEY_FILE", default="")
SAML_CERT_FILE = env.str("STUDIEVAG_SAML_CERT_FILE", default="")
# Federation metadata (an aggregate signed by the federation) and single identity
# providers' metadata, fetched by the job saml.metadata_refresh into a local cache;
# a log-in never waits on the network for metadata.
SAML_METADATA_URLS = env.list("STUDIEVAG_SAML_METADATA_URLS", default=[])
SAML_METADATA_CERT = env.str("STUDIEVAG_SAML_METADATA_CERT", default="")
SAML_METADATA_FILES = env.list("STUDIEVAG_SAML_METADATA_FILES", default=[])
SAML_METADATA_CACHE = env.str("STUDIEVAG_SAML_METADATA_CACHE", default=str(BASE_DIR / "var" / "saml-metadata"))
SAML_METADATA_REFRESH_MINUTES = env.int("STUDIEVAG_SAML_METADATA_REFRESH_MINUTES", default=60)
SAML_IDPS = env.list("STUDIEVAG_SAML_IDPS", default=[])
# How a person is matched to an existing account: "eppn" (the eduPersonPrincipalName an
# administrator linked to the account) or "mail" (the account's e-mail address).
SAML_MATCH = env.str("STUDIEVAG_SAML_MATCH", default="eppn")
SAML_ORGANISATION_NAME = env.str("STUDIEVAG_SAML_ORGANISATION_NAME", default="Studieväg")
SAML_CONTACT_EMAIL = env.str("STUDIEVAG_SAML_CONTACT_EMAIL", default="")
SAML_XMLSEC_BINARY = env.str("STUDIEVAG_SAML_XMLSEC_BINARY", default="/usr/bin/xmlsec1")
if SAML_ENABLED and not (SAML_KEY_FILE and SAML_CERT_FILE):
    raise ImproperlyConfigured("SAML sign-on needs STUDIEVAG_SAML_KEY_FILE and STUDIEVAG_SAML_CERT_FILE.")
if SAML_MATCH not in ("eppn", "mail"):
    raise ImproperlyConfigured("STUDIEVAG_SAML_MATCH is either eppn or mail.")
# djangosaml2: the configuration is built per request from the settings above and the
# metadata cache; accounts are never created.
INSTALLED_APPS.append("djangosaml2")
AUTHENTICATION_BACKENDS.insert(1, "studievag.core.saml.StudievagSaml2Backend")
SAML_CONFIG_LOADER = "studievag.core.saml.sp_config"
SAML_CREATE_UNKNOWN_USER = False
SAML_ATTRIBUTE_MAPPING: dict[str, tuple[str, ...]] = {}
SAML_SESSION_COOKIE_NAME = "saml_session"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_IGNORE_LOGOUT_ERRORS = True
# The project sets its own Content-Security-Policy (core/middleware.py).
SAML_CSP_HANDLER = ""

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
# The health check is called over plain HTTP from inside the container and by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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

# The REST API (studievag/api): integration tokens only (no session log-in), the
# same access engine as the pages, errors as problem details, and a limit of
# calls per token and minute (429 beyond it).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["studievag.api.drf.IntegrationTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["studievag.api.drf.ScopeAndRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["studievag.api.drf.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"integration": env.str("STUDIEVAG_API_RATE", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "studievag.api.problems.problem_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "UNAUTHENTICATED_TOKEN": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Studieväg API",
    "DESCRIPTION": (
        "The REST API for the organisation's other systems: students, enrolments, study plans, "
        "progression, handovers and group-level reports, and progression and attendance from a "
        "learning platform. Every call needs an integration token (`Authorization: Bearer svi_…`); "
        "what it sees is decided by the roles of the integration's service account, exactly as "
        "for a person with those roles, and every read of a student is in the read log."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    # Without deep links an operation's path is text, not a link inside the row's button
    # (a control inside a control fails WCAG 2.1 AA, see core/tests/test_accessibility.py).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {"name": "students", "description": "Students and their enrolments and groups (`students:read`)."},
        {"name": "plans", "description": "Individual study plans (`plans:read`)."},
        {
            "name": "progress",
            "description": "Progression, grades and attendance (`progress:read`); steps and attendance "
            "from a learning platform (`progress:write`, `attendance:write`).",
        },
        {"name": "handovers", "description": "Handovers received from compulsory schools (`handovers:read`)."},
        {"name": "reports", "description": "Group-level figures with small numbers hidden (`reports:read`)."},
    ],
    "ENUM_NAME_OVERRIDES": {
        "StandingEnum": "studievag.api.serializers.STATUSES",
        "HandoverStatusEnum": "studievag.handover.models.Status.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "studievag.api.schema.add_problem_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("STUDIEVAG_LOG_LEVEL", default="INFO")},
    # WeasyPrint and its font library log every layout step at INFO.
    # xmlschema (under pysaml2) logs each schema it loads at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
    },
}
