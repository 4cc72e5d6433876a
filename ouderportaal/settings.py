"""Settings for Ouderportaal.

One settings module: every deploy value comes from an environment variable with a safe
development default. README.md ("Settings") and .env.example list every variable.
"""

import os
import re
from datetime import time
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Absolute base for every link in e-mails (background tasks have no request). Without SITE_URL
# it follows RUNSERVER_ADDR, the address `make run` serves on, so links match the dev server.
RUNSERVER_ADDR = env_str("RUNSERVER_ADDR", "127.0.0.1:8000")


def _dev_site_url(addr: str) -> str:
    host, _sep, port = addr.rpartition(":")
    if not host:  # runserver accepts a bare port
        host, port = "127.0.0.1", addr
    if host in ("0.0.0.0", "[::]", "::"):  # noqa: S104 - listening everywhere: link to loopback
        host = "127.0.0.1"
    return f"http://{host}:{port}"


SITE_URL = env_str("SITE_URL", _dev_site_url(RUNSERVER_ADDR)).rstrip("/")

INSTALLED_APPS = [
    # Before the admin: its TranslationAdmin and per-language fields patch the model admins.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_celery_beat",
    "csp",
    "ouderportaal",
    "core",
    "accounts",
    "onderwerpen",
    "families",
    "outbox",
    "privacy",
    "vragen",
    "afspraken",
    "nieuwsbrieven",
    "contactmomenten",
    "teams",
    "wachtlijst",
    "bereik",
    "sms",
    "cijfers",
    "kennisbank",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a parent's stored language wins, staff stay within nl/en.
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "accounts.middleware.IdentityProviderSessionMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.IdleSessionTimeoutMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.PrivateNoStoreMiddleware",
    "teams.middleware.OutsideTeamMiddleware",
]

ROOT_URLCONF = "ouderportaal.urls"
WSGI_APPLICATION = "ouderportaal.wsgi.application"

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
                "ouderportaal.context_processors.portal",
            ],
        },
    },
]

# SQLite needs nothing installed, so `make run` works on a bare machine; tests and production
# set DATABASE_URL to PostgreSQL (constraints, locking and full-text search are tested there).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is checked before a request or task reuses it: after a PostgreSQL
        # restart or failover the first one reconnects instead of answering 500.
        conn_health_checks=True,
    )
}
# --- Appointments (afspraken): SQLite with concurrent writers (`make run`) ----------------------
# By default SQLite starts transactions DEFERRED: two bookings both read, then both try to
# write, and one fails at once with "database is locked" (the busy timeout does not apply to
# that upgrade). IMMEDIATE takes the write lock at BEGIN, so the second booking waits up to
# the timeout and then sees the slot full (409). WAL lets pages read while a booking writes.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Passwords --------------------------------------------------------------------------------
# Argon2id (m=19 MiB, t=2, p=1: OWASP's password-storage guidance) for every new or changed
# password; the PBKDF2 hashers stay so older hashes still verify, and Django rehashes them with
# the first hasher at the user's next login (accounts/hashers.py; README, "Security").
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth -------------------------------------------------------------------------
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
# Sensitive actions ask for the password (or the staff TOTP) again, never for a code mailed to
# the same inbox a thief may already read; allauth 65.22 added code reauthentication, kept off.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated here so they are visible and reviewable, except for failed
    # logins: allauth counts them per address and per account in one rule, so 10 typos behind
    # one shared network locked every family there out. Now per account (key = e-mail) and,
    # separately, per address, counting only tries the account limit let through
    # (accounts/adapters.py, AccountAdapter.pre_authenticate).
    "login_failed": "5/5m/key",
    "login_failed_address": "30/15m/ip",
    # Every login POST per address (allauth's default is 30/m): doubled for shared networks;
    # over it, ouderportaal.views.too_many_requests answers in Dutch.
    "login": "60/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ouderportaal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Ouderportaal")
MFA_RECOVERY_CODE_COUNT = 10

