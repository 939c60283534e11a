import datetime

import pytest
from django.utils import timezone

from studievag.interop.models import Connection
from studievag.interop.simulation import register_from_studievag
from studievag.interop.ss12000.testserver import Register, serve
from studievag.testing import make_student

TOKEN = "test-token-not-secret"


@pytest.fixture(autouse=True)
def _english(english):
    """Messages in English, the source language."""


@pytest.fixture
def register_clock():
    """The register's clock: starts now (deletions are read by Studieväg's clock), moves on a minute per ``tick``."""

    class Clock:
        now = timezone.now().replace(microsecond=0)

        def __call__(self):
            return self.now

        def tick(self, minutes: int = 1):
            self.now += datetime.timedelta(minutes=minutes)

    return Clock()


@pytest.fixture
def simulated(cast, register_clock):
    """Organiser A's students, groups and staff as a municipal register would hold them
    (the cast's three students at school A and two more, so a term's changes have five to work on)."""
    make_student(cast.unit_a, first_name="Nora", last_name="Nilsson")
    make_student(cast.unit_a, first_name="Omar", last_name="Olsson", female=False, programme="IMY")
    return register_from_studievag(cast.organiser_a, register=Register(clock=register_clock))


@pytest.fixture
def served(simulated):
    """The simulated register on 127.0.0.1; fails the test if any answer broke the standard."""
    with serve(simulated.register, token=TOKEN) as (url, app):
        yield url, app
        assert app.invalid == []


@pytest.fixture
def connection(cast, served, monkeypatch):
    url, _app = served
    monkeypatch.setenv("STUDIEVAG_SS12000_KOMMUN_A_TOKEN", TOKEN)
    return Connection.objects.create(organiser=cast.organiser_a, base_url=url, credential_name="KOMMUN_A", page_size=3)


@pytest.fixture
def today():
    return timezone.localdate()
