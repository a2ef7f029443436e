"""The published rule: status published AND publish time reached, on every public surface."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SURFACES = ["/", "/culture/", "/tag/food/", "/feed/", "/search/?q=zeppelin"]


def visible_on_surfaces(client, headline):
    return {url: headline in client.get(url).content.decode() for url in SURFACES}


@pytest.mark.parametrize(
    ("status", "hours_from_now"),
    [(Article.Status.DRAFT, None), (Article.Status.REVIEW, None), (Article.Status.UNPUBLISHED, -1)],
)
def test_unpublished_article_is_404_and_listed_nowhere(client, section, status, hours_from_now):
    publish_at = timezone.now() + timedelta(hours=hours_from_now) if hours_from_now else None
    article = ArticleFactory(
        section=section, status=status, publish_at=publish_at, headline="Zeppelin draft", tags=["food"]
    )
    assert client.get(article.get_absolute_url()).status_code == 404
    assert visible_on_surfaces(client, "Zeppelin draft") == dict.fromkeys(SURFACES, False)


def test_scheduled_article_is_hidden_until_its_time_then_everywhere(
    client, section, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            section=section, headline="Zeppelin returns", publish_at=start + timedelta(hours=2), tags=["food"]
        )
    with time_machine.travel(start, tick=False):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert visible_on_surfaces(client, "Zeppelin returns") == dict.fromkeys(SURFACES, False)
    with time_machine.travel(start + timedelta(hours=2, seconds=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert visible_on_surfaces(client, "Zeppelin returns") == dict.fromkeys(SURFACES, True)


def test_published_queryset_is_the_only_rule(section):
    now = timezone.now()
    live = ArticleFactory(section=section, publish_at=now - timedelta(minutes=1))
    ArticleFactory(section=section, publish_at=now + timedelta(minutes=1))
    ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None)
    assert list(Article.objects.published()) == [live]


def test_publishing_without_a_time_publishes_now_and_records_first_publication(section):
    article = ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None)
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.publish_at is not None
    assert article.first_published_at == article.publish_at
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_database_refuses_a_published_article_without_a_time(section):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=ArticleFactory(section=section).pk).update(publish_at=None)


def test_article_under_another_section_redirects_to_its_canonical_url(client, article):
    response = client.get(f"/world/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
