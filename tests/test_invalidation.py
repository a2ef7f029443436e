"""Invalidation by dependency: a change retires what shows it, and only that; hits answered first."""

from datetime import timedelta

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from articles import caching
from articles.models import Article, CacheVersion
from comments import moderation
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _page_cache_on(version_read_once):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # the flush between transactional tests renumbers content types


def get(client, url, **headers):
    return client.get(url, headers=headers)


def cache_states(client, *urls):
    return {url: get(client, url)["X-Page-Cache"] for url in urls}


@pytest.fixture
def newsroom(db):
    """Two stories in two sections, with their own tags and bylines, each a day apart."""
    culture = SectionFactory(name="Culture", slug="culture")
    sport = SectionFactory(name="Sport", slug="sport")
    day = timezone.now() - timedelta(days=1)
    talked = ArticleFactory(
        section=culture,
        headline="Talked-about bakery",
        tags=["bread"],
        authors=[AuthorFactory(slug="ana")],
        publish_at=day,
    )
    quiet = ArticleFactory(
        section=sport,
        headline="Quiet rowing club",
        tags=["rowing"],
        authors=[AuthorFactory(slug="bo")],
        publish_at=day - timedelta(hours=1),
    )
    return talked, quiet


def test_a_comment_approval_retires_its_story_and_the_lists_showing_its_count_not_the_other_stories(
    client, newsroom
):
    talked, quiet = newsroom
    urls = [talked.get_absolute_url(), quiet.get_absolute_url(), "/", "/culture/", "/sport/"]
    cache_states(client, *urls)
    assert set(cache_states(client, *urls).values()) == {"HIT"}
    comment = CommentFactory(article=talked, status=Comment.Status.PENDING, body="Best rye in town")
    assert set(cache_states(client, *urls).values()) == {"HIT"}  # held: readers see no change
    moderation.approve([comment], moderator=None)
    states = cache_states(client, *urls)
    assert states[talked.get_absolute_url()] == "MISS"
    assert "Best rye in town" in get(client, talked.get_absolute_url()).content.decode()
    # The home page and the section show the story's card with its comment count.
    assert (states["/"], states["/culture/"]) == ("MISS", "MISS")
    assert "1 comment" in get(client, "/culture/").content.decode()
    # The other story and its section show nothing of it: still served as kept.
    assert (states[quiet.get_absolute_url()], states["/sport/"]) == ("HIT", "HIT")


def test_an_edit_retires_the_story_and_its_lists_not_the_long_tail(client, newsroom):
    talked, quiet = newsroom
    mine = [
        talked.get_absolute_url(),
        "/",
        "/culture/",
        "/tag/bread/",
        "/author/ana/",
        "/feed/",
        "/search/?q=bakery",
    ]
    others = [quiet.get_absolute_url(), "/sport/", "/tag/rowing/", "/author/bo/", "/sport/feed/"]
    cache_states(client, *mine, *others)
    talked.headline = "Talked-about bakery reopens"
    talked.save()
    after = cache_states(client, *mine, *others)
    assert {url: after[url] for url in mine} == dict.fromkeys(mine, "MISS")
    assert {url: after[url] for url in others} == dict.fromkeys(others, "HIT")
    for url in mine[:5]:
        assert "Talked-about bakery reopens" in get(client, url).content.decode()


def test_a_story_moved_to_another_section_leaves_the_old_sections_page(client, newsroom):
    talked, quiet = newsroom
    assert "Talked-about bakery" in get(client, "/culture/").content.decode()
    assert get(client, "/culture/")["X-Page-Cache"] == "HIT"
    talked.section = quiet.section
    talked.save()
    assert "Talked-about bakery" not in get(client, "/culture/").content.decode()
    assert "Talked-about bakery" in get(client, "/sport/").content.decode()


def test_a_tag_added_to_a_story_shows_on_the_tags_page_at_once(client, newsroom):
    talked, _quiet = newsroom
    assert "Talked-about bakery" not in get(client, "/tag/rowing/").content.decode()
    talked.tags.add("rowing")
    assert "Talked-about bakery" in get(client, "/tag/rowing/").content.decode()
    talked.tags.clear()
    assert "Talked-about bakery" not in get(client, "/tag/rowing/").content.decode()


def test_a_bulk_moderation_retires_only_the_threads_it_touched(client, newsroom):
    talked, quiet = newsroom
    held = CommentFactory(article=talked, status=Comment.Status.PENDING, body="Held then approved")
    cache_states(client, talked.get_absolute_url(), quiet.get_absolute_url())
    moderation.approve(Comment.objects.filter(pk=held.pk), moderator=None)  # a queryset update
    assert cache_states(client, talked.get_absolute_url(), quiet.get_absolute_url()) == {
        talked.get_absolute_url(): "MISS",
        quiet.get_absolute_url(): "HIT",
    }


def test_a_rare_site_wide_change_retires_everything(client, newsroom):
    talked, quiet = newsroom
    urls = [talked.get_absolute_url(), quiet.get_absolute_url(), "/"]
    cache_states(client, *urls)
    SectionFactory(name="Weather", slug="weather")  # the navigation of every page shows it
    assert set(cache_states(client, *urls).values()) == {"MISS"}
    assert 'href="/weather/"' in get(client, quiet.get_absolute_url()).content.decode()


