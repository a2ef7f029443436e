"""The masthead's date line (the newsroom's day, never stale in a kept page), the web font, share links."""

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders

from articles import caching
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

FONT = "fonts/source-serif-4-latin-700.woff2"
# 23:59:30 on Saturday 5 December in Berlin (the newsroom's zone in the test settings), then just after
# its midnight: still Saturday 5 December in UTC, and in New York.
BEFORE_MIDNIGHT = datetime(2026, 12, 5, 22, 59, 30, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 12, 5, 23, 0, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 600
    settings.NEWSMAG_FRAGMENT_CACHE_SECONDS = 600
    caching._memo.state = None
    yield
    caching._memo.state = None


def date_line(response):
    return re.search(
        r'<p class="masthead-date"><time datetime="([\d-]+)">([^<]+)</time>', response.content.decode()
    )


def test_the_masthead_dates_the_page_by_the_newsrooms_day_not_utc(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    SectionFactory(slug="news")
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        line = date_line(client.get("/"))
    assert line.groups() == ("2026-12-06", "Sunday, 6 December 2026")


def test_a_page_kept_before_the_newsrooms_midnight_is_not_served_after_it(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    SectionFactory(slug="news")
    with time_machine.travel(BEFORE_MIDNIGHT, tick=False):
        first = client.get("/")
        again = client.get("/")
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("MISS", "HIT")
    assert date_line(again).group(2) == "Saturday, 5 December 2026"
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        caching._memo.state = None  # a second has passed for this process: it reads the content state anew
        after = client.get("/")
    assert after["X-Page-Cache"] == "MISS"
    assert date_line(after).group(2) == "Sunday, 6 December 2026"


def test_pages_are_kept_at_most_until_the_newsrooms_midnight(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    with time_machine.travel(datetime(2026, 12, 5, 22, 0, tzinfo=UTC), tick=False):  # 23:00 in Berlin
        assert caching.seconds_until_midnight() == 3600
    settings.TIME_ZONE = "America/New_York"
    with time_machine.travel(datetime(2026, 12, 6, 4, 30, tzinfo=UTC), tick=False):  # 23:30 in New York
        assert caching.seconds_until_midnight() == 1800


def test_the_headline_font_is_ours_preloaded_subset_and_licensed(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    url = f"{django_settings.STATIC_URL}{FONT}"
    assert f'<link rel="preload" href="{url}" as="font" type="font/woff2" crossorigin>' in html
    font = Path(finders.find(FONT))
    assert font.read_bytes()[:4] == b"wOF2"
    assert font.stat().st_size < 25_000  # the Latin subset of one weight, not the whole family
    assert "SIL Open Font License" in (font.parent / "SourceSerif4-LICENSE.txt").read_text()
    css = Path(finders.find("css/site.css")).read_text()
    assert 'url("../fonts/source-serif-4-latin-700.woff2")' in css
    assert "font-display: swap" in css
    assert "@import" not in css  # nothing from another origin: no imported sheet, no absolute URL
    assert "//" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_share_links_work_without_javascript(client):
    article = ArticleFactory(headline="Ferries stop for the night")
    html = client.get(article.get_absolute_url()).content.decode()
    share = html[
        html.index('<aside class="share"') : html.index("</aside>", html.index('<aside class="share"'))
    ]
    address = f"http://testserver{article.get_absolute_url()}"
    encoded = quote(address, safe="")
    assert f'href="mailto:?subject=Ferries%20stop%20for%20the%20night&amp;body={encoded}">Email</a>' in share
    assert f'href="{address}">Copy link</a>' in share  # copy it from the link itself
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={encoded}"' in share
    assert "Ferries%20stop%20for%20the%20night%20" + encoded in share  # Bluesky and WhatsApp: title and link
    # The device's share sheet only where the script finds one; nothing is loaded from the networks.
    assert '<li class="share-native" hidden>' in share
    for loaded in ("<script", "<img", "<iframe"):
        assert loaded not in share
