import datetime

import pytest

from studievag.progress.models import ProgressRecord

from .helpers import ensure_course, maths_step


@pytest.fixture(autouse=True)
def _english(english):
    """Checks on text are made in the source language (see the root conftest)."""


@pytest.fixture
def maths(cast):
    """The cast's course group "Matematik A" (alice, adam) reading mathematics."""
    return ensure_course(cast).course_group_a


@pytest.fixture
def record(cast):
    """Write a progression record directly: ``record(student, position, days_ago)``."""

    def _record(student, position, days_ago=0, course=None):
        from django.utils import timezone

        return ProgressRecord.objects.create(
            student=student,
            course=course or cast.course_group_a.course,
            step=maths_step(position),
            recorded_by=cast.teacher_a,
            recorded_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        )

    return _record
