"""Django settings, read from environment variables with safe defaults.

Every value a deployment may change comes from the environment (12-factor); nothing secret is committed.
"""

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.apps_registry import DOMAIN_APPS

SRC_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# A key is required in production; local runs (DEBUG or the embedded SQLite default) get a per-checkout key
# stored under var/ so sessions survive restarts without a secret ever being committed.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if "DATABASE_URL" in os.environ and not DEBUG and not env_bool("ALLOW_GENERATED_SECRET_KEY"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DATABASE_URL points at a server.")
    from core.secret_key import local_secret_key

    SECRET_KEY = local_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "dsfr",
    "widget_tweaks",  # django-dsfr's checkbox and radio templates load it
    "django_htmx",
    "simple_history",
    "ninja",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.LoginRequiredByDefaultMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "core.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'reseau_emploi.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; the timeout waits for the writer instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif os.environ.get("DATABASE_POOL_MAX_SIZE"):
    # psycopg's connection pool, one per process, shared by its threads (docs/operations.md "Workers and
    # connections"); Django returns the connection to the pool after each request, so no persistent connections.
    try:
        pool_sizes = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
            "max_size": int(os.environ["DATABASE_POOL_MAX_SIZE"]),
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        }
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MIN_SIZE, _MAX_SIZE, _TIMEOUT must be numbers: {exc}"
        ) from exc
    if not 0 <= pool_sizes["min_size"] <= pool_sizes["max_size"] or pool_sizes["max_size"] < 1:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MAX_SIZE ({pool_sizes['max_size']}) must be at least 1 and at least "
            f"DATABASE_POOL_MIN_SIZE ({pool_sizes['min_size']})."
        )
    # With CONN_HEALTH_CHECKS (on above) Django has the pool check each connection as it leaves the pool: after a
    # database restart the pooled connections are dead, and would otherwise each fail one request.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = pool_sizes
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
for _folder in (STATIC_ROOT, MEDIA_ROOT):
    with contextlib.suppress(OSError):  # a read-only image: the deployment provisions the folders
        _folder.mkdir(parents=True, exist_ok=True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool(
    "DJANGO_SECURE_COOKIES", not DEBUG and "DATABASE_URL" in os.environ
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Where the public reference files live (ROME, communes, …). See docs/data.md.
_default_data_dir = PROJECT_DIR.parent / "shared" / "data"
DATA_DIR = Path(
    os.environ.get("DATA_DIR", _default_data_dir if _default_data_dir.exists() else VAR_DIR / "data")
)

# The region the platform is configured for (INSEE region code); every territorial page scopes to it.
REGION_CODE = os.environ.get("REGION_CODE", "32")
NETWORK_NAME = os.environ.get("NETWORK_NAME", "Réseau pour l'emploi")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Offer search index (offers.search_index, docs/offers.md "Search index"): numpy columns and posting lists built
# from the database, saved per database under this directory and memory-mapped by every web process; searches
# go to the database's full-text index when it is off or too far behind.
OFFERS_SEARCH_INDEX = env_bool("OFFERS_SEARCH_INDEX", True)
OFFERS_SEARCH_INDEX_DIR = Path(os.environ.get("OFFERS_SEARCH_INDEX_DIR", VAR_DIR / "search-index"))

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100
DSFR_MARK_OPTIONAL_FIELDS = True

# Services to companies (issue 8): how long a partner's contact keeps others from calling the same company
# without coordination, and how close in days two recruitment operations on the same sector and basin clash.
SOLICITATION_WINDOW_DAYS = int(os.environ.get("SOLICITATION_WINDOW_DAYS", "30"))
OPERATION_CONFLICT_DAYS = int(os.environ.get("OPERATION_CONFLICT_DAYS", "7"))

# --- Security (issue 9): transport, headers, login throttling. See docs/security.md. -------------------------
# HTTPS settings apply when the site is served over HTTPS: DJANGO_HTTPS, on by default for a deployment (not
# DEBUG, a database server and its own secret key; local runs and the throwaway test server have no key).
# Behind a TLS-terminating proxy, set DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO so Django knows the
# original scheme (else SECURE_SSL_REDIRECT loops).
HTTPS = env_bool(
    "DJANGO_HTTPS", not DEBUG and "DATABASE_URL" in os.environ and "DJANGO_SECRET_KEY" in os.environ
)
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"], "https")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy with a per-request nonce, and Permissions-Policy (core.security).
MIDDLEWARE.insert(1, "core.security.SecurityHeadersMiddleware")
CSP_REPORT_ONLY = env_bool("DJANGO_CSP_REPORT_ONLY", False)
CSP_REPORT_URI = os.environ.get("DJANGO_CSP_REPORT_URI", "")

# Password login: lock an account after LOGIN_FAILURES_PER_ACCOUNT failures in LOGIN_LOCKOUT_MINUTES, an address
# after LOGIN_FAILURES_PER_IP (accounts.throttle, counted in the audit log so it holds across processes).
AUTHENTICATION_BACKENDS = ["accounts.throttle.ThrottledModelBackend"]
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_IP = int(os.environ.get("LOGIN_FAILURES_PER_IP", "20"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
# Behind a reverse proxy: the META key of the header it appends the client address to (HTTP_X_FORWARDED_FOR).
LOGIN_CLIENT_IP_HEADER = os.environ.get("LOGIN_CLIENT_IP_HEADER", "")

# --- ProConnect and TOTP (issue 9, login hardening). See docs/security.md "Login". -----------------------------
# ProConnect: the State's OpenID Connect federation for public agents. PROCONNECT_BASE_URL is the issuer's base,
# e.g. https://proconnect.gouv.fr/api/v2 (production) or https://fca.integ01.dev-agentconnect.fr/api/v2
# (integration); discovery is read from {PROCONNECT_BASE_URL}/.well-known/openid-configuration.
PROCONNECT_ENABLED = env_bool("PROCONNECT_ENABLED", False)
PROCONNECT_BASE_URL = os.environ.get("PROCONNECT_BASE_URL", "").rstrip("/")
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_SCOPES = os.environ.get("PROCONNECT_SCOPES", "openid email given_name usual_name siret uid")
PROCONNECT_ACR_VALUES = os.environ.get("PROCONNECT_ACR_VALUES", "")  # sent as acr_values when set
# ACR values that already mean a second factor at ProConnect: no TOTP asked again for them.
PROCONNECT_MFA_ACR_VALUES = env_list(
    "PROCONNECT_MFA_ACR_VALUES",
    "eidas2,eidas3,https://proconnect.gouv.fr/assurance/self-asserted-2fa,"
    "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
)
PROCONNECT_ALLOWED_EMAIL_DOMAINS = [domain.lower() for domain in env_list("PROCONNECT_ALLOWED_EMAIL_DOMAINS")]
PROCONNECT_TIMEOUT_SECONDS = float(os.environ.get("PROCONNECT_TIMEOUT_SECONDS", "5"))
if PROCONNECT_ENABLED and not (PROCONNECT_BASE_URL and PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "PROCONNECT_ENABLED needs PROCONNECT_BASE_URL, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET."
    )
# TOTP second factor (django-otp): optional for everyone, compulsory for administrators when
# REQUIRE_TOTP_FOR_ADMINISTRATORS is on. Wrong codes are counted by accounts.throttle with the password
# failures, so django-otp's own throttling is off (one lock-out rule, one message).
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE.append("accounts.middleware.SecondFactorMiddleware")
REQUIRE_TOTP_FOR_ADMINISTRATORS = env_bool("REQUIRE_TOTP_FOR_ADMINISTRATORS", False)
OTP_TOTP_ISSUER = NETWORK_NAME
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Limits on what a request may carry: forms and JSON bodies up to 5 MB, uploaded files up to 50 MB (an operator's
# offers export or a training catalogue); larger imports go through the command line.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_SIZE = int(os.environ.get("MAX_UPLOAD_SIZE", str(50 * 1024 * 1024)))

# Request-rate limit on the JSON API per client address ("N/s|m|h|d"; empty to switch it off), and how many
# proxies stand in front of the app (the client address is taken from X-Forwarded-For only behind them).
API_ANON_RATE = os.environ.get("API_ANON_RATE", "600/m")
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Django's cache (the rate-limit counters): the database by default, shared by every worker and host with no extra
# infrastructure (core.cache: atomic incr; table created by migrate). CACHE_URL=locmem:// for one process only.
from core.cache import caches_from_url  # noqa: E402

CACHES = caches_from_url(os.environ.get("CACHE_URL", ""))

# Longest CSV line any importer accepts (bytes): a longer one is rejected with its file and line, reading goes on.
CSV_MAX_LINE_BYTES = int(os.environ.get("CSV_MAX_LINE_BYTES", str(1024 * 1024)))

# Scheduled tasks (reseau-emploi run-scheduled-tasks, docs/operations.md): audit entries are kept one year (CNIL's
# recommendation for access logs), then deleted; an import with no committed batch for IMPORT_STALE_MINUTES, or
# whose process is gone, is marked interrupted.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "365"))
IMPORT_STALE_MINUTES = int(os.environ.get("IMPORT_STALE_MINUTES", "60"))
