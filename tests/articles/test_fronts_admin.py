"""The front page in the admin: editors arrange, preview, publish and restore; nobody else gets in."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from articles.fronts import home_front, publish_front, rules_front
from articles.models import Article, Container, FrontPage, FrontRevision, Layout, Pin, Source
from tests.articles.test_fronts import container, headlines, story
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

FIELDS = ("position", "title", "source", "section", "tag", "layout", "size")


def front_form(home, rows, **extra):
    """The POST of the front page's change form: `rows` are dicts of container fields (with "id" for a
    saved one, "DELETE" to remove it)."""
    saved = [row for row in rows if row.get("id")]
    data = {
        "note": "",
        "containers-TOTAL_FORMS": str(len(rows)),
        "containers-INITIAL_FORMS": str(len(saved)),
        "containers-MIN_NUM_FORMS": "0",
        "containers-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for number, row in enumerate(rows):
        data[f"containers-{number}-front"] = str(home.pk)
        data[f"containers-{number}-id"] = str(row.get("id", ""))
        for name in FIELDS:
            data[f"containers-{number}-{name}"] = "" if row.get(name) is None else str(row[name])
        if row.get("DELETE"):
            data[f"containers-{number}-DELETE"] = "on"
    return data


def pins_form(box, rows, **fields):
    saved = [row for row in rows if row.get("id")]
    data = {
        "title": box.title,
        "source": box.source,
        "section": box.section_id or "",
        "tag": box.tag_id or "",
        "layout": box.layout,
        "size": box.size,
        "pins-TOTAL_FORMS": str(len(rows)),
        "pins-INITIAL_FORMS": str(len(saved)),
        "pins-MIN_NUM_FORMS": "0",
        "pins-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for number, row in enumerate(rows):
        data[f"pins-{number}-container"] = str(box.pk)
        data[f"pins-{number}-id"] = str(row.get("id", ""))
        data[f"pins-{number}-position"] = str(row.get("position", number + 1))
        data[f"pins-{number}-article"] = str(row.get("article", ""))
        until = row.get("until")
        data[f"pins-{number}-until_0"] = until.strftime("%Y-%m-%d") if until else ""
        data[f"pins-{number}-until_1"] = until.strftime("%H:%M:%S") if until else ""
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_url(home):
    return f"/admin/articles/frontpage/{home.pk}/change/"


def test_editor_saves_a_draft_readers_do_not_see_then_publishes_it(client, editor):
    client.force_login(editor)
    home = FrontPage.objects.home()
    story("Newest story")
    html = client.get(change_url(home)).content.decode()
    assert "Never published" in html

    rows = [
        {"position": 2, "source": Source.LATEST, "layout": Layout.LIST},
        {"position": 1, "title": "Our picks", "source": Source.PICKED, "layout": Layout.GRID, "size": 4},
    ]
    response = client.post(change_url(home), front_form(home, rows, _save="Save"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert any("Saved as a draft" in message for message in messages_of(response))
    assert [(c.position, c.source, c.size) for c in home.containers.all()] == [
        (1, Source.PICKED, 4),
        (2, Source.LATEST, 6),  # the size the layout shows, when none is given
    ]
    assert headlines(home_front()) == headlines(rules_front())  # readers: still the automatic page
    html = client.get(change_url(home)).content.decode()
    assert "Unpublished changes since" in html

    saved = [{"id": c.pk, **{name: getattr(c, name + "_id", None) or getattr(c, name) for name in FIELDS}}
             for c in home.containers.all()]  # fmt: skip
    response = client.post(change_url(home), front_form(home, saved, note="Morning page", _publish="1"))
    assert response.status_code == 302
    assert any("Published" in message for message in messages_of(response))
    home.refresh_from_db()
    assert home.live_revision.note == "Morning page"
    assert home.live_revision.created_by == editor
    assert home.changed_since is None
    assert headlines(home_front()) == {"latest": ["Newest story"]}
    assert "Unpublished changes" not in client.get(change_url(home)).content.decode()


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ({"source": Source.SECTION, "layout": Layout.ROW}, "Choose the section"),
        ({"source": Source.TAG, "layout": Layout.ROW}, "Choose the tag"),
        (
            {"source": Source.LATEST, "layout": Layout.ROW, "section": "SECTION"},
            "Only a “Newest of a section”",
        ),
        ({"source": Source.LATEST, "layout": Layout.ROW, "size": 13}, "less than or equal to 12"),
        ({"source": Source.LATEST, "layout": Layout.ROW, "size": 0}, "greater than or equal to 1"),
        ({"source": Source.SECTION, "layout": Layout.ROW, "section": "x"}, "Select a valid choice"),
        ({"source": "nonsense", "layout": Layout.ROW}, "Select a valid choice"),
        ({"source": Source.LATEST, "layout": "huge"}, "Select a valid choice"),
    ],
)
def test_bad_container_input_is_a_form_error_and_nothing_is_saved(client, editor, row, error):
    client.force_login(editor)
    home = FrontPage.objects.home()
    if row.get("section") == "SECTION":
        row = {**row, "section": SectionFactory().pk}
    response = client.post(change_url(home), front_form(home, [row], _publish="1"))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not home.containers.exists()
    assert not FrontRevision.objects.exists()


def test_the_page_has_one_most_read_list_at_most(client, editor):
    client.force_login(editor)
    home = FrontPage.objects.home()
    rows = [{"source": Source.MOST_READ, "layout": Layout.LIST}] * 2
    response = client.post(change_url(home), front_form(home, rows, _save="Save"))
    assert response.status_code == 200
    assert "one “Most read” list at most" in response.content.decode()
    assert not home.containers.exists()


def test_editor_pins_stories_in_order_on_a_containers_page(client, editor):
    client.force_login(editor)
    box = container(Source.LATEST, size=3)
    first, second = story("First pin", hours_ago=20), story("Second pin", hours_ago=30)
    url = f"/admin/articles/container/{box.pk}/change/"
    assert "Edit 0 pinned stories" in client.get(change_url(box.front)).content.decode()
    until = timezone.localtime() + timedelta(hours=3)
    rows = [{"article": second.pk, "position": 2}, {"article": first.pk, "position": 1, "until": until}]
    response = client.post(url, pins_form(box, rows, _save="Save"))
    assert response.status_code == 302
    assert response["Location"] == change_url(box.front)
    assert [(pin.article.headline, pin.position) for pin in box.pins.all()] == [
        ("First pin", 1),
        ("Second pin", 2),
    ]
    assert box.pins.get(article=first).until is not None
    html = client.get(url).content.decode()
    assert "Shown" in html
    assert "js/admin-sortable.js" in html


@pytest.mark.parametrize(
    ("rows", "size", "error"),
    [
        (["published", "published2"], 1, "pin at most 1"),
        (["published", "published"], 3, "Please correct the duplicate data"),
        (["draft"], 3, "Select a valid choice"),
        (["past"], 3, "This time has passed"),
        (["garbage"], 3, "Select a valid choice"),
    ],
)
def test_bad_pins_are_form_errors(client, editor, rows, size, error):
    client.force_login(editor)
    box = container(Source.LATEST, size=size)
    published, published2 = story("One"), story("Two")
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    past = timezone.localtime() - timedelta(hours=1)
    choices = {
        "published": {"article": published.pk},
        "published2": {"article": published2.pk},
        "draft": {"article": draft.pk},
        "past": {"article": published.pk, "until": past},
        "garbage": {"article": "1 OR 1=1"},
    }
    response = client.post(
        f"/admin/articles/container/{box.pk}/change/", pins_form(box, [choices[name] for name in rows])
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Pin.objects.exists()


def test_most_read_takes_no_pins(client, editor):
    client.force_login(editor)
    box = container(Source.MOST_READ)
    response = client.post(
        f"/admin/articles/container/{box.pk}/change/", pins_form(box, [{"article": story("Pinned").pk}])
    )
    assert response.status_code == 200
    assert "takes no pinned stories" in response.content.decode()


def test_the_pin_autocomplete_offers_published_and_scheduled_stories_only(client, editor):
    client.force_login(editor)
    story("Harbour live")
    story("Harbour later", publish_at=timezone.now() + timedelta(hours=2))
    ArticleFactory(headline="Harbour draft", status=Article.Status.DRAFT, publish_at=None)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "pin", "field_name": "article", "term": "Harbour"},
    )
    assert sorted(result["text"] for result in response.json()["results"]) == [
        "Harbour later",
        "Harbour live",
    ]


def test_preview_shows_the_working_copy_to_editors_only_and_is_never_cached(client, editor, journalist):
    story("Live story")
    container(Source.PICKED, title="Draft picks", pins=[story("Only in the draft", hours_ago=40)])
    url = f"/admin/articles/frontpage/{FrontPage.objects.home().pk}/preview/"

    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(journalist)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft picks" in html
    assert "Only in the draft" in html
    assert "no-cache" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    client.logout()
    assert "Draft picks" not in client.get("/").content.decode()  # readers: not published


def test_the_save_and_preview_button_saves_then_opens_the_preview(client, editor):
    client.force_login(editor)
    home = FrontPage.objects.home()
    response = client.post(
        change_url(home), front_form(home, [{"source": Source.LATEST, "layout": "list"}], _preview="1")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/frontpage/{home.pk}/preview/"
    assert home.containers.count() == 1


def test_a_journalist_has_no_access_to_the_front_page(client, journalist):
    home = FrontPage.objects.home()
    box = container(Source.LATEST)
    revision = publish_front(front=home, by=None)
    client.force_login(journalist)
    assert client.get("/admin/articles/frontpage/").status_code == 403
    assert client.get(change_url(home)).status_code == 403
    assert client.post(change_url(home), front_form(home, [], _publish="1")).status_code == 403
    assert client.get(f"/admin/articles/container/{box.pk}/change/").status_code == 403
    assert client.get(f"/admin/articles/frontpage/{home.pk}/history/").status_code == 403
    assert (
        client.post(f"/admin/articles/frontpage/{home.pk}/history/{revision.pk}/restore/").status_code == 403
    )
    assert "Front page" not in client.get("/admin/").content.decode()
    assert FrontRevision.objects.count() == 1


def test_history_lists_revisions_and_restore_names_the_stories_deleted_since(client, editor):
    client.force_login(editor)
    home = FrontPage.objects.home()
    kept, deleted = story("Kept"), story("Deleted since")
    container(Source.PICKED, title="Picks", pins=[kept, deleted])
    first = publish_front(front=home, by=editor, note="Election night")
    home.containers.all().delete()
    publish_front(front=home, by=editor)
    deleted.delete()

    html = client.get(f"/admin/articles/frontpage/{home.pk}/history/").content.decode()
    assert "Election night" in html
    assert "(live)" in html
    restore = f"/admin/articles/frontpage/{home.pk}/history/{first.pk}/restore/"
    assert client.get(restore).status_code == 405
    response = client.post(restore)
    assert response.status_code == 302
    texts = messages_of(response)
    assert any("back in the working copy" in text for text in texts)
    assert any("“Deleted since”" in text for text in texts)
    assert [pin.article for pin in Pin.objects.all()] == [kept]
    assert "Unpublished changes since" in client.get(change_url(home)).content.decode()


def test_deleting_a_container_returns_to_the_front_page(client, editor):
    client.force_login(editor)
    box = container(Source.LATEST)
    response = client.post(f"/admin/articles/container/{box.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == change_url(box.front)
    assert not Container.objects.exists()


def test_section_admin_refuses_a_pinned_lead_from_another_section(client, editor):
    client.force_login(editor)
    culture, politics = SectionFactory(name="Culture", slug="culture"), SectionFactory(name="Politics")
    other = story("Budget vote", section=politics)
    data = {
        "name": "Culture",
        "slug": "culture",
        "description": "",
        "parent": "",
        "position": "0",
        "in_navigation": "on",
        "pinned_lead": other.pk,
        "pinned_lead_until": "",
    }
    response = client.post(f"/admin/articles/section/{culture.pk}/change/", data)
    assert response.status_code == 200
    assert "must be a story of this section" in response.content.decode()
    mine = story("Opera night", section=culture)
    response = client.post(f"/admin/articles/section/{culture.pk}/change/", {**data, "pinned_lead": mine.pk})
    assert response.status_code == 302
    culture.refresh_from_db()
    assert culture.pinned_lead == mine


def test_saving_a_draft_in_the_admin_retires_no_page_readers_are_served(client, editor, settings):
    from articles import caching

    settings.NEWSMAG_PAGE_CACHE_VERSION_SECONDS = 1000
    home = FrontPage.objects.home()
    container(Source.LATEST)
    story("A story")
    publish_front(front=home, by=editor)
    caching._memo.state = None
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "HIT"
    client.force_login(editor)
    (box,) = home.containers.all()
    rows = [
        {"id": box.pk, "position": 1, "source": Source.PICKED, "title": "Picks", "layout": "grid", "size": 4}
    ]
    assert client.post(change_url(home), front_form(home, rows, _save="Save")).status_code == 302
    home.refresh_from_db()
    assert home.changed_since is not None
    client.logout()
    caching._memo.state = None
    assert client.get("/")["X-Page-Cache"] == "HIT"
    caching._memo.state = None
