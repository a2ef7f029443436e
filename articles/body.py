"""The reader's story body: the stored, sanitized body with its references turned into reader HTML.

The body stores references, never copied URLs (the formats are in articles/html.py): a picture is
`<figure data-image="123" data-layout="...">` with an optional caption override, a gallery a
`<div data-gallery="">` of such figures, an embed `<figure data-embed="45">`, and pull quotes, fact boxes
and notes are marked blocks. `render_body()` is the one place they become what readers see: the same
responsive picture, caption and credit line as the lead image (templates/includes/figure.html).
"""

import re

import lxml.html
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.embeds.cards import render_card
from articles.html import sanitize_html
from articles.references import parse, reference

# The picture's `sizes`, per layout: the column is the article's reading width (as the lead image), a
# wide picture breaks out of it, a full one spans the window (site.css: .body-figure-*).
SIZES = {
    "column": "(min-width: 768px) 42rem, 100vw",
    "wide": "(min-width: 1200px) 66rem, 100vw",
    "full": "100vw",
}
GALLERY_SIZES = "(min-width: 768px) 34rem, 85vw"
_SLOT_TAG = "newsmag-slot"  # stands in for a rendered block until the tree is serialized
_SLOT = re.compile(rf'<{_SLOT_TAG} n="([0-9]+)"></{_SLOT_TAG}>')


def render_embed_placeholders(embeds: dict, *, absolute_url=None) -> dict[int, str]:
    """The reader HTML of the body's embeds `embeds` ({id: Embed}): the click-to-load card on the page; in
    a feed (`absolute_url` given) a plain link, as feed readers run no script. A missing embed renders
    nothing."""
    if absolute_url is not None:
        return {
            pk: format_html(
                '<p class="embed-link"><a href="{}">{}</a></p>',
                embed.url,
                embed.title or embed.url,
            )
            for pk, embed in embeds.items()
        }
    return {pk: render_card(embed) for pk, embed in embeds.items()}


def _inner_html(element) -> str:
    """What is inside `element`, as (already sanitized) HTML."""
    text = lxml.html.tostring(element, encoding="unicode", with_tail=False)
    return text[text.index(">") + 1 : text.rindex("<")]


def _caption_override(figure) -> str:
    caption = figure.find("figcaption")
    if caption is None:
        return ""
    html = _inner_html(caption).strip()
    # Re-sanitized on its own so that a cut-out caption can never leave an element open.
    return sanitize_html(html) if html else ""


def _figure_context(figure, image, sizes, layout):
    override = _caption_override(figure)
    return {
        "image": image,
        "sizes": sizes,
        "body_layout": layout,
        "caption_override": mark_safe(override) if override else "",
    }


class _AbsoluteURL:
    """A URL-making function handed to templates, which would otherwise call it with no argument."""

    do_not_call_in_templates = True

    def __init__(self, function):
        self.function = function

    def __call__(self, url):
        return self.function(url)


class _Renderer:
    def __init__(self, images, absolute_url):
        self.images = images
        self.absolute_url = _AbsoluteURL(absolute_url) if absolute_url else None
        self.slots = []
        self.gallery_count = 0

    def slot(self, element, html):
        """Put `html` where `element` is (its tail text stays)."""
        replacement = lxml.html.Element(_SLOT_TAG, n=str(len(self.slots)))
        replacement.tail = element.tail
        self.slots.append(html)
        element.getparent().replace(element, replacement)

    def figure_html(self, figure, sizes, layout):
        image = self.images.get(reference(figure, "data-image"))
        if image is None:  # deleted, or never there: nothing rather than a broken picture
            return ""
        context = _figure_context(figure, image, sizes, layout)
        if self.absolute_url:
            context["absolute_url"] = self.absolute_url
            return render_to_string("includes/feed_figure.html", context).strip()
        return render_to_string("includes/figure.html", context).strip()

    def gallery(self, gallery):
        figures = [
            self.figure_html(figure, GALLERY_SIZES, "gallery")
            for figure in gallery.iterchildren("figure")
            if figure.get("data-image") is not None
        ]
        figures = [html for html in figures if html]
        if not figures:
            return ""
        self.gallery_count += 1
        template = "includes/feed_gallery.html" if self.absolute_url else "includes/body_gallery.html"
        return render_to_string(
            template, {"figures": [mark_safe(html) for html in figures], "number": self.gallery_count}
        ).strip()


