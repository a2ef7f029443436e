"""Readers recommending comments: once per reader, counted on the comment, limited per network.

`recommend()` is the one way a recommendation is made (the thread's button through comments.views, tests,
the demo). A reader is their account when signed in, else a random token their browser keeps in an
HttpOnly cookie that only the recommend answer sets (path /comments/: it never travels with a page, so
cached pages stay cookie-free); only a keyed hash of the token is stored. The database refuses a second
recommendation by the same account or token, and the count on the comment (`Comment.recommendation_count`)
moves in the same transaction, so the thread reads every count with its one query.

A script could mint a token per request, so the network decides how much counts (articles.limits, as for
the read beacon): without an account, one recommendation per comment per network (an IPv6 /64 is one) a
day, and NEWSMAG_RECOMMENDATIONS_PER_HOUR recommendations per network an hour for everyone. One address
cannot push a comment to the top of "Most recommended".
"""

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from articles import limits
from comments import posting
from comments.models import Comment, Recommendation

TOKEN_COOKIE = "newsmag_recommender"  # not "newsmag_reader": that is the signed-in marker
TOKEN_COOKIE_DAYS = 365
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")

MESSAGE_ADDED = _("Thank you: your recommendation is counted.")
MESSAGE_ALREADY = _("You have already recommended this comment.")
MESSAGE_NOT_PUBLISHED = _("Only published comments can be recommended.")
MESSAGE_CLOSED = _("Comments on this article are closed: its comments can no longer be recommended.")
MESSAGE_NETWORK_DONE = _(
    "This comment has already been recommended from your network today. Please try again tomorrow."
)
MESSAGE_FLOOD = _("You have recommended many comments in a short time. Please try again later.")


class NotRecommendable(Exception):
    """The recommendation is not counted; `message` says why, `status_code` is the HTTP answer."""

    def __init__(self, message, *, status_code, retry_after=None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.retry_after = retry_after


@dataclass(frozen=True)
class Outcome:
    count: int  # the comment's recommendations now
    added: bool  # False: this reader had recommended it already (nothing changed)

    @property
    def message(self):
        return MESSAGE_ADDED if self.added else MESSAGE_ALREADY


def new_token() -> str:
    return secrets.token_urlsafe(32)


def valid_token(value) -> bool:
    return bool(value) and _TOKEN.fullmatch(value) is not None


def token_hash(token: str) -> str:
    """What is stored of a browser's token: a keyed hash (the token itself never reaches the database)."""
    return salted_hmac("comments.recommendation", token, algorithm="sha256").hexdigest()


def check_recommendable(comment):
    """Raise NotRecommendable unless `comment` (with its article) is published on an open thread."""
    if comment.status != Comment.Status.APPROVED:
        raise NotRecommendable(MESSAGE_NOT_PUBLISHED, status_code=404)
    if not posting.is_open(comment.article):
        raise NotRecommendable(MESSAGE_CLOSED, status_code=403)


def _count(comment):
    return Comment.objects.filter(pk=comment.pk).values_list("recommendation_count", flat=True).get()


@transaction.atomic
def recommend(comment, *, user=None, token="", network=None) -> Outcome:
    """Count one reader's recommendation of `comment`: the signed-in `user`, else the browser's `token`,
    from `network` (articles.limits.client_network). A reader's second recommendation changes nothing and
    answers the current count. Raises NotRecommendable when it may not count (not published, thread
    closed, a network limit), and then nothing is written.
    """
    if user is not None and not user.is_authenticated:
        user = None
    if user is None and not valid_token(token):
        raise ValueError("An anonymous recommendation needs the browser's token")
    check_recommendable(comment)
    identity = {"user": user} if user is not None else {"token_hash": token_hash(token)}

    def already():
        return Recommendation.objects.filter(comment=comment, **identity).exists()

    if already():
        return Outcome(count=_count(comment), added=False)

    sender = network or "unknown"
    checks = [("recommendations", settings.NEWSMAG_RECOMMENDATIONS_PER_HOUR, 3600, MESSAGE_FLOOD)]
    if user is None:
        checks.insert(0, ("recommend", 1, 24 * 3600, MESSAGE_NETWORK_DONE))
    for scope, limit, seconds, message in checks:
        identity_parts = (sender, comment.pk) if scope == "recommend" else (sender,)
        allowance = limits.hit(scope, *identity_parts, limit=limit, seconds=seconds)
        if not allowance.allowed:
            # A double click: the counter's row lock made this one wait for the first click, which has
            # committed its recommendation by now. The reader gets the idempotent answer, not a refusal.
            if already():
                return Outcome(count=_count(comment), added=False)
            raise NotRecommendable(message, status_code=429, retry_after=allowance.retry_after)

    try:
        with transaction.atomic():
            Recommendation.objects.create(comment=comment, **identity)
    except IntegrityError:
        # The same reader's other click won the race: theirs is the one counted.
        return Outcome(count=_count(comment), added=False)
    # One UPDATE, under the row's lock: simultaneous recommendations all count. The comment must still be
    # published (a moderator may have removed it since it was read). A watched queryset: the thread (and
    # its "Most recommended" order) is retired after commit.
    counted = Comment.objects.filter(pk=comment.pk, status=Comment.Status.APPROVED).update(
        recommendation_count=F("recommendation_count") + 1
    )
    if not counted:
        raise NotRecommendable(MESSAGE_NOT_PUBLISHED, status_code=404)  # rolls the row back
    return Outcome(count=_count(comment), added=True)
