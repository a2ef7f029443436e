"""Breaking news: the banner on every public page, shown at once after a save, gone exactly at its expiry,
never linking a story readers cannot open, managed by editors only."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from articles import caching, roles
from articles.admin_alerts import end_alerts
from articles.caching import content_state
from articles.models import Article, NewsAlert
from tests.articles.conftest import with_role
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, NewsAlertFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("version_read_once")]

ADD_URL = "/admin/articles/newsalert/add/"


@pytest.fixture
def desk(editor):
    """The editor's own browser (logged in: never served from the page cache)."""
    browser = Client()
    browser.force_login(editor)
    return browser


def banner(response):
    """The banner's HTML in a page, or None."""
    assert response.status_code == 200
    found = re.search(r'<section class="breaking-news.*?</section>', response.content.decode(), re.S)
    return found and found[0]


def another_second_passes():
    caching._memo.state = None  # the process re-reads the content state, as it does once a second


def form_data(**fields):
    """The alert form as the admin posts it (date and time are separate inputs, in the newsroom's zone)."""
    now = timezone.localtime()
    data = {"kind": "breaking", "text": "Harbour closed after the storm", "article": ""}
    for name, moment in (("starts_at", now), ("expires_at", now + timedelta(hours=2))):
        data[f"{name}_0"], data[f"{name}_1"] = f"{moment:%Y-%m-%d}", f"{moment:%H:%M:%S}"
    return data | fields


def test_a_saved_alert_shows_at_once_on_cached_pages_and_links_its_story(client, article, editor):
    pages = ["/", article.get_absolute_url(), "/culture/"]
    for page in pages:
        assert banner(client.get(page)) is None
        assert client.get(page)["X-Page-Cache"] == "HIT"
    NewsAlertFactory(text="Storm closes the harbour", article=article, created_by=editor)
    for page in pages:
        response = client.get(page)
        assert response["X-Page-Cache"] == "MISS"
        shown = banner(response)
        assert 'aria-label="News alert"' in shown
        assert 'role="alert"' not in shown
        assert ">Breaking<" in shown  # the label is a word, not a colour
        assert (
            f'<a class="breaking-text" href="{article.get_absolute_url()}">Storm closes the harbour</a>'
            in shown
        )
        assert client.get(page)["X-Page-Cache"] == "HIT"


def test_pages_load_the_hide_script_only_while_they_show_a_banner(client, article):
    assert "breaking.js" not in client.get("/").content.decode()
    alert = NewsAlertFactory(text="Storm closes the harbour")
    head = client.get("/").content.decode().split("</head>")[0]
    assert f'breaking.js" data-alert="{alert.pk}"></script>' in head  # before the body: hidden from the start


def test_an_alert_without_text_shows_its_storys_headline(client, article):
    NewsAlertFactory(text="", article=article, kind=NewsAlert.Kind.DEVELOPING)
    shown = banner(client.get("/"))
    assert ">Developing<" in shown
    assert f">{escape(article.headline)}</a>" in shown


def test_the_banner_leaves_exactly_at_expiry_even_before_the_process_rereads_the_content_state(
    client, article
):
    start = timezone.now()
    alert = NewsAlertFactory(
        text="Polls have closed", starts_at=start, expires_at=start + timedelta(minutes=30)
    )
    assert banner(client.get("/"))
    assert client.get("/")["X-Page-Cache"] == "HIT"
    with time_machine.travel(alert.expires_at - timedelta(seconds=1), tick=False):
        assert banner(client.get("/"))
    with time_machine.travel(alert.expires_at, tick=False):
        # This process still holds the content state read before (its second is not over): neither the
        # kept page nor the kept banner outlives the expiry.
        assert banner(client.get("/")) is None
        assert banner(client.get(article.get_absolute_url())) is None
        another_second_passes()
        assert banner(client.get("/")) is None


def test_a_scheduled_alert_appears_at_its_start_without_any_write(client, article):
    start = timezone.now() + timedelta(minutes=10)
    NewsAlertFactory(text="Minister to resign", starts_at=start, expires_at=start + timedelta(hours=1))
    assert banner(client.get("/")) is None
    assert client.get("/")["X-Page-Cache"] == "HIT"
    assert content_state().next_change == start  # the cached page lives until then, not longer
    with time_machine.travel(start - timedelta(seconds=1), tick=False):
        another_second_passes()
        assert banner(client.get("/")) is None
    with time_machine.travel(start, tick=False):
        another_second_passes()
        assert "Minister to resign" in banner(client.get("/"))


