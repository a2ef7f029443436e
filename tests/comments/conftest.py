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


@pytest.fixture
def trusted_reader(article, section):
    """Lena has a comment approved on another article: her comments are trusted."""
    return CommentFactory(
        article=ArticleFactory(section=section), name=READER["name"], email=READER["email"], body="Earlier"
    )


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
