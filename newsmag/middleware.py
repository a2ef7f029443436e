import base64
import hashlib
import re
from functools import cache

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponseBadRequest
from django.urls import reverse

from articles import caching
from newsmag import db_router

IMPORTMAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


@cache
def shipped_import_map_hashes() -> tuple[str, ...]:
    """The CSP hashes of the import maps the admin's own forms render, computed once per process.

    An import map is inline script, so it needs its hash in `script-src`. Hashing whatever import map a
    response contains would also allow one that a page reflects (a field value echoed into the admin), so
    the hashes come from the source instead: the media of every registered ModelAdmin, its form's widgets
    and its inlines' widgets, added up in the order the change form adds them and rendered exactly as the
    page renders them (js_asset's `Media.render_importmap()`), with this deployment's static URLs (hashed
    file names in production). Today that is the body editor's map: django-prose-editor's widget media
    carries `django_prose_editor.widgets.importmap` (its two module paths, resolved through `static()`).
    Computed on the first admin response rather than at import, when the static files' manifest may not be
    readable yet.
    """
    hashes = set()
    for model_admin in admin.site._registry.values():
        media = model_admin.media
        for form_class in [model_admin.form, *(inline.form for inline in model_admin.inlines)]:
            for field in form_class.base_fields.values():
                media += field.widget.media
        render_importmap = getattr(media, "render_importmap", None)
        for tag in render_importmap() if render_importmap else []:
            for body in IMPORTMAP.findall(str(tag)):
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                hashes.add(f"'sha256-{digest}'")
    return tuple(sorted(hashes))


