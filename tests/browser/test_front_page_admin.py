"""The desk arranges the home page in a real Chromium: reorder by keyboard and by drag, pin, publish."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EDITOR, log_in, staff

pytestmark = pytest.mark.browser


def headings(page):
    return page.locator("main h2").all_inner_texts()


def test_an_editor_reorders_containers_by_keyboard_and_drag_publishes_and_readers_see_it(
    site, newsroom, new_page
):
    from articles.models import Container, FrontPage, Source

    staff(EDITOR, "editor")
    home = FrontPage.objects.home()
    for position, section in enumerate([newsroom["culture"], newsroom["world"]], start=1):
        Container.objects.create(
            front=home, position=position, source=Source.SECTION, section=section, size=1
        )
    Container.objects.create(front=home, position=3, source=Source.LATEST, size=1)

    page, watch = new_page("desktop")
    log_in(page, site, "editor")
    page.goto(f"{site}/admin/articles/frontpage/{home.pk}/change/")
    expect(page.get_by_text("Never published")).to_be_visible()
    rows = page.locator("#containers-group tr.form-row.has_original")
    expect(rows).to_have_count(3)

    # Keyboard: World's "Move up" button puts it first.
    rows.nth(1).get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    expect(rows.nth(0)).to_contain_text("World")
    # Drag: Latest's handle dropped on the first row puts it on top.
    rows.nth(2).locator(".sort-handle").drag_to(rows.nth(0))
    expect(rows.nth(0)).to_contain_text("Latest")
    positions = page.locator("#containers-group tr.has_original input[name$='-position']")
    assert positions.evaluate_all("inputs => inputs.map(input => input.value)") == ["1", "2", "3"]

    page.get_by_label("Note for the history").fill("Morning order")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Published")
    expect(page.get_by_text("The working copy is what readers see.")).to_be_visible()
    watch.assert_clean()
    order = [(c.source, c.section.name if c.section else "") for c in home.containers.all()]
    assert order == [(Source.LATEST, ""), (Source.SECTION, "World"), (Source.SECTION, "Culture")]

    reader, reader_watch = new_page("phone")
    reader.goto(f"{site}/")
    assert headings(reader)[:3] == ["Latest", "World", "Culture"]
    reader_watch.assert_clean()
