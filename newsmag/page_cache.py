"""Full-page caching for anonymous readers, shared by every app server, invalidated on commit.

A page is cached under a key holding the site's *content version*: a PostgreSQL sequence that every
change readers can see (a publish, an edit, a correction, a comment approval...) advances after its
transaction commits. Each app server reads the version at most once a second (one tiny query), so a
change shows up everywhere within a second, with local-memory caches as well as with Redis. An entry
also never outlives the next scheduled publication or expiry, so scheduled stories appear on time.

Only responses of views marked with `@public_page` are stored, only for readers without a session or a
flash-message cookie, and only when the response sets no cookie and does not vary on cookies. Stored
pages are compressed once (brotli and gzip) and served with an ETag, 304s and CDN-friendly headers.
"""

import gzip
import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

import brotli
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers

SEQUENCE = "articles_content_version"
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy", "X-Robots-Tag",
                  "Link", "Referrer-Policy", "Cross-Origin-Opener-Policy", "X-Content-Type-Options",
                  "X-Frame-Options", "Permissions-Policy")  # fmt: skip


def public_page(view):
    """Mark a view's successful responses as the same for every anonymous reader (cacheable)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        response.page_cacheable = True
        return response

    return wrapper


@dataclass(frozen=True)
class ContentState:
    version: int
    next_change: datetime | None  # the next scheduled publication or expiry

    @property
    def key(self) -> str:
        """Changes with every edit and whenever a scheduled publication or expiry comes due."""
        return f"{self.version}.{int(self.next_change.timestamp()) if self.next_change else 0}"


_memo = threading.local()


def content_state() -> ContentState:
    """The content version and the next scheduled change, read at most once a second per process."""
    now = time.monotonic()
    cached = getattr(_memo, "state", None)
    if cached and now - cached[0] < settings.NEWSMAG_PAGE_CACHE_VERSION_SECONDS:
        return cached[1]
    # The application's clock, not the database's: Article.objects.published() decides with it too.
    moment = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT last_value FROM {SEQUENCE}),"
            " (SELECT min(publish_at) FROM articles_article"
            "  WHERE status = 'published' AND publish_at > %s),"
            " (SELECT min(expires_at) FROM articles_article"
            "  WHERE status = 'published' AND expires_at > %s)",
            [moment, moment],
        )
        version, next_publish, next_expiry = cursor.fetchone()
    changes = [moment for moment in (next_publish, next_expiry) if moment]
    state = ContentState(version=version, next_change=min(changes) if changes else None)
    _memo.state = (now, state)
    return state


def cached_for_content(name, compute, seconds=None, using="fragments"):
    """compute()'s result, kept in this process's cache `using` until readers' content changes.

    The key holds ContentState.key, so an edit, an approval or a scheduled time coming due retires it.
    It lives at most NEWSMAG_FRAGMENT_CACHE_SECONDS (0 turns caching off), or `seconds` if shorter.
    """
    limit = settings.NEWSMAG_FRAGMENT_CACHE_SECONDS
    seconds = limit if seconds is None else min(seconds, limit)
    if seconds <= 0:
        return compute()
    return caches[using].get_or_set(f"{name}:{content_state().key}", compute, seconds)


def content_changed():
    """Advance the content version once the current transaction commits (call from any write path)."""

    def bump():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nextval('{SEQUENCE}')")
        _memo.state = None

    transaction.on_commit(bump)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        state = content_state()
        # Host and scheme are part of the page (canonical links, feeds), so part of the key.
        url_hash = hashlib.md5(request.build_absolute_uri().encode()).hexdigest()
        key = f"page:{state.key}:{url_hash}"
        entry = cache.get(key)
        if entry is not None:
            return self.respond(request, entry, "HIT")
        response = self.get_response(request)
        if not self.storable(response):
            return response
        entry = self.build_entry(response)
        seconds = settings.NEWSMAG_PAGE_CACHE_SECONDS
        if state.next_change:
            seconds = min(seconds, int((state.next_change - timezone.now()).total_seconds()))
        if seconds >= 1:
            cache.set(key, entry, seconds)
        return self.respond(request, entry, "MISS")

    @staticmethod
    def applies(request):
        return (
            settings.NEWSMAG_PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES  # staff: always fresh pages
            and "messages" not in request.COOKIES  # a flash message is waiting for this reader
        )

    @staticmethod
    def storable(response):
        return (
            getattr(response, "page_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "cookie" not in response.get("Vary", "").lower()
            and "Content-Encoding" not in response
        )

    @staticmethod
    def build_entry(response):
        body = response.content
        return {
            "headers": {name: response[name] for name in STORED_HEADERS if name in response},
            "body": body,
            "gzip": gzip.compress(body, compresslevel=6, mtime=0),
            "br": brotli.compress(body, quality=5),
            "etag": f'"{hashlib.md5(body).hexdigest()}"',
        }

    @staticmethod
    def respond(request, entry, status):
        cache_control = (
            f"public, max-age={settings.NEWSMAG_BROWSER_MAX_AGE}, s-maxage={settings.NEWSMAG_CDN_MAX_AGE}, "
            f"stale-while-revalidate={settings.NEWSMAG_CDN_STALE_SECONDS}"
        )
        if entry["etag"] in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            accepted = request.headers.get("Accept-Encoding", "")
            encoding = "br" if "br" in accepted else "gzip" if "gzip" in accepted else None
            response = HttpResponse(entry[encoding] if encoding else entry["body"])
            for name, value in entry["headers"].items():
                response[name] = value
            if encoding:
                response["Content-Encoding"] = encoding
            response["Content-Length"] = str(len(response.content))
        response["ETag"] = entry["etag"]
        response["Cache-Control"] = cache_control
        response["X-Page-Cache"] = status
        patch_vary_headers(response, ["Accept-Encoding"])
        if request.method == "HEAD":
            response.content = b""
        return response
