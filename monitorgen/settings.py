"""Django settings, all from environment variables (see README, "Configuration").

Development mode (the default) runs on embedded defaults: SQLite, the embedded generator and a
generated secret key. Production mode (`MONITORGEN_ENV=production`) refuses to start without
`SECRET_KEY` and `ALLOWED_HOSTS`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from monitorgen.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MONITORGEN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_str("MONITORGEN_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when MONITORGEN_ENV=production"
        )
    # A fresh key per process start: fine for development, sessions just do not survive restarts.
    SECRET_KEY = "dev-insecure-" + secrets.token_urlsafe(32)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise RuntimeError("ALLOWED_HOSTS must be set when MONITORGEN_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "monitorgen.accounts",
    "monitorgen.catalogs",
    "monitorgen.rules",
    "monitorgen.exports",
    "monitorgen.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "monitorgen.urls"
WSGI_APPLICATION = "monitorgen.wsgi.application"

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

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'monitorgen.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "monitorgen" / "static"]

REST_FRAMEWORK = {
    # Token first: an unauthenticated API call then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_THROTTLE", "10/minute")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "monitorgen.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "monitorgen API",
    "DESCRIPTION": "Generate, validate, review and export Prometheus rules.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the sidecar package's static files, not a CDN (the app runs offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preload-list submission is hard to undo; it is the operator's choice, not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- monitorgen -------------------------------------------------------------------------------
# Path to promtool; empty means "find it on PATH".
PROMTOOL = env_str("PROMTOOL")
PROMTOOL_TIMEOUT_SECONDS = env_float("PROMTOOL_TIMEOUT_SECONDS", 30.0)
# Scrape interval assumed by lint checks when a catalog does not say.
DEFAULT_SCRAPE_INTERVAL = env_str("MONITORGEN_SCRAPE_INTERVAL", "30s")
# Size limit for one intent, in characters.
INTENT_MAX_CHARS = env_int("MONITORGEN_INTENT_MAX_CHARS", 2000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- generation --------------------------------------------------------------------------------
# Which generator answers by default: "embedded" (deterministic, offline) or "llm".
GENERATOR = env_str("MONITORGEN_GENERATOR", "embedded")
# Any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server).
# With no LLM_BASE_URL/LLM_MODEL set, the embedded generator answers.
LLM_BASE_URL = env_str("LLM_BASE_URL")
LLM_MODEL = env_str("LLM_MODEL")
LLM_API_KEY = env_str("LLM_API_KEY")  # or LLM_API_KEY_FILE
# instructor mode: tools | json_schema | json
LLM_MODE = env_str("LLM_MODE", "tools")
LLM_TIMEOUT_SECONDS = env_float("LLM_TIMEOUT_SECONDS", 60.0)
LLM_MAX_REPAIRS = env_int("LLM_MAX_REPAIRS", 2)
LLM_TEMPERATURE = env_float("LLM_TEMPERATURE", 0.0)
# How many candidate rules the embedded generator may try before it asks instead.
EMBEDDED_MAX_CANDIDATES = env_int("MONITORGEN_EMBEDDED_MAX_CANDIDATES", 4)

# --- GitOps export -------------------------------------------------------------------------------
# Path to git; empty means "find it on PATH".
GIT = env_str("GIT")
GIT_TIMEOUT_SECONDS = env_float("GIT_TIMEOUT_SECONDS", 60.0)
# Where export targets may keep credential files (a target names a file, never the secret).
GIT_SECRETS_DIRS = env_list("GIT_SECRETS_DIRS", ["/run/secrets", str(VAR_DIR / "secrets")])
