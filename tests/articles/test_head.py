"""What the <head> tells browsers, search engines and social networks: canonical, Open Graph, Twitter
cards, robots, feeds, the web manifest and the home-screen icons."""

import json
from datetime import timedelta

import lxml.html
import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.images.renditions import build_renditions
from articles.models import Article, Correction
from articles.preview import preview_url
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, jpeg_bytes

HOST = "http://testserver"


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content).find("head")


def meta(tree, key):
    """The content of every <meta property|name=key> in the head."""
    return tree.xpath(f'meta[@property="{key}" or @name="{key}"]/@content')


def canonical(tree):
    links = tree.xpath('link[@rel="canonical"]/@href')
    assert len(links) == 1
    return links[0]


@pytest.fixture
def site(db, section, article):
    """One of every public page type, with what each needs to exist."""
    author = AuthorFactory(name="Ana Lima", slug="ana-lima", bio="Covers the coast.")
    ArticleFactory(section=section, authors=[author], tags=["people"], headline="Tide tables", slug="tides")
    live = ArticleFactory(section=section, slug="storm-live", live_coverage=Article.LiveCoverage.LIVE)
    Correction.objects.create(article=article, text="We misspelled the baker's name.")
    month = timezone.localtime(article.publish_at)
    return {
        "home": "/",
        "section": section.get_absolute_url(),
        "tag": "/tag/people/",
        "author": author.get_absolute_url(),
        "article": article.get_absolute_url(),
        "live story": live.get_absolute_url(),
        "search": "/search/?q=baker",
        "archive": "/archive/",
        "archive month": f"/archive/{month.year}/{month.month}/",
        "corrections": "/corrections/",
        "AI images": "/ai-images/",
    }


def test_every_public_page_type_has_canonical_open_graph_twitter_and_large_image_previews(client, site):
    for name, url in site.items():
        tree = head(client, url)
        path = url.split("?")[0]
        expected = f"{HOST}{path}" + ("?q=baker" if name == "search" else "")
        assert canonical(tree) == expected, name
        assert meta(tree, "og:url") == [expected], name
        assert meta(tree, "og:type") == [{"article": "article", "live story": "article", "author": "profile"}.get(
            name, "website"
        )], name  # fmt: skip
        assert meta(tree, "og:site_name") == ["Newsmag"], name
        assert meta(tree, "og:title")[0].strip(), name
        assert meta(tree, "og:description")[0].strip(), name
        assert meta(tree, "og:image")[0].startswith(HOST), name
        for key in ("og:image:width", "og:image:height", "og:image:alt", "twitter:title", "twitter:image"):
            assert meta(tree, key), (name, key)
        assert meta(tree, "twitter:card")[0] in ("summary", "summary_large_image"), name
        robots = meta(tree, "robots")
        assert len(robots) == 1, name
        assert "max-image-preview:large" in robots[0], name
        # Search results are kept from crawlers by robots.txt alone: a noindex there as well changes
        # nothing for crawlers and costs the page its audit score.
        assert "noindex" not in robots[0], name


def test_tracking_parameters_never_reach_the_canonical_but_a_page_number_does(client, section, settings):
    for n in range(settings.NEWSMAG_ARTICLES_PER_PAGE + 2):
        ArticleFactory(section=section, slug=f"story-{n}")
    url = section.get_absolute_url()
    assert canonical(head(client, f"{url}?utm_source=newsletter&fbclid=abc")) == f"{HOST}{url}"
    assert canonical(head(client, f"{url}?page=2&utm_medium=social")) == f"{HOST}{url}?page=2"
    assert canonical(head(client, f"{url}?page=1")) == f"{HOST}{url}"
    assert canonical(head(client, f"{url}?page=last")) == f"{HOST}{url}?page=2"
    article_url = Article.objects.first().get_absolute_url()
    assert canonical(head(client, f"{article_url}?utm_campaign=x&page=2")) == f"{HOST}{article_url}"


