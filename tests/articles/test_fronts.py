"""The curated home page: containers, pins, revisions, what readers see and when."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import caching
from articles.fronts import home_front, publish_front, restore_revision, rules_front, working_front
from articles.models import Article, Container, FrontPage, Layout, Pin, Source
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("version_read_once")]


def story(headline, hours_ago=1, **kwargs):
    kwargs.setdefault("publish_at", timezone.now() - timedelta(hours=hours_ago))
    return ArticleFactory(headline=headline, **kwargs)


def container(source, *, pins=(), position=None, **kwargs):
    """A container of the home page's working copy; `pins` are articles or (article, until) pairs."""
    home = FrontPage.objects.home()
    position = home.containers.count() + 1 if position is None else position
    made = Container.objects.create(front=home, source=source, position=position, **kwargs)
    for number, pin in enumerate(pins, start=1):
        article, until = pin if isinstance(pin, tuple) else (pin, None)
        Pin.objects.create(container=made, article=article, position=number, until=until)
    return made


def headlines(front):
    return {block.key: [article.headline for article in block.articles] for block in front.blocks}


def page(client):
    return client.get("/").content.decode()


def block_html(html, key):
    """The HTML of one block of the home page (from its heading's id to the next block)."""
    start = html.index(f'id="block-{key}"')
    end = html.find("front-block", start)
    return html[start : end if end != -1 else None]


def test_a_home_page_never_published_shows_the_rules():
    story("Old news", hours_ago=5)
    story("Fresh news", hours_ago=1)
    container(Source.PICKED, title="Ignored until published", pins=[story("Hand picked", hours_ago=9)])
    assert FrontPage.objects.home().live_revision is None
    assert headlines(home_front()) == headlines(rules_front())


def test_pinned_stories_fill_a_container_first_in_order_then_its_rule():
    newest = [story(f"New {n}", hours_ago=n) for n in range(1, 6)]
    old = story("Old but pinned", hours_ago=50)
    older = story("Older, pinned second", hours_ago=80)
    container(Source.LATEST, layout=Layout.GRID, size=4, pins=[old, older])
    publish_front(front=FrontPage.objects.home(), by=None)
    assert headlines(home_front())["latest"] == ["Old but pinned", "Older, pinned second", "New 1", "New 2"]
    assert newest  # the rest is the newest


def test_a_picked_container_shows_only_its_published_pins_that_have_not_lapsed():
    shown = story("Shown pick")
    draft = story("Draft pick", status=Article.Status.DRAFT, publish_at=None)
    lapsed = story("Lapsed pick")
    story("Newest, not picked", hours_ago=0.1)
    container(
        Source.PICKED,
        title="Editors' picks",
        size=4,
        pins=[draft, (lapsed, timezone.now() - timedelta(minutes=1)), shown],
    )
    publish_front(front=FrontPage.objects.home(), by=None)
    assert headlines(home_front()) == {"picked": ["Shown pick"]}


def test_an_arranged_container_that_gets_no_story_is_dropped_and_most_read_stays():
    empty = SectionFactory(name="Empty desk")
    container(Source.SECTION, section=empty)
    container(Source.PICKED, title="Nothing picked")
    container(Source.MOST_READ)
    publish_front(front=FrontPage.objects.home(), by=None)
    front = home_front()
    assert [(block.key, block.source, block.articles) for block in front.blocks] == [
        ("most-read", Source.MOST_READ, [])
    ]


