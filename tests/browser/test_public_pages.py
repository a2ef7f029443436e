"""Every public page in a real browser: no console error, no CSP violation; colour modes, print, phones, keyboard."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import public_pages

pytestmark = pytest.mark.browser


def test_public_pages_load_without_console_errors_or_csp_violations(site, newsroom, new_page):
    for viewport, scheme in (("desktop", "light"), ("phone", "dark")):
        page, watch = new_page(viewport, scheme)
        for name, path in public_pages(newsroom).items():
            response = page.goto(f"{site}{path}")
            assert response.status == 200, f"{name}: {path} answered {response.status}"
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            watch.assert_clean()
        response = page.goto(f"{site}/no-such-page/")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        assert page.evaluate("window.__cspViolations") == []


def test_colour_mode_follows_the_system_setting_live(site, newsroom, new_page):
    page, watch = new_page("desktop", "dark")
    page.goto(f"{site}{newsroom['article'].get_absolute_url()}")
    html = page.locator("html")
    expect(html).to_have_attribute("data-bs-theme", "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(24, 26, 29)"
    page.emulate_media(color_scheme="light")  # the reader switches their system to light: no reload needed
    expect(html).to_have_attribute("data-bs-theme", "light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    watch.assert_clean()


def test_printed_article_is_the_story_alone_with_its_address(site, newsroom, new_page):
    article = newsroom["article"]
    page, _ = new_page("desktop", "dark")
    page.goto(f"{site}{article.get_absolute_url()}")
    page.emulate_media(media="print")
    for furniture in (".site-header", ".site-footer", "#comments", ".related", ".article-tags"):
        expect(page.locator(furniture)).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.headline)
    expect(page.locator(".article-figure:not(.body-figure) figcaption")).to_contain_text(
        "(People News/AI-generated image)"
    )
    expect(page.locator(".print-url")).to_have_text(f"{site}{article.get_absolute_url()}")
    # Paper is white whatever the screen's colour mode: black text on no background.
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def test_navigation_works_on_a_320px_phone(site, newsroom, new_page):
    page, watch = new_page({"width": 320, "height": 640})
    page.goto(f"{site}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing sticks out sideways
    nav = page.get_by_role("navigation", name="Sections")
    for section in (newsroom["culture"], newsroom["world"]):
        nav.get_by_role("link", name=section.name).click()  # scrolled into view if need be
        expect(page).to_have_url(f"{site}{section.get_absolute_url()}")
        expect(nav.get_by_role("link", name=section.name)).to_have_attribute("aria-current", "page")
    page.locator(".site-header").get_by_role("link", name="Search").click()
    expect(page.get_by_label("Search for")).to_be_visible()
    watch.assert_clean()


def test_keyboard_focus_is_always_visible(site, newsroom, new_page):
    page, _ = new_page("desktop")
    page.goto(f"{site}{newsroom['article'].get_absolute_url()}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    for _ in range(6):  # the skip link, the masthead, the search form, the sections
        style, width, element = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth), document.activeElement.outerHTML]; })()"
        )
        assert style == "solid", element
        assert width >= 2, element
        page.keyboard.press("Tab")
    skip.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}{newsroom['article'].get_absolute_url()}#main")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_body_gallery_scrolls_by_keyboard_snaps_and_never_widens_the_page(
    site, newsroom, new_page, viewport
):
    page, watch = new_page(viewport, "light")
    page.goto(f"{site}{newsroom['article'].get_absolute_url()}")
    gallery = page.get_by_role("region", name="Gallery 1, 3 pictures: scroll sideways or use the arrow keys")
    expect(gallery.get_by_role("listitem")).to_have_count(3)
    assert gallery.evaluate("element => getComputedStyle(element).scrollSnapType") == "x mandatory"
    gallery.focus()
    expect(gallery).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("element => element.scrollLeft > 0", arg=gallery.element_handle())
    for image in gallery.get_by_role("img").all():
        assert image.get_attribute("loading") == "lazy"
    # Wide pictures break out of the column, but never out of the window.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator(".body-figure-wide figcaption")).to_contain_text("(Elena Marsh)")
    watch.assert_clean()
