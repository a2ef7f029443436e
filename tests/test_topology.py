"""Newsmag as a production topology, every part real, on this machine: two gunicorn app servers (A and B),
a Celery worker on RabbitMQ, a PostgreSQL primary with a streaming replica (pg_basebackup -R), an
S3-compatible server (moto_server) for media, and Redis for the shared cache and rate limits. Nothing is
shared between A and B but those services.

The tests share one topology (built once, about half a minute) and run in order; the last stops the
replica. Slow (a minute or two) but part of `make test`.
"""

import io
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import boto3
import kombu
import psycopg
import pytest
import redis
from botocore.config import Config
from PIL import Image as PILImage

from tests.production_site import (
    BASE_DIR,
    Site,
    cookie_header,
    needs_postgres_binaries,
    replicated_postgres,  # noqa: F401 (fixture)
)

pytestmark = [needs_postgres_binaries, pytest.mark.slow]

BROKER = "amqp://guest:guest@127.0.0.1:5672//"
REDIS_URL = "redis://127.0.0.1:6379/9"
ADMIN = ("desk", "topology-desk-password")
MAKE_ADMIN = f"""
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser({ADMIN[0]!r}, "desk@example.com", {ADMIN[1]!r})
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def services_running():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        with kombu.Connection(BROKER, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception:
        return False
    return True


class Worker:
    """`celery -A newsmag worker` with the app servers' environment, its log in a file (one per start)."""

    def __init__(self, env, root: Path):
        self.env, self.root, self.starts, self.process = env, root, 0, None

    def start(self):
        self.starts += 1
        self.log = self.root / f"worker-{self.starts}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "newsmag", "worker", "--pool=solo", "--loglevel=INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for(
            lambda: "ready." in self.log.read_text(errors="replace"), 60, "the worker to start", self.text
        )

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def text(self):
        return self.log.read_text(errors="replace")