# --- Login through OpenID Connect: DigiD (parents), organisation account (staff) ---------------
# DigiD is reached through a broker (SAML to Logius, OpenID Connect to us); staff through the
# organisation's own identity provider (Entra ID, Keycloak). Each is on only when its issuer and
# client id are set; the login page shows a button per configured provider. README: "DigiD".
DIGID_PROVIDER_ID = "digid"
STAFF_IDP_PROVIDER_ID = "organisatie"
DIGID_OIDC_ISSUER = env_str("DIGID_OIDC_ISSUER", "").rstrip("/")
DIGID_OIDC_CLIENT_ID = env_str("DIGID_OIDC_CLIENT_ID", "")
DIGID_OIDC_CLIENT_SECRET = env_str("DIGID_OIDC_CLIENT_SECRET", "")
DIGID_OIDC_SCOPES = env_list("DIGID_OIDC_SCOPES", "openid")
# Asked of the broker; DigiD Substantieel (app or SMS) is eIDAS "substantial".
DIGID_OIDC_ACR_VALUES = env_str("DIGID_OIDC_ACR_VALUES", "urn:etoegang:core:assurance-class:loa3")
# The `acr` values that count as Substantieel or higher when they come back.
DIGID_SUBSTANTIAL_ACR = env_list(
    "DIGID_SUBSTANTIAL_ACR",
    "urn:etoegang:core:assurance-class:loa3,urn:etoegang:core:assurance-class:loa4,"
    "http://eidas.europa.eu/LoA/substantial,http://eidas.europa.eu/LoA/high",
)
# Off by default: parents without DigiD must keep their e-mail + password route.
PORTAL_REQUIRE_EIDAS_SUBSTANTIAL = env_bool("PORTAL_REQUIRE_EIDAS_SUBSTANTIAL", False)
# The pages with a child's data that then ask for Substantieel (path prefixes).
PORTAL_EIDAS_PATHS = env_list(
    "PORTAL_EIDAS_PATHS", "/gezin/,/vragen/,/afspraken/,/contactmomenten/,/wachtlijst/,/privacy/"
)
STAFF_OIDC_ISSUER = env_str("STAFF_OIDC_ISSUER", "").rstrip("/")
STAFF_OIDC_CLIENT_ID = env_str("STAFF_OIDC_CLIENT_ID", "")
STAFF_OIDC_CLIENT_SECRET = env_str("STAFF_OIDC_CLIENT_SECRET", "")
STAFF_OIDC_SCOPES = env_list("STAFF_OIDC_SCOPES", "openid,profile,email")
# The claim with the person's groups or app roles (Entra ID: "roles"; Keycloak: "groups").
STAFF_OIDC_ROLES_CLAIM = env_str("STAFF_OIDC_ROLES_CLAIM", "roles")
# "<group>=<portal role>" pairs. An identity provider may only give professional roles
# (accounts.roles.SOURCE_GRANTABLE_ROLES): a mapping to manager is refused at login, logged.
STAFF_OIDC_ROLE_MAP = dict(
    pair.split("=", 1)
    for pair in env_list(
        "STAFF_OIDC_ROLE_MAP",
        "jgz-verpleegkundige=nurse,jgz-arts=doctor,jgz-assistent=assistant",
    )
    if "=" in pair
)
# `amr` values (RFC 8176) or `acr` values that mean the provider did a second factor: then the
# portal's own TOTP is not asked as well.
STAFF_OIDC_MFA_AMR = env_list("STAFF_OIDC_MFA_AMR", "mfa,otp,hwk,swk,fido,sms")
STAFF_OIDC_MFA_ACR = env_list("STAFF_OIDC_MFA_ACR", "")
# A leaver's session ends within this many seconds: the portal asks the provider's userinfo
# (refreshing the token when needed) and logs out when the provider refuses.
STAFF_OIDC_RECHECK_SECONDS = env_int("STAFF_OIDC_RECHECK_SECONDS", 120)
# Seconds the portal waits for a provider before showing "not reachable".
OIDC_TIMEOUT_SECONDS = env_int("OIDC_TIMEOUT_SECONDS", 5)

SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_REQUESTS_TIMEOUT = OIDC_TIMEOUT_SECONDS
# Both providers link accounts in accounts.services; never by a matching e-mail address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
# Starting a login is a POST (CSRF-checked); a GET shows allauth's confirmation page.
SOCIALACCOUNT_LOGIN_ON_GET = False
_oidc_apps = []
if DIGID_OIDC_ISSUER and DIGID_OIDC_CLIENT_ID:
    _oidc_apps.append(
        {
            "provider_id": DIGID_PROVIDER_ID,
            "name": "DigiD",
            "client_id": DIGID_OIDC_CLIENT_ID,
            "secret": DIGID_OIDC_CLIENT_SECRET,
            "settings": {
                "server_url": DIGID_OIDC_ISSUER,
                "scope": DIGID_OIDC_SCOPES,
                "auth_params": {"acr_values": DIGID_OIDC_ACR_VALUES}
                if DIGID_OIDC_ACR_VALUES
                else {},
                "oauth_pkce_enabled": True,
                "fetch_userinfo": True,
            },
        }
    )
