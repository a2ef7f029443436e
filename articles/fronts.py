"""The front page as the desk arranges it: an ordered list of blocks, each a source of stories shown in a
layout.

This module turns an arrangement into `Block`s of published stories, with no story shown twice on a page.
The reader's views and the admin's preview both render `Front.blocks` with templates/articles/home.html.

An arrangement is what a `FrontRevision` stores and what `arrangement_of()` reads from a front's working
copy (its Container and Pin rows): `{"containers": [{"title", "source", "section", "tag", "layout",
"size", "pins": [{"article", "until"}]}], "headlines": {article id: headline}}`. Readers get the live
revision (`home_front()`), editors preview the working copy (`working_front()`), and publishing
(`publish_front()`) and restoring (`restore_revision()`) move one into the other.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from articles.models import Article, Container, FrontPage, FrontRevision, Pin, Section, nav_sections
from articles.models.fronts import MOST_READ_SIZE, Layout, Source
from articles.reading import most_read

# A featured story leads a "top stories" container only while it is among this many newest (as the
# automatic page does): an old featured story does not lead for ever.
TOP_WINDOW = 27
_PINS = -1  # the part of the stories query that loads the pinned stories
_NEWEST = 0  # the part that loads the newest stories (top stories and latest share it)


@dataclass
class Block:
    """One container of the page as readers see it."""

    key: str  # stable within the page: anchors and element ids
    title: str  # the heading; "" shows none (the lead)
    url: str  # where the heading links ("" for none)
    layout: str  # a Layout value
    source: str  # a Source value
    articles: list = field(default_factory=list)  # for_listing() stories, deduplicated, cut to size
    size: int = 0  # the stories it shows at most (most read: how many the view picks; 0: the default)


@dataclass
class Front:
    blocks: list
    shown_ids: set


def home_front() -> Front:
    """The home page as readers see it: its live revision, or the rules while it was never published.

    One query finds the live revision with the sections and tags it shows, one loads every story of the
    page (pinned ones and the newest of each source, bounded), one their bylines.
    """
    revision = (
        FrontRevision.objects.filter(front__section__isnull=True, front__live_revision=F("pk"))
        .annotate(sections=_sections_of(OuterRef("section_ids")), tags=_tags_of(OuterRef("tag_ids")))
        .only("data")
        .first()
    )
    if revision is None:
        return rules_front()
    return resolve(revision.data, sections=revision.sections, tags=revision.tags)


def working_front(front) -> Front:
    """The working copy of `front` as readers would see it if it were published now (the preview)."""
    data = arrangement_of(front)
    section_ids = [c["section"] for c in data["containers"] if c["section"]]
    tag_ids = [c["tag"] for c in data["containers"] if c["tag"]]
    sections = Section.objects.filter(Q(pk__in=section_ids) | Q(parent__in=section_ids)).values(
        "id", "name", "slug", "parent_id"
    )
    tags = Tag.objects.filter(pk__in=tag_ids).values("id", "name", "slug")
    return resolve(data, sections=list(sections), tags=list(tags))


def most_read_beside(front):
    """The most read stories the page's blocks do not show already (no story twice on the page), as many
    as its most read block asks for."""
    limit = next((b.size for b in front.blocks if b.source == Source.MOST_READ and b.size), MOST_READ_SIZE)
    return [a for a in most_read(limit=limit + len(front.shown_ids)) if a.pk not in front.shown_ids][:limit]


class _InArray(Func):
    """`column = ANY(array)`: true when the array holds the column's value."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def _sections_of(ids):
    """The sections whose ids the array `ids` holds, and their subsections, as JSON objects."""
    rows = Section.objects.filter(Q(_InArray(F("pk"), ids)) | Q(_InArray(F("parent_id"), ids)))
    return ArraySubquery(
        rows.order_by().values(json=JSONObject(id="id", name="name", slug="slug", parent_id="parent_id"))
    )


def _tags_of(ids):
    rows = Tag.objects.filter(_InArray(F("pk"), ids))
    return ArraySubquery(rows.order_by().values(json=JSONObject(id="id", name="name", slug="slug")))


