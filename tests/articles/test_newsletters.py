"""Newsletters end to end through a real SMTP server on loopback: double opt-in, issues, one-click
unsubscribe, batches and their retries, hard bounces, the provider webhook, privacy rules."""

import json
import re
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import (
    Delivery,
    Issue,
    NewsAlert,
    Newsletter,
    Subscriber,
    Subscription,
    Suppression,
)
from articles.models.newsletters import address_hash
from articles.newsletters import issues, jobs, optin, sending
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, SectionFactory

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NEWSMAG_SITE_URL = SITE
    settings.NEWSMAG_NEWSLETTER_UNSUBSCRIBE_MAILTO = "unsubscribe@news.example.org"


@pytest.fixture
def daily(db):
    return Newsletter.objects.create(
        name="Daily briefing", slug="daily", kind=Newsletter.Kind.DAILY, send_time=time(7, 0),
        description="The day's stories at seven.",
    )  # fmt: skip


TODAY = timezone.localdate()  # read once: inside a time travel "today" moves with the clock


def local(day_offset, hour, minute=0):
    """A time in the newsroom's zone, `day_offset` days from the day the tests started."""
    return timezone.make_aware(datetime.combine(TODAY + timedelta(days=day_offset), time(hour, minute)))


def subscribed(email, *newsletters):
    subscriber = Subscriber.objects.create(email=email)
    for newsletter in newsletters:
        Subscription.objects.create(subscriber=subscriber, newsletter=newsletter, confirmed_at=timezone.now())
    return subscriber


def run_job(capture):
    run_after_commit_work()  # earlier work first: the capture below counts from here
    with capture(execute=True):
        jobs.run_newsletters()


def link_in(message, pattern):
    text = message.get_body(("plain",)).get_content()
    return re.search(pattern, text).group(0)


def test_reader_subscribes_confirms_receives_and_unsubscribes_in_one_click(
    client, mailbox, daily, article, django_capture_on_commit_callbacks
):
    with time_machine.travel(local(0, 5), tick=False):
        response = client.post(
            "/newsletters/subscribe/", {"email": "Reader@Example.org", "newsletters": [daily.pk]}
        )
        run_after_commit_work()  # the confirmation job, enqueued for after the commit
        assert response.status_code == 200
        assert b"Check your inbox" in response.content
        [confirmation] = mailbox.wait_for(1)
        assert confirmation["X-Envelope-To"] == "reader@example.org"
        confirm_url = link_in(confirmation, rf"{SITE}/newsletters/confirm/\S+/")

        # Nothing before the confirmation: the issue due now reaches nobody.
        article.publish_at = local(0, 4)
        article.save()
        run_job(django_capture_on_commit_callbacks)
    with time_machine.travel(local(0, 7, 1), tick=False):
        run_job(django_capture_on_commit_callbacks)
    assert len(mailbox.messages) == 1
    assert Issue.objects.get(newsletter=daily, scheduled_for=local(0, 7)).status == Issue.Status.SENT

    path = urlsplit(confirm_url).path
    assert client.get(path).status_code == 200  # a page with a button: opening the link confirms nothing
    assert not Subscription.objects.confirmed().exists()
    assert b"You are subscribed" in client.post(path).content
    mailbox.clear()

    story = ArticleFactory(section=article.section, headline="Harbour reopens", lead_image=article.lead_image)
    with time_machine.travel(local(1, 6), tick=False):
        story.publish_at = local(1, 5)
        story.save()
        run_job(django_capture_on_commit_callbacks)  # assembles tomorrow's issue
    with time_machine.travel(local(1, 7, 0), tick=False):
        run_job(django_capture_on_commit_callbacks)
    [issue] = mailbox.wait_for(1)
    assert issue["X-Envelope-To"] == "reader@example.org"
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe, mailto = [part.strip(" <>") for part in issue["List-Unsubscribe"].split(",")]
    assert unsubscribe.startswith(f"{SITE}/newsletters/unsubscribe/")
    assert mailto.startswith("mailto:unsubscribe@news.example.org")
    text = issue.get_body(("plain",)).get_content()
    html = issue.get_body(("html",)).get_content()
    assert "Harbour reopens" in text
    assert "Harbour reopens" in html
    assert "People News/AI-generated image" in text
    assert "People News/AI-generated image" in html
    assert f"{SITE}{story.get_absolute_url()}" in text
    assert "<script" not in html
    assert "style=" not in html
    image_url = re.search(r'<img src="([^"]+)"', html).group(1)
    assert image_url.startswith(f"{SITE}/media/")
    assert image_url.endswith(".jpg")

    # RFC 8058: the mail program POSTs to the header's URL, with no cookie and no CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(
        urlsplit(unsubscribe).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not Subscriber.objects.exists()  # its last subscription gone, the address goes too
    again = Client(enforce_csrf_checks=True).post(urlsplit(unsubscribe).path)
    assert again.status_code == 200  # idempotent

    mailbox.clear()
    later = ArticleFactory(section=article.section, headline="Next day story")
    with time_machine.travel(local(2, 6), tick=False):
        later.publish_at = local(2, 5)
        later.save()
        run_job(django_capture_on_commit_callbacks)
    with time_machine.travel(local(2, 7, 1), tick=False):
        run_job(django_capture_on_commit_callbacks)
    assert Issue.objects.get(newsletter=daily, scheduled_for=local(2, 7)).status == Issue.Status.SENT
    assert mailbox.messages == []


