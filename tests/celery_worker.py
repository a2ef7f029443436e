"""A real Celery worker for tests: `celery -A newsmag worker` in a subprocess, with production settings
(newsmag.settings, DEBUG off) on the test database, a real broker (RabbitMQ or Redis on loopback) and a
queue of its own, so that parallel test runs on the same broker never take each other's jobs.

`broker` (parametrized: RabbitMQ and Redis) points this process's Celery app at the broker and the queue,
so `.delay_on_commit()` here sends jobs there instead of running them in-process; `start_worker()` starts
a worker on that queue; `job_runs` makes the table the test-only jobs (tests/celery_jobs.py) write to.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from kombu import Connection, pools

from newsmag.celery import app
from tests import celery_jobs

BASE_DIR = Path(__file__).resolve().parent.parent
BROKERS = {
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
    "redis": "redis://127.0.0.1:6379/11",  # a spare database number, and a queue name of each test's own
}
# Redis redelivers a dead worker's job after the visibility timeout: short here, an hour in production.
TEST_VISIBILITY_TIMEOUT = 3


def database_url():
    """The test database as a DATABASE_URL (a Unix socket directory as the percent-encoded host)."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="") if (db["HOST"] or "").startswith("/") else db["HOST"]
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'] or 'postgres', safe='')}{password}@{host}{port}/{db['NAME']}"


def wait_for(condition, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@dataclass
class Broker:
    name: str
    url: str
    queue: str
    workers: list = field(default_factory=list)

    def worker_env(self, **extra):
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSMAG_", "CELERY_"))}
        return {
            **base,
            "DJANGO_SETTINGS_MODULE": "newsmag.settings",  # production settings: DEBUG off
            "DJANGO_SECRET_KEY": "celery-worker-test-" + "k" * 40,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.url,
            "NEWSMAG_CELERY_QUEUE": self.queue,
            "NEWSMAG_CELERY_VISIBILITY_TIMEOUT": str(TEST_VISIBILITY_TIMEOUT),
            "PYTHONPATH": str(BASE_DIR),
            **extra,
        }

    def start_worker(self, *extra_args):
        """`celery -A newsmag worker` (solo pool: the job runs in the process a test kills), ready to work."""
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"{self.queue}-{len(self.workers)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "newsmag", "worker", "--pool=solo",
                 "-I", "tests.celery_jobs", "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "-n", f"{self.queue}-{len(self.workers)}@%h", "--loglevel=INFO", *extra_args],
                cwd=BASE_DIR, env=self.worker_env(), stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        worker = Worker(process, log)
        self.workers.append(worker)
        wait_for(lambda: worker.alive() and " ready." in worker.log_text(), 60, f"the worker: {log}")
        return worker

    def start_beat(self, schedule_file):
        """`celery -A newsmag beat`, its schedule kept in `schedule_file`, once it has started."""
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"{self.queue}-beat.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "newsmag", "beat", "--loglevel=INFO"],
                cwd=BASE_DIR, env=self.worker_env(CELERY_BEAT_SCHEDULE_FILENAME=str(schedule_file)),
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        beat = Worker(process, log)
        self.workers.append(beat)
        wait_for(lambda: beat.alive() and "beat: Starting..." in beat.log_text(), 60, f"beat: {log}")
        return beat


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def alive(self):
        assert self.process.poll() is None, self.log_text()
        return True

    def log_text(self):
        return self.log.read_text(errors="replace")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            self.kill()  # the test is over: its queue goes next


def point_app_at(**conf):
    """Reconfigure this process's Celery app, dropping what it built from the old configuration."""
    pools.reset()  # kombu's connection and producer pools, shared by every app in the process
    app._pool = None
    app.amqp._producer_pool = None
    for cached in ("queues", "default_queue", "router"):
        app.amqp.__dict__.pop(cached, None)
    app.conf.update(conf)


@pytest.fixture(params=sorted(BROKERS))
def broker(request):
    name = request.param
    queue = f"newsmag-test-{uuid.uuid4().hex[:12]}"
    keys = ("broker_url", "task_always_eager", "task_default_queue", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    point_app_at(
        broker_url=BROKERS[name],
        task_always_eager=False,
        task_default_queue=queue,
        broker_transport_options={"visibility_timeout": TEST_VISIBILITY_TIMEOUT} if name == "redis" else {},
    )
    broker = Broker(name, BROKERS[name], queue)
    try:
        yield broker
    finally:
        for worker in broker.workers:
            worker.stop()
        point_app_at(**saved)
        with Connection(BROKERS[name]) as conn:
            conn.default_channel.queue_delete(queue)
        if name == "redis":  # kombu keeps the queue's binding (its exchange is named after it) apart
            client = redis.Redis.from_url(BROKERS[name])
            client.delete(*client.keys(f"_kombu.binding*.{queue}"), f"_kombu.binding.{queue}")
        for worker in broker.workers:
            worker.log.unlink(missing_ok=True)


@pytest.fixture
def job_runs(transactional_db):
    """The table the test-only jobs write to, committed so that a worker sees it; dropped afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {celery_jobs.TABLE} "
            "(id serial PRIMARY KEY, token text NOT NULL, note text NOT NULL)"
        )
    yield celery_jobs
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {celery_jobs.TABLE}")
