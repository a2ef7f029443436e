"""Live coverage: the live desk in the admin, the reader's page, the poll answer (no SQL between updates),
JSON-LD and the feed (articles/live.py)."""

import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from articles import live
from articles.caching import OWN_CACHE_PATHS
from articles.models import Article, Image, LiveUpdate
from tests.articles.conftest import with_role
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, LiveUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(journalist):
    """Maria's live story, published, with a summary."""
    return ArticleFactory(
        headline="Storm over the coast",
        slug="storm-live",
        created_by=journalist,
        live_coverage=Article.LiveCoverage.LIVE,
        live_summary="<ul><li>Winds of 120 km/h</li><li>Ferries cancelled</li></ul><script>x()</script>",
        authors=[journalist.author],
    )


def poll_url(article):
    return reverse("articles:live-updates", kwargs={"pk": article.pk})


def poll(client, article, **headers):
    return client.get(poll_url(article), **headers)


def desk_url(article):
    return reverse("admin:articles_article_live", args=[article.pk])


def json_ld(html):
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)[0]


# The newsroom: who may post, change, delete and end.


def test_a_journalist_posts_on_her_live_story_from_the_live_desk(client, journalist, story):
    client.force_login(journalist)
    page = client.get(desk_url(story))
    assert page.status_code == 200
    assert "Post an update" in page.content.decode()
    response = client.post(
        desk_url(story),
        {"author": journalist.author.pk, "headline": "Bridge closed", "body": "<p>The bridge is shut.</p>",
         "key_event": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    update = LiveUpdate.objects.get()
    assert (update.article, update.author, update.created_by) == (story, journalist.author, journalist)
    assert update.headline == "Bridge closed"
    assert update.key_event


def test_the_change_page_of_a_live_story_links_to_its_live_desk(client, editor, story):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert desk_url(story) in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "This field is required"),
        ("<p>  </p>", "Write the update first"),
        ('<figure data-image="999999"></figure>', "not in the library"),
        ('<figure data-embed="999999"></figure>', "embeds that do not exist"),
    ],
)
def test_bad_updates_are_refused_with_a_form_error_and_nothing_is_saved(
    client, journalist, story, body, message
):
    client.force_login(journalist)
    response = client.post(desk_url(story), {"author": journalist.author.pk, "body": body})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_an_update_without_a_byline_is_refused(client, journalist, story):
    client.force_login(journalist)
    response = client.post(desk_url(story), {"author": "", "body": "<p>Text</p>"})
    assert response.status_code == 200
    assert not LiveUpdate.objects.exists()


def test_no_update_is_posted_once_the_coverage_ended(client, editor, story):
    live.end_coverage(story, by=editor)
    client.force_login(editor)
    author = AuthorFactory()
    response = client.post(desk_url(story), {"author": author.pk, "body": "<p>Late news</p>"})
    assert response.status_code == 200
    assert "not live" in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_a_journalist_cannot_reach_the_live_desk_of_a_story_not_hers(client, story):
    other = with_role("Journalist", username="tom")
    client.force_login(other)
    assert client.get(desk_url(story)).status_code == 404
    assert client.post(desk_url(story), {"body": "<p>x</p>"}).status_code == 404
    assert not live.can_post(other, story)
    with pytest.raises(PermissionDenied):
        live.post_update(story, by=other, author=AuthorFactory(), body="<p>x</p>")


def test_a_journalist_changes_and_deletes_only_her_own_updates_an_editor_all(
    client, journalist, editor, story
):
    hers = LiveUpdateFactory(article=story, author=journalist.author, created_by=journalist)
    theirs = LiveUpdateFactory(article=story, created_by=editor)
    assert live.can_change(journalist, hers)
    assert live.can_delete(journalist, hers)
    assert not live.can_change(journalist, theirs)
    assert not live.can_delete(journalist, theirs)
    assert live.can_change(editor, hers)
    assert live.can_delete(editor, hers)
    client.force_login(journalist)
    edit = reverse("admin:articles_article_live_update", args=[story.pk, theirs.pk])
    delete = reverse("admin:articles_article_live_delete", args=[story.pk, theirs.pk])
    assert client.post(edit, {"author": journalist.author.pk, "body": "<p>Mine now</p>"}).status_code == 403
    assert client.post(delete).status_code == 403
    theirs.refresh_from_db()
    assert "Mine now" not in theirs.body
    mine = reverse("admin:articles_article_live_update", args=[story.pk, hers.pk])
    assert client.post(mine, {"author": journalist.author.pk, "body": "<p>Corrected</p>"}).status_code == 302
    hers.refresh_from_db()
    assert hers.body == "<p>Corrected</p>"
    assert (
        client.post(reverse("admin:articles_article_live_delete", args=[story.pk, hers.pk])).status_code
        == 302
    )
    assert list(LiveUpdate.objects.all()) == [theirs]
    client.force_login(editor)
    assert client.post(delete).status_code == 302
    assert not LiveUpdate.objects.exists()


