"""Test-only jobs, imported into a real worker with `celery -A newsmag worker -I tests.celery_jobs`.

They write to `test_job_runs`, a table of their own that the tests create in the test database
(`job_runs` fixture in tests/celery_worker.py), one row per run: what the test then reads back.
"""

import time

from celery import shared_task
from django.db import connection

from articles.job_policy import RETRY_ON_DATABASE_ERRORS

TABLE = "test_job_runs"


def record_run(token, note):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (token, note) VALUES (%s, %s)", [token, note])


def runs(token, note=None):
    """How many runs of `token` (with this note) are recorded."""
    with connection.cursor() as cursor:
        if note is None:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE token = %s", [token])
        else:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE token = %s AND note = %s", [token, note])
        return cursor.fetchone()[0]


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def record(token):
    record_run(token, "ran")


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def slow_the_first_time(token, seconds):
    """Its first run records "started" and then works for `seconds` (the test kills the worker meanwhile);
    a later run of the same job finishes at once and records "finished" once (idempotent)."""
    first = runs(token, "started") == 0
    record_run(token, "started")
    if first:
        time.sleep(seconds)
    if not runs(token, "finished"):
        record_run(token, "finished")
