from django.core.management.base import BaseCommand

from articles.newsletters.jobs import run_newsletters


class Command(BaseCommand):
    help = (
        "Assemble the newsletter issues that are due and start sending them (what Celery beat runs every "
        "minute). For a deployment without beat: run it every minute from cron."
    )

    def handle(self, *args, **options):
        run_newsletters()
