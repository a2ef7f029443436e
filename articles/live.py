"""Live coverage: who may post, the one way updates are posted and coverage ends, the stream a page shows,
and the poll answer readers' pages fetch every few seconds.

The poll answer (`GET /live/<pk>/updates/`, JSON: the live state, the newest POLL_UPDATES updates with their
rendered HTML, the key events) is built once and kept in the default cache under a per-article key with its
ETag beside it. It is rebuilt (not deleted: no stampede of misses) after every commit that changes an update
or the live story, so between updates a poll costs no SQL at all: the page cache leaves the endpoint alone
(articles.caching.OWN_CACHE_PATHS) and the view reads one cache entry. Only a miss reads the database.

With a shared cache (Redis) the entry lives NEWSMAG_LIVE_SHARED_CACHE_SECONDS. A per-process cache
(local memory, the `make run` default) holds an entry only where it was rebuilt, so there it lives
NEWSMAG_LIVE_LOCAL_CACHE_SECONDS (at most the poll interval): every process rebuilds its own copy that
often, and an update reaches every reader within about one poll interval whichever process answers.
"""

import gzip
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from articles import history
from articles.compression import accepted_encoding
from articles.models import Article, ArticleEvent, LiveUpdate, load_body_references
from articles.workflow import can_publish

POLL_UPDATES = 20  # the newest updates a poll answer carries: a page that missed more reloads
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


# Who may do what. A journalist works on the live stories they write (created or bylined: the admin lists
# no other story for them), changes and deletes only the updates they posted, and may end the coverage of
# their own story (the reporter on the scene knows when it is over). Editors do all of it on every story;
# only they start or reopen coverage (the article form's live fields, on a published story).


def can_post(user, article) -> bool:
    if not user.has_perm("articles.add_liveupdate"):
        return False
    return can_publish(user) or Article.objects.written_by(user).filter(pk=article.pk).exists()


def can_change(user, update) -> bool:
    return user.has_perm("articles.change_liveupdate") and (
        can_publish(user) or update.created_by_id == user.pk
    )


def can_delete(user, update) -> bool:
    return user.has_perm("articles.delete_liveupdate") and (
        can_publish(user) or update.created_by_id == user.pk
    )


def can_end(user, article) -> bool:
    return article.is_live and can_post(user, article)


@transaction.atomic
def post_update(article, *, by, author, body, headline="", key_event=False) -> LiveUpdate:
    """Add an update to a live story (not to one whose coverage ended or that is not a live story)."""
    if not can_post(by, article):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.is_live:
        raise ValidationError(_("This story is not live: no update can be added."), code="not_live")
    return LiveUpdate.objects.create(
        article=article, author=author, created_by=by, headline=headline, body=body, key_event=key_event
    )


@transaction.atomic
def end_coverage(article, *, by):
    """End a live story's coverage: readers see "This live coverage has ended" and their pages stop
    polling. An editor can reopen it from the article form."""
    if not can_post(by, article):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.is_live:
        raise ValidationError(_("The coverage has ended already."), code="not_live")
    article.live_coverage = Article.LiveCoverage.ENDED
    article.coverage_ended_at = timezone.now()
    article.save(update_fields=["live_coverage", "coverage_ended_at", "version", "updated_at"])
    history.record(article, ArticleEvent.Action.EDITED, by=by, note="Ended the live coverage")
    return article


# What readers see.


def live_stream(article, limit=None) -> list:
    """The updates of `article`, newest first, with their bylines and the images and embeds they show."""
    updates = article.live_updates.select_related("author")
    updates = list(updates[:limit] if limit else updates)
    for update in updates:
        update.article = article  # their links and anchors need it: no query per update
    load_body_references(updates)
    return updates


def key_events(updates) -> list:
    return [update for update in updates if update.key_event]


# The poll answer.


def poll_key(pk) -> str:
    return f"live:poll:{pk}"


def poll_seconds() -> int:
    """How long a poll entry is kept: long in a shared cache, at most the poll interval in a per-process
    one (other processes do not see its rebuild)."""
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return max(1, min(settings.NEWSMAG_LIVE_LOCAL_CACHE_SECONDS, settings.NEWSMAG_LIVE_POLL_SECONDS))
    return settings.NEWSMAG_LIVE_SHARED_CACHE_SECONDS


def build_poll_entry(pk) -> dict:
    """The poll answer of article `pk`, from the database, as it is stored in the cache."""
    article = (
        Article.objects.published()
        .exclude(live_coverage=Article.LiveCoverage.NONE)
        .select_related("section")
        .filter(pk=pk)
        .first()
    )
    if article is None:  # kept too (briefly): polls of a story that went away cost no query either
        return {"status": 404, "seconds": min(poll_seconds(), settings.NEWSMAG_LIVE_POLL_SECONDS)}
    updates = live_stream(article, limit=POLL_UPDATES + 1)
    events = list(article.live_updates.filter(key_event=True).only("pk", "headline", "body", "published_at"))
    data = {
        "state": article.live_coverage,
        "updates": [
            {
                "id": update.pk,
                "key_event": update.key_event,
                "html": render_to_string("includes/live_update.html", {"update": update}),
            }
            for update in updates[:POLL_UPDATES]
        ],
        "complete": len(updates) <= POLL_UPDATES,  # the page may drop what is not in it (deleted)
        "key_events": render_to_string("includes/live_key_events.html", {"key_events": events}),
    }
    body = json.dumps(data, separators=(",", ":")).encode()
    seconds = poll_seconds()
    if article.expires_at:  # gone from the site at that moment, whatever is kept
        seconds = max(1, min(seconds, int((article.expires_at - timezone.now()).total_seconds())))
    return {
        "status": 200,
        "body": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        # From the content: every process and every rebuild of the same answer gives the same ETag.
        "etag": f'"{hashlib.md5(body).hexdigest()}"',
        "seconds": seconds,
    }


def refresh_poll_entry(pk) -> dict:
    entry = build_poll_entry(pk)
    cache.set(poll_key(pk), entry, entry["seconds"])
    return entry


def forget_poll_entry(pk):
    cache.delete(poll_key(pk))


def refresh_after_commit(pk):
    """Rebuild the poll answer of article `pk` once the current transaction commits."""
    transaction.on_commit(lambda: refresh_poll_entry(pk))


def poll_entry(pk) -> dict:
    """The kept poll answer of article `pk`: one cache read, and the database only on a miss."""
    return cache.get(poll_key(pk)) or refresh_poll_entry(pk)


def poll_response(request, entry) -> HttpResponse:
    """The poll answer as HTTP: 304 when the page has it already, gzip when asked for; a CDN may keep it
    NEWSMAG_LIVE_CDN_MAX_AGE seconds."""
    cache_control = f"public, max-age=0, s-maxage={settings.NEWSMAG_LIVE_CDN_MAX_AGE}"
    if entry["status"] == 404:
        response = HttpResponse(
            b'{"error":"No live coverage here."}', status=404, content_type="application/json"
        )
        response["Cache-Control"] = cache_control
        return response
    if entry["etag"] in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        encoding = accepted_encoding(request, ("gzip",))
        response = HttpResponse(
            entry[encoding] if encoding else entry["body"], content_type="application/json"
        )
        if encoding:
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(response.content))
    response["ETag"] = entry["etag"]
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
