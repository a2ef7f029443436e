"""The test settings for a Celery worker a test starts: no remote control (its broadcast queues are shared by
every worker on the broker, and nothing here needs them)."""

from tests.settings import *  # noqa: F403

CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
