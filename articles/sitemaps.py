from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import caching
from articles.models import Article, Author, Section
from articles.text import clean_xml_document


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "section__slug", "updated_at", "publish_at")
            .order_by("-publish_at")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.publish_at)


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.annotate(last=Max("articles__publish_at")).order_by("position", "name")

    def lastmod(self, item):
        return item.last


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        published = Article.objects.published().values("pk")
        return (
            Tag.objects.filter(
                taggit_taggeditem_items__content_type__app_label="articles",
                taggit_taggeditem_items__object_id__in=published,
            )
            .order_by("name")
            .distinct()
        )

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


class AuthorSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return (
            Author.objects.filter(bylines__article__in=Article.objects.published())
            .distinct()
            .order_by("name")
        )


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}

# Django's sitemap views, whose rendered documents never hold a control character (see articles.text).
# Every story's change retires them (articles/caching.py); sections, tags and authors retire everything.
index_view = caching.shows(caching.SITEMAPS)(clean_xml_document(sitemap_views.index))
sitemap_view = caching.shows(caching.SITEMAPS)(clean_xml_document(sitemap_views.sitemap))

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def news_language(language_code: str) -> str:
    """Google News wants an ISO 639 code ("en", "pt"), except for Chinese ("zh-cn", "zh-tw")."""
    code = language_code.lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-tw" if code in ("zh-tw", "zh-hant", "zh-hk", "zh-mo") else "zh-cn"
    return code.split("-")[0]


def news_articles():
    """Articles for the Google News sitemap: published in the last 48 hours, at most 1,000."""
    now = timezone.now()
    return (
        Article.objects.published()
        .filter(publish_at__gte=now - NEWS_WINDOW)
        .select_related("section")
        .order_by("-publish_at")[:NEWS_LIMIT]
    )
