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
def cast(module_cast, db) -> Cast:
    """The fixed cast: the module's, copied for this test (see ``shared_cast``), or
    built for this test alone where the module cannot share one: a transactional
    test empties every table at its end and a browser's live server reads only
    what was committed; a test without the cast may count on an empty database."""
    if module_cast is None:
        return build_cast()
    return copy.deepcopy(module_cast)


@pytest.fixture(scope="module")
def module_cast(request, django_db_setup, django_db_blocker) -> Cast | None:
    """One cast for a whole module, rolled back after its last test (see
    ``shared_by_a_module``); ``None`` in a module where a test commits or uses the
    database without the cast (``_needs_own_cast``)."""
    if request.module.__name__ in request.config.stash[OWN_CAST_MODULES]:
        yield None
        return
    with shared_by_a_module(django_db_blocker):
        yield build_cast()


@pytest.fixture
def shared_cast(module_cast, db) -> Cast:
    """The module's cast as a fresh copy per test: what one test caches on the
    cast's objects does not reach the next, and its rows are rolled back."""
    assert module_cast is not None, "this module cannot share a cast (see _needs_own_cast)"
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
        help=(
            "The second database's run: only the tests that use the database, and of those "
            "not the ones marked to run once (make test runs every test on SQLite)."
        ),
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
# Fixtures that commit: the test's rows are really written and every table is
# emptied after it.
TRANSACTIONAL_FIXTURES = DATABASE_FIXTURES - {"db"}
# Tests that give their answer once, on SQLite: what a browser sees (the same pages
# and queries the HTTP tests run on both databases), and the demo data set, which
# `make demo` builds on SQLite only.
ONCE_MARKERS = ("browser", "demo")
OWN_CAST_MODULES = pytest.StashKey[set[str]]()


def _uses_database(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def _needs_own_cast(item) -> bool:
    """A test that keeps its module from sharing one cast: one that commits, or one
    that uses the database without the cast (it may count on finding it empty)."""
    return _transactional(item) or (_uses_database(item) and "cast" not in getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config, items):
    config.stash[OWN_CAST_MODULES] = {item.module.__name__ for item in items if _needs_own_cast(item)}
    if not config.getoption("--database-tests-only"):
        return
    kept, skipped = [], []
    for item in items:
        once = any(item.get_closest_marker(name) for name in ONCE_MARKERS)
        (kept if _uses_database(item) and not once else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept
