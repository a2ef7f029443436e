"""Embed cards in a real Chromium: nothing is requested from any provider until the reader clicks "Load
content from …"; then the player is built from the allowlisted address, within the Content-Security-Policy.

The cards come from `render_cards()` on the demo embeds (a YouTube video, a Bluesky post), inside a page of
the site's own layout served by this module's URLconf. No request leaves the machine: every request to
another host is recorded and aborted (there is no internet here, and a test must not depend on it).
"""

import json
import subprocess
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path
from playwright.sync_api import expect

from articles.embeds import load_demo_embeds, render_cards
from tests.browser.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.browser

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% load static %}{% block content %}<article class="article"><h1>Embeds</h1>'
    '<div class="article-body">{% for card in cards %}<p>Before the embed.</p>{{ card|safe }}{% endfor %}'
    "</div></article><script src=\"{% static 'js/embeds.js' %}\" defer></script>{% endblock content %}"
)


def embeds_page(request):
    cards = render_cards(request.GET.getlist("id"), request=request)
    return TemplateResponse(request, PAGE, {"cards": [cards[int(pk)] for pk in request.GET.getlist("id")]})


urlpatterns = [path("embeds-test/", embeds_page), *site_urlpatterns]

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture
def embeds(site, settings):
    settings.ROOT_URLCONF = __name__
    video, post = load_demo_embeds()
    return {"video": video, "post": post, "url": f"{site}/embeds-test/?id={video.pk}&id={post.pk}"}


@pytest.fixture
def recorded(new_page):
    """A watched page whose every request is recorded; requests to other hosts are aborted."""
    page, watch = new_page()
    requests = []

    def handle(route):
        requests.append(route.request.url)
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", handle)
    return page, watch, requests


def elsewhere(requests):
    return [url for url in requests if urlsplit(url).hostname not in LOOPBACK]


def test_nothing_is_requested_from_a_provider_before_the_click(embeds, recorded):
    page, watch, requests = recorded
    page.goto(embeds["url"])
    page.wait_for_load_state("networkidle")
    cards = page.locator("[data-embed-card]")
    expect(cards).to_have_count(2)
    expect(page.get_by_role("button", name="Load content from YouTube")).to_be_visible()
    expect(page.get_by_text("YouTube may set cookies and collect data.")).to_be_visible()
    expect(page.get_by_role("button", name="Load content from Bluesky")).to_be_visible()
    # Our own copies of the thumbnails were shown.
    thumbnail = cards.first.locator("img")
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth") == 480
    assert any(url.endswith(embeds["video"].thumbnail.url) for url in requests)
    assert elsewhere(requests) == []
    assert page.locator("iframe").count() == 0
    watch.assert_clean()


def test_a_click_builds_the_youtube_player_from_the_nocookie_address(embeds, recorded):
    page, _watch, requests = recorded
    page.goto(embeds["url"])
    page.get_by_role("button", name="Load content from YouTube").click()
    iframe = page.locator("iframe.embed-card-player")
    expect(iframe).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ")
    expect(page.get_by_role("button", name="Load content from YouTube")).to_have_count(0)
    page.wait_for_timeout(300)
    assert elsewhere(requests) == ["https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"]
    # The other card is still only a card: one click loads one provider.
    expect(page.get_by_role("button", name="Load content from Bluesky")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []  # frame-src lets the player in


def test_a_click_on_a_script_provider_adds_its_widget_and_script_only_then(embeds, recorded):
    page, _watch, requests = recorded
    page.goto(embeds["url"])
    page.wait_for_load_state("networkidle")
    assert elsewhere(requests) == []
    page.get_by_role("button", name="Load content from Bluesky").click()
    quote = page.locator("blockquote.bluesky-embed")
    expect(quote).to_have_count(1)
    assert quote.get_attribute("data-bluesky-uri").startswith("at://did:plc:")
    expect(page.locator('script[src="https://embed.bsky.app/static/embed.js"]')).to_have_count(1)
    page.wait_for_timeout(300)
    assert elsewhere(requests) == ["https://embed.bsky.app/static/embed.js"]
    assert page.evaluate("window.__cspViolations") == []  # script-src lets the widget script in
    assert page.locator("iframe").count() == 0  # the YouTube card was not touched


def test_without_javascript_a_card_is_a_plain_link_to_the_original(embeds, new_page):
    page, watch = new_page(java_script_enabled=False)
    page.goto(embeds["url"])
    link = page.get_by_role("link", name=embeds["video"].title)
    expect(link).to_have_attribute("href", embeds["video"].url)
    expect(page.get_by_role("button", name="Load content from YouTube")).to_be_hidden()
    watch.assert_clean()


def test_the_cards_are_valid_html(embeds, tmp_path, tools_for_checkers, java):
    with urllib.request.urlopen(embeds["url"], timeout=30) as response:
        page = tmp_path / "embeds.html"
        page.write_bytes(response.read())
    checked = subprocess.run(
        [java, "-jar", str(tools_for_checkers["vnu"]), "--format", "json", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") in {"fatal", "warning"}
    ]
    assert problems == []
