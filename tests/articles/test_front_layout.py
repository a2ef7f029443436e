"""The front page's design at any amount of content: blocks adapt to their number of stories, a story is
linked once, every card carries one label and one date, and no row mixes image and text cards."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from lxml import html as lxml_html

from articles.front_layout import MAX_COLUMNS, block_rows
from articles.fronts import Block
from articles.models.fronts import Layout, Source
from articles.reading import count_read
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

# Rows and cards ---------------------------------------------------------------------------------------------


def rows_for(layout, count, first_on_page=False):
    block = Block("b", "Title", "", layout, Source.TOP, [f"story {n}" for n in range(count)])
    return block_rows(block, first_on_page=first_on_page)


def shape(rows):
    return [(row.kind, [card.variant for card in row.cards]) for row in rows]


@pytest.mark.parametrize("layout", Layout.values)
def test_one_story_is_one_wide_card_in_every_layout(layout):
    assert shape(rows_for(layout, 1)) == [("wide", ["wide"])]


@pytest.mark.parametrize("layout", [Layout.LEAD, Layout.ROW, Layout.GRID, Layout.WIDE])
def test_two_stories_are_two_halves(layout):
    rows = rows_for(layout, 2)
    assert shape(rows) == [("cards", ["standard", "standard"])]
    assert rows[0].columns == 2


def test_a_list_of_two_is_two_compact_rows_side_by_side():
    assert shape(rows_for(Layout.LIST, 2)) == [("list", ["compact", "compact"])]


def test_three_or_more_fill_the_layout():
    assert shape(rows_for(Layout.LEAD, 3)) == [("lead", ["large", "standard", "standard"])]
    assert shape(rows_for(Layout.ROW, 4)) == [("feature", ["large", "side", "side", "side"])]
    assert shape(rows_for(Layout.ROW, 3)) == [("feature", ["large", "side", "side"])]
    assert shape(rows_for(Layout.GRID, 4)) == [("cards", ["standard"] * 4)]
    assert shape(rows_for(Layout.GRID, 3)) == [("cards", ["standard"] * 3)]
    assert shape(rows_for(Layout.LIST, 6)) == [("list", ["compact"] * 6)]


def test_stories_beyond_the_layout_follow_in_balanced_rows():
    assert [len(row.cards) for row in rows_for(Layout.GRID, 5)] == [3, 2]
    assert [len(row.cards) for row in rows_for(Layout.GRID, 9)] == [3, 3, 3]
    assert shape(rows_for(Layout.LEAD, 4))[1] == ("wide", ["wide"])
    assert shape(rows_for(Layout.WIDE, 3)) == [("wide", ["wide"]), ("cards", ["standard", "standard"])]


@pytest.mark.parametrize("layout", Layout.values)
@pytest.mark.parametrize("count", range(1, 14))
def test_no_block_leaves_a_column_empty_or_loses_a_story(layout, count):
    rows = rows_for(layout, count)
    assert [card.article for row in rows for card in row.cards] == [f"story {n}" for n in range(count)]
    for row in rows:
        if row.kind == "cards":
            assert 2 <= len(row.cards) <= MAX_COLUMNS  # a row of equal cards is never a lone card
        if row.kind == "wide":
            assert len(row.cards) == 1


def test_only_the_pages_first_story_is_its_top_story():
    first = rows_for(Layout.LEAD, 3, first_on_page=True)
    assert [card.top for card in first[0].cards] == [True, False, False]
    assert first[0].cards[0].sizes.endswith("100vw")  # large on phones too
    assert not any(card.top for row in rows_for(Layout.GRID, 4) for card in row.cards)
    assert all(card.sizes.endswith("96px") for card in rows_for(Layout.GRID, 4)[0].cards)  # phone: thumbnail


# The home page with overlapping content -----------------------------------------------------------------------


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def crowded_home(db):
    """Stories that several rules want at once: the featured story is also the newest of World and the most
    read; World has more stories than top stories take; one section has two left, one a single story."""
    world = SectionFactory(name="World", slug="world", position=1)
    culture = SectionFactory(name="Culture", slug="culture", position=2)
    science = SectionFactory(name="Science", slug="science", position=3)
    business = SectionFactory(name="Business", slug="business", position=4)
    opinion = SectionFactory(name="Opinion", slug="opinion", position=5, in_navigation=False)
    ai = ImageFactory(credit="People News", source_type="trainedAlgorithmicMedia")
    photo = ImageFactory(credit="People News", creator="Jane Doe")

    def story(section, hours, image=photo, **fields):
        return ArticleFactory(section=section, publish_at=hours_ago(hours), lead_image=image, **fields)

    stories = {
        "lead": story(world, 1, image=ai, featured=True, kicker="Harbour"),
        "world": [story(world, hours, kicker="") for hours in range(2, 10)],
        "culture": [story(culture, 10, image=None), *(story(culture, hours) for hours in range(11, 14))],
        "science": story(science, 20),
        "business": [story(business, 21, image=None), *(story(business, hours) for hours in range(22, 27))],
        "opinion": [story(opinion, hours) for hours in range(30, 36)],
    }
    # Most read: the lead (shown above, so left out there) and an opinion piece no block shows.
    for _ in range(3):
        count_read(stories["lead"].pk)
    count_read(stories["opinion"][-1].pk)
    return stories


def home_tree(client):
    response = client.get("/")
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def cls(name):
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def test_the_home_page_links_each_story_once(client, crowded_home):
    tree = home_tree(client)
    story_urls = {
        a.get_absolute_url()
        for value in crowded_home.values()
        for a in (value if isinstance(value, list) else [value])
    }
    hrefs = [href for href in tree.xpath("//a/@href") if href in story_urls]
    assert hrefs, "the page shows stories"
    assert sorted(hrefs) == sorted(set(hrefs)), "a story linked twice"
    # Every card is one link: the headline's, stretched over the picture.
    for card in tree.xpath(f"//article[{cls('story')}]"):
        assert len(card.xpath(".//a")) == 1
        assert card.xpath(f".//a[{cls('stretched-link')}]")
    # Most read leaves out the lead it would otherwise repeat, and shows the unshown opinion piece.
    most_read = tree.xpath("//ol[contains(@class, 'most-read-list')]//a/@href")
    assert most_read == [crowded_home["opinion"][-1].get_absolute_url()]


def test_every_card_has_one_label_one_date_and_a_picture_slot(client, crowded_home):
    tree = home_tree(client)
    cards = tree.xpath(f"//article[{cls('story')}]")
    assert len(cards) >= 20
    for card in cards:
        assert len(card.xpath(f".//*[{cls('story-label')}]")) == 1
        assert not card.xpath(f".//*[{cls('kicker')}]")
        assert len(card.xpath(".//time")) == 1
        # A picture or a placeholder of the same slot: no row mixes image and text cards.
        media = card.xpath(f"./div[{cls('story-media')}]")
        assert len(media) == 1
        assert media[0].xpath(".//img") or "story-placeholder" in media[0].get("class")
    labels = {card.xpath(f"string(.//*[{cls('story-label')}])") for card in cards}
    assert "Harbour" in labels  # the kicker when set
    assert "World" in labels  # else the section


def test_no_row_mixes_image_and_text_cards(client, crowded_home):
    tree = home_tree(client)
    rows = tree.xpath(f"//div[{cls('front-row')}]")
    assert rows
    for row in rows:
        cards = row.xpath(f".//article[{cls('story')}]")
        with_slot = [card for card in cards if card.xpath(f"./div[{cls('story-media')}]")]
        assert with_slot == cards
    # The stories without a picture show the placeholder, not a text card.
    placeholders = tree.xpath(f"//div[{cls('story-placeholder')}]")
    assert len(placeholders) == 2


def test_small_blocks_use_the_filling_layouts(client, crowded_home):
    tree = home_tree(client)

    def block(key):
        [section] = tree.xpath(f"//section[@aria-labelledby='block-{key}']")
        return section

    world = block("section-world")  # two left after the lead and top stories: two halves
    assert [row.get("class") for row in world.xpath(f".//div[{cls('front-row')}]")] == [
        "front-row front-row-cards front-cols-2"
    ]
    assert len(world.xpath(f".//article[{cls('story-standard')}]")) == 2
    science = block("section-science")  # a single story: one wide card
    assert len(science.xpath(f".//article[{cls('story-wide')}]")) == 1
    assert len(science.xpath(f".//article[{cls('story')}]")) == 1
    culture = block("section-culture")  # four: one large and three beside it
    assert len(culture.xpath(f".//article[{cls('story-large')}]")) == 1
    assert len(culture.xpath(f".//article[{cls('story-side')}]")) == 3
    # Headings link to their section.
    assert science.xpath("string(.//h2/a/@href)") == crowded_home["science"].section.get_absolute_url()


def test_cards_keep_the_ai_disclosure_as_text_and_the_credit_quiet(client, crowded_home):
    tree = home_tree(client)
    lead = crowded_home["lead"].get_absolute_url()
    [lead_card] = tree.xpath(f"//article[{cls('story')}][.//a[@href='{lead}']]")
    assert lead_card.xpath(f"string(.//*[{cls('image-credit-ai')}])") == "People News/AI-generated image"
    assert "story-top" in lead_card.get("class")
    # A photo's credit is there, without the brackets of a caption.
    credits = tree.xpath(f"//p[{cls('story-credit')}]/span/text()")
    assert "Jane Doe/People News" in credits


# A section's lead ---------------------------------------------------------------------------------------------


def test_section_page_shows_its_lead_above_the_list(db, crowded_home):
    lead = crowded_home["science"]
    request = RequestFactory().get(lead.section.get_absolute_url())
    page = render_to_string(
        "articles/section_detail.html",
        {"section": lead.section, "lead": lead, "articles": []},
        request=request,
    )
    tree = lxml_html.fromstring(page)
    [card] = tree.xpath(f"//section[{cls('section-lead')}]/article[{cls('story')}]")
    assert card.xpath("string(.//h2/a/@href)") == lead.get_absolute_url()
    assert "story-top" in card.get("class")
    without = render_to_string(
        "articles/section_detail.html",
        {"section": lead.section, "lead": None, "articles": []},
        request=request,
    )
    assert "section-lead" not in without