if STAFF_OIDC_ISSUER and STAFF_OIDC_CLIENT_ID:
    _oidc_apps.append(
        {
            "provider_id": STAFF_IDP_PROVIDER_ID,
            "name": env_str("STAFF_OIDC_NAME", "organisatie-account"),
            "client_id": STAFF_OIDC_CLIENT_ID,
            "secret": STAFF_OIDC_CLIENT_SECRET,
            "settings": {
                "server_url": STAFF_OIDC_ISSUER,
                "scope": STAFF_OIDC_SCOPES,
                "oauth_pkce_enabled": True,
                "fetch_userinfo": True,
            },
        }
    )
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": _oidc_apps}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
# --- Languages (languages area) ----------------------------------------------------------------
# Parent pages, e-mails and text messages: Dutch plus the languages most spoken by families who
# read Dutch less well. Staff pages stay Dutch/English. Arabic is right-to-left (Django's
# LANGUAGES_BIDI already lists "ar"); base.html sets dir and loads Bootstrap's RTL CSS.
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
]
PARENT_LANGUAGES = [code for code, _name in LANGUAGES]
STAFF_LANGUAGES = ["nl", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- E-mail ------------------------------------------------------------------------------------
# outbox.backends.SMTPBackend is Django's SMTP backend with the TLS context below; newsletters
# use their own pipelined client (nieuwsbrieven/smtp.py) with the same context.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "outbox.backends.SMTPBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # SMTP over TLS, usually port 465
# The server's certificate is always verified: against the system's CAs, or this CA file.
EMAIL_SSL_CAFILE = env_str("EMAIL_SSL_CAFILE", "")
EMAIL_SSL_CERTFILE = env_str("EMAIL_SSL_CERTFILE", "") or None
EMAIL_SSL_KEYFILE = env_str("EMAIL_SSL_KEYFILE", "") or None
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ouderportaal <noreply@ouderportaal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Redis, cache, Celery ------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
# --- Outages (Redis and broker down must not take the portal down) ---
# After a failed call to Redis (cache or broker) a process goes straight to the stand-in (the
# database cache, the outbox) for this long before it tries again: no request waits on Redis.
OUTAGE_RETRY_SECONDS = env_int("OUTAGE_RETRY_SECONDS", 15)
# A Redis that accepts connections but does not answer must not hold a request for long.
REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT", 1)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisWithDatabaseFallbackCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "RETRY_SECONDS": OUTAGE_RETRY_SECONDS,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    # Without Redis (make run) a per-process cache is enough; rate limits then count per process.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without REDIS_URL, kombu's filesystem transport lets a local worker run with nothing installed.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if CELERY_BROKER_URL != "filesystem://"
    else {
        "data_folder_in": str(BASE_DIR / ".celery" / "queue"),
        "data_folder_out": str(BASE_DIR / ".celery" / "queue"),
        "processed_folder": str(BASE_DIR / ".celery" / "processed"),
        # kombu would otherwise write its broadcast exchange files into ./control.
        "control_folder": str(BASE_DIR / ".celery" / "control"),
        "store_processed": False,
    }
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# acks_late: a task whose worker dies is redelivered, so every task is idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when the broker is down: the outbox keeps the mail and a
# periodic flush sends it later, so a parent's request never hangs on Redis.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_TASK_PUBLISH_RETRY = False
# django-celery-beat, but a run that falls due while the broker is down is kept (core/beat.py).
CELERY_BEAT_SCHEDULER = "core.beat:CatchUpScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}  # filled below by each app's entries

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is a one-way decision for the whole domain (every subdomain HTTPS for good), so it
# is opt-in; without it, `check --deploy` would warn on every correct production setup.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else None
)
# Behind the TLS proxy the client is the last X-Forwarded-For entry (added by our proxy);
# allauth's rate limits and the access log's "from address" both use it.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", 1 if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else 0
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# The language choice rides along on every request like the session: same flags.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Error pages in the portal's layout and language (templates/403_csrf.html, 404, 403, 500).
CSRF_FAILURE_VIEW = "ouderportaal.views.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The login buttons POST to the portal, which redirects to the provider: browsers check a form's
# redirect against form-action, so the configured providers' origins are allowed there too.
for _issuer in (DIGID_OIDC_ISSUER, STAFF_OIDC_ISSUER):
    if _issuer:
        _origin = "/".join(_issuer.split("/")[:3])
        if _origin not in CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]:
            CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_origin)

