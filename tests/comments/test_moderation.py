import pytest
from django.contrib.auth.models import Group

from articles import roles
from comments import moderation
from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.MODERATOR))
    return user


def test_approve_records_who_and_when(article, moderator):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert moderation.approve([comment], moderator=moderator) == 1
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None


def test_moderation_queue_opens_on_pending(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/comments/comment/")
    assert response.status_code == 302
    assert response["Location"].endswith("?status__exact=pending")


def test_moderator_approves_from_the_admin_and_the_reader_sees_it(client, article, moderator):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING, body="Lovely piece")
    assert "Lovely piece" not in client.get(article.get_absolute_url()).content.decode()
    client.force_login(moderator)
    response = client.post(
        "/admin/comments/comment/?status__exact=pending",
        {"action": "approve", "_selected_action": [comment.pk]},
        follow=True,
    )
    assert "1 comment approved." in response.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.APPROVED, moderator)
    client.logout()
    assert "Lovely piece" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("action", ["reject", "mark_spam"])
def test_reject_and_spam_hide_the_comment(client, article, moderator, action):
    comment = CommentFactory(article=article, status=Comment.Status.APPROVED, body="Buy pills")
    client.force_login(moderator)
    client.post(
        "/admin/comments/comment/?status__exact=approved",
        {"action": action, "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.status == {"reject": Comment.Status.REJECTED, "mark_spam": Comment.Status.SPAM}[action]
    client.logout()
    assert "Buy pills" not in client.get(article.get_absolute_url()).content.decode()


def test_moderator_cannot_edit_articles(client, moderator, article):
    client.force_login(moderator)
    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 403
