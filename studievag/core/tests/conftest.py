import pytest
from django.conf import settings


@pytest.fixture
def en(client):
    """Pages in English, so tests can read the interface's source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    """Keys and self-signed certificates for the SAML tests, made for this test session only."""
    from .saml_idp import make_key_pair

    directory = tmp_path_factory.mktemp("saml-keys")
    return {name: make_key_pair(directory, name) for name in ("sp", "skovde", "falkoping", "rogue", "federation")}
