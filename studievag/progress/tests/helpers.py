"""Test helpers for progress: the cast's course group reads mathematics."""

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.progress.models import ProgressionStep

MATHS = ("GR", "GRGRMAT01_7-9")


def ensure_course(cast):
    """Give the cast's course group "Matematik A" its course (the cast leaves it empty)."""
    group = cast.course_group_a
    if group.course_id is None:
        catalogue_ensure_core()
        group.course = Course.objects.get(school_type=MATHS[0], code=MATHS[1])
        group.save(update_fields=["course"])
    return cast


def maths_step(position: int) -> ProgressionStep:
    return ProgressionStep.objects.get(scale__organiser=None, scale__name="Matematik",
                                       position=position)


def step_id(cast, position: int) -> int:
    return maths_step(position).pk
