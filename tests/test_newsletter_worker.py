"""Newsletter batches through a real Celery worker and a real RabbitMQ broker: every batch job is delivered
twice (as a broker redelivers after a lost acknowledgement) and each reader still gets the issue once."""

import os
import subprocess
import sys
import time as time_module
import uuid
import warnings
from datetime import time
from pathlib import Path

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.db import connection

from articles.models import Delivery, Issue, Newsletter, Subscriber, Subscription
from articles.newsletters import issues, sending
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

BROKER = os.environ.get("NEWSMAG_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
BASE_DIR = Path(__file__).resolve().parent.parent


def broker_reachable():
    from kombu import Connection

    try:
        with Connection(BROKER, connect_timeout=2) as probe:
            probe.ensure_connection(max_retries=1)
    except Exception:
        return False
    return True


@pytest.fixture
def worker(tmp_path, smtp_server):
    if not broker_reachable():
        pytest.skip(f"no RabbitMQ at {BROKER}")
    queue = f"newsmag-newsletters-test-{uuid.uuid4().hex[:12]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "EMAIL_URL": smtp_server.url,
        "NEWSMAG_SITE_URL": "https://news.example.org",
        "PYTHONPATH": str(BASE_DIR),
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "newsmag", "worker", "-Q", queue, "--pool", "solo",
             "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel", "INFO"],
            cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield queue, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        from kombu import Connection

        with Connection(BROKER) as conn:
            conn.default_channel.queue_delete(queue)


def test_batches_delivered_twice_by_the_broker_mail_each_reader_once(worker, mailbox, settings):
    queue, log = worker
    settings.NEWSMAG_NEWSLETTER_BATCH_SIZE = 3
    section = SectionFactory(name="Culture", slug="culture")
    ArticleFactory(section=section, headline="A story for the worker")
    daily = Newsletter.objects.create(name="Daily", slug="daily", kind="daily", send_time=time(7))
    addresses = [f"reader{n}@example.org" for n in range(7)]
    for address in addresses:
        subscriber = Subscriber.objects.create(email=address)
        Subscription.objects.create(
            subscriber=subscriber, newsletter=daily, confirmed_at=subscriber.created_at
        )
    issue = issues.open_issue(daily)
    issues.top_up(issue)
    batches = sending.start_sending(issue)
    assert [len(batch) for batch in batches] == [3, 3, 1]

    from kombu import Connection

    from newsmag.celery import app

    # This process has no broker (its jobs run eagerly); send_task goes to the given one all the same.
    with Connection(BROKER) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        for batch in batches * 2:
            app.send_task(
                "articles.newsletters.jobs.send_issue_batch",
                args=[issue.pk, batch],
                queue=queue,
                connection=conn,
            )
    try:
        messages = mailbox.wait_for(len(addresses), timeout=60)
    except AssertionError:
        raise AssertionError(log.read_text(errors="replace")[-3000:]) from None
    received = sorted(message["X-Envelope-To"] for message in messages)
    assert received == sorted(addresses)
    deadline = time_module.monotonic() + 60
    while log.read_text(errors="replace").count("succeeded in") < 2 * len(batches):  # every job has run
        assert time_module.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        time_module.sleep(0.2)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert set(Delivery.objects.filter(issue=issue).values_list("status", flat=True)) == {"sent"}
    assert len(mailbox.messages) == len(addresses)  # the second delivery of every job sent nothing
