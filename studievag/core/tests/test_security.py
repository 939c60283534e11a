"""Log-in throttling, password rules, transport and cache headers, the production start."""

import datetime
import logging

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.staticfiles.management.commands.collectstatic import Command as CollectStatic
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from whitenoise.storage import CompressedManifestStaticFilesStorage

from studievag.testing import make_user

PASSWORD = "en lång lösenfras om kaffe"


@pytest.fixture
def account(db):
    user = make_user("lena")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, password, username="lena", address="10.1.2.3"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_COOKIE=""
    )


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, account, caplog, english):
    caplog.set_level(logging.WARNING, logger="studievag.security")
    statuses = [_login(client, f"fel{i}").status_code for i in range(30)]
    # The first four are the log-in page again; from the fifth on the account is locked.
    assert statuses[:4] == [200] * 4
    assert set(statuses[4:]) == {429}
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "too many wrong passwords" in response.content.decode()
    assert any("locked out" in r.getMessage() and "'lena'" in r.getMessage() for r in caplog.records)


def test_lockout_is_per_account_from_any_address(client, account):
    for i in range(5):
        _login(client, f"fel{i}", address=f"10.0.0.{i + 1}")
    assert _login(client, PASSWORD, address="10.9.9.9").status_code == 429


def test_lockout_is_per_address_across_accounts(client, account):
    for i in range(5):
        _login(client, "fel", username=f"gissning{i}", address="10.7.7.7")
    assert _login(client, PASSWORD, address="10.7.7.7").status_code == 429
    # The same account from another address still logs in.
    assert _login(client, PASSWORD, address="10.8.8.8").status_code == 302


def test_right_password_resets_the_count_and_lockout_ends_after_the_cool_off(client, account):
    for i in range(4):
        _login(client, f"fel{i}")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for i in range(4):
        assert _login(client, f"fel{i}").status_code == 200
    assert _login(client, "fel").status_code == 429
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _login(client, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "password",
    ["skolan2024", "Skolan2024!", "Rektor123!!", "Skövde2025", "sommar2026sommar", "Studievag2026", "1234567890ab"],
)
def test_guessable_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", [PASSWORD, "Tre-gröna-kor-dansar", "kvarnhjul7-Blåbär"])
def test_a_passphrase_is_accepted(password):
    validate_password(password)


def test_student_pages_are_never_stored_by_the_browser(client, cast):
    client.force_login(cast.mentor_a)
    response = client.get(reverse("people:student_detail", kwargs={"pk": cast.alice.pk}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_hsts_over_https(client, db):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


class _ThirdPartyUncompressed(CompressedManifestStaticFilesStorage):
    """The production storage, compressing only what the project serves itself: the
    API viewer's and the admin's files (9 MB of JavaScript) cost 55 s of brotli here
    and prove nothing the project's own files do not."""

    def compress_files(self, paths):
        return super().compress_files([p for p in paths if not p.startswith(("drf_spectacular_sidecar/", "admin/"))])


def test_production_static_files_collect(tmp_path):
    """The README's production start: collectstatic with the manifest storage, which
    refuses a file that names a missing one (Chart.js names its source map)."""
    command = CollectStatic()
    command.storage = _ThirdPartyUncompressed(location=tmp_path)
    command.handle(
        interactive=False,
        verbosity=0,
        link=False,
        clear=False,
        dry_run=False,
        ignore_patterns=[],
        use_default_ignore_patterns=True,
        post_process=True,
    )
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/chart.js/chart.umd.min.js.*.map"))
    hashed = command.storage.url("vendor/chart.js/chart.umd.min.js")
    assert hashed != "vendor/chart.js/chart.umd.min.js"
    # Served compressed: WhiteNoise finds the .br and .gz beside the hashed file.
    chart = hashed.removeprefix("/static/")
    assert (tmp_path / f"{chart}.gz").exists() and (tmp_path / f"{chart}.br").exists()


def test_sqlite_is_set_up_for_concurrent_use(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
