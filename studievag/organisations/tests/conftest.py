import pytest
from django.conf import settings


@pytest.fixture
def en(client):
    """Pages in English, so tests can read the interface's source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
