"""The desk on the admin's front page: my drafts, waiting for review, scheduled, published lately."""

from datetime import timedelta

from django.utils import timezone

from articles.dashboard import desk
from articles.models import Article
from tests.articles.conftest import with_role
from tests.factories import ArticleFactory


def panel(panels, key):
    return next(p for p in panels if p.key == key)


def test_editors_see_the_whole_desk_and_journalists_their_own(db, editor, journalist, draft):
    now = timezone.now()
    other = with_role("Journalist", username="tom")
    ArticleFactory(status=Article.Status.REVIEW, publish_at=None, created_by=other, headline="Tom's review")
    ArticleFactory(
        status=Article.Status.REVIEW, publish_at=None, created_by=journalist, headline="Maria's review"
    )
    ArticleFactory(publish_at=now + timedelta(hours=3), headline="Later today")
    ArticleFactory(publish_at=now - timedelta(hours=2), headline="This morning")
    ArticleFactory(publish_at=now - timedelta(days=3), headline="Last week")

    desk_of_editor = desk(editor, now=now)
    assert panel(desk_of_editor, "review").count == 2
    assert [a.headline for a in panel(desk_of_editor, "scheduled").articles] == ["Later today"]
    assert [a.headline for a in panel(desk_of_editor, "published").articles] == ["This morning"]
    assert panel(desk_of_editor, "drafts").count == 0  # the editor wrote none

    desk_of_maria = desk(journalist, now=now)
    assert [a.headline for a in panel(desk_of_maria, "drafts").articles] == ["Ferries return"]
    assert [a.headline for a in panel(desk_of_maria, "review").articles] == ["Maria’s review"]
    assert panel(desk_of_maria, "scheduled").count == 0


def test_the_admin_front_page_shows_the_desk_with_counts(db, client, editor):
    ArticleFactory.create_batch(8, status=Article.Status.REVIEW, publish_at=None)
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "Waiting for review" in html
    assert '<span class="desk-count">8</span>' in html
    assert "All 8" in html  # six are listed, the count says how many there are


def test_moderators_get_no_desk(db, client):
    client.force_login(with_role("Moderator", username="mo"))
    assert "newsroom-desk" not in client.get("/admin/").content.decode()


def test_editors_see_how_many_comments_wait_and_moderators_can_open_the_queue(db, client, editor):
    from comments.models import Comment
    from tests.factories import CommentFactory

    CommentFactory.create_batch(3, status=Comment.Status.PENDING)
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "3 comments awaiting moderation" in html
    assert "/admin/comments/comment/?status__exact=pending" not in html  # a count, not the queue
    client.force_login(with_role("Moderator", username="mo"))
    html = client.get("/admin/").content.decode()
    assert "3 comments awaiting moderation" in html
    assert "/admin/comments/comment/?status__exact=pending" in html
