"""The daily purge of commenters' personal data, a periodic job (CELERY_BEAT_SCHEDULE in settings.py; the
`purge_comment_personal_data` command runs the same purge by hand)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.job_policy import RETRY_ON_DATABASE_ERRORS
from comments.models import Comment, CommentReport


def purge_personal_data(days: int) -> tuple[int, int]:
    """Forget the IP addresses and user agents of comments, and delete reader reports, older than `days`.

    Returns (comments cleared, reports deleted). Running it again changes nothing more.
    """
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        comments = Comment.objects.filter(created_at__lt=cutoff).purge_personal_data()
        reports, _ = CommentReport.objects.filter(created_at__lt=cutoff).delete()
    return comments, reports


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def purge_comment_personal_data(days=None):
    """The retention period's purge (NEWSMAG_COMMENT_PERSONAL_DATA_DAYS unless `days` is given)."""
    return purge_personal_data(settings.NEWSMAG_COMMENT_PERSONAL_DATA_DAYS if days is None else days)
