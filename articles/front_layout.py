"""How a front block's stories fill the page: rows of cards that adapt to how many stories there are.

The desk picks a layout per block (articles.models.fronts.Layout); the number of stories is whatever the
block holds after deduplication, so the layout adapts and never leaves a column empty:
one story is a wide horizontal card, two are halves, three or more fill the layout, and stories beyond
the layout's slots follow in balanced rows (9 in rows of four are 3 + 3 + 3, not 4 + 4 + 1).

Every card has an image slot of the same shape; a story without a lead image shows a typographic
placeholder there (templates/includes/story_card.html), so a row never mixes image and text cards.
On phones (static/css/site.css) every card but the page's first story is a compact row.
"""

from dataclasses import dataclass
from math import ceil

from articles.models.fronts import Layout

MAX_COLUMNS = 4  # the widest row of equal cards

# <img sizes> per card variant: the width the picture is shown at, so a phone fetches a thumbnail's worth.
THUMBNAIL = "96px"
SIZES = {
    "top": "(min-width: 992px) 64vw, 100vw",  # the page's first story, large
    "top-wide": "(min-width: 768px) 58vw, 100vw",  # the page's first story, alone in its block
    "large": "(min-width: 992px) 64vw, (min-width: 768px) 100vw, " + THUMBNAIL,
    "wide": "(min-width: 768px) 33vw, " + THUMBNAIL,
    "side": "(min-width: 768px) 18vw, " + THUMBNAIL,
    "compact": THUMBNAIL,  # a compact row keeps its thumbnail at every width
    "result": "(min-width: 768px) 12rem, " + THUMBNAIL,  # a search result: a row with a larger thumbnail
}


@dataclass(frozen=True)
class Card:
    article: object
    # large, wide, standard, side (beside a large one), compact (a row with a thumbnail), result (search)
    variant: str
    sizes: str
    top: bool = False  # the page's first story: large on phones too, its picture fetched first
    snippet: str = ""  # a search result's highlighted excerpt (articles.search.ranked())


@dataclass(frozen=True)
class Row:
    kind: str  # lead (large + two beside), feature (large + up to three beside), wide, cards, list
    cards: list

    @property
    def columns(self):
        return len(self.cards) if self.kind == "cards" else 1

    @property
    def beside(self):
        """The cards beside the first, shown as one column: lead and feature rows."""
        return self.cards[1:] if self.kind in {"lead", "feature"} else []


def block_rows(block, *, first_on_page=False):
    """The rows a block shows, each a list of Cards. `first_on_page`: the block opens the page."""
    stories = list(block.articles)
    if not stories:
        return []
    top = first_on_page

    def card(article, variant, sizes=None):
        nonlocal top
        if top:
            sizes = SIZES["top-wide" if variant == "wide" else "top"]
        made = Card(article, variant, sizes or SIZES[variant], top)
        top = False
        return made

    if len(stories) == 1:
        return [Row("wide", [card(stories[0], "wide")])]
    if block.layout == Layout.LIST:
        return [Row("list", [card(article, "compact") for article in stories])]
    if len(stories) == 2:
        return equal_rows(stories, card)
    rows, rest = [], stories
    if block.layout == Layout.LEAD:
        first, beside, rest = stories[0], stories[1:3], stories[3:]
        rows.append(
            Row("lead", [card(first, "large"), *(card(a, "standard", standard_sizes(3, 2)) for a in beside)])
        )
    elif block.layout == Layout.ROW:
        first, beside, rest = stories[0], stories[1:4], stories[4:]
        rows.append(Row("feature", [card(first, "large"), *(card(a, "side") for a in beside)]))
    elif block.layout == Layout.WIDE:
        rows.append(Row("wide", [card(stories[0], "wide")]))
        rest = stories[1:]
    if len(rest) == 1:
        rows.append(Row("wide", [card(rest[0], "wide")]))
    elif rest:
        rows.extend(equal_rows(rest, card))
    return rows


def equal_rows(stories, card):
    """Rows of equal cards, as few rows as MAX_COLUMNS allows, balanced (no short last row)."""
    count = ceil(len(stories) / MAX_COLUMNS)
    base, extra = divmod(len(stories), count)
    rows, start = [], 0
    for number in range(count):
        size = base + (number < extra)
        chunk = stories[start : start + size]
        start += size
        rows.append(Row("cards", [card(article, "standard", standard_sizes(size)) for article in chunk]))
    return rows


def standard_sizes(columns, tablet_columns=None):
    """A standard card in a row of `columns` (on tablets a row of four shows as two by two)."""
    tablet_columns = tablet_columns or (2 if columns == 4 else columns)
    return f"(min-width: 992px) {100 // columns}vw, (min-width: 768px) {100 // tablet_columns}vw, {THUMBNAIL}"


def lead_card(article):
    """A page's lead story on its own (a section's lead): wide on desktop, large on phones."""
    return Card(article, "wide", SIZES["top-wide"], top=True)


def result_card(article):
    """A search result: a row with its thumbnail and the highlighted snippet in place of the standfirst."""
    return Card(article, "result", SIZES["result"], snippet=article.snippet or "")
