"""Reader reports: a Report button per comment; enough distinct readers send a comment back to the queue."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comments import moderation
from comments.models import Comment, CommentReport
from tests.factories import CommentFactory, CommentReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def report(client, comment, ip="203.0.113.1", **extra):
    return client.post(f"/comments/{comment.pk}/report/", REMOTE_ADDR=ip, **extra)


def test_every_published_comment_has_a_report_link_leading_to_a_confirmation(client, article):
    comment = CommentFactory(article=article, body="Borderline remark")
    html = client.get(article.get_absolute_url()).content.decode()
    # GET without JavaScript (the cached page has no token); comments.js posts it in place instead.
    assert f'<a class="comment-report" href="/comments/{comment.pk}/report/" rel="nofollow"' in html
    confirm = client.get(f"/comments/{comment.pk}/report/").content.decode()
    assert "Report this comment to the moderators?" in confirm
    assert "Borderline remark" in confirm
    assert 'method="post"' in confirm


def test_a_report_thanks_the_reader_and_keeps_the_comment_published(client, article):
    comment = CommentFactory(article=article, body="Borderline remark")
    response = report(client, comment, follow=True)
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#comments", 302)]
    html = response.content.decode()
    assert "Our moderators will take a look" in html
    assert "Borderline remark" in html
    assert CommentReport.objects.filter(comment=comment).count() == 1


def test_one_reader_cannot_stuff_reports(client, article, settings):
    settings.NEWSMAG_COMMENT_REPORTS_TO_REQUEUE = 2
    comment = CommentFactory(article=article)
    for _ in range(5):
        report(client, comment, ip="203.0.113.7")
    assert CommentReport.objects.filter(comment=comment).count() == 1
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_one_ipv6_reader_cannot_stuff_reports_by_changing_address_in_their_network(client, article, settings):
    settings.NEWSMAG_COMMENT_REPORTS_TO_REQUEUE = 2
    comment = CommentFactory(article=article)
    report(client, comment, ip="2001:db8:1:2::1")
    report(client, comment, ip="2001:db8:1:2:ffff::9")
    assert CommentReport.objects.filter(comment=comment).count() == 1


def test_a_logged_in_reader_counts_once_wherever_they_report_from(client, article):
    comment = CommentFactory(article=article)
    client.force_login(UserFactory())
    report(client, comment, ip="203.0.113.1")
    report(client, comment, ip="198.51.100.1")
    assert CommentReport.objects.filter(comment=comment).count() == 1


def test_reports_from_enough_distinct_readers_send_the_comment_back_to_the_queue(client, article, settings):
    settings.NEWSMAG_COMMENT_REPORTS_TO_REQUEUE = 3
    comment = CommentFactory(article=article, body="Nasty remark", moderation_reasons=["Earlier note."])
    for ip in ("203.0.113.1", "203.0.113.2"):
        report(client, comment, ip=ip)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    report(client, comment, ip="203.0.113.3")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons == ["Earlier note.", "Reported by 3 readers."]
    assert comment.moderated_by is None
    assert comment.moderated_at is not None
    assert "Nasty remark" not in client.get(article.get_absolute_url()).content.decode()


def test_after_a_moderator_approves_again_only_new_reports_count(article, moderator, settings):
    settings.NEWSMAG_COMMENT_REPORTS_TO_REQUEUE = 2
    comment = CommentFactory(article=article)
    moderation.report(comment, fingerprint="a")
    moderation.report(comment, fingerprint="b")
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        moderation.approve([comment], moderator=moderator)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        moderation.report(comment, fingerprint="c")
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        moderation.report(comment, fingerprint="d")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REJECTED])
def test_only_published_comments_can_be_reported(client, article, status):
    comment = CommentFactory(article=article, status=status)
    assert report(client, comment).status_code == 404
    assert not CommentReport.objects.exists()


def test_with_javascript_the_report_answers_in_json(client, article):
    comment = CommentFactory(article=article)
    response = report(client, comment, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert "Our moderators will take a look" in response.json()["message"]


def test_the_queue_shows_how_often_a_comment_was_reported(client, article, moderator):
    comment = CommentFactory(article=article)
    CommentReportFactory.create_batch(2, comment=comment)
    client.force_login(moderator)
    html = client.get("/admin/comments/comment/?reported=yes").content.decode()
    assert '<td class="field-report_count">2</td>' in html


def test_a_moderator_sees_the_reports_on_the_comment_page(client, article, moderator):
    comment = CommentFactory(article=article)
    CommentReportFactory.create_batch(2, comment=comment)
    client.force_login(moderator)
    html = client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert "2 reports, the latest on" in html


def test_one_network_sending_reports_by_the_dozen_is_slowed_down(client, article, settings):
    settings.NEWSMAG_COMMENT_REPORTS_PER_HOUR = 3
    comments = [CommentFactory(article=article) for _ in range(4)]
    for comment in comments[:3]:
        assert report(client, comment, ip="2001:db8:5:5::1").status_code == 302
    refused = report(client, comments[3], ip="2001:db8:5:5::2")  # the same /64
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 3000
    assert "many reports in a short time" in refused.content.decode()
    assert not CommentReport.objects.filter(comment=comments[3]).exists()
    assert report(client, comments[3], ip="203.0.113.50").status_code == 302
