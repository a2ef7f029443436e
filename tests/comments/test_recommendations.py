"""Readers recommend comments: once per reader (account or browser), limited per network, counted on the
comment in the same transaction, only published comments on open threads."""

import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments import recommendations
from comments.models import Comment, Recommendation
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def recommend_url(comment):
    return f"/comments/{comment.pk}/recommend/"


def post(client, comment, address="203.0.113.7", **extra):
    return client.post(recommend_url(comment), REMOTE_ADDR=address, **JSON, **extra)


@pytest.fixture
def comment(article):
    return CommentFactory(article=article, name="Lena Ortiz", body="Fast loading and a professional look!")


def test_a_reader_recommends_once_and_a_second_click_answers_the_same_count(client, comment):
    first = post(client, comment)
    assert first.status_code == 200
    assert first.json() == {
        "count": 1,
        "recommended": True,
        "added": True,
        "message": "Thank you: your recommendation is counted.",
    }
    cookie = first.cookies[recommendations.TOKEN_COOKIE]
    assert cookie["httponly"]
    assert cookie["path"] == "/comments/"
    assert cookie["samesite"] == "Lax"
    again = post(client, comment)
    assert again.status_code == 200
    assert again.json()["count"] == 1
    assert again.json()["added"] is False
    assert recommendations.TOKEN_COOKIE not in again.cookies  # the browser keeps its token
    comment.refresh_from_db()
    assert comment.recommendation_count == 1
    [row] = Recommendation.objects.filter(comment=comment)
    # Only a keyed hash of the browser's token is stored.
    assert row.user is None
    assert row.token_hash == recommendations.token_hash(cookie.value)
    assert cookie.value not in row.token_hash


def test_a_new_browser_on_the_same_network_does_not_add_again(client, comment):
    assert post(client, comment).json()["count"] == 1
    fresh_browser = Client()
    refused = post(fresh_browser, comment)
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("This comment has already been recommended from your network")
    assert int(refused["Retry-After"]) > 0
    # The same holds for any address of one IPv6 /64.
    post(Client(), comment, address="2001:db8:1:2::1")
    assert post(Client(), comment, address="2001:db8:1:2:ffff::9").status_code == 429
    comment.refresh_from_db()
    assert comment.recommendation_count == 2
    assert Recommendation.objects.filter(comment=comment).count() == 2


def test_one_network_recommends_a_limited_number_of_comments_an_hour(client, article, settings):
    settings.NEWSMAG_RECOMMENDATIONS_PER_HOUR = 2
    comments = CommentFactory.create_batch(3, article=article)
    assert [post(client, one).status_code for one in comments] == [200, 200, 429]
    assert Comment.objects.get(pk=comments[2].pk).recommendation_count == 0
    assert post(client, comments[2], address="198.51.100.4").status_code == 200  # another network


def test_a_signed_in_reader_counts_once_whatever_the_browser(client, comment):
    reader = UserFactory(username="lena")
    client.force_login(reader)
    assert post(client, comment).json()["added"] is True
    other_device = Client()
    other_device.force_login(reader)
    answer = post(other_device, comment, address="198.51.100.20")
    assert answer.status_code == 200
    assert answer.json() == {**answer.json(), "count": 1, "added": False}
    [row] = Recommendation.objects.filter(comment=comment)
    assert row.user == reader
    assert row.token_hash == ""
    assert recommendations.TOKEN_COOKIE not in answer.cookies


def test_the_database_refuses_a_second_recommendation_by_the_same_reader(comment):
    reader = UserFactory(username="lena")
    Recommendation.objects.create(comment=comment, user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(comment=comment, user=reader)
    Recommendation.objects.create(comment=comment, token_hash="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(comment=comment, token_hash="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():  # an account or a browser, never both
        Recommendation.objects.create(comment=comment, user=UserFactory(username="tom"), token_hash="b" * 64)


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM])
def test_only_a_published_comment_can_be_recommended(client, article, status):
    held = CommentFactory(article=article, status=status)
    answer = post(client, held)
    assert answer.status_code == 404
    assert answer.json() == {"message": "Only published comments can be recommended."}
    assert client.get(recommend_url(held)).status_code == 404
    assert not Recommendation.objects.exists()


def test_comments_on_a_closed_thread_cannot_be_recommended(client, comment, article):
    Article.objects.filter(pk=article.pk).update(comment_policy=Article.CommentPolicy.CLOSED)
    answer = post(client, comment)
    assert answer.status_code == 403
    assert "closed" in answer.json()["message"]
    assert not Recommendation.objects.exists()


def test_a_script_cannot_skip_the_csrf_check(comment):
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, comment).status_code == 403
    assert not Recommendation.objects.exists()


def test_without_javascript_a_small_page_recommends_and_goes_back_to_the_comment(client, comment):
    page = client.get(recommend_url(comment))
    assert page.status_code == 200
    assert b"Recommend this comment?" in page.content
    assert b"csrfmiddlewaretoken" in page.content
    answer = client.post(recommend_url(comment), REMOTE_ADDR="203.0.113.7")
    assert answer.status_code == 302
    assert answer["Location"] == f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.recommendation_count == 1


def test_counts_show_on_the_cached_page_without_a_query_per_comment(
    client, article, django_assert_num_queries
):
    for count in (3, 0, 1):
        CommentFactory(article=article, recommendation_count=count)

    def queries():
        client.get("/")  # warm what every page shares
        with CaptureQueriesContext(connection) as captured:
            html = client.get(article.get_absolute_url() + "?sort=recommended").content.decode()
        return len(captured), html

    queries()  # the article's other parts are kept from now on: a new comment rebuilds the thread alone
    CommentFactory(article=article, recommendation_count=2)
    few, html = queries()
    assert re.findall(r'data-count="(\d+)"', html) == ["3", "2", "1", "0"]
    assert '1<span class="visually-hidden"> recommendation</span>' in html
    for count in range(20):
        CommentFactory(article=article, recommendation_count=count)
    many, _html = queries()
    assert many == few


def test_the_page_stays_cookie_free_and_shows_the_new_count(client, comment, article, settings):
    page = client.get(article.get_absolute_url())
    assert not page.cookies
    assert f'href="/comments/{comment.pk}/recommend/"' in page.content.decode()
    post(client, comment)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'data-count="1"> 1<span class="visually-hidden"> recommendation</span>' in html


def test_a_closed_thread_shows_the_count_without_the_button(client, article):
    CommentFactory(article=article, recommendation_count=4)
    Article.objects.filter(pk=article.pk).update(comment_policy=Article.CommentPolicy.CLOSED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="comment-recommend-total">4 recommendations</span>' in html
    assert 'comment-recommend"' not in html


@pytest.mark.django_db(transaction=True)
def test_simultaneous_recommendations_all_count_and_one_browsers_double_click_counts_once(section):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from tests.factories import ArticleFactory

    target = CommentFactory(article=ArticleFactory(section=section))
    readers = [(f"{'r' * 39}{n}", f"198.51.100.{n}") for n in range(8)]
    double_click = readers[0]
    attempts = [*readers, double_click, double_click]
    barrier = threading.Barrier(len(attempts))

    def press(reader):
        token, network = reader
        barrier.wait()
        try:
            return recommendations.recommend(target, token=token, network=network).added
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(attempts)) as pool:
        added = list(pool.map(press, attempts))
    assert added.count(True) == len(readers)
    target.refresh_from_db()
    assert (
        target.recommendation_count == len(readers) == Recommendation.objects.filter(comment=target).count()
    )
