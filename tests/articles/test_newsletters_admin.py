"""Editors shape an issue in the admin (reorder, leave out, intro, preview, test send); journalists get
nothing of the newsletters."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from articles.models import Issue, Newsletter, Suppression
from articles.models.newsletters import address_hash
from articles.newsletters import issues
from tests.articles.conftest import with_role
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(article):
    newsletter = Newsletter.objects.create(
        name="Daily briefing", slug="daily", kind="daily", send_time=time(7)
    )
    ArticleFactory(section=article.section, headline="Second story")
    draft = issues.open_issue(newsletter)
    draft.stories_since = timezone.now() - timedelta(days=1)  # whatever the hour the test runs at
    draft.save()
    issues.top_up(draft)
    return draft


def test_an_editor_reorders_adds_an_intro_previews_and_sends_a_test(client, mailbox, editor, issue, article):
    editor.email = "erik@newsroom.example"
    editor.save()
    client.force_login(editor)
    first, second = list(issue.items.order_by("position"))
    assert first.article == article
    url = f"/admin/articles/issue/{issue.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"Send a test to me" in page.content
    local = timezone.localtime(issue.scheduled_for)
    data = {
        "scheduled_for_0": local.strftime("%Y-%m-%d"),
        "scheduled_for_1": local.strftime("%H:%M:%S"),
        "subject": "",
        "intro": "Good morning from the desk.",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "2", "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": first.pk, "items-0-issue": issue.pk, "items-0-position": "2", "items-0-included": "on",
        "items-0-article": first.article_id,
        "items-1-id": second.pk, "items-1-issue": issue.pk, "items-1-position": "1", "items-1-included": "on",
        "items-1-article": second.article_id,
        "_continue": "1",
    }  # fmt: skip
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    preview = client.get(f"/admin/articles/issue/{issue.pk}/preview/")
    html = preview.content.decode()
    assert "Good morning from the desk." in html
    assert html.index("Second story") < html.index("The night baker")
    assert "People News/AI-generated image" in html
    assert "<script" not in html

    sent = client.post(f"/admin/articles/issue/{issue.pk}/send-test/")
    assert sent.status_code == 302
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "erik@newsroom.example"
    assert message["Subject"].strip().startswith("[Test] Daily briefing")
    # Exactly what the preview showed (the same renderer), and the issue itself is untouched.
    mailed = message.get_body(("html",)).get_content()
    assert re.sub(r"\s+", " ", mailed).strip() == re.sub(r"\s+", " ", html).strip()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert not issue.deliveries.exists()


def test_an_editor_keeps_the_suppression_list_by_address(client, editor):
    client.force_login(editor)
    added = client.post(
        "/admin/articles/suppression/add/",
        {"email": "Gone@Example.org", "reason": "manual", "detail": "asked"},
    )
    assert added.status_code == 302
    assert Suppression.objects.get().address_hash == address_hash("gone@example.org")
    found = client.get("/admin/articles/suppression/", {"q": "gone@example.org"})
    assert found.context["cl"].result_count == 1
    again = client.post("/admin/articles/suppression/add/", {"email": "gone@example.org", "reason": "manual"})
    assert again.status_code == 200
    assert b"suppressed already" in again.content


def test_journalists_get_nothing_of_the_newsletters(client, issue):
    journalist = with_role("Journalist", username="maria")
    client.force_login(journalist)
    for url in (
        "/admin/articles/newsletter/",
        "/admin/articles/issue/",
        f"/admin/articles/issue/{issue.pk}/change/",
        f"/admin/articles/issue/{issue.pk}/preview/",
        "/admin/articles/suppression/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/articles/issue/{issue.pk}/send-test/").status_code == 403


def test_only_editors_hold_newsletter_permissions(editor):
    journalist = with_role("Journalist", username="maria")
    moderator = with_role("Moderator", username="mod")
    for codename in ("change_newsletter", "change_issue", "change_issueitem", "add_suppression"):
        assert editor.has_perm(f"articles.{codename}")
        assert not journalist.has_perm(f"articles.{codename}")
        assert not moderator.has_perm(f"articles.{codename}")
    assert not editor.has_perm("articles.add_issue")  # assembled, never typed in
