"""What to read next: related articles, the most read list, the navigation, each in one query or none."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import TaggedItem

from articles.models import Article, ArticleReadCount, Section
from newsmag.page_cache import cached_for_content

NAV_CACHE_KEY = "articles:nav-sections"
MOST_READ_CACHE_KEY = "articles:most-read:{}"
MOST_READ_DAYS = 2
MOST_READ_SECONDS = 300


def nav_sections():
    """The sections in the navigation, kept in each process until the content changes."""
    return cached_for_content(NAV_CACHE_KEY, lambda: list(Section.objects.in_navigation()))


def related_articles(article, limit=4):
    """Published stories sharing the most tags with `article`, then from its section, newest first."""
    tag_ids = [tag["id"] for tag in article.tag_list]
    content_type = ContentType.objects.get_for_model(Article)
    tagged = TaggedItem.objects.filter(content_type=content_type, tag_id__in=tag_ids)
    shared = (
        tagged.filter(object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(Q(section_id=article.section_id) | Q(pk__in=tagged.values("object_id")))
        .annotate(
            shared=Coalesce(Subquery(shared), Value(0)),
            same_section=Case(
                When(section_id=article.section_id, then=1), default=0, output_field=IntegerField()
            ),
        )
        .select_related("section", "lead_image")
        .order_by("-shared", "-same_section", "-publish_at")[:limit]
    )


def count_read(article_id):
    """Add one read to today's count (one statement; concurrent reads add up correctly)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_articlereadcount (article_id, day, count) VALUES (%s, %s, 1) "
            "ON CONFLICT (article_id, day) DO UPDATE SET count = articles_articlereadcount.count + 1",
            [article_id, timezone.localdate()],
        )


def most_read(section=None, limit=5):
    """The most read published stories of the last two days, cached for five minutes."""
    key = MOST_READ_CACHE_KEY.format(section.pk if section else "all")

    def compute():
        since = timezone.localdate() - timedelta(days=MOST_READ_DAYS - 1)
        reads = (
            ArticleReadCount.objects.filter(article=OuterRef("pk"), day__gte=since)
            .order_by()
            .values("article")
            .annotate(total=Sum("count"))
            .values("total")
        )
        queryset = Article.objects.published().annotate(reads=Subquery(reads)).filter(reads__gt=0)
        if section is not None:
            queryset = queryset.filter(section=section)
        return list(queryset.select_related("section").order_by("-reads", "-publish_at")[:limit])

    # Per process (no network trip); an unpublished story leaves the list at once.
    return cached_for_content(key, compute, MOST_READ_SECONDS)
