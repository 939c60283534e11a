import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in the source language."""
    with translation.override("en"):
        yield
