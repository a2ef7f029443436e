"""`manage.py generate_content`, the benchmark's newsroom: made in SQL, yet what the site itself would store."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from articles.models import Article
from articles.search import refresh_search_vectors
from comments.models import Comment
from tests.factories import AuthorFactory, ImageFactory, SectionFactory

TABLES = ("articles_article", "articles_articleauthor", "taggit_taggeditem", "comments_comment")


def indexes_and_constraints():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = ANY(%s::regclass[])",
            [list(TABLES)],
        )
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])", [list(TABLES)]
        )
        return indexes, {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)  # it commits, then VACUUMs (outside a transaction)
def test_generated_newsroom_is_what_the_site_would_store_and_keeps_every_index():
    SectionFactory.create_batch(2)
    AuthorFactory.create_batch(3)
    ImageFactory()
    before = indexes_and_constraints()

    call_command("generate_content", articles=60, comments=500)

    assert indexes_and_constraints() == before  # dropped for the load, all made again
    articles = list(Article.objects.published().order_by("pk"))
    assert len(articles) == 60
    assert len({article.slug for article in articles}) == 60
    for article in articles[:5]:
        assert article.tags.count() == 3
        assert 1 <= article.bylines.count() <= 2
        assert article.lead_image_id is not None
    # The search vector written in SQL holds what articles.search computes (the same words and weights;
    # positions may differ with the order of the tags).
    article = articles[0]

    def lexemes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT array_agg(lexeme || ':' || array_to_string(weights, '') ORDER BY lexeme)"
                " FROM unnest((SELECT search_vector FROM articles_article WHERE id = %s))",
                [article.pk],
            )
            return cursor.fetchone()[0]

    generated = lexemes()
    refresh_search_vectors([article.pk])
    assert lexemes() == generated

    comments = Comment.objects.filter(article__in=articles)
    assert comments.count() == 500
    replies = comments.exclude(parent=None)
    assert replies.exists()
    assert not replies.exclude(parent__article_id=F("article_id")).exists()  # a reply stays in its thread
    assert not replies.exclude(parent__status="approved").exists()  # only shown comments are answered
    assert not replies.exclude(parent__created_at__lt=F("created_at")).exists()
