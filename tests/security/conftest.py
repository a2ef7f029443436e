import pytest
from django.contrib.auth.models import Group

from articles import roles
from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    user = UserFactory(username="security-desk", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
