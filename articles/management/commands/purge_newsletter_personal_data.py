from django.core.management.base import BaseCommand

from articles.newsletters.optin import purge_personal_data


class Command(BaseCommand):
    help = (
        "Delete newsletter subscriptions left unconfirmed past NEWSMAG_NEWSLETTER_CONFIRM_DAYS and every "
        "address left without a subscription. The Celery beat schedule runs it daily; without beat, run it "
        "daily from cron."
    )

    def handle(self, *args, **options):
        counts = purge_personal_data()
        self.stdout.write(
            f"Dropped {counts['unconfirmed_subscriptions']} unconfirmed subscriptions and "
            f"{counts['addresses']} addresses."
        )