def resolve(arrangement, *, sections, tags, now=None) -> Front:
    """The blocks of an arrangement, filled with published stories.

    Every story pinned (and not lapsed) is reserved for its own container first; then each container,
    in order, shows its pinned stories and fills up to its size from its source, skipping what the page
    shows already or reserved. A container that got no story is dropped (most read is filled by the view).
    `sections` and `tags` are the rows (id, name, slug; sections also parent_id) the containers name.

    The stories come in one query: a UNION ALL of the pinned ones and, per source, the newest few, each
    part an index range scan with a LIMIT of the container's size plus what earlier containers and pins
    could take from it. Its cost does not grow with the archive.
    """
    now = now or timezone.now()
    sections = {row["id"]: row for row in sections}
    tags = {row["id"]: row for row in tags}
    containers = arrangement.get("containers", [])
    pins = [
        [pin["article"] for pin in c.get("pins", []) if not _lapsed(pin.get("until"), now)]
        for c in containers
    ]
    pinned_ids = list(dict.fromkeys(pk for container_pins in pins for pk in container_pins))

    cards = Article.objects.published().for_listing().order_by("-publish_at", "-pk")
    article_type = ContentType.objects.get_for_model(Article)  # kept by Django after the first lookup
    parts, sources = [], {}
    if pinned_ids:
        parts.append(cards.filter(pk__in=pinned_ids).annotate(front_part=Value(_PINS)))
    newest_need, taken = 0, len(pinned_ids)
    for index, container in enumerate(containers):
        source, size = container["source"], container["size"]
        need = size + taken  # enough to fill it whatever the containers above and the pins take
        if source in (Source.TOP, Source.LATEST):
            newest_need = max(newest_need, need, TOP_WINDOW if source == Source.TOP else 0)
        elif source == Source.SECTION and container["section"] in sections:
            sources[index] = part = len(parts) + 1
            ids = [
                container["section"],
                *(pk for pk, row in sections.items() if row["parent_id"] == container["section"]),
            ]
            parts += [cards.filter(section_id=pk)[:need].annotate(front_part=Value(part)) for pk in ids]
        elif source == Source.TAG and container["tag"] in tags:
            sources[index] = part = len(parts) + 1
            # EXISTS rather than a join: the newest stories are read in order until enough carry the tag
            # (the join sorts every story of a common tag first; about 7 times slower for 20,000 of them).
            tagged = TaggedItem.objects.filter(
                tag_id=container["tag"], content_type=article_type, object_id=OuterRef("pk")
            )
            parts.append(cards.filter(Exists(tagged))[:need].annotate(front_part=Value(part)))
        if source != Source.MOST_READ:
            taken += size
    if newest_need:
        parts.append(cards[:newest_need].annotate(front_part=Value(_NEWEST)))

    found = defaultdict(dict)
    if parts:
        for story in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
            found[story.front_part][story.pk] = story
    by_part = {
        part: sorted(stories.values(), key=_newest_first, reverse=True) for part, stories in found.items()
    }
    pinned = found[_PINS]
    newest = by_part.get(_NEWEST, [])
    featured_first = sorted(newest[:TOP_WINDOW], key=lambda story: not story.featured) + newest[TOP_WINDOW:]
    candidates = {Source.TOP: featured_first, Source.LATEST: newest}

    blocks, shown, keys = [], set(), set()
    reserved = set(pinned)
    for index, container in enumerate(containers):
        source, layout = container["source"], container["layout"]
        title, url, key = _heading(container, sections, tags)
        key = _unique(key, keys)
        if source == Source.MOST_READ:
            blocks.append(Block(key, title, url, layout, source, [], size=container["size"]))
            continue
        stories = [pinned[pk] for pk in pins[index] if pk in pinned and pk not in shown][: container["size"]]
        shown.update(story.pk for story in stories)
        if source != Source.PICKED:
            rule = candidates[source] if source in candidates else by_part.get(sources.get(index), [])
            for story in rule:
                if len(stories) >= container["size"]:
                    break
                if story.pk not in shown and story.pk not in reserved:
                    stories.append(story)
                    shown.add(story.pk)
        if stories:
            blocks.append(Block(key, title, url, layout, source, stories, size=container["size"]))
    return Front(blocks=blocks, shown_ids=shown)


def _newest_first(story):
    return (story.publish_at, story.pk)


def _lapsed(until, now):
    return until is not None and datetime.fromisoformat(until) <= now


def _heading(container, sections, tags):
    """(title, url, key) of a container's block."""
    source, title, url = container["source"], container["title"], ""
    if source == Source.SECTION and container["section"] in sections:
        row = sections[container["section"]]
        title, url, key = (
            title or row["name"],
            reverse("articles:section", kwargs={"section": row["slug"]}),
            f"section-{row['slug']}",
        )
    elif source == Source.TAG and container["tag"] in tags:
        row = tags[container["tag"]]
        title, url, key = (
            title or row["name"],
            reverse("articles:tag", kwargs={"slug": row["slug"]}),
            f"tag-{row['slug']}",
        )
    else:
        key = {Source.MOST_READ: "most-read"}.get(source, source)
        if not title and container["layout"] != Layout.LEAD:
            title = str(Source(source).default_title)
    if container["layout"] == Layout.LEAD and source != Source.MOST_READ:
        key = "lead"
    return title, url, key


def _unique(key, keys):
    candidate, number = key, 1
    while candidate in keys:
        number += 1
        candidate = f"{key}-{number}"
    keys.add(candidate)
    return candidate


def rules_front() -> Front:
    """The home page when nobody arranged it: the rules (lead, top stories, a row per section, latest)."""
    stories = list(Article.objects.published().for_listing()[:TOP_WINDOW])
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


# The working copy, publishing and restoring.


