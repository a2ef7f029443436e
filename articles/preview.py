"""Signed, expiring preview links: the article as readers will see it, before it is published.

A link is bound to the article's state when it was made: its status, its version (which goes up at every
save) and its preview generation (which an editor bumps to revoke every link at once). Unpublishing,
deleting, any later save or a revocation ends every earlier link; a link made afterwards works until the
next change, and for NEWSMAG_PREVIEW_SECONDS at most.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from articles import history
from articles.models import Article, ArticleEvent
from articles.workflow import can_publish

SALT = "articles.preview"


class PreviewOutdated(Exception):
    """A genuine link that no longer shows anything: the article changed, went or its links were revoked."""


def preview_state(article) -> list:
    """What a link is bound to; the link stops working as soon as any of it differs."""
    return [article.pk, article.version, article.status, article.preview_generation]


def preview_url(article) -> str:
    token = signing.dumps(preview_state(article), salt=SALT, compress=True)
    return reverse("articles:preview", kwargs={"token": token})


def previewed_article(token, queryset):
    """The article of a preview link, from `queryset` (what the page needs loaded with it).

    Raises signing.BadSignature for a link we never made, signing.SignatureExpired for an old one and
    PreviewOutdated for a genuine link whose article has changed, is gone or had its links revoked.
    """
    max_age = timedelta(seconds=settings.NEWSMAG_PREVIEW_SECONDS)
    state = signing.loads(token, salt=SALT, max_age=max_age)
    if not isinstance(state, list) or len(state) != 4:
        raise PreviewOutdated  # a link made before links were bound to the article's state
    article = queryset.filter(pk=state[0]).first()
    if article is None or preview_state(article) != state:
        raise PreviewOutdated
    return article


def preview_expires_at(token):
    """When a genuine preview link stops working at the latest (an edit can end it sooner)."""
    # signing.dumps() signs "<payload>:<timestamp>" with a TimestampSigner: the timestamp is read back
    # from the checked value.
    signed = signing.Signer(salt=SALT).unsign(token)
    made = signing.b62_decode(signed.rsplit(":", 1)[1])
    return datetime.fromtimestamp(made, tz=UTC) + timedelta(seconds=settings.NEWSMAG_PREVIEW_SECONDS)


@transaction.atomic
def revoke_previews(article, *, by) -> None:
    """End every preview link of `article` made so far (editors only); a link made afterwards works."""
    if not can_publish(by):
        raise PermissionDenied
    # The base manager, not Article.objects: readers see nothing of this, so no kept page has to go. And
    # not save(): the version stays, so nobody editing the story meets an edit conflict.
    Article._base_manager.filter(pk=article.pk).update(preview_generation=F("preview_generation") + 1)
    history.log_event(article, ArticleEvent.Action.PREVIEWS_REVOKED, by=by)
