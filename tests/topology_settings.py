"""newsmag.settings exactly as production reads them, plus the one thing a shared test machine needs: the
topology test's Celery jobs travel on a queue of its own (NEWSMAG_TEST_CELERY_QUEUE), so that no other
worker on the same broker takes them, and none of theirs reaches its worker."""

import os

from newsmag.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["NEWSMAG_TEST_CELERY_QUEUE"]
