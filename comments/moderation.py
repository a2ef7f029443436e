"""The one moderation path: every entry point (admin actions, reader reports, tests) calls `moderate()`."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Func, JSONField, Value
from django.utils import timezone

from comments import notifications
from comments.models import Comment, CommentReport
from comments.posting import REASON_PARENT_HELD


class _JSONConcat(Func):
    """`a || b` on jsonb: appends to the list of reasons inside the UPDATE, without reading it first."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = JSONField()


@transaction.atomic
def moderate(
    comments,
    *,
    status: str,
    moderator,
    reason: str = "",
    rejection_reason: str = "",
    rejection_note: str = "",
    seen: str | None = None,
) -> int:
    """Set `status` on the given comments (a queryset or iterable), recording who did it and when.

    `moderator` is None when the site itself acts (reader reports). A `reason` is added to the comment's
    reasons, so the queue shows why it came back. A rejection may carry the moderator's reason (a
    `Comment.RejectionReason`) and note; any other status clears them.

    `seen` is the `Comment.moderation_state` the moderator decided on (one-click decisions): a comment
    whose state has changed since (someone else moderated it) is left alone. The check is part of the
    UPDATE, so of two moderators deciding at once exactly one wins. Returns the number of comments changed.
    """
    if status not in Comment.Status.values:
        raise ValueError(f"Unknown comment status {status!r}")
    if rejection_reason and rejection_reason not in Comment.RejectionReason.values:
        raise ValueError(f"Unknown rejection reason {rejection_reason!r}")
    if (rejection_reason or rejection_note) and status != Comment.Status.REJECTED:
        raise ValueError("Only a rejection has a rejection reason")
    pks = [comment.pk for comment in comments]
    changes = {
        "status": status,
        "moderated_by": moderator,
        "moderated_at": timezone.now(),
        "rejection_reason": rejection_reason,
        "rejection_note": rejection_note,
    }
    if reason:
        changes["moderation_reasons"] = _JSONConcat(
            F("moderation_reasons"), Value([reason], output_field=JSONField())
        )
    targets = Comment.objects.filter(pk__in=pks).exclude(status=status)
    if seen is not None:
        seen_status, _, seen_at = seen.partition(" ")
        try:
            moderated_at = None if seen_at == "-" else datetime.fromisoformat(seen_at)
        except ValueError:
            return 0  # not a state this site wrote: treat it as out of date
        targets = targets.filter(status=seen_status, moderated_at=moderated_at)
    # A watched queryset: the update retires the threads and comment counts readers see (after commit).
    changed = targets.update(**changes)
    if changed and status == Comment.Status.APPROVED:
        # Replies held only because they answered these comments go live with them.
        released = list(
            Comment.objects.filter(
                parent__in=pks,
                parent__status=Comment.Status.APPROVED,
                status=Comment.Status.PENDING,
                moderation_reasons=[REASON_PARENT_HELD],
            ).values_list("pk", flat=True)
        )
        if released:
            Comment.objects.filter(pk__in=released).update(**changes)
        # Commenters who asked are emailed after the commit (each email at most once: the job checks).
        notifications.announce([*pks, *released])
    return changed


def approve(comments, *, moderator) -> int:
    return moderate(comments, status=Comment.Status.APPROVED, moderator=moderator)


def reject(comments, *, moderator, reason: str = "", note: str = "") -> int:
    return moderate(
        comments,
        status=Comment.Status.REJECTED,
        moderator=moderator,
        rejection_reason=reason,
        rejection_note=note,
    )


def mark_spam(comments, *, moderator) -> int:
    return moderate(comments, status=Comment.Status.SPAM, moderator=moderator)


def requeue(comments, *, reason: str) -> int:
    """Send published comments back to the queue (pending), e.g. after reader reports."""
    return moderate(comments, status=Comment.Status.PENDING, moderator=None, reason=reason)


@transaction.atomic
def report(comment, *, fingerprint: str) -> bool:
    """Record one reader's report on a published comment; returns False if this reader already reported it.

    When NEWSMAG_COMMENT_REPORTS_TO_REQUEUE distinct readers have reported it since a moderator last
    decided on it, the comment goes back to the queue.
    """
    _report, created = CommentReport.objects.get_or_create(comment=comment, fingerprint=fingerprint)
    if not created:
        return False
    # Lock the comment so that simultaneous reports count each other and requeue it once.
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.status != Comment.Status.APPROVED:
        return True
    reports = CommentReport.objects.filter(comment=locked)
    if locked.moderated_at is not None:
        reports = reports.filter(created_at__gte=locked.moderated_at)
    count = reports.count()
    if count >= settings.NEWSMAG_COMMENT_REPORTS_TO_REQUEUE:
        requeue([locked], reason=f"Reported by {count} readers.")
    return True
