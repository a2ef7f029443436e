"""How background jobs retry (`@shared_task(**RETRY_ON_DATABASE_ERRORS)`): a database that restarts or
fails over is the error worth waiting out. Tries wait 1, 2, 4 ... seconds (with jitter, at most 10 minutes:
below RabbitMQ's consumer timeout and Redis's visibility timeout, settings.py), then the job gives up and
its failure is logged. Every job is idempotent: running it twice, as after a worker was killed mid-job,
leaves the same result as running it once.
"""

from django.db import InterfaceError, OperationalError

RETRY_ON_DATABASE_ERRORS = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}