def test_no_story_appears_twice_on_the_page_whatever_the_containers_overlap(client):
    sport = SectionFactory(name="Sport", slug="sport")
    football = SectionFactory(name="Football", slug="football", parent=sport)
    stories = [
        story(f"Sport {n}", hours_ago=n, section=sport if n % 2 else football, tags=["derby"])
        for n in range(1, 9)
    ]
    pinned_below = stories[0]  # the newest: every rule above would take it
    container(Source.TOP, layout=Layout.LEAD)
    container(Source.LATEST, size=4)
    container(Source.SECTION, section=sport, size=4)
    container(Source.TAG, tag=pinned_below.tags.get(), size=4)
    container(Source.PICKED, title="Pinned here", pins=[pinned_below])
    container(Source.MOST_READ)
    publish_front(front=FrontPage.objects.home(), by=None)

    front = home_front()
    shown = [article.pk for block in front.blocks for article in block.articles]
    assert len(shown) == len(set(shown)) == 8  # every story once
    assert set(shown) == front.shown_ids
    assert headlines(front)["picked"] == ["Sport 1"]  # a pinned story only in its own container
    assert headlines(front)["lead"] == ["Sport 2", "Sport 3", "Sport 4"]
    assert headlines(front)["latest"] == ["Sport 5", "Sport 6", "Sport 7", "Sport 8"]
    assert "section-sport" not in headlines(front)  # nothing left for it: dropped
    html = page(client)
    for n in range(1, 9):
        assert html.count(f">Sport {n}<") == 1, n
    assert football  # its stories count as the section's


def test_a_section_container_shows_its_subsections_and_is_titled_and_linked_after_the_section():
    culture = SectionFactory(name="Culture", slug="culture")
    books = SectionFactory(name="Books", slug="books", parent=culture)
    story("Elsewhere", hours_ago=0.5)
    story("A novel", hours_ago=1, section=books)
    story("An opera", hours_ago=2, section=culture)
    container(Source.SECTION, section=culture, layout=Layout.ROW)
    publish_front(front=FrontPage.objects.home(), by=None)
    (block,) = home_front().blocks
    assert (block.key, block.title, block.url) == ("section-culture", "Culture", "/culture/")
    assert [a.headline for a in block.articles] == ["A novel", "An opera"]
    culture.name = "Arts"
    culture.save()
    (block,) = home_front().blocks
    assert block.title == "Arts"  # the section's name as it is now, not as it was when published


def test_top_stories_put_the_featured_story_first():
    story("Newest")
    story("Featured", hours_ago=3, featured=True)
    container(Source.TOP, layout=Layout.LEAD, size=2)
    publish_front(front=FrontPage.objects.home(), by=None)
    assert headlines(home_front()) == {"lead": ["Featured", "Newest"]}


def test_draft_edits_stay_invisible_to_readers_until_publish_which_shows_at_once_on_a_cached_page(client):
    story("Morning story")
    evening = story("Evening exclusive", hours_ago=30)
    container(Source.LATEST, size=1)
    publish_front(front=FrontPage.objects.home(), by=None)
    assert "Evening exclusive" not in page(client)
    assert client.get("/")["X-Page-Cache"] == "HIT"

    container(Source.PICKED, title="Exclusive", pins=[evening], position=0)
    caching._memo.state = None  # a second later: nothing readers see changed, the page is still the same
    assert "Evening exclusive" not in page(client)
    assert client.get("/")["X-Page-Cache"] == "HIT"

    publish_front(front=FrontPage.objects.home(), by=None, note="Exclusive on top")
    response = client.get("/")
    assert response["X-Page-Cache"] == "MISS"
    html = response.content.decode()
    assert html.index("Evening exclusive") < html.index("Morning story")


def test_a_pin_lapses_at_its_until_and_the_cached_home_page_changes_at_that_moment(client):
    start = timezone.now()
    story("Rule story")
    pinned = story("Pinned until noon", hours_ago=40)
    container(Source.LATEST, size=1, pins=[(pinned, start + timedelta(minutes=10))])
    publish_front(front=FrontPage.objects.home(), by=None)
    assert "Pinned until noon" in block_html(page(client), "latest")
    assert client.get("/")["X-Page-Cache"] == "HIT"
    with time_machine.travel(start + timedelta(minutes=9, seconds=58)):
        caching._memo.state = None
        assert "Pinned until noon" in block_html(page(client), "latest")
    with time_machine.travel(start + timedelta(minutes=10, seconds=1)):
        caching._memo.state = None  # another second has passed for this process; no write happened
        html = block_html(page(client), "latest")
        assert "Pinned until noon" not in html
        assert "Rule story" in html


