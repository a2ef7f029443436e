#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsmag.settings")
    from django.core.management import execute_from_command_line

    from newsmag.embedded_db import DATABASE_FREE_COMMANDS, MISSING_DATABASE, database_configured

    # Every command but a few offline ones stops here, before doing anything, when settings.py found no
    # database (DEBUG off, no DATABASE_URL, no NEWSMAG_EMBEDDED_DB=1): never a silent embedded server.
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in DATABASE_FREE_COMMANDS and not database_configured():
        sys.exit(f"manage.py {command}: {MISSING_DATABASE}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
