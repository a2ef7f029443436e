"""The reader's side of the thread: what a reader sees after posting (with and without JavaScript), replies
to held comments, folded reply chains, sorting and the avatars."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import roles
from comments import moderation, posting, recommendations
from comments.models import Comment
from comments.templatetags.comments_tags import avatar_colour, initials
from tests.comments.conftest import READER, form_data, post_url, remember_in_browser
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def held(article):
    return CommentFactory(
        article=article,
        name="Pieter van Loon",
        body="Is there one in Westhaven?",
        status=Comment.Status.PENDING,
    )


@pytest.fixture
def article_author(article):
    """Maria, a journalist whose byline is on the article."""
    user = UserFactory(username="maria", first_name="Maria", last_name="Keller", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.JOURNALIST))
    author = article.byline_authors[0]
    author.user = user
    author.save()
    return user


def reply(client, article, parent, body="Thank you!", **extra):
    return client.post(post_url(article), form_data(article, body=body, parent=parent.pk), **extra)


# Posting feedback


def test_a_held_comment_on_an_empty_thread_is_shown_to_its_reader_before_the_empty_line(client, article):
    response = client.post(post_url(article), form_data(article), follow=True)
    html = response.content.decode()
    notice_at, empty_at = html.index('id="comment-notice"'), html.index('class="comments-empty')
    # The notice comes first in the same section: the stylesheet hides "No comments yet" after a filled slot.
    assert notice_at < empty_at
    assert "awaiting moderation" in html[notice_at:empty_at]
    assert READER["body"] in html[notice_at:empty_at]


def test_a_published_comment_takes_its_reader_to_it_with_a_notice_at_the_thread(
    client, article, trusted_reader
):
    response = client.post(post_url(article), form_data(article), follow=True)
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#comment-{comment.pk}", 302)]
    html = response.content.decode()
    assert "Your comment is published" in html[html.index('id="comment-notice"') :]
    assert f'id="comment-{comment.pk}"' in html


def test_the_notice_is_not_served_from_the_page_cache_to_others(client, article, settings):
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 60
    client.post(post_url(article), form_data(article), follow=True)
    stranger = type(client)()
    html = stranger.get(article.get_absolute_url()).content.decode()
    assert "awaiting moderation" not in html
    assert READER["body"] not in html


def test_the_notice_costs_its_reader_one_query_and_everyone_else_none(
    client, article, django_assert_num_queries
):
    client.get(article.get_absolute_url())  # warm the kept parts
    with CaptureQueriesContext(connection) as plain:
        client.get(article.get_absolute_url())
    client.post(post_url(article), form_data(article))
    with CaptureQueriesContext(connection) as posted:
        html = client.get(article.get_absolute_url()).content.decode()
    assert "awaiting moderation" in html
    # The post changed nothing readers see (a held comment), so the kept thread is still the same.
    assert len(posted) == len(plain) + 1


def test_javascript_post_of_a_held_comment_returns_the_notice_and_remembers_the_browser(client, article):
    response = client.post(post_url(article), form_data(article), **JSON)
    assert response.status_code == 200
    data = response.json()
    assert Comment.objects.filter(article=article).count() == 1
    assert data["published"] is False
    assert "awaiting moderation" in data["notice"]
    assert READER["body"] in data["notice"]
    assert "html" not in data
    assert "newsmag_commenter" in response.cookies


def test_javascript_post_of_a_published_reply_returns_it_for_its_place(client, article, trusted_reader):
    parent = CommentFactory(article=article)
    data = reply(client, article, parent, **JSON).json()
    comment = Comment.objects.get(parent=parent)
    assert data["published"] is True
    assert data["parent"] == parent.pk
    assert data["html"].startswith(f'<li class="comment comment-level-1" id="comment-{comment.pk}"')
    assert "Thank you!" in data["html"]


def test_javascript_post_with_errors_gets_them_as_json_and_nothing_is_stored(client, article):
    response = client.post(post_url(article), form_data(article, email="not-an-email"), **JSON)
    assert response.status_code == 400
    assert response.json()["errors"]["email"] == ["Enter a valid email address."]
    assert not Comment.objects.exists()


def test_javascript_post_too_soon_gets_429_json(client, article, trusted_reader):
    client.post(post_url(article), form_data(article), **JSON)
    response = client.post(post_url(article), form_data(article, body="And another thing."), **JSON)
    assert response.status_code == 429
    assert "too quickly" in response.json()["message"]
    assert response["Retry-After"]


def test_javascript_post_of_the_same_comment_twice_stores_one(client, article, trusted_reader, settings):
    settings.NEWSMAG_COMMENT_FLOOD_SECONDS = 0
    client.post(post_url(article), form_data(article), **JSON)
    response = client.post(post_url(article), form_data(article), **JSON)
    assert response.status_code == 409
    assert Comment.objects.filter(article=article).count() == 1


# Replies to a held comment


def test_the_articles_author_replies_to_a_held_comment_and_the_reply_waits_with_it(
    client, article, article_author, held
):
    client.force_login(article_author)
    assert client.get(f"/comments/{held.pk}/reply/").status_code == 200
    response = reply(client, article, held)
    assert response.status_code == 302
    answer = Comment.objects.get(parent=held)
    assert answer.status == Comment.Status.PENDING
    assert answer.moderation_reasons == [posting.REASON_PARENT_HELD]
    # Readers see neither.
    html = type(client)().get(article.get_absolute_url()).content.decode()
    assert "Thank you!" not in html
    assert held.body not in html


def test_approving_the_held_comment_publishes_the_replies_held_only_for_it(
    client, article, article_author, held
):
    client.force_login(article_author)
    reply(client, article, held)
    client.logout()
    remember_in_browser(client, held)
    reply(client, article, held, body="Also: is it open on Sundays?")  # the reader's own, held for more
    moderation.approve([held], moderator=None)
    statuses = dict(Comment.objects.filter(parent=held).values_list("body", "status"))
    assert statuses == {"Thank you!": "approved", "Also: is it open on Sundays?": "pending"}
    html = type(client)().get(article.get_absolute_url()).content.decode()
    assert html.index(held.body) < html.index("Thank you!")


def test_rejecting_the_held_comment_leaves_its_replies_unseen(client, article, article_author, held):
    client.force_login(article_author)
    reply(client, article, held)
    moderation.reject([held], moderator=None, reason="off-topic")
    assert Comment.objects.get(parent=held).status == Comment.Status.PENDING
    html = type(client)().get(article.get_absolute_url()).content.decode()
    assert "Thank you!" not in html


@pytest.mark.parametrize("role", [roles.EDITOR, roles.MODERATOR])
def test_editors_and_moderators_may_reply_to_a_held_comment(client, article, held, role):
    user = UserFactory(username=f"staff-{role}", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    assert reply(client, article, held).status_code == 302
    assert Comment.objects.filter(parent=held, status=Comment.Status.PENDING).exists()


def test_the_reader_who_wrote_a_held_comment_may_reply_to_it_from_the_same_browser(client, article, settings):
    settings.NEWSMAG_COMMENT_FLOOD_SECONDS = 0
    client.post(post_url(article), form_data(article))
    held = Comment.objects.get()
    assert client.get(f"/comments/{held.pk}/reply/").status_code == 200
    client.post(post_url(article), form_data(article, body="I forgot to say: lovely photos.", parent=held.pk))
    assert Comment.objects.filter(parent=held).exists()


def test_a_stranger_cannot_reply_to_a_held_comment(client, article, held):
    assert client.get(f"/comments/{held.pk}/reply/").status_code == 404
    response = reply(client, article, held)
    assert response.status_code == 400
    assert "You can only reply to a published comment on this article." in response.content.decode()
    assert not Comment.objects.filter(parent=held).exists()


def test_a_journalist_who_did_not_write_the_article_cannot_reply_to_its_held_comments(client, article, held):
    user = UserFactory(username="other-journalist", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.JOURNALIST))
    client.force_login(user)
    assert client.get(f"/comments/{held.pk}/reply/").status_code == 404
    assert reply(client, article, held).status_code == 400
    assert not Comment.objects.filter(parent=held).exists()


def test_nobody_replies_to_a_rejected_comment(client, article, article_author):
    rejected = CommentFactory(article=article, status=Comment.Status.REJECTED)
    client.force_login(article_author)
    assert reply(client, article, rejected).status_code == 400


def test_the_articles_author_sees_held_comments_marked_in_the_thread_and_readers_do_not(
    client, article, article_author, held
):
    client.force_login(article_author)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'class="comment comment-level-0 comment-held" id="comment-{held.pk}"' in html
    assert "Awaiting moderation" in html
    assert f"/comments/{held.pk}/reply/" in html
    assert f"/comments/{held.pk}/report/" not in html
    assert "Comments" in html
    assert "1 comment" not in html
    reader = type(client)().get(article.get_absolute_url()).content.decode()
    assert held.body not in reader
    assert "Awaiting moderation" not in reader


# Thread look


def test_long_reply_chains_fold_after_three_replies(client, article):
    top = CommentFactory(article=article)
    replies = [CommentFactory(article=article, parent=top, body=f"Reply number {n}") for n in range(5)]
    html = client.get(article.get_absolute_url()).content.decode()
    folded = html[html.index('<details class="comment-more">') :]
    assert "Show 2 more replies</summary>" in folded
    assert [f'id="comment-{r.pk}"' in folded for r in replies] == [False, False, False, True, True]


def test_three_replies_are_not_folded(client, article):
    top = CommentFactory(article=article)
    for _ in range(3):
        CommentFactory(article=article, parent=top)
    assert "comment-more" not in client.get(article.get_absolute_url()).content.decode()


def test_each_sort_is_a_link_to_a_page_of_its_own_and_replies_stay_under_their_parent(client, article):
    first = CommentFactory(article=article)
    second = CommentFactory(article=article, recommendation_count=5)
    third = CommentFactory(article=article, recommendation_count=2)
    under_first = CommentFactory(article=article, parent=first)
    url = article.get_absolute_url()

    def order(query=""):
        html = client.get(url + query).content.decode()
        return [int(pk) for pk in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', html)], html

    shown, html = order()
    assert shown == [first.pk, under_first.pk, second.pk, third.pk]
    tabs = re.findall(
        r'<a class="comment-sort-option" href="([^"]+)" rel="nofollow"( aria-current="true")?>', html
    )
    assert tabs == [
        (f"{url}#comments", ' aria-current="true"'),
        (f"{url}?sort=newest#comments", ""),
        (f"{url}?sort=recommended#comments", ""),
    ]
    assert order("?sort=newest")[0] == [third.pk, second.pk, first.pk, under_first.pk]
    shown, html = order("?sort=recommended")
    assert shown == [second.pk, third.pk, first.pk, under_first.pk]
    assert re.search(
        r'\?sort=recommended#comments" rel="nofollow" aria-current="true">Most recommended<', html
    )
    # An unknown sort is the default order; the canonical address never carries the sort.
    assert order("?sort=whatever")[0] == [first.pk, under_first.pk, second.pk, third.pk]
    assert f'<link rel="canonical" href="http://testserver{url}">' in html


def test_each_sort_is_kept_apart_and_retired_by_a_recommendation(
    client, article, settings, version_read_once
):
    settings.NEWSMAG_PAGE_CACHE_SECONDS = 0  # the kept thread fragment alone
    first = CommentFactory(article=article)
    second = CommentFactory(article=article)
    url = article.get_absolute_url() + "?sort=recommended"
    assert client.get(url).content.decode().index(f'id="comment-{first.pk}"') < client.get(
        url
    ).content.decode().index(f'id="comment-{second.pk}"')
    recommendations.recommend(second, token="t" * 40, network="203.0.113.9")
    html = client.get(url).content.decode()
    assert html.index(f'id="comment-{second.pk}"') < html.index(f'id="comment-{first.pk}"')
    assert re.search(r'Recommend<span class="comment-recommend-count" data-count="1"> 1<', html)


def test_a_single_comment_has_no_sort(client, article):
    CommentFactory(article=article)
    assert "comment-sort" not in client.get(article.get_absolute_url()).content.decode()


def test_avatars_are_initials_in_a_colour_from_the_name(client, article):
    CommentFactory(article=article, name="Lena Ortiz")
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'<span class="comment-avatar comment-avatar-{avatar_colour("Lena Ortiz")}" aria-hidden="true">LO</span>'
        in html
    )
    assert "gravatar" not in html.lower()


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Lena Ortiz", "LO"),
        ("maria", "M"),
        ("Pieter van Loon", "PL"),
        ("  ", "?"),
        ("Émile Zola", "ÉZ"),
        ("-- Bob", "B"),
    ],
)
def test_initials(name, letters):
    assert initials(name) == letters


def test_the_avatar_colour_is_stable_and_case_blind():
    assert avatar_colour("Lena Ortiz") == avatar_colour("lena ortiz")
    assert {avatar_colour(f"Reader {n}") for n in range(60)} == set(range(8))


def test_timestamps_carry_the_full_time_for_the_script_to_make_relative(client, article):
    comment = CommentFactory(article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(
        rf'<a class="comment-time" href="#comment-{comment.pk}"><time datetime="[^"]+" title="[^"]+">', html
    )
