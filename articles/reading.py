"""What readers read, and what they might read next: read counts, the most read list, related stories.

Each is one bounded query, or none while it is kept (until the content changes).
"""

import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.utils import timezone
from taggit.models import TaggedItem

from articles import limits
from articles.caching import SITE, article_key, cached_for_content, depends_on
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


# User agents that announce a program rather than a person's browser (crawlers, link previews, scripts).
AUTOMATED = re.compile(
    r"bot|crawl|spider|slurp|scrape|fetch|preview|monitor|headless|phantom|curl|wget|python|java/|"
    r"go-http|okhttp|httpclient|axios|node-fetch|libwww|perl|ruby|php",
    re.IGNORECASE,
)


def looks_automated(user_agent: str) -> bool:
    return not user_agent.strip() or AUTOMATED.search(user_agent) is not None


def record_read(article_id, *, network, user_agent, now=None) -> bool:
    """Count a reader's read of a story, unless it should not count; True when it was counted.

    A network (an IPv6 /64 counts as one) is counted once per story per day, bots are not counted, and a
    network that sends more than NEWSMAG_READS_PER_MINUTE counted reads a minute is not counted further:
    one address cannot move a story up "Most read". Nothing about the reader is stored (articles.limits
    keeps keyed hashes that expire).
    """
    if looks_automated(user_agent):
        return False
    now = now or timezone.now()
    today = timezone.localdate(now)
    midnight = datetime.combine(today + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())
    until_midnight = max(1, int((midnight - now).total_seconds()))
    if not limits.hit("read", network, article_id, today, limit=1, seconds=until_midnight, now=now).allowed:
        return False
    if not limits.hit("reads", network, limit=settings.NEWSMAG_READS_PER_MINUTE, seconds=60, now=now).allowed:
        return False
    count_read(article_id)
    return True


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
    def compute_shown():
        stories = compute()
        depends_on(*(article_key(story.pk) for story in stories))  # an edited or unpublished story
        return stories

    return cached_for_content(
        "articles:most-read",
        compute_shown,
        section.pk if section else "all",
        limit,
        deps=[SITE],  # and the stories it shows (compute_shown): an empty list is no undeclared list
        seconds=MOST_READ_SECONDS,
    )
