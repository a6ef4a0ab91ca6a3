"""Settings for ipcity, configured from the environment (see README "Configuration").

IPCITY_HOME holds everything one installation owns: the embedded SQLite database, uploaded files,
generated secrets and backups. Several installations can live side by side with different homes.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url

from ipcity.core.crypto import generate_key_text


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def ipcity_home() -> Path:
    return Path(os.environ.get("IPCITY_HOME") or Path.cwd() / "ipcity-data").resolve()


def _home_secret(home: Path, filename: str, make) -> str:
    """Read a secret kept in the installation's home, creating it (mode 0600) on first use."""
    path = home / filename
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    home.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value)
    return value


BASE_DIR = Path(__file__).resolve().parent
IPCITY_HOME = ipcity_home()
IPCITY_HOME.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("IPCITY_DEBUG", False)
SECRET_KEY = os.environ.get("IPCITY_SECRET_KEY") or _home_secret(
    IPCITY_HOME, "secret_key", lambda: secrets.token_urlsafe(50)
)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("IPCITY_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("IPCITY_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Personal data at rest: key id -> base64 key. IPCITY_FIELD_KEYS (JSON) wins; otherwise one key is generated
# into the home. Losing this key loses the encrypted fields: back it up with the database (ipcity backup does).
if os.environ.get("IPCITY_FIELD_KEYS"):
    IPCITY_FIELD_KEYS = json.loads(os.environ["IPCITY_FIELD_KEYS"])
else:
    IPCITY_FIELD_KEYS = {"k1": _home_secret(IPCITY_HOME, "field_key", generate_key_text)}
IPCITY_FIELD_KEY_ACTIVE = os.environ.get("IPCITY_FIELD_KEY_ACTIVE") or sorted(IPCITY_FIELD_KEYS)[-1]
IPCITY_FIELD_CIPHER = os.environ.get("IPCITY_FIELD_CIPHER", "aes-gcm")  # or "sm4-gcm"
IPCITY_DIGEST_KEY = os.environ.get("IPCITY_DIGEST_KEY") or _home_secret(IPCITY_HOME, "digest_key", generate_key_text)

# The evidence log (存证): its Merkle tree files (derived from the entries in the database, rebuilt when missing),
# the Ed25519 key that signs its checkpoints (base64 of 32 bytes; generated into the home, kept out of backups
# unless --include-keys), the origin line its checkpoints name, and the hash algorithm (sha256, or sm3) fixed when
# the first entry is written. Optional RFC 3161 timestamps of checkpoints: the TSA's URL, its certificate (PEM file;
# tokens are verified against it) and the CA certificates it chains to (PEM file; without it the certificate is pinned).
IPCITY_EVIDENCE_DIR = Path(os.environ.get("IPCITY_EVIDENCE_DIR") or IPCITY_HOME / "evidence")
IPCITY_EVIDENCE_KEY = os.environ.get("IPCITY_EVIDENCE_KEY") or _home_secret(IPCITY_HOME, "evidence_key", generate_key_text)
IPCITY_EVIDENCE_ORIGIN = os.environ.get("IPCITY_EVIDENCE_ORIGIN", "")
IPCITY_EVIDENCE_ALGORITHM = os.environ.get("IPCITY_EVIDENCE_ALGORITHM", "sha256")
IPCITY_TSA_URL = os.environ.get("IPCITY_TSA_URL", "")
IPCITY_TSA_CERT = os.environ.get("IPCITY_TSA_CERT", "")
IPCITY_TSA_CA = os.environ.get("IPCITY_TSA_CA", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "ninja",
    "ipcity.core",
    "ipcity.regions",
    "ipcity.orgs",
    "ipcity.accounts",
    "ipcity.workdays",
    "ipcity.jobs",
    "ipcity.plans",
    "ipcity.ipdata",
    "ipcity.search",
    "ipcity.analytics",
    "ipcity.protection",
    "ipcity.evidence",
    "ipcity.credit",
    "ipcity.abnormal",
    "ipcity.inspections",
    "ipcity.portal",
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
    "ipcity.core.middleware.RequestContextMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' rule).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

ROOT_URLCONF = "ipcity.urls"
WSGI_APPLICATION = "ipcity.wsgi.application"

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
                "ipcity.core.context_processors.platform",
            ],
        },
    },
]

if os.environ.get("IPCITY_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["IPCITY_DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": IPCITY_HOME / "ipcity.sqlite3",
            # IMMEDIATE: a write transaction takes the lock at BEGIN, so the audit chain's read-then-append
            # cannot interleave with another writer (and no "database is locked" upgrade failures).
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ipcity.accounts.passwords.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ipcity.accounts.passwords.CharacterClassValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = IPCITY_HOME / "static"
MEDIA_ROOT = IPCITY_HOME / "media"
# Pre-compressed (gzip, brotli) copies of the static files for slow intranet links. Compressing the vendored assets
# takes about half a minute per `collectstatic`; IPCITY_STATIC_COMPRESS=0 skips it (the test suite's throwaway
# installations set it).
_COMPRESS_STATIC = os.environ.get("IPCITY_STATIC_COMPRESS", "1") != "0"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage" if _COMPRESS_STATIC
                    else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# Serve straight from the app folders when collectstatic has not run (the embedded demo).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Upload limits (bytes); imports of large exports go through the job runner in chunks.
IPCITY_UPLOAD_MAX_BYTES = int(os.environ.get("IPCITY_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("IPCITY_REQUEST_MAX_BYTES", 10 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Sessions: 等保 asks for a session timeout; 30 minutes of inactivity by default.
SESSION_COOKIE_AGE = int(os.environ.get("IPCITY_SESSION_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Lockout is per account (等保); locking by IP would lock out a whole office behind one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

if env_bool("IPCITY_HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("IPCITY_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SILENCED_SYSTEM_CHECKS.append("security.W021")  # HSTS preload is the domain owner's decision, not ours

# Login lockout (django-axes). Limits are business rules in the Rule table; these callables read them.
AXES_FAILURE_LIMIT = "ipcity.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "ipcity.accounts.lockout.cooloff_time"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ipcity.accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # attempts are shown through our own audited admin, not axes' editable one
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("IPCITY_LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# E-mail (reminders). Off unless IPCITY_EMAIL_HOST is set: intranets often have no mail relay.
if os.environ.get("IPCITY_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["IPCITY_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("IPCITY_EMAIL_PORT", 25))
    EMAIL_HOST_USER = os.environ.get("IPCITY_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("IPCITY_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("IPCITY_EMAIL_TLS", False)
    DEFAULT_FROM_EMAIL = os.environ.get("IPCITY_EMAIL_FROM", "ipcity@localhost")
IPCITY_EMAIL_ENABLED = bool(os.environ.get("IPCITY_EMAIL_HOST"))

IPCITY_DEMO_CITY = os.environ.get("IPCITY_DEMO_CITY", "371700")  # 山东省菏泽市
IPCITY_EMBEDDED_WORKER = env_bool("IPCITY_EMBEDDED_WORKER", True)
# CPU priority (nice increment) of the job worker's thread: background work yields to requests on a busy machine.
IPCITY_WORKER_NICE = int(os.environ.get("IPCITY_WORKER_NICE", "10"))
CSRF_FAILURE_VIEW = "ipcity.core.errors.csrf_failure"
