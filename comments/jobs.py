"""The daily purge of commenters' personal data, a periodic job (CELERY_BEAT_SCHEDULE in settings.py; the
`purge_comment_personal_data` command runs the same purge by hand)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.job_policy import RETRY_ON_DATABASE_ERRORS
from comments import readers
from comments.models import Comment, CommentReport


def purge_personal_data(days: int) -> tuple[int, int, int]:
    """Forget the IP addresses and user agents of comments, and delete reader reports, older than `days`;
    delete reader sign-ups whose email was not verified within NEWSMAG_UNVERIFIED_ACCOUNT_DAYS.

    Returns (comments cleared, reports deleted, accounts deleted). Running it again changes nothing more.
    """
    now = timezone.now()
    cutoff = now - timedelta(days=days)
    with transaction.atomic():
        comments = Comment.objects.filter(created_at__lt=cutoff).purge_personal_data()
        reports, _ = CommentReport.objects.filter(created_at__lt=cutoff).delete()
        unverified_since = now - timedelta(days=settings.NEWSMAG_UNVERIFIED_ACCOUNT_DAYS)
        accounts = readers.purge_unverified_accounts(unverified_since)
    return comments, reports, accounts


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def purge_comment_personal_data(days=None):
    """The retention period's purge (NEWSMAG_COMMENT_PERSONAL_DATA_DAYS unless `days` is given)."""
    return purge_personal_data(settings.NEWSMAG_COMMENT_PERSONAL_DATA_DAYS if days is None else days)
