"""Django's command line for Newsmag: `python manage.py ...` in a checkout, `newsmag ...` when installed
from the wheel (README "Deploying"). Both stop before doing anything when settings.py found no database."""

import os
import sys
from pathlib import Path


def main(argv=None):
    argv = sys.argv if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsmag.settings")
    from django.core.management import execute_from_command_line

    from newsmag.embedded_db import DATABASE_FREE_COMMANDS, MISSING_DATABASE, database_configured

    # Every command but a few offline ones stops here when settings.py found no database (DEBUG off, no
    # DATABASE_URL, no NEWSMAG_EMBEDDED_DB=1): never a silent embedded server.
    command = argv[1] if len(argv) > 1 else "help"
    if command not in DATABASE_FREE_COMMANDS and not database_configured():
        sys.exit(f"{Path(argv[0]).name} {command}: {MISSING_DATABASE}")
    execute_from_command_line(argv)