def arrangement_of(front) -> dict:
    """The working copy of `front` (its containers and pins) as an arrangement."""
    containers = front.containers.prefetch_related("pins__article").order_by("position", "pk")
    data, headlines = [], {}
    for container in containers:
        pins = []
        for pin in sorted(container.pins.all(), key=lambda pin: (pin.position, pin.pk)):
            pins.append({"article": pin.article_id, "until": pin.until.isoformat() if pin.until else None})
            headlines[str(pin.article_id)] = pin.article.headline
        data.append(
            {
                "title": container.title,
                "source": container.source,
                "section": container.section_id,
                "tag": container.tag_id,
                "layout": container.layout,
                "size": container.size,
                "pins": pins,
            }
        )
    return {"containers": data, "headlines": headlines}


def has_unpublished_changes(front) -> bool:
    """Whether the working copy differs from what readers see (any arrangement, if never published)."""
    containers = arrangement_of(front)["containers"]
    if front.live_revision_id is None:
        return bool(containers)
    return containers != front.live_revision.data["containers"]


def note_working_copy_changed(front):
    """Keep `changed_since` (the "Unpublished changes since" of the admin) true after an edit."""
    changed = has_unpublished_changes(front)
    if changed and front.changed_since is None:
        front.changed_since = timezone.now()
    elif not changed:
        front.changed_since = None
    FrontPage.objects.note_changed_since(front.pk, front.changed_since)


@transaction.atomic
def publish_front(*, front, by, note="") -> FrontRevision:
    """Snapshot the working copy of `front` into a revision and make it live (readers see it at once)."""
    front = FrontPage.objects.select_for_update().get(pk=front.pk)  # one publish at a time
    data = arrangement_of(front)
    containers = data["containers"]
    revision = FrontRevision.objects.create(
        front=front,
        data=data,
        pin_untils=sorted({pin["until"] for c in containers for pin in c["pins"] if pin["until"]}),
        section_ids=sorted({c["section"] for c in containers if c["section"]}),
        tag_ids=sorted({c["tag"] for c in containers if c["tag"]}),
        note=note[:200],
        created_by=by,
    )
    front.live_revision = revision
    front.changed_since = None
    front.save(update_fields=["live_revision", "changed_since"])
    return revision


@transaction.atomic
def restore_revision(*, revision, by) -> list:
    """Copy `revision` back into its front's working copy (readers see nothing until it is published).

    Stories deleted since, and containers whose section or tag was deleted, are left out: their names
    are returned.
    """
    front = FrontPage.objects.select_for_update().get(pk=revision.front_id)
    containers = revision.data.get("containers", [])
    headlines = revision.data.get("headlines", {})
    article_ids = {pin["article"] for c in containers for pin in c.get("pins", [])}
    existing = set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
    sections = set(
        Section.objects.filter(pk__in=[c["section"] for c in containers if c["section"]]).values_list(
            "pk", flat=True
        )
    )
    tags = set(
        Tag.objects.filter(pk__in=[c["tag"] for c in containers if c["tag"]]).values_list("pk", flat=True)
    )
    dropped = []
    front.containers.all().delete()
    for position, data in enumerate(containers, start=1):
        if (data["section"] and data["section"] not in sections) or (data["tag"] and data["tag"] not in tags):
            dropped.append(data["title"] or str(_("a container whose section or tag was deleted")))
            continue
        container = Container.objects.create(
            front=front,
            position=position,
            title=data["title"],
            source=data["source"],
            section_id=data["section"],
            tag_id=data["tag"],
            layout=data["layout"],
            size=data["size"],
        )
        for pin_position, pin in enumerate(data.get("pins", []), start=1):
            if pin["article"] not in existing:
                dropped.append(headlines.get(str(pin["article"]), f"#{pin['article']}"))
                continue
            Pin.objects.create(
                container=container,
                article_id=pin["article"],
                position=pin_position,
                until=datetime.fromisoformat(pin["until"]) if pin["until"] else None,
            )
    note_working_copy_changed(front)
    return dropped


# A section's lead.


def pinned_lead(section, section_ids, *, now=None):
    """The queryset of the section's pinned lead as cards, or None: no pin, or it lapsed. The story must
    also be published and in the section or a subsection (`section_ids`); otherwise the queryset is empty."""
    now = now or timezone.now()
    if section.pinned_lead_id is None or (section.pinned_lead_until and section.pinned_lead_until <= now):
        return None
    return (
        Article.objects.published()
        .for_listing()
        .filter(pk=section.pinned_lead_id, section_id__in=section_ids)
    )


def section_lead(section, first_page, section_ids):
    """(lead, the rest of the first page) of a section page.

    The lead is the pinned lead (published, in the section or a subsection, not lapsed), else the newest
    featured story of the first page, else its newest. `first_page` is the queryset of the first page's
    stories: the pinned lead is loaded with it, in the same query.
    """
    pinned = pinned_lead(section, section_ids)
    stories = {
        story.pk: story
        for story in (first_page.union(pinned, all=True) if pinned is not None else first_page)
    }
    lead = stories.pop(section.pinned_lead_id, None) if pinned is not None else None
    page = sorted(stories.values(), key=_newest_first, reverse=True)
    if lead is None:
        lead = next((story for story in page if story.featured), page[0] if page else None)
    return lead, [story for story in page if story is not lead]
