"""Test helpers for progress: the cast's course group reads mathematics."""

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.scales.models import ProgressionScale, ProgressionStep

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
    return ProgressionStep.objects.get(scale__organiser=None, scale__name="Matematik", position=position)


def step_id(cast, position: int) -> int:
    return maths_step(position).pk


def own_scale(cast) -> ProgressionScale:
    """Organiser A's own three-step scale for mathematics (made once)."""
    scale, made = ProgressionScale.objects.get_or_create(
        organiser=cast.organiser_a,
        name="Egen matematik",
        defaults={"subject_codes": ["GRGRMAT01"]},
    )
    if made:
        for position, (label, colour) in enumerate(
            [("Start", "#fde2e2"), ("På väg", "#fff1c2"), ("Mål", "#d8f0d8")], start=1
        ):
            ProgressionStep.objects.create(
                scale=scale, position=position, label=label, colour=colour, is_goal=position == 3
            )
    return scale


def scale_post(*, name: str, subject_codes: str, steps: list[dict], extra: int = 0) -> dict:
    """The scale page's form as posted: the scale's fields and the steps formset in order."""
    data = {
        "name": name,
        "subject_codes": subject_codes,
        "steps-TOTAL_FORMS": str(len(steps) + extra),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for n, step in enumerate(steps):
        for key, value in {"ORDER": n + 1, **step}.items():
            if value not in ("", None, False):
                data[f"steps-{n}-{key}"] = value
    return data
