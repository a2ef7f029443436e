"""What readers are shown is kept until what it shows changes: whole pages, rendered fragments, values.

Everything kept names its *dependencies*, short keys for what it shows: "a12" (article 12 itself), "c12"
(its comment thread and counts), "s3" (section 3's lists), "t9" (a tag's), "p4" (an author's), "home",
"feeds", "sitemaps", "search"... Each key has a version, a row of articles.CacheVersion. A change readers
can see retires its keys after its transaction commits (`retire()`, called by `watch()`): one statement
takes the next value of a counter row and gives it to every key. Each process reads the rows changed since
its last read at most once a second (`content_state()`, one small query, through the database router: the
database the pages' data comes from), so a change shows everywhere within a second, and only what shows it
is rebuilt: a comment approved on one story retires that story's page and the lists showing its count, not
the long tail of other stories.

- `depends_on(*keys)` is the one way to declare what something kept shows. Whatever is kept while another
  item is being built (a card inside a list page) hands its keys to it, so a page depends on what its parts
  depend on. Everything kept (unless `stable`) also depends on SITE (sections, site pages, fronts, alerts:
  rare changes that retire everything), and on ANY, which every change retires, if it declared nothing.
- `fragment_key()` is the one key builder: a kept item's name, what it varies on and, for rendered HTML,
  the host and scheme. Versions are not in the key: an entry stores the versions of its dependencies it
  was built at and is valid while they are unchanged in this process's memory (a hit costs no query).
  `cached_for_content()` keeps Python values, `{% keep %}` fragments and `PageCacheMiddleware` pages.
- Nothing kept outlives the next scheduled publication, expiry, pin lapse or alert start/end either (the
  "epoch" of `content_state()`).
- `watch(model, keys=...)` is the one place that says which models readers see and which keys a change of
  a row retires (articles/signals.py, comments/apps.py).
- `PageCacheMiddleware`, the first middleware, answers a kept page before the rest of the stack runs;
  `PageCacheStoreMiddleware`, below the outage middleware, builds what it keeps. Pages are stored only for
  views marked `@public_page`, readers without a session or flash-message cookie, and responses that set
  no cookie nor vary on cookies; compressed once (brotli and gzip), served with an ETag, 304s, CDN headers
  and their dependencies as `Surrogate-Key` / `Cache-Tag` (articles/cdn.py purges them when configured).
"""

import gzip
import hashlib
import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

import brotli
from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    connections,
    models,
    router,
    transaction,
)
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from articles.compression import accepted_encoding

# Dependency keys. Per object: short, stable, and safe in a CDN's surrogate-key header.
SITE = "site"  # everything kept depends on it: what every page shows (navigation, footer, banner)
ANY = "any"  # every change retires it: what kept items that declared nothing depend on
HOME = "home"  # the home page, the latest stories, archives
FEEDS = "feeds"
SITEMAPS = "sitemaps"
SEARCH = "search"
CORRECTIONS = "corrections"
AI_IMAGES = "ai-images"
COUNTER = "~"  # the row whose version every change takes the next value of


def article_key(pk):
    return f"a{pk}"


def thread_key(pk):
    """An article's comment thread and everything showing its comment or recommendation counts."""
    return f"c{pk}"


def section_key(pk):
    return f"s{pk}"


def tag_key(pk):
    return f"t{pk}"


def author_key(pk):
    return f"p{pk}"


# Paths whose views keep their own, cheaper answer: the live coverage poll (articles/live.py), which must
# cost no query at all on a hit, not even the versions this cache reads once a second. The page cache
# neither looks them up nor stores them.
OWN_CACHE_PATHS = ("/live/",)
# Set beside the session of a signed-in reader (not staff) by the project's account middleware: their
# public pages are everyone's, so the page cache serves them; their own part (header, comment form) is
# fetched apart. A forged one only gets someone the public page.
READER_COOKIE = "newsmag_reader"
# Headers a kept page is served with again: the view's and every security header the stack adds.
STORED_HEADERS = (
    "Content-Type", "Content-Language", "Content-Disposition", "Content-Security-Policy",
    "Content-Security-Policy-Report-Only", "X-Robots-Tag", "Link", "Referrer-Policy",
    "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy",
    "X-Content-Type-Options", "X-Frame-Options", "Permissions-Policy", "Strict-Transport-Security",
    "Access-Control-Allow-Origin", "Reporting-Endpoints",
)  # fmt: skip


