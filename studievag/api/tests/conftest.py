"""Integrations of the cast's school A, their tokens, and a client that sends a token.

``integration``: an integration of Kommun A whose service account is principal at
school A (it reaches every student there, as the principal does). ``issue(*scopes)``
gives a token with those scopes. ``api.get(url, token)`` calls with the token.
"""

import datetime
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from studievag.access.models import Role
from studievag.api import services
from studievag.testing import assign


@pytest.fixture(autouse=True)
def _english(english):
    yield


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the per-token limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def integration(cast):
    integ = services.integration_create(acting_user=cast.admin, name="Skolplattformen", organiser=cast.organiser_a)
    assign(integ.account, Role.PRINCIPAL, school_unit=cast.unit_a)
    return integ


@pytest.fixture
def issue(integration, cast):
    def _issue(*scopes, to=None, expires_on=None) -> str:
        _row, token = services.token_issue(
            acting_user=cast.admin,
            integration=to or integration,
            scopes=scopes,
            expires_on=expires_on or timezone.localdate() + datetime.timedelta(days=30),
        )
        return token

    return _issue


class Api:
    def __init__(self, client):
        self.client = client

    def call(self, method: str, url: str, token: str | None = None, data=None, **extra):
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if data is not None and method != "get":
            return getattr(self.client, method)(url, data=json.dumps(data), content_type="application/json", **extra)
        return getattr(self.client, method)(url, data or {}, **extra)

    def get(self, url, token=None, data=None, **extra):
        return self.call("get", url, token, data, **extra)

    def post(self, url, token=None, data=None, **extra):
        return self.call("post", url, token, data, **extra)


@pytest.fixture
def api(client):
    return Api(client)
