"""A reader subscribes to a newsletter in a real Chromium, from a cached page whose form fetches its CSRF
token, and confirms with the link the real SMTP server received."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from articles.models import Newsletter, Subscription
from tests.browser.test_journeys import cached_site  # noqa: F401 (fixture: the page cache on, as in production)

pytestmark = pytest.mark.browser


def test_a_reader_subscribes_and_confirms_with_the_emailed_link(cached_site, new_page, mailbox, settings):  # noqa: F811
    site = cached_site
    settings.NEWSMAG_SITE_URL = site
    Newsletter.objects.create(
        name="Daily briefing", slug="daily", kind="daily", send_time=time(7), description="Every morning."
    )
    page, watch = new_page("phone")
    page.goto(f"{site}/newsletters/")
    page.goto(f"{site}/newsletters/")  # the second time from the page cache: still works
    form = page.locator("main form.newsletter-form")
    expect(form).to_be_visible()
    form.get_by_label("Your email address").fill("chromium@example.org")
    form.get_by_label("Daily briefing").check()
    form.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "chromium@example.org"
    text = message.get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(site)}/newsletters/confirm/\S+/", text).group(0)
    assert not Subscription.objects.confirmed().exists()

    page.goto(link)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()
    subscription = Subscription.objects.get()
    assert subscription.subscriber.email == "chromium@example.org"
    assert subscription.confirmed_at is not None
    watch.assert_clean()


def test_the_newsletter_script_leaves_the_comment_form_to_comments_js(cached_site, newsroom, new_page):  # noqa: F811
    """Both forms fetch a CSRF token; the newsletter script fetching the comment form's too would give it a
    second token, from a second cookie when both requests race, and the comment would be refused."""
    article = newsroom["article"]
    page, watch = new_page("desktop")
    page.goto(f"{cached_site}{article.get_absolute_url()}")
    comment_form = page.locator("form.comment-form")
    expect(comment_form.locator("input[name=csrfmiddlewaretoken]")).to_have_count(1)  # comments.js's
    comment_form.get_by_label("Your comment").focus()
    page.locator("form.newsletter-compact").get_by_role("textbox").focus()
    expect(page.locator("form.newsletter-compact input[name=csrfmiddlewaretoken]")).to_have_count(1)
    expect(comment_form.locator("input[name=csrfmiddlewaretoken]")).to_have_count(1)
    watch.assert_clean()
