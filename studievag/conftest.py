"""The fixed cast every test can use, and the browser set-up.

School A (unit ``unit_a``, organiser ``organiser_a`` in region ``region``) is
where most things happen; school B (``unit_b``, organiser ``organiser_b`` in
the same region) is the place whose staff must see nothing of A.
"""

import datetime
import os
import shutil

import pytest

from studievag.testing import Cast, build_cast, ensure_reference_data

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
def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


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




# --- Rows made by data migrations, for browser tests ---------------------------------------
# Browser tests run against a live server in transactions that end with a flush, which also
# removes the rows the data migrations made (programmes, progression scales …), so the next
# browser test on the same worker would start without them. A copy of those rows is taken
# once, right after the test database is made, and put back when a browser test finds them
# gone. (Django's own serialized rollback does not survive Playwright: the test's database
# connection is a fresh one by then.)
_MIGRATED_ROWS: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        _MIGRATED_ROWS["default"] = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _restore_migrated_rows(request):
    if not request.node.get_closest_marker("browser"):
        return
    request.getfixturevalue("transactional_db")
    from studievag.organisations.models import Programme

    if _MIGRATED_ROWS.get("default") and not Programme.objects.exists():
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType
        from django.core import serializers
        from django.db import transaction

        # Content types and permissions are made again by the flush itself.
        with transaction.atomic():
            for row in serializers.deserialize("json", _MIGRATED_ROWS["default"]):
                if not isinstance(row.object, (ContentType, Permission)):
                    row.save()
