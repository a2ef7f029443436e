"""Every field a reader can see, filled with script-injection vectors, renders with nothing executable.

The fields: article headline, kicker, standfirst, body, source label and byline note; the lead image's
title, alt text, caption, credit, creator, copyright notice, licence and AI system; author name, role and
bio; section name and description; tag name; correction text; comment name and body; the search query.
The pages: home, article (with its JSON-LD), section, tag, author, search, corrections, AI images, the
reply form, a comment form sent back with errors, and the RSS and Atom feeds.
"""

import pytest
from django.urls import reverse

from articles.structured_data import short_headline
from comments.models import Comment
from tests.factories import CommentFactory
from tests.security.hostile import fit, hostile_story
from tests.security.scan import assert_feed_is_safe, assert_nothing_executable
from tests.security.vectors import VECTORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(request):
    """A published story whose every visible field carries the vector, with an approved comment thread."""
    article, _ = hostile_story(request.param, key="one")
    return article


@pytest.mark.parametrize("hostile", VECTORS, indirect=True)
def test_no_vector_survives_on_any_page_or_feed(client, hostile):
    article = hostile
    tag = article.tags.get()
    author = article.byline_authors[0]
    comment = Comment.objects.get(parent=None)
    pages = [
        reverse("articles:home"),
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": tag.slug}),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=zebra",
        reverse("comments:reply", kwargs={"pk": comment.pk}),
        reverse("articles:corrections"),
        reverse("articles:ai-images"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        documents = assert_nothing_executable(response.content.decode(), url)
        if url == article.get_absolute_url():
            # The JSON-LD still says exactly what the editor wrote: escaped, not mangled.
            graph = [
                node
                for document in documents
                for node in (document if isinstance(document, list) else [document])
            ]
            news = next(node for node in graph if node.get("@type") == "NewsArticle")
            assert news["headline"] == short_headline(article.headline)
            assert news["image"][0]["caption"] == article.lead_image.caption
    feeds = [
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:section-feed", kwargs={"section": article.section.slug}),
        reverse("articles:tag-feed", kwargs={"slug": tag.slug}),
        reverse("articles:author-feed-atom", kwargs={"slug": author.slug}),
    ]
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_feed_is_safe(response.content, url)


@pytest.mark.parametrize("vector", VECTORS)
def test_search_query_is_shown_escaped(client, vector):
    response = client.get(reverse("articles:search"), {"q": vector})
    assert response.status_code == 200
    assert_nothing_executable(response.content.decode(), f"search for {vector!r}")


@pytest.mark.parametrize("vector", VECTORS)
def test_a_refused_comment_form_echoes_the_text_escaped(client, article, vector):
    response = client.post(
        reverse("comments:post", kwargs={"article_pk": article.pk}),
        {"name": fit(Comment, "name", vector), "email": vector, "body": vector, "parent": vector},
    )
    assert response.status_code == 400
    assert_nothing_executable(response.content.decode(), "comment form")
    assert not Comment.objects.exists()


def test_comment_links_are_nofollow_ugc_and_never_javascript(client, article):
    CommentFactory(
        article=article,
        body='See https://example.com/a?b=<c> and javascript:alert(1) and www.example.org/"onmouseover=x',
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert_nothing_executable(html)
    assert '<a href="https://example.com/a?b=" rel="nofollow ugc noopener">' in html
    assert '<a href="http://www.example.org/" rel="nofollow ugc noopener">' in html
    assert "and javascript:alert(1) and" in html  # text, not a link


def test_the_scanner_catches_what_it_is_meant_to_catch():
    """Guard against a checker that passes everything."""
    from tests.security.scan import scan_html

    for unsafe in [
        "<img src=x onerror=alert(1)>",
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
        "<script>alert(1)</script>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>',
        "<svg><set attributeName=href to=x></svg>",
        '<div style="x">',
        '<form action="javascript:alert(1)">',
    ]:
        problems, _documents = scan_html(unsafe)
        assert problems, unsafe
    problems, documents = scan_html(
        '<script src="/static/js/site.js"></script><script type="application/ld+json">{"a": "\\u003C/script>"}</script>'
        '<a href="https://example.com/">ok</a><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
    )
    assert problems == []
    assert documents == [{"a": "</script>"}]
