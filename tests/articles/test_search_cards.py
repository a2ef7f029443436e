"""Search results are the site's story cards: a thumbnail, the label, the headline and a two-line snippet
whose subheadings and paragraphs stay apart."""

import re

import pytest
from django.core.cache import caches

from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def night_train(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(
            section=SectionFactory(name="Travel", slug="travel"),
            kicker="Transport",
            headline="Night train returns after twenty years",
            lead_image=ImageFactory(),
            body="<p>The sleeper left at nine.</p><h2>Life on <em>board</em></h2><p>The train had a dining "
            "car.</p><ul><li>Cabins for two</li><li>Breakfast served</li></ul><p>“It is back,” she said.</p>"
            "<p>Tickets sold out in an hour</p><p>Next stop is the coast.</p>",
        )


def results(html):
    return html[html.index('<div class="search-results">') :]


def snippet(html):
    return re.search(r'<p class="story-snippet">(.*?)</p>', html, re.S).group(1)


def test_a_result_is_a_story_card_with_its_thumbnail_label_and_highlighted_snippet(client, night_train):
    html = results(client.get("/search/?q=train").content.decode())
    assert '<article class="story story-result">' in html
    assert '<div class="story-media"><picture>' in html  # the lead image's thumbnail
    assert '<p class="story-label">Transport</p>' in html
    assert (
        f'<h2 class="story-headline"><a class="stretched-link" href="{night_train.get_absolute_url()}">'
        in html
    )
    assert "<mark>train</mark>" in snippet(html)


def test_subheadings_and_list_items_do_not_run_into_the_next_sentence(client, night_train):
    text = snippet(client.get("/search/?q=dining").content.decode())
    assert "Life on board · The <mark>train</mark>" in text or "Life on board · The train" in text
    assert "board The" not in text
    assert "Cabins for two · Breakfast served ·" in text
    assert "</mark> car. Cabins" in text  # a sentence's own full stop needs no mark
    assert "” ·" not in text
    assert "·  ·" not in text


def test_a_paragraph_without_its_full_stop_still_ends(client, night_train):
    text = snippet(client.get("/search/?q=tickets").content.decode())
    assert "Tickets</mark> sold out in an hour · Next stop" in text


def test_a_result_without_a_picture_keeps_the_placeholder_slot(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(headline="Ferry timetable changes", body="<p>Ferries run later.</p>")
    html = results(client.get("/search/?q=ferry").content.decode())
    assert '<div class="story-media story-placeholder" aria-hidden="true">' in html


def test_result_cards_are_not_kept_apart_from_their_search_page(client, night_train):
    client.get("/search/?q=train")
    client.get("/search/?q=dining")
    # Two different snippets of one story: kept only inside their search pages, never as fragments.
    assert not [key for key in caches["fragments"]._cache if "story_card" in str(key)]
    client.get(night_train.section.get_absolute_url())  # the section's lead card is kept, as ever
    assert [key for key in caches["fragments"]._cache if "story_card" in str(key)]