def test_the_roles_may_work_with_live_updates():
    from django.contrib.auth.models import Group

    for role in ("Journalist", "Editor"):
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert {"add_liveupdate", "change_liveupdate", "delete_liveupdate", "view_liveupdate"} <= codenames
    moderator = set(Group.objects.get(name="Moderator").permissions.values_list("codename", flat=True))
    assert not any("liveupdate" in codename for codename in moderator)


def test_the_storys_journalist_ends_the_coverage_and_only_an_editor_reopens_it(client, journalist, story):
    client.force_login(journalist)
    response = client.post(reverse("admin:articles_article_live_end", args=[story.pk]))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.live_coverage == Article.LiveCoverage.ENDED
    assert story.coverage_ended_at is not None
    again = client.post(reverse("admin:articles_article_live_end", args=[story.pk]), follow=True)
    assert "ended already" in again.content.decode()
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert 'name="live_coverage"' not in form  # journalists cannot start or reopen coverage


def test_the_summary_is_kept_current_from_the_live_desk_and_sanitized(client, journalist, story):
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_live_summary", args=[story.pk]),
        {"live_summary": "<ul><li>Ferries back</li></ul><img src=x onerror=alert(1)>"},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.live_summary == "<ul><li>Ferries back</li></ul>"


def test_an_image_a_live_update_shows_cannot_be_deleted(story):
    image = ImageFactory()
    update = LiveUpdateFactory(article=story, body=f'<p>Look</p><figure data-image="{image.pk}"></figure>')
    with pytest.raises(ProtectedError):
        Image.objects.get(pk=image.pk).delete()
    story.body = "<p>Edited intro</p>"
    story.save()  # saving the story keeps the protection of its updates' pictures
    with pytest.raises(ProtectedError):
        Image.objects.get(pk=image.pk).delete()
    update.delete()
    Image.objects.get(pk=image.pk).delete()


# What readers see.


def test_the_reader_sees_summary_key_events_and_updates_newest_first_while_live(client, story):
    now = timezone.now()
    first = LiveUpdateFactory(article=story, published_at=now - timedelta(hours=2), headline="Warning issued",
                              key_event=True)  # fmt: skip
    LiveUpdateFactory(
        article=story, published_at=now - timedelta(hours=1), body="<p>Rain <script>x</script></p>"
    )
    last = LiveUpdateFactory(article=story, published_at=now - timedelta(minutes=5), headline="Trees down")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "live-badge" in html
    assert 'class="live-ended"' not in html
    assert "<li>Winds of 120 km/h</li>" in html
    assert "x()" not in html
    assert f'href="#update-{first.pk}"' in html  # key events link to the updates
    stream = html.split('id="live-stream"', 1)[1]
    assert stream.index("Trees down") < stream.index("Rain") < stream.index("Warning issued")
    assert "<script>x</script>" not in html
    assert f'id="update-{last.pk}"' in html
    assert 'data-live-poll="/live/' in html
    assert "js/live.js" in html
    feed = reverse("articles:live-feed", kwargs={"section": story.section.slug, "slug": story.slug})
    assert (
        f'rel="alternate" type="application/rss+xml" title="Storm over the coast: live updates" href="{feed}"'
        in html
    )


def test_an_ended_story_says_so_and_its_page_does_not_poll(client, editor, story):
    LiveUpdateFactory(article=story, headline="Last word")
    live.end_coverage(story, by=editor)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "This live coverage has ended." in html
    assert "live-badge" not in html
    assert "data-live-poll" not in html
    assert "js/live.js" not in html
    assert "Last word" in html


