"""axe-core inside Chromium: no serious or critical violation on the public pages, in light and dark mode."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import public_pages

pytestmark = pytest.mark.browser

CHECKED = ["home", "section", "article", "search", "tag", "author"]

RUN_AXE = """async () => {
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
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
    pages = public_pages(newsroom)
    found = {}
    for name in CHECKED:
        page.goto(f"{site}{pages[name]}")
        expect(page.locator("html")).to_have_attribute("data-bs-theme", color_scheme)
        if name == "article":
            expect(page.locator(".comment")).to_have_count(2)
            expect(page.get_by_role("button", name="Post comment")).to_be_visible()
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[name] = violations
    assert found == {}, "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)
