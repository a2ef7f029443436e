from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles import roles
from comments import posting
from tests.factories import ArticleFactory, CommentFactory, UserFactory

READER = {"name": "Lena Ortiz", "email": "lena@example.com", "body": "Fast loading and a professional look!"}


def post_url(article):
    return f"/comments/post/{article.pk}/"


def form_data(article, *, seconds_ago=60, **fields):
    """What a person's browser sends: the reader's fields and a form token issued a minute ago."""
    issued = posting.make_form_token(article, now=timezone.now() - timedelta(seconds=seconds_ago))
    return {**READER, "issued": issued, **fields}


def remember_in_browser(client, *comments):
    """Give the test client's browser the signed cookie that says it sent `comments` (comments.views)."""
    from django.core.signing import get_cookie_signer

    from comments.views import SENT_COOKIE, SENT_COOKIE_SALT

    value = ",".join(str(comment.pk) for comment in comments)
    client.cookies[SENT_COOKIE] = get_cookie_signer(salt=SENT_COOKIE + SENT_COOKIE_SALT).sign(value)


@pytest.fixture
def trusted_reader(client, article, section):
    """Lena has a comment approved on another article, sent from this browser: her comments are trusted."""
    earlier = CommentFactory(
        article=ArticleFactory(section=section), name=READER["name"], email=READER["email"], body="Earlier"
    )
    remember_in_browser(client, earlier)
    return earlier


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.MODERATOR))
    return user


@pytest.fixture
def editor(db):
    user = UserFactory(username="desk-editor", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    return user
