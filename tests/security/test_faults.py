"""Faults: a full disk during an upload, a failure in the middle of publishing, a dropped database
connection. Each leaves the data as it was and the site working."""

import threading
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import psycopg
import pytest
from django.core.files.storage import default_storage
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError, connection, connections
from django.urls import reverse

from articles import workflow
from articles.models import Article, ArticleEvent, ArticleRevision, Image
from newsmag.backups import stored_names
from tests.articles.test_images import image_form, jpeg, upload
from tests.articles.test_workflow import change_url, form_data
from tests.factories import ArticleFactory

STORAGES = "tests.security.storages"


def use_storage(settings, backend):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{STORAGES}.{backend}"}}


# Storage errors during an upload ---------------------------------------------------------------------------


def test_a_full_disk_during_upload_is_a_form_error_and_saves_nothing(editor_client, settings):
    use_storage(settings, "FullDiskStorage")
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(file=upload(jpeg()), alt_text="Dockers", credit="People News"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The image could not be stored (No space left on device)" in html
    assert not Image.objects.exists()


def test_a_full_disk_while_a_form_with_errors_keeps_the_upload_is_no_500(editor_client, settings):
    use_storage(settings, "FullDiskStorage")
    response = editor_client.post(
        "/admin/articles/image/add/", image_form(file=upload(jpeg()))
    )  # no alt text
    assert response.status_code == 200
    assert "Describe the image, or mark it as decorative." in response.content.decode()
    assert not Image.objects.exists()


def test_a_full_disk_while_making_renditions_keeps_no_link_to_a_missing_file(editor_client, settings, client):
    use_storage(settings, "FullDiskForRenditions")
    response = editor_client.post(
        "/admin/articles/image/add/",
        image_form(file=upload(jpeg(1600, 900)), alt_text="Dockers", credit="People News"),
        follow=True,  # the renditions job runs after the commit, before this next request
    )
    assert response.status_code == 200
    image = Image.objects.get()
    page = editor_client.get(f"/admin/articles/image/{image.pk}/change/")
    assert "its web sizes could not be made (No space left on device)" in page.content.decode()
    image.refresh_from_db()
    assert default_storage.exists(image.file.name)
    assert not any(crop in image.renditions for crop in ("original", "16x9", "4x3", "1x1"))
    assert list(stored_names(default_storage, f"renditions/{image.pk}")) == []  # half-written ones are gone
    # Readers get the small interim picture meanwhile, never the original.
    article = ArticleFactory(lead_image=image)
    client.logout()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert default_storage.url(image.renditions["interim"]["name"]) in html
    assert image.file.url not in html


# A failure in the middle of publishing ---------------------------------------------------------------------

FAIL_ON_PUBLISHED_EVENT = """
CREATE FUNCTION fail_published_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.action = 'published' THEN RAISE EXCEPTION 'simulated failure after the status change'; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER fail_published_event BEFORE INSERT ON articles_articleevent
    FOR EACH ROW EXECUTE FUNCTION fail_published_event();
"""


@pytest.fixture
def failing_publish_event(db):
    """The database refuses the "published" event, which is written after the status change.
    (DDL is transactional in PostgreSQL: the trigger disappears with the test's transaction.)"""
    with connection.cursor() as cursor:
        cursor.execute(FAIL_ON_PUBLISHED_EVENT)


def snapshot(article):
    article = Article.objects.get(pk=article.pk)
    return {
        "status": article.status,
        "version": article.version,
        "publish_at": article.publish_at,
        "first_published_at": article.first_published_at,
        "headline": article.headline,
        "events": ArticleEvent.objects.filter(article=article).count(),
        "revisions": ArticleRevision.objects.filter(article=article).count(),
    }


def test_a_failure_after_the_status_change_leaves_the_article_as_it_was(
    editor, failing_publish_event, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status=Article.Status.REVIEW, publish_at=None)
    before = snapshot(article)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DatabaseError, match="simulated"):
        workflow.publish(article, by=editor)
    assert snapshot(article) == before
    assert callbacks == []  # no cache purge, search refresh or notification for what did not happen
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_a_failing_publish_button_in_the_admin_keeps_the_article_and_the_edit_unsaved(
    editor_client, failing_publish_event
):
    article = ArticleFactory(status=Article.Status.REVIEW, publish_at=None, headline="Ferries return")
    before = snapshot(article)
    editor_client.raise_request_exception = False
    response = editor_client.post(
        change_url(article), form_data(article, headline="Ferries return at dawn", _transition="publish")
    )
    assert response.status_code == 500
    assert snapshot(article) == before


# A dropped database connection -----------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def live_site(transactional_db):
    """The real WSGI handler on a loopback port, in a thread with its own (persistent) connection."""
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_QuietHandler)

    def serve():
        try:
            server.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # raises on a 500
        return response.status, response.read().decode()


def test_the_site_reconnects_by_itself_after_postgresql_drops_its_connection(live_site):
    ArticleFactory(headline="Harbour ferries return", slug="ferries")
    status, _html = get(live_site + reverse("articles:home"))
    assert status == 200
    # PostgreSQL ends every other session on this database (as a restart or a failover does).
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        terminated = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
            [connection.cursor().connection.info.backend_pid],
        ).fetchone()[0]
    assert terminated >= 1  # the site's kept connection was among them
    status, html = get(live_site + reverse("articles:search") + "?q=ferries")
    assert status == 200
    assert "Harbour ferries return" in html