def public_page(view):
    """Mark a view's successful responses as the same for every anonymous reader (cacheable)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        response.page_cacheable = True
        return response

    return wrapper


# --- Versions -------------------------------------------------------------------------------------------


class _Versions:
    """The versions of one database's dependencies as this process last read them (shared by threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.versions: dict[str, int] = {}
        self.seen = 0  # the counter's value at the last read: rows changed since have a higher version
        self.generation = 0  # turns over when the table was emptied (a test database flushed)


_stores: dict[str, _Versions] = {}


@dataclass(frozen=True)
class ContentState:
    alias: str  # the database the versions (and so the pages' data) are read from
    watermark: int  # versions above it were not known when this state was read
    generation: int
    next_change: datetime | None  # the next scheduled publication, expiry, pin lapse or alert change
    # The next start or expiry of a breaking news alert; None: no alert is running or due (no banner).
    next_alert: datetime | None = None

    @property
    def epoch(self) -> int:
        """Changes whenever a scheduled publication or expiry comes due: items of another epoch retire."""
        return int(self.next_change.timestamp()) if self.next_change else 0

    @property
    def versions(self) -> dict[str, int]:
        return _stores[self.alias].versions

    def recorded(self, keys) -> tuple:
        """(key, version) for each key, as an item built from data read after this state was taken is
        valid at. A version this state did not know yet is recorded as -1: never valid, never stale."""
        versions = self.versions
        pairs = []
        for key in sorted(keys):
            version = versions.get(key, 0)
            pairs.append((key, version if version <= self.watermark else -1))
        return tuple(pairs)

    def still_valid(self, stamp) -> bool:
        """Whether an item stamped with `self.stamp(...)` of some earlier state shows what is current."""
        generation, epoch, pairs = stamp
        if generation != self.generation or (epoch is not None and epoch != self.epoch):
            return False
        versions = self.versions
        return all(versions.get(key, 0) == version for key, version in pairs)

    def stamp(self, keys, *, stable=False):
        if stable:  # keyed by everything it shows: valid whatever changes
            return (self.generation, None, ())
        keys = set(keys) or {ANY}
        keys.add(SITE)
        return (self.generation, self.epoch, self.recorded(keys))


_memo = threading.local()

STATE_SQL = """
SELECT (SELECT version FROM articles_cacheversion WHERE key = %s),
  (SELECT coalesce(json_agg(json_build_array(key, version)), '[]'::json)
   FROM articles_cacheversion WHERE version > %s),
  (SELECT min(publish_at) FROM articles_article WHERE status = 'published' AND publish_at > %s),
  (SELECT min(expires_at) FROM articles_article WHERE status = 'published' AND expires_at > %s),
  -- The next moment a pin of a live front page or a section's pinned lead lapses.
  (SELECT min(lapse) FROM articles_frontpage f
   JOIN articles_frontrevision r ON r.id = f.live_revision_id, unnest(r.pin_untils) lapse WHERE lapse > %s),
  (SELECT min(pinned_lead_until) FROM articles_section
   WHERE pinned_lead_id IS NOT NULL AND pinned_lead_until > %s),
  -- Breaking news: the next alert to start, or else to end (it expires after it starts).
  (SELECT min(CASE WHEN starts_at > %s THEN starts_at ELSE expires_at END)
   FROM articles_newsalert WHERE expires_at > %s)
"""


def _version_model():
    return apps.get_model("articles", "CacheVersion")  # the models import this module


def content_state() -> ContentState:
    """The dependency versions and the next scheduled change, read at most once a second per process.

    The rows changed since the last read come in the same query: a hit, between reads, costs no query.
    """
    now = time.monotonic()
    alias = router.db_for_read(_version_model())
    cached = getattr(_memo, "state", None)
    if cached and cached[1].alias == alias and now - cached[0] < settings.NEWSMAG_PAGE_CACHE_VERSION_SECONDS:
        return cached[1]
    # The application's clock, not the database's: Article.objects.published() decides with it too.
    moment = timezone.now()
    store = _stores.setdefault(alias, _Versions())
    with store.lock, connections[alias].cursor() as cursor:
        cursor.execute(STATE_SQL, [COUNTER, store.seen, *[moment] * 6])
        counter, changed, *moments = cursor.fetchone()
        if (counter or 0) < store.seen:  # the table was emptied: start again, under another generation
            store.versions.clear()
            store.seen = 0
            store.generation += 1
            cursor.execute(STATE_SQL, [COUNTER, 0, *[moment] * 6])
            counter, changed, *moments = cursor.fetchone()
        if isinstance(changed, str):  # json handed over undecoded
            changed = json.loads(changed)
        for key, version in changed:
            store.versions[key] = version
        store.seen = counter or 0
        watermark, generation = store.seen, store.generation
    next_alert = moments[-1]
    changes = [m for m in moments if m]
    state = ContentState(
        alias=alias,
        watermark=watermark,
        generation=generation,
        next_change=min(changes) if changes else None,
        next_alert=next_alert,
    )
    _memo.state = (now, state)
    return state


