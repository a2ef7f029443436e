"""Generate a large newsroom for benchmarks: articles, bylines, tags, threaded comments, search vectors.

Everything is made inside PostgreSQL (`INSERT ... SELECT` over `generate_series`), so nothing crosses the
wire row by row: 1,000,000 articles and 10,000,000 comments take minutes. The secondary indexes, unique
and foreign-key constraints of the four filled tables are dropped for the load and rebuilt once at the end
(one sort per index instead of millions of index insertions; one join per foreign key instead of a check
per row), all in one transaction: a load that fails leaves the database as it was. Pictures are shared:
every generated story leads with one of the images already in the library.
"""

import sys
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleAuthor, Author, Image, Section
from articles.search import CONFIG
from comments.models import Comment
from newsmag.demo import content as demo_content

WORDS = [
    "harbour", "council", "budget", "ferry", "bakery", "election", "climate", "river", "school", "hospital",
    "market", "festival", "museum", "railway", "bridge", "housing", "energy", "water", "farmers", "research",
    "library", "storm", "tourism", "workers", "union", "court", "mayor", "students", "science", "bread",
    "coffee", "night", "shift", "city", "region", "minister", "village", "forest", "glacier", "port",
    "prices",
]  # fmt: skip
TAGS = 300
ARTICLE_BATCH = 50_000
COMMENT_BATCH = 500_000
THREAD = 10  # comments come in blocks of ten on one story: seven first comments, three replies
YEARS = 5  # generated stories are spread over this many years back from now

# Deterministic "random" numbers from a row number: hashint8 spreads consecutive numbers evenly, so a
# rerun with the same seed builds the same newsroom. `{n}` is the row number, `{salt}` tells draws apart.
DRAW = "((hashint8(({n}) * 7919 + {salt} + %(seed)s) & 2147483647)::bigint)"


def draw(n, salt, modulo):
    return f"mod({DRAW.format(n=n, salt=salt)}, {modulo})"


# Three different tags per story (t1, t1+1..149, t1+150..298, all modulo TAGS): used by the article's
# search vector and by its tagged items alike.
TAG_INDEXES = (
    draw("g", 11, TAGS),
    f"mod({draw('g', 11, TAGS)} + 1 + {draw('g', 12, 149)}, {TAGS})",
    f"mod({draw('g', 11, TAGS)} + 150 + {draw('g', 13, 149)}, {TAGS})",
)


