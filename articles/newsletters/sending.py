"""Sending an issue: one Delivery row per confirmed, unsuppressed address (made when sending starts, unique
per issue and address), then batch jobs of NEWSMAG_NEWSLETTER_BATCH_SIZE deliveries.

Each delivery is claimed (PENDING → SENDING, one committed UPDATE) before its message goes out and marked
SENT after, so a batch job that is retried, or run twice, or whose worker dies, never mails anyone twice: a
delivery left in SENDING by a dead worker is not tried again (at most once, never twice). A server that
refuses a recipient for good (5xx) gets the address suppressed at once; a temporary failure (4xx, a lost
connection) puts the delivery back to PENDING and the job is retried with backoff.
"""

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from articles import limits
from articles.models.newsletters import Delivery, Issue, Subscription, Suppression
from articles.newsletters import mail
from articles.newsletters.suppression import is_suppressed, permanent_refusal, suppress

logger = logging.getLogger(__name__)
RESUME_AFTER = timedelta(minutes=15)


class TemporaryFailure(Exception):
    """Some deliveries of a batch met a temporary failure; they are PENDING again for the retry."""


_RECIPIENTS_SQL = """
INSERT INTO articles_delivery (issue_id, subscriber_id, address_hash, status, attempts, error)
SELECT %(issue)s, subscriber.id, encode(sha256(convert_to(subscriber.email, 'UTF8')), 'hex'), 'pending', 0, ''
FROM articles_subscription subscription
JOIN articles_subscriber subscriber ON subscriber.id = subscription.subscriber_id
WHERE subscription.newsletter_id = %(newsletter)s AND subscription.confirmed_at IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM articles_suppression suppression
      WHERE suppression.address_hash = encode(sha256(convert_to(subscriber.email, 'UTF8')), 'hex'))
ON CONFLICT ON CONSTRAINT delivery_once_per_address DO NOTHING
"""


@transaction.atomic
def start_sending(issue, now=None) -> list[list[int]]:
    """Freeze a draft issue and record its deliveries; returns the batches of delivery ids to send (empty
    if the issue was not a draft any more: another run started it)."""
    now = now or timezone.now()
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != Issue.Status.DRAFT:
        return []
    issue.status, issue.sending_started_at = Issue.Status.SENDING, now
    issue.save(update_fields=["status", "sending_started_at"])
    with connection.cursor() as cursor:
        cursor.execute(_RECIPIENTS_SQL, {"issue": issue.pk, "newsletter": issue.newsletter_id})
    ids = list(
        Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batches = _batches(ids)
    if not batches:
        finish_if_done(issue.pk, now)
    return batches


def _batches(ids):
    size = settings.NEWSMAG_NEWSLETTER_BATCH_SIZE
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def stalled_batches(now=None) -> list[tuple[int, list[int]]]:
    """(issue id, batch) for the deliveries still waiting RESUME_AFTER after sending began: their job was
    lost (a broker restarted without its messages) or ran out of retries. Each issue is looked at once per
    RESUME_AFTER; sending them again is safe, since every delivery is claimed before it goes."""
    now = now or timezone.now()
    found = []
    stalled = Issue.objects.filter(status=Issue.Status.SENDING, sending_started_at__lt=now - RESUME_AFTER)
    for issue_id in stalled.values_list("pk", flat=True):
        seconds = int(RESUME_AFTER.total_seconds())
        if not limits.hit("newsletter-resume", issue_id, limit=1, seconds=seconds, now=now).allowed:
            continue
        ids = list(
            Delivery.objects.filter(issue=issue_id, status=Delivery.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            finish_if_done(issue_id, now)
        found.extend((issue_id, batch) for batch in _batches(ids))
    return found


def finish_if_done(issue_id, now=None) -> bool:
    """Mark the issue SENT once no delivery waits (deliveries a dead worker left in SENDING do not)."""
    now = now or timezone.now()
    return bool(
        Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING)
        .exclude(deliveries__status=Delivery.Status.PENDING)
        .update(status=Issue.Status.SENT, sent_at=now)
    )


def _claim(delivery_id) -> bool:
    # Its own statement, committed at once outside a transaction (a Celery worker runs in autocommit): the
    # claim holds even if this process dies right after handing the message over.
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, attempts=F("attempts") + 1
        )
    )


def _mark(delivery_id, status, error="", sent_at=None):
    Delivery.objects.filter(pk=delivery_id).update(status=status, error=error[:300], sent_at=sent_at)


def send_batch(issue_id, delivery_ids) -> dict:
    """Send the still-PENDING deliveries among `delivery_ids` over one SMTP connection. Returns the counts
    per outcome; raises TemporaryFailure after the batch when some should be tried again."""
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    counts = {"sent": 0, "bounced": 0, "skipped": 0, "retry": 0}
    if issue.status != Issue.Status.SENDING:
        return counts
    stories = mail.issue_stories(issue)
    deliveries = (
        Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.PENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    smtp = get_connection()
    try:
        for delivery in deliveries:
            if not _claim(delivery.pk):
                continue  # another run of this job has it
            subscriber = delivery.subscriber
            still_wanted = (
                subscriber is not None
                and Subscription.objects.confirmed()
                .filter(subscriber=subscriber, newsletter=issue.newsletter_id)
                .exists()
                and not is_suppressed(subscriber.email)
            )
            if not still_wanted:  # unsubscribed or suppressed since sending started
                _mark(delivery.pk, Delivery.Status.SKIPPED)
                counts["skipped"] += 1
                continue
            message = mail.issue_message(
                issue,
                stories,
                to=subscriber.email,
                unsubscribe=mail.unsubscribe_url(subscriber.pk, issue.newsletter_id),
                connection=smtp,
            )
            try:
                smtp.open()
                smtp.send_messages([message])
            except (smtplib.SMTPException, OSError) as error:
                refusal = permanent_refusal(error, subscriber.email)
                if refusal:
                    suppress(subscriber.email, reason=Suppression.Reason.BOUNCE, detail=refusal)
                    _mark(delivery.pk, Delivery.Status.BOUNCED, refusal)
                    counts["bounced"] += 1
                    logger.info("Newsletter address suppressed after %s", refusal)
                    continue
                _mark(delivery.pk, Delivery.Status.PENDING, f"{type(error).__name__}: {error}")
                counts["retry"] += 1
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    smtp.close()  # a fresh connection for the next one
                continue
            _mark(delivery.pk, Delivery.Status.SENT, sent_at=timezone.now())
            counts["sent"] += 1
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.close()
    finish_if_done(issue_id)
    if counts["retry"]:
        raise TemporaryFailure(f"{counts['retry']} deliveries of issue {issue_id} will be tried again")
    return counts


def send_test(issue, *, to: str) -> None:
    """The issue as subscribers will get it, to `to` only (an editor), marked [Test]. Its unsubscribe link
    names no subscriber: following it changes nothing."""
    message = mail.issue_message(
        issue, mail.issue_stories(issue), to=to, unsubscribe=mail.unsubscribe_url(0, issue.newsletter_id),
        subject_prefix="[Test] ",
    )  # fmt: skip
    message.send()
