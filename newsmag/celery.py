"""The task queue: Celery, its broker read from CELERY_BROKER_URL (RabbitMQ or Redis).

`celery -A newsmag worker` runs the jobs and `celery -A newsmag beat` sends the periodic ones
(CELERY_BEAT_SCHEDULE in settings.py). Without a broker (`make run`, the tests) every job runs in the web
process right after the commit that enqueued it (task_always_eager), and `runserver` runs the periodic ones
in a thread (newsmag/apps.py), so nothing else has to run.

Jobs are `@shared_task`s in the apps' job modules (imported by their `tasks` modules), enqueued with
`.delay_on_commit()` (DjangoTask): a job never sees, nor outlives, a transaction that rolled back.
"""

import os
import threading
import time
from pathlib import Path

from celery import Celery, signals
from celery.beat import PersistentScheduler, Service
from celery.contrib.django.task import DjangoTask
from django.apps import apps
from django.db import connections, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsmag.settings")


class Task(DjangoTask):
    """Celery's Django task, enqueued after commit without failing the request that committed: if the
    broker cannot take the job then, Django logs the error ("Error calling ... in on_commit()") and the
    reader or editor still gets the answer their committed change deserves."""

    def delay_on_commit(self, *args, **kwargs):
        def enqueue():  # a function, not a partial: Django's log line names it by __qualname__
            self.delay(*args, **kwargs)

        transaction.on_commit(enqueue, robust=True)

    def apply_async_on_commit(self, *args, **kwargs):
        def enqueue():
            self.apply_async(*args, **kwargs)

        transaction.on_commit(enqueue, robust=True)


app = Celery("newsmag", task_cls="newsmag.celery:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

NO_BROKER = (
    "CELERY_BROKER_URL is unset: jobs run in the web process after commit, and a worker or beat has nothing "
    "to do. Set CELERY_BROKER_URL=amqp://user:password@host:5672// (RabbitMQ) or redis://host:6379/0 (Redis)."
)


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_to_start_unconfigured(sender=None, **kwargs):
    """A worker or beat needs the site's database and a broker: without them it stops at once, saying why,
    instead of running on an embedded server or waiting on Celery's default broker."""
    from django.conf import settings

    if getattr(sender, "in_process", False):  # start_in_process_beat(): runserver's thread, no broker
        return

    from newsmag.embedded_db import MISSING_DATABASE, database_configured

    # SystemExit, not an exception: Celery logs a signal handler's exceptions and carries on.
    if not database_configured():
        raise SystemExit(f"celery: {MISSING_DATABASE}")
    if not settings.CELERY_BROKER_URL:
        raise SystemExit(f"celery: {NO_BROKER}")


class Scheduler(PersistentScheduler):
    """Celery's persistent scheduler (settings.CELERY_BEAT_SCHEDULER), making the folder of its file
    (CELERY_BEAT_SCHEDULE_FILENAME) first, as a fresh machine or volume may not have it, and running the due
    jobs in-process when there is no broker."""

    def setup_schedule(self):
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        try:
            return super().tick(*args, **kwargs)
        finally:
            if self.app.conf.task_always_eager:  # the jobs ran in this thread: keep no connection open
                connections.close_all()

    @property
    def producer(self):
        # Without a broker (start_in_process_beat) the due jobs run right here: nothing to connect to.
        return None if self.app.conf.task_always_eager else super().producer


def start_in_process_beat():
    """Run Celery's beat in a daemon thread of this process, for `runserver` without a broker
    (newsmag/apps.py): the periodic jobs then run in-process (task_always_eager) when due, their last runs
    kept in CELERY_BEAT_SCHEDULE_FILENAME as `celery -A newsmag beat` keeps them. Returns the beat service
    (its `stop()` ends the thread)."""
    service = Service(app=app, scheduler_cls=Scheduler)
    service.in_process = True

    def run():
        while not apps.ready:  # started from AppConfig.ready(): the other apps are still getting ready
            time.sleep(0.1)
        app.loader.import_default_modules()  # the apps' tasks modules: beat finds the jobs it names
        service.start()

    threading.Thread(target=run, name="newsmag-beat", daemon=True).start()
    return service
