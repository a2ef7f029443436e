"""What readers are shown is kept until it changes: whole pages, rendered fragments, computed values.

One sequence, the site's *content version*, says when that is: every change readers can see (a publish, an
edit, a correction, a comment approval...) advances it after its transaction commits. Each process reads it
at most once a second (one tiny query), so a change shows everywhere within a second, with local-memory
caches as well as with Redis. Nothing kept outlives the next scheduled publication or expiry either.

- `watch(model)` is the one place that invalidates: a model whose rows readers see is watched, and its
  saves, deletes, m2m changes and queryset updates (`WatchedQuerySet`) advance the version after commit.
- `fragment_key()` is the one key builder: a kept value's name, what it varies on, the content state, and
  for rendered HTML the host and scheme. `cached_for_content()` keeps Python values with it, the
  `{% keep %}` template tag (articles_tags) keeps fragments with it, and the page cache keys pages with it.
- `PageCacheMiddleware` stores responses of views marked `@public_page`, only for readers without a session
  or a flash-message cookie, and only when the response sets no cookie and does not vary on cookies.
  Stored pages are compressed once (brotli and gzip) and served with an ETag, 304s and CDN-friendly headers.
"""

import gzip
import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

import brotli
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from articles.compression import accepted_encoding

SEQUENCE = "articles_content_version"
# Paths whose views keep their own, cheaper answer: the live coverage poll (articles/live.py), which must
# cost no query at all on a hit, not even the content version this cache reads once a second. The page
# cache neither looks them up nor stores them.
OWN_CACHE_PATHS = ("/live/",)
# Set beside the session of a signed-in reader (not staff) by the project's account middleware: their
# public pages are everyone's, so the page cache serves them; their own part (header, comment form) is
# fetched apart. A forged one only gets someone the public page.
READER_COOKIE = "newsmag_reader"
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
    # The next start or expiry of a breaking news alert; None: no alert is running or due (no banner).
    next_alert: datetime | None = None

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
            "  WHERE status = 'published' AND expires_at > %s),"
            # The next moment a pin of a live front page or a section's pinned lead lapses.
            " (SELECT min(lapse) FROM articles_frontpage f"
            "  JOIN articles_frontrevision r ON r.id = f.live_revision_id, unnest(r.pin_untils) lapse"
            "  WHERE lapse > %s),"
            " (SELECT min(pinned_lead_until) FROM articles_section"
            "  WHERE pinned_lead_id IS NOT NULL AND pinned_lead_until > %s),"
            # Breaking news: the next alert to start, or else to end (it expires after it starts).
            " (SELECT min(CASE WHEN starts_at > %s THEN starts_at ELSE expires_at END)"
            "  FROM articles_newsalert WHERE expires_at > %s)",
            [moment] * 6,
        )
        version, next_publish, next_expiry, next_lapse, next_lead_lapse, next_alert = cursor.fetchone()
    changes = [m for m in (next_publish, next_expiry, next_lapse, next_lead_lapse, next_alert) if m]
    state = ContentState(
        version=version, next_change=min(changes) if changes else None, next_alert=next_alert
    )
    _memo.state = (now, state)
    return state


def fragment_key(name, *parts, request=None, state=None, versioned=True) -> str:
    """The key of anything kept for readers: `name`, the `parts` it varies on, the content state (unless
    `versioned` is off: a fragment keyed by everything it shows), and, given the `request` it is rendered
    for, the scheme and host (absolute links in it).
    """
    bits = [str(part) for part in parts]
    if request is not None:
        bits += [request.scheme, request.get_host()]
    if versioned:
        bits.append((state or content_state()).key)
    return f"{name}:{hashlib.md5(chr(31).join(bits).encode()).hexdigest()}"


def cached_for_content(name, compute, *parts, seconds=None, using="fragments"):
    """compute()'s result, kept in this process's cache `using` until readers' content changes.

    Keyed by `fragment_key(name, *parts)`. It lives at most NEWSMAG_FRAGMENT_CACHE_SECONDS (0 turns
    caching off), or `seconds` if shorter.
    """
    limit = settings.NEWSMAG_FRAGMENT_CACHE_SECONDS
    seconds = limit if seconds is None else min(seconds, limit)
    if seconds <= 0:
        return compute()
    return caches[using].get_or_set(fragment_key(name, *parts), compute, seconds)


def kept_fragment(context, name, parts, render, *, using="fragments", versioned=True):
    """Rendered HTML kept per process (the `{% keep %}` tag and inclusion tags use it): `render()` once
    until the content changes. Previews and renders without a request are never kept."""
    request = context.get("request")
    seconds = settings.NEWSMAG_FRAGMENT_CACHE_SECONDS
    if seconds <= 0 or request is None or context.get("preview"):
        return render()
    key = fragment_key(name, *parts, request=request, versioned=versioned)
    store = caches[using]
    html = store.get(key)
    if html is None:
        html = render()
        store.set(key, html, seconds)
    return html


def _content_changed():
    """Advance the content version once the current transaction commits."""

    def bump():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nextval('{SEQUENCE}')")
        _memo.state = None

    transaction.on_commit(bump)


def watch(model, *, when=None):
    """Readers see rows of `model`: once a save, a delete or (for a many-to-many through model) a change of
    its links commits, every kept page and fragment retires. `when(instance, created)` narrows it: a held
    comment, say, changes nothing readers see. Querysets of `WatchedQuerySet` cover bulk updates.
    """

    def changed(sender, instance, raw=False, created=None, **kwargs):
        if not raw and (when is None or when(instance, created)):
            _content_changed()

    def links_changed(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            _content_changed()

    uid = f"content-changed-{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(links_changed, sender=model, weak=False, dispatch_uid=f"{uid}-links")


class WatchedQuerySet(models.QuerySet):
    """A queryset whose bulk `update()` (which sends no signal) retires kept pages like a save does."""

    def update(self, **kwargs):
        changed = super().update(**kwargs)
        if changed:
            _content_changed()
        return changed


def seconds_until_midnight() -> int:
    """Whole seconds until the next midnight in the newsroom's time zone (TIME_ZONE)."""
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), datetime.min.time()))
    return int((midnight - now).total_seconds())


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies(request):
            return self.get_response(request)
        state = content_state()
        # Host and scheme are part of the page (canonical links, feeds), so part of the key.
        key = fragment_key("page", request.get_full_path(), request=request, state=state)
        entry = cache.get(key)
        if entry is not None:
            return self.respond(request, entry, "HIT")
        response = self.get_response(request)
        if not self.storable(response):
            return response
        entry = self.build_entry(response)
        # A page is kept until the next scheduled change and never past the newsroom's midnight: the
        # masthead's date line (templates/base.html) must turn over with the day.
        seconds = min(settings.NEWSMAG_PAGE_CACHE_SECONDS, seconds_until_midnight())
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
            and not request.path_info.startswith(OWN_CACHE_PATHS)
            # Staff get fresh pages; a signed-in reader the public copy (their part is fetched apart).
            and (settings.SESSION_COOKIE_NAME not in request.COOKIES or READER_COOKIE in request.COOKIES)
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
            encoding = accepted_encoding(request, ("br", "gzip"))
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
