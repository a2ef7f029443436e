"""Full-text search on PostgreSQL: a stored, weighted vector per article and a ranked query.

Weights: headline A, standfirst and tags B, body C (with the captions and credits of the pictures it shows).
The vector is refreshed after commit whenever an article, its tags or one of its body's pictures change
(signals in articles/signals.py), so search never sees half a transaction.
"""

import itertools
from datetime import timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import DateTimeField, ExpressionWrapper, F, FloatField, Func, Value
from django.db.models.functions import Now
from django.utils import timezone

from articles.models import Article

CONFIG = "english"
HIGHLIGHT_START = "\x02"  # ts_headline marks matches with these; people cannot type them
HIGHLIGHT_STOP = "\x03"
RECENCY_DAYS = 30.0  # a story this many days old ranks at half the weight of a fresh one
CANDIDATES = 200  # only the newest matches are ranked: bounded work however common the words
# Where a body's blocks end (a subheading, a paragraph, a list item, a caption...). A snippet is made from the
# body's text, and without a mark there a subheading runs into the next sentence ("Life on board The
# train"): a block that ends without punctuation (or a closing quote) gets " · ", the rest a space.
# Inline tags go first, so that "<h2><em>Life on board</em></h2>" ends its heading with the mark too.
_BLOCK_END = r"(h[1-6]|p|li|dt|dd|th|td|blockquote|figcaption|figure|aside|div|pre)"
_UNMARKED_BLOCK_END = r"""([^\s.!?:;…·>"'”’»])\s*</""" + _BLOCK_END + ">"
_INLINE_TAG = r"</?(a|abbr|b|code|em|i|mark|s|small|span|strong|sub|sup|u)(\s[^>]*)?>"

_REFRESH_SQL = """
UPDATE articles_article AS a SET search_vector =
    setweight(to_tsvector(%(config)s, coalesce(a.kicker, '') || ' ' || a.headline), 'A')
    || setweight(to_tsvector(%(config)s, coalesce(a.dek, '') || ' ' || coalesce((
        SELECT string_agg(t.name, ' ') FROM taggit_tag t
        JOIN taggit_taggeditem ti ON ti.tag_id = t.id
        JOIN django_content_type ct ON ct.id = ti.content_type_id
        WHERE ct.app_label = 'articles' AND ct.model = 'article' AND ti.object_id = a.id
    ), '')), 'B')
    || setweight(to_tsvector(%(config)s, regexp_replace(a.body, '<[^>]+>', ' ', 'g') || ' ' || coalesce((
        SELECT string_agg(concat_ws(' ', i.caption, i.credit, i.creator), ' ') FROM articles_image i
        JOIN articles_bodyimage bi ON bi.image_id = i.id
        WHERE bi.article_id = a.id
    ), '')), 'C')
WHERE a.id = ANY(%(ids)s)
"""


def refresh_search_vectors(article_ids):
    """Recompute the stored search vector of these articles (one statement)."""
    ids = list(article_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH_SQL, {"config": CONFIG, "ids": ids})


# Where newest_matches() looks first: a common query finds its newest matches in the last days; a rare one
# reaches further back, window by window (the last reaches the first story).
WINDOWS_DAYS = (7, 90, 730)


def newest_matches(queryset, text, limit=CANDIDATES):
    """Primary keys of the newest `limit` articles in `queryset` matching `text` (websearch syntax).

    Only the newest matches are ranked: a query for a word in half the archive costs about the same as a
    rare one, and old stories a reader wants are still found by adding a word or a date filter.

    One query: the matches of successive date windows, newest window first, each from the GIN index ANDed
    with the publication date index, chained by UNION ALL under one LIMIT, so PostgreSQL stops at the
    window that completes the list and never opens the older ones. Left to itself, PostgreSQL walks the
    date index newest first and tests each story's vector (read from TOAST, a few kB each: a cost its
    planner does not see), which took seconds at a million stories for a query matching one in a hundred.
    Each window sorts by an expression that the date index cannot provide, which rules that walk out.
    """
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    newest = ExpressionWrapper(F("publish_at") + Value(timedelta(0)), output_field=DateTimeField())
    matching = queryset.filter(search_vector=query).order_by(newest.desc()).values_list("pk", "publish_at")
    now = timezone.now()
    edges = [now, *(now - timedelta(days=days) for days in WINDOWS_DAYS), None]
    windows = [
        matching.filter(publish_at__lte=end, **({"publish_at__gt": start} if start else {}))[:limit]
        for end, start in itertools.pairwise(edges)
    ]
    rows = windows[0].union(*windows[1:], all=True)[:limit]
    # The windows come in order; sorted again all the same, as SQL promises no order for a UNION.
    return [pk for pk, _ in sorted(rows, key=lambda row: row[1], reverse=True)]


def ranked(pks, text):
    """The articles `pks`, best match first, with a highlighted snippet and what their story cards show.

    Rank is PostgreSQL's ts_rank on the weighted vector, divided by an age factor so that, of two equally
    good matches, the newer story comes first. The snippet (ts_headline, the costly part) is computed by
    PostgreSQL only for the rows of the page shown.
    """
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    inline_free = Func(F("body"), Value(_INLINE_TAG), Value(""), Value("g"), function="regexp_replace")
    block_marks = Func(inline_free, Value(_UNMARKED_BLOCK_END), Value(r"\1 · "), Value("g"),
                       function="regexp_replace")  # fmt: skip
    plain_body = Func(block_marks, Value("<[^>]+>"), Value(" "), Value("g"), function="regexp_replace")
    age_days = Func(Now(), F("publish_at"), template="EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0",
                    arg_joiner=" - ", output_field=FloatField())  # fmt: skip
    return (
        # What a story card shows (includes/story_card.html), without the bylines it does not show.
        Article.objects.filter(pk__in=pks)
        .for_listing()
        .prefetch_related(None)
        .annotate(
            rank=SearchRank(F("search_vector"), query) / (Value(1.0) + age_days / Value(RECENCY_DAYS)),
            snippet=SearchHeadline(
                plain_body, query, config=CONFIG, start_sel=HIGHLIGHT_START, stop_sel=HIGHLIGHT_STOP,
                max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-publish_at")
    )  # fmt: skip
