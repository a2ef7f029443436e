"""A new reader in Chromium: signs up, confirms the email from the mail the site sent (read from a real SMTP
server on loopback), signs in, and comments on a cached article page without typing a name. And the
account pages pass axe-core and the Nu HTML Checker."""

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser import test_comment_thread, test_journeys
from tests.browser.test_accessibility import RUN_AXE
from tests.factories import ReaderFactory

pytestmark = pytest.mark.browser

cached_site = test_journeys.cached_site  # the page cache on, as in production
quiet_story = test_comment_thread.quiet_story  # a story nobody commented on yet
relaxed = test_comment_thread.relaxed  # no minimum time to fill the form in, no flood limit
PASSWORD = "a long passphrase for Nadia"


def test_a_new_reader_signs_up_confirms_signs_in_and_comments_as_the_account(
    cached_site, quiet_story, new_page, relaxed, mailbox
):
    story = f"{cached_site}{quiet_story.get_absolute_url()}"
    page, watch = new_page("desktop")
    page.goto(story)
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="create one").click()

    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_placeholder("Password", exact=True).fill(PASSWORD)
    page.get_by_placeholder("Password (again)").fill(PASSWORD)
    page.get_by_label("Display name").fill("Nadia R")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "nadia@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", text).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto(f"{cached_site}/accounts/login/?next={quiet_story.get_absolute_url()}")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(story)

    # The sign-in's message was shown; from now on the reader gets the page cache's copy like everyone.
    assert page.reload().headers.get("x-page-cache") == "HIT"
    expect(page.get_by_role("banner").get_by_role("link", name="Your account (Nadia R)")).to_be_visible()
    form = page.locator("form.comment-form")
    expect(form).to_be_visible()
    expect(page.locator(".comment-signed-in")).to_contain_text("Commenting as Nadia R")
    expect(form.get_by_label("Name")).to_have_count(0)
    expect(form.get_by_role("textbox", name="Email")).to_have_count(0)
    page.get_by_label("Your comment").fill("Signed up just to say: what a quiet, lovely story.")
    page.get_by_role("button", name="Post comment").click()
    notice = page.locator("#comments .comment-notice")
    expect(notice).to_contain_text("awaiting moderation")  # an account's first comment waits
    expect(notice).to_contain_text("Nadia R")

    comment = Comment.objects.get(article=quiet_story)
    assert (comment.name, comment.email, comment.user.email) == (
        "Nadia R",
        "nadia@example.org",
        "nadia@example.org",
    )
    watch.assert_clean()


ACCOUNT_PAGES = {
    "sign up": "/accounts/signup/",
    "sign in": "/accounts/login/",
    "sign-in code": "/accounts/login/code/",
    "password reset": "/accounts/password/reset/",
}
SIGNED_IN_PAGES = {
    "account": "/accounts/",
    "change email": "/accounts/email/",
    "change password": "/accounts/password/change/",
    "confirm the password": "/accounts/reauthenticate/",
}


def test_account_pages_are_valid_accessible_and_clean(site, new_page, tools_for_checkers, java, tmp_path):
    ReaderFactory(display_name="Nadia R", email="nadia@example.org")
    page, watch = new_page("phone")
    page.context.add_init_script(path=tools_for_checkers["axe"])
    files, found = {}, {}

    def check(name, path):
        page.goto(f"{site}{path}")
        files[name] = tmp_path / f"{re.sub(r'[^a-z]+', '-', name)}.html"
        files[name].write_text(page.content())
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[name] = violations

    for name, path in ACCOUNT_PAGES.items():
        check(name, path)
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{site}/accounts/")
    for name, path in SIGNED_IN_PAGES.items():
        check(name, path)
    assert found == {}, "\n".join(f"{name}: {v}" for name, vs in found.items() for v in vs)
    watch.assert_clean()

    checked = subprocess.run(
        [java, "-jar", str(tools_for_checkers["vnu"]), "--format", "json", *map(str, files.values())],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    names = {f"file:{path}": name for name, path in files.items()}
    errors = [
        f"{names.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(checked.stderr or '{"messages": []}')["messages"]
        if m["type"] == "error" or m.get("subType") in {"fatal", "warning"}
    ]
    assert errors == [], "\n".join(errors)