class S3:
    """moto_server on a free port of loopback, with one bucket."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.bucket = f"newsmag-topology-{uuid.uuid4().hex[:8]}"
        self.log = root / "moto.log"
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def env(self):
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "newsmag-topology",
            "AWS_SECRET_ACCESS_KEY": "newsmag-topology-secret",
            "AWS_S3_REGION_NAME": "us-east-1",
        }

    def client(self):
        env = self.env()
        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name=env["AWS_S3_REGION_NAME"],
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            config=Config(s3={"addressing_style": "path"}),
        )  # fmt: skip

    def start(self):
        moto = Path(sys.executable).with_name("moto_server")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(moto), "-H", "127.0.0.1", "-p", str(self.port)], stdout=log, stderr=subprocess.STDOUT
            )
        wait_for(self._answers, 30, "moto_server to start", lambda: self.log.read_text())
        self.client().create_bucket(Bucket=self.bucket)

    def _answers(self):
        try:
            self.client().list_buckets()
        except Exception:
            return False
        return True

    def stored_keys(self):
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture(scope="module")
def topology(replicated_postgres):  # noqa: F811
    if not services_running():
        pytest.skip(f"needs Redis ({REDIS_URL}) and RabbitMQ ({BROKER})")
    primary, replica = replicated_postgres
    queue = f"newsmag-topology-{uuid.uuid4().hex[:10]}"
    s3 = S3(primary.root)
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.topology_settings",
        "NEWSMAG_TEST_CELERY_QUEUE": queue,
        "DATABASE_REPLICA_URL": replica.url("newsmag"),
        "NEWSMAG_REPLICA_RETRY_SECONDS": "2",
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": BROKER,
        # A key of its own: the rate counters in the shared Redis are keyed hashes, so no other run shares one.
        "DJANGO_SECRET_KEY": f"topology-{uuid.uuid4().hex}-" + "k" * 30,
        "NEWSMAG_TRUSTED_PROXY_COUNT": "1",
        **s3.env(),
    }
    a, b = Site(primary, name="a", **env), Site(primary, name="b", **env)
    worker = Worker(a.env, primary.root)
    try:
        s3.start()
        a.prepare(MAKE_ADMIN)
        b.article = a.article
        replica.wait_caught_up()
        a.start()
        b.start()
        worker.start()
        yield a, b, worker, s3, primary, replica
    finally:
        for process in (worker, a, b, s3):
            process.stop()
        with kombu.Connection(BROKER) as connection:
            connection.default_channel.queue_delete(queue)


def test_an_edit_on_server_a_shows_on_server_b_at_once(topology):
    a, b, *_ = topology
    url = a.article["url"]
    assert "Ferries run again" in b.request("read", "GET", url).body
    assert b.request("read", "GET", url).headers["X-Page-Cache"] == "HIT"  # kept in the shared cache

    cookies = a.admin_login(*ADMIN)
    change = f"/admin/articles/article/{a.article['pk']}/change/"
    fields = form_fields(a, change, cookies)
    fields["headline"] = ["Ferries run again from Monday"]
    saved = post_form(a, change, fields, cookies)
    assert saved.status == 302, form_errors(saved)

    # Any reader's next page on B: each process re-reads the versions at most once a second
    # (NEWSMAG_PAGE_CACHE_VERSION_SECONDS), from the replica, so "at once" is within that second plus the
    # replica's replay; B must not keep serving its kept copy after that.
    saved_at = time.monotonic()
    while True:
        page = b.request("read", "GET", url)
        if "Ferries run again from Monday" in page.body or time.monotonic() - saved_at > 3:
            break
        time.sleep(0.1)
    assert "Ferries run again from Monday" in page.body, page.headers


def test_the_comment_flood_limit_holds_across_servers(topology):
    a, b, *_ = topology
    first = a.post_comment("The ferry was on time.", email="one@example.com", address="203.0.113.40")
    assert first.status == 302, first.body[:2000]
    again = b.post_comment("And back again.", email="two@example.com", address="203.0.113.40")
    assert again.status == 429, again.body[:2000]
    other = b.post_comment("Not the same reader.", email="three@example.com", address="203.0.113.41")
    assert other.status == 302


def test_an_upload_on_a_is_stored_in_s3_made_into_renditions_by_the_worker_and_shown_on_b(topology):
    a, b, worker, s3, primary, _ = topology
    cookies = a.admin_login(*ADMIN)
    image_pk = upload_image(a, primary, cookies, jpeg(2400, 1600), "Ferry at the pier")
    assert any(key.startswith("images/") or "ferry" in key.lower() for key in s3.stored_keys()), (
        s3.stored_keys()
    )
    set_lead_image(a, cookies, image_pk)
    wait_for(lambda: "renditions/" in lead_srcset(b), 120, "renditions on B's page", worker.text)
    srcset = lead_srcset(b)
    assert f"{s3.endpoint}/{s3.bucket}/" in srcset or s3.bucket in srcset
    assert any(key.startswith("renditions/") or "/renditions/" in key for key in s3.stored_keys())
    assert "succeeded" in worker.text()


def test_a_worker_killed_during_a_job_finishes_it_after_a_restart(topology):
    a, b, worker, _, primary, _ = topology
    cookies = a.admin_login(*ADMIN)
    image_pk = upload_image(a, primary, cookies, jpeg(6000, 4000), "A very large harbour view")
    wait_for(lambda: "received" in worker.text(), 60, "the worker to take the job", worker.text)
    task = re.findall(r"Task (\S+)\[([0-9a-f-]+)\] received", worker.text())[-1]
    worker.kill()  # SIGKILL, mid-job: no chance to finish or to acknowledge
    worker.start()
    # RabbitMQ hands the unacknowledged job to the new worker, which finishes it.
    wait_for(lambda: f"[{task[1]}] succeeded" in worker.text(), 180, "the job to finish", worker.text)
    set_lead_image(a, cookies, image_pk)
    wait_for(lambda: "renditions/" in lead_srcset(b), 30, "renditions on B's page", worker.text)


def test_the_site_stays_up_when_the_replica_stops(topology):
    a, b, _, _, _primary, replica = topology
    replica.stop(mode="immediate")
    for number in range(4):
        for site in (a, b):
            hit = site.request("read", "GET", f"/search/?q=ferries+gone{number}")
            assert hit.status == 200, site.log_text()[-3000:]
            assert site.request("read", "GET", a.article["url"]).status == 200


# Helpers: the admin's forms as a browser fills them in.


class FormFields(HTMLParser):
    """The fields of the first form with method="post" whose action is the page itself: name -> values."""

    def __init__(self):
        super().__init__()
        self.fields, self.inside, self.select, self.textarea, self.done = {}, False, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (attrs.get("method") or "").lower() == "post":
            self.inside = "id" in attrs and attrs["id"].endswith("_form")
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file", "image"):
            checkable = attrs.get("type") in ("checkbox", "radio")
            if checkable and "checked" not in attrs:
                return
            self.fields.setdefault(name, []).append(attrs.get("value", "on" if checkable else ""))
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            # As a browser reads it: the newline right after <textarea> is not part of the text.
            text = self.fields[self.textarea][0] + data
            self.fields[self.textarea][0] = (
                text.removeprefix("\n") if not self.fields[self.textarea][0] else text
            )

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(site, path, cookies):
    page = site.request("admin", "GET", path, headers={"Cookie": cookie_header(cookies)})
    assert page.status == 200, page.body[:2000]
    parser = FormFields()
    parser.feed(page.body)
    return parser.fields


def post_form(site, path, fields, cookies, files=None):
    headers = {"Cookie": cookie_header(cookies), "Referer": f"http://127.0.0.1:{site.port}{path}",
               "X-CSRFToken": cookies["csrftoken"]}  # fmt: skip
    fields = {**fields, "_save": ["Save"]}
    if files:
        body, content_type = multipart(fields, files)
    else:
        body = urlencode([(name, value) for name, values in fields.items() for value in values])
        content_type = "application/x-www-form-urlencoded"
    return site.request("admin", "POST", path, body, {**headers, "Content-Type": content_type})


def form_errors(hit):
    found = re.findall(
        r'<(?:ul|p|div) class="(?:errorlist|errornote)[^"]*"[^>]*>(.*?)</(?:ul|p|div)>', hit.body, re.S
    )
    return f"{hit.status}: {found or hit.body[:2000]}"


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, values in fields.items():
        for value in values:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
    for name, (filename, content, kind) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def jpeg(width, height):
    output = io.BytesIO()
    PILImage.effect_noise((width, height), 60).convert("RGB").save(output, "JPEG", quality=90)
    return output.getvalue()


def upload_image(site, primary, cookies, content, title):
    """Add an image in `site`'s admin; its primary key."""
    fields = form_fields(site, "/admin/articles/image/add/", cookies)
    fields.update(title=[title], alt_text=[title], credit=["People News"])
    files = {"file": (f"{uuid.uuid4().hex[:8]}.jpg", content, "image/jpeg")}
    saved = post_form(site, "/admin/articles/image/add/", fields, cookies, files)
    assert saved.status == 302, form_errors(saved)
    with psycopg.connect(**primary.connection_kwargs("newsmag")) as db:
        return db.execute("SELECT max(id) FROM articles_image").fetchone()[0]


def set_lead_image(site, cookies, image_pk):
    change = f"/admin/articles/article/{site.article['pk']}/change/"
    fields = form_fields(site, change, cookies)
    fields["lead_image"] = [str(image_pk)]
    saved = post_form(site, change, fields, cookies)
    assert saved.status == 302, form_errors(saved)


def lead_srcset(site):
    body = site.request("read", "GET", site.article["url"]).body
    return " ".join(re.findall(r'srcset="([^"]*)"', body))


def wait_for(condition, timeout, what, details=str):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}; {details()[-3000:]}")
        time.sleep(0.3)
    return result
