import pytest

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.plans.services import plan_create


@pytest.fixture
def courses(db) -> dict[str, Course]:
    """Compulsory-school subjects and courses (before gy25) by code; gy25 levels as "level:CODE"."""
    catalogue_ensure_core()
    rows = Course.objects.filter(school_type__in=["GR", "GY"], organiser=None)
    return {(f"level:{c.code}" if c.kind == "level" else c.code): c for c in rows}


@pytest.fixture
def alice_plan(cast, courses):
    """Alice's plan at version 1: one long-term goal and Svenska som andraspråk 1."""
    return plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Första planen",
        fields={
            "study_path": "Svenska som andraspråk först, sedan yrkeskurser.",
            "student_voice": "Jag vill jobba i vården.",
        },
        goals=[{"term": "long", "kind": "national_programme", "title": "Behörighet till Vård- och omsorgsprogrammet"}],
        courses=[{"course": courses["SVASVA01"], "term": "HT 2026", "status": "ongoing"}],
    )


def plan_post(*, version: int, reason: str, goals=(), courses=(), internships=(), **fields) -> dict:
    """POST data for the plan form: the plan's fields and the three formsets."""
    data = {
        "version": version,
        "reason": reason,
        "study_path": "",
        "planned_start": "",
        "planned_end": "",
        "other_training": "",
        "other_measures": "",
        "participants": "",
        "student_voice": "",
    }
    data.update(fields)
    for prefix, rows in (("goals", goals), ("courses", courses), ("internships", internships)):
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = sum(1 for r in rows if r.get("id"))
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


@pytest.fixture(autouse=True)
def _english(english):
    """Checks on text are made in the source language (see the root conftest)."""
