"""The home page as readers see it: on a phone the stories after the lead are compact rows (the page stays
short), and every layout passes axe at phone and desktop widths, in light and dark mode."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.reading import count_read
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.browser

# Every violation, whatever its impact (test_accessibility.py fails on serious and critical ones only).
RUN_AXE = """async () => {
    const { violations } = await axe.run(document, {
        resultTypes: ["violations"],
        rules: { "target-size": { enabled: true } },
    });
    return violations.map(
        (v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(", ")}`
    );
}"""

# The stories of `front` on a 375 px phone, as one full-width card each (a 16:9 picture, headline, dek,
# meta), the design before compact rows: 10,772 px. Compact rows after the lead keep it to half.
PHONE_HEIGHT_BOUND = 10_772 // 2


@pytest.fixture
def front(site):
    sections = [
        SectionFactory(name=name, slug=name.lower(), position=position)
        for position, name in enumerate(["World", "Politics", "Business", "Science", "Culture"])
    ]
    ai = ImageFactory(
        title="Harbour at dawn",
        alt_text="A harbour at dawn",
        credit="People News",
        source_type="trainedAlgorithmicMedia",
        ai_system="Imagen",
    )
    stories = []
    for number in range(24):
        image = None if number % 7 == 3 else ai if number % 5 == 0 else ImageFactory(credit="Elena Marsh")
        stories.append(
            ArticleFactory(
                section=sections[number % len(sections)],
                headline=f"Ferry crews and night shifts: harbour story number {number} of the week",
                slug=f"story-{number}",
                kicker="" if number % 3 else "Harbour",
                dek="A sentence that says what happened and why it matters to the town.",
                lead_image=image,
                featured=number == 0,
                publish_at=timezone.now() - timedelta(hours=number + 1),
            )
        )
    # Older opinion pieces, outside the navigation: more than the latest block takes.
    opinion = SectionFactory(name="Opinion", slug="opinion", in_navigation=False)
    older = [
        ArticleFactory(
            section=opinion,
            slug=f"opinion-{number}",
            publish_at=timezone.now() - timedelta(days=2, hours=number),
        )
        for number in range(8)
    ]
    for story in stories[:8]:  # most read: the page already shows these, so only the oldest piece is listed
        count_read(story.pk)
    count_read(older[-1].pk)
    return stories


def test_phone_home_is_compact_rows_after_the_lead_and_stays_short(site, front, new_page):
    page, watch = new_page("phone")
    page.goto(f"{site}/")
    cards = page.locator("article.story")
    expect(cards.first).to_be_visible()
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll("article.story"), (card) => {
            const media = card.querySelector(".story-media").getBoundingClientRect();
            return { card: card.getBoundingClientRect().height, width: media.width, height: media.height };
        })"""
    )
    lead, *rest = boxes
    assert lead["width"] > 300, "the lead's picture spans the phone's width"
    assert len(rest) >= 20
    for box in rest:
        assert 90 <= box["width"] <= 100, box  # a ~96 px square thumbnail
        assert abs(box["width"] - box["height"]) < 1, box
        assert box["card"] < 200, box
    # The front's own height: the masthead and footer (sign-in link, newsletter form) are not its stories.
    height = page.evaluate("document.querySelector('.front').getBoundingClientRect().height")
    assert height < PHONE_HEIGHT_BOUND, height
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing sticks out sideways
    watch.assert_clean()


def test_desktop_home_never_leaves_an_empty_column(site, front, new_page):
    page, watch = new_page("desktop")
    page.goto(f"{site}/")
    expect(page.locator("article.story").first).to_be_visible()
    # In each row of equal cards, the cards share the row's width between them, edge to edge.
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll(".front-row-cards"), (row) => {
            const box = row.getBoundingClientRect();
            const cards = Array.from(row.children, (card) => card.getBoundingClientRect());
            return { left: box.left, right: box.right, first: cards[0].left, last: cards.at(-1).right };
        })"""
    )
    assert rows
    for row in rows:
        assert abs(row["first"] - row["left"]) < 1, row
        assert abs(row["last"] - row["right"]) < 1, row
    watch.assert_clean()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_home_has_no_serious_accessibility_violations(
    viewport, color_scheme, site, front, new_page, tools_for_checkers
):
    page, _ = new_page(viewport, color_scheme)
    page.context.add_init_script(path=tools_for_checkers["axe"])
    page.goto(f"{site}/")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", color_scheme)
    expect(page.locator(".most-read-list")).to_be_visible()
    assert page.evaluate(RUN_AXE) == []
