"""Background jobs on a real broker (RabbitMQ and Redis on loopback) and a real `celery -A newsmag worker`
started with production settings on the test database (tests/celery_worker.py); and, without a broker, the
same jobs in-process after commit."""

import os
import socket
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from newsmag.apps import runs_the_development_server
from newsmag.celery import Scheduler, app, start_in_process_beat
from tests.celery_worker import database_url, wait_for
from tests.factories import ArticleFactory, CommentFactory

PURGE = "purge-comment-personal-data"


class Rollback(Exception):
    pass


@transaction.atomic
def enqueue_then_roll_back(enqueue):
    enqueue()
    raise Rollback


def found_by(word):
    return set(
        Article.objects.filter(search_vector=SearchQuery(word, config="english")).values_list("pk", flat=True)
    )


def test_job_enqueued_in_a_committed_transaction_runs_on_the_worker(broker, job_runs):
    """The real job: a tag put on a story reaches its search vector through the worker."""
    article = ArticleFactory(headline="Harbour lights return")
    broker.start_worker()
    assert article.pk not in found_by("lighthouse")
    with transaction.atomic():
        article.tags.add("lighthouse")
        # Not before the commit: the job would read the story without its new tag.
    wait_for(lambda: article.pk in found_by("lighthouse"), what="the worker's search-vector refresh")


def test_job_enqueued_in_a_rolled_back_transaction_never_runs(broker, job_runs):
    broker.start_worker()
    lost, kept = uuid.uuid4().hex, uuid.uuid4().hex
    with pytest.raises(Rollback):
        enqueue_then_roll_back(lambda: job_runs.record.delay_on_commit(lost))
    with transaction.atomic():
        job_runs.record.delay_on_commit(kept)
    # One worker, one queue, first in first out: once the later job ran, the earlier one would have too.
    wait_for(lambda: job_runs.runs(kept) == 1, what="the committed job")
    assert job_runs.runs(lost) == 0


def test_a_worker_killed_mid_job_loses_nothing(broker, job_runs):
    """SIGKILL in the middle of a job (acks_late, reject_on_worker_lost): the next worker finishes it."""
    token = uuid.uuid4().hex
    first = broker.start_worker()
    with transaction.atomic():
        job_runs.slow_the_first_time.delay_on_commit(token, 300)
    wait_for(lambda: job_runs.runs(token, "started") == 1, what="the job to start")
    first.kill()
    assert job_runs.runs(token, "finished") == 0
    broker.start_worker()
    # RabbitMQ requeues the job when the dead worker's connection drops; Redis after the visibility timeout.
    wait_for(lambda: job_runs.runs(token, "finished") == 1, what="the job to be finished by the new worker")
    assert job_runs.runs(token, "started") == 2


def test_beat_sends_the_daily_purge_of_personal_data_to_the_worker(broker, job_runs, tmp_path, settings):
    """`celery -A newsmag beat` with a schedule file whose purge last ran two days ago (beat was down):
    the purge is due at once, and the worker clears the old comment's IP address and user agent."""
    old = CommentFactory(
        ip_address="203.0.113.7", user_agent="Old", created_at=timezone.now() - timedelta(days=200)
    )
    recent = CommentFactory(ip_address="203.0.113.8", user_agent="New")
    schedule_file = tmp_path / "beat" / "celerybeat-schedule"
    scheduler = Scheduler(app=app, schedule_filename=str(schedule_file), lazy=False)
    entries = scheduler._store["entries"]
    entries[PURGE] = entries[PURGE]._next_instance(timezone.now() - timedelta(days=2))
    scheduler.sync()
    scheduler.close()
    broker.start_worker()
    broker.start_beat(schedule_file)
    wait_for(lambda: Comment.objects.get(pk=old.pk).ip_address is None, what="the purge")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.8", "New")


def test_the_purge_is_a_daily_periodic_job(settings):
    entry = settings.CELERY_BEAT_SCHEDULE[PURGE]
    app.loader.import_default_modules()  # what a worker and beat do at start: the apps' tasks modules
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]  # a crontab: once a day, every day
    assert (len(schedule.hour), len(schedule.minute), schedule.day_of_week) == (1, 1, set(range(7)))


def test_without_a_broker_jobs_run_in_process_after_commit(db, settings, django_capture_on_commit_callbacks):
    """`make run` and the tests: no broker, the same job runs in this process once the transaction commits."""
    assert app.conf.task_always_eager
    assert not settings.CELERY_BROKER_URL
    article = ArticleFactory(headline="Harbour lights return")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.tags.add("lighthouse")
        assert article.pk not in found_by("lighthouse")  # not before the commit
    assert callbacks
    assert article.pk in found_by("lighthouse")


def test_without_a_broker_a_rolled_back_job_never_runs(db, django_capture_on_commit_callbacks):
    article = ArticleFactory(headline="Harbour lights return")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Rollback):
        enqueue_then_roll_back(lambda: article.tags.add("lighthouse"))
    assert callbacks == []
    assert article.pk not in found_by("lighthouse")


def test_runserver_runs_the_periodic_jobs_in_process_without_a_broker(job_runs, tmp_path):
    """The thread `manage.py runserver` starts when there is no broker (newsmag/apps.py) runs due jobs."""
    token = uuid.uuid4().hex
    saved = app.conf.beat_schedule, app.conf.beat_schedule_filename
    app.conf.beat_schedule = {"test-record": {"task": job_runs.record.name, "schedule": 0.2, "args": [token]}}
    app.conf.beat_schedule_filename = str(tmp_path / "schedule" / "celerybeat-schedule")
    service = start_in_process_beat()
    try:
        wait_for(lambda: job_runs.runs(token) >= 2, what="two runs of the periodic job")
    finally:
        service.stop()
        app.conf.beat_schedule, app.conf.beat_schedule_filename = saved


def test_only_the_development_server_starts_the_in_process_beat(monkeypatch):
    monkeypatch.setenv("RUN_MAIN", "true")
    monkeypatch.setattr("sys.argv", ["manage.py", "runserver", "127.0.0.1:8000"])
    assert runs_the_development_server()
    for argv in (
        ["gunicorn", "newsmag.wsgi"],
        ["manage.py", "migrate"],
        ["celery", "-A", "newsmag", "worker"],
    ):
        monkeypatch.setattr("sys.argv", argv)
        assert not runs_the_development_server()
    monkeypatch.delenv("RUN_MAIN")  # the autoreloader's parent process only watches files
    monkeypatch.setattr("sys.argv", ["manage.py", "runserver"])
    assert not runs_the_development_server()


@pytest.mark.parametrize("broker_url", ["", "redis://127.0.0.1:6379/11"])
def test_runserver_starts_the_beat_thread_only_without_a_broker(broker_url, db, tmp_path):
    """`make run` (DJANGO_DEBUG=1, no broker) gets the periodic jobs from runserver's own beat thread; with a
    broker, `celery -A newsmag beat` sends them and runserver starts none."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSMAG_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "newsmag.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat" / "celerybeat-schedule"),
    }
    log = tmp_path / "runserver.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(lambda: "Quit the server with" in log.read_text(), what=f"runserver: {log}")
        # The thread starts before the server does (AppConfig.ready) and logs at once once apps are ready.
        wait_for(lambda: (tmp_path / "beat").exists() or broker_url, what="the beat thread's schedule file")
        assert ("beat: Starting..." in log.read_text()) == (not broker_url), log.read_text()
    finally:
        server.kill()
        server.wait(timeout=30)
