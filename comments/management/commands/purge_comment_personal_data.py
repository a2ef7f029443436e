from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from comments.models import Comment, CommentReport


class Command(BaseCommand):
    help = (
        "Forget the IP addresses and user agents of comments, and delete reader reports, older than the "
        "retention period (NEWSMAG_COMMENT_PERSONAL_DATA_DAYS). Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.NEWSMAG_COMMENT_PERSONAL_DATA_DAYS,
            help="Keep personal data this many days (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        cutoff = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            comments = Comment.objects.filter(created_at__lt=cutoff).purge_personal_data()
            reports, _ = CommentReport.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(
            f"Cleared the IP address and user agent of {comments} comment(s) and deleted {reports} "
            f"report(s) older than {days} day(s)."
        )