# Browser features the portal never uses are switched off for every page (and any injected frame).
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()",
)
# Idle timeouts (s): staff see many families' data, so their sessions end sooner.
SESSION_IDLE_TIMEOUT_STAFF = env_int("SESSION_IDLE_TIMEOUT_STAFF", 15 * 60)
SESSION_IDLE_TIMEOUT_PARENT = env_int("SESSION_IDLE_TIMEOUT_PARENT", 60 * 60)
# Rate limits for sensitive parent forms: "<count>/<seconds>" per user (see core/ratelimit.py).
PORTAL_RATE_LIMITS = {
    "question": env_str("RATE_LIMIT_QUESTION", "10/3600"),
    "booking": env_str("RATE_LIMIT_BOOKING", "10/3600"),
    "data_export": env_str("RATE_LIMIT_DATA_EXPORT", "5/3600"),
    "account_delete": env_str("RATE_LIMIT_ACCOUNT_DELETE", "5/3600"),
    # Forms that mail an address the user types: per user, per recipient and per client address.
    "invite": env_str("RATE_LIMIT_INVITE", "5/3600"),
    "newsletter": env_str("RATE_LIMIT_NEWSLETTER", "10/3600"),
    "mail_to_address": env_str("RATE_LIMIT_MAIL_TO_ADDRESS", "3/86400"),
    "mail_from_ip": env_str("RATE_LIMIT_MAIL_FROM_IP", "20/3600"),
}

# Linking a first DigiD login to an account (password tries, activation codes) per address.
PORTAL_RATE_LIMITS["digid_first_login"] = env_str("RATE_LIMIT_DIGID_FIRST_LOGIN", "10/900")

# --- Privacy (AVG, NEN 7513) --------------------------------------------------------------------
# Parents see who looked at their data; with 0 they see the role only, not the staff member's name.
ACCESS_LOG_SHOW_STAFF_NAMES = env_bool("ACCESS_LOG_SHOW_STAFF_NAMES", False)
# Retention in days, applied nightly by privacy.tasks.apply_retention_task (dry-run report first).
RETENTION_CLOSED_QUESTIONS_DAYS = env_int("RETENTION_CLOSED_QUESTIONS_DAYS", 2 * 365)
RETENTION_PAST_APPOINTMENTS_DAYS = env_int("RETENTION_PAST_APPOINTMENTS_DAYS", 2 * 365)
# NEN 7513 asks to keep access logs as long as the data they are about: 5 years by default.
RETENTION_ACCESS_LOG_DAYS = env_int("RETENTION_ACCESS_LOG_DAYS", 5 * 365)
# Audit (NEN 7510): logins, logouts and failed attempts are kept a year, then removed nightly.
RETENTION_SECURITY_EVENTS_DAYS = env_int("RETENTION_SECURITY_EVENTS_DAYS", 365)
# Dry run only: the nightly task writes its report but deletes nothing (first weeks of a rollout).
RETENTION_DRY_RUN_ONLY = env_bool("RETENTION_DRY_RUN_ONLY", False)
# Youth rights (WGBO): from 12 the parent sees a notice; from 16 the youth's own questions are
# theirs alone. 0 switches the hiding off (for an organisation that handles this elsewhere).
YOUTH_NOTICE_FROM_AGE = env_int("YOUTH_NOTICE_FROM_AGE", 12)
YOUTH_PRIVATE_QUESTIONS_FROM_AGE = env_int("YOUTH_PRIVATE_QUESTIONS_FROM_AGE", 16)
# A signed link in the e-mail confirms deleting an account; valid this many hours.
ACCOUNT_DELETE_LINK_HOURS = env_int("ACCOUNT_DELETE_LINK_HOURS", 24)
CELERY_BEAT_SCHEDULE["privacy-apply-retention"] = {
    "task": "privacy.tasks.apply_retention_task",
    "schedule": crontab(hour=3, minute=15),
}