def test_the_unsubscribe_page_shows_a_button_and_a_bad_token_is_a_clear_400(client, daily):
    subscriber = subscribed("a@example.org", daily)
    from articles.newsletters.tokens import unsubscribe_token

    page = client.get(f"/newsletters/unsubscribe/{unsubscribe_token(subscriber.pk, daily.pk)}/")
    assert page.status_code == 200
    assert b"<button" in page.content
    assert Subscription.objects.filter(subscriber=subscriber).exists()  # GET changes nothing
    bad = client.post("/newsletters/unsubscribe/not-a-token/")
    assert bad.status_code == 400
    assert b"not valid" in bad.content
    assert client.get("/newsletters/confirm/forged:token/").status_code == 400


def test_subscribing_an_address_again_gives_the_same_answer(client, mailbox, daily):
    subscribed("known@example.org", daily)
    known = client.post("/newsletters/subscribe/", {"email": "known@example.org", "newsletters": [daily.pk]})
    new = client.post("/newsletters/subscribe/", {"email": "new@example.org", "newsletters": [daily.pk]})
    assert known.status_code == new.status_code == 200
    assert known.content == new.content


def test_subscription_requests_are_limited_per_network(client, settings, daily):
    settings.NEWSMAG_NEWSLETTER_SUBSCRIBES_PER_HOUR = 2
    for n in range(2):
        response = client.post(
            "/newsletters/subscribe/", {"email": f"r{n}@example.org", "newsletters": [daily.pk]}
        )
        assert response.status_code == 200
    flood = client.post("/newsletters/subscribe/", {"email": "r3@example.org", "newsletters": [daily.pk]})
    assert flood.status_code == 429
    assert flood["Retry-After"]
    assert not Subscriber.objects.filter(email="r3@example.org").exists()


def test_bad_subscribe_input_is_a_form_error(client, daily):
    response = client.post("/newsletters/subscribe/", {"email": "not an address", "newsletters": ["x"]})
    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    compact = client.post("/newsletters/subscribe/", {"compact": "1", "email": "a@example.org"})
    assert compact.status_code == 200
    assert b'value="a@example.org"' in compact.content
    assert not Subscriber.objects.exists()


def test_the_newsletters_page_is_the_same_for_every_reader(client, daily):
    first = client.get("/newsletters/")
    assert first.status_code == 200
    assert b"Daily briefing" in first.content
    assert "csrftoken" not in first.cookies
    assert b"csrfmiddlewaretoken" not in first.content
    assert b"data-token-url" in first.content
    token = client.get("/newsletters/token/")
    assert token.json()["csrf"]
    assert "no-cache" in token["Cache-Control"]