def test_an_ordinary_article_has_no_live_parts(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "live-stream" not in html
    assert "live-badge" not in html


def test_a_live_update_body_shows_pictures_as_a_story_body_does(client, story):
    image = ImageFactory(caption="The flooded square.", credit="People News")
    LiveUpdateFactory(article=story, body=f'<p>Flooding</p><figure data-image="{image.pk}"></figure>')
    html = client.get(story.get_absolute_url()).content.decode()
    stream = html.split('id="live-stream"', 1)[1]
    assert "The flooded square." in stream
    assert "People News" in stream
    assert "<picture" in stream


def test_json_ld_is_a_live_blog_posting_with_its_updates(client, editor, story):
    update = LiveUpdateFactory(article=story, headline="Bridge closed", body="<p>Shut</p><p>until noon.</p>")
    data = json_ld(client.get(story.get_absolute_url()).content.decode())
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"]
    assert "coverageEndTime" not in data
    [posting] = data["liveBlogUpdate"]
    assert posting["@type"] == "BlogPosting"
    assert posting["headline"] == "Bridge closed"
    assert posting["articleBody"] == "Shut until noon."
    assert posting["author"]["name"] == update.author.name
    assert posting["datePublished"]
    assert posting["url"].endswith(f"#update-{update.pk}")
    live.end_coverage(story, by=editor)
    ended = json_ld(client.get(story.get_absolute_url()).content.decode())
    assert ended["coverageEndTime"]


def test_the_live_feed_carries_each_update_with_a_link_to_its_place(client, story):
    older = LiveUpdateFactory(
        article=story, headline="First", published_at=timezone.now() - timedelta(hours=1)
    )
    newer = LiveUpdateFactory(article=story, body="<p>No headline: <em>the words</em> stand in.</p>")
    url = reverse("articles:live-feed", kwargs={"section": story.section.slug, "slug": story.slug})
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["No headline: the words stand in.", "First"]
    assert feed.entries[0].link.endswith(f"{story.get_absolute_url()}#update-{newer.pk}")
    assert feed.entries[1].link.endswith(f"#update-{older.pk}")
    assert client.get(
        reverse("articles:live-feed", kwargs={"section": story.section.slug, "slug": ArticleFactory().slug})
    ).status_code == 404  # fmt: skip


# The poll answer.


def test_a_poll_answers_the_newest_updates_with_an_etag_and_a_304_when_nothing_changed(client, story):
    update = LiveUpdateFactory(article=story, headline="Bridge closed", key_event=True)
    response = poll(client, story)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "s-maxage=" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert "X-Page-Cache" not in response  # the page cache leaves it alone
    data = json.loads(response.content)
    assert data["state"] == "live"
    assert data["complete"]
    assert [item["id"] for item in data["updates"]] == [update.pk]
    assert "Bridge closed" in data["updates"][0]["html"]
    assert f"#update-{update.pk}" in data["key_events"]
    again = poll(client, story, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_polls_between_updates_cost_no_query_and_the_next_poll_has_the_new_update(
    client, story, django_assert_num_queries
):
    LiveUpdateFactory(article=story, headline="First")
    first = poll(client, story)  # builds the entry (a miss)
    with django_assert_num_queries(0):
        for _ in range(20):
            assert poll(client, story).status_code == 200
            assert poll(client, story, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    LiveUpdateFactory(article=story, headline="Second")
    run_after_commit_work()  # the commit: the entry is rebuilt
    with django_assert_num_queries(0):
        fresh = poll(client, story, HTTP_IF_NONE_MATCH=first["ETag"])
        assert fresh.status_code == 200
        assert fresh["ETag"] != first["ETag"]
        assert [item["key_event"] for item in json.loads(fresh.content)["updates"]] == [False, False]
        assert "Second" in json.loads(fresh.content)["updates"][0]["html"]
        for _ in range(10):
            assert poll(client, story, HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304


def test_ending_editing_and_deleting_reach_the_next_poll(client, editor, story):
    update = LiveUpdateFactory(article=story, headline="Wrong")
    assert json.loads(poll(client, story).content)["state"] == "live"
    update.headline = "Right"
    update.save()
    run_after_commit_work()
    assert "Right" in json.loads(poll(client, story).content)["updates"][0]["html"]
    update.delete()
    run_after_commit_work()
    assert json.loads(poll(client, story).content)["updates"] == []
    live.end_coverage(story, by=editor)
    run_after_commit_work()
    assert json.loads(poll(client, story).content)["state"] == "ended"


def test_a_story_that_is_not_public_or_not_live_has_no_poll_answer(client, story):
    draft = ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, live_coverage=Article.LiveCoverage.LIVE
    )
    assert poll(client, draft).status_code == 404
    assert poll(client, ArticleFactory()).status_code == 404
    assert client.get("/live/999999999/updates/").status_code == 404
    assert poll(client, story).status_code == 200
    story.status = Article.Status.UNPUBLISHED
    story.save()
    run_after_commit_work()
    assert poll(client, story).status_code == 404


def test_a_poll_is_gzipped_when_asked(client, story):
    LiveUpdateFactory(article=story, body="<p>" + "The wind is rising. " * 50 + "</p>")
    response = poll(client, story, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    import gzip

    assert json.loads(gzip.decompress(response.content))["state"] == "live"


def test_the_poll_path_is_one_the_page_cache_leaves_alone():
    assert reverse("articles:live-updates", kwargs={"pk": 1}).startswith(OWN_CACHE_PATHS)


def test_a_per_process_cache_keeps_the_answer_at_most_a_poll_interval_a_shared_one_long(settings):
    settings.NEWSMAG_LIVE_POLL_SECONDS = 20
    assert live.poll_seconds() <= 5
    settings.NEWSMAG_LIVE_POLL_SECONDS = 2
    assert live.poll_seconds() <= 2
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"},
    }
    assert live.poll_seconds() == settings.NEWSMAG_LIVE_SHARED_CACHE_SECONDS >= 600


def test_the_poll_answer_expires_with_its_story(story):
    story.expires_at = timezone.now() + timedelta(seconds=3)
    story.save()
    assert live.build_poll_entry(story.pk)["seconds"] <= 3


def test_the_demo_has_one_live_story_with_a_dozen_updates_and_loading_it_twice_changes_nothing(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rows = sorted(LiveUpdate.objects.values_list("pk", "published_at", "updated_at"))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(LiveUpdate.objects.values_list("pk", "published_at", "updated_at")) == rows
    [story] = Article.objects.published().filter(live_coverage=Article.LiveCoverage.LIVE)
    updates = list(story.live_updates.all())
    assert len(updates) == 12
    keys = [update for update in updates if update.key_event]
    assert len(keys) == 2
    assert any("data-image" in update.body for update in keys)
    assert updates[-1].published_at < timezone.now() - timedelta(hours=4)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "live-badge" in html
    assert html.count("data-update-id=") == 12


def test_a_live_story_page_runs_the_same_few_queries_for_few_and_many_updates(client, story, settings):
    """Built from scratch, the page of a live story costs the article page's queries plus the updates and
    the pictures and embeds they show, whatever their number; the next request costs nothing more."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.caching import content_state

    settings.NEWSMAG_PAGE_CACHE_VERSION_SECONDS = 1000

    def measure():
        run_after_commit_work()
        for cache in caches.all():
            cache.clear()
        content_state()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(story.get_absolute_url()).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(story.get_absolute_url()).status_code == 200
        return len(cold), len(warm)

    def add(count):
        for _ in range(count):
            image = ImageFactory()
            LiveUpdateFactory(article=story, body=f'<p>Seen</p><figure data-image="{image.pk}"></figure>')

    add(1)
    few = measure()
    add(40)
    many = measure()
    assert few == many
    assert few[0] <= 6 + 3  # the article page's limit, plus the updates, their pictures, their embeds
    assert few[1] == 0


def test_a_poll_for_an_id_out_of_any_range_is_a_404_not_an_error(client):
    assert client.get("/live/99999999999999999999999/updates/").status_code == 404


def test_an_update_on_a_later_day_than_the_coverage_began_shows_its_date(client, story):
    from django.utils.dateformat import format as date_format

    Article.objects.filter(pk=story.pk).update(coverage_started_at=timezone.now() - timedelta(days=2))
    update = LiveUpdateFactory(article=story)
    html = client.get(story.get_absolute_url()).content.decode()
    day = date_format(timezone.localtime(update.published_at), "j M")
    assert f"{day}, {date_format(timezone.localtime(update.published_at), 'H:i')}</time>" in html


def test_a_running_live_story_is_labelled_live_on_the_front_page_until_it_ends(client, editor, story):
    def card():
        html = client.get("/").content.decode()
        start = html.rindex('<article class="story', 0, html.index(story.headline))
        return html[start : html.index("</article>", start)]

    story.kicker = "Weather"
    story.save()
    assert 'class="live-badge">Live<' in card()
    assert ">Weather<" not in card()  # one label on a card
    live.end_coverage(story, by=editor)
    assert 'class="live-badge"' not in card()
    assert ">Weather<" in card()
