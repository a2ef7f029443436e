"""schema.org JSON-LD for article pages: NewsArticle with the image's credit and digital source type, or
LiveBlogPosting with its updates for a live story."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.embeds.cards import video_object
from articles.images.renditions import shown_at

# Characters that could end the <script> element or start HTML inside it, escaped as JSON unicode.
_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


# Google shows at most this many characters of a NewsArticle's headline.
HEADLINE_LIMIT = 110


def short_headline(headline: str, limit: int = HEADLINE_LIMIT) -> str:
    """`headline` if it fits in `limit` characters, else cut after its last whole word that fits with "…"."""
    if len(headline) <= limit:
        return headline
    cut = headline[: limit - 1]  # room for the ellipsis
    if not headline[limit - 1].isspace():  # the cut falls inside a word: leave that word out
        words = cut.rsplit(maxsplit=1)
        if len(words) == 2:
            cut = words[0]
    return cut.rstrip(" ,;:–—-") + "…"


def json_ld_script(data) -> str:
    """A <script type="application/ld+json"> element whose content cannot break out of it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


# Google asks for pictures at least 1200 px wide, the lead in 16:9, 4:3 and 1:1 (renditions.py crops).
IMAGE_WIDTH = 1200
LEAD_CROPS = ("16x9", "4x3", "1x1")


def image_objects(image, absolute, crops=("original",)) -> list:
    """ImageObjects of `image`, one per crop, each the narrowest rendition at least IMAGE_WIDTH wide (the
    widest there is when the picture itself is narrower), each with the credit and digital source type."""
    objects, urls = [], set()
    for crop in crops:
        data = image_object(image, absolute, crop)
        if data["url"] not in urls:  # renditions not built yet: every crop is the original file
            urls.add(data["url"])
            objects.append(data)
    return objects


def image_object(image, absolute, crop="original"):
    shown = shown_at(image, IMAGE_WIDTH, crop=crop)
    url = absolute(shown.url)
    data = {
        "@type": "ImageObject",
        "url": url,
        "contentUrl": url,
        "width": shown.width,
        "height": shown.height,
        "caption": image.caption,
        "creditText": image.credit_line(),
        "digitalSourceType": image.source.schema_org,
    }
    if image.creator:
        data["creator"] = {"@type": "Person", "name": image.creator}
    if image.copyright_notice:
        data["copyrightNotice"] = image.copyright_notice
    if image.licence.startswith(("http://", "https://")):
        data["license"] = image.licence
    return data


def news_article(article, request, live_updates=None) -> list:
    """NewsArticle (LiveBlogPosting for a live story, with `live_updates`) and its BreadcrumbList, as one
    JSON-LD graph."""
    data = article_data(article, request)
    if article.is_live_story:
        data.update(live_blog_data(article, list(live_updates or ()), request))
    return [data, breadcrumbs(article, request)]


def live_blog_data(article, updates, request) -> dict:
    """What makes a live story's NewsArticle a LiveBlogPosting: its coverage times and its updates."""
    absolute = request.build_absolute_uri
    data = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": article.coverage_started_at or article.publish_at,
    }
    if article.coverage_ended_at:
        data["coverageEndTime"] = article.coverage_ended_at
    if updates:
        data["dateModified"] = max(article.publish_at, *(update.updated_at for update in updates))
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": short_headline(update.label),
            "url": absolute(update.get_absolute_url()),
            "datePublished": update.published_at,
            "dateModified": update.updated_at,
            "articleBody": update.text,
            "author": {
                "@type": "Person",
                "name": update.author.name,
                "url": absolute(update.author.get_absolute_url()),
            },
        }
        for update in updates
    ]
    return data


def breadcrumbs(article, request) -> dict:
    absolute = request.build_absolute_uri
    trail = [("Home", absolute("/")), (article.section.name, absolute(article.section.get_absolute_url()))]
    trail.append((article.headline, absolute(article.get_absolute_url())))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def article_data(article, request) -> dict:
    absolute = request.build_absolute_uri
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "headline": short_headline(article.headline),
        "description": article.dek,
        "datePublished": article.publish_at,
        "dateModified": article.last_update.published_at if article.last_update else article.publish_at,
        "articleSection": article.section.name,
        "keywords": [tag["name"] for tag in article.tag_list],
        "author": [
            {"@type": "Organization" if author.role == "News agency" else "Person", "name": author.name,
             "url": absolute(author.get_absolute_url())}
            for author in article.byline_authors
        ],
        "publisher": {"@type": "Organization", "name": settings.NEWSMAG_SITE_NAME, "url": absolute("/")},
    }  # fmt: skip
    if article.source_label:  # the agency the story comes from ("People News"); a dateline is a place
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source_label}
    # The lead first, then every picture of the body, each with its credit and how it was made.
    images = [article.lead_image] if article.lead_image_id else []
    images += [image for pk, image in article.body_images().items() if pk != article.lead_image_id]
    if images:
        data["image"] = []
        for image in images:
            crops = LEAD_CROPS if image.pk == article.lead_image_id else ("original",)
            data["image"] += image_objects(image, absolute, crops)
    videos = [video_object(embed, request=request) for embed in article.body_embeds().values()]
    if videos := [video for video in videos if video]:
        data["video"] = videos
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": c.published_at}
            for c in corrections
        ]
    return data
