"""Full-page caching: fast for anonymous readers, never stale after a change, never personal."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from articles import caching, roles, workflow
from articles.models import Article, Author, Correction
from comments import moderation
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _page_cache_on(version_read_once):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # the flush between transactional tests renumbers content types


@pytest.fixture
def editor():
    from django.apps import apps

    roles.sync_roles(apps)  # transactional tests start from an emptied database
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    return user


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_anonymous_pages_are_served_from_the_cache_with_cdn_headers(client, article):
    first = get(client, article.get_absolute_url())
    second = get(client, article.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content
    assert "s-maxage=" in second["Cache-Control"]
    assert "stale-while-revalidate=" in second["Cache-Control"]
    assert "public" in second["Cache-Control"]
    assert not second.cookies
    assert "cookie" not in second.get("Vary", "").lower()
    assert "script-src 'self'" in second["Content-Security-Policy"]


def test_cached_pages_answer_conditional_requests_and_compress(client, article):
    etag = get(client, "/")["ETag"]
    assert get(client, "/", **{"If-None-Match": etag}).status_code == 304
    compressed = get(client, "/", **{"Accept-Encoding": "gzip, br"})
    assert compressed["Content-Encoding"] == "br"
    assert "Accept-Encoding" in compressed["Vary"]


@pytest.mark.parametrize(
    ("accept_encoding", "sent"),
    [
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0", None),
        ("*;q=0", None),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("gzip, deflate, br, zstd", "br"),  # what browsers send: brotli, the smaller, on a tie
        ("BR;Q=0.1, GZIP;Q=0.1", "br"),
        ("*", "br"),
        ("br;q=0, *;q=0.5", "gzip"),
        ("gzip;q=0.4, identity", None),  # identity preferred
        ("identity;q=0, gzip;q=0.2", "gzip"),
        ("x-gzip", "gzip"),
        ("br;q=2, gzip;q=0.1", "gzip"),  # a malformed q-value says nothing
        ("brotli, gzipped", None),  # names are whole tokens, not substrings
        ("", None),
    ],
)
def test_pages_come_in_the_encoding_the_client_prefers_never_one_it_refused(
    client, article, accept_encoding, sent
):
    import gzip

    import brotli

    identity = get(client, "/")  # stores the page
    response = get(client, "/", **{"Accept-Encoding": accept_encoding})
    assert (identity["X-Page-Cache"], response["X-Page-Cache"]) == ("MISS", "HIT")
    assert response.get("Content-Encoding") == sent
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[sent]
    assert decode(response.content) == identity.content
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize(("accept_encoding", "sent"), [("gzip;q=0", None), ("br, gzip;q=0.5", "gzip")])
def test_uncached_pages_are_gzipped_only_for_clients_that_accept_it(
    client, article, editor, accept_encoding, sent
):
    client.force_login(editor)  # staff get fresh pages, compressed per request
    response = get(client, article.get_absolute_url(), **{"Accept-Encoding": accept_encoding})
    assert "X-Page-Cache" not in response
    assert response.get("Content-Encoding") == sent
    assert "Accept-Encoding" in response["Vary"]


def test_a_cache_hit_runs_no_query(client, article, django_assert_num_queries):
    get(client, article.get_absolute_url())
    with django_assert_num_queries(0):
        assert get(client, article.get_absolute_url())["X-Page-Cache"] == "HIT"


@pytest.mark.parametrize("page", ["/", "/culture/", "/tag/bridges/", "/author/ana/"])
def test_publishing_shows_at_once(client, section, editor, page):
    ArticleFactory(section=section, tags=["bridges"], authors=[AuthorFactory(slug="ana")])  # pages exist
    draft = ArticleFactory(
        section=section,
        headline="Breaking: bridge reopens",
        status="draft",
        publish_at=None,
        tags=["bridges"],
        authors=[Author.objects.get(slug="ana")],
    )
    assert "Breaking" not in get(client, page).content.decode()
    assert get(client, page)["X-Page-Cache"] == "HIT"
    workflow.publish(draft, by=editor)
    response = get(client, page)
    assert response["X-Page-Cache"] == "MISS"  # rebuilt, from page parts that must not be stale either
    assert "Breaking: bridge reopens" in response.content.decode()


def test_a_repeated_search_runs_no_query_until_a_publish_shows_in_it(
    client, section, editor, settings, django_assert_num_queries
):
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 0  # the search's own kept matches and results, not the page cache
    ArticleFactory(section=section, headline="Old bridge story")
    draft = ArticleFactory(
        section=section, headline="Bridge reopens tonight", status="draft", publish_at=None
    )
    assert "1 result " in get(client, "/search/?q=bridge").content.decode()
    with django_assert_num_queries(0):
        assert "1 result " in get(client, "/search/?q=bridge").content.decode()
    workflow.publish(draft, by=editor)
    html = get(client, "/search/?q=bridge").content.decode()
    assert "2 results " in html
    assert "Bridge reopens tonight" in html


def test_a_story_card_shows_its_comment_count_wherever_it_was_first_rendered(client, section, settings):
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 0  # kept cards are shared between pages
    hours_ago = timezone.now() - timedelta(hours=2)
    talked_about = ArticleFactory(
        section=section, headline="Talked-about story", tags=["ferries"], publish_at=hours_ago
    )
    CommentFactory.create_batch(2, article=talked_about)
    other = ArticleFactory(section=section, tags=["ferries"], publish_at=timezone.now() - timedelta(days=1))
    ArticleFactory.create_batch(5, section=section)  # newer: the lead and top stories of the home page
    related = get(client, other.get_absolute_url()).content.decode()  # its related card carries no count
    assert "Talked-about story" in related[related.index('id="related-heading"') :]
    home = get(client, "/").content.decode()  # the same story's card on the home page: with its count
    assert "2 comments" in home[home.index("Talked-about story") :]


def test_most_read_follows_the_reads_within_its_five_minutes_though_no_content_changed(
    client, section, settings
):
    from articles.reading import MOST_READ_SECONDS, count_read

    settings.NEWSMAG_PAGE_CACHE_SECONDS = 0  # page parts kept (600 s), the reads alone change the list
    quiet = ArticleFactory(section=section, headline="Quiet story")
    ArticleFactory(section=section, headline="Sudden hit")
    count_read(quiet.pk)
    page = section.get_absolute_url()  # the home page leaves out of "Most read" what it shows above
    html = get(client, page).content.decode()
    assert "Sudden hit" not in html[html.index('id="most-read-heading"') :]
    with time_machine.travel(timezone.now() + timedelta(seconds=MOST_READ_SECONDS + 1)):
        count_read(Article.objects.get(headline="Sudden hit").pk)
        html = get(client, page).content.decode()
    assert "Sudden hit" in html[html.index('id="most-read-heading"') :]


def test_edits_and_corrections_show_at_once(client, article, editor):
    url = article.get_absolute_url()
    get(client, url)
    article.headline = "A corrected headline"
    article.save()
    assert "A corrected headline" in get(client, url).content.decode()
    Correction.objects.create(article=article, text="We misnamed the bakery.")
    assert "We misnamed the bakery." in get(client, url).content.decode()


def test_comment_approval_shows_at_once(client, article, editor):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING, body="Held for a moderator")
    url = article.get_absolute_url()
    assert "Held for a moderator" not in get(client, url).content.decode()
    moderation.approve([comment], moderator=editor)
    assert "Held for a moderator" in get(client, url).content.decode()


def test_scheduled_article_appears_at_its_time_without_any_write(client, section):
    start = timezone.now()
    ArticleFactory(section=section, headline="Embargoed report", publish_at=start + timedelta(minutes=5))
    caching._memo.state = None
    assert "Embargoed report" not in get(client, "/").content.decode()
    assert get(client, "/")["X-Page-Cache"] == "HIT"
    with time_machine.travel(start + timedelta(minutes=5, seconds=2)):
        caching._memo.state = None  # another second has passed for this process
        assert "Embargoed report" in get(client, "/").content.decode()


def test_staff_with_a_session_always_get_fresh_uncached_pages(client, article, editor):
    client.force_login(editor)
    response = get(client, article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "s-maxage" not in response.get("Cache-Control", "")


def test_flash_message_is_shown_then_the_reader_is_back_on_the_cache(client, article):
    get(client, article.get_absolute_url())
    client.cookies["messages"] = "x"  # as after posting a comment (the real cookie is signed)
    assert "X-Page-Cache" not in get(client, article.get_absolute_url())


def test_cached_article_page_has_no_csrf_token_and_the_form_gets_one_separately(client, article):
    html = get(client, article.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert re.search(r'<form class="comment-form"[^>]*data-token-url="/comments/token/\d+/"[^>]*hidden', html)
    assert 'href="/comments/post/' in html  # the no-JavaScript fallback page
    token = client.get(f"/comments/token/{article.pk}/")
    assert (
        token["Cache-Control"].startswith(("max-age=0", "no-cache")) or "no-store" in token["Cache-Control"]
    )
    assert token.json()["csrf"]
    assert "csrftoken" in token.cookies
    fallback = client.get(f"/comments/post/{article.pk}/").content.decode()
    assert "csrfmiddlewaretoken" in fallback


def test_previews_are_never_cached(client, section):
    from articles.preview import preview_url

    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None)
    response = get(client, preview_url(draft))
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]


def test_pages_share_one_redis_cache(client, article, settings):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    settings.CACHES = {
        "fragments": settings.CACHES["fragments"],
        "search": settings.CACHES["search"],
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15",
                    "KEY_PREFIX": "newsmag-test"}
    }  # fmt: skip
    from django.core.cache import cache

    cache.clear()
    assert get(client, "/")["X-Page-Cache"] == "MISS"
    assert get(client, "/")["X-Page-Cache"] == "HIT"
    article.headline = "Changed through Redis"
    article.save()
    assert "Changed through Redis" in get(client, "/").content.decode()
    cache.clear()


def test_each_host_gets_its_own_page_with_its_own_canonical_links(client, article, settings):
    settings.ALLOWED_HOSTS = ["news.example", "www.news.example"]
    url = article.get_absolute_url()
    first = client.get(url, HTTP_HOST="news.example").content.decode()
    second = client.get(url, HTTP_HOST="www.news.example").content.decode()
    assert f'rel="canonical" href="http://news.example{url}"' in first
    assert f'rel="canonical" href="http://www.news.example{url}"' in second


def test_a_preview_never_reuses_the_live_pages_parts(client, article, editor):
    from articles.preview import preview_url

    live = get(client, article.get_absolute_url()).content.decode()
    assert "data-read-beacon" in live  # the live page counts reads...
    client.force_login(editor)
    preview = get(client, preview_url(article)).content.decode()
    assert "Preview" in preview
    assert "data-read-beacon" not in preview  # ...a preview must not, though the live parts are cached


def test_a_comment_edited_by_a_moderator_shows_its_new_words_though_its_old_ones_were_kept(client, article):
    comment = CommentFactory(article=article, body="Teh ferry is late")
    url = article.get_absolute_url()
    assert "Teh ferry is late" in get(client, url).content.decode()
    comment.body = "The ferry is late"
    comment.save()
    page = get(client, url).content.decode()
    assert "The ferry is late" in page
    assert "Teh ferry" not in page


def test_renaming_a_tag_shows_at_once(client, section):
    from taggit.models import Tag

    article = ArticleFactory(section=section, tags=["harbour"])
    assert "harbour" in get(client, article.get_absolute_url()).content.decode()
    tag = Tag.objects.get(slug="harbour")
    tag.name = "Harbour and docks"
    tag.save()
    assert "Harbour and docks" in get(client, article.get_absolute_url()).content.decode()
    assert "Harbour and docks" in get(client, "/tag/harbour/").content.decode()
