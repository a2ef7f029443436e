from datetime import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group

from articles import roles
from comments import moderation
from comments.models import Comment, ModeratedWord
from tests.comments.conftest import form_data, post_url
from tests.factories import CommentFactory, ModeratedWordFactory, UserFactory

pytestmark = pytest.mark.django_db


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


def test_the_queue_shows_why_a_comment_was_held_its_article_and_what_it_replies_to(
    client, article, moderator
):
    parent = CommentFactory(article=article, name="Tom", body="The original remark")
    client.post(
        post_url(article),
        form_data(article, parent=parent.pk, body="See a.example.com b.example.com c.example.com"),
    )
    client.force_login(moderator)
    html = client.get("/admin/comments/comment/?status__exact=pending").content.decode()
    assert "3 links (more than 2). First comment from this commenter (no approved comment yet)." in html
    assert f'<a href="{article.get_absolute_url()}#comment-' in html
    assert f'<a href="/admin/comments/comment/{parent.pk}/change/">Tom: The original remark</a>' in html


def test_the_queue_shows_who_moderated_when(client, article, moderator):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    with time_machine.travel(datetime.fromisoformat("2026-03-02T09:15:00+01:00"), tick=False):
        moderation.reject([comment], moderator=moderator)
    client.force_login(moderator)
    html = client.get("/admin/comments/comment/?status__exact=rejected").content.decode()
    assert '<td class="field-moderated">mod, 03/02/2026 9:15 a.m.</td>' in html


def test_the_pending_count_is_in_the_queue_title_and_on_the_admin_front_page(client, article, moderator):
    CommentFactory.create_batch(3, article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.APPROVED)
    client.force_login(moderator)
    queue = client.get("/admin/comments/comment/?status__exact=approved").content.decode()
    assert "<h1>Moderation queue: 3 comments pending</h1>" in queue
    index = client.get("/admin/").content.decode()
    assert "3 comments awaiting moderation" in index
    assert 'href="/admin/comments/comment/?status__exact=pending"' in index


def test_the_pending_count_is_not_shown_to_staff_who_do_not_moderate(client, article):
    CommentFactory(article=article, status=Comment.Status.PENDING)
    journalist = UserFactory(username="writer", is_staff=True)
    journalist.groups.add(Group.objects.get(name=roles.JOURNALIST))
    client.force_login(journalist)
    assert "awaiting moderation" not in client.get("/admin/").content.decode()


def test_moderators_only_moderate(moderator):
    assert moderator.has_perm("comments.can_moderate")
    assert not moderator.has_perm("comments.add_moderatedword")
    assert not moderator.has_perm("articles.change_article")


def test_editors_edit_the_banned_and_suspect_words(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/comments/moderatedword/add/", {"phrase": "  Crypto   Offer ", "action": "hold"}
    )
    assert response.status_code == 302
    assert ModeratedWord.objects.get().phrase == "Crypto Offer"
    duplicate = client.post(
        "/admin/comments/moderatedword/add/", {"phrase": "crypto offer", "action": "reject"}
    )
    assert "This word is already on the list." in duplicate.content.decode()


def test_moderators_cannot_edit_the_word_list(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/comments/moderatedword/add/").status_code == 403


def test_a_new_banned_word_applies_to_the_next_comment(client, editor, article):
    ModeratedWordFactory(phrase="scam", action="reject")
    client.post(post_url(article), form_data(article, body="Total scam."))
    assert Comment.objects.get().status == Comment.Status.REJECTED


def test_requeue_goes_through_the_one_moderation_function_and_keeps_earlier_reasons(article):
    comment = CommentFactory(article=article, moderation_reasons=["Suspect word: “x”."])
    assert moderation.requeue([comment], reason="Reported by 3 readers.") == 1
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons == ["Suspect word: “x”.", "Reported by 3 readers."]


def test_the_queue_detail_shows_the_commenters_history(client, article, moderator, section):
    CommentFactory(article=article, email="lena@example.com", name="Lena", body="One")
    CommentFactory(
        article=article, email="lena@example.com", name="Lena", body="Two", status=Comment.Status.SPAM
    )
    held = CommentFactory(
        article=article, email="lena@example.com", name="Lena", status=Comment.Status.PENDING
    )
    client.force_login(moderator)
    html = client.get(f"/admin/comments/comment/{held.pk}/change/").content.decode()
    assert "Other comments with this email: 1 approved, 0 pending, 1 rejected or spam." in html