def test_an_article_has_its_times_section_and_tags_for_open_graph(client, article):
    Correction.objects.create(
        article=article, text="An update.", published_at=article.publish_at + timedelta(minutes=30)
    )
    tree = head(client, article.get_absolute_url())
    assert meta(tree, "og:title") == [article.headline]
    assert meta(tree, "article:published_time") == [
        timezone.localtime(article.publish_at).strftime("%Y-%m-%dT%H:%M:%S%z")
    ]
    modified = timezone.localtime(article.publish_at + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert meta(tree, "article:modified_time") == [modified]
    assert meta(tree, "article:section") == ["Culture"]
    assert meta(tree, "article:tag") == ["food", "people"]


def test_og_image_gives_the_size_of_the_file_it_names(client, section):
    picture = ImageFactory(
        file=SimpleUploadedFile("w.jpg", jpeg_bytes(1600, 1000), "image/jpeg"), alt_text="Pier"
    )
    picture.renditions = build_renditions(picture)
    picture.save()
    for url in (
        ArticleFactory(section=section, lead_image=picture).get_absolute_url(),
        section.get_absolute_url(),
    ):
        tree = head(client, url)
        name = meta(tree, "og:image")[0].removeprefix(HOST).split(default_storage.base_url, 1)[1]
        with default_storage.open(name, "rb") as handle:
            size = PILImage.open(handle).size
        assert (
            size
            == (int(meta(tree, "og:image:width")[0]), int(meta(tree, "og:image:height")[0]))
            == (1200, 675)
        )
        assert meta(tree, "og:image:alt") == ["Pier"]
        assert meta(tree, "twitter:card") == ["summary_large_image"]
        assert meta(tree, "twitter:image") == meta(tree, "og:image")


def test_a_page_without_a_picture_is_shared_with_the_site_icon_as_a_small_card(client, site):
    tree = head(client, site["tag"])
    assert meta(tree, "og:image")[0].endswith(".png")
    assert (meta(tree, "og:image:width"), meta(tree, "og:image:height")) == (["512"], ["512"])
    assert meta(tree, "twitter:card") == ["summary"]


@pytest.mark.parametrize("page", ["section", "tag", "author"])
def test_section_tag_and_author_pages_advertise_their_rss_and_atom_feeds(client, site, page):
    tree = head(client, site[page])
    feeds = {
        link.get("type"): link.get("href")
        for link in tree.xpath('link[@rel="alternate"]')
        if link.get("href").startswith(site[page])
    }
    base = site[page]
    assert feeds == {"application/rss+xml": f"{base}feed/", "application/atom+xml": f"{base}feed/atom/"}
    for url in feeds.values():
        assert client.get(url).status_code == 200


def test_a_preview_stays_out_of_search_engines_and_link_cards_and_is_never_cached(client, db):
    draft = ArticleFactory(status=Article.Status.DRAFT, headline="Secret draft headline", publish_at=None)
    response = client.get(preview_url(draft))
    tree = lxml.html.fromstring(response.content).find("head")
    assert meta(tree, "robots") == ["noindex, nofollow"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    # A link pasted in a chat is unfurled by a bot that ignores robots: it finds no card to show.
    assert not tree.xpath('meta[starts-with(@property, "og:") or starts-with(@name, "twitter:")]')
    assert not tree.xpath('link[@rel="canonical"]')


def test_the_head_names_the_manifest_theme_colours_and_touch_icon(client, db):
    tree = head(client, "/")
    assert tree.xpath('link[@rel="manifest"]/@href') == ["/manifest.webmanifest"]
    colours = {m.get("media"): m.get("content") for m in tree.xpath('meta[@name="theme-color"]')}
    assert set(colours) == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}
    touch = tree.xpath('link[@rel="apple-touch-icon"]/@href')[0]
    with PILImage.open(finders.find(touch.removeprefix("/static/"))) as icon:
        assert (icon.format, icon.size, icon.mode) == (
            "PNG",
            (180, 180),
            "RGB",
        )  # iOS shows transparency black


def test_the_web_manifest_is_cached_json_whose_icons_exist_at_their_sizes(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert manifest["name"] == "Newsmag"
    assert manifest["short_name"]
    assert manifest["display"] in ("browser", "minimal-ui")
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"]
    assert manifest["background_color"]
    purposes = set()
    for icon in manifest["icons"]:
        with PILImage.open(finders.find(icon["src"].removeprefix("/static/"))) as picture:
            assert picture.format == "PNG"
            assert f"{picture.width}x{picture.height}" == icon["sizes"]
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    assert client.post("/manifest.webmanifest").status_code == 405
