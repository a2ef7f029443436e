"""Renditions made by a real Celery worker (`celery -A newsmag worker`, a subprocess) from a real RabbitMQ
broker, with media on a real S3 server (tests/s3_server.py): the upload answers at once, the page shows the
interim picture while the job waits, and turns over to the renditions once the worker has made them."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from articles.images.renditions import renditions_complete
from articles.models import Image
from tests.articles.test_images import camera_exif, image_form, jpeg, upload
from tests.articles.test_media_storage import lead_picture, read_page
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
BASE_DIR = Path(__file__).resolve().parent.parent
BROKER = "amqp://guest:guest@127.0.0.1:5672//"


def rabbitmq_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def broker_queue():
    """The site's Celery app sends to RabbitMQ, on a queue of this test's own; the queue goes afterwards."""
    from newsmag.celery import app

    if not rabbitmq_running():
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672")
    queue = f"newsmag-test-renditions-{uuid.uuid4().hex[:10]}"
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=BROKER, task_always_eager=False, task_default_queue=queue)
    yield queue
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)
    app.conf.update(saved)
    app.pool.force_close_all()


def start_worker(queue, bucket, log):
    db = connection.settings_dict
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "CELERY_"))},
        **bucket.env(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{quote(db['HOST'] or '', safe='')}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "PYTHONPATH": str(BASE_DIR),
    }
    command = [sys.executable, "-m", "celery", "-A", "newsmag", "worker", "-Q", queue, "--pool=solo",
               "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, timeout, what, details=str):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}; {details()}")
        time.sleep(0.2)
    return result


def test_a_worker_makes_the_renditions_and_the_page_turns_over(
    client, section, s3_bucket, broker_queue, tmp_path
):
    client.force_login(UserFactory(username="desk", is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/articles/image/add/",
        image_form(
            file=upload(jpeg(3000, 2000, exif=camera_exif())), alt_text="Cranes", credit="People News"
        ),
    )
    assert response.status_code == 302
    image = Image.objects.get()
    article = ArticleFactory(section=section, lead_image=image, headline="Cranes at the port")

    # The job waits on the broker: readers get the interim picture, sized, from the bucket.
    srcset, img = lead_picture(read_page(article.get_absolute_url()))
    assert srcset == []
    assert img.get("src").endswith(image.renditions["interim"]["name"])
    assert (img.get("width"), img.get("height")) == ("1200", "800")

    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = start_worker(broker_queue, s3_bucket, log)
        try:
            wait_for(
                lambda: (
                    renditions_complete(Image.objects.get(pk=image.pk).renditions)
                    or worker.poll() is not None
                ),
                120,
                "the worker to make the renditions",
                lambda: f"the worker said:\n{log_path.read_text()[-3000:]}",
            )
            assert worker.poll() is None, log_path.read_text()
            # The worker's save advanced the content version: the kept page turns over by itself.
            srcset, img = wait_for(
                lambda: (found := lead_picture(read_page(article.get_absolute_url())))[0] and found,
                10,
                "the page to show the renditions",
            )
        finally:
            worker.terminate()
            worker.wait(30)
    image.refresh_from_db()
    assert all(f"/renditions/{image.pk}/{image.renditions['key']}/" in url for url in srcset)
    assert (img.get("width"), img.get("height")) == ("1600", "1067")
    assert "succeeded" in log_path.read_text()  # the job ran in the worker, not here
