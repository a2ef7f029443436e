from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from comments import readers
from comments.models import Comment, CommentReport


class Command(BaseCommand):
    help = (
        "Forget the IP addresses and user agents of comments, and delete reader reports, older than the "
        "retention period (NEWSMAG_COMMENT_PERSONAL_DATA_DAYS), and reader sign-ups never verified within "
        "NEWSMAG_UNVERIFIED_ACCOUNT_DAYS. Run it daily, e.g. from cron."
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
            unverified_days = settings.NEWSMAG_UNVERIFIED_ACCOUNT_DAYS
            accounts = readers.purge_unverified_accounts(timezone.now() - timedelta(days=unverified_days))
        self.stdout.write(
            f"Cleared the IP address and user agent of {comments} comment(s) and deleted {reports} "
            f"report(s) older than {days} day(s), and {accounts} account(s) whose email was not verified "
            f"within {unverified_days} day(s)."
        )
