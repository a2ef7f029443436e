"""Readers' side of the newsletters: subscribe (double opt-in), confirm, unsubscribe, what we hold about an
address (`newsletter_subscriptions()`, for the account data export), and the personal-data purge.

The retention rule: an unconfirmed subscription is dropped after NEWSMAG_NEWSLETTER_CONFIRM_DAYS (its link
has expired); unsubscribing deletes that subscription at once, and an address left without any subscription
is deleted with it. What stays is the SHA-256 hash of the address on the delivery records of issues it
received, and on the suppression list when it bounced or complained; neither holds the address.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from articles import limits
from articles.models.newsletters import (
    Newsletter,
    Subscriber,
    Subscription,
    Suppression,
    address_hash,
    normalize_email,
)
from articles.newsletters import mail, tokens
from articles.newsletters.suppression import is_suppressed, permanent_refusal, suppress


class SubscribeFlood(Exception):
    """Too many subscription requests from one network: the page says to wait (429)."""

    status_code = 429

    def __init__(self, retry_after):
        super().__init__("Too many subscription requests from your network. Please try again later.")
        self.retry_after = retry_after


def request_subscription(*, email: str, newsletters, network) -> None:
    """A reader asked for `newsletters` at `email`: record the pending subscriptions and send the
    confirmation email (after commit, through the task queue). Nothing else is sent before the reader
    clicks its link.

    The caller answers the same whatever happens here ("check your inbox"): whether the address is
    subscribed already, suppressed, or asked too often is never revealed. Only a flood from one network is
    refused (SubscribeFlood), since that says nothing about the address.
    """
    allowance = limits.hit(
        "newsletter-subscribe", network or "unknown",
        limit=settings.NEWSMAG_NEWSLETTER_SUBSCRIBES_PER_HOUR, seconds=3600,
    )  # fmt: skip
    if not allowance.allowed:
        raise SubscribeFlood(allowance.retry_after)
    email = normalize_email(email)
    # A few confirmation emails a day per address at most: the form cannot be used to flood a mailbox.
    per_address = limits.hit("newsletter-confirmation", address_hash(email), limit=3, seconds=86400)
    if not per_address.allowed or is_suppressed(email):
        return
    newsletter_ids = [newsletter.pk for newsletter in newsletters]
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscriber, _ = Subscriber.objects.get_or_create(email=email)
        except IntegrityError:  # the same address submitted twice at once
            subscriber = Subscriber.objects.get(email=email)
        for newsletter_id in newsletter_ids:
            Subscription.objects.get_or_create(subscriber=subscriber, newsletter_id=newsletter_id)
        send_confirmation.delay_on_commit(subscriber.pk, newsletter_ids)


@shared_task(
    autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=1800, max_retries=6, ignore_result=True
)
def send_confirmation(subscriber_id, newsletter_ids):
    """The confirmation email with its signed, expiring link (smtplib's errors are OSErrors: a mail server
    that is down or says "try later" is tried again with backoff)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    newsletters = list(Newsletter.objects.active().filter(pk__in=newsletter_ids))
    if subscriber is None or not newsletters:
        return
    token = tokens.confirm_token(subscriber.pk, [newsletter.pk for newsletter in newsletters])
    try:
        mail.confirmation_message(subscriber, newsletters, token).send()
    except OSError as error:
        refusal = permanent_refusal(error, subscriber.email)
        if refusal is None:
            raise
        suppress(subscriber.email, reason=Suppression.Reason.BOUNCE, detail=refusal)


def confirmation_request(token: str):
    """(subscriber, newsletters) a confirmation link names; raises signing.BadSignature when the link is
    forged, expired, or its address has gone meanwhile (the reader subscribes again)."""
    subscriber_id, newsletter_ids = tokens.read_confirm_token(token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        raise signing.BadSignature("the address has gone")
    return subscriber, list(Newsletter.objects.active().filter(pk__in=newsletter_ids))


@transaction.atomic
def confirm(*, subscriber, newsletters) -> None:
    """The reader clicked the link: their subscriptions to `newsletters` start (again, if they had left one
    meanwhile: the link proves they hold the address). Clicking twice changes nothing."""
    now = timezone.now()
    for newsletter in newsletters:
        subscription, _ = Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
        if subscription.confirmed_at is None:
            subscription.confirmed_at = now
            subscription.save(update_fields=["confirmed_at"])


def unsubscription_target(token: str):
    """The newsletter an unsubscribe link is for (None if it has been deleted); raises BadSignature."""
    _, newsletter_id = tokens.read_unsubscribe_token(token)
    return Newsletter.objects.filter(pk=newsletter_id).first()


@transaction.atomic
def unsubscribe(token: str) -> None:
    """Leave the newsletter the link names. Idempotent: a second click, or a link whose address has gone
    already, changes nothing. The address goes too when it has no subscription left."""
    subscriber_id, newsletter_id = tokens.read_unsubscribe_token(token)
    Subscription.objects.filter(subscriber_id=subscriber_id, newsletter_id=newsletter_id).delete()
    Subscriber.objects.filter(pk=subscriber_id, subscriptions__isnull=True).delete()


def newsletter_subscriptions(email: str) -> list[dict]:
    """Everything the newsletters hold about `email`, for the reader's data export: one entry per
    subscription, {"newsletter", "slug", "asked_at", "confirmed_at"}, plus whether it is suppressed."""
    subscriptions = Subscription.objects.filter(subscriber__email=normalize_email(email)).select_related(
        "newsletter"
    )
    suppressed = is_suppressed(email)
    return [
        {
            "newsletter": subscription.newsletter.name,
            "slug": subscription.newsletter.slug,
            "asked_at": subscription.created_at.isoformat(),
            "confirmed_at": subscription.confirmed_at.isoformat() if subscription.confirmed_at else None,
            "suppressed": suppressed,
        }
        for subscription in subscriptions
    ]


def confirmed_counts() -> dict[int, int]:
    """Confirmed subscribers per newsletter id (the admin's list)."""
    rows = Subscription.objects.confirmed().values("newsletter").annotate(n=Count("pk"))
    return {row["newsletter"]: row["n"] for row in rows}


@transaction.atomic
def purge_personal_data(now=None) -> dict:
    """Drop unconfirmed subscriptions older than NEWSMAG_NEWSLETTER_CONFIRM_DAYS and every address left
    without a subscription. Returns the counts."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NEWSMAG_NEWSLETTER_CONFIRM_DAYS)
    dropped, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    addresses, _ = Subscriber.objects.filter(subscriptions__isnull=True).delete()
    return {"unconfirmed_subscriptions": dropped, "addresses": addresses}
