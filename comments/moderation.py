"""The one moderation path: every entry point (admin actions, the queue, tests) calls `moderate()`."""

from django.db import transaction
from django.utils import timezone

from comments.models import Comment


@transaction.atomic
def moderate(comments, *, status: str, moderator) -> int:
    """Set `status` on the given comments (a queryset or iterable), recording who did it and when.

    Returns the number of comments changed.
    """
    if status not in Comment.Status.values:
        raise ValueError(f"Unknown comment status {status!r}")
    pks = [comment.pk for comment in comments]
    return (
        Comment.objects.filter(pk__in=pks)
        .exclude(status=status)
        .update(status=status, moderated_by=moderator, moderated_at=timezone.now())
    )


def approve(comments, *, moderator) -> int:
    return moderate(comments, status=Comment.Status.APPROVED, moderator=moderator)


def reject(comments, *, moderator) -> int:
    return moderate(comments, status=Comment.Status.REJECTED, moderator=moderator)


def mark_spam(comments, *, moderator) -> int:
    return moderate(comments, status=Comment.Status.SPAM, moderator=moderator)
