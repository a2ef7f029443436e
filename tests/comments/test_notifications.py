"""Reply and approval emails: opt-in on the form, sent after commit through a real SMTP server on loopback,
one per reply, never to oneself, never for a refused reply, with a one-click unsubscribe (RFC 8058)."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from comments import moderation, notifications
from comments.models import Comment, NotificationSent, ReplySubscription
from tests.comments.conftest import form_data, post_url, remember_in_browser
from tests.commits import run_after_commit_work
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def committed():
    """What the commit of the test's writes would run: the notification job (in-process without a broker)."""
    run_after_commit_work()


@pytest.fixture
def subscribed(client, article, trusted_reader):
    """Lena comments with "Email me when someone replies" ticked (trusted: published at once)."""
    answer = client.post(post_url(article), form_data(article, notify="on"), **JSON)
    assert answer.json()["published"] is True
    comment = Comment.objects.get(article=article, parent=None, body__startswith="Fast loading")
    assert ReplySubscription.objects.get(comment=comment).active
    committed()
    return comment


def held_reply(parent, **fields):
    fields = {
        "name": "Tom Becker",
        "email": "tom.becker@example.net",
        "body": "Same here, on the night bus.",
        **fields,
    }
    return CommentFactory(article=parent.article, parent=parent, status=Comment.Status.PENDING, **fields)


def unsubscribe_link(message):
    return message["List-Unsubscribe"].strip().strip("<>")  # Django folds long headers: " <...>"


def test_the_form_offers_the_opt_in_unticked(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    checkbox = re.search(r'<input type="checkbox" name="notify"[^>]*>', html).group(0)
    assert "checked" not in checkbox
    assert "Email me when someone replies" in html


def test_without_the_opt_in_nothing_is_stored_or_sent(client, article, trusted_reader, mailbox, moderator):
    client.post(post_url(article), form_data(article), **JSON)
    comment = Comment.objects.get(article=article, parent=None, body__startswith="Fast loading")
    assert not ReplySubscription.objects.exists()
    moderation.approve([held_reply(comment)], moderator=moderator)
    committed()
    assert mailbox.messages == []


def test_an_approved_reply_sends_one_email_with_the_unsubscribe_headers(
    subscribed, mailbox, moderator, settings
):
    reply = held_reply(subscribed)
    moderation.approve([reply], moderator=moderator)
    assert mailbox.messages == []  # nothing before the commit
    committed()
    [message] = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "lena@example.com"
    assert (
        message["Subject"].strip()
        == "Tom Becker replied to your comment on “The night baker who keeps a town’s lights on”"
    )
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    link = unsubscribe_link(message)
    assert link.startswith(f"{settings.NEWSMAG_SITE_URL}/comments/unsubscribe/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    article_url = f"{settings.NEWSMAG_SITE_URL}{subscribed.article.get_absolute_url()}"
    for body in (text, html):
        assert "Tom Becker" in body
        assert "Same here, on the night bus." in body
        assert f"{article_url}#comment-{reply.pk}" in body
        assert link in body
    assert "tom.becker@example.net" not in message.as_string()  # never the replier's email
    # Approved again after reader reports sent it back: still one email for this reply.
    moderation.requeue([reply], reason="Reported by 3 readers.")
    moderation.approve([reply], moderator=moderator)
    committed()
    assert len(mailbox.messages) == 1
    assert NotificationSent.objects.filter(kind="reply", reply=reply).count() == 1


def test_one_click_unsubscribe_by_post_then_the_next_reply_sends_nothing(subscribed, mailbox, moderator):
    moderation.approve([held_reply(subscribed)], moderator=moderator)
    committed()
    [message] = mailbox.wait_for(1)
    path = urlsplit(unsubscribe_link(message)).path
    # What a mail provider does (RFC 8058): a POST with no session, no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    answer = provider.post(path, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert "You are unsubscribed" in answer.content.decode()
    assert not ReplySubscription.objects.get(comment=subscribed).active
    moderation.approve([held_reply(subscribed, body="A second reply.")], moderator=moderator)
    committed()
    assert len(mailbox.messages) == 1


def test_a_get_on_the_link_asks_first_and_changes_nothing(subscribed, client):
    subscription = ReplySubscription.objects.get(comment=subscribed)
    path = f"/comments/unsubscribe/{notifications.unsubscribe_token(subscription)}/"
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop emails about your comment?" in page.content.decode()
    assert "no-cache" in page["Cache-Control"]
    assert ReplySubscription.objects.get(comment=subscribed).active
    assert client.get("/comments/unsubscribe/forged:token/").status_code == 404


def test_no_email_for_a_reply_to_ones_own_comment(subscribed, mailbox, moderator):
    own = held_reply(subscribed, name="Lena Ortiz", email="LENA@example.com", body="Adding to what I said.")
    moderation.approve([own], moderator=moderator)
    committed()
    assert mailbox.messages == []


@pytest.mark.parametrize("decision", [moderation.reject, moderation.mark_spam])
def test_no_email_for_a_rejected_or_spam_reply(subscribed, mailbox, moderator, decision):
    decision([held_reply(subscribed)], moderator=moderator)
    committed()
    assert mailbox.messages == []


def test_a_reply_published_at_once_sends_the_email_too(subscribed, mailbox, article, section):
    tom = Client()
    earlier = CommentFactory(
        article=ArticleFactory(section=section),
        name="Tom Becker",
        email="tom.becker@example.net",
        body="Earlier",
    )
    remember_in_browser(tom, earlier)  # Tom is trusted: his reply is published at once
    fields = {"name": "Tom Becker", "email": "tom.becker@example.net", "body": "Published at once."}
    answer = tom.post(
        post_url(article),
        form_data(article, parent=subscribed.pk, **fields),
        REMOTE_ADDR="198.51.100.8",
        **JSON,
    )
    assert answer.json()["published"] is True
    committed()
    [message] = mailbox.wait_for(1)
    assert "Published at once." in message.get_body(("plain",)).get_content()


def test_a_held_comment_approved_tells_its_writer_once(client, article, mailbox, moderator):
    # A new reader's first comment waits for a moderator.
    client.post(post_url(article), form_data(article, notify="on"), **JSON)
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.PENDING
    committed()
    assert mailbox.messages == []
    moderation.approve([comment], moderator=moderator)
    committed()
    [message] = mailbox.wait_for(1)
    assert (
        message["Subject"].strip()
        == "Your comment on “The night baker who keeps a town’s lights on” is published"
    )
    assert message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    moderation.requeue([comment], reason="Reported.")
    moderation.approve([comment], moderator=moderator)
    committed()
    assert len(mailbox.messages) == 1


def test_a_comment_published_at_once_gets_no_approval_email(subscribed, mailbox):
    assert mailbox.messages == []


def test_a_mail_server_that_is_down_never_breaks_the_decision(subscribed, moderator, settings):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    reply = held_reply(subscribed)
    assert moderation.approve([reply], moderator=moderator) == 1
    committed()  # the job fails (and, with a broker, retries later): nothing is recorded as sent
    reply.refresh_from_db()
    assert reply.status == Comment.Status.APPROVED
    assert not NotificationSent.objects.exists()
