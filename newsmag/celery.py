"""The task queue: Celery, its broker read from CELERY_BROKER_URL (RabbitMQ or Redis).

`celery -A newsmag worker` runs the jobs and `celery -A newsmag beat` the periodic ones. Without a broker
(`make run`, the tests) every job runs in the web process right after the commit that enqueued it
(task_always_eager), so nothing else has to run.

Jobs are `@shared_task`s in the apps' `tasks` modules, enqueued with `.delay_on_commit()` (DjangoTask): a
job never sees, nor outlives, a transaction that rolled back.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsmag.settings")

app = Celery("newsmag", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
