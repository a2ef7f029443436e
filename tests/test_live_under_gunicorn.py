"""The live coverage poll holds a spike as production runs: gunicorn (2 sync workers, production settings)
and many concurrent readers polling. Between updates the database sees NO statement at all (counted by the
server itself: every statement it runs is logged, and the log is read before and after), and an update
reaches every reader by the next poll.

With a shared cache (Redis, REDIS_URL) the answer is kept until the next update. With the per-process
default (local memory), each worker rebuilds its own copy every few seconds: the database cost is bounded
by workers and time, not by readers, and an update reaches every reader within that time.
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from tests.production_site import BASE_DIR, needs_postgres_binaries

pytestmark = needs_postgres_binaries

POLLS = 2_000
READERS = 50  # concurrent connections

STORY = """
import json
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Author, LiveUpdate, Section
from tests.factories import ArticleFactory
author = Author.objects.create(name="Maria Keller", slug="maria-keller")
story = ArticleFactory(headline="Storm over the coast", slug="storm-live", live_coverage="live",
                       section=Section.objects.get())
for minutes in range(12, 0, -1):
    LiveUpdate.objects.create(article=story, author=author, body=f"<p>Update {minutes} minutes ago.</p>",
                              published_at=timezone.now() - timedelta(minutes=minutes))
print("STORY" + json.dumps({"pk": story.pk}))
"""

UPDATE = """
from articles.models import Article, Author, LiveUpdate
LiveUpdate.objects.create(article=Article.objects.get(slug="storm-live"), author=Author.objects.get(),
                          headline="Bridge closed", body="<p>The bridge is shut.</p>")
"""


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="newsmag-redis-"))
    socket = folder / "redis.sock"
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert socket.exists(), "redis-server did not start"
        yield f"unix://{socket}?db=0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def run_in_site(site, code) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR, env=site.env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


class StatementLog:
    """Every statement the server runs in the site's database, from the server's own log."""

    def __init__(self, postgres):
        self.postgres = postgres
        with psycopg.connect(**postgres.connection_kwargs(), autocommit=True) as db:
            db.execute("ALTER SYSTEM SET log_statement = 'all'")
            db.execute("ALTER SYSTEM SET log_line_prefix = '%m [%p] db=%d '")
            db.execute("SELECT pg_reload_conf()")
        time.sleep(0.5)

    def count(self) -> int:
        log = self.postgres.server_log()
        return len(re.findall(r"db=newsmag (?:LOG|LOG:)\s+(?:statement|execute)", log))


def poll_all(site, path, polls=POLLS, etag=None):
    """`polls` polls from READERS concurrent readers: their statuses and the update ids each answer held."""
    headers = {"If-None-Match": etag} if etag else {}

    def one(_):
        hit = site.request("read", "GET", path, headers=headers)
        ids = [update["id"] for update in json.loads(hit.body)["updates"]] if hit.status == 200 else None
        return hit.status, ids

    with ThreadPoolExecutor(READERS) as pool:
        return list(pool.map(one, range(polls)))


def first_poll(site, path):
    hit = site.request("read", "GET", path)
    assert hit.status == 200, hit.body
    return json.loads(hit.body)


@pytest.fixture
def redis_site(redis_url, throwaway_postgres):
    from tests.production_site import Site

    site = Site(throwaway_postgres, REDIS_URL=redis_url)
    site.prepare()
    try:
        site.start()
        yield site
    finally:
        site.stop()


def test_with_a_shared_cache_thousands_of_polls_cost_no_statement_and_an_update_reaches_the_next_poll(
    redis_site, throwaway_postgres
):
    site = redis_site
    story = json.loads(run_in_site(site, STORY).split("STORY", 1)[1])
    path = f"/live/{story['pk']}/updates/"
    statements = StatementLog(throwaway_postgres)
    before = first_poll(site, path)  # the answer was built after the story's commit already
    assert len(before["updates"]) == 12

    counted = statements.count()
    started = time.monotonic()
    answers = poll_all(site, path)
    seconds = time.monotonic() - started
    time.sleep(1)  # the log is written as statements run; a moment for the last lines anyway
    assert statements.count() == counted, "polls between updates ran SQL"
    assert {status for status, _ in answers} == {200}
    assert all(ids == [update["id"] for update in before["updates"]] for _, ids in answers)
    print(
        f"\n{POLLS} polls from {READERS} connections in {seconds:.1f} s ({POLLS / seconds:.0f}/s), 0 statements"
    )

    run_in_site(site, UPDATE)  # posted by another process: its commit rebuilds the shared answer
    after = poll_all(site, path, polls=200)
    assert all(len(ids) == 13 for _, ids in after), "an update did not reach every next poll"
    counted = statements.count()
    answers = poll_all(site, path, polls=1_000)
    time.sleep(1)
    assert statements.count() == counted
    assert {status for status, _ in answers} == {200}


@pytest.mark.site_env(NEWSMAG_LIVE_POLL_SECONDS="20")
def test_with_per_process_caches_the_cost_is_bounded_by_workers_and_an_update_arrives_within_seconds(
    gunicorn_site, throwaway_postgres
):
    site = gunicorn_site
    story = json.loads(run_in_site(site, STORY).split("STORY", 1)[1])
    path = f"/live/{story['pk']}/updates/"
    statements = StatementLog(throwaway_postgres)
    first_poll(site, path)
    counted = statements.count()
    started = time.monotonic()
    answers = poll_all(site, path)
    seconds = time.monotonic() - started
    time.sleep(1)
    rebuilds = (seconds // 5 + 2) * 2  # each of 2 workers rebuilds its copy at most every 5 s
    per_rebuild = 6  # the story, its newest updates, key events, pictures, embeds, a connection check
    ran = statements.count() - counted
    print(f"\n{POLLS} polls from {READERS} connections in {seconds:.1f} s: {ran} statements (local caches)")
    assert ran <= rebuilds * per_rebuild
    assert {status for status, _ in answers} == {200}

    run_in_site(site, UPDATE)  # in another process: the workers' copies expire within 5 s
    posted = time.monotonic()
    while True:
        polls = poll_all(site, path, polls=20)
        if all(len(ids) == 13 for _, ids in polls):
            print(f"the update reached every poll after {time.monotonic() - posted:.1f} s")
            break
        assert time.monotonic() - posted < 5 + 2, "an update took longer than the local entry's lifetime"
        time.sleep(0.2)


def test_statement_counting_sees_statements(gunicorn_site, throwaway_postgres):
    """The method itself: a page that queries shows up in the count (so a zero above means zero)."""
    statements = StatementLog(throwaway_postgres)
    counted = statements.count()
    assert gunicorn_site.request("read", "GET", gunicorn_site.article["url"] + "?x=1").status == 200
    time.sleep(0.5)
    assert statements.count() > counted
