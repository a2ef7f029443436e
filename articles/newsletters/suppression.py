"""Addresses no newsletter mails again: a permanent rejection when sending (an SMTP 5xx), a hard bounce or a
complaint reported by the mail provider's webhook, or one the newsroom added. Kept as hashes only.

The webhook (`POST /newsletters/webhook/`, `Authorization: Bearer <NEWSMAG_NEWSLETTER_WEBHOOK_SECRET>`)
takes JSON: one event or {"events": [...]}, each {"type": "bounce" | "complaint", "email": "...",
"permanent": true | false (bounces only; default true), "detail": "..." (optional)}. A soft bounce
(permanent false) is ignored: the next issue tries again.
"""

from django.db import IntegrityError, transaction

from articles.models.newsletters import Suppression, address_hash


class BadEvent(ValueError):
    """A webhook event that does not follow the format above (the webhook answers 400 and stores nothing)."""


def suppress(address: str, *, reason: str, detail: str = "") -> bool:
    """Suppress `address` (True if it was not suppressed before). Safe to call twice at once."""
    try:
        with transaction.atomic():
            _, created = Suppression.objects.get_or_create(
                address_hash=address_hash(address), defaults={"reason": reason, "detail": detail[:300]}
            )
    except IntegrityError:  # another process suppressed it in between
        return False
    return created


def is_suppressed(address: str) -> bool:
    return Suppression.objects.filter(address_hash=address_hash(address)).exists()


def parse_events(payload) -> list[tuple[str, str, str]]:
    """The suppressions a webhook body asks for, as (address, reason, detail); raises BadEvent."""
    events = payload.get("events", [payload]) if isinstance(payload, dict) else None
    if not isinstance(events, list) or not events or len(events) > 1000:
        raise BadEvent('Send one event object or {"events": [...]} with 1 to 1000 events.')
    wanted = []
    for number, event in enumerate(events, 1):
        if not isinstance(event, dict):
            raise BadEvent(f"Event {number} is not an object.")
        kind, email, permanent = event.get("type"), event.get("email"), event.get("permanent", True)
        if kind not in (Suppression.Reason.BOUNCE, Suppression.Reason.COMPLAINT):
            raise BadEvent(f'Event {number}: "type" must be "bounce" or "complaint".')
        if not isinstance(email, str) or "@" not in email or len(email) > 254:
            raise BadEvent(f'Event {number}: "email" must be an email address.')
        if not isinstance(permanent, bool):
            raise BadEvent(f'Event {number}: "permanent" must be true or false.')
        detail = event.get("detail", "")
        if not isinstance(detail, str):
            raise BadEvent(f'Event {number}: "detail" must be text.')
        if kind == Suppression.Reason.BOUNCE and not permanent:
            continue  # a full mailbox, a greylisting: the next issue tries again
        wanted.append((email, kind, detail))
    return wanted


def permanent_refusal(error, address: str) -> str | None:
    """The SMTP server's answer if `error` says it refused `address` for good (a 5xx reply to RCPT TO: no
    such mailbox, domain unknown, policy), else None: a 4xx or a lost connection is worth another try."""
    import smtplib

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        for recipient, (code, text) in error.recipients.items():
            if recipient.lower() == address.lower() and 500 <= code < 600:
                reply = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
                return f"{code} {reply}"
    return None