def test_an_unpublished_story_is_never_linked_and_its_headline_never_shown(client, section):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, publish_at=None, headline="Secret")
    with_text = NewsAlertFactory(text="Explosion at the port", article=draft)
    page = client.get("/")
    assert "Explosion at the port" in banner(page)
    assert "<a" not in banner(page)
    with_text.delete()
    NewsAlertFactory(text="", article=draft)  # the headline would be the draft's: nothing is shown
    page = client.get("/")
    assert banner(page) is None
    assert "Secret" not in page.content.decode()

    draft.status, draft.publish_at = Article.Status.PUBLISHED, timezone.now() + timedelta(minutes=5)
    draft.save()  # scheduled: still not linked
    assert banner(client.get("/")) is None
    with time_machine.travel(draft.publish_at, tick=False):
        another_second_passes()
        assert f'href="{draft.get_absolute_url()}">Secret</a>' in banner(client.get("/"))


def test_one_banner_at_a_time_the_alert_that_started_last(client, article):
    now = timezone.now()
    older = NewsAlertFactory(text="Older alert", starts_at=now - timedelta(hours=1))
    newer = NewsAlertFactory(text="Newer alert", starts_at=now - timedelta(minutes=10))
    shown = banner(client.get("/"))
    assert "Newer alert" in shown
    assert "Older alert" not in shown
    assert NewsAlert.objects.shown() == newer
    end_alerts(NewsAlert.objects.filter(pk=newer.pk))
    assert "Older alert" in banner(client.get("/"))  # still running: it shows again
    end_alerts(NewsAlert.objects.filter(pk=older.pk))
    assert banner(client.get("/")) is None


def test_the_banner_costs_no_query_once_kept(client, article, settings, django_assert_num_queries):
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 0  # every request builds its page, from kept parts
    NewsAlertFactory(text="Storm closes the harbour", article=article)
    for page in ["/", article.get_absolute_url(), "/culture/"]:
        client.get(page)  # the first page after the change keeps the banner
        with django_assert_num_queries(0):
            assert "Storm closes the harbour" in banner(client.get(page))


def test_no_alert_running_costs_no_query_and_one_running_costs_one_when_cold(client, article):
    def cold_queries():
        run_after_commit_work()
        for cache in caches.all():
            cache.clear()
        content_state()
        with CaptureQueriesContext(connection) as counted:
            client.get("/culture/")
        return len(counted)

    without = cold_queries()
    ended = NewsAlertFactory(text="Over", starts_at=timezone.now() - timedelta(hours=3))
    end_alerts(NewsAlert.objects.filter(pk=ended.pk))
    assert cold_queries() == without  # only ended alerts: the content state says there is nothing to show
    NewsAlertFactory(text="Running")
    assert cold_queries() == without + 1


