"""A section page's lead: the pinned lead while it holds, else the newest featured story, else the newest."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import caching
from articles.models import Article
from tests.articles.test_fronts import story
from tests.factories import SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("version_read_once")]


@pytest.fixture
def culture():
    return SectionFactory(name="Culture", slug="culture")


def lead_and_list(client, path="/culture/"):
    """(headline of the lead card, headlines of the list's cards)."""
    response = client.get(path)
    assert response.status_code == 200
    context = response.context
    lead = context["lead"]
    return (lead.headline if lead else None), [article.headline for article in context["articles"]]


def test_the_newest_featured_story_of_the_first_page_leads_and_leaves_the_list(client, culture):
    story("Newest", section=culture, hours_ago=1)
    story("Featured", section=culture, hours_ago=2, featured=True)
    story("Oldest", section=culture, hours_ago=3)
    lead, listed = lead_and_list(client)
    assert (lead, listed) == ("Featured", ["Newest", "Oldest"])
    html = client.get("/culture/").content.decode()
    assert html.count(">Featured<") == 1
    assert html.index(">Featured<") < html.index(">Newest<")


def test_without_a_featured_story_the_newest_leads(client, culture):
    story("Newest", section=culture, hours_ago=1)
    story("Older", section=culture, hours_ago=2)
    assert lead_and_list(client) == ("Newest", ["Older"])


def test_a_pinned_lead_from_a_subsection_leads_until_it_lapses_then_the_cached_page_changes(client, culture):
    start = timezone.now()
    books = SectionFactory(name="Books", slug="books", parent=culture)
    story("Newest", section=culture, hours_ago=1)
    pinned = story("Old novel review", section=books, hours_ago=100)
    culture.pinned_lead, culture.pinned_lead_until = pinned, start + timedelta(minutes=30)
    culture.save()
    assert lead_and_list(client) == ("Old novel review", ["Newest"])
    client.get("/culture/")
    assert client.get("/culture/")["X-Page-Cache"] == "HIT"
    with time_machine.travel(start + timedelta(minutes=30, seconds=1)):
        caching._memo.state = None  # a second later for this process; nothing was written
        response = client.get("/culture/")
        assert response["X-Page-Cache"] == "MISS"
        assert response.context["lead"].headline == "Newest"
        assert [a.headline for a in response.context["articles"]] == ["Old novel review"]


def test_a_pinned_lead_that_is_unpublished_or_elsewhere_is_ignored(client, culture):
    story("Newest", section=culture, hours_ago=1)
    pulled = story("Pulled story", section=culture, hours_ago=2)
    culture.pinned_lead = pulled
    culture.save()
    Article.objects.filter(pk=pulled.pk).update(status=Article.Status.UNPUBLISHED)
    assert lead_and_list(client) == ("Newest", [])
    moved = story("Moved to politics", section=SectionFactory(), hours_ago=3)
    culture.pinned_lead = moved  # saved past the admin's check: the page still shows only its own stories
    culture.save()
    assert lead_and_list(client)[0] == "Newest"


def test_only_the_first_page_has_a_lead_and_no_story_is_lost_between_pages(client, culture):
    for n in range(1, 15):
        story(f"Story {n:02}", section=culture, hours_ago=n, featured=n == 5)
    lead, first = lead_and_list(client)
    assert lead == "Story 05"
    assert len(first) == 11
    second_lead, second = lead_and_list(client, "/culture/?page=2")
    assert second_lead is None
    assert sorted([lead, *first, *second]) == [f"Story {n:02}" for n in range(1, 15)]


def test_a_pinned_lead_costs_no_query_more_and_the_page_none_once_kept(client, culture):
    from tests.articles.test_query_counts import LIMITS, measure

    for n in range(1, 20):
        story(f"Story {n}", section=culture, hours_ago=n)
    plain, _ = measure(client, {"section": "/culture/"})
    culture.pinned_lead = story("Pinned long ago", section=culture, hours_ago=500)
    culture.save()
    pinned, response = measure(client, {"section": "/culture/"})
    html = response.content.decode()
    assert html.index("Pinned long ago") < html.index("Story 1<")
    assert pinned == plain
    cold, warm = pinned["section"]
    assert cold <= LIMITS["section"]
    assert warm == 0
