"""Public pages run a constant number of queries, whatever the amount of content.

Counted in the steady state: after one request has warmed the shared caches (navigation sections,
most-read list), as every request but the first after a deploy or a section change sees them.
"""

import pytest

from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragment_cache_on(settings):
    from newsmag.page_cache import content_state

    settings.NEWSMAG_FRAGMENT_CACHE_SECONDS = 600  # nothing changes during these tests
    settings.NEWSMAG_PAGE_CACHE_VERSION_SECONDS = 1000
    content_state()  # this process knows the content version, as it does between its once-a-second reads


# Home: articles (+ comment counts), bylines.
HOME_QUERIES = 2
# Article: article, bylines, tags, corrections (thread and related stories come from fragment caches).
ARTICLE_QUERIES = 4
# The first request after a change also builds those fragments: + comments, related articles.
ARTICLE_QUERIES_COLD = 6
# Section: section, subsections, count, articles, bylines.
SECTION_QUERIES = 5


def build(count, section):
    authors = [AuthorFactory(), AuthorFactory()]
    articles = [
        ArticleFactory(section=section, lead_image=ImageFactory(), authors=authors, tags=["a", f"t{i}"])
        for i in range(count)
    ]
    target = articles[0]
    for _ in range(count):
        top = CommentFactory(article=target)
        reply = CommentFactory(article=target, parent=top)
        CommentFactory(article=target, parent=reply)
    return target


@pytest.mark.parametrize("count", [1, 15])
def test_home_page_query_count_is_constant(client, django_assert_num_queries, count):
    build(count, SectionFactory(slug="news"))
    client.get("/")
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("count", [1, 15])
def test_article_page_query_count_is_constant(client, django_assert_num_queries, count):
    target = build(count, SectionFactory(slug="news"))
    client.get("/")  # warm the navigation cache only
    with django_assert_num_queries(ARTICLE_QUERIES_COLD):
        client.get(target.get_absolute_url())
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get(target.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="comment ') == 3 * count


@pytest.mark.parametrize("count", [1, 15])
def test_section_page_query_count_is_constant(client, django_assert_num_queries, count):
    build(count, SectionFactory(slug="news"))
    client.get("/news/")
    with django_assert_num_queries(SECTION_QUERIES):
        assert client.get("/news/").status_code == 200