def _pull_quote(quote):
    """<figure class="pull-quote"><blockquote>the quote</blockquote><figcaption>who</figcaption></figure>."""
    wrapper = lxml.html.Element("figure", {"class": "pull-quote"})
    wrapper.tail = quote.tail
    quote.tail = None
    quote.getparent().replace(quote, wrapper)
    del quote.attrib["data-pull-quote"]
    wrapper.append(quote)
    attributions = [p for p in quote.iterchildren("p") if p.get("data-attribution") is not None]
    if attributions:
        caption = lxml.html.Element("figcaption", {"class": "pull-quote-attribution"})
        for attribution in attributions:
            del attribution.attrib["data-attribution"]
            quote.remove(attribution)
            attribution.tail = None
            caption.append(attribution)
        wrapper.append(caption)


def _aside(aside, number):
    if aside.get("data-factbox") is not None:
        del aside.attrib["data-factbox"]
        aside.set("class", "factbox")
        heading = aside.find("h3") if aside.find("h3") is not None else aside.find("h2")
        if heading is not None:
            heading.set("id", f"factbox-{number}")
            heading.set("class", "factbox-heading")
            aside.set("aria-labelledby", f"factbox-{number}")
        else:
            aside.set("aria-label", "Fact box")
    elif aside.get("data-note") is not None:
        del aside.attrib["data-note"]
        aside.set("class", "body-note")
        aside.set("role", "note")


def render_html(html: str, images: dict, embeds=None, *, absolute_url=None) -> str:
    """The reader HTML of a body `html` whose referenced images are `images` and embeds `embeds`
    ({id: Image}, {id: Embed}).

    With `absolute_url` (a function making a URL absolute) pictures are plain <img> figures for feed
    readers, which get neither the site's CSS nor relative addresses.
    """
    html = sanitize_html(html)
    if not html or "data-" not in html:
        return html
    root = parse(html)
    renderer = _Renderer(images, absolute_url)
    for gallery in list(root.iter("div")):
        # A gallery inside another was taken out with it, and shows nothing.
        if gallery.get("data-gallery") is not None and gallery.getroottree().getroot() is root:
            renderer.slot(gallery, renderer.gallery(gallery))
    embed_rows = embeds
    embeds = [figure for figure in root.iter("figure") if figure.get("data-embed") is not None]
    placeholders = render_embed_placeholders(embed_rows or {}, absolute_url=absolute_url)
    for figure in embeds:
        renderer.slot(figure, placeholders.get(reference(figure, "data-embed"), ""))
    for figure in list(root.iter("figure")):
        if figure.get("data-image") is not None:
            layout = figure.get("data-layout") or "column"
            renderer.slot(figure, renderer.figure_html(figure, SIZES.get(layout, SIZES["column"]), layout))
    for quote in list(root.iter("blockquote")):
        if quote.get("data-pull-quote") is not None:
            _pull_quote(quote)
    for number, aside in enumerate(list(root.iter("aside")), start=1):
        _aside(aside, number)
    for element in root.iter("div", "p"):  # a stray marker (a gallery inside a picture, say) shows nothing
        element.attrib.pop("data-gallery", None)
        element.attrib.pop("data-attribution", None)
    out = _inner_html(root)
    return _SLOT.sub(lambda match: renderer.slots[int(match[1])], out)


def render_body(article, *, absolute_url=None) -> SafeString:
    """The reader HTML of `article`'s body, opening with its bracketed source tag ("[People News] ...").

    Every image and embed the body references comes from `article.body_images()` / `body_embeds()`:
    loaded with the article on its page, beforehand for a list of articles (feeds). A reference to a
    missing image or embed renders nothing.
    """
    body = render_html(article.body, article.body_images(), article.body_embeds(), absolute_url=absolute_url)
    if not article.source_label:
        return mark_safe(body)
    tag = format_html('<span class="source-tag">[{}]</span> ', article.source_label)
    if body.startswith("<p>"):
        return mark_safe(f"<p>{tag}{body[3:]}")
    return mark_safe(f"<p>{tag}</p>{body}")


def render_update(update, *, absolute_url=None) -> SafeString:
    """The reader HTML of a live update's body (articles/models/live.py), as a story body's."""
    return mark_safe(
        render_html(update.body, update.body_images(), update.body_embeds(), absolute_url=absolute_url)
    )
