"""The front page as the desk arranges it: an ordered list of blocks, each a source of stories shown in a
layout.

This module turns an arrangement into `Block`s of published stories, with no story shown twice on a page.
The reader's views and the admin's preview both render `Front.blocks` with templates/articles/home.html.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from articles.models import Article, nav_sections
from articles.models.fronts import Layout, Source


@dataclass
class Block:
    """One container of the page as readers see it."""

    key: str  # stable within the page: anchors and element ids
    title: str  # the heading; "" shows none (the lead)
    url: str  # where the heading links ("" for none)
    layout: str  # a Layout value
    source: str  # a Source value
    articles: list = field(default_factory=list)  # for_listing() stories, deduplicated, cut to size


@dataclass
class Front:
    blocks: list
    shown_ids: set


def home_front() -> Front:
    """The home page when nobody arranged it: the rules (lead, top stories, a row per section, latest)."""
    stories = list(Article.objects.published().for_listing()[:27])
    lead = next((a for a in stories if a.featured), stories[0] if stories else None)
    rest = [a for a in stories if a is not lead]
    blocks = [
        Block("lead", "", "", Layout.LEAD, Source.TOP, [lead, *rest[:2]] if lead else []),
        Block("top", _("Top stories"), "", Layout.GRID, Source.TOP, rest[2:6]),
    ]
    shown = {a.pk for block in blocks for a in block.articles}
    for section in nav_sections():
        picked = [a for a in rest if a.section_id == section.pk and a.pk not in shown][:4]
        shown.update(a.pk for a in picked)
        if picked:
            blocks.append(
                Block(
                    f"section-{section.slug}",
                    section.name,
                    section.get_absolute_url(),
                    Layout.ROW,
                    Source.SECTION,
                    picked,
                )
            )
    latest = [a for a in rest if a.pk not in shown][:6]
    shown.update(a.pk for a in latest)
    blocks.append(Block("latest", _("Latest"), "", Layout.LIST, Source.LATEST, latest))
    blocks.append(Block("most-read", _("Most read"), "", Layout.LIST, Source.MOST_READ, []))
    return Front(blocks=[b for b in blocks if b.articles or b.source == Source.MOST_READ], shown_ids=shown)