def test_batches_and_their_retries_never_mail_anyone_twice(mailbox, settings, daily, article):
    settings.NEWSMAG_NEWSLETTER_BATCH_SIZE = 2
    for n in range(5):
        subscribed(f"reader{n}@example.org", daily)
    issue = issues.open_issue(daily)
    issues.top_up(issue)
    batches = sending.start_sending(issue)
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert sending.start_sending(issue) == []  # a second run starts nothing

    # A worker died after claiming one delivery: it is never sent again (at most once).
    died = Delivery.objects.get(pk=batches[0][0])
    Delivery.objects.filter(pk=died.pk).update(status=Delivery.Status.SENDING)
    for batch in batches:
        sending.send_batch(issue.pk, batch)
    for batch in batches:  # every batch job retried
        sending.send_batch(issue.pk, batch)
    messages = mailbox.wait_for(4)
    recipients = sorted(message["X-Envelope-To"] for message in messages)
    assert len(recipients) == len(set(recipients)) == 4
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_mail_server_that_is_down_leaves_deliveries_for_the_retry(mailbox, settings, daily, article):
    subscribed("patient@example.org", daily)
    issue = issues.open_issue(daily)
    issues.top_up(issue)
    [batch] = sending.start_sending(issue)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    with pytest.raises(sending.TemporaryFailure):
        sending.send_batch(issue.pk, batch)
    delivery = Delivery.objects.get(issue=issue)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    settings.EMAIL_PORT = port
    sending.send_batch(issue.pk, batch)
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "patient@example.org"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_a_permanent_smtp_rejection_suppresses_the_address_at_once(client, mailbox, daily, article):
    mailbox.rejected.add("gone@example.org")
    subscribed("gone@example.org", daily)
    subscribed("here@example.org", daily)
    issue = issues.open_issue(daily)
    issues.top_up(issue)
    for batch in sending.start_sending(issue):
        sending.send_batch(issue.pk, batch)
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "here@example.org"
    bounced = Delivery.objects.get(address_hash=address_hash("gone@example.org"))
    assert bounced.status == Delivery.Status.BOUNCED
    assert bounced.error.startswith("550")
    suppression = Suppression.objects.get(address_hash=address_hash("gone@example.org"))
    assert suppression.reason == Suppression.Reason.BOUNCE

    # Never mailed again, by any newsletter: no delivery, and asking again sends no confirmation.
    culture = Newsletter.objects.create(
        name="Culture", slug="culture", kind="section", section=article.section, send_time=time(18, 0)
    )
    Subscription.objects.create(subscriber=Subscriber.objects.get(email="gone@example.org"), newsletter=culture,
                                confirmed_at=timezone.now())  # fmt: skip
    second = issues.open_issue(culture)
    issues.top_up(second)
    sending.start_sending(second)
    assert not Delivery.objects.filter(issue=second, address_hash=address_hash("gone@example.org")).exists()
    mailbox.clear()
    response = client.post(
        "/newsletters/subscribe/", {"email": "gone@example.org", "newsletters": [daily.pk]}
    )
    run_after_commit_work()
    assert response.status_code == 200
    assert mailbox.messages == []


