import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """Checks on text are made in the source language (see the root conftest)."""
