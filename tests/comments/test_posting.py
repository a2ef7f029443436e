import re

import pytest

from articles.models import Article
from comments.models import Comment
from tests.comments.conftest import form_data
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

READER = {"name": "Lena Ortiz", "email": "lena@example.com", "body": "Fast loading and a professional look!"}


def post_url(article):
    return f"/comments/post/{article.pk}/"


def test_posted_comment_is_pending_hidden_and_the_reader_is_told_at_the_thread(client, article):
    response = client.post(post_url(article), READER, follow=True)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.article == article
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#comment-notice", 302)]
    html = response.content.decode()
    # The notice, with the reader's own text, is in the thread's notice slot (the anchor they land on).
    slot = html[html.index('id="comment-notice"') :]
    assert "awaiting moderation" in slot[: slot.index("</section>")]
    assert READER["body"] in slot[: slot.index("</section>")]
    assert f'id="comment-{comment.pk}"' not in html  # not in the thread itself
    # Readers who did not post see neither their text nor the notice.
    client.cookies.pop("messages")
    html = client.get(article.get_absolute_url()).content.decode()
    assert READER["body"] not in html
    assert "awaiting moderation" not in html


def test_approved_comments_are_shown_as_a_thread_in_order(client, article):
    top = CommentFactory(article=article, body="I love this site!")
    answer = CommentFactory(article=article, parent=top, body="Thank you!")
    CommentFactory(article=article, parent=answer, body="Third level reply")
    CommentFactory(article=article, parent=top, body="Held reply", status=Comment.Status.PENDING)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "3 comments" in html
    assert "Held reply" not in html
    thread = re.findall(r'class="comment comment-level-(\d)" id="comment-(\d+)"', html)
    assert [(int(level), int(pk)) for level, pk in thread] == [
        (0, top.pk),
        (1, answer.pk),
        (2, answer.pk + 1),
    ]
    assert html.index("I love this site!") < html.index("Thank you!") < html.index("Third level reply")


def test_replies_beyond_the_maximum_depth_stay_at_the_deepest_level(client, article, settings):
    settings.NEWSMAG_COMMENT_MAX_DEPTH = 1
    top = CommentFactory(article=article)
    reply = CommentFactory(article=article, parent=top)
    deeper = CommentFactory(article=article, parent=reply)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'class="comment comment-level-1" id="comment-{deeper.pk}"' in html


def test_reply_by_the_articles_author_carries_the_author_badge(client, article):
    user = UserFactory(first_name="Maria", last_name="Keller")
    author = article.byline_authors[0]
    author.user = user
    author.save()
    top = CommentFactory(article=article, body="Great story")
    CommentFactory(article=article, parent=top, user=user, name="Maria Keller", body="Thank you!")
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r"Maria Keller</h3>\s*<span class=\"badge[^\"]*\">Author</span>", html)


def test_reply_posts_under_its_parent(client, article):
    parent = CommentFactory(article=article)
    client.post(post_url(article), {**READER, "parent": parent.pk})
    reply = Comment.objects.get(parent=parent)
    assert reply.depth == 1
    assert reply.status == Comment.Status.PENDING


def test_reply_form_page_works_without_javascript(client, article):
    parent = CommentFactory(article=article, name="Lena")
    html = client.get(f"/comments/{parent.pk}/reply/").content.decode()
    assert "Reply to Lena" in html
    assert f'name="parent" value="{parent.pk}"' in html


def test_invalid_comment_shows_errors_and_keeps_the_text(client, article):
    response = client.post(post_url(article), {**READER, "email": "not-an-email"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert READER["body"] in html
    assert not Comment.objects.exists()


def test_empty_comment_is_refused(client, article):
    response = client.post(post_url(article), {**READER, "body": "   "})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_reply_to_a_comment_of_another_article_is_refused(client, article, section):
    from tests.factories import ArticleFactory

    other = CommentFactory(article=ArticleFactory(section=section))
    response = client.post(post_url(article), {**READER, "parent": other.pk})
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_comments_on_drafts_are_404(client, article):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.post(post_url(article), READER).status_code == 404
    assert not Comment.objects.exists()


def test_closed_article_refuses_comments(client, article):
    Article.objects.filter(pk=article.pk).update(comment_policy=Article.CommentPolicy.CLOSED)
    response = client.post(post_url(article), READER, follow=True)
    assert "closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_comment_page_without_javascript_shows_the_form_with_a_token(client, article):
    html = client.get(post_url(article)).content.decode()
    assert "csrfmiddlewaretoken" in html
    assert 'name="body"' in html


def test_staff_comment_under_their_own_name(client, article):
    user = UserFactory(first_name="Erik", last_name="Stone", is_staff=True)
    client.force_login(user)
    client.post(post_url(article), {"body": "Correction noted, thanks."})
    comment = Comment.objects.get()
    assert (comment.name, comment.user) == ("Erik Stone", user)


def test_reader_posts_a_moderator_approves_in_bulk_and_the_thread_appears(client, article, moderator):
    top = CommentFactory(article=article, name="Tom", body="What time does the bakery open?")
    client.post(post_url(article), form_data(article, body="First comment by Lena"), REMOTE_ADDR="10.0.0.1")
    client.post(
        post_url(article),
        form_data(article, parent=top.pk, name="Ana", email="ana@example.com", body="At four, I think."),
        REMOTE_ADDR="10.0.0.2",
    )
    held = list(Comment.objects.in_moderation())
    assert len(held) == 2
    assert "At four, I think." not in client.get(article.get_absolute_url()).content.decode()

    reader = type(client)()
    client.force_login(moderator)
    response = client.post(
        "/admin/comments/comment/?status__exact=pending",
        {"action": "approve", "_selected_action": [comment.pk for comment in held]},
        follow=True,
    )
    assert "2 comments approved." in response.content.decode()
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "3 comments" in html
    reply = Comment.objects.get(parent=top)
    assert f'class="comment comment-level-1" id="comment-{reply.pk}"' in html
    assert html.index("What time does the bakery open?") < html.index("At four, I think.")


def test_the_reply_page_carries_the_bot_traps(client, article):
    parent = CommentFactory(article=article)
    html = client.get(f"/comments/{parent.pk}/reply/").content.decode()
    assert 'name="website"' in html
    assert 'name="issued" value="' in html