@receiver(setting_changed, dispatch_uid="newsmag-import-map-hashes")
def static_urls_changed(*, setting, **kwargs):
    """Settings change only in tests; the import maps' URLs change with these."""
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES"}:
        shipped_import_map_hashes.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide CSP (settings.CONTENT_SECURITY_POLICY), with two narrow admin allowances, and without
    the embed players' origins in the admin.

    Scripts: admin pages may run the import maps the project ships (the article body editor's), by their
    hashes (`shipped_import_map_hashes()`), never by 'unsafe-inline' and never by hashing the response.

    Styles: 'unsafe-inline' only on the views in INLINE_STYLE_VIEWS, the article add and change forms and
    the live desk (articles/admin.py), which use the body editor.
    Their body editor (django-prose-editor, built on Tiptap) adds a `<style data-tiptap-style>` element to
    the page when it starts (Tiptap's `injectCSS`, which django-prose-editor leaves on and gives no nonce);
    without the allowance that is a `style-src-elem` violation. Nothing else the admin shows needs it:
    Django 5.2's admin templates write no `style=""` attribute (collapsible fieldsets are `<details>`);
    the calendar and clock pop-ups, the two-box permission picker, select2 autocompletes and the sidebar
    set `element.style` from script (CSSOM, which CSP does not govern); the one inline `<style>` in
    Django's change_list.html is only written for a list without actions, and every list registered has
    actions. tests/browser/test_admin_csp.py opens every admin page under this policy, uses those widgets
    and fails on any violation, so a page that starts needing more shows up there.
    """

    INLINE_STYLE_VIEWS = frozenset({
        "admin:articles_article_add", "admin:articles_article_change",
        "admin:articles_article_live", "admin:articles_article_live_update",  # the live desk's editors
        "admin:articles_page_add", "admin:articles_page_change",  # site pages use the body editor too
    })  # fmt: skip

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        # request.path, not path_info: reverse() includes the script prefix when the site has one.
        if report_only or not request.path.startswith(reverse("admin:index")):
            return parts
        update = {}
        match = request.resolver_match
        if match is not None and match.view_name in self.INLINE_STYLE_VIEWS:
            update["style-src"] = [UNSAFE_INLINE]
        if update:
            parts.update = {**(parts.update or {}), **update}
        # The admin shows no embed player: the providers' script and frame origins that readers' pages
        # allow (after a click) are left out here, where the newsroom's sessions are.
        parts.replace = {
            **(parts.replace or {}),
            "script-src": [SELF, *shipped_import_map_hashes()],
            "frame-src": [NONE],
        }
        return parts


class PermissionsPolicyMiddleware:
    """Sends `Permissions-Policy` (neither Django nor django-csp does): the site needs no camera,
    microphone, location, payment or other powerful feature, so no page (or anything injected into one)
    may ask for them. The policy is NEWSMAG_PERMISSIONS_POLICY: {feature: [allowed origins]}, [] = none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.NEWSMAG_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


# NUL, which PostgreSQL text cannot hold (psycopg refuses to send it), and lone surrogates, which are not
# UTF-8 at all. Neither can come from a person typing.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnstorableInputMiddleware:
    """Answers 400 Bad Request, with a message, to a request that carries a character no database column
    can store: NUL (or a lone surrogate) in the path, the query string, a form field (name or value), a
    cookie or a header.

    Without it such a value reaches a query and PostgreSQL's refusal becomes a 500: an admin list filter
    (`?status__exact=%00`), a search, the User-Agent that django-axes records for a failed login, a
    session cookie looked up in the database. Forms refuse NUL on their own, but filters, lookups and the
    login throttling do not, so the request is refused once, here, before any of them runs. Uploaded
    files are not looked at. Refusing the whole request loses nobody's edit: a person cannot type a NUL,
    nor paste one (clipboards end text at the first NUL), so only a broken client or an attacker sends one.
    """

    MESSAGE = (
        "Bad request: the address, a form field, a cookie or a header contains a NUL character (or "
        "another character that is not text), which is never valid input here.\n"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.unstorable(request):
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def unstorable(request):
        texts = [request.path_info]
        texts += [value for name, value in request.META.items() if name.startswith("HTTP_")]
        texts += [text for item in request.COOKIES.items() for text in item]
        texts += [text for name, values in request.GET.lists() for text in (name, *values)]
        if request.method == "POST":
            try:
                post = request.POST
            except OSError:  # the client went away mid-upload: the CSRF check and the view deal with it
                post = None
            if post:
                texts += [text for name, values in post.lists() for text in (name, *values)]
        return any(isinstance(text, str) and UNSTORABLE.search(text) for text in texts)


class ReadReplicaMiddleware:
    """Sends a request's reads to the replica or the primary (newsmag/db_router.py), and keeps the site up
    when the replica is not: a request whose replica connection failed is answered again from the primary.

    The first middleware: every read, the page cache's content version included, happens inside its
    choice, and it sees DatabaseOutageMiddleware's 503 before any reader does. Only GET and HEAD
    requests read the replica, so answering one twice is safe. Not used without DATABASE_REPLICA_URL.
    """

    def __init__(self, get_response):
        if not db_router.replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        wrote_recently = request.reads_primary_after_write = db_router.wrote_recently(request)
        replica = db_router.reads_replica(request, wrote_recently=wrote_recently)
        with db_router.routing(replica=replica) as reads:
            response = self.get_response(request)
        if replica and response.status_code >= 500 and db_router.replica_failed():
            if db_router.replica_unreachable():
                db_router.mark_replica_down()
            if isinstance(request, WSGIRequest):
                request = WSGIRequest(request.environ)  # a GET or HEAD: nothing was read from its body
                with db_router.routing(replica=False) as reads:
                    response = self.get_response(request)
        if reads.wrote:
            db_router.note_write(response)
        return response


class ReplicaAwarePageCacheMiddleware(caching.PageCacheMiddleware):
    """The page cache (articles/caching.py), passed over by a reader who wrote something in the last
    NEWSMAG_REPLICA_STICKY_SECONDS: their pages are built from the primary and show their own write, which
    a page kept a moment ago (or built from a lagging replica) might not. Used with a replica only."""

    def __call__(self, request):
        if getattr(request, "reads_primary_after_write", False):
            return self.get_response(request)
        return super().__call__(request)
