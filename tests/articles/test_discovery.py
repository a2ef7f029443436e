"""Search, feeds, sitemaps, structured data, related and most-read lists, archives."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.reading import count_read, most_read
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=False)

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def stories(django_capture_on_commit_callbacks, section):
    with django_capture_on_commit_callbacks(execute=True):
        harbour = ArticleFactory(
            section=section,
            headline="Harbour cranes restart after strike",
            dek="Dockworkers return.",
            body="<p>The <strong>terminal</strong> reopened at dawn with new safety rules.</p>",
            tags=["shipping"],
        )
        bakery = ArticleFactory(
            section=section,
            headline="Night bakery feeds nurses",
            body="<p>Nurses and ferry crews stop at the harbour bakery before dawn.</p>",
            tags=["food", "shipping"],
        )
        draft = ArticleFactory(
            section=section,
            headline="Secret harbour draft",
            body="<p>dawn terminal</p>",
            status=Article.Status.DRAFT,
            publish_at=None,
        )
    return harbour, bakery, draft


# Search ----------------------------------------------------------------------------------------------------


def test_search_finds_body_words_with_a_highlighted_snippet_and_ignores_drafts(client, stories):
    html = client.get("/search/", {"q": "terminal"}).content.decode()
    assert "Harbour cranes restart after strike" in html
    assert "<mark>terminal</mark>" in html
    assert "Secret harbour draft" not in html


def test_search_ranks_headline_matches_above_body_matches(client, stories):
    html = client.get("/search/", {"q": "bakery"}).content.decode()
    assert "Night bakery feeds nurses" in html
    html = client.get("/search/", {"q": "harbour"}).content.decode()
    assert "Secret harbour draft" not in html
    assert html.index("Harbour cranes") < html.index("Night bakery")  # headline (A) above body (C)


def test_search_vector_follows_tags_and_edits_after_commit(
    client, stories, django_capture_on_commit_callbacks
):
    harbour, _, _ = stories
    assert "Harbour cranes" in client.get("/search/", {"q": "shipping"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        harbour.headline = "Cranes idle again"
        harbour.save()
        harbour.tags.set(["labour"])
    assert "Cranes idle again" in client.get("/search/", {"q": "labour"}).content.decode()
    assert "Cranes idle again" not in client.get("/search/", {"q": "shipping"}).content.decode()


def test_search_follows_a_renamed_or_deleted_tag(client, stories, django_capture_on_commit_callbacks):
    from taggit.models import Tag

    tag = Tag.objects.get(name="shipping")
    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "freight"
        tag.save()
    assert "Harbour cranes" in client.get("/search/", {"q": "freight"}).content.decode()
    assert "Harbour cranes" not in client.get("/search/", {"q": "shipping"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        tag.delete()
    assert "Harbour cranes" not in client.get("/search/", {"q": "freight"}).content.decode()


def test_search_websearch_syntax_and_filters(client, stories):
    html = client.get("/search/", {"q": "dawn -nurses"}).content.decode()
    assert "Harbour cranes" in html
    assert "Night bakery" not in html
    other = SectionFactory(slug="elsewhere")
    assert "0 results" in client.get("/search/", {"q": "dawn", "section": other.slug}).content.decode()
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert "0 results" in client.get("/search/", {"q": "dawn", "since": future}).content.decode()
    assert "Harbour cranes" in client.get("/search/", {"q": "dawn", "since": "not-a-date"}).content.decode()


def test_search_ranks_only_the_newest_matches_and_says_so(
    client, section, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("articles.views.SEARCH_CANDIDATES", 3)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # search vectors are written after commit
        for age in range(3):
            ArticleFactory(
                section=section, headline=f"Ferry news {age}", publish_at=now - timedelta(days=age)
            )
    html = client.get("/search/", {"q": "ferry"}).content.decode()
    assert "3 results for" in html
    assert "More than" not in html
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(
            section=section, headline="Ferry news from long ago", publish_at=now - timedelta(days=900)
        )
    html = client.get("/search/", {"q": "ferry"}).content.decode()
    assert "More than 3 results for “ferry”: the newest 3" in html
    assert html.count('class="story story-result') == 3
    assert "long ago" not in html  # the oldest match is left to a narrower search
    until = (now - timedelta(days=100)).date().isoformat()
    assert "long ago" in client.get("/search/", {"q": "ferry", "until": until}).content.decode()


def test_search_empty_state_helps(client, stories):
    html = client.get("/search/", {"q": "zzzzqqq"}).content.decode()
    assert "Nothing matched" in html
    assert "quotes" in html


# Feeds -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/feed/",
        "/feed/atom/",
        "/culture/feed/",
        "/culture/feed/atom/",
        "/tag/shipping/feed/",
        "/tag/shipping/feed/atom/",
    ],
)
def test_every_feed_parses_cleanly_with_absolute_links(client, stories, article, url):
    feed = feedparser.parse(client.get(url).content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries
    for entry in feed.entries:
        assert entry.link.startswith("http://testserver/")
    titles = [entry.title for entry in feed.entries]
    assert "Secret harbour draft" not in titles


def test_author_feed_and_image_credit_in_items(client, article):
    author = article.byline_authors[0]
    for suffix in ("feed/", "feed/atom/"):
        feed = feedparser.parse(client.get(f"/author/{author.slug}/{suffix}").content)
        assert not feed.bozo
        assert [entry.title for entry in feed.entries] == [article.headline]
    rss = feedparser.parse(client.get("/feed/").content)
    entry = rss.entries[0]
    assert "People News/AI-generated image" in entry.summary
    assert entry.enclosures[0]["href"].startswith("http://testserver/media/")


def test_unknown_feed_is_404(client, db):
    assert client.get("/tag/nothing-here/feed/").status_code == 404


# Sitemaps --------------------------------------------------------------------------------------------------


def test_sitemap_index_and_sections_list_only_published_urls(client, stories):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-articles.xml" in locations
    articles = ET.fromstring(client.get("/sitemap-articles.xml").content)
    urls = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
        for url in articles.iter(f"{SITEMAP}url")
    }
    assert "http://testserver" + stories[0].get_absolute_url() in urls
    assert all(urls.values())
    assert not any("secret" in url for url in urls)
    for name in ("sections", "tags", "authors"):
        assert client.get(f"/sitemap-{name}.xml").status_code == 200


def test_news_sitemap_holds_only_the_last_48_hours(client, section):
    now = timezone.now()
    fresh = ArticleFactory(section=section, headline="Fresh & <new>", publish_at=now - timedelta(hours=3))
    ArticleFactory(section=section, headline="Old news", publish_at=now - timedelta(hours=49))
    ArticleFactory(section=section, headline="Scheduled", publish_at=now + timedelta(hours=3))
    root = ET.fromstring(client.get("/news-sitemap.xml").content)
    entries = list(root.iter(f"{SITEMAP}url"))
    assert len(entries) == 1
    news = entries[0].find(f"{NEWS}news")
    assert news.find(f"{NEWS}title").text == "Fresh & <new>"
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "Newsmag"
    from datetime import datetime

    assert datetime.fromisoformat(news.find(f"{NEWS}publication_date").text) == fresh.publish_at


def test_robots_names_the_sitemaps(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text


# Structured data and social cards --------------------------------------------------------------------------


def test_article_has_social_cards_and_canonical(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/media/[^"]+">', html)


def test_home_declares_the_site_search(client, article):
    html = client.get("/").content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    website = json.loads(raw)
    assert (
        website["potentialAction"]["target"]["urlTemplate"]
        == "http://testserver/search/?q={search_term_string}"
    )


def test_json_ld_lists_authors_section_keywords_and_corrections(client, article):
    from articles.models import Correction

    Correction.objects.create(article=article, text="We misspelled the baker's name.")
    html = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))[
        0
    ]
    assert data["author"][0]["name"] == "People News"
    assert data["author"][0]["url"].startswith("http://testserver/author/")
    assert data["articleSection"] == "Culture"
    assert sorted(data["keywords"]) == ["food", "people"]
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["datePublished"].endswith(("Z", "+00:00"))


def news_article_json_ld(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)[0]


def test_json_ld_names_the_agency_as_source_organization_not_as_dateline(client, article):
    data = news_article_json_ld(client, article)
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "People News"}
    assert "dateline" not in data


def test_json_ld_headline_is_cut_after_a_whole_word_within_110_characters(client, section):
    long = "Harbour council approves the new ferry terminal after a decade of delays, protests and three referendums"
    long += " on the waterfront"
    article = ArticleFactory(section=section, headline=long)
    data = news_article_json_ld(client, article)
    assert data["headline"] == (
        "Harbour council approves the new ferry terminal after a decade of delays, protests and three referendums"
        " on…"  # not "... on th", as the first 110 characters would have it
    )
    assert len(data["headline"]) <= 110


@pytest.mark.parametrize(
    ("headline", "shown"),
    [
        ("Short and sweet", "Short and sweet"),
        ("x" * 110, "x" * 110),  # exactly the limit: whole
        ("word " * 21 + "wordier", "word " * 20 + "word…"),  # 112 characters: the last word goes
        ("a" * 105 + " tail end", "a" * 105 + "…"),
        ("b" * 120, "b" * 109 + "…"),  # one endless word: cut inside it, there is no boundary
        ("Before a comma, " + "c" * 100, "Before a comma…"),
    ],
)
def test_a_long_headline_is_cut_at_a_word_boundary_with_an_ellipsis(headline, shown):
    from articles.structured_data import short_headline

    assert short_headline(headline) == shown
    assert len(shown) <= 110


# Related, most read, archives ------------------------------------------------------------------------------


def test_related_articles_prefer_shared_tags_then_section(client, section):
    article = ArticleFactory(section=section, tags=["ferries", "harbour"])
    both = ArticleFactory(section=SectionFactory(), headline="Shares two tags", tags=["ferries", "harbour"])
    one = ArticleFactory(section=SectionFactory(), headline="Shares one tag", tags=["ferries"])
    same_section = ArticleFactory(section=section, headline="Same section only")
    ArticleFactory(section=SectionFactory(), headline="Unrelated story")
    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index('id="related-heading"') :]
    assert related.index(both.headline) < related.index(one.headline) < related.index(same_section.headline)
    assert "Unrelated story" not in related


def test_related_articles_put_the_same_section_first_among_equals_and_list_each_story_once(client, section):
    article = ArticleFactory(section=section, tags=["ferries"])
    elsewhere = ArticleFactory(section=SectionFactory(), headline="Ferries elsewhere", tags=["ferries"])
    here = ArticleFactory(
        section=section,
        headline="Ferries here",
        tags=["ferries"],
        publish_at=timezone.now() - timedelta(days=9),
    )
    ArticleFactory(section=section, headline="Newest here, no tag")
    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index('id="related-heading"') :]
    # Same tag count: the same section wins over a newer story elsewhere; then the section's newest.
    assert (
        related.index(here.headline)
        < related.index(elsewhere.headline)
        < related.index("Newest here, no tag")
    )
    assert related.count(here.headline) == 1  # found both by its tag and by its section


def test_a_section_page_lists_its_subsections_stories_too(client, section):
    theatre = SectionFactory(name="Theatre", slug="theatre", parent=section)
    ArticleFactory(section=section, headline="A culture story")
    ArticleFactory(section=theatre, headline="A theatre review")
    ArticleFactory(section=SectionFactory(slug="sport"), headline="A sport story")
    html = client.get("/culture/").content.decode()
    assert "A culture story" in html
    assert "A theatre review" in html
    assert "A sport story" not in html
    assert "A culture story" not in client.get("/theatre/").content.decode()


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def reader_at(address, user_agent=BROWSER):
    return {"REMOTE_ADDR": address, "HTTP_USER_AGENT": user_agent}


def test_reads_are_counted_anonymously_and_make_the_most_read_list(client, section):
    first, second = (
        ArticleFactory(section=section, headline="Quiet"),
        ArticleFactory(section=section, headline="Popular"),
    )
    for reader in range(3):
        assert client.post(f"/stats/read/{second.pk}/", **reader_at(f"203.0.113.{reader}")).status_code == 204
    client.post(f"/stats/read/{first.pk}/", **reader_at("203.0.113.9"))
    assert "Set-Cookie" not in client.post(f"/stats/read/{first.pk}/", **reader_at("203.0.113.8")).headers
    assert [a.headline for a in most_read()] == ["Popular", "Quiet"]
    # The section page lists them under "Most read"; the home page shows a story once, so with two
    # stories both lead it and the list is left out there.
    html = client.get(section.get_absolute_url()).content.decode()
    assert html.index("Most read") < html.index("Popular", html.index("Most read"))
    home = client.get("/").content.decode()
    assert "Most read" not in home
    assert home.count(f'href="{second.get_absolute_url()}"') == 1


def test_reads_of_drafts_are_not_counted_and_old_reads_fade(section):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None)
    live = ArticleFactory(section=section)
    count_read(live.pk)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert most_read() == []
    from django.test import Client

    Client().post(f"/stats/read/{draft.pk}/", **reader_at("203.0.113.5"))
    assert not draft.read_counts.exists()


def test_month_archive_lists_that_months_stories(client, section):
    ArticleFactory(
        section=section, headline="March story", publish_at=timezone.now().replace(year=2025, month=3, day=10)
    )
    ArticleFactory(
        section=section, headline="April story", publish_at=timezone.now().replace(year=2025, month=4, day=10)
    )
    html = client.get("/archive/2025/03/").content.decode()
    assert "March story" in html
    assert "April story" not in html
    assert "/archive/2025/04/" in html
    assert "March 2025" in client.get("/archive/").content.decode()
    assert client.get("/archive/1999/01/").status_code == 404


def test_long_lists_are_paginated_with_rel_links(client, section, settings):
    for i in range(settings.NEWSMAG_ARTICLES_PER_PAGE + 2):
        ArticleFactory(section=section, headline=f"Story {i}")
    html = client.get(f"/{section.slug}/").content.decode()
    assert '<link rel="next" href="?page=2">' in html
    page_two = client.get(f"/{section.slug}/?page=2").content.decode()
    assert '<link rel="prev" href="?page=1">' in page_two
    assert client.get(f"/{section.slug}/?page=99").status_code == 404


# The read beacon cannot be used to rig "Most read"


def read_count(article):
    return sum(article.read_counts.values_list("count", flat=True))


def test_one_network_counts_once_per_story_per_day_however_often_it_posts(client, section):
    story = ArticleFactory(section=section)
    for _ in range(50):
        assert client.post(f"/stats/read/{story.pk}/", **reader_at("203.0.113.7")).status_code == 204
    for host in range(1, 6):  # an IPv6 reader rotating addresses inside its /64
        client.post(f"/stats/read/{story.pk}/", **reader_at(f"2001:db8:7:7::{host}"))
    assert read_count(story) == 2
    client.post(f"/stats/read/{story.pk}/", **reader_at("203.0.113.8"))
    assert read_count(story) == 3
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.post(f"/stats/read/{story.pk}/", **reader_at("203.0.113.7"))
    assert read_count(story) == 4


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "curl/8.5.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1)",
        "python-requests/2.32",
        "HeadlessChrome/131",
    ],
)
def test_bots_and_scripts_are_not_counted(client, section, user_agent):
    story = ArticleFactory(section=section)
    assert client.post(f"/stats/read/{story.pk}/", **reader_at("203.0.113.7", user_agent)).status_code == 204
    assert read_count(story) == 0


def test_a_network_reading_faster_than_a_person_is_capped(client, section, settings):
    settings.NEWSMAG_READS_PER_MINUTE = 5
    stories = [ArticleFactory(section=section) for _ in range(8)]
    for story in stories:
        client.post(f"/stats/read/{story.pk}/", **reader_at("203.0.113.7"))
    assert [read_count(story) for story in stories] == [1] * 5 + [0] * 3
    client.post(f"/stats/read/{stories[-1].pk}/", **reader_at("198.51.100.1"))  # another reader is not capped
    assert read_count(stories[-1]) == 1