def forget_versions():
    """Read every version afresh on the next content_state() (the tests' database is reset between tests)."""
    for store in _stores.values():
        with store.lock:
            store.versions.clear()
            store.seen = 0
            store.generation += 1
    _memo.state = None
    _pending_keys().clear()


# --- Declaring and keeping ------------------------------------------------------------------------------

_building = threading.local()


@contextmanager
def collecting(keys=()):
    """Collect the keys declared (`depends_on`) while something kept is built; they go on to the item
    being built around it, if any."""
    stack = _building.__dict__.setdefault("stack", [])
    found = set(keys)
    stack.append(found)
    try:
        yield found
    finally:
        stack.pop()
        if stack:
            stack[-1].update(found)


def depends_on(*keys):
    """Declare that what is being kept (a page, a fragment, a value) shows what `keys` name."""
    stack = getattr(_building, "stack", None)
    if stack:
        stack[-1].update(keys)


def shows_stories(stories):
    """Declare that what is kept shows `stories` with their comment counts (cards kept as objects)."""
    for story in stories:
        if story is not None:
            depends_on(article_key(story.pk), thread_key(story.pk))
    return stories


def shows(*keys):
    """Decorate a view whose whole page shows `keys` (depends_on() as the view starts)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            depends_on(*keys)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def keys_of(value):
    """Dependency keys from what a `{% keep %}`'s `on=` gives: a key, an iterable of them, or an object of
    a watched model (the keys `watch(model, shown=...)` says it shows)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, models.Model):
        shown = _SHOWN.get(type(value))
        return list(shown(value)) if shown else [ANY]
    return [key for item in value for key in keys_of(item)]


def fragment_key(name, *parts, request=None) -> str:
    """The key of anything kept for readers: `name`, the `parts` it varies on and, given the `request` it
    is rendered for, the scheme and host (absolute links in it). What it shows is checked apart: the
    entry stores the versions of its dependencies.
    """
    bits = [str(part) for part in parts]
    if request is not None:
        bits += [request.scheme, request.get_host()]
    return f"{name}:{hashlib.md5(chr(31).join(bits).encode()).hexdigest()}"


def keep(store, key, build, *, deps=(), seconds, stable=False):
    """The one way to keep something: `build()`'s result under `key` in the cache `store`, for at most
    `seconds`, valid while the dependencies it declared (`deps`, and `depends_on()` while it is built) are
    unchanged. A hit hands its dependencies to whatever is being built around it."""
    state = content_state()
    entry = store.get(key)
    if entry is not None and state.still_valid(entry[0]):
        depends_on(*(k for k, _ in entry[0][2]))
        return entry[1]
    with collecting(deps) as found:
        value = build()
    store.set(key, (state.stamp(found, stable=stable), value), seconds)
    return value


def cached_for_content(name, compute, *parts, deps=(), seconds=None, using="fragments"):
    """compute()'s result, kept in this process's cache `using` until what it shows (`deps`) changes.

    Keyed by `fragment_key(name, *parts)`. It lives at most NEWSMAG_FRAGMENT_CACHE_SECONDS (0 turns
    caching off), or `seconds` if shorter.
    """
    limit = settings.NEWSMAG_FRAGMENT_CACHE_SECONDS
    seconds = limit if seconds is None else min(seconds, limit)
    if seconds <= 0:
        depends_on(*deps)
        return compute()
    return keep(caches[using], fragment_key(name, *parts), compute, deps=deps, seconds=seconds)


def kept_fragment(context, name, parts, render, *, deps=(), using="fragments", stable=False):
    """Rendered HTML kept per process (the `{% keep %}` tag and inclusion tags use it): `render()` once
    until what it shows (`deps`) changes. Previews and renders without a request are never kept."""
    request = context.get("request")
    seconds = settings.NEWSMAG_FRAGMENT_CACHE_SECONDS
    if seconds <= 0 or request is None or context.get("preview"):
        depends_on(*deps)
        return render()
    key = fragment_key(name, *parts, request=request)
    return keep(caches[using], key, render, deps=deps, seconds=seconds, stable=stable)


