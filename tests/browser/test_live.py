"""Live coverage in Chromium: a journalist posts from the live desk, an open reader's page offers the update
within the poll interval without moving the text, and shows it on a click; the page is accessible and valid."""

import json
import subprocess

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import JOURNALIST, log_in, staff
from tests.browser.test_accessibility import RUN_AXE
from tests.factories import ArticleFactory, ImageFactory, LiveUpdateFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def live_story(site, newsroom, settings):
    settings.NEWSMAG_LIVE_POLL_SECONDS = 1  # the page's poll interval (data-live-interval), for the test
    journalist = staff(JOURNALIST, "maria", first_name="Maria", last_name="Keller")
    newsroom["maria"].user = journalist
    newsroom["maria"].save()
    story = ArticleFactory(
        section=newsroom["world"],
        headline="Storm over the coast",
        slug="storm-live",
        live_coverage=Article.LiveCoverage.LIVE,
        live_summary="<ul><li>Gusts of 130 km/h</li><li>Ferries halted</li></ul>",
        created_by=journalist,
        authors=[newsroom["maria"]],
    )
    picture = ImageFactory(title="Flooded square", alt_text="Water over a town square", caption="The square.")
    LiveUpdateFactory(
        article=story,
        author=newsroom["maria"],
        headline="Warning raised",
        key_event=True,
        body=f'<p>The warning is red.</p><figure data-image="{picture.pk}"></figure>',
    )
    return story


def test_a_posted_update_reaches_an_open_readers_page_as_a_button_and_shows_on_a_click(
    site, live_story, new_page
):
    reader, watch = new_page("desktop")
    reader.goto(f"{site}{live_story.get_absolute_url()}")
    updates = reader.locator("#live-stream > .live-update")
    expect(updates).to_have_count(1)
    expect(reader.locator(".live-badge")).to_be_visible()
    reading = updates.first.bounding_box()["y"]

    desk, desk_watch = new_page("desktop")
    log_in(desk, site, "maria")
    desk.goto(f"{site}/admin/articles/article/{live_story.pk}/live/")
    desk.get_by_label("Headline").fill("Bridge closed")
    desk.locator(".field-body [contenteditable='true']").click()
    desk.keyboard.type("The harbour bridge is shut until the wind drops.")
    desk.get_by_label("Key event").check()
    desk.get_by_role("button", name="Post update").click()
    expect(desk.locator(".messagelist")).to_contain_text("Update posted.")

    # Within the poll interval (1 s here, with jitter), the page offers it, and moves nothing by itself.
    offer = reader.get_by_role("button", name="1 new update")
    expect(offer).to_be_visible(timeout=6_000)
    expect(updates).to_have_count(1)
    assert updates.first.bounding_box()["y"] == reading  # the offer floats: no line moved
    offer.click()
    expect(updates).to_have_count(2)
    expect(updates.first).to_contain_text("Bridge closed")
    expect(updates.first).to_contain_text("The harbour bridge is shut until the wind drops.")
    expect(reader.locator("#live-key-events")).to_contain_text("Bridge closed")
    expect(offer).to_be_hidden()

    # The story's journalist ends the coverage: the open page says so and stops asking.
    desk.get_by_role("button", name="End coverage").click()
    expect(desk.locator(".messagelist")).to_contain_text("The live coverage has ended.")
    expect(reader.locator("#live-status")).to_have_text("This live coverage has ended.", timeout=6_000)
    asked = []
    reader.on("request", lambda request: "/live/" in request.url and asked.append(request.url))
    reader.wait_for_timeout(3_000)
    assert asked == []
    watch.assert_clean()
    desk_watch.assert_clean()  # the live desk's body editor runs under the admin's CSP


def test_the_live_page_is_accessible_and_valid_html(
    site, live_story, new_page, tools_for_checkers, java, tmp_path
):
    page, watch = new_page("phone")
    page.context.add_init_script(path=tools_for_checkers["axe"])
    page.goto(f"{site}{live_story.get_absolute_url()}")
    expect(page.locator("#live-stream > .live-update")).to_have_count(1)
    assert page.evaluate(RUN_AXE) == []
    html = tmp_path / "live.html"
    html.write_text(page.request.get(f"{site}{live_story.get_absolute_url()}").text())
    checked = subprocess.run(
        [java, "-jar", str(tools_for_checkers["vnu"]), "--format", "json", str(html)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    problems = [m for m in messages if m["type"] == "error" or m.get("subType") in {"fatal", "warning"}]
    assert problems == []
    watch.assert_clean()
