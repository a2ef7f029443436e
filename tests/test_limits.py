"""Rate limits (articles/limits.py) on both of their stores, the real ones: PostgreSQL, and Redis when
NEWSMAG_LIMITS_REDIS_URL is set (the machine's server on 127.0.0.1:6379). Each test counts under a scope
of its own, so parallel runs and earlier tests never share a counter.
"""

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from importlib import import_module

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection
from django.utils import timezone

from articles import limits

REDIS_URL = os.environ.get("NEWSMAG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def redis_reachable():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_reachable(), reason=f"no Redis server at {REDIS_URL}")


@pytest.fixture
def scope():
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture(params=["postgresql", pytest.param("redis", marks=needs_redis)])
def store(request, settings, scope):
    """Each test runs on PostgreSQL and on Redis."""
    settings.NEWSMAG_LIMITS_REDIS_URL = REDIS_URL if request.param == "redis" else ""
    request.getfixturevalue("db")
    yield request.param
    if request.param == "redis":
        client = redis.Redis.from_url(REDIS_URL)
        client.delete(*[limits.REDIS_PREFIX + limits._key(scope, (who,)) for who in ("a", "b", "shared")])


def test_a_limit_allows_so_many_actions_per_window_then_refuses_until_it_ends(store, scope):
    start = timezone.now()
    results = [
        limits.hit(scope, "a", limit=3, seconds=60, now=start + timedelta(seconds=n)) for n in range(5)
    ]
    assert [r.allowed for r in results] == [True, True, True, False, False]
    assert [r.hits for r in results] == [1, 2, 3, 4, 5]
    assert results[3].retry_after == 57  # the window started with the first action
    assert limits.hits(scope, "a", now=start + timedelta(seconds=10)) == 5
    # Another identity has its own count.
    assert limits.hit(scope, "b", limit=3, seconds=60, now=start).hits == 1

    after = start + timedelta(seconds=61)
    assert limits.hits(scope, "a", now=after) == 0
    fresh = limits.hit(scope, "a", limit=3, seconds=60, now=after)
    assert (fresh.allowed, fresh.hits, fresh.retry_after) == (True, 1, 60)


@needs_redis
def test_redis_counters_hold_no_address_and_expire_with_their_window(settings, scope):
    settings.NEWSMAG_LIMITS_REDIS_URL = REDIS_URL
    limits.hit(scope, "203.0.113.9", limit=1, seconds=30)
    client = redis.Redis.from_url(REDIS_URL)
    key = limits.REDIS_PREFIX + limits._key(scope, ("203.0.113.9",))
    assert "203.0.113.9" not in key
    assert 28_000 < client.pttl(key) <= 30_000
    client.delete(key)


@needs_redis
def test_without_redis_the_limits_count_in_postgresql(settings, scope, db):
    settings.NEWSMAG_LIMITS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert [limits.hit(scope, "a", limit=1, seconds=60).allowed for _ in range(2)] == [True, False]
    assert limits.hits(scope, "a") == 2


SHARED = """
import os, sys
import django
django.setup()
from django.conf import settings
from articles import limits
settings.NEWSMAG_LIMITS_REDIS_URL = sys.argv[1]
print(sum(limits.hit(sys.argv[2], "shared", limit=50, seconds=300).allowed for _ in range(100)))
"""


@pytest.mark.django_db(transaction=True)  # the counters are committed: the other processes see them
@pytest.mark.parametrize("backend", ["postgresql", pytest.param("redis", marks=needs_redis)])
def test_two_processes_share_one_limit(backend, scope, settings):
    """Two processes hit one limit of 50 a hundred times each, at the same time: 50 actions pass in all."""
    url = REDIS_URL if backend == "redis" else ""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "PYTHONPATH": BASE_DIR,
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SHARED, url, scope],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    allowed = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        allowed.append(int(out.strip().splitlines()[-1]))
    assert sum(allowed) == 50
    settings.NEWSMAG_LIMITS_REDIS_URL = url
    assert limits.hits(scope, "shared") == 200
    if backend == "redis":
        redis.Redis.from_url(REDIS_URL).delete(limits.REDIS_PREFIX + limits._key(scope, ("shared",)))


def test_sessions_and_login_throttling_are_shared_by_every_app_server():
    """Sessions live in PostgreSQL (cached in Redis with REDIS_URL, `cached_db`), never in one process's
    memory or a local file; django-axes counts failed logins in PostgreSQL too."""
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    assert issubclass(store, DatabaseSessionStore)
    assert getattr(django_settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler"
    )
