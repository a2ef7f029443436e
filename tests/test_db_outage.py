"""A database that cannot be reached is "back in a moment" (503), not a crash (500). The real thing, a
PostgreSQL restart under load, is tests/test_db_restart.py."""

import pytest
from django.db import IntegrityError, OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from articles import caching
from articles.caching import public_page
from newsmag.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.urls(__name__)

LOST = OperationalError('connection to server on socket "/run/postgresql/.s.PGSQL.5432" failed')
attempts = {"flaky": 0}


def unreachable(*args):
    raise LOST


def broken(request):
    raise IntegrityError("a bug, not an outage")


@public_page
def flaky(request):
    """Fails the first time, as during a restart, then works."""
    attempts["flaky"] += 1
    if attempts["flaky"] == 1:
        raise LOST
    return HttpResponse("<p>Ferries run again</p>")


urlpatterns = [
    path("unreachable/", unreachable),
    path("broken/", broken),
    path("flaky/", flaky),
    *site_urlpatterns,  # the admin's, which the CSP middleware looks up
]


def assert_back_in_a_moment(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Service temporarily unavailable" in html
    assert "try again in a few seconds" in html


def test_a_view_that_cannot_reach_the_database_answers_503_with_retry_after(client, caplog, settings):
    # No database access is allowed here (no django_db mark): the 503 page never touches the database.
    # The page cache is off so that the view is the first to fail (its own version read: the next test).
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 0
    response = client.get("/unreachable/")
    assert_back_in_a_moment(response)
    assert "Database unavailable, answered 503 to GET /unreachable/" in caplog.text


def test_a_database_outage_in_a_middleware_answers_503_too(db, settings, monkeypatch):
    # The page cache asks the database for the content version before any view runs.
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 600
    monkeypatch.setattr(caching, "content_state", unreachable)
    attempts["flaky"] = 0
    response = Client(raise_request_exception=False).get("/flaky/")
    assert_back_in_a_moment(response)
    assert attempts["flaky"] == 0  # the view never ran
    # Made above the middleware that adds them to every page, the 503 still forbids framing and scripts.
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_a_503_is_never_stored_in_the_page_cache(db, settings):
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 600
    attempts["flaky"] = 0
    client = Client()
    assert_back_in_a_moment(client.get("/flaky/"))
    response = client.get("/flaky/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "MISS"
    assert client.get("/flaky/")["X-Page-Cache"] == "HIT"


def test_any_other_database_error_is_still_a_500(client):
    client.raise_request_exception = False
    assert client.get("/broken/").status_code == 500