# --- Scale: retention in batches, mail rows, sessions (scale) ------------------------------------
# The nightly retention deletes in batches, each its own transaction, and stops after this many
# seconds; the next run resumes where it stopped (what is left is still past retention).
RETENTION_TIME_LIMIT_SECONDS = env_int("RETENTION_TIME_LIMIT_SECONDS", 1800)
# Sent and failed e-mails (outbox rows) and newsletter deliveries of finished editions are
# deleted after this many days; the figures keep their daily aggregates.
RETENTION_MAIL_DAYS = env_int("RETENTION_MAIL_DAYS", 365)
# `make bench-region` only: routes its baseline view (/bench/baseline/). Never in production.
BENCH = env_bool("BENCH", False)
# Expired sessions (database sessions) are removed nightly.
CELERY_BEAT_SCHEDULE["core-clear-sessions"] = {
    "task": "core.tasks.clear_sessions_task",
    "schedule": crontab(hour=4, minute=5),
    "options": {"expires": 60 * 60 * 6},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Portal ---------------------------------------------------------------------------------------
# Emergency numbers shown in every page footer; an organisation sets its own huisartsenpost.
EMERGENCY_GP_TEXT = env_str("PORTAL_GP_POST_PHONE", "0900-1515")
JGZ_PHONE = env_str("PORTAL_JGZ_PHONE", "030 630 54 00")
ORGANISATION_NAME = env_str("PORTAL_ORGANISATION_NAME", "JGZ Ouderportaal")
INVITATION_VALID_DAYS = env_int("PORTAL_INVITATION_VALID_DAYS", 7)
# --- Statements (toegankelijkheidsverklaring, privacyverklaring) --------------------------------
# The organisation's details in the accessibility and privacy statements linked from every footer.
ORGANISATION_ADDRESS = env_str("PORTAL_ORGANISATION_ADDRESS", "Postbus 1234, 3500 AA Utrecht")
ORGANISATION_CONTACT_EMAIL = env_str("PORTAL_CONTACT_EMAIL", "info@ouderportaal.example")
PRIVACY_OFFICER_NAME = env_str("PORTAL_PRIVACY_OFFICER_NAME", "")
PRIVACY_OFFICER_EMAIL = env_str("PORTAL_PRIVACY_OFFICER_EMAIL", "privacy@ouderportaal.example")
PRIVACY_OFFICER_PHONE = env_str("PORTAL_PRIVACY_OFFICER_PHONE", JGZ_PHONE)
# The date the accessibility statement was last checked (ISO date); renew it after each audit.
ACCESSIBILITY_STATEMENT_DATE = env_str("PORTAL_ACCESSIBILITY_STATEMENT_DATE", "2026-12-01")
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo accounts only

# --- Questions (vragen) -------------------------------------------------------------------------
# A question waiting for the parent's extra information returns to the queue after this many
# days without a reply (checked hourly by vragen.tasks.return_stale_waiting_questions_task).
VRAGEN_INFO_WAIT_DAYS = env_int("VRAGEN_INFO_WAIT_DAYS", 5)
# The "helped / not helped" link in the closing e-mail works this many days.
VRAGEN_FEEDBACK_VALID_DAYS = env_int("VRAGEN_FEEDBACK_VALID_DAYS", 14)
CELERY_BEAT_SCHEDULE["vragen-return-stale-waiting"] = {
    "task": "vragen.tasks.return_stale_waiting_questions_task",
    "schedule": 60 * 60,
    "options": {"expires": 60 * 30},
}

# --- Appointments (afspraken) -------------------------------------------------------------------
# Parents book no sooner than this (the nurse needs time to prepare) and no further ahead than
# the slots generated; cancel/reschedule online until the cut-off, after it they phone.
AFSPRAKEN_MIN_NOTICE_HOURS = env_int("AFSPRAKEN_MIN_NOTICE_HOURS", 2)
AFSPRAKEN_HORIZON_WEEKS = env_int("AFSPRAKEN_HORIZON_WEEKS", 8)
AFSPRAKEN_CANCEL_CUTOFF_HOURS = env_int("AFSPRAKEN_CANCEL_CUTOFF_HOURS", 24)
CELERY_BEAT_SCHEDULE["afspraken-generate-slots"] = {
    "task": "afspraken.tasks.generate_slots_task",
    "schedule": 60 * 60 * 24,
    "options": {"expires": 60 * 60 * 6},
}

# --- Teams (teams) --------------------------------------------------------------------------------
# How long a professional may read another team's family after stating why ("break the
# glass"): long enough for a call back or a consult, short enough to ask again tomorrow.
TEAMS_OUT_OF_TEAM_ACCESS_MINUTES = env_int("TEAMS_OUT_OF_TEAM_ACCESS_MINUTES", 120)
# The stored family -> team copy that lists read: appointments that just started can make a
# later one "next" (hourly); a full pass catches anything else, e.g. a deleted location.
CELERY_BEAT_SCHEDULE["teams-refresh-recently-started"] = {
    "task": "teams.tasks.refresh_recently_started_task",
    "schedule": 60 * 60,
    "options": {"expires": 60 * 30},
}
CELERY_BEAT_SCHEDULE["teams-refresh-all"] = {
    "task": "teams.tasks.refresh_family_teams_task",
    "schedule": crontab(hour=3, minute=40),
    "options": {"expires": 60 * 60 * 6},
}

# --- Mail delivery: retries and retention (outbox, nieuwsbrieven) ------------------------------
# A failed send is tried again after these minutes (the last step repeats), so an SMTP outage
# of hours loses nothing; after MAIL_GIVE_UP_AFTER_HOURS it is marked failed (logged, in admin).
MAIL_RETRY_SCHEDULE_MINUTES = [
    float(step) for step in env_list("MAIL_RETRY_SCHEDULE_MINUTES", "1,2,5,10,30,60")
]
MAIL_GIVE_UP_AFTER_HOURS = env_int("MAIL_GIVE_UP_AFTER_HOURS", 72)
# Bodies of sent mails are kept this long (support: "what did we send?"), then emptied; mails
# with a login or action link are emptied as soon as they are sent.
OUTBOX_BODY_RETENTION_DAYS = env_int("OUTBOX_BODY_RETENTION_DAYS", 30)
CELERY_BEAT_SCHEDULE["outbox-purge-bodies"] = {
    "task": "outbox.tasks.purge_old_bodies_task",
    "schedule": crontab(hour=3, minute=45),
}

# --- Reach: population import, outreach worklist, activation codes (bereik) ---------------------
# The DD JGZ export lands here each night ('' = no drop folder). A full export lists every child
# in our care: children missing from it have moved out. The refusal share protects against a
# cut-off file ending the care of half the region.
BEREIK_DROP_DIR = env_str("BEREIK_DROP_DIR", "")
BEREIK_IMPORT_FULL_EXPORT = env_bool("BEREIK_IMPORT_FULL_EXPORT", False)
BEREIK_DROP_DELETE_AFTER_IMPORT = env_bool("BEREIK_DROP_DELETE_AFTER_IMPORT", True)
BEREIK_IMPORT_MAX_REMOVED_PERCENT = env_int("BEREIK_IMPORT_MAX_REMOVED_PERCENT", 10)
# Families the JGZ registered whose parents never made an account: removed this many days
# after the JGZ's care for all their children ended (or all turned 18).
BEREIK_RETENTION_AFTER_CARE_DAYS = env_int("BEREIK_RETENTION_AFTER_CARE_DAYS", 90)
# The worklist looks back this far; a cancelled appointment counts after this many days
# without a new one; this many attempts without contact go to the team's youth doctor.
BEREIK_LOOKBACK_DAYS = env_int("BEREIK_LOOKBACK_DAYS", 365)
BEREIK_CANCELLED_GRACE_DAYS = env_int("BEREIK_CANCELLED_GRACE_DAYS", 14)
BEREIK_ESCALATE_AFTER = env_int("BEREIK_ESCALATE_AFTER", 3)
BEREIK_ACTIVATION_CODE_DAYS = env_int("BEREIK_ACTIVATION_CODE_DAYS", 90)
# The hours the JGZ answers the phone on working days ("from-until", as parents read them); the
# sentence around them is translated (bereik.services.opening_hours).
BEREIK_PHONE_HOURS = env_str("BEREIK_PHONE_HOURS", "8.30-17.00")
PORTAL_RATE_LIMITS["bereik_activate"] = env_str("RATE_LIMIT_BEREIK_ACTIVATE", "10/3600")
CELERY_BEAT_SCHEDULE["bereik-import-drop-folder"] = {
    "task": "bereik.tasks.import_drop_folder_task",
    "schedule": crontab(hour=2, minute=30),
    "options": {"expires": 60 * 60 * 6},
}

# --- Background jobs, reminders and newsletters (nieuwsbrieven) ----------------------------------
# Periodic scans, never long ETA tasks (Redis would redeliver them after its visibility timeout).
# The flush runs every minute: the first steps of the retry schedule are that short.
CELERY_BEAT_SCHEDULE["outbox-flush"] = {
    "task": "outbox.tasks.flush_outbox_task",
    "schedule": 60,
    "options": {"expires": 55},
}
CELERY_BEAT_SCHEDULE["afspraken-send-reminders"] = {
    "task": "afspraken.tasks.send_reminders_task",
    "schedule": 60 * env_int("AFSPRAKEN_REMINDER_SCAN_MINUTES", 5),
    "options": {"expires": 240},
}
CELERY_BEAT_SCHEDULE["nieuwsbrieven-send-due"] = {
    "task": "nieuwsbrieven.tasks.send_due_editions_task",
    "schedule": 60,
    "options": {"expires": 55},
}
CELERY_BEAT_SCHEDULE["nieuwsbrieven-milestones"] = {
    "task": "nieuwsbrieven.tasks.send_milestones_task",
    "schedule": crontab(hour=9, minute=0),
}
# --- Contact schedule (contactmomenten) ----------------------------------------------------------
# Invitations go out on the day a window opens and the reminder this many days before it closes,
# both at this local wall-clock time (HH:MM), found by a beat scan (never ETA tasks).
CONTACTMOMENTEN_SEND_TIME = time.fromisoformat(env_str("CONTACTMOMENTEN_SEND_TIME", "09:00"))
CONTACTMOMENTEN_REMINDER_DAYS_BEFORE_CLOSE = env_int(
    "CONTACTMOMENTEN_REMINDER_DAYS_BEFORE_CLOSE", 14
)
CELERY_BEAT_SCHEDULE["contactmomenten-send-messages"] = {
    "task": "contactmomenten.tasks.send_moment_messages_task",
    "schedule": 60 * env_int("CONTACTMOMENTEN_SCAN_MINUTES", 15),
    "options": {"expires": 60 * 10},
}
# --- Waiting list (wachtlijst) -------------------------------------------------------------------
# An offer holds this many daytime hours; daytime is DAY_START..DAY_END (local wall clock): an
# offer made at night is sent at DAY_START and its time counts from then.
WACHTLIJST_OFFER_VALID_HOURS = env_int("WACHTLIJST_OFFER_VALID_HOURS", 2)
WACHTLIJST_DAY_START = time.fromisoformat(env_str("WACHTLIJST_DAY_START", "08:00"))
WACHTLIJST_DAY_END = time.fromisoformat(env_str("WACHTLIJST_DAY_END", "21:00"))
# Families offered one free place at once (the first to accept gets it): more fills places
# faster, fewer disappoints fewer families with "al vergeven".
WACHTLIJST_OFFERS_PER_PLACE = env_int("WACHTLIJST_OFFERS_PER_PLACE", 3)
# A place starting so soon that an offer would hold less than this is not offered.
WACHTLIJST_MIN_OFFER_MINUTES = env_int("WACHTLIJST_MIN_OFFER_MINUTES", 30)
# After this many offers let expire or declined, a family leaves the list (told on its page).
WACHTLIJST_MAX_OFFERS = env_int("WACHTLIJST_MAX_OFFERS", 5)
# Rows one scan looks at, so a scan stays short.
WACHTLIJST_SCAN_LIMIT = env_int("WACHTLIJST_SCAN_LIMIT", 200)
CELERY_BEAT_SCHEDULE["wachtlijst-process-offers"] = {
    "task": "wachtlijst.tasks.process_offers_task",
    "schedule": 60 * env_int("WACHTLIJST_SCAN_MINUTES", 5),
    "options": {"expires": 240},
}
# --- Figures (cijfers) ---------------------------------------------------------------------------
# The periodic task recomputes this many past days of every aggregate table (questions are
# answered and appointments cancelled after the day they count on); older days stay as they are.
CIJFERS_REFRESH_DAYS = env_int("CIJFERS_REFRESH_DAYS", 45)
# Appointments starting at or after this local time count as evening opening.
CIJFERS_EVENING_FROM = time.fromisoformat(env_str("CIJFERS_EVENING_FROM", "17:30"))
# Survey invitations go out the day after a visit; a scan that was down catches up this far.
CIJFERS_SURVEY_LOOKBACK_DAYS = env_int("CIJFERS_SURVEY_LOOKBACK_DAYS", 3)
# Free-text survey remarks are emptied after this many days (the scores stay).
CIJFERS_REMARK_DAYS = env_int("CIJFERS_REMARK_DAYS", 365)
CELERY_BEAT_SCHEDULE["cijfers-refresh"] = {
    "task": "cijfers.tasks.refresh_figures_task",
    "schedule": crontab(hour=2, minute=30),
}
CELERY_BEAT_SCHEDULE["cijfers-survey-invitations"] = {
    "task": "cijfers.tasks.send_survey_invitations_task",
    "schedule": crontab(hour=10, minute=0),
}
CELERY_BEAT_SCHEDULE["cijfers-clear-old-remarks"] = {
    "task": "cijfers.tasks.clear_old_remarks_task",
    "schedule": crontab(hour=3, minute=45),
}
# The filesystem broker (make run) needs its folders before the first e-mail is queued.
if CELERY_BROKER_URL == "filesystem://":
    for _folder in ("queue", "processed"):
        (BASE_DIR / ".celery" / _folder).mkdir(parents=True, exist_ok=True)
# Several deployments (or test runs) can share one Redis: each uses its own key prefix.
if env_str("CELERY_BROKER_KEYPREFIX") and CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": env_str("CELERY_BROKER_KEYPREFIX")}
# Reminder lead times in calendar days (local time: "1 day before 10:00" stays 10:00 over DST).
AFSPRAKEN_REMINDER_DISCUSS_DAYS = env_int("AFSPRAKEN_REMINDER_DISCUSS_DAYS", 3)
AFSPRAKEN_REMINDER_DAY_BEFORE_DAYS = env_int("AFSPRAKEN_REMINDER_DAY_BEFORE_DAYS", 1)
NIEUWSBRIEVEN_CONSENT_VERSION = env_str("NIEUWSBRIEVEN_CONSENT_VERSION", "2026-11")
NIEUWSBRIEVEN_CONFIRM_DAYS = env_int("NIEUWSBRIEVEN_CONFIRM_DAYS", 7)
# Messages per chunk task: one SMTP connection each.
NIEUWSBRIEVEN_CHUNK_SIZE = env_int("NIEUWSBRIEVEN_CHUNK_SIZE", 1000)
# A chunk claimed longer ago than this (s) belongs to a dead worker and is sent again.
NIEUWSBRIEVEN_CLAIM_TIMEOUT = env_int("NIEUWSBRIEVEN_CLAIM_TIMEOUT", 900)
# A milestone reached up to this many days ago is still sent (the daily task may have missed
# a day); older ones are not, so a new milestone does not mail every child at once.
NIEUWSBRIEVEN_MILESTONE_WINDOW_DAYS = env_int("NIEUWSBRIEVEN_MILESTONE_WINDOW_DAYS", 14)

# --- Text messages (sms) -------------------------------------------------------------------------
# Like EMAIL_BACKEND: console for `make run`, the Spryng REST API in production (README "SMS").
SMS_BACKEND = env_str(
    "SMS_BACKEND",
    "sms.backends.console.SmsBackend" if DEBUG else "sms.backends.spryng.SmsBackend",
)
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(BASE_DIR / ".sms"))  # filebased backend only
# What parents see as the sender: at most 11 letters/digits (an alphanumeric originator).
SMS_SENDER_ID = env_str("SMS_SENDER_ID", "JGZ")
if not re.fullmatch(r"[A-Za-z0-9 ]{1,11}", SMS_SENDER_ID):
    raise ImproperlyConfigured("SMS_SENDER_ID: 1-11 letters, digits or spaces")
