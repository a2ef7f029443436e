"""Hostile admin input: list filters, search and the date drill-down of every changelist, and characters
no database column can store anywhere in a request. The answer is a 4xx or the list with the bad filter
refused ("?e=1"), never a 500 (the test client re-raises what a view lets through)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import ModeratedWord
from newsmag.middleware import UnstorableInputMiddleware
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    CommentReportFactory,
    ImageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Raw query-string values: NUL and another control character, bytes that are not UTF-8, numbers no column
# or date can hold, quoting, and values of the wrong type for every kind of filter. (Each one costs about
# 80 requests, one per parameter of the twelve lists: keep the list short.)
HOSTILE = [
    "abc",
    "%00",
    "%01",
    "%FF%FE",
    "-1",
    "1.5",
    "9999",
    "99999999999999999999999",
    "2024-13-45",
    "%27%22%3Cb%3E",
    "x" * 1000,
]


@pytest.fixture
def newsroom(db):
    """A row for every model the admin lists, so filters have choices and lists have rows to show."""
    author = AuthorFactory(name="Maria Keller")
    article = ArticleFactory(authors=[author], tags=["ferries"], lead_image=ImageFactory())
    comment = CommentFactory(article=article)
    CommentReportFactory(comment=comment)
    ModeratedWord.objects.create(phrase="casino", action=ModeratedWord.Action.HOLD)
    now = timezone.now()
    attempt = {"ip_address": "192.0.2.1", "username": "nobody", "user_agent": "probe", "path_info": "/admin/"}
    AccessAttempt.objects.create(**attempt, attempt_time=now, failures_since_start=1)
    AccessLog.objects.create(**attempt, attempt_time=now)
    AccessFailureLog.objects.create(**attempt, attempt_time=now, locked_out=False)
    return {"author": author, "article": article}


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def root_client(client, superuser):
    client.force_login(superuser)
    return client


def changelist_parameters(model_admin, user):
    """Every query parameter the changelist's filters read, the date drill-down's and the search's."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    parameters = {"q"}
    for spec in changelist.filter_specs:
        parameters.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        parameters.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return sorted(parameters)


def test_every_changelist_answers_hostile_filter_and_search_values_without_a_server_error(
    root_client, superuser, newsroom
):
    tried = 0
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for parameter in changelist_parameters(model_admin, superuser):
            for value in HOSTILE:
                response = root_client.get(f"{url}?{parameter}={value}")
                tried += 1
                assert response.status_code in {200, 302, 400}, (url, parameter, value)
                if response.status_code == 302:
                    assert response["Location"] == f"{url}?{ERROR_FLAG}=1", (url, parameter, value)
    assert tried > 800  # 12 lists, their filters, search and date drill-downs


def test_a_nul_character_in_a_filter_is_refused_with_a_clear_400(root_client, newsroom):
    for url in [
        "/admin/articles/article/?status__exact=%00",
        "/admin/articles/image/?source_type__exact=%00",
        "/admin/comments/comment/?status__exact=pending%00",
        "/admin/articles/article/?q=ferry%00",
    ]:
        response = root_client.get(url)
        assert response.status_code == 400, url
        assert "contains a NUL character" in response.content.decode()
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_nul_characters_are_refused_wherever_a_request_carries_them(client, settings):
    """Form fields (names and values), cookies, headers and the path. Two of these were 500s: django-axes
    records a failed login's User-Agent, and a session cookie is looked up in the session table."""
    login = reverse("admin:login")
    wrong_password = {"username": "root", "password": "x"}
    assert client.post(login, wrong_password, HTTP_USER_AGENT="probe\x00").status_code == 400
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"
    assert client.get(reverse("admin:index")).status_code == 400
    del client.cookies[settings.SESSION_COOKIE_NAME]
    assert client.post(login, {"username": "root\x00", "password": "x"}).status_code == 400
    assert client.post(login, {"user\x00name": "root", "password": "x"}).status_code == 400
    assert client.get("/admin/%00/").status_code == 400
    assert not AccessAttempt.objects.exists()
    # Ordinary input, including characters that merely look odd, passes.
    assert client.get(login, {"next": "/admin/?q=Zoë 😀\t\r\n"}).status_code == 200
    assert client.post(login, wrong_password, HTTP_USER_AGENT="Mozilla/5.0 (X11) ünïcode").status_code == 200


def test_the_nul_check_ignores_uploaded_files():
    request = RequestFactory().post("/", {"title": "ok", "file": _upload(b"\x00\x01binary")})
    assert not UnstorableInputMiddleware.unstorable(request)


def _upload(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")


def test_the_author_filter_takes_an_author_and_refuses_anything_else(root_client, newsroom):
    url = reverse("admin:articles_article_changelist")
    other = ArticleFactory(headline="Someone else's story")
    response = root_client.get(url, {"author": newsroom["author"].pk})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [newsroom["article"]]
    assert other not in response.context["cl"].result_list
    for value in ["abc", "-1", "1.5", "99999999999999999999999", str(newsroom["author"].pk + 1000)]:
        response = root_client.get(url, {"author": value})
        assert response.status_code == 302, value
        assert response["Location"] == f"{url}?{ERROR_FLAG}=1"


@pytest.mark.parametrize(
    ("list_name", "parameter"),
    [("comments_comment", "reported"), ("articles_image", "ai")],
)
def test_yes_no_filters_refuse_other_values_instead_of_ignoring_them(
    root_client, newsroom, list_name, parameter
):
    url = reverse(f"admin:{list_name}_changelist")
    assert root_client.get(url, {parameter: "yes"}).status_code == 200
    response = root_client.get(url, {parameter: "maybe"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?{ERROR_FLAG}=1"


@pytest.mark.parametrize(
    "query",
    [
        "publish_at__year=9999",  # the range would end in the year 10000
        "publish_at__year=99999999999",  # not a date at all (OverflowError inside Django)
        "publish_at__year=2026&publish_at__month=99999999999",
        "publish_at__year=2026&publish_at__month=13",
        "publish_at__year=2026&publish_at__month=2&publish_at__day=30",
        "publish_at__year=0",
    ],
)
def test_the_date_drill_down_refuses_dates_that_do_not_exist(root_client, newsroom, query):
    url = reverse("admin:articles_article_changelist")
    response = root_client.get(f"{url}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?{ERROR_FLAG}=1"


def test_the_date_drill_down_still_narrows_the_list(root_client, newsroom):
    article = newsroom["article"]
    old = ArticleFactory(headline="Old story", publish_at=article.publish_at - timedelta(days=800))
    published = timezone.localtime(article.publish_at)
    url = reverse("admin:articles_article_changelist")
    response = root_client.get(
        url, {"publish_at__year": published.year, "publish_at__month": published.month}
    )
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert article in shown
    assert old not in shown
    assert Article.objects.count() == 2
