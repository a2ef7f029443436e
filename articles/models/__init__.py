from articles.models.alerts import NewsAlert, NewsAlertQuerySet, breaking_banner
from articles.models.caching import CacheVersion
from articles.models.embeds import Embed
from articles.models.fronts import Container, FrontPage, FrontRevision, Layout, Pin, Source
from articles.models.images import Image, SourceType
from articles.models.limits import RateCounter
from articles.models.live import LiveUpdate
from articles.models.newsletters import (
    Delivery,
    Issue,
    IssueItem,
    Newsletter,
    Subscriber,
    Subscription,
    Suppression,
)
from articles.models.newsroom import (
    ArticleEvent,
    ArticleReadCount,
    ArticleRevision,
    Autosave,
    Correction,
    ImageProvenanceChange,
)
from articles.models.pages import Page
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
from articles.models.sections import (
    RESERVED_SLUGS,
    Section,
    nav_sections,
    site_directory,
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
    "Autosave",
    "BodyImage",
    "CacheVersion",
    "Container",
    "Correction",
    "Delivery",
    "Embed",
    "FrontPage",
    "FrontRevision",
    "Image",
    "ImageProvenanceChange",
    "Issue",
    "IssueItem",
    "Layout",
    "LiveUpdate",
    "NewsAlert",
    "NewsAlertQuerySet",
    "Newsletter",
    "Page",
    "Pin",
    "RateCounter",
    "RetiredSlug",
    "Section",
    "Source",
    "SourceType",
    "Subscriber",
    "Subscription",
    "Suppression",
    "add_listing_annotation",
    "breaking_banner",
    "load_body_references",
    "nav_sections",
    "published_condition",
    "site_directory",
    "validate_section_slug",
]
