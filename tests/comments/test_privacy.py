"""Personal data: IP and user agent kept for moderation only, then purged; emails never shown."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, CommentReport
from tests.comments.conftest import form_data, post_url
from tests.factories import CommentFactory, CommentReportFactory

pytestmark = pytest.mark.django_db


def test_the_ip_address_and_user_agent_are_kept_for_moderation(client, article):
    client.post(
        post_url(article), form_data(article), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140"
    )
    comment = Comment.objects.get()
    assert (comment.ip_address, comment.user_agent) == ("203.0.113.9", "Firefox/140")


def test_purge_forgets_ip_and_user_agent_after_the_retention_period(article, settings, capsys):
    settings.NEWSMAG_COMMENT_PERSONAL_DATA_DAYS = 90
    now = timezone.now()
    old = CommentFactory(
        article=article, ip_address="203.0.113.1", user_agent="Old", created_at=now - timedelta(days=91)
    )
    recent = CommentFactory(
        article=article, ip_address="203.0.113.2", user_agent="New", created_at=now - timedelta(days=89)
    )
    CommentReportFactory(comment=recent, created_at=now - timedelta(days=91))
    kept_report = CommentReportFactory(comment=recent)
    call_command("purge_comment_personal_data")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.2", "New")
    assert list(CommentReport.objects.all()) == [kept_report]
    assert old.body == "A thoughtful comment."  # the comment itself stays
    assert (
        "Cleared the IP address and user agent of 1 comment(s) and deleted 1 report(s)"
        in capsys.readouterr().out
    )


def test_purge_accepts_another_retention_period(article):
    comment = CommentFactory(
        article=article, ip_address="203.0.113.1", created_at=timezone.now() - timedelta(days=8)
    )
    call_command("purge_comment_personal_data", days=7)
    comment.refresh_from_db()
    assert comment.ip_address is None


def test_emails_are_never_shown_to_readers(client, article):
    comment = CommentFactory(article=article, name="Lena", email="lena.private@example.com")
    for url in (article.get_absolute_url(), f"/comments/{comment.pk}/reply/"):
        html = client.get(url).content.decode()
        assert "Lena" in html
        assert "lena.private" not in html
