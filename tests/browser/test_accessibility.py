"""axe-core inside Chromium: no serious or critical violation on the public pages, in light and dark mode."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import public_pages

pytestmark = pytest.mark.browser

CHECKED = ["home", "section", "article", "search", "tag", "author", "site page"]

RUN_AXE = """async () => {
    // target-size (WCAG 2.2 AA, 24 px touch targets) is off in axe by default; Lighthouse checks it.
    const { violations } = await axe.run(document, {
        resultTypes: ["violations"],
        rules: { "target-size": { enabled: true } },
    });
    return violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(", ")}`);
}"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_public_pages_have_no_serious_accessibility_violations(
    color_scheme, site, newsroom, new_page, tools_for_checkers
):
    page, _ = new_page("desktop", color_scheme)
    # An init script is not subject to the page's CSP, which rightly refuses injected <script> elements.
    page.context.add_init_script(path=tools_for_checkers["axe"])
    pages = {**public_pages(newsroom), "page not found": "/no-such-page/"}
    found = {}
    for name in [*CHECKED, "page not found"]:
        page.goto(f"{site}{pages[name]}")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", color_scheme)
        if name == "article":
            expect(page.locator(".comment")).to_have_count(2)
            expect(page.get_by_role("button", name="Post comment")).to_be_visible()
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[name] = violations
    assert found == {}, "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_long_thread_keeps_every_link_a_comfortable_touch_target(
    viewport, site, newsroom, new_page, tools_for_checkers
):
    """Reply, Report and each comment's time link stay 24 px targets, or keep their distance, all down a
    long thread (off-screen rendering tricks such as content-visibility make axe and Lighthouse see them
    as obscured)."""
    from tests.factories import CommentFactory

    article, parent = newsroom["article"], newsroom["first_comment"]
    for number in range(24):  # replies in threads three deep, as on a busy story
        parent = CommentFactory(
            article=article, parent=parent if number % 3 else None, name=f"Reader {number}"
        )
    page, _ = new_page(viewport)
    page.context.add_init_script(path=tools_for_checkers["axe"])
    page.goto(f"{site}{article.get_absolute_url()}")
    expect(page.locator(".comment")).to_have_count(26)
    failures = page.evaluate(
        """async () => {
            const { violations } = await axe.run("#comments", { runOnly: ["target-size"] });
            return violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`));
        }"""
    )
    assert failures == []
