"""The suite's own arrangements: the shared cast and what the PostgreSQL pass leaves out."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from studievag.people.models import Student


@pytest.mark.parametrize("n", range(3))
def test_what_a_test_writes_through_the_cast_is_gone_for_the_next(cast, module_cast, n):
    # One cast for the module (no test here commits), a fresh copy for each test.
    assert module_cast is not None and cast is not module_cast
    assert cast.alice.first_name == "Alice"
    assert Student.objects.get(pk=cast.alice.pk).first_name == "Alice"
    cast.alice.first_name = f"Changed {n}"
    cast.alice.save()


def _collected(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *args],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={**os.environ, "PYTEST_ADDOPTS": ""},
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {line.split("[")[0] for line in result.stdout.splitlines() if "::" in line}


def test_the_postgresql_pass_runs_the_database_tests_but_not_the_browser_or_demo_ones():
    files = [
        "studievag/core/tests/test_security.py",  # database tests, and one that needs none
        "studievag/core/tests/test_browser.py",  # browser journeys
        "studievag/plans/tests/test_demo.py",  # the demo data set
        "studievag/quality/tests/test_linked_attack.py",  # on the demo data, but about report SQL
    ]
    everything = _collected(*files)
    second = _collected("--database-tests-only", *files)
    security = "studievag/core/tests/test_security.py::"
    assert f"{security}test_hsts_over_https" in second
    assert f"{security}test_production_static_files_collect" in everything - second
    assert not {t for t in second if "test_browser.py" in t or "plans/tests/test_demo.py" in t}
    assert any("test_browser.py" in t for t in everything) and any("test_demo.py" in t for t in everything)
    assert any("test_linked_attack.py" in t for t in second)
