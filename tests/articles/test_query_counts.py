"""Public pages run a constant, small number of queries, whatever the amount of content.

Each page is counted twice for a little content and again after adding a lot more:
- cold: the first request after a change, with every per-process cache (fragments, page data,
  navigation, most read) empty, as right after a publish or a comment approval;
- warm: the next request, which reuses what the cold one stored until the content changes again.
The limits are the issue's: article 6, home 8, section, tag, author and search 6; the article page's rail
added its "Most read" (one query when cold, then kept per process for five minutes, as on home and
section pages): article 7.
"""

import pytest
from django.core.cache import caches

from articles.caching import content_state
from articles.models import Embed
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db

LIMITS = {"home": 8, "article": 7, "section": 6, "tag": 6, "author": 6, "search": 6}


@pytest.fixture(autouse=True)
def _fragment_cache_on(settings):
    settings.NEWSMAG_FRAGMENT_CACHE_SECONDS = 600  # nothing changes during these tests
    settings.NEWSMAG_PAGE_CACHE_VERSION_SECONDS = 1000


def add_content(section, author, target, count):
    """`count` more illustrated, tagged stories by `author`, and `count` more 3-deep threads on target."""
    for i in range(count):
        ArticleFactory(
            section=section,
            lead_image=ImageFactory(),
            authors=[author, AuthorFactory()],
            tags=["harbour", f"t{i}-{count}"],
            headline=f"Harbour story {i} of {count}",
        )
    for _ in range(count):
        top = CommentFactory(article=target)
        reply = CommentFactory(article=target, parent=top)
        CommentFactory(article=target, parent=reply)


def measure(client, paths):
    """{page: (cold queries, warm queries)}, each response checked for a 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path in paths.items():
        run_after_commit_work()  # what the content added before this would have run at its commit
        for cache in caches.all():  # the page cache too: every page is built, as right after a change
            cache.clear()
        content_state()  # this process knows the content version, as it does between its once-a-second reads
        with CaptureQueriesContext(connection) as cold:
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as warm:
            response = client.get(path)
            assert response.status_code == 200, path
        counts[name] = (len(cold), len(warm))
    return counts, response


def test_every_public_page_runs_the_same_few_queries_for_little_and_much_content(client):
    section = SectionFactory(slug="news")
    author = AuthorFactory(slug="ana")
    target = ArticleFactory(section=section, authors=[author], tags=["harbour"], lead_image=ImageFactory())
    paths = {
        "home": "/",
        "section": "/news/",
        "tag": "/tag/harbour/",
        "author": author.get_absolute_url(),
        "search": "/search/?q=harbour",
        "article": target.get_absolute_url(),  # last: `response` below is this page
    }
    add_content(section, author, target, 1)
    little, response = measure(client, paths)
    assert response.content.decode().count('class="comment ') == 3
    add_content(section, author, target, 30)
    much, response = measure(client, paths)
    assert response.content.decode().count('class="comment ') == 3 * 31

    assert much == little
    for name, (cold, warm) in much.items():
        assert cold <= LIMITS[name], f"{name}: {cold} queries when its caches are cold"
        assert warm <= cold, name
    # Until the next change, every page is built from its stored parts without a query: the article with
    # its thread and related stories, the story lists with their counts, a search's matches and results.
    assert {name: warm for name, (_, warm) in much.items()} == {
        "home": 0,
        "section": 0,
        "tag": 0,
        "author": 0,
        "search": 0,
        "article": 0,
    }


def test_a_story_of_twenty_body_pictures_a_gallery_and_five_embeds_keeps_the_article_pages_query_budget(
    client,
):
    section = SectionFactory(slug="news")
    author = AuthorFactory(slug="ana")
    plain = ArticleFactory(section=section, authors=[author], tags=["harbour"], lead_image=ImageFactory())
    body = "".join(
        f'<p>Paragraph {n}.</p><figure data-image="{ImageFactory().pk}"></figure>' for n in range(20)
    )
    body += '<div data-gallery="">' + "".join(
        f'<figure data-image="{ImageFactory().pk}"></figure>' for _ in range(4)
    )
    body += "</div>"
    embeds = [
        Embed.objects.create(
            url=f"https://www.youtube.com/watch?v=video{n}", provider="youtube", title=f"Video {n}"
        )
        for n in range(5)
    ]
    body += "".join(f'<figure data-embed="{embed.pk}"></figure>' for embed in embeds)
    pictures = ArticleFactory(
        section=section, authors=[author], tags=["harbour"], lead_image=ImageFactory(), body=body
    )
    counts, response = measure(
        client, {"plain": plain.get_absolute_url(), "pictures": pictures.get_absolute_url()}
    )
    html = response.content.decode()
    assert html.count("<picture>") == 1 + 20 + 4
    assert all(f"Video {n}" in html for n in range(5))
    cold, warm = counts["pictures"]
    assert cold <= LIMITS["article"], f"{cold} queries when its caches are cold"
    assert cold == counts["plain"][0]  # the pictures and embeds come with the article, in its own query
    assert warm == 0
