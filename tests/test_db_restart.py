"""PostgreSQL restarts while readers read and comment: meanwhile the site says "back in a moment" (503),
afterwards it recovers by itself within seconds, and every comment it acknowledged is stored exactly once.

The site runs as in production (gunicorn with 2 sync workers, production settings) against a throwaway
PostgreSQL server of its own (tests/pg_cluster.py): the shared server other tests use is never touched.
"""

import json
import os
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

from tests.production_site import Hit, Site, needs_postgres_binaries

pytestmark = needs_postgres_binaries

BASE_DIR = Path(__file__).resolve().parent.parent
READERS, POSTERS = 3, 3
OUTAGE_SECONDS = 2.0  # how long the server stays down between its fast shutdown and its start
RECOVERY_LIMIT = 15.0  # generous: the figure measured is printed, and is well under a second
SETTLED_AFTER = 1.0  # seconds after the first successes: from then on every request must succeed
OUTAGE_MESSAGE = "Service temporarily unavailable"


class Load:
    """Readers reading the home and article pages, and readers commenting, until told to stop."""

    def __init__(self, site: Site):
        self.site = site
        self.hits: list[Hit] = []
        self.posts: list[tuple[str, Hit]] = []  # (the comment's text, the answer to its POST)
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(READERS)]
        self.threads += [threading.Thread(target=self.comment, args=(n,)) for n in range(POSTERS)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def record(self, hit, text=None):
        with self.lock:
            self.hits.append(hit)
            if text is not None:
                self.posts.append((text, hit))
        if not hit.succeeded():
            self.done.wait(0.05)  # no busy loop against a site that is down
        return hit

    def successes(self, kind, since=0.0):
        with self.lock:
            return [hit for hit in self.hits if hit.kind == kind and hit.started >= since and hit.succeeded()]

    def read(self, number):
        paths = ["/", self.site.article["url"]]
        while not self.done.is_set():
            self.record(self.site.request("read", "GET", paths[number % 2]))
            number += 1

    def comment(self, number):
        article, sent = self.site.article, 0
        while not self.done.is_set():
            token = self.record(self.site.request("token", "GET", f"/comments/token/{article['pk']}/"))
            if not token.succeeded():
                continue
            sent += 1
            form = json.loads(token.body)
            csrf = SimpleCookie("\n".join(token.headers["Set-Cookie"]))["csrftoken"].value
            # The CSRF cookie is Secure (production settings), which a browser keeps off plain HTTP: it is
            # sent by hand here, as a browser would over HTTPS.
            text = f"Restart drill {number}-{sent}: the ferry timetable changed again."
            data = {"name": f"Reader {number}", "email": f"reader{number}.{sent}@example.com", "body": text,
                    "issued": form["issued"], "csrfmiddlewaretoken": form["csrf"]}  # fmt: skip
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
                "Referer": f"http://127.0.0.1:{self.site.port}{article['url']}",
                "X-Forwarded-For": f"10.{number}.{sent // 250}.{sent % 250 + 1}",
            }
            post = self.site.request(
                "post", "POST", f"/comments/post/{article['pk']}/", urlencode(data), headers
            )
            self.record(post, text)


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def test_site_rides_out_a_postgresql_restart_under_load_without_losing_a_comment(
    throwaway_postgres, gunicorn_site
):
    site = gunicorn_site
    postgres, kinds = throwaway_postgres, ("read", "token", "post")
    load = Load(site)
    load.start()
    try:
        wait_for(
            lambda: load.successes("read") and load.successes("post"), 30, "the site never served the load"
        )
        workers = site.worker_pids()
        down_at = time.monotonic()
        postgres.stop(mode="fast")  # a real restart: the postmaster and every backend go away
        stopped_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)  # the load runs on against the stopped server
        starting_at = time.monotonic()
        postgres.start()
        up_at = time.monotonic()
        wait_for(
            lambda: all(load.successes(kind, since=up_at) for kind in kinds),
            RECOVERY_LIMIT,
            f"the site did not recover within {RECOVERY_LIMIT} s of PostgreSQL being back",
        )
        first = {kind: min(hit.ended for hit in load.successes(kind, since=up_at)) for kind in kinds}
        recovered_at = max(first.values())
        time.sleep(SETTLED_AFTER + 2)  # the load runs on for a while after the recovery
    finally:
        load.stop()

    # Nobody restarted the app: the same two workers served before, during and after.
    assert site.process.poll() is None
    assert site.worker_pids() == workers
    for pid in workers:
        os.kill(pid, 0)  # still alive

    # The site worked before the restart and works again after it...
    failures = [hit for hit in load.hits if not hit.succeeded()]
    assert failures, "the load never noticed the outage"
    assert all(hit.ended >= down_at for hit in failures)
    settled = [hit for hit in load.hits if hit.started >= recovered_at + SETTLED_AFTER]
    assert settled
    assert all(hit.succeeded() for hit in settled), Counter((hit.kind, hit.status) for hit in settled)
    # ...and meanwhile told readers to come back shortly: no 500, no dropped connection.
    for hit in failures:
        assert hit.status == 503, (hit.kind, hit.status, hit.body[:2000])
        assert hit.headers["Retry-After"] == "5"
        assert OUTAGE_MESSAGE in hit.body

    # Every comment the site acknowledged is stored, exactly once.
    with psycopg.connect(**postgres.connection_kwargs("newsmag")) as db:
        stored = Counter(
            dict(
                db.execute(
                    "SELECT body, count(*) FROM comments_comment WHERE article_id = %s GROUP BY body",
                    [site.article["pk"]],
                ).fetchall()
            )
        )
    posted = {text for text, _hit in load.posts}
    acknowledged = {text for text, hit in load.posts if hit.succeeded()}
    assert all(
        hit.headers["Location"].startswith(site.article["url"])
        for _text, hit in load.posts
        if hit.succeeded()
    )
    assert len(posted) == len(load.posts)
    assert acknowledged <= set(stored)
    assert set(stored.values()) == {1}
    assert set(stored) <= posted

    last_failure = max(hit.ended for hit in failures)
    print(
        f"\nPostgreSQL restart drill: fast shutdown {stopped_at - down_at:.2f} s, stopped {OUTAGE_SECONDS} s,"
        f" start {up_at - starting_at:.2f} s."
        "\n  first success once PostgreSQL was back: "
        + ", ".join(f"{kind} {(moment - up_at) * 1000:.0f} ms" for kind, moment in first.items())
        + f"; last 503 {(last_failure - up_at) * 1000:+.0f} ms"
        f"\n  answers: {dict(Counter((hit.kind, hit.status) for hit in load.hits))}"
        f"\n  comments posted {len(posted)}, acknowledged (302) {len(acknowledged)}, stored {len(stored)}"
        f" (stored without an acknowledgement: {len(set(stored) - acknowledged)})"
        f"\n  gunicorn workers {workers}: the same before and after"
    )
