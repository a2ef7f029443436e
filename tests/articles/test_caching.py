"""Kept pages and fragments: one key builder, one invalidation path, as production has them."""

import itertools

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from articles.caching import cached_for_content
from articles.models import Article
from comments import moderation
from comments.models import Comment
from tests.commits import run_after_commit_work
from tests.factories import CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template('{% load articles_tags %}{% keep "probe" part %}{{ renders }}{% endkeep %}')
STABLE = Template('{% load articles_tags %}{% keep "probe-stable" part stable %}{{ renders }}{% endkeep %}')


class Renders:
    """Counts how often a template shows it: the number of times the fragment was really rendered."""

    def __init__(self):
        self.count = itertools.count(1)

    def __str__(self):
        return str(next(self.count))


@pytest.fixture
def renders():
    return Renders()


def render(renders, *, template=TEMPLATE, part="a", host="news.example", secure=False, **extra):
    request = RequestFactory().get("/", HTTP_HOST=host, secure=secure)
    return template.render(Context({"request": request, "renders": renders, "part": part, **extra}))


def change_content():
    SectionFactory()  # any change readers see
    run_after_commit_work()


def test_a_kept_fragment_is_rendered_once_until_the_content_changes(renders, settings):
    settings.ALLOWED_HOSTS = ["*"]
    assert render(renders) == "1"
    assert render(renders) == "1"
    change_content()
    assert render(renders) == "2"


def test_a_kept_fragment_is_keyed_by_what_it_varies_on_host_and_scheme(renders, settings):
    settings.ALLOWED_HOSTS = ["*"]
    assert render(renders) == "1"
    assert render(renders, part="b") == "2"
    assert render(renders, host="other.example") == "3"
    assert render(renders, secure=True) == "4"
    assert render(renders) == "1"


def test_a_preview_never_stores_or_reuses_a_fragment(renders, settings):
    settings.ALLOWED_HOSTS = ["*"]
    assert render(renders) == "1"
    assert render(renders, preview=True) == "2"
    assert render(renders, preview=True) == "3"
    assert render(renders) == "1"


def test_a_stable_fragment_is_keyed_by_what_it_shows_and_outlives_other_changes(renders, settings):
    settings.ALLOWED_HOSTS = ["*"]
    assert render(renders, template=STABLE) == "1"
    change_content()
    assert render(renders, template=STABLE) == "1"
    assert render(renders, template=STABLE, part="edited") == "2"


def test_fragments_are_off_when_their_lifetime_is_zero(renders, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.NEWSMAG_FRAGMENT_CACHE_SECONDS = 0
    assert [render(renders), render(renders)] == ["1", "2"]


def test_a_bulk_update_of_a_watched_queryset_retires_kept_values(article):
    computed = itertools.count(1)
    assert cached_for_content("probe", lambda: next(computed)) == 1
    assert cached_for_content("probe", lambda: next(computed)) == 1
    Article.objects.filter(pk=article.pk).update(headline="A new headline")  # sends no signal
    run_after_commit_work()
    assert cached_for_content("probe", lambda: next(computed)) == 2


def test_a_held_comment_changes_nothing_readers_see_its_approval_does(article):
    computed = itertools.count(1)
    run_after_commit_work()
    assert cached_for_content("probe", lambda: next(computed)) == 1
    held = CommentFactory(article=article, status=Comment.Status.PENDING)
    run_after_commit_work()
    assert cached_for_content("probe", lambda: next(computed)) == 1
    moderation.approve([held], moderator=None)
    run_after_commit_work()
    assert cached_for_content("probe", lambda: next(computed)) == 2
