import os
import sys
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class NewsmagConfig(AppConfig):
    """The project package as an app: its management commands, the login-failure counter, reader accounts."""

    name = "newsmag"
    verbose_name = "Newsmag"

    def ready(self):
        from newsmag import logins  # noqa: F401 (connects the login-failure receiver)
        from newsmag.accounts import middleware  # noqa: F401 (connects the reader-cookie receivers)

        if runs_the_development_server() and settings.CELERY_TASK_ALWAYS_EAGER:
            # `make run` has no broker and no beat: the periodic jobs (CELERY_BEAT_SCHEDULE) run in a thread
            # of the server process instead. Production runs `celery -A newsmag beat` (README).
            from newsmag.celery import start_in_process_beat

            start_in_process_beat()


def runs_the_development_server() -> bool:
    """True in the process that serves `manage.py runserver` (its autoreloader's child, or the only process
    with --noreload), never in gunicorn, a worker or any other command."""
    if len(sys.argv) < 2 or Path(sys.argv[0]).name != "manage.py" or sys.argv[1] != "runserver":
        return False
    return os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv
