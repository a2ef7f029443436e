"""The newsroom people the workflow and preview tests share: an editor, a journalist and her draft."""

import pytest
from django.contrib.auth.models import Group

from articles import roles
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, UserFactory


def with_role(role, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor():
    return with_role(roles.EDITOR, username="editor", first_name="Erik", last_name="Stone")


@pytest.fixture
def journalist():
    user = with_role(roles.JOURNALIST, username="maria", first_name="Maria", last_name="Keller")
    AuthorFactory(name="Maria Keller", slug="maria-keller", user=user)
    return user


@pytest.fixture
def draft(journalist):
    return ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, created_by=journalist, headline="Ferries return"
    )
