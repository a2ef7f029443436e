from articles.models.embeds import Embed
from articles.models.images import Image, SourceType
from articles.models.limits import RateCounter
from articles.models.live import LiveUpdate
from articles.models.newsroom import (
    ArticleEvent,
    ArticleReadCount,
    ArticleRevision,
    Correction,
    ImageProvenanceChange,
)
from articles.models.publishing import (
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    Author,
    BodyImage,
    RetiredSlug,
    add_listing_annotation,
    load_body_references,
    published_condition,
)
from articles.models.sections import RESERVED_SLUGS, Section, nav_sections, validate_section_slug

__all__ = [
    "RESERVED_SLUGS",
    "Article",
    "ArticleAuthor",
    "ArticleEvent",
    "ArticleQuerySet",
    "ArticleReadCount",
    "ArticleRevision",
    "Author",
    "BodyImage",
    "Correction",
    "Embed",
    "Image",
    "ImageProvenanceChange",
    "LiveUpdate",
    "RateCounter",
    "RetiredSlug",
    "Section",
    "SourceType",
    "add_listing_annotation",
    "load_body_references",
    "nav_sections",
    "published_condition",
    "validate_section_slug",
]
