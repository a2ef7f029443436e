"""Generate a large newsroom for benchmarks: articles, bylines, tags and threaded comments, fast (COPY)."""

import random
import sys
import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Author, Image, Section
from articles.search import refresh_search_vectors
from comments.models import Comment
from newsmag.demo import content as demo_content

WORDS = [
    "harbour",
    "council",
    "budget",
    "ferry",
    "bakery",
    "election",
    "climate",
    "river",
    "school",
    "hospital",
    "market",
    "festival",
    "museum",
    "railway",
    "bridge",
    "housing",
    "energy",
    "water",
    "farmers",
    "research",
    "library",
    "storm",
    "tourism",
    "workers",
    "union",
    "court",
    "mayor",
    "students",
    "science",
    "bread",
    "coffee",
    "night",
    "shift",
    "city",
    "region",
    "minister",
    "village",
    "forest",
    "glacier",
    "port",
    "prices",
]


class Progress:
    """A plain-text progress bar on stderr (no dependency)."""

    def __init__(self, label, total):
        self.label, self.total, self.done, self.started = label, total, 0, time.monotonic()

    def add(self, count):
        self.done += count
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r{self.label:<10} [{bar}] {self.done:>9,}/{self.total:,} ({rate:,.0f}/s)")
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
        rng = random.Random(seed)
        if not Section.objects.exists():
            self.stderr.write("Run load_demo first (sections, authors, images).")
            return
        sections = list(Section.objects.values_list("pk", flat=True))
        images = list(Image.objects.values_list("pk", flat=True)) or [None]
        authors = list(Author.objects.values_list("pk", flat=True))
        bodies = [spec["body"] for spec in demo_content.ARTICLES]
        tags = [
            Tag.objects.get_or_create(name=f"topic {i}", defaults={"slug": f"topic-{i}"})[0].pk
            for i in range(300)
        ]
        content_type = ContentType.objects.get_for_model(Article).pk
        now = timezone.now()
        first_id = self.copy_articles(rng, articles, sections, images, bodies, now)
        ids = range(first_id, first_id + articles)
        self.copy_relations(rng, ids, authors, tags, content_type)
        self.copy_comments(rng, comments, ids, now)
        progress = Progress("search", articles)
        for start in range(0, articles, 5000):
            batch = list(ids[start : start + 5000])
            refresh_search_vectors(batch)
            progress.add(len(batch))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Added {articles:,} articles and {comments:,} comments."))

    @transaction.atomic
    def copy_articles(self, rng, count, sections, images, bodies, now):
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
            start_id = cursor.fetchone()[0] + 1
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('articles_article', 'id'), %s)", [start_id + count]
            )
        columns = [
            "id",
            "kicker",
            "headline",
            "slug",
            "dek",
            "body",
            "source_label",
            "byline_text",
            "section_id",
            "lead_image_id",
            "status",
            "publish_at",
            "first_published_at",
            "featured",
            "comment_policy",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_columns, extra_values = model_defaults(Article, columns)
        columns += extra_columns
        progress = Progress("articles", count)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY articles_article ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for offset in range(count):
                pk = start_id + offset
                words = rng.sample(WORDS, 7)
                headline = " ".join(words).capitalize()
                published = now - timedelta(minutes=rng.randint(60, 5 * 365 * 24 * 60))
                copy.write_row(
                    (
                        pk,
                        words[0].capitalize(),
                        headline,
                        f"{slugify(headline)[:180]}-{pk}",
                        f"A generated story about {words[1]} and {words[2]}.",
                        rng.choice(bodies),
                        "People News",
                        "",
                        rng.choice(sections),
                        rng.choice(images),
                        "published",
                        published,
                        published,
                        False,
                        "open",
                        1,
                        published,
                        published,
                        *extra_values,
                    )
                )
                if offset % 5000 == 4999 or offset == count - 1:
                    progress.add(offset % 5000 + 1)
        return start_id

    @transaction.atomic
    def copy_relations(self, rng, ids, authors, tags, content_type):
        progress = Progress("relations", len(ids))
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY articles_articleauthor (article_id, author_id, position) FROM STDIN"
            ) as copy:
                for pk in ids:
                    for position, author in enumerate(
                        rng.sample(authors, min(len(authors), rng.choice((1, 1, 2))))
                    ):
                        copy.write_row((pk, author, position))
            with cursor.copy(
                "COPY taggit_taggeditem (object_id, content_type_id, tag_id) FROM STDIN"
            ) as copy:
                for number, pk in enumerate(ids, start=1):
                    for tag in rng.sample(tags, 3):
                        copy.write_row((pk, content_type, tag))
                    if number % 5000 == 0 or number == len(ids):
                        progress.add(5000 if number % 5000 == 0 else number % 5000)

    @transaction.atomic
    def copy_comments(self, rng, count, ids, now):
        """Comments in threads: every tenth is a reply to an earlier one on the same article."""
        if not count or not ids:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM comments_comment")
            next_id = cursor.fetchone()[0] + 1
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('comments_comment', 'id'), %s)", [next_id + count]
            )
        columns = [
            "id",
            "article_id",
            "parent_id",
            "depth",
            "name",
            "email",
            "body",
            "status",
            "moderation_reasons",
            "user_agent",
            "created_at",
        ]
        extra_columns, extra_values = model_defaults(Comment, columns)
        columns += extra_columns
        progress = Progress("comments", count)
        recent = {}
        # The most recent tenth of the articles get most comments, as readers do.
        hot = ids[int(len(ids) * 0.9) :] or ids
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY comments_comment ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for number in range(count):
                article = rng.choice(hot) if rng.random() < 0.8 else rng.choice(ids)
                parent, depth = None, 0
                earlier = recent.get(article)
                if earlier and rng.random() < 0.3:
                    parent, depth = earlier[0], min(earlier[1] + 1, 3)
                status = "approved" if rng.random() < 0.9 else rng.choice(("pending", "rejected", "spam"))
                copy.write_row(
                    (
                        next_id,
                        article,
                        parent,
                        depth,
                        f"Reader {number % 5000}",
                        f"reader{number % 5000}@example.com",
                        f"Comment number {number}: a thought about {rng.choice(WORDS)}.",
                        status,
                        "[]",
                        "",
                        now - timedelta(seconds=(count - number) * 20),  # replies come after what they answer
                        *extra_values,
                    )
                )
                if status == "approved":
                    recent[article] = (next_id, depth)
                next_id += 1
                if number % 20000 == 19999 or number == count - 1:
                    progress.add(number % 20000 + 1)


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
