"""Read replicas, proven on a real one: a throwaway PostgreSQL primary, a hot standby streaming from it
(pg_basebackup -R) and Newsmag under gunicorn with DATABASE_REPLICA_URL (newsmag/db_router.py). Both
servers log every statement, so each test sees which one a request read.

The tests share one site and run in order; the last stops the replica.
"""

import re
import time

import pytest

from tests.production_site import (
    Site,
    cookie_header,
    cookies_of,
    needs_postgres_binaries,
    replicated_postgres,  # noqa: F401 (fixture)
)

pytestmark = needs_postgres_binaries

ADMIN = ("chief", "replica-chief-password")
MAKE_ADMIN = f"""
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser({ADMIN[0]!r}, "chief@example.com", {ADMIN[1]!r})
"""
ARTICLE_ROWS = re.compile(r'FROM "articles_article"')  # an ORM read of stories (raw SQL does not quote)


@pytest.fixture(scope="module")
def replica_site(replicated_postgres):  # noqa: F811
    primary, replica = replicated_postgres
    site = Site(
        primary,
        DATABASE_REPLICA_URL=replica.url("newsmag"),
        NEWSMAG_REPLICA_RETRY_SECONDS="2",
        # Each request its own address: the comment flood limit never refuses one of these tests' posts.
        NEWSMAG_TRUSTED_PROXY_COUNT="1",
    )
    site.prepare(MAKE_ADMIN)
    replica.wait_caught_up()
    try:
        site.start()
        yield site, primary, replica
    finally:
        site.stop()


def reads(server, since):
    return [statement for statement in server.statements(since) if ARTICLE_ROWS.search(statement)]


def search(site, words, **headers):
    """A search no one made before: its page and matches are not kept anywhere yet, so it reads stories."""
    return site.request("read", "GET", f"/search/?q=ferries+{words}", headers=headers)


def test_public_pages_read_the_replica(replica_site):
    site, primary, replica = replica_site
    marks = primary.log_size(), replica.log_size()
    token = f"/comments/token/{site.article['pk']}/"
    section = "/" + site.article["url"].split("/")[1] + "/"
    for path in ["/", site.article["url"], "/search/?q=ferries", "/feed/", section, token]:
        hit = site.request("read", "GET", path)
        assert hit.status == 200, hit.body[:2000]
        assert path == token or "Ferries run again" in hit.body
        assert "newsmag_wrote" not in cookies_of(hit), f"reading {path} marked the reader as a writer"
    assert reads(replica, marks[1]), "no page read the replica"
    assert not reads(primary, marks[0]), "a public page read stories from the primary"


def test_admin_reads_and_writes_the_primary(replica_site):
    site, primary, replica = replica_site
    cookies = site.admin_login(*ADMIN)
    marks = primary.log_size(), replica.log_size()
    hit = site.request("admin", "GET", "/admin/articles/article/", headers={"Cookie": cookie_header(cookies)})
    assert hit.status == 200, hit.body[:2000]
    assert "Ferries run again" in hit.body
    assert reads(primary, marks[0])
    assert not replica.statements(marks[1]), "the admin read the replica"


def test_a_reader_reads_the_primary_right_after_their_own_write(replica_site):
    site, primary, replica = replica_site
    marks = primary.log_size(), replica.log_size()
    post = site.post_comment("The timetable changed again.", email="first@example.com", address="10.0.0.1")
    assert post.status == 302, post.body[:2000]
    assert any('INSERT INTO "comments_comment"' in s for s in primary.statements(marks[0]))
    sticky = cookies_of(post)
    assert "newsmag_wrote" in sticky, "a comment did not mark its writer"

    marks = primary.log_size(), replica.log_size()
    page = site.request("read", "GET", site.article["url"], headers={"Cookie": cookie_header(sticky)})
    assert page.status == 200
    assert "The timetable changed again." in page.body  # their own comment, held for moderation
    assert primary.statements(marks[0]), "the writer's next page did not read the primary"
    assert not replica.statements(marks[1]), "the writer's next page read the replica"
    assert page.headers["X-Page-Cache"] != "HIT", "the writer's next page came from the page cache"

    # A forged or expired mark is only a cookie: the reader reads the replica again.
    marks = primary.log_size(), replica.log_size()
    forged = search(site, "forged", Cookie="newsmag_wrote=1")
    assert forged.status == 200
    assert reads(replica, marks[1])
    assert not reads(primary, marks[0])


def test_the_read_beacon_does_not_pin_a_reader_to_the_primary(replica_site):
    site, _, _ = replica_site
    beacon = site.request("beacon", "POST", f"/stats/read/{site.article['pk']}/", b"",
                          {"X-Forwarded-For": "10.0.0.2"})  # fmt: skip
    assert beacon.status in (200, 204), beacon.body[:2000]
    assert "newsmag_wrote" not in cookies_of(beacon)


def test_a_lagging_replica_never_makes_a_page_kept_under_a_newer_version(replica_site):
    """The invariant shared with articles/caching.py: a page is never kept under a content version newer
    than the data it was built from. Replay on the replica is paused, the story changes on the primary,
    the page is read (from the lagging replica) for longer than the version's once-a-second memo; once the
    replica catches up, the page must show the change. If the version came from the primary (or from a
    sequence, which a standby shows up to 32 values ahead), the stale page would be kept under the new
    version and served until it expires."""
    site, _, replica = replica_site
    url = site.article["url"] + "?lag=1"  # a page of its own in the page cache
    assert "Ferries run again" in site.request("read", "GET", url).body
    replica.pause_replay()
    try:
        site.shell(
            "from articles.models import Article\n"
            f"article = Article.objects.get(pk={site.article['pk']})\n"
            "article.headline = 'Ferries stop for the winter'\n"
            "article.save()\n"
        )
        deadline = time.monotonic() + 2.5  # past every worker's memo of the version
        while time.monotonic() < deadline:
            page = site.request("read", "GET", url)
            assert page.status == 200
            assert "Ferries run again" in page.body, "the paused replica showed the change"
            time.sleep(0.2)
    finally:
        replica.resume_replay()
    replica.wait_caught_up()
    deadline = time.monotonic() + 5
    while "Ferries stop for the winter" not in (page := site.request("read", "GET", url)).body:
        assert time.monotonic() < deadline, (
            "a page built from the lagging replica is kept under the new version"
        )
        time.sleep(0.2)


def test_pages_stay_up_when_the_replica_stops(replica_site):
    site, primary, replica = replica_site
    replica.stop(mode="immediate")
    marks = primary.log_size()
    for number in range(6):
        started = time.monotonic()
        hit = search(site, f"down{number}")
        assert hit.status == 200, site.log_text()[-5000:]
        assert time.monotonic() - started < 3, "a reader waited for the replica"
    assert reads(primary, marks), "the pages were not read from the primary"
    assert site.request("read", "GET", "/").status == 200

    # Back again: after NEWSMAG_REPLICA_RETRY_SECONDS the site reads it again.
    replica.start()
    replica.wait_caught_up()
    deadline = time.monotonic() + 10
    marks = replica.log_size()
    number = 0
    while not reads(replica, marks):
        assert time.monotonic() < deadline, "the site never went back to the replica"
        number += 1
        assert search(site, f"back{number}").status == 200
        time.sleep(0.3)
