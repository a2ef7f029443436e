"""Breaking news in a real Chromium: an editor flags a story in the admin, and a reader whose page is
already open gets the banner on the next page they open, and loses it once the editor ends it."""

import pytest
from playwright.sync_api import expect

from articles.models import NewsAlert
from tests.browser.conftest import EDITOR, log_in, staff
from tests.browser.test_journeys import cached_site  # noqa: F401 (fixture: the page cache on, as in production)
from tests.factories import NewsAlertFactory

pytestmark = pytest.mark.browser

TEXT = "Harbour closed: the storm reaches the coast"


def test_an_editor_flags_a_story_and_the_readers_next_page_shows_the_banner(cached_site, newsroom, new_page):  # noqa: F811
    site, article = cached_site, newsroom["article"]
    NewsAlert.objects.all().delete()  # the newsroom's own banner: this story starts without one
    staff(EDITOR, "editor")

    reader, watch = new_page("phone")
    reader.goto(f"{site}/")
    expect(reader.locator(".breaking-news")).to_have_count(0)
    reader.goto(f"{site}/")
    expect(reader.locator(".breaking-news")).to_have_count(0)  # and kept so, from the page cache

    desk, _ = new_page("desktop")
    log_in(desk, site, "editor")
    desk.goto(f"{site}/admin/articles/article/{article.pk}/change/")
    desk.get_by_role("link", name="Flag as breaking").click()
    expect(desk.locator(".field-article .select2-selection")).to_contain_text(article.headline)
    desk.get_by_label("Text").fill(TEXT)
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")

    reader.get_by_role("link", name="World").first.click()  # the reader's next page, whichever it is
    region = reader.get_by_role("region", name="News alert")
    expect(region).to_be_visible()
    expect(region).to_contain_text("Breaking")
    box = region.bounding_box()
    assert box["height"] <= 64, f"the banner takes {box['height']} px of a phone's screen"
    region.get_by_role("link", name=TEXT).click()
    expect(reader).to_have_url(f"{site}{article.get_absolute_url()}")
    expect(reader.get_by_role("region", name="News alert")).to_be_visible()

    desk.goto(f"{site}/admin/articles/newsalert/")
    desk.get_by_role("link", name=TEXT).click()
    desk.get_by_role("button", name="End now").click()
    expect(desk.locator(".messagelist")).to_contain_text("has ended")

    reader.goto(f"{site}/")
    expect(reader.locator(".breaking-news")).to_have_count(0)
    watch.assert_clean()


# Records how each banner was styled the moment the parser inserted it: before any later script could act.
BANNER_AS_PARSED = """
    window.__bannerDisplay = [];
    new MutationObserver((changes) => {
        for (const change of changes) {
            for (const node of change.addedNodes) {
                if (node.classList && node.classList.contains("breaking-news")) {
                    window.__bannerDisplay.push(getComputedStyle(node).display);
                }
            }
        }
    }).observe(document, { childList: true, subtree: true });
"""


def test_a_reader_hides_the_banner_and_later_pages_never_paint_it_until_a_new_alert(
    cached_site,  # noqa: F811
    newsroom,
    new_page,
):
    site, article = cached_site, newsroom["article"]
    reader, watch = new_page("phone")
    reader.context.add_init_script(BANNER_AS_PARSED)
    reader.goto(f"{site}/")
    region = reader.get_by_role("region", name="News alert")
    expect(region).to_be_visible()
    region.get_by_role("button", name="Hide this alert").click()
    expect(region).to_be_hidden()
    expect(reader.locator("#main")).to_be_focused()  # keyboard focus does not fall off the page

    reader.goto(f"{site}{article.get_absolute_url()}")
    expect(reader.locator(".breaking-news")).to_have_count(1)  # in the page (cached for every reader)...
    expect(reader.locator(".breaking-news")).to_be_hidden()
    assert reader.evaluate("window.__bannerDisplay") == ["none"]  # ...and never painted: no layout shift
    # Remembered without a cookie (the only one is the comment form's CSRF token, fetched by the page).
    assert {cookie["name"] for cookie in reader.context.cookies()} <= {"csrftoken"}

    NewsAlertFactory(text="A newer alert the reader has not hidden")
    reader.goto(f"{site}/")
    expect(reader.get_by_role("region", name="News alert")).to_contain_text("A newer alert")
    reader.evaluate("localStorage.setItem('newsmag:hidden-alerts', '{garbled')")
    reader.reload()
    expect(reader.get_by_role("region", name="News alert")).to_be_visible()
    watch.assert_clean()
