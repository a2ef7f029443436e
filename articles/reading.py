"""What readers read, and what they might read next: read counts, the most read list, related stories.

Each is one bounded query, or none while it is kept (until the content changes).
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.utils import timezone
from taggit.models import TaggedItem

from articles.caching import cached_for_content
from articles.models import Article

MOST_READ_DAYS = 2
MOST_READ_SECONDS = 300


def related_articles(article, limit=4):
    """Published stories sharing the most tags with `article` (same section first), then the newest from its
    section.

    One UNION ALL of two bounded parts, merged here: the stories with the most shared tags (chosen by one
    GROUP BY over the tags' items on article ids alone, then loaded whole) and the newest of the section
    (an index range scan). Its cost follows the size of the article's tags, not of the archive: about
    20 ms for three tags of 1,000 stories each.
    """
    tag_ids = [tag["id"] for tag in article.tag_list]
    stories = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .select_related("section", "lead_image")
        .defer("body", "search_vector", "lead_image__metadata")
    )
    newest_in_section = (
        stories.filter(section_id=article.section_id)
        .annotate(shared=Value(0), same_section=Value(1))
        .order_by("-publish_at")[:limit]
    )
    if not tag_ids:
        return list(newest_in_section)
    same_section = Case(When(section_id=article.section_id, then=1), default=0, output_field=IntegerField())
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), tag_id__in=tag_ids
    )
    # The best few are chosen on narrow rows (grouped by article id alone), then loaded whole.
    best_pks = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(tags__in=tag_ids)
        .values("pk")
        .annotate(n=Count("pk"), same_section=same_section)
        .order_by("-n", "-same_section", "-publish_at")
        .values("pk")[:limit]
    )
    shared = tagged.filter(object_id=OuterRef("pk")).order_by().values("object_id").annotate(n=Count("pk"))
    sharing_tags = stories.filter(pk__in=best_pks).annotate(
        shared=Subquery(shared.values("n")), same_section=same_section
    )
    best = {}
    for story in sharing_tags.union(newest_in_section, all=True):
        if story.pk not in best or story.shared > best[story.pk].shared:
            best[story.pk] = story
    ranked = sorted(best.values(), key=lambda s: (s.shared, s.same_section, s.publish_at), reverse=True)
    return ranked[:limit]


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

    def compute():
        # Driven by the read counts of the last days (index on day): the work follows the traffic of two
        # days, not the size of the archive.
        since = timezone.localdate() - timedelta(days=MOST_READ_DAYS - 1)
        queryset = Article.objects.published().filter(read_counts__day__gte=since)
        if section is not None:
            queryset = queryset.filter(section=section)
        return list(
            queryset.annotate(reads=Sum("read_counts__count"))
            .select_related("section")
            .only("headline", "slug", "publish_at", "section__slug", "section__name")
            .order_by("-reads", "-publish_at")[:limit]
        )

    # Per process (no network trip); an unpublished story leaves the list at once.
    return cached_for_content(
        "articles:most-read", compute, section.pk if section else "all", seconds=MOST_READ_SECONDS
    )
