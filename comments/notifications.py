"""Emails to commenters who asked for them ("Email me when someone replies" on the comment form).

- A reply to their comment is published (approved by a moderator, or at once by the pipeline): one email,
  naming the replier by their display name (never their email), with the link to the reply. None for a
  reply they wrote themselves, none for a reply that was rejected or marked as spam.
- Their own comment waited for a moderator and is approved: one email saying it is published.

`announce()` is called by the one moderation path (comments.moderation.moderate) and by
comments.posting.submit_comment for a comment published at once; the emails go out in a Celery job after
the commit (`.delay_on_commit()`: in-process without a broker). The job looks again at what is published
then and records each email it sends (NotificationSent, unique), so a reply never causes two emails, even
approved twice or announced by two jobs at once.

Every email carries a one-click unsubscribe link (a signed token, no login) and the List-Unsubscribe and
List-Unsubscribe-Post headers of RFC 8058: a POST to that address unsubscribes at once, a GET shows a page
with the button.
"""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, NotificationSent, ReplySubscription

UNSUBSCRIBE_SALT = "comments.unsubscribe"


def subscribe(comment) -> ReplySubscription:
    """The commenter of `comment` asked to be told about replies (and its approval, if it waits)."""
    subscription, _created = ReplySubscription.objects.get_or_create(comment=comment)
    return subscription


def unsubscribe_token(subscription) -> str:
    # No expiry: an unsubscribe link must work as long as the emails it came with.
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def subscription_for(token) -> ReplySubscription | None:
    """The subscription an unsubscribe link names, or None for a link we never made."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return ReplySubscription.objects.select_related("comment__article__section").filter(pk=pk).first()


def unsubscribe(subscription) -> bool:
    """Stop the emails of `subscription`; False if it was stopped already (the same answer either way)."""
    return bool(
        ReplySubscription.objects.filter(pk=subscription.pk, unsubscribed_at=None).update(
            unsubscribed_at=timezone.now()
        )
    )


def absolute(path: str) -> str:
    return f"{settings.NEWSMAG_SITE_URL.rstrip('/')}{path}"


def announce(comment_pks):
    """Comments were just published: their subscribers (and their parents') hear of it after the commit."""
    pks = sorted({int(pk) for pk in comment_pks})
    if pks:
        send_comment_notifications.delay_on_commit(pks)


def _same_person(one, other) -> bool:
    if one.user_id is not None and one.user_id == other.user_id:
        return True
    return one.email.strip().casefold() == other.email.strip().casefold()


def _subscription(comment):
    try:
        subscription = comment.subscription
    except ReplySubscription.DoesNotExist:
        return None
    return subscription if subscription.active else None


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=60, max_retries=5)
def send_comment_notifications(comment_pks):
    """Send what the publication of these comments calls for (the module's docstring). Returns the number
    of emails sent."""
    published = (
        Comment.objects.approved()
        .filter(pk__in=comment_pks, article__in=Article.objects.published())
        .select_related("article__section", "subscription", "parent__subscription")
    )
    sent = 0
    for comment in published:
        own = _subscription(comment)
        # It waited for a moderator (moderated_at): its writer hears that it is published now.
        if own is not None and comment.moderated_at is not None:
            sent += deliver(own, NotificationSent.Kind.APPROVED)
        parent = comment.parent
        if parent is None or parent.status != Comment.Status.APPROVED or _same_person(parent, comment):
            continue
        theirs = _subscription(parent)
        if theirs is not None:
            sent += deliver(theirs, NotificationSent.Kind.REPLY, reply=comment)
    return sent


def deliver(subscription, kind, *, reply=None) -> bool:
    """Send one notification unless it was sent before. The record and the email go together: the record's
    row stays locked until the email is handed to the mail server, and a failure to send takes it back
    (the job's retry sends it then)."""
    to = subscription.comment.email
    if not to or to.lower().endswith(".invalid"):
        return False  # staff comment under a placeholder address
    with transaction.atomic():
        _record, created = NotificationSent.objects.get_or_create(
            subscription=subscription, kind=kind, reply=reply
        )
        if not created:
            return False
        message(subscription, kind, reply=reply).send()
    return True


def message(subscription, kind, *, reply=None) -> EmailMultiAlternatives:
    """The email: plain text and simple HTML, the article's link, the one-click unsubscribe headers."""
    comment = subscription.comment
    article = comment.article
    unsubscribe_url = absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(subscription)]))
    context = {
        "site_name": settings.NEWSMAG_SITE_NAME,
        "article": article,
        "article_url": absolute(article.get_absolute_url()),
        "comment": comment,
        "reply": reply,
        "link": absolute((reply or comment).get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    name = "reply" if kind == NotificationSent.Kind.REPLY else "approved"
    subject = render_to_string(f"comments/email/{name}_subject.txt", context)
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"comments/email/{name}.txt", context),
        to=[comment.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(render_to_string(f"comments/email/{name}.html", context), "text/html")
    return email
