"""An article's former addresses redirect to its current one; restoring a slug another article took is refused."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import history, roles
from articles.models import Article, ArticleEvent, ArticleRevision, RetiredSlug
from tests.articles.test_workflow import change_url, form_data, with_role
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return with_role(roles.EDITOR, username="editor", first_name="Erik", last_name="Stone")


@pytest.fixture
def news():
    return SectionFactory(slug="news", name="News")


@pytest.fixture
def reader(client):
    return type(client)()


def edit(client, article, **changes):
    """Open `article` in the admin (which keeps the version opened) and save it with `changes`."""
    assert client.get(change_url(article)).status_code == 200
    article.refresh_from_db()
    publish_at = timezone.localtime(article.publish_at) if article.publish_at else None
    data = form_data(
        article,
        publish_at_0=publish_at.strftime("%Y-%m-%d") if publish_at else "",
        publish_at_1=publish_at.strftime("%H:%M:%S") if publish_at else "",
        **changes,
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return article


def restore_url(article, version):
    return f"/admin/articles/article/{article.pk}/history/restore/{version}/"


def test_an_edited_slug_answers_with_a_permanent_redirect_to_the_new_address(client, reader, editor, news):
    article = ArticleFactory(section=news, slug="harbour-deal", headline="Harbour deal signed")
    client.force_login(editor)
    edit(client, article, slug="harbour-deal-signed")
    response = reader.get("/news/harbour-deal/")
    assert response.status_code == 301
    assert response["Location"] == "/news/harbour-deal-signed/"
    assert "Harbour deal signed" in reader.get("/news/harbour-deal-signed/").content.decode()


def test_a_restored_older_slug_redirects_from_the_newer_one(client, reader, editor, news):
    article = ArticleFactory(section=news, slug="ferries-return")
    client.force_login(editor)
    edit(client, article, slug="ferries-are-back")
    first = article.revisions.get(data__slug="ferries-return")
    assert client.post(restore_url(article, first.version)).status_code == 302
    article.refresh_from_db()
    assert article.slug == "ferries-return"
    assert reader.get("/news/ferries-return/").status_code == 200
    response = reader.get("/news/ferries-are-back/")
    assert response.status_code == 301
    assert response["Location"] == "/news/ferries-return/"


def test_a_former_slug_redirects_in_one_hop_after_the_section_changed_too(client, reader, editor, news):
    sport = SectionFactory(slug="sport", name="Sport")
    article = ArticleFactory(section=news, slug="regatta")
    client.force_login(editor)
    edit(client, article, slug="regatta-results", section=sport.pk)
    for old in ("/news/regatta/", "/sport/regatta/"):
        response = reader.get(old)
        assert (response.status_code, response["Location"]) == (301, "/sport/regatta-results/"), old
    assert reader.get("/sport/regatta-results/").status_code == 200


def test_the_former_slugs_of_a_story_that_is_not_published_stay_404(client, reader, editor, news):
    draft = ArticleFactory(section=news, slug="budget-leak", status=Article.Status.DRAFT, publish_at=None)
    client.force_login(editor)
    edit(client, draft, slug="budget-plans")
    assert RetiredSlug.objects.filter(slug="budget-leak", article=draft).exists()  # kept for later
    assert reader.get("/news/budget-leak/").status_code == 404


def test_a_new_article_that_takes_a_retired_slug_wins(client, reader, editor, news):
    old = ArticleFactory(section=news, slug="storm", headline="The first storm")
    client.force_login(editor)
    edit(client, old, slug="storm-2024")
    assert reader.get("/news/storm/")["Location"] == "/news/storm-2024/"

    new = ArticleFactory(
        section=news, slug="storm", headline="The second storm", status=Article.Status.DRAFT, publish_at=None
    )
    assert reader.get("/news/storm/").status_code == 404  # taken, even as a draft: no longer redirected
    new.status, new.publish_at = Article.Status.PUBLISHED, timezone.now()
    new.save()
    page = reader.get("/news/storm/")
    assert page.status_code == 200
    assert "The second storm" in page.content.decode()
    assert reader.get("/news/storm-2024/").status_code == 200  # the first story keeps its own address

    # Once the second story moves on as well, the slug is retired for it, the last one to leave it.
    edit(client, new, slug="storm-2025")
    assert reader.get("/news/storm/")["Location"] == "/news/storm-2025/"


def test_looking_up_former_addresses_costs_one_query_and_only_when_no_article_is_found(
    client, reader, editor, news
):
    # The article page itself is pinned by test_query_counts.py (cold and warm): the lookup is not on it.
    article = ArticleFactory(section=news, slug="tides")
    client.force_login(editor)
    edit(client, article, slug="tides-tonight")
    reader.get("/news/tides-tonight/")  # this process knows the content version and the navigation
    reader.get("/news/some-other-story/")  # and the 404 page's kept parts (its latest stories)
    with CaptureQueriesContext(connection) as moved:
        assert reader.get("/news/tides/").status_code == 301
    with CaptureQueriesContext(connection) as missing:
        assert reader.get("/news/no-such-story/").status_code == 404
    assert len(moved) == len(missing) == 2  # the article's query, then one for its former addresses
    assert "articles_retiredslug" in moved[-1]["sql"]


def test_restoring_a_revision_whose_slug_another_article_took_changes_nothing_and_says_why(
    client, editor, news
):
    article = ArticleFactory(section=news, slug="market-day", headline="Market day")
    client.force_login(editor)
    edit(client, article, slug="market-day-moves", headline="Market day moves")
    ArticleFactory(section=news, slug="market-day", headline="A new market day")
    first = article.revisions.get(data__slug="market-day")
    run_after_commit_work()  # the edit's fresh search vector is in the row before we compare
    before = {
        "row": Article.objects.filter(pk=article.pk).values().get(),
        "revisions": ArticleRevision.objects.count(),
        "events": ArticleEvent.objects.count(),
        "retired": list(RetiredSlug.objects.values_list("slug", "article_id")),
        "tags": sorted(article.tags.names()),
    }

    response = client.post(restore_url(article, first.version), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"/admin/articles/article/{article.pk}/history/", 302)]
    html = response.content.decode()
    assert f"Version {first.version} was not restored" in html
    assert "slug “market-day”" in html
    assert "Nothing was changed" in html
    assert "It is used by “A new market day”." in html
    after = {
        "row": Article.objects.filter(pk=article.pk).values().get(),
        "revisions": ArticleRevision.objects.count(),
        "events": ArticleEvent.objects.count(),
        "retired": list(RetiredSlug.objects.values_list("slug", "article_id")),
        "tags": sorted(article.tags.names()),
    }
    assert after == before


def test_a_journalist_told_a_slug_is_taken_is_not_shown_a_story_they_cannot_see(client, news):
    journalist = with_role(roles.JOURNALIST, username="maria")
    AuthorFactory(name="Maria Keller", user=journalist)
    draft = ArticleFactory(
        section=news,
        slug="quiet-harbour",
        created_by=journalist,
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    client.force_login(journalist)
    edit(client, draft, slug="quiet-harbour-at-night")
    ArticleFactory(section=news, slug="quiet-harbour", headline="Secret scoop", status=Article.Status.DRAFT)
    first = draft.revisions.get(data__slug="quiet-harbour")
    html = client.post(restore_url(draft, first.version), follow=True).content.decode()
    assert "now belongs to another article" in html
    assert "Secret scoop" not in html
    draft.refresh_from_db()
    assert draft.slug == "quiet-harbour-at-night"


def test_restore_raises_a_clear_error_rather_than_an_integrity_error(editor, news):
    article = ArticleFactory(section=news, slug="old-bridge")
    article.slug = "old-bridge-reopens"
    article.save()
    history.record(article, ArticleEvent.Action.EDITED, by=editor)
    ArticleFactory(section=news, slug="old-bridge")
    revision = ArticleRevision(
        article=article, version=1, data={**history.snapshot(article), "slug": "old-bridge"}
    )
    with pytest.raises(history.RestoreError) as raised:
        history.restore(revision, by=editor)
    assert raised.value.taken_by.slug == "old-bridge"
    article.refresh_from_db()
    assert article.slug == "old-bridge-reopens"


def test_the_migration_keeps_the_slugs_of_revisions_from_before_it(reader, news, editor):
    article = ArticleFactory(section=news, slug="night-ferry")
    history.record(article, ArticleEvent.Action.CREATED, by=editor)
    # A slug edited before this release: nothing kept it but the revisions.
    Article.objects.filter(pk=article.pk).update(slug="night-ferry-returns")
    RetiredSlug.objects.all().delete()
    migration = importlib.import_module("articles.migrations.0012_preview_revocation_and_old_slugs")

    class SchemaEditor:
        pass

    editor_stub = SchemaEditor()
    editor_stub.connection = connection
    migration.backfill_retired_slugs(apps, editor_stub)
    assert list(RetiredSlug.objects.values_list("slug", "article_id")) == [("night-ferry", article.pk)]
    assert reader.get("/news/night-ferry/")["Location"] == "/news/night-ferry-returns/"