# --- Retiring -------------------------------------------------------------------------------------------

BUMP_SQL = """
WITH counter AS (
  INSERT INTO articles_cacheversion (key, version) VALUES (%s, 1)
  ON CONFLICT (key) DO UPDATE SET version = articles_cacheversion.version + 1
  RETURNING version)
INSERT INTO articles_cacheversion (key, version)
SELECT changed, counter.version FROM counter, unnest(%s::text[]) AS changed
ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version
"""

# Per thread: a thread's commit must not retire keys of another thread's transaction before that one
# commits (a reader in between would keep the old rows under the new version).
_pending = threading.local()


def _pending_keys() -> set:
    return _pending.__dict__.setdefault("keys", set())


def _flush():
    pending = _pending_keys()
    keys = sorted(pending)
    pending.clear()
    if not keys:
        return
    alias = router.db_for_write(_version_model())
    # One statement: the counter row's lock orders concurrent changes, so versions become visible in the
    # order they were taken, and a process reading "changed since N" never misses one.
    with connections[alias].cursor() as cursor:
        cursor.execute(BUMP_SQL, [COUNTER, keys])
    _memo.state = None  # this process sees its own change at once
    if settings.NEWSMAG_CDN_PURGE_URL:
        from articles.cdn import purge

        purge.delay_on_commit(keys)


def retire(*keys, using=DEFAULT_DB_ALIAS):
    """Retire everything kept that shows `keys`, once the current transaction commits (coalesced: one
    statement for all the keys of a transaction). A rolled-back transaction's keys retire with the next."""
    _pending_keys().update(keys, [ANY])
    transaction.on_commit(_flush, using=using)


def _everything(instance):
    return (SITE,)


_KEYS = {}  # model -> the keys a change of a row retires
_SHOWN = {}  # model -> the keys a kept item showing a row depends on


def watch(model, *, when=None, keys=_everything, links=None, shown=None):
    """Readers see rows of `model`: once a save or a delete commits, what shows the row retires:
    `keys(instance)` (by default SITE: everything kept). `when(instance, created)` narrows it: a held
    comment, say, changes nothing readers see. For a many-to-many through model, `links(instance,
    pk_set, reverse)` gives the keys of a change of links (by default, `keys` of the instance).
    `shown(instance)` gives what a fragment showing a row depends on (`{% keep ... on=row %}`).
    Querysets of `WatchedQuerySet` cover bulk updates.
    """
    _KEYS[model] = keys
    if shown is not None:
        _SHOWN[model] = shown

    def changed(sender, instance, raw=False, created=None, using=DEFAULT_DB_ALIAS, **kwargs):
        if not raw and (when is None or when(instance, created)):
            retire(*keys(instance), using=using)

    def links_changed(sender, instance, action, reverse=False, pk_set=None, using=DEFAULT_DB_ALIAS, **kwargs):
        # pre_clear: the links are still there to say what they showed.
        if action in ("post_add", "post_remove", "pre_clear"):
            changed_keys = links(instance, pk_set, reverse) if links else keys(instance)
            retire(*changed_keys, using=using)

    uid = f"content-changed-{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(links_changed, sender=model, weak=False, dispatch_uid=f"{uid}-links")


# Past this many rows a bulk update retires everything rather than reading each row's keys.
BULK_KEYS_LIMIT = 500


class WatchedQuerySet(models.QuerySet):
    """A queryset whose bulk `update()` (which sends no signal) retires kept items like a save does."""

    def update(self, **kwargs):
        keys_of_row = _KEYS.get(self.model, _everything)
        rows = list(self[: BULK_KEYS_LIMIT + 1]) if keys_of_row is not _everything else []
        changed = super().update(**kwargs)
        if changed:
            if keys_of_row is _everything or len(rows) > BULK_KEYS_LIMIT:
                retire(SITE, using=self.db)
            else:
                retired = set()
                for row in rows:
                    retired.update(keys_of_row(row))  # what showed the row before
                    for field, value in kwargs.items():
                        if not hasattr(value, "resolve_expression"):
                            setattr(row, field, value)
                    retired.update(keys_of_row(row))  # and what shows it now
                retire(*retired, using=self.db)
        return changed


# --- The page cache -------------------------------------------------------------------------------------


def seconds_until_midnight() -> int:
    """Whole seconds until the next midnight in the newsroom's time zone (TIME_ZONE)."""
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), datetime.min.time()))
    return int((midnight - now).total_seconds())


