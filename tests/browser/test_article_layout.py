"""The article page as a publication: the rail beside the text on wide screens and below it on phones, our own
headline font, share links, the masthead's section row on a phone, and nothing fetched from another origin."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import public_pages
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.browser

FONT = "/static/fonts/source-serif-4-latin-700.woff2"


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_the_rail_sits_beside_the_text_on_wide_screens_and_below_the_story_on_phones(
    site, newsroom, new_page
):
    url = f"{site}{newsroom['article'].get_absolute_url()}"
    page, watch = new_page("desktop")
    page.goto(url)
    expect(page.locator(".article-rail").get_by_role("heading", name="Most read")).to_be_visible()
    expect(page.locator(".article-rail").get_by_role("heading", name="Related stories")).to_be_visible()
    text, rail, lead = box(page, ".article-text"), box(page, ".article-rail"), box(page, ".article-lead img")
    assert rail["x"] >= text["x"] + text["width"]  # to the right of the text column
    assert text["y"] <= rail["y"] < text["y"] + 200  # level with the start of the text
    assert lead["width"] > text["width"] + rail["width"]  # the lead picture runs over the text and the rail
    assert 600 <= box(page, ".article-body p")["width"] <= 700  # a comfortable measure
    watch.assert_clean()

    page, watch = new_page("phone")
    page.goto(url)
    article, rail, comments = box(page, "article.article"), box(page, ".article-rail"), box(page, "#comments")
    assert rail["y"] >= article["y"] + article["height"]  # after the story
    assert comments["y"] >= rail["y"] + rail["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    watch.assert_clean()


def test_headlines_are_set_in_our_own_font_file_preloaded_from_our_static(site, newsroom, new_page):
    page, watch = new_page("phone")
    fonts = []
    page.on("response", lambda response: ".woff" in response.url and fonts.append(response))
    page.goto(f"{site}{newsroom['article'].get_absolute_url()}")
    page.evaluate("document.fonts.ready")
    watch.assert_clean()
    assert [(response.url, response.status) for response in fonts] == [(f"{site}{FONT}", 200)]
    assert page.evaluate("""document.fonts.check('700 2rem "Source Serif 4"')""")
    family = page.locator("h1").evaluate("h1 => getComputedStyle(h1).fontFamily")
    assert family.startswith('"Source Serif 4"')
    preload = page.locator('link[rel="preload"][as="font"]')
    expect(preload).to_have_attribute("href", FONT)


def test_no_page_loads_anything_from_another_origin(site, newsroom, new_page):
    requested = []
    for viewport in ("desktop", "phone"):
        page, _ = new_page(viewport)
        page.on("request", lambda request: requested.append(request.url))
        for path in public_pages(newsroom).values():
            page.goto(f"{site}{path}")
            page.wait_for_load_state("load")
    foreign = [url for url in requested if not url.startswith((site, "data:", "blob:"))]
    assert foreign == []
    assert any(url.endswith(FONT) for url in requested)


def test_share_links_work_without_javascript_and_copy_with_it(site, newsroom, new_page):
    url = f"{site}{newsroom['article'].get_absolute_url()}"
    page, _ = new_page("phone", java_script_enabled=False)
    page.goto(url)
    share = page.get_by_role("complementary", name="Share this story")
    email = f"mailto:?subject={quote(newsroom['article'].headline, safe='')}&body={quote(url, safe='')}"
    expect(share.get_by_role("link", name="Email")).to_have_attribute("href", email)
    expect(share.get_by_role("link", name="Copy link")).to_have_attribute("href", url)
    expect(share.get_by_role("button", name="Share…")).to_be_hidden()  # no share sheet without the script
    share.get_by_role("link", name="Copy link").click()
    assert page.url == url  # the link is the story itself, to copy from the address bar

    page, watch = new_page("desktop", permissions=["clipboard-read", "clipboard-write"])
    page.goto(url)
    share = page.get_by_role("complementary", name="Share this story")
    share.get_by_role("link", name="Copy link").click()
    expect(share.locator(".share-status")).to_have_text("Link copied.")  # announced: aria-live
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert page.url == url
    watch.assert_clean()


def test_on_a_phone_the_active_section_tab_is_scrolled_into_view(site, newsroom, new_page):
    for number, name in enumerate(["Opinion", "Technology", "Environment", "Education", "Obituaries"]):
        SectionFactory(name=name, slug=name.lower(), position=10 + number)
    last = SectionFactory(name="Weekend", slug="weekend", position=20)
    story = ArticleFactory(section=last, headline="Markets by the harbour")
    page, watch = new_page("phone")
    page.goto(f"{site}{story.get_absolute_url()}")
    row = page.locator(".section-nav-list")
    assert row.evaluate("row => row.scrollWidth > row.clientWidth")  # the row does overflow
    tab = box(page, ".section-nav-link.active")
    assert tab["x"] >= 0
    assert tab["x"] + tab["width"] <= 375
    assert page.evaluate("window.scrollX") == 0  # the row scrolled, not the page
    watch.assert_clean()


def test_dates_and_comment_counts_do_not_break_across_lines(site, newsroom, new_page):
    page, _ = new_page("phone")
    page.goto(f"{site}{newsroom['article'].get_absolute_url()}")
    for selector in (".masthead-date", ".byline time", ".related .card-meta time"):
        assert page.locator(selector).first.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap", (
            selector
        )
