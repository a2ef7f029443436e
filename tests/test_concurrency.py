"""Concurrency: simultaneous writers on a real server and real database connections."""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from django.contrib.auth.models import Group

from articles import roles, workflow
from articles.models import Article, ArticleEvent
from comments.models import Comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_editors_publishing_at_once_publish_once(section):
    from django.apps import apps
    from django.db import connections

    roles.sync_roles(apps)
    editors = []
    for name in ("desk1", "desk2"):
        user = UserFactory(username=name, is_staff=True)
        user.groups.add(Group.objects.get(name=roles.EDITOR))
        editors.append(user)
    article = ArticleFactory(section=section, status=Article.Status.REVIEW, publish_at=None)
    barrier = threading.Barrier(2)

    def press_publish(editor):
        barrier.wait()
        try:
            workflow.publish(article, by=editor)
            return "published"
        except workflow.TransitionError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(press_publish, editors))
    assert outcomes == ["published", "refused"]
    assert ArticleEvent.objects.filter(article=article, action="published").count() == 1
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_many_readers_posting_at_once_are_each_stored_exactly_once(live_server, section, settings):
    settings.NEWSMAG_COMMENT_FLOOD_SECONDS = 0  # every post here comes from 127.0.0.1
    settings.NEWSMAG_COMMENT_MIN_FORM_SECONDS = 0
    settings.CSRF_COOKIE_SECURE = False  # the live server speaks plain HTTP
    article = ArticleFactory(section=section)
    url = f"{live_server.url}/comments/post/{article.pk}/"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def post(number):
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)
        with browser.open(f"{live_server.url}/comments/token/{article.pk}/") as response:
            token = json.load(response)
        # Readers 0-19 write their own comment; readers 20-29 all send one identical text at the same time.
        text = (
            f"Reader {number} thinks the bridge should reopen." if number < 20 else "Same words, sent twice."
        )
        email = f"reader{number}@example.com" if number < 20 else "twin@example.com"
        data = urllib.parse.urlencode(
            {"name": f"Reader {number}", "email": email, "body": text, "issued": token["issued"],
             "csrfmiddlewaretoken": token["csrf"]}
        ).encode()  # fmt: skip
        request = urllib.request.Request(url, data=data, headers={"Referer": live_server.url + "/"})
        try:
            with browser.open(request) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post, range(30)))
    # Every reader is sent back to the article (a resent identical comment is the same comment)...
    assert statuses == [302] * 30
    # ...and every distinct comment is stored exactly once.
    bodies = list(Comment.objects.filter(article=article).values_list("body", flat=True))
    assert len(bodies) == len(set(bodies)) == 21
