"""The replica router's rules, in-process (tests/test_replicas.py proves them on a real streaming replica):
which requests may read the replica, that writes pin a request to the primary, and that tables are only
ever created on the primary."""

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from newsmag import db_router
from newsmag.db_router import REPLICA, ReplicaRouter

router = ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """The router as with DATABASE_REPLICA_URL set (no connection is made here), the replica not down."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)


def may_read_replica(request):
    return db_router.reads_replica(request, wrote_recently=db_router.wrote_recently(request))


def test_anonymous_reads_go_to_the_replica_and_everything_else_to_the_primary(replica, settings):
    factory = RequestFactory()
    assert may_read_replica(factory.get("/culture/night-baker/"))
    assert may_read_replica(factory.head("/"))
    assert not may_read_replica(factory.post("/comments/post/1/"))
    assert not may_read_replica(factory.get("/admin/articles/article/"))
    assert not may_read_replica(factory.get("/preview/abc/"))
    assert not may_read_replica(factory.get("/live/1/updates/"))
    logged_in = factory.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert not may_read_replica(logged_in)


def test_a_reader_who_wrote_reads_the_primary_for_a_while_and_a_forged_mark_counts_for_nothing(replica):
    response = HttpResponse()
    db_router.note_write(response)
    morsel = response.cookies[db_router.STICKY_COOKIE]
    assert morsel["httponly"]
    assert morsel["max-age"] == 10
    factory = RequestFactory()
    assert not may_read_replica(factory.get("/", HTTP_COOKIE=f"{db_router.STICKY_COOKIE}={morsel.value}"))
    assert may_read_replica(factory.get("/", HTTP_COOKIE=f"{db_router.STICKY_COOKIE}=1"))


def test_a_request_reads_the_primary_once_it_wrote(replica):
    with db_router.routing(replica=True) as reads:
        assert router.db_for_read(Article) == REPLICA
        assert router.db_for_write(Article) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    assert reads.wrote
    # Outside a request (commands, Celery jobs): the primary.
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS


def test_a_replica_that_failed_is_left_alone_for_a_while(replica, settings, monkeypatch):
    monkeypatch.setattr(db_router.time, "monotonic", lambda: 1000.0)
    monkeypatch.setattr(db_router, "_replica_down_until", 1000.0 + settings.NEWSMAG_REPLICA_RETRY_SECONDS)
    with db_router.routing(replica=True):
        assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    monkeypatch.setattr(db_router.time, "monotonic", lambda: 1000.0 + settings.NEWSMAG_REPLICA_RETRY_SECONDS)
    with db_router.routing(replica=True):
        assert router.db_for_read(Article) == REPLICA


def test_tables_are_made_on_the_primary_only_and_objects_of_both_aliases_relate():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles")
    assert not router.allow_migrate(REPLICA, "articles")
    story, other = Article(), Article()
    story._state.db, other._state.db = REPLICA, DEFAULT_DB_ALIAS
    assert router.allow_relation(story, other)
