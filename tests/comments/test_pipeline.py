"""The moderation pipeline: each rule, through the reader's form where the reader meets it."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article
from comments import posting
from comments.models import Comment
from tests.comments.conftest import READER, form_data, post_url
from tests.factories import ArticleFactory, CommentFactory, ModeratedWordFactory, UserFactory

pytestmark = pytest.mark.django_db


def reasons():
    return Comment.objects.get().moderation_reasons


# Verdicts and what the reader is told


def test_clean_comment_from_a_trusted_commenter_is_published_at_once(client, article, trusted_reader):
    response = client.post(post_url(article), form_data(article), follow=True)
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderation_reasons == []
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#comment-{comment.pk}", 302)]
    html = response.content.decode()
    assert "Your comment is published." in html
    assert READER["body"] in html


def test_first_comment_from_an_unknown_email_is_held_and_the_reader_told(client, article):
    response = client.post(post_url(article), form_data(article), follow=True)
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert reasons() == ["First comment from this commenter (no approved comment yet)."]
    assert "awaiting moderation" in response.content.decode()


def test_a_known_email_under_another_name_is_not_trusted(client, article, trusted_reader):
    client.post(post_url(article), form_data(article, name="Someone Else"))
    assert Comment.objects.get(article=article).status == Comment.Status.PENDING


def test_email_case_does_not_matter_for_history(client, article, trusted_reader):
    client.post(post_url(article), form_data(article, email="LENA@Example.com", name="lena ortiz"))
    assert Comment.objects.get(article=article).status == Comment.Status.APPROVED


def test_a_high_rejection_rate_holds_a_known_commenter_again(client, article, trusted_reader, section):
    for status in (Comment.Status.REJECTED, Comment.Status.SPAM):
        CommentFactory(
            article=ArticleFactory(section=section),
            name="Lena Ortiz",
            email="lena@example.com",
            status=status,
        )
    client.post(post_url(article), form_data(article))
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons == ["2 of 3 earlier comments were rejected."]


def test_a_pre_moderated_article_holds_even_trusted_commenters(client, article, trusted_reader):
    Article.objects.filter(pk=article.pk).update(comment_policy=Article.CommentPolicy.PREMODERATED)
    client.post(post_url(article), form_data(article))
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons == ["The article is pre-moderated."]


def test_site_wide_pre_moderation_holds_every_comment(client, article, trusted_reader, settings):
    settings.NEWSMAG_COMMENT_MODERATION = "pre"
    client.post(post_url(article), form_data(article))
    comment = Comment.objects.get(article=article)
    assert (comment.status, comment.moderation_reasons) == (
        Comment.Status.PENDING,
        ["Site-wide pre-moderation is on."],
    )
    assert (
        "Every comment is read by our moderators" in client.get(article.get_absolute_url()).content.decode()
    )


def test_staff_reply_is_published_even_on_a_pre_moderated_article(client, article):
    Article.objects.filter(pk=article.pk).update(comment_policy=Article.CommentPolicy.PREMODERATED)
    top = CommentFactory(article=article)
    client.force_login(UserFactory(first_name="Erik", last_name="Stone", is_staff=True))
    client.post(post_url(article), {"body": "Thanks, we have corrected it.", "parent": top.pk})
    assert Comment.objects.get(parent=top).status == Comment.Status.APPROVED


def test_every_reason_is_stored_and_the_worst_verdict_wins(client, article):
    ModeratedWordFactory(phrase="scam", action="reject")
    links = "http://a.example.com http://b.example.com http://c.example.com"
    client.post(post_url(article), form_data(article, body=f"This is a scam, see {links}"))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.REJECTED
    assert comment.moderation_reasons == [
        "Banned word: “scam”.",
        "3 links (more than 2).",
        "First comment from this commenter (no approved comment yet).",
    ]


# Closed articles


def test_comments_close_automatically_some_days_after_publication(client, article, settings):
    settings.NEWSMAG_COMMENTS_CLOSE_AFTER_DAYS = 30
    top = CommentFactory(article=article)
    with time_machine.travel(article.first_published_at + timedelta(days=30, minutes=1)):
        response = client.post(post_url(article), form_data(article), follow=True)
        assert "Comments on this article are closed." in response.content.decode()
        assert not Comment.objects.exclude(pk=top.pk).exists()
        html = client.get(article.get_absolute_url()).content.decode()
        assert 'action="/comments/post/' not in html
        assert "/reply/" not in html
        assert client.get(f"/comments/{top.pk}/reply/").status_code == 302


def test_comments_stay_open_before_the_deadline_and_say_when_they_close(client, article, settings):
    settings.NEWSMAG_COMMENTS_CLOSE_AFTER_DAYS = 30
    with time_machine.travel(article.first_published_at + timedelta(days=29)):
        html = client.get(article.get_absolute_url()).content.decode()
    assert 'action="/comments/post/' in html
    assert "Comments close on" in html


def test_comments_never_close_by_age_when_the_setting_is_zero(client, article, settings):
    settings.NEWSMAG_COMMENTS_CLOSE_AFTER_DAYS = 0
    with time_machine.travel(article.first_published_at + timedelta(days=3650)):
        client.post(post_url(article), form_data(article))
    assert Comment.objects.count() == 1


# Duplicates


def test_an_exact_duplicate_creates_no_second_row(client, article):
    client.post(post_url(article), form_data(article))
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        response = client.post(post_url(article), form_data(article), follow=True)
    assert Comment.objects.count() == 1
    assert "We already have this comment" in response.content.decode()


def test_the_same_words_from_another_reader_are_not_a_duplicate(client, article):
    client.post(post_url(article), form_data(article))
    client.post(
        post_url(article), form_data(article, email="tom@example.net", name="Tom"), REMOTE_ADDR="10.0.0.2"
    )
    assert Comment.objects.count() == 2


def test_the_database_refuses_a_duplicate_that_slips_past_the_check(article, monkeypatch):
    skipped = {posting.check_duplicate, posting.check_flood}  # two identical posts racing each other
    monkeypatch.setattr(posting, "CHECKS", [c for c in posting.CHECKS if c not in skipped])
    fields = {"article": article, "name": "Lena", "email": "lena@example.com", "body": "Same words"}
    posting.submit_comment(**fields)
    with pytest.raises(posting.DuplicateComment):
        posting.submit_comment(**{**fields, "email": "Lena@Example.com"})
    assert Comment.objects.count() == 1
    with pytest.raises(IntegrityError):
        CommentFactory(**fields)


# Flood limit


def test_a_second_comment_from_the_same_ip_within_the_limit_gets_a_clear_429(client, article):
    client.post(post_url(article), form_data(article))
    second = form_data(article, name="Tom", email="tom@example.net", body="Posting again so soon")
    response = client.post(post_url(article), second)
    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    html = response.content.decode()
    assert "You are commenting too quickly. Please wait 15 seconds" in html
    assert "Posting again so soon" in html  # the text is kept
    assert Comment.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=16)):
        assert client.post(post_url(article), second).status_code == 302
    assert Comment.objects.count() == 2


def test_the_flood_limit_also_holds_per_email_across_addresses(client, article):
    client.post(post_url(article), form_data(article), REMOTE_ADDR="10.0.0.1")
    response = client.post(post_url(article), form_data(article, body="Another one"), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_different_readers_are_not_limited_by_each_other(client, article):
    client.post(post_url(article), form_data(article), REMOTE_ADDR="10.0.0.1")
    other = form_data(article, name="Tom", email="tom@example.net")
    assert client.post(post_url(article), other, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert Comment.objects.count() == 2


# Bot traps


def test_a_filled_honeypot_rejects_the_comment_without_telling_the_bot(client, article):
    response = client.post(post_url(article), form_data(article, website="http://spam.example"), follow=True)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.REJECTED
    assert "The hidden honeypot field was filled in (a bot)." in comment.moderation_reasons
    assert "awaiting moderation" in response.content.decode()


def test_the_honeypot_is_hidden_from_people(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="comment-hp visually-hidden"  aria-hidden="true"' in html
    assert 'name="website" autocomplete="off" tabindex="-1"' in html


def test_a_form_sent_faster_than_a_person_types_is_held(client, article, trusted_reader):
    with time_machine.travel(timezone.now(), tick=False):
        client.post(post_url(article), form_data(article, seconds_ago=1))
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons == ["Sent 1.0 s after the form was shown (too fast)."]


@pytest.mark.parametrize("token", ["", "forged", "eyJhIjoxLCJ0IjoxfQ:1aaaaa:bad-signature"])
def test_a_missing_or_forged_form_timestamp_is_held(client, article, trusted_reader, token):
    client.post(post_url(article), form_data(article, issued=token))
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons == ["The signed form timestamp was missing or invalid."]


def test_a_form_token_from_another_article_is_held(client, article, trusted_reader, section):
    other = ArticleFactory(section=section)
    client.post(post_url(article), form_data(other))
    assert Comment.objects.get(article=article).status == Comment.Status.PENDING


def test_a_day_old_form_is_held(client, article, trusted_reader):
    client.post(post_url(article), form_data(article, seconds_ago=25 * 3600))
    comment = Comment.objects.get(article=article)
    assert comment.moderation_reasons == ["The form was shown 25 h before it was sent."]


def test_the_article_page_carries_a_signed_form_timestamp(client, article):
    with time_machine.travel(timezone.now(), tick=False):
        html = client.get(article.get_absolute_url()).content.decode()
        token = html.split('name="issued" value="')[1].split('"')[0]
        assert posting.form_age(token, article) == 0


# Banned and suspect words


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ("What an IDIOT.", Comment.Status.REJECTED, "Banned word: “idiot”."),
        ("A great\ncrypto   offer here", Comment.Status.PENDING, "Suspect word: “crypto offer”."),
    ],
)
def test_a_banned_word_rejects_and_a_suspect_word_holds(
    client, article, trusted_reader, body, status, reason
):
    ModeratedWordFactory(phrase="idiot", action="reject")
    ModeratedWordFactory(phrase="crypto offer", action="hold")
    client.post(post_url(article), form_data(article, body=body))
    comment = Comment.objects.get(article=article)
    assert (comment.status, comment.moderation_reasons) == (status, [reason])


def test_banned_words_match_whole_words_only(client, article, trusted_reader):
    ModeratedWordFactory(phrase="ass", action="reject")
    client.post(post_url(article), form_data(article, body="A classic assessment of the bass line."))
    assert Comment.objects.get(article=article).status == Comment.Status.APPROVED


FULL_WIDTH_IDIOT = "\uff29\uff44\uff49\uff4f\uff54"


@pytest.mark.parametrize("disguise", [FULL_WIDTH_IDIOT, "i\u0301diot", "id\u200biot", "IDIOT!"])
def test_banned_words_are_found_through_disguises(client, article, trusted_reader, disguise):
    ModeratedWordFactory(phrase="idiot", action="reject")
    client.post(post_url(article), form_data(article, body=f"You {disguise}"))
    assert Comment.objects.get(article=article).status == Comment.Status.REJECTED


def test_banned_words_in_the_name_count_too(client, article):
    ModeratedWordFactory(phrase="casino", action="reject")
    client.post(post_url(article), form_data(article, name="Best Casino Online"))
    assert Comment.objects.get().status == Comment.Status.REJECTED


def test_staff_comments_follow_the_word_list_too(client, article):
    ModeratedWordFactory(phrase="idiot", action="reject")
    client.force_login(UserFactory(is_staff=True))
    client.post(post_url(article), {"body": "Do not call people an idiot."})
    assert Comment.objects.get().status == Comment.Status.REJECTED


# Links


def test_more_links_than_allowed_hold_the_comment(client, article, trusted_reader, settings):
    settings.NEWSMAG_COMMENT_MAX_LINKS = 2
    body = "Sources: https://one.example.org/a, www.two.example.com and three.example.net/page."
    client.post(post_url(article), form_data(article, body=body))
    comment = Comment.objects.get(article=article)
    assert (comment.status, comment.moderation_reasons) == (
        Comment.Status.PENDING,
        ["3 links (more than 2)."],
    )


def test_a_few_links_are_fine(client, article, trusted_reader):
    client.post(post_url(article), form_data(article, body="See https://example.org/a and www.example.com."))
    assert Comment.objects.get(article=article).status == Comment.Status.APPROVED


# Length


def test_length_limits_are_enforced_by_the_pipeline_itself(article):
    base = {"article": article, "name": "Lena", "email": "lena@example.com"}
    with pytest.raises(posting.CommentRefused) as refusal:
        posting.submit_comment(**base, body="x" * 3001)
    assert refusal.value.field == "body"
    with pytest.raises(posting.CommentRefused):
        posting.submit_comment(**base, body="x")
    with pytest.raises(posting.CommentRefused) as refusal:
        posting.submit_comment(**{**base, "name": "n" * 81}, body="Fine words")
    assert refusal.value.field == "name"
    assert not Comment.objects.exists()


def test_the_length_limit_follows_the_setting(client, article, settings):
    settings.NEWSMAG_COMMENT_MAX_LENGTH = 50
    response = client.post(post_url(article), form_data(article, body="y" * 51))
    assert response.status_code == 400
    assert "Ensure this value has at most 50 characters (it has 51)." in response.content.decode()
    assert not Comment.objects.exists()


def test_behind_a_proxy_the_flood_limit_uses_the_readers_forwarded_address(client, article, settings):
    settings.NEWSMAG_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    client.post(post_url(article), form_data(article), HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    tom = form_data(article, name="Tom", email="tom@example.net")
    assert client.post(post_url(article), tom, HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy).status_code == 302
    assert Comment.objects.get(email="tom@example.net").ip_address == "203.0.113.2"
    # A forged first entry does not hide the address the proxy saw.
    ana = form_data(article, name="Ana", email="ana@example.net")
    forged = "198.51.100.9, 203.0.113.2"
    assert client.post(post_url(article), ana, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429


# Trust is proven by the browser, never by a name and an email alone


def test_knowing_a_trusted_commenters_name_and_email_is_not_enough(article, trusted_reader):
    from django.test import Client

    impostor = Client()  # another browser: it never sent Lena's approved comment
    impostor.post(post_url(article), form_data(article, body="Buy cheap watches now"), REMOTE_ADDR="10.9.9.9")
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reasons == [
        "Known email, but none of its approved comments was sent from this browser."
    ]


def test_the_browser_that_sent_a_comment_is_trusted_once_a_moderator_approved_it(client, article, section):
    from comments import moderation

    client.post(post_url(article), form_data(article))
    first = Comment.objects.get()
    assert first.status == Comment.Status.PENDING  # a first comment waits
    moderation.approve([first], moderator=None)
    later = ArticleFactory(section=section)
    with time_machine.travel(timezone.now() + timedelta(seconds=20)):  # past the flood limit
        client.post(post_url(later), form_data(later, body="Thank you Carlos!"))
    assert Comment.objects.get(article=later).status == Comment.Status.APPROVED


def test_a_tampered_proof_cookie_proves_nothing(client, article, trusted_reader):
    from comments.views import SENT_COOKIE

    signed = client.cookies[SENT_COOKIE].value
    client.cookies[SENT_COOKIE] = signed.replace(f"{trusted_reader.pk}:", "1:", 1)
    client.post(post_url(article), form_data(article))
    assert Comment.objects.get(article=article).status == Comment.Status.PENDING


def test_the_proof_cookie_is_signed_http_only_and_lists_only_what_this_browser_sent(client, article):
    from comments.views import SENT_COOKIE

    response = client.post(post_url(article), form_data(article))
    cookie = response.cookies[SENT_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie.value.split(":", 1)[0] == str(Comment.objects.get().pk)  # ids only, signed
    assert "lena" not in cookie.value.lower()


# The flood limit holds for a whole IPv6 /64 and whatever happens to the caches


def test_an_ipv6_reader_cannot_rotate_addresses_inside_its_64(client, article):
    client.post(post_url(article), form_data(article), REMOTE_ADDR="2001:db8:1:2::1")
    tom = form_data(article, name="Tom", email="tom@example.net")
    assert client.post(post_url(article), tom, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert client.post(post_url(article), tom, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_the_flood_limit_survives_emptied_caches(client, article):
    from django.core.cache import caches

    client.post(post_url(article), form_data(article))
    for cache in caches.all():  # what a burst of cache-busting requests does to a local-memory cache
        cache.clear()
    tom = form_data(article, name="Tom", email="tom@example.net")
    assert client.post(post_url(article), tom).status_code == 429
    assert Comment.objects.count() == 1