def test_the_provider_webhook_needs_the_secret_and_suppresses_bounces_and_complaints(client, settings, db):
    url = "/newsletters/webhook/"
    body = {"events": [
        {"type": "bounce", "email": "Hard@Example.org", "permanent": True, "detail": "550 5.1.1"},
        {"type": "bounce", "email": "full@example.org", "permanent": False},
        {"type": "complaint", "email": "angry@example.org"},
    ]}  # fmt: skip
    assert client.post(url, body, content_type="application/json").status_code == 404  # no secret: off
    settings.NEWSMAG_NEWSLETTER_WEBHOOK_SECRET = "s3cret-for-tests"
    assert client.post(url, body, content_type="application/json").status_code == 401
    wrong = client.post(url, body, content_type="application/json", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    auth = {"Authorization": "Bearer s3cret-for-tests"}
    bad = client.post(url, "{not json", content_type="application/json", headers=auth)
    assert bad.status_code == 400
    assert "JSON" in bad.json()["error"]
    odd = client.post(
        url, {"type": "open", "email": "x@example.org"}, content_type="application/json", headers=auth
    )
    assert odd.status_code == 400
    assert "type" in odd.json()["error"]
    assert not Suppression.objects.exists()
    ok = client.post(url, body, content_type="application/json", headers=auth)
    assert ok.status_code == 200
    assert ok.json() == {"accepted": 2, "newly_suppressed": 2}
    reasons = dict(Suppression.objects.values_list("address_hash", "reason"))
    assert reasons == {
        address_hash("hard@example.org"): "bounce",
        address_hash("angry@example.org"): "complaint",
    }
    assert client.get(url, headers=auth).status_code == 405


def test_a_section_newsletter_holds_its_section_and_subsections_since_the_last_issue(db):
    culture = SectionFactory(name="Culture", slug="culture")
    film = SectionFactory(name="Film", slug="film", parent=culture)
    sport = SectionFactory(name="Sport", slug="sport")
    newsletter = Newsletter.objects.create(
        name="Culture", slug="culture", kind="section", section=culture, send_time=time(18, 0)
    )
    with time_machine.travel(local(0, 9), tick=False):
        old = ArticleFactory(section=culture, publish_at=local(-2, 9))
        mine = [ArticleFactory(section=culture, publish_at=local(0, 8)), ArticleFactory(section=film)]
        ArticleFactory(section=sport)
        ArticleFactory(section=culture, status="draft")
        issue = issues.open_issue(newsletter)
        issues.top_up(issue)
    assert issue.scheduled_for == local(0, 18)
    held = list(issue.items.values_list("article_id", flat=True))
    assert held == [article.pk for article in mine]
    assert old.pk not in held


def test_a_breaking_alert_for_a_published_story_goes_out_once(
    mailbox, article, django_capture_on_commit_callbacks
):
    breaking = Newsletter.objects.create(name="Breaking", slug="breaking", kind="breaking")
    subscribed("fast@example.org", breaking)
    NewsAlert.objects.create(article=article, expires_at=timezone.now() + timedelta(hours=1))
    run_job(django_capture_on_commit_callbacks)
    run_job(django_capture_on_commit_callbacks)
    [message] = mailbox.wait_for(1)
    assert message["Subject"].strip() == f"Breaking: {article.headline}"
    assert Issue.objects.filter(newsletter=breaking).count() == 1


def test_purge_drops_old_unconfirmed_subscriptions_and_the_export_lists_what_we_hold(daily):
    culture = Newsletter.objects.create(name="Weekly", slug="weekly", kind="daily", send_time=time(9, 0))
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        pending = Subscriber.objects.create(email="late@example.org")
        Subscription.objects.create(subscriber=pending, newsletter=daily)
        keeper = subscribed("keeper@example.org", daily)
        Subscription.objects.create(subscriber=keeper, newsletter=culture)  # never confirmed
    assert optin.purge_personal_data() == {"unconfirmed_subscriptions": 2, "addresses": 1}
    assert not Subscriber.objects.filter(email="late@example.org").exists()
    export = optin.newsletter_subscriptions("Keeper@example.org")
    assert [(entry["slug"], entry["confirmed_at"] is not None, entry["suppressed"]) for entry in export] == [
        ("daily", True, False)
    ]
    assert json.dumps(export)  # plain data for the account export


def test_a_confirmation_link_expires(client, settings, daily):
    from articles.newsletters.tokens import confirm_token

    subscriber = Subscriber.objects.create(email="slow@example.org")
    Subscription.objects.create(subscriber=subscriber, newsletter=daily)
    with time_machine.travel(
        timezone.now() - timedelta(days=settings.NEWSMAG_NEWSLETTER_CONFIRM_DAYS, hours=1)
    ):
        token = confirm_token(subscriber.pk, [daily.pk])
    response = client.post(f"/newsletters/confirm/{token}/")
    assert response.status_code == 400
    assert b"expired" in response.content
    assert not Subscription.objects.confirmed().exists()


def test_the_demo_has_two_newsletters_a_confirmed_reader_and_an_assembled_issue(db):
    from newsmag.demo.newsletters import DEMO_READER, load_newsletters

    culture = SectionFactory(name="Culture", slug="culture")
    ArticleFactory(section=culture, publish_at=timezone.now() - timedelta(days=3))
    issue = load_newsletters({"culture": culture})
    assert load_newsletters({"culture": culture}) == issue  # idempotent
    assert sorted(Newsletter.objects.values_list("slug", flat=True)) == ["culture", "daily-briefing"]
    assert Subscription.objects.confirmed().filter(subscriber__email=DEMO_READER).count() == 2
    assert issue.status == Issue.Status.DRAFT
    assert issue.items.count() == 1


def test_a_stalled_sending_is_resumed_by_the_minute_job(
    mailbox, daily, article, django_capture_on_commit_callbacks
):
    subscribed("waiting@example.org", daily)
    subscribed("claimed@example.org", daily)
    issue = issues.open_issue(daily)
    issues.top_up(issue)
    sending.start_sending(issue)  # its batch jobs were lost with the broker
    Delivery.objects.filter(address_hash=address_hash("claimed@example.org")).update(
        status=Delivery.Status.SENDING
    )
    run_job(django_capture_on_commit_callbacks)
    assert mailbox.messages == []  # too early to call it stalled
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        run_job(django_capture_on_commit_callbacks)
        run_job(django_capture_on_commit_callbacks)  # looked at once per quarter hour
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "waiting@example.org"
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