class Progress:
    """A plain-text progress bar on stderr (no dependency), with the rate and the time taken."""

    def __init__(self, label, total):
        self.label, self.total, self.done, self.started = label, total, 0, time.monotonic()
        self.add(0)

    def add(self, count):
        self.done += count
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        elapsed = time.monotonic() - self.started
        rate = self.done / max(elapsed, 1e-6)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(
            f"\r{self.label:<10} [{bar}] {self.done:>11,}/{self.total:,} ({rate:,.0f}/s, {elapsed:,.0f} s)"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class Command(BaseCommand):
    help = "Add N generated published articles and M comments (for `make bench`). Adds; never deletes."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--comments", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, articles, comments, seed, **options):
        if not Section.objects.exists() or not Author.objects.exists():
            self.stderr.write("Run load_demo first (sections, authors, images).")
            return
        started = time.monotonic()
        tags = [
            Tag.objects.get_or_create(name=f"topic {i}", defaults={"slug": f"topic-{i}"})[0].pk
            for i in range(TAGS)
        ]
        params = {
            "seed": seed,
            "config": CONFIG,
            "words": WORDS,
            "sections": list(Section.objects.order_by("pk").values_list("pk", flat=True)),
            "images": list(Image.objects.order_by("pk").values_list("pk", flat=True)) or [None],
            "authors": list(Author.objects.order_by("pk").values_list("pk", flat=True)),
            "tags": tags,
            "article_type": ContentType.objects.get_for_model(Article).pk,
            "now": timezone.now(),
        }
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            tables = [model._meta.db_table for model in (Article, ArticleAuthor, TaggedItem, Comment)]
            rebuild = drop_indexes_and_constraints(cursor, tables)
            first_id = self.insert_articles(cursor, articles, params)
            self.insert_relations(cursor, first_id, articles, params)
            self.insert_comments(cursor, first_id, articles, comments, params)
            progress = Progress("indexes", len(rebuild))
            for statement in rebuild:
                cursor.execute(statement)
                progress.add(1)
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")  # visibility map for index-only scans, statistics
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {articles:,} articles and {comments:,} comments"
                f" in {time.monotonic() - started:,.0f} s."
            )
        )

    def insert_articles(self, cursor, count, params):
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM articles_article")
        first_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('articles_article', 'id'), %s)", [first_id + count]
        )
        # Each distinct body's vector once (the bodies are the demo's), as articles.search computes it.
        cursor.execute(
            """CREATE TEMP TABLE generated_body ON COMMIT DROP AS
               SELECT ordinality - 1 AS idx, body,
                      setweight(to_tsvector(%(config)s::regconfig,
                                            regexp_replace(body, '<[^>]+>', ' ', 'g') || ' '), 'C') AS vector
               FROM unnest(%(bodies)s::text[]) WITH ORDINALITY AS body""",
            {"config": CONFIG, "bodies": [spec["body"] for spec in demo_content.ARTICLES]},
        )
        cursor.execute(
            """CREATE TEMP TABLE generated_tag ON COMMIT DROP AS
               SELECT ids.ordinality - 1 AS idx, t.id, t.name
               FROM unnest(%(tags)s::int[]) WITH ORDINALITY AS ids(tag_id, ordinality)
               JOIN taggit_tag t ON t.id = ids.tag_id""",
            params,
        )
        cursor.execute("SELECT count(*) FROM generated_body")
        bodies = cursor.fetchone()[0]
        columns = [
            "id", "kicker", "headline", "slug", "dek", "body", "source_label", "byline_text", "section_id",
            "lead_image_id", "status", "publish_at", "first_published_at", "featured", "comment_policy",
            "version", "created_at", "updated_at", "search_vector",
        ]  # fmt: skip
        extra_columns, extra_values = model_defaults(Article, columns)
        extras = "".join(f", %(extra_{i})s" for i in range(len(extra_values)))
        words = [f"(%(words)s::text[])[1 + {draw('g', 20 + i, len(WORDS))}]" for i in range(7)]
        tag_names = " || ' ' || ".join(
            f"(SELECT name FROM generated_tag WHERE idx = {index})" for index in TAG_INDEXES
        )
        sql = f"""
            INSERT INTO articles_article ({", ".join(columns + extra_columns)})
            SELECT g, initcap(w1), headline, left(lower(replace(headline, ' ', '-')), 180) || '-' || g,
                   'A generated story about ' || w2 || ' and ' || w3 || '.', b.body, 'People News', '',
                   (%(sections)s::bigint[])[1 + {draw("g", 1, len(params["sections"]))}],
                   (%(images)s::bigint[])[1 + {draw("g", 2, len(params["images"]))}],
                   'published', t, t, false, 'open', 1, t, t,
                   setweight(to_tsvector(%(config)s::regconfig, initcap(w1) || ' ' || headline), 'A')
                   || setweight(to_tsvector(%(config)s::regconfig,
                        'A generated story about ' || w2 || ' and ' || w3 || '. ' || {tag_names}), 'B')
                   || b.vector
                   {extras}
            FROM (
                SELECT g, {words[0]} AS w1, {words[1]} AS w2, {words[2]} AS w3,
                       initcap({" || ' ' || ".join(words)}) AS headline,
                       %(now)s::timestamptz - interval '1 hour'
                           - {draw("g", 3, YEARS * 365 * 24 * 60)} * interval '1 minute' AS t,
                       {draw("g", 4, bodies)} AS body_idx
                FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
            ) AS s JOIN generated_body b ON b.idx = s.body_idx
        """
        values = {**params, **{f"extra_{i}": value for i, value in enumerate(extra_values)}}
        progress = Progress("articles", count)
        for start in range(first_id, first_id + count, ARTICLE_BATCH):
            stop = min(start + ARTICLE_BATCH, first_id + count) - 1
            cursor.execute(sql, {**values, "start": start, "stop": stop})
            progress.add(stop - start + 1)
        return first_id

    def insert_relations(self, cursor, first_id, count, params):
        """One or two bylines per story (a third have two) and three tags each."""
        progress = Progress("relations", count)
        authors = len(params["authors"])
        second = f"mod({draw('g', 30, authors)} + 1 + {draw('g', 32, max(authors - 1, 1))}, {authors})"
        tagged = " UNION ALL ".join(
            f"SELECT g, %(article_type)s, (%(tags)s::int[])[1 + {index}] FROM series" for index in TAG_INDEXES
        )
        for start in range(first_id, first_id + count, ARTICLE_BATCH):
            stop = min(start + ARTICLE_BATCH, first_id + count) - 1
            bounds = {**params, "start": start, "stop": stop}
            cursor.execute(
                f"""INSERT INTO articles_articleauthor (article_id, author_id, position)
                    SELECT g, (%(authors)s::bigint[])[1 + {draw("g", 30, authors)}], 0
                    FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
                    UNION ALL
                    SELECT g, (%(authors)s::bigint[])[1 + {second}], 1
                    FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
                    WHERE {authors} > 1 AND {draw("g", 31, 3)} = 0""",
                bounds,
            )
            cursor.execute(
                f"""WITH series AS (SELECT g FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g)
                    INSERT INTO taggit_taggeditem (object_id, content_type_id, tag_id) {tagged}""",
                bounds,
            )
            progress.add(stop - start + 1)

    def insert_comments(self, cursor, first_article, articles, count, params):
        """Comments in blocks of ten on one story: seven first comments and three replies (two deep).

        Most go to the newest tenth of the stories, as readers do; nine in ten are approved, and every
        comment that is answered is.
        """
        if not count or not articles:
            return
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM comments_comment")
        first_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('comments_comment', 'id'), %s)", [first_id + count]
        )
        columns = [
            "id", "article_id", "parent_id", "depth", "name", "email", "body", "status", "moderation_reasons",
            "user_agent", "created_at",
        ]  # fmt: skip
        extra_columns, extra_values = model_defaults(Comment, columns)
        extras = "".join(f", %(extra_{i})s" for i in range(len(extra_values)))
        hot = max(articles // 10, 1)
        # The story of block `b`: the newest tenth of the stories (by id) four times in five.
        story = f"""CASE WHEN {draw("b", 40, 5)} < 4
                         THEN %(first_article)s + {articles - hot} + {draw("b", 41, hot)}
                         ELSE %(first_article)s + {draw("b", 42, articles)} END"""
        sql = f"""
            INSERT INTO comments_comment ({", ".join(columns + extra_columns)})
            SELECT n, article, CASE p WHEN 7 THEN n - 1 WHEN 8 THEN n - 1 WHEN 9 THEN n - 3 END,
                   CASE p WHEN 7 THEN 1 WHEN 8 THEN 2 WHEN 9 THEN 1 ELSE 0 END,
                   'Reader ' || mod(n, 5000), 'reader' || mod(n, 5000) || '@example.com',
                   'Comment number ' || n || ': a thought about '
                       || (%(words)s::text[])[1 + {draw("n", 43, len(WORDS))}] || '.',
                   CASE WHEN p IN (6, 7) OR {draw("n", 44, 10)} < 9 THEN 'approved'
                        ELSE (ARRAY['pending', 'rejected', 'spam'])[1 + {draw("n", 45, 3)}] END,
                   '[]'::jsonb, '',
                   %(now)s::timestamptz - (%(last)s - n) * interval '20 seconds'
                   {extras}
            FROM (
                SELECT b * {THREAD} + p + %(first_id)s AS n, p, {story} AS article
                FROM generate_series(%(block_start)s::bigint, %(block_stop)s::bigint) AS b,
                     generate_series(0, {THREAD - 1}) AS p
            ) AS s
            WHERE n < %(end)s
        """
        values = {
            **params,
            **{f"extra_{i}": value for i, value in enumerate(extra_values)},
            "first_article": first_article,
            "first_id": first_id,
            "last": first_id + count,
            "end": first_id + count,
        }
        progress = Progress("comments", count)
        blocks_per_batch = COMMENT_BATCH // THREAD
        blocks = -(-count // THREAD)
        for block in range(0, blocks, blocks_per_batch):
            stop = min(block + blocks_per_batch, blocks) - 1
            cursor.execute(sql, {**values, "block_start": block, "block_stop": stop})
            progress.add(min((stop + 1) * THREAD, count) - block * THREAD)


def drop_indexes_and_constraints(cursor, tables):
    """Drop the unique and foreign-key constraints and the secondary indexes of `tables` (primary keys and
    check constraints stay) and return the statements that make them again, indexes first."""
    cursor.execute(
        """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
           FROM pg_constraint c WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('u', 'f')""",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                           AND c.conrelid = i.indrelid)""",
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    unique = [c for c in constraints if c[3] == "u"]
    foreign = [c for c in constraints if c[3] == "f"]  # after the unique ones they may rely on
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition, _ in unique + foreign
    ]


def model_defaults(model, columns):
    """The columns of `model` that `columns` leaves out and the database requires, with their model
    defaults (an empty string for text without one): fields added to a model later are filled in without
    touching the generator."""
    extra_columns, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.null:
            continue
        default = field.get_default()
        if default is None:
            continue  # required without a default: the generator must name it
        extra_columns.append(field.column)
        extra_values.append(field.get_db_prep_save(default, connection))
    return extra_columns, extra_values
