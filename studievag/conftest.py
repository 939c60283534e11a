"""The fixed cast every test can use, and the browser set-up.

School A (unit ``unit_a``, organiser ``organiser_a`` in region ``region``) is
where most things happen; school B (``unit_b``, organiser ``organiser_b`` in
the same region) is the place whose staff must see nothing of A.
"""

import copy
import datetime
import os
import shutil

import pytest
from django.utils import timezone, translation

from studievag.testing import Cast, build_cast, ensure_reference_data, shared_by_a_module

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put back the data migrations' reference data an earlier transactional test emptied."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & names:
        request.getfixturevalue("transactional_db")
    elif marker or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    ensure_reference_data()


@pytest.fixture
def english(client, settings):
    """Pages and messages in English, the source language, so checks on text hold
    whatever the Swedish and Arabic catalogues say. Areas use it autouse."""

    settings.LANGUAGE_CODE = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def today() -> datetime.date:

    return timezone.localdate()


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture(scope="module")
def module_cast(django_db_setup, django_db_blocker) -> Cast:
    """One cast for a whole module, rolled back after its last test (see
    ``shared_by_a_module``). For the big matrices, which only call pages."""
    with shared_by_a_module(django_db_blocker):
        yield build_cast()


@pytest.fixture
def shared_cast(module_cast, db) -> Cast:
    """The module's cast as a fresh copy per test: what one test caches on the
    cast's objects does not reach the next, and its rows are rolled back."""
    return copy.deepcopy(module_cast)


@pytest.fixture
def login(client):
    """Log the test client in as a user of the cast: ``login(cast.mentor_a)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- Browser tests ------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium).")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


# --- The second database's run ---------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that use the database (make test runs the others once, on SQLite).",
    )


# Fixtures that open the test database (every fixture that builds data, the cast
# among them, asks for one of these).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _uses_database(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    kept, skipped = [], []
    for item in items:
        (kept if _uses_database(item) else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept
