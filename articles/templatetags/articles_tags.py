import html
from datetime import timedelta
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import date as date_filter
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.body import render_body, render_update
from articles.caching import (
    HOME,
    article_key,
    cached_for_content,
    depends_on,
    kept_fragment,
    keys_of,
    thread_key,
)
from articles.front_layout import SIZES, Card, block_rows, lead_card, result_card
from articles.images.renditions import shown_at, webp_renditions
from articles.models import Article
from articles.models.alerts import breaking_banner
from articles.search import HIGHLIGHT_START, HIGHLIGHT_STOP
from articles.structured_data import json_ld_script, news_article

register = template.Library()


class KeepNode(template.Node):
    def __init__(self, nodelist, name, parts, using, stable, unless=None, on=()):
        self.nodelist, self.name, self.parts = nodelist, name, parts
        self.using, self.stable, self.unless, self.on = using, stable, unless, on

    def render(self, context):
        deps = [key for value in self.on for key in keys_of(value.resolve(context))]
        if self.unless is not None and self.unless.resolve(context):
            depends_on(*deps)
            return self.nodelist.render(context)
        parts = [part.resolve(context) for part in self.parts]
        return kept_fragment(
            context,
            f"fragment:{self.name.resolve(context)}",
            parts,
            lambda: self.nodelist.render(context),
            deps=deps,
            using=self.using,
            stable=self.stable,
        )