# Numbers typed without a country code are read as Dutch.
SMS_DEFAULT_REGION = "NL"
# No SMS arrives in these hours (local time); a message due then waits for the morning.
SMS_QUIET_HOURS_START = env_str("SMS_QUIET_HOURS_START", "21:00")
SMS_QUIET_HOURS_END = env_str("SMS_QUIET_HOURS_END", "08:00")
SMS_SPRYNG_URL = env_str("SMS_SPRYNG_URL", "https://rest.spryngsms.com/v1")
SMS_SPRYNG_API_KEY = env_str("SMS_SPRYNG_API_KEY", "")
SMS_SPRYNG_ROUTE = env_str("SMS_SPRYNG_ROUTE", "business")
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)  # seconds per request to the provider
# The provider's inbound callback (STOP) is signed with this key; empty = the endpoint is off.
SMS_INBOUND_SECRET = env_str("SMS_INBOUND_SECRET", "")
# Sent and failed SMS rows (number, text) are deleted after this many days by the retention job.
SMS_RETENTION_DAYS = env_int("SMS_RETENTION_DAYS", 90)
PORTAL_RATE_LIMITS["sms_inbound"] = env_str("RATE_LIMIT_SMS_INBOUND", "120/60")
CELERY_BEAT_SCHEDULE["sms-flush"] = {
    "task": "sms.tasks.flush_sms_task",
    "schedule": 60,
    "options": {"expires": 55},
}

