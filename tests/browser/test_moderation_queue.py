"""The moderation queue in a real Chromium, under the admin's Content-Security-Policy: a moderator approves
with one click and rejects with a reason from the keyboard, and the queue updates in place."""

import json
import subprocess

import pytest
from playwright.sync_api import expect

from articles.roles import JOURNALIST, MODERATOR
from comments.models import Comment
from tests.browser.conftest import log_in, staff
from tests.browser.test_accessibility import RUN_AXE
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.browser

QUEUE = "/admin/comments/comment/?status__exact=pending"


@pytest.fixture
def queue(site):
    article = ArticleFactory(headline="The night baker who keeps a harbour town's lights on")
    held = {
        name: CommentFactory(
            article=article,
            name=name,
            body=body,
            status=Comment.Status.PENDING,
            moderation_reasons=["First comment from this commenter (no approved comment yet)."],
        )
        for name, body in [
            ("Claire Dubois", "Lovely piece. How can I give to the shelf from further away?"),
            ("Pieter van Loon", "Does anyone know if there is something like this in Westhaven?"),
            ("Spam Bot", "Cheap watches at example.com, best prices!"),
        ]
    }
    staff(MODERATOR, "moderator")
    return held


def test_a_moderator_approves_with_one_click_and_rejects_with_a_reason_from_the_keyboard(
    site, queue, new_page
):
    page, watch = new_page()
    log_in(page, site, "moderator")
    page.goto(f"{site}{QUEUE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue: 3 comments pending")

    # One click approves, in place: the row leaves the queue and focus moves to the next comment.
    claire = page.get_by_role("row").filter(has_text="Lovely piece")
    claire.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_have_text("Claire Dubois’s comment: approved.")
    expect(claire).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue: 2 comments pending")
    pieter = page.get_by_role("row").filter(has_text="Westhaven")
    expect(pieter).to_be_focused()
    expect(page.locator("#queue-announce")).to_contain_text("Comment 1 of 2, by Pieter van Loon")
    approved = queue["Claire Dubois"]
    approved.refresh_from_db()
    assert (approved.status, approved.moderated_by.username) == (Comment.Status.APPROVED, "moderator")

    # The shortcuts, listed by "?", never fire while typing in a field.
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    page.locator("#searchbar").press_sequentially("jars")
    expect(page.locator("#searchbar")).to_have_value("jars")
    expect(pieter).to_have_count(1)
    assert Comment.objects.get(pk=queue["Pieter van Loon"].pk).status == Comment.Status.PENDING
    page.locator("#searchbar").blur()

    # j moves to the next comment, k back; r asks why, a reason is picked from the keyboard.
    page.keyboard.press("j")
    expect(page.locator("#queue-announce")).to_contain_text("Comment 2 of 2, by Spam Bot")
    page.keyboard.press("k")
    expect(page.locator("#queue-announce")).to_contain_text("Comment 1 of 2, by Pieter van Loon")
    expect(pieter).to_be_focused()
    page.keyboard.press("r")
    dialog = page.get_by_role("dialog", name="Reject this comment")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("radio", name="Off topic")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Shares personal data
    page.keyboard.press("Tab")
    page.keyboard.type("Names a nurse's ward")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator(".messagelist")).to_have_text("Pieter van Loon’s comment: rejected.")
    expect(pieter).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Cheap watches")).to_be_focused()
    rejected = queue["Pieter van Loon"]
    rejected.refresh_from_db()
    assert (rejected.status, rejected.rejection_reason, rejected.rejection_note) == (
        Comment.Status.REJECTED,
        Comment.RejectionReason.PERSONAL_DATA,
        "Names a nurse's ward",
    )

    # s on the last comment (a row's checkbox is not a text field: the shortcuts still work there).
    page.get_by_role("row").filter(has_text="Cheap watches").get_by_role("checkbox").focus()
    page.keyboard.press("s")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue: 0 comments pending")
    assert Comment.objects.get(pk=queue["Spam Bot"].pk).status == Comment.Status.SPAM

    # The rejection and its reason are in the admin.
    page.goto(f"{site}/admin/comments/comment/?status__exact=rejected")
    expect(page.get_by_role("row").filter(has_text="Westhaven")).to_contain_text(
        "Shares personal data: Names a nurse's ward"
    )
    watch.assert_clean()


def test_without_javascript_the_buttons_are_plain_forms(site, queue, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, site, "moderator")
        page.goto(f"{site}{QUEUE}")
        page.get_by_role("row").filter(has_text="Westhaven").get_by_role("button", name="Reject").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Reject this comment")
        page.get_by_role("radio", name="Off topic").check()
        page.get_by_role("button", name="Reject").click()
        expect(page.locator(".messagelist")).to_have_text("Pieter van Loon’s comment: rejected.")
        expect(page.get_by_role("row").filter(has_text="Westhaven")).to_have_count(0)
        page.get_by_role("row").filter(has_text="Lovely piece").get_by_role("button", name="Approve").click()
        expect(page.locator(".messagelist")).to_have_text("Claire Dubois’s comment: approved.")
        expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue: 1 comment pending")
    finally:
        context.close()
    assert Comment.objects.get(pk=queue["Pieter van Loon"].pk).rejection_reason == "off-topic"


def test_a_journalist_gets_no_queue(site, queue, new_page):
    staff(JOURNALIST, "maria")
    page, _ = new_page()
    log_in(page, site, "maria")
    response = page.goto(f"{site}{QUEUE}")
    assert response.status == 403


def test_the_queue_is_valid_html_and_has_no_serious_accessibility_violation(
    site, queue, new_page, tools_for_checkers, java, tmp_path
):
    """Checked as sent (the Nu HTML Checker: no nested forms, every button's form= names a form) and as
    shown with the reject dialog open (axe-core)."""
    page, watch = new_page()
    page.context.add_init_script(path=tools_for_checkers["axe"])
    log_in(page, site, "moderator")
    html = page.request.get(f"{site}{QUEUE}").text()
    (tmp_path / "queue.html").write_text(html)
    checked = subprocess.run(
        [java, "-jar", str(tools_for_checkers["vnu"]), "--format", "json", str(tmp_path / "queue.html")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if (m["type"] == "error" or m.get("subType") in {"fatal", "warning"})
        # Django's own side navigation leaves out the "Add" cell of a model nobody may add (comments).
        and not m["message"].startswith("A table row was 2 columns wide")
    ]
    assert errors == [], "\n".join(errors)

    page.goto(f"{site}{QUEUE}")
    page.keyboard.press("j")
    page.keyboard.press("r")
    expect(page.get_by_role("dialog", name="Reject this comment")).to_be_visible()
    violations = page.evaluate(RUN_AXE)
    assert violations == [], violations
    watch.assert_clean()