def test_content_state_knows_the_next_lapse_of_a_live_pin_only():
    start = timezone.now()
    pinned = story("Pinned")
    container(Source.PICKED, title="Picks", pins=[(pinned, start + timedelta(hours=2))])
    caching._memo.state = None
    assert caching.content_state().next_change is None  # not published: readers do not see the pin
    publish_front(front=FrontPage.objects.home(), by=None)
    caching._memo.state = None
    assert caching.content_state().next_change == start + timedelta(hours=2)


def test_restoring_a_revision_copies_it_into_the_working_copy_without_deleted_stories():
    kept, deleted = story("Kept story"), story("Story deleted since")
    home = FrontPage.objects.home()
    container(Source.PICKED, title="Picks", pins=[kept, deleted])
    first = publish_front(front=home, by=None)
    home.containers.all().delete()
    container(Source.LATEST)
    publish_front(front=home, by=None)
    deleted.delete()

    dropped = restore_revision(revision=first, by=None)
    assert dropped == ["Story deleted since"]
    (restored,) = home.containers.all()
    assert (restored.title, [pin.article for pin in restored.pins.all()]) == ("Picks", [kept])
    home.refresh_from_db()
    assert home.live_revision != first  # readers still see the live one until it is published
    assert home.changed_since is not None
    assert headlines(working_front(home)) == {"picked": ["Kept story"]}


def test_a_deleted_story_leaves_the_live_page():
    gone = story("Gone")
    container(Source.PICKED, title="Picks", pins=[gone, story("Stays")])
    publish_front(front=FrontPage.objects.home(), by=None)
    gone.delete()
    assert headlines(home_front()) == {"picked": ["Stays"]}


def test_the_home_page_runs_the_same_few_queries_with_a_live_arrangement_for_little_and_much_content(client):
    from tests.articles.test_query_counts import LIMITS, measure

    sport = SectionFactory(name="Sport", slug="sport")
    SectionFactory(name="Football", slug="football", parent=sport)
    culture = SectionFactory(name="Culture", slug="culture")
    lead = story("Lead", section=sport, tags=["vote"])
    container(Source.TOP, layout=Layout.LEAD, pins=[lead])
    container(Source.TOP, layout=Layout.GRID)
    container(Source.SECTION, section=sport)
    container(Source.SECTION, section=culture)
    container(Source.TAG, tag=lead.tags.get())
    container(Source.PICKED, title="Picks", pins=[story("Pick", hours_ago=30)])
    container(Source.LATEST, layout=Layout.LIST)
    container(Source.MOST_READ)
    publish_front(front=FrontPage.objects.home(), by=None)

    def add(count):
        for n in range(count):
            for section in (sport, culture):
                story(f"{section.name} {n} of {count}", hours_ago=2 + n, section=section, tags=["vote"])

    add(2)
    little, response = measure(client, {"home": "/"})
    assert "Pick" in response.content.decode()
    add(40)
    much, _response = measure(client, {"home": "/"})
    assert much == little
    cold, warm = much["home"]
    assert cold <= LIMITS["home"]
    assert cold == 5  # the revision with its sections and tags, the stories, bylines, most read, navigation
    assert warm == 0


def test_most_read_shows_as_many_as_its_container_asks_and_nothing_the_page_shows():
    from articles.fronts import most_read_beside
    from articles.reading import count_read

    stories = [story(f"Read {n}", hours_ago=n) for n in range(1, 6)]
    for reads, article in enumerate(stories, start=1):
        for _ in range(reads):
            count_read(article.pk)
    container(Source.PICKED, title="Picks", pins=[stories[-1]])  # the most read story
    container(Source.MOST_READ, size=2)
    publish_front(front=FrontPage.objects.home(), by=None)
    assert [a.headline for a in most_read_beside(home_front())] == ["Read 4", "Read 3"]