def cdn_keys(pairs) -> list[str]:
    """The dependency keys a CDN tags a response with, within NEWSMAG_CDN_KEYS_BYTES: the broad keys
    first (SITE, lists), then the per-object ones, as many as fit (a CDN still expires the page after
    s-maxage, and purging SITE purges everything)."""
    keys = sorted((key for key, _ in pairs), key=lambda key: (key[0].isalpha() and key[1:].isdigit(), key))
    chosen, size = [], 0
    for key in keys:
        size += len(key) + 1
        if size > settings.NEWSMAG_CDN_KEYS_BYTES:
            break
        chosen.append(key)
    return chosen


def page_key(request):
    # Host and scheme are part of the page (canonical links, feeds), so part of the key.
    return fragment_key("page", request.get_full_path(), request=request)


def _file_paths():
    return (settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/")


def applies(request):
    return (
        settings.NEWSMAG_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path_info.startswith(OWN_CACHE_PATHS)
        and not request.path_info.startswith(_file_paths())
        # Staff get fresh pages; a signed-in reader the public copy (their part is fetched apart).
        and (settings.SESSION_COOKIE_NAME not in request.COOKIES or READER_COOKIE in request.COOKIES)
        and "messages" not in request.COOKIES  # a flash message is waiting for this reader
    )


class PageCacheMiddleware:
    """The first middleware: a kept page is answered here, before the rest of the stack runs.

    On a miss the stack runs; PageCacheStoreMiddleware, further in, builds the entry, and this one keeps
    it with the headers the whole stack gave the page (security headers included), for the next reader.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not applies(request):
            return self.get_response(request)
        try:
            state = content_state()
        except (OperationalError, InterfaceError):
            # The database is out: the stack answers (its own read fails again, below the middleware that
            # turns an outage into "back in a moment").
            return self.get_response(request)
        key = page_key(request)
        entry = cache.get(key)
        if isinstance(entry, dict) and "stamp" in entry and state.still_valid(entry["stamp"]):
            return respond(request, entry, "HIT")
        request.page_cache_state = state
        response = self.get_response(request)
        entry = getattr(response, "page_entry", None)
        if entry is None or response.status_code != 200 or not self.storable(response):
            return response
        for name in STORED_HEADERS:
            if name in response:
                entry["headers"][name] = response[name]
        # A page is kept until the next scheduled change and never past the newsroom's midnight: the
        # masthead's date line (templates/base.html) must turn over with the day.
        seconds = min(settings.NEWSMAG_PAGE_CACHE_SECONDS, seconds_until_midnight())
        if state.next_change:
            seconds = min(seconds, int((state.next_change - timezone.now()).total_seconds()))
        if seconds >= 1:
            cache.set(key, entry, seconds)
        return response

    @staticmethod
    def storable(response):
        return not response.cookies and "cookie" not in response.get("Vary", "").lower()


class PageCacheStoreMiddleware:
    """Below the database-outage middleware: collects what the page depends on while the view renders
    and builds the entry (compressed once) that PageCacheMiddleware keeps."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not applies(request):
            return self.get_response(request)
        state = getattr(request, "page_cache_state", None) or content_state()
        with collecting() as found:
            response = self.get_response(request)
        if not self.storable(response):
            return response
        entry = self.build_entry(response, state.stamp(found))
        return respond(request, entry, "MISS", page_entry=True)

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
    def build_entry(response, stamp):
        body = response.content
        return {
            "stamp": stamp,
            "headers": {name: response[name] for name in STORED_HEADERS if name in response},
            "body": body,
            "gzip": gzip.compress(body, compresslevel=6, mtime=0),
            "br": brotli.compress(body, quality=5),
            "etag": f'"{hashlib.md5(body).hexdigest()}"',
            # Chosen once, when the page is kept, not on every hit (sorting them was ~8% of a hit).
            "cdn_keys": cdn_keys(stamp[2]),
        }


def respond(request, entry, status, *, page_entry=False):
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
    # (A page kept by the release before, in a shared cache, has none yet.)
    keys = entry["cdn_keys"] if "cdn_keys" in entry else cdn_keys(entry["stamp"][2])
    response["Surrogate-Key"] = " ".join(keys)  # Fastly (and Varnish setups following it)
    response["Cache-Tag"] = ",".join(keys)  # Cloudflare
    response["X-Page-Cache"] = status
    patch_vary_headers(response, ["Accept-Encoding"])
    if request.method == "HEAD":
        response.content = b""
    if page_entry:
        response.page_entry = entry
    return response
