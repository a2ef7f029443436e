import html
from datetime import timedelta

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search import HIGHLIGHT_START, HIGHLIGHT_STOP

register = template.Library()


@register.filter
def highlight(snippet):
    """Escape a search snippet and turn the match markers into <mark> elements.

    Usage: {{ article.snippet|highlight }}
    """
    text = escape(html.unescape(snippet or ""))
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
    from django.core.files.storage import default_storage

    entry = image.rendition(crop)
    if entry:
        srcset = ", ".join(f"{default_storage.url(name)} {width}w" for width, name in entry["webp"])
        src, width, height = default_storage.url(entry["fallback"]), entry["w"], entry["h"]
    else:  # renditions not built (yet): the original, cropped by CSS
        srcset, src, width, height = "", image.file.url, image.width, image.height
    if alt is None:
        alt = "" if image.is_decorative else image.alt_text
    return {
        "srcset": srcset,
        "src": src,
        "width": width,
        "height": height,
        "sizes": sizes,
        "eager": eager,
        "alt": alt,
        "css_class": css_class,
    }


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """schema.org NewsArticle JSON-LD for the article page.

    Usage: {% article_json_ld article %}
    """
    from articles.structured_data import json_ld_script, news_article

    return json_ld_script(news_article(article, context["request"]))


@register.simple_tag(takes_context=True)
def social_image_url(context, image):
    """The absolute URL of the image for Open Graph and Twitter cards (the 16:9 JPEG rendition).

    Usage: {% social_image_url image as image_url %}
    """
    from django.core.files.storage import default_storage

    entry = image.rendition("16x9")
    path = default_storage.url(entry["fallback"]) if entry else image.file.url
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    """schema.org WebSite with a SearchAction, for the home page.

    Usage: {% website_json_ld %}
    """
    from django.conf import settings
    from django.urls import reverse

    from articles.structured_data import json_ld_script

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