# --- Content library and content translations (kennisbank) --------------------------------------
# The languages content (articles, editions, standard answers, topics, contact moment texts,
# alarm advice) can be written in; each gets its own column per field (django-modeltranslation).
# Fixed (not derived from LANGUAGES): each code is a database column, so adding a language here
# needs a migration of every translated model (`makemigrations`).
CONTENT_LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk")
MODELTRANSLATION_LANGUAGES = CONTENT_LANGUAGES
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
# A missing translation shows the Dutch text (with a note in the reader's language).
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
# Objects created in code (demo data, tests) without an explicit language keep their text in the
# Dutch column too, so a text written while another language is active is never lost to Dutch.
MODELTRANSLATION_AUTO_POPULATE = "default"
# Flesch-Douma score below which a Dutch text is harder than B1 (60-70 is "fairly easy").
KENNISBANK_B1_MIN_SCORE = env_int("KENNISBANK_B1_MIN_SCORE", 60)
# Sentences longer than this many words, words longer than this many letters are highlighted.
KENNISBANK_LONG_SENTENCE_WORDS = env_int("KENNISBANK_LONG_SENTENCE_WORDS", 15)
KENNISBANK_LONG_WORD_LETTERS = env_int("KENNISBANK_LONG_WORD_LETTERS", 13)

# --- Production fails closed ---------------------------------------------------------------------
# With DEBUG off, refuse to start on what would quietly be unsafe: a key anyone can read in this
# repository, SQLite, or no REDIS_URL (the setting only: nothing connects here, so a worker
# restarted during a Redis outage still comes up). Each refusal names the variable to set.
if not DEBUG:
    from ouderportaal.failclosed import refusals

    _refusals = refusals(
        secret_key=SECRET_KEY,
        database_engine=DATABASES["default"]["ENGINE"],
        redis_url=REDIS_URL,
        source_dir=BASE_DIR,
    )
    if _refusals:
        raise ImproperlyConfigured(
            "Refusing to start with DJANGO_DEBUG=0:\n- " + "\n- ".join(_refusals)
        )
