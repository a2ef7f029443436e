import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from newsmag.backups import counts, restore


class Command(BaseCommand):
    help = "Restore a backup made by backup_site into the configured (empty) database and media storage."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        folder = Path(directory)
        if not (folder / "database.dump").exists():
            raise CommandError(f"{folder} holds no database.dump: not a backup made by backup_site.")
        if connection.introspection.table_names():
            raise CommandError("The database is not empty: restore into a new, empty database.")
        restore(folder)
        expected = json.loads((folder / "manifest.json").read_text())["counts"]
        # A backup made before a count was added (the newsletters') is checked on the counts it has.
        found = {name: number for name, number in counts().items() if name in expected}
        if found != expected:
            raise CommandError(f"Restored {found}, but the backup held {expected}.")
        self.stdout.write(self.style.SUCCESS(f"Restored {found} from {folder}."))
