from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments.jobs import purge_personal_data


class Command(BaseCommand):
    help = (
        "Forget the IP addresses and user agents of comments, and delete reader reports, older than the "
        "retention period (NEWSMAG_COMMENT_PERSONAL_DATA_DAYS), and reader sign-ups never verified within "
        "NEWSMAG_UNVERIFIED_ACCOUNT_DAYS. Celery's beat runs the same purge daily (comments.jobs); this "
        "command runs it now."
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
        comments, reports, accounts = purge_personal_data(days)
        unverified_days = settings.NEWSMAG_UNVERIFIED_ACCOUNT_DAYS
        self.stdout.write(
            f"Cleared the IP address and user agent of {comments} comment(s) and deleted {reports} "
            f"report(s) older than {days} day(s), and {accounts} account(s) whose email was not verified "
            f"within {unverified_days} day(s)."
        )