def test_the_database_refuses_an_alert_without_text_or_story_or_ending_before_it_starts(article):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsAlert.objects.create(text="", starts_at=now, expires_at=now + timedelta(hours=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsAlert.objects.create(text="Backwards", starts_at=now, expires_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsAlert.objects.create(text="Odd", kind="urgent", expires_at=now + timedelta(hours=1))
    alert = NewsAlert.objects.create(text="Ferries\r\nhalted", expires_at=now + timedelta(hours=1))
    alert.refresh_from_db()
    assert alert.text == "Ferries halted"  # one line


def test_only_editors_manage_alerts(client, editor, journalist, draft):
    permissions = {
        group.name: {p.codename for p in group.permissions.all() if p.codename.endswith("_newsalert")}
        for group in Group.objects.prefetch_related("permissions")
    }
    assert permissions[roles.EDITOR] == {
        f"{action}_newsalert" for action in ("add", "change", "delete", "view")
    }
    assert permissions[roles.JOURNALIST] == permissions[roles.MODERATOR] == set()

    moderator = with_role(roles.MODERATOR, username="moderator")
    running = NewsAlertFactory(text="Running")
    for user in (journalist, moderator):
        client.force_login(user)
        assert client.get(ADD_URL).status_code == 403
        assert client.post(ADD_URL, form_data()).status_code == 403
        assert client.post(f"/admin/articles/newsalert/{running.pk}/end/").status_code == 403
    assert list(NewsAlert.objects.active()) == [running]

    client.force_login(journalist)
    own_page = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert "Flag as breaking" not in own_page
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert f'href="{ADD_URL}?article={draft.pk}"' in page
    assert "Flag as breaking" in page


def test_flag_as_breaking_opens_the_form_with_the_story_and_a_two_hour_expiry(desk, article):
    with time_machine.travel(timezone.now(), tick=False):
        form = desk.get(f"{ADD_URL}?article={article.pk}").context["adminform"].form
        assert form.initial["article"] == article.pk
        assert form.initial["expires_at"] - form.initial["starts_at"] == timedelta(hours=2)
    html = desk.get(f"{ADD_URL}?article={article.pk}").content.decode()
    assert f'<option value="{article.pk}" selected>{escape(article.headline)}</option>' in html
    response = desk.post(f"{ADD_URL}?article={article.pk}", form_data(text="", article=article.pk))
    assert response.status_code == 302
    alert = NewsAlert.objects.get()
    assert (alert.article, alert.text, alert.created_by.username) == (article, "", "editor")
    assert f">{escape(article.headline)}</a>" in banner(Client().get("/"))


@pytest.mark.parametrize(
    "address", [f"{ADD_URL}?article=x", f"{ADD_URL}?article=99999", f"{ADD_URL}?expires_at=soon&kind=urgent"]
)
def test_a_garbled_form_address_opens_a_clean_form(desk, address):
    response = desk.get(address)
    assert response.status_code == 200
    assert response.context["adminform"].form.initial.get("article") is None


def test_bad_input_is_a_form_error_and_nothing_is_saved(desk, article):
    now = timezone.localtime()
    earlier = now - timedelta(hours=1)
    bad = {
        "expires before it starts": {"starts_at_1": f"{now + timedelta(hours=3):%H:%M:%S}",
                                     "starts_at_0": f"{now + timedelta(hours=3):%Y-%m-%d}"},
        "neither text nor story": {"text": ""},
        "text too long": {"text": "x" * 161},
        "expiry passed": {"expires_at_0": f"{earlier:%Y-%m-%d}", "expires_at_1": f"{earlier:%H:%M:%S}"},
        "no expiry": {"expires_at_0": "", "expires_at_1": ""},
        "garbled date": {"expires_at_0": "tomorrow", "starts_at_1": "25:99"},
        "garbled story": {"article": "x"},
        "missing story": {"article": "99999"},
        "unknown label": {"kind": "urgent"},
    }  # fmt: skip
    for name, fields in bad.items():
        response = desk.post(ADD_URL, form_data(**fields))
        assert response.status_code == 200, name
        form = response.context["adminform"].form
        assert form.errors, name
    assert "The alert must expire after it starts." in str(
        desk.post(ADD_URL, form_data(**bad["expires before it starts"])).context["adminform"].form.errors
    )
    assert "Write a text or choose a story" in str(
        desk.post(ADD_URL, form_data(text="")).context["adminform"].form.errors
    )
    assert not NewsAlert.objects.exists()
    assert banner(Client().get("/")) is None


def test_end_now_takes_the_banner_off_every_page_at_once(client, desk, article):
    alert = NewsAlertFactory(text="Storm closes the harbour", article=article)
    assert banner(client.get(article.get_absolute_url()))
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "HIT"
    change_page = desk.get(f"/admin/articles/newsalert/{alert.pk}/change/").content.decode()
    assert 'class="end-alert"' in change_page
    assert desk.get(f"/admin/articles/newsalert/{alert.pk}/end/").status_code == 405  # changes only by POST
    response = desk.post(f"/admin/articles/newsalert/{alert.pk}/end/", follow=True)
    assert "has ended" in response.content.decode()
    alert.refresh_from_db()
    assert alert.expires_at <= timezone.now()
    assert not alert.is_active()
    assert banner(client.get(article.get_absolute_url())) is None
    assert (
        'class="end-alert"' not in desk.get(f"/admin/articles/newsalert/{alert.pk}/change/").content.decode()
    )
    assert desk.post("/admin/articles/newsalert/99999/end/").status_code == 302  # gone: a message, no 500


def test_the_end_now_action_ends_running_alerts_and_cancels_scheduled_ones(client, desk, article):
    running = NewsAlertFactory(text="Running")
    later = timezone.now() + timedelta(hours=1)
    scheduled = NewsAlertFactory(text="Scheduled", starts_at=later, expires_at=later + timedelta(hours=1))
    listing = desk.get("/admin/articles/newsalert/").content.decode()
    assert "Running" in listing
    assert "Scheduled" in listing
    desk.post(
        "/admin/articles/newsalert/",
        {"action": "end_now", "_selected_action": [running.pk, scheduled.pk]},
    )
    assert banner(client.get("/")) is None
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        another_second_passes()
        assert banner(client.get("/")) is None
    assert not NewsAlert.objects.active(later + timedelta(minutes=1)).exists()


def test_the_demo_shows_a_breaking_alert_and_loading_it_again_changes_nothing_until_it_expires(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    alert = NewsAlert.objects.get()
    assert alert.is_active()
    assert alert.article.slug == "port-calvera-strike-ends"
    assert alert.expires_at - alert.starts_at >= timedelta(hours=2)
    assert alert.text in banner(client.get("/"))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(NewsAlert.objects.values_list("pk", "expires_at")) == [(alert.pk, alert.expires_at)]
    with time_machine.travel(alert.expires_at + timedelta(minutes=1)):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert NewsAlert.objects.count() == 2
        assert NewsAlert.objects.active().get().pk != alert.pk
