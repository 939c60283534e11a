import pytest
from django.conf import settings

from studievag.access.models import Role
from studievag.enrolments.models import StudentGroup
from studievag.testing import assign, make_group, make_user


@pytest.fixture
def en(client):
    """Pages in English, so tests can read the interface's source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def mentor_elsewhere(cast):
    """A mentor at school B whose group (at B) also holds school A's protected student."""
    group = make_group(cast.unit_b, StudentGroup.Kind.MENTOR_GROUP, [cast.protected, cast.bertil], name="Blandgrupp B")
    user = make_user("mentor_elsewhere")
    assign(user, Role.MENTOR, group=group)
    return user
