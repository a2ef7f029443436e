from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from newsmag.backups import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and the media files into backups/<time>/."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="folder to create (default: backups/<date-time>)")

    def handle(self, *args, output=None, **options):
        directory = Path(
            output or Path(settings.BASE_DIR) / "backups" / datetime.now().strftime("%Y%m%d-%H%M%S")
        )
        manifest = backup(directory)
        self.stdout.write(self.style.SUCCESS(f"Backed up to {directory}: {manifest['counts']}"))
