from articles.models.images import Image, SourceType
from articles.models.newsroom import ArticleEvent, ArticleReadCount, ArticleRevision, Correction
from articles.models.publishing import (
    RESERVED_SLUGS,
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    Author,
    Section,
    published_condition,
    validate_section_slug,
)

__all__ = [
    "RESERVED_SLUGS",
    "Article",
    "ArticleAuthor",
    "ArticleEvent",
    "ArticleQuerySet",
    "ArticleReadCount",
    "ArticleRevision",
    "Author",
    "Correction",
    "Image",
    "Section",
    "SourceType",
    "published_condition",
    "validate_section_slug",
]