@register.tag
def keep(parser, token):
    """Keep the rendered block until what it shows changes (the one way to cache a fragment).

    Usage: {% keep "article_body" article.pk on=article %}...{% endkeep %}

    The key is the name and the values after it (what the block varies on), plus the request's scheme and
    host; previews are never kept. Options at the end:
    `on=value` (repeatable) says what the block shows (articles/caching.py): a dependency key ("home"), a
    list of keys, or a watched object (`article`: its key); a block that declares nothing retires with
    every change, and parts kept inside it add theirs. `using="search"` keeps it in another cache than
    "fragments"; `stable` makes it depend on nothing, for a block keyed by everything it shows (a
    comment); `unless=value` renders the block afresh, keeping nothing, when the value is true (a story
    card showing a search snippet: its search page is kept whole, and one entry per result would crowd
    the fragments).
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% keep %} needs a name")
    using, stable, unless, on = "fragments", False, None, []
    while bits and (bits[-1] == "stable" or bits[-1].startswith(("using=", "unless=", "on="))):
        option = bits.pop()
        if option == "stable":
            stable = True
        elif option.startswith("unless="):
            unless = parser.compile_filter(option.removeprefix("unless="))
        elif option.startswith("on="):
            on.append(parser.compile_filter(option.removeprefix("on=")))
        else:
            using = option.removeprefix("using=").strip("\"'")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    name, *parts = (parser.compile_filter(bit) for bit in bits)
    return KeepNode(nodelist, name, parts, using, stable, unless, on)


@register.filter
def with_comments(article):
    """What a story card depends on: the story, and its thread when the card shows its comment count (the
    listings' queries annotate it; related stories carry none).

    Usage: {% keep "story_card" article.pk on=article|with_comments %}
    """
    if hasattr(article, "comment_count"):
        return [article_key(article.pk), thread_key(article.pk)]
    return [article_key(article.pk)]


@register.filter
def highlight(snippet):
    """Escape a search snippet, on one line, and turn the match markers into <mark> elements.

    Usage: {{ article.snippet|highlight }}
    """
    text = escape(" ".join(html.unescape(snippet or "").split()))  # tags left runs of spaces
    return mark_safe(text.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))


@register.filter
def news_date(value):
    """ "3 hours ago" for today's news, "28 Nov 2026" for older stories.

    Usage: {{ article.publish_at|news_date }}
    """
    if not value:
        return ""
    if timezone.now() - value < timedelta(hours=24):
        return naturaltime(value)
    return date_filter(value, "j M Y")


@register.inclusion_tag("tags/picture.html")
def picture(image, crop="original", sizes="100vw", eager=False, alt=None, css_class=""):
    """A responsive <picture>: WebP renditions in a srcset, a JPEG fallback, width and height set.

    Usage: {% picture article.lead_image "16x9" sizes="(min-width: 992px) 33vw, 100vw" alt="" %}
    `eager` marks the above-the-fold image (fetchpriority=high); others load lazily. `alt` defaults to
    the image's alt text ("" for decorative images).
    """
    srcset = ", ".join(f"{shown.url} {shown.width}w" for shown in webp_renditions(image, crop))
    widest = shown_at(image, float("inf"), crop=crop)  # width and height: the crop's shape
    src = shown_at(image, crop=crop, jpeg=True).url
    if alt is None:
        alt = "" if image.is_decorative else image.alt_text
    return {
        "srcset": srcset,
        "src": src,
        "width": widest.width,
        "height": widest.height,
        "sizes": sizes,
        "eager": eager,
        "alt": alt,
        "css_class": css_class,
    }


@register.simple_tag
def feed_image_url(image, absolute_url):
    """The absolute URL of the image's JPEG fallback, for feed readers (`absolute_url` makes it absolute).

    Usage: {% feed_image_url image absolute_url as src %}
    """
    return absolute_url(shown_at(image, jpeg=True).url)


@register.simple_tag
def article_body(article):
    """The story body as readers see it (articles/body.py): its pictures, galleries, embeds and blocks,
    opening with the bracketed source tag.

    Usage: {% article_body article %}
    """
    return render_body(article)


@register.simple_tag
def live_update_body(update):
    """A live update's body as readers see it, with the story blocks of an article body.

    Usage: {% live_update_body update %}
    """
    return render_update(update)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """schema.org NewsArticle JSON-LD for the article page (LiveBlogPosting for a live story, with the
    page's `live_updates`).

    Usage: {% article_json_ld article %}
    """
    return json_ld_script(news_article(article, context["request"], context.get("live_updates")))


# The social card: 16:9 at the 1200 px Facebook, LinkedIn and X ask for (smaller if the picture is).
SOCIAL_CARD_WIDTH = 1200
# For a page without a picture of its own: the site's icon (static/icons, drawn by `draw_icons`).
SITE_ICON = ("icons/icon-512.png", 512, 512)


def canonical_url(request, path=None, keep=("page",), page_number=None) -> str:
    """The page's absolute URL for rel=canonical and og:url: `path` (default the request's), with only
    the query parameters in `keep`: tracking parameters never make a new page. The page number is the
    one shown (`page_number`, so "?page=last" names its number), and only above 1."""
    params = {}
    for name in keep:
        value = request.GET.get(name, "").strip()
        if name == "page" and page_number is not None:
            value = str(page_number)
        if value and not (name == "page" and value == "1"):
            params[name] = value
    url = request.build_absolute_uri(path or request.path)
    return f"{url}?{urlencode(params)}" if params else url


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context, title, description, image=None, type="website", path=None, keep="page"):
    """rel=canonical, Open Graph and Twitter card tags for a public page (never for a preview).

    Usage: {% page_meta section.name section.description image=lead.lead_image %}
    `image` is the picture the page is shared with (its 16:9 card at SOCIAL_CARD_WIDTH, with the size of
    the file itself); without one the card shows the site's icon. `path` is the canonical path (default
    the request's) and `keep` the query parameters that make a page of their own ("q page" for search).
    """
    request = context["request"]
    data = {
        "site_name": settings.NEWSMAG_SITE_NAME,
        "title": title,
        "description": description,
        "type": type,
        "url": canonical_url(request, path, keep.split(), getattr(context.get("page_obj"), "number", None)),
        "large": bool(image),
    }
    if image:
        card = shown_at(image, SOCIAL_CARD_WIDTH, crop="16x9", jpeg=True)
        data.update(
            image_url=request.build_absolute_uri(card.url),
            image_type=card.mime,
            image_width=card.width,
            image_height=card.height,
            image_alt=image.alt_text or image.caption or title,
        )
    else:
        name, width, height = SITE_ICON
        data.update(
            image_url=request.build_absolute_uri(static(name)),
            image_type="image/png",
            image_width=width,
            image_height=height,
            image_alt=f"{settings.NEWSMAG_SITE_NAME} logo",
        )
    return data


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    """schema.org WebSite with a SearchAction, for the home page.

    Usage: {% website_json_ld %}
    """
    request = context["request"]
    home = request.build_absolute_uri(reverse("articles:home"))
    search_url = request.build_absolute_uri(reverse("articles:search"))
    return json_ld_script({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.NEWSMAG_SITE_NAME,
        "url": home,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": search_url + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    })  # fmt: skip


@register.simple_tag
def front_rows(block, first_on_page=False):
    """A front block's stories as rows of cards that fit their number (articles/front_layout.py).

    Usage: {% front_rows block forloop.first as rows %}
    """
    return block_rows(block, first_on_page=first_on_page)


@register.simple_tag
def page_lead_card(article):
    """A page's lead story as a front card (a section's lead above its list).

    Usage: {% page_lead_card lead as card %}{% include "includes/story_card.html" with heading_level="2" %}
    """
    return lead_card(article)


@register.simple_tag
def search_result_card(article):
    """A search result as a story card with its highlighted snippet (articles.search.ranked()).

    Usage: {% search_result_card article as card %}{% include "includes/story_card.html" %}
    """
    return result_card(article)


@register.simple_tag
def latest_cards(count=4):
    """The newest published stories as compact story cards (the 404 page), kept until the content changes.

    Usage: {% latest_cards 4 as cards %}{% for card in cards %}{% include "includes/story_card.html" %}...
    """

    def load():
        return list(Article.objects.published().for_listing().order_by("-publish_at")[:count])

    return [
        Card(article, "compact", SIZES["compact"])
        for article in cached_for_content("articles:latest", load, count, deps=[HOME])
    ]


@register.inclusion_tag("includes/breaking.html", takes_context=True)
def breaking_news(context, part="banner"):
    """The breaking news banner (articles.models.alerts.breaking_banner()), or nothing when none is running.

    Usage: {% breaking_news %} under the header, and {% breaking_news "script" %} in <head>: the script that
    keeps a banner the reader hid hidden from the first paint (only on pages that show one). Both read
    the banner once per page (kept in the template's render context).
    """
    if "breaking_banner" not in context.render_context:
        context.render_context["breaking_banner"] = breaking_banner()
    return {"banner": context.render_context["breaking_banner"], "part": part}