def test_another_process_change_reaches_this_one_at_its_next_read(client, newsroom):
    """Another app server retired a story: this process learns it from the table, read incrementally."""
    talked, quiet = newsroom
    cache_states(client, talked.get_absolute_url(), quiet.get_absolute_url())
    caching.content_state()
    params = connection.get_connection_params()
    with psycopg.connect(
        **{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True
    ) as other:
        other.execute(caching.BUMP_SQL, [caching.COUNTER, [caching.article_key(quiet.pk)]])
    assert get(client, quiet.get_absolute_url())["X-Page-Cache"] == "HIT"  # not read yet (once a second)
    caching._memo.state = None  # a second later for this process
    assert cache_states(client, talked.get_absolute_url(), quiet.get_absolute_url()) == {
        talked.get_absolute_url(): "HIT",
        quiet.get_absolute_url(): "MISS",
    }


def test_versions_are_table_rows_taken_in_commit_order(newsroom):
    talked, _quiet = newsroom
    before = CacheVersion.objects.get(key=caching.COUNTER).version
    Article.objects.filter(pk=talked.pk).update(headline="Bulk-edited")
    rows = dict(CacheVersion.objects.values_list("key", "version"))
    assert rows[caching.COUNTER] == before + 1
    for key in (
        caching.article_key(talked.pk),
        caching.section_key(talked.section_id),
        caching.HOME,
        caching.ANY,
    ):
        assert rows[key] == before + 1
    assert caching.COUNTER not in caching.cdn_keys([(key, 0) for key in rows if key != caching.COUNTER])


def test_an_item_built_from_older_data_is_never_kept_under_a_newer_version(newsroom):
    """A state read before a change records the versions it knew: an item built with it cannot pass for one
    built after the change (a lagging replica, a read between two once-a-second reads)."""
    talked, _quiet = newsroom
    key = caching.article_key(talked.pk)
    caching._memo.state = None
    earlier = caching.content_state()
    talked.headline = "Changed meanwhile"
    talked.save()  # autocommit: retired at once, and this process reads the new versions
    later = caching.content_state()
    assert later.watermark > earlier.watermark
    stamp = earlier.stamp([key])
    assert dict(stamp[2])[key] == -1  # newer than what `earlier` knew: never valid
    assert not later.still_valid(stamp)
    assert later.still_valid(later.stamp([key]))


def test_versions_are_read_through_the_router(newsroom, settings):
    class Router:
        seen = []

        def db_for_read(self, model, **hints):
            self.seen.append(model)
            return None

    settings.DATABASE_ROUTERS = [Router()]
    caching._memo.state = None
    assert caching.content_state().alias == "default"
    assert CacheVersion in Router.seen


def test_a_hit_is_answered_by_the_first_middleware_with_every_header_of_a_miss(client, article, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    assert settings.MIDDLEWARE[0] == "articles.caching.PageCacheMiddleware"
    url = article.get_absolute_url()
    miss = client.get(url, secure=True)
    hit = client.get(url, secure=True)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("MISS", "HIT")
    ignored = {"X-Page-Cache", "Date"}
    assert {k: v for k, v in miss.items() if k not in ignored} == {
        k: v for k, v in hit.items() if k not in ignored
    }
    for name in (
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "Permissions-Policy",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
    ):
        assert hit[name], name
    assert hit["Strict-Transport-Security"].startswith("max-age=3600")
    # Compressed and conditional, from the kept page too.
    assert client.get(url, secure=True, headers={"Accept-Encoding": "gzip"})["Content-Encoding"] == "gzip"
    not_modified = client.get(url, secure=True, headers={"If-None-Match": hit["ETag"]})
    assert not_modified.status_code == 304
    assert "Surrogate-Key" in not_modified


def test_pages_carry_their_dependencies_for_a_cdn_within_a_size(client, newsroom, settings):
    talked, quiet = newsroom
    page = get(client, talked.get_absolute_url())
    keys = page["Surrogate-Key"].split()
    assert page["Cache-Tag"] == ",".join(keys)
    assert {caching.article_key(talked.pk), caching.thread_key(talked.pk), caching.SITE} <= set(keys)
    assert caching.article_key(quiet.pk) not in keys
    home = get(client, "/")["Surrogate-Key"].split()
    assert {caching.HOME, caching.thread_key(talked.pk), caching.thread_key(quiet.pk)} <= set(home)
    settings.NEWSMAG_CDN_KEYS_BYTES = 12
    cache.clear()  # the keys are chosen when a page is kept
    small = get(client, "/")["Surrogate-Key"]
    assert len(small) <= 12
    assert small.split()[:2] == ["home", "site"]  # the broad keys first: purging them still reaches it


def test_a_scheduled_story_retires_kept_pages_when_it_comes_due(client, newsroom):
    import time_machine

    start = timezone.now()
    ArticleFactory(section=newsroom[0].section, headline="Embargoed", publish_at=start + timedelta(minutes=5))
    caching._memo.state = None
    assert "Embargoed" not in get(client, "/culture/").content.decode()
    with time_machine.travel(start + timedelta(minutes=5, seconds=2)):
        caching._memo.state = None
        assert "Embargoed" in get(client, "/culture/").content.decode()


def test_static_files_and_the_live_poll_are_left_alone(client, django_assert_num_queries):
    caching._memo.state = None
    with django_assert_num_queries(0):
        response = client.get(f"{settings.STATIC_URL}css/site.css")
    assert "X-Page-Cache" not in response
