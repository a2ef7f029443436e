from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, format_html
from taggit.models import Tag

from articles import caching
from articles.body import render_body, render_update
from articles.caching import depends_on
from articles.images.renditions import shown_at
from articles.live import live_stream
from articles.models import Article, Author, Section, load_body_references
from articles.text import clean_text

ITEMS = 30


def _cleaned(value):
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(part) for part in value)
    return clean_text(value)


class CleanFeedMixin:
    """A feed generator that never meets a control character: every text of the feed and its items passes
    `clean_text()` just before the XML is written. Saves keep them out already; this covers rows that never
    went through a save (a queryset update, raw SQL, older rows), which would otherwise make the writer
    raise and the feed answer 500."""

    def write(self, outfile, encoding):
        self.feed = {name: _cleaned(value) for name, value in self.feed.items()}
        self.items = [{name: _cleaned(value) for name, value in item.items()} for item in self.items]
        super().write(outfile, encoding)


CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


class StoryContentMixin:
    """Each item's full story (its pictures with their credit lines) and a media:content per picture.

    Items carry `content` (HTML) and `media`: (url, mime type, width, height, credit line, caption) each.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            self.add_content(handler, item["content"])
        for url, mime, width, height, credit, caption in item.get("media") or ():
            handler.startElement(
                "media:content",
                {"url": url, "type": mime, "medium": "image", "width": width, "height": height},
            )
            if credit:
                handler.addQuickElement("media:credit", credit)
            if caption:
                handler.addQuickElement("media:description", caption)
            handler.endElement("media:content")


class CleanRssFeed(CleanFeedMixin, StoryContentMixin, Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:content"] = CONTENT_NS
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_content(self, handler, content):
        handler.addQuickElement("content:encoded", content)


class CleanAtomFeed(CleanFeedMixin, StoryContentMixin, Atom1Feed):
    def root_attributes(self):
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_content(self, handler, content):
        handler.addQuickElement("content", content, {"type": "html"})


class LatestArticlesFeed(Feed):
    """RSS 2.0 of the latest stories; each item carries its lead image and credit line.

    Subclasses narrow it to a section, a tag or an author; the Atom variants only change `feed_type`.
    """

    feed_type = CleanRssFeed
    title = settings.NEWSMAG_SITE_NAME
    link = reverse_lazy("articles:home")
    description = "The latest stories."

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def get_feed(self, obj, request):
        depends_on(*self.feed_keys(obj))  # a story's change retires the feeds it is in (articles/caching.py)
        feed = super().get_feed(obj, request)
        if not issubclass(self.feed_type, Atom1Feed):
            # RSS readers render the channel description as HTML, like item descriptions: escape it.
            # (Atom's subtitle is plain text by definition.)
            feed.feed["description"] = escape(feed.feed["description"])
        return feed

    def feed_keys(self, obj):
        return [caching.FEEDS]

    def items(self, obj=None):
        listing = self.filter(Article.objects.published(), obj).for_listing()
        # The body too (cards leave it out): the items carry the whole story, every picture loaded at once.
        items = list(listing.defer(None).defer("search_vector", "lead_image__metadata")[:ITEMS])
        load_body_references(items)
        return items

    def filter(self, queryset, obj):
        return queryset

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        image = item.lead_image
        if image is None:
            return item.dek
        return format_html(
            '<p>{}</p><figure><img src="{}" alt="{}"><figcaption>{} ({})</figcaption></figure>',
            item.dek,
            self.request.build_absolute_uri(shown_at(image, jpeg=True).url),
            "" if image.is_decorative else image.alt_text,
            image.caption,
            image.credit_line(),
        )

    def item_extra_kwargs(self, item):
        absolute = self.request.build_absolute_uri
        images = [item.lead_image] if item.lead_image_id else []
        images += [image for pk, image in item.body_images().items() if pk != item.lead_image_id]
        media = []
        for image in images:
            shown = shown_at(image, jpeg=True)
            media.append((absolute(shown.url), shown.mime, str(shown.width), str(shown.height),
                          image.credit_line(), image.caption))  # fmt: skip
        return {"content": str(render_body(item, absolute_url=absolute)), "media": media}

    def item_enclosures(self, item):
        image = item.lead_image
        if image is None:
            return []
        shown = shown_at(image, jpeg=True)
        return [Enclosure(self.request.build_absolute_uri(shown.url), str(shown.size()), shown.mime)]

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.byline_authors)

    def item_categories(self, item):
        return [item.section.name]


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, section):
        self.request = request
        return get_object_or_404(Section, slug=section)

    def feed_keys(self, obj):
        return [caching.section_key(obj.pk)]

    def title(self, obj):
        return f"{obj.name} · {settings.NEWSMAG_SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"The latest {obj.name} stories."

    def filter(self, queryset, obj):
        return queryset.filter(section__in=[obj, *obj.subsections.all()])


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Tag, slug=slug)

    def feed_keys(self, obj):
        return [caching.tag_key(obj.pk)]

    def title(self, obj):
        return f"{obj.name} · {settings.NEWSMAG_SITE_NAME}"

    def link(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def description(self, obj):
        return f"Stories tagged {obj.name}."

    def filter(self, queryset, obj):
        return queryset.filter(tags=obj)


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Author, slug=slug)

    def feed_keys(self, obj):
        return [caching.author_key(obj.pk)]

    def title(self, obj):
        return f"{obj.name} · {settings.NEWSMAG_SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"Stories by {obj.name}."

    def filter(self, queryset, obj):
        return queryset.filter(bylines__author=obj)


class LiveUpdatesFeed(Feed):
    """A live story's updates, newest first, each linking to its place on the story's page."""

    feed_type = CleanRssFeed

    def get_object(self, request, section, slug):
        self.request = request
        stories = Article.objects.published().exclude(live_coverage=Article.LiveCoverage.NONE)
        story = get_object_or_404(stories.select_related("section"), slug=slug, section__slug=section)
        depends_on(caching.article_key(story.pk))  # its updates retire the story (articles/signals.py)
        return story

    def title(self, obj):
        return f"{obj.headline} (live) · {settings.NEWSMAG_SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.dek or f"Live updates: {obj.headline}"

    def items(self, obj):
        return live_stream(obj, limit=ITEMS)

    def item_title(self, item):
        return item.label

    def item_link(self, item):
        return item.get_absolute_url()

    def item_description(self, item):
        return str(render_update(item, absolute_url=self.request.build_absolute_uri))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.name


class AtomMixin:
    feed_type = CleanAtomFeed


class LatestArticlesAtomFeed(AtomMixin, LatestArticlesFeed):
    pass


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    pass
