"""The data migrations of the consolidation: support needs into one store, terms normalised."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.plans import services as plan_services
from studievag.plans.models import PlanCourse
from studievag.support.models import SupportNeedsEntry
from studievag.testing import build_cast

pytestmark = pytest.mark.django_db(transaction=True)

# Progress is held where the scales still lived in it, as they did then.
BEFORE = [("intake", "0001_initial"), ("plans", "0001_initial"), ("progress", "0002_default_scales")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_both_stores_of_support_needs_and_free_text_terms_are_moved(courses_for_migration):
    cast, plan = courses_for_migration
    old = _migrate(BEFORE)
    at = timezone.now() - datetime.timedelta(days=10)
    # Intake: bertil's needs with two historical versions; adam's without history.
    SupportNeeds = old.get_model("intake", "SupportNeeds")
    Historical = old.get_model("intake", "HistoricalSupportNeeds")
    row = SupportNeeds.objects.create(student_id=cast.bertil.pk, text="Nu", recorded_by_id=cast.health_a.pk)
    for n, (text, kind) in enumerate([("Först", "+"), ("Nu", "~")]):
        Historical.objects.create(
            id=row.pk,
            student_id=cast.bertil.pk,
            text=text,
            history_type=kind,
            recorded_by_id=cast.health_a.pk,
            history_user_id=cast.mentor_a.pk,
            history_date=at + datetime.timedelta(days=n),
        )
    SupportNeeds.objects.create(student_id=cast.adam.pk, text="Utan historik", recorded_by_id=cast.principal_a.pk)
    # The plan's entries of alice.
    PlanEntry = old.get_model("plans", "SupportNeedsEntry")
    PlanEntry.objects.create(plan_id=plan.pk, text="Extra tid", reason="EHT", author_id=cast.health_a.pk, created_at=at)
    OldCourse = old.get_model("plans", "PlanCourse")
    OldCourse.objects.filter(plan_id=plan.pk).update(term="ht-2026")

    _migrate(_latest())

    bertil = SupportNeedsEntry.objects.filter(student=cast.bertil)
    assert [(e.text, e.author_id) for e in bertil] == [("Nu", cast.mentor_a.pk), ("Först", cast.mentor_a.pk)]
    adam = SupportNeedsEntry.objects.get(student=cast.adam)
    assert (adam.text, adam.author_id) == ("Utan historik", cast.principal_a.pk)
    alice = SupportNeedsEntry.objects.get(student=cast.alice)
    assert (alice.text, alice.reason, alice.author_id) == (
        "Extra tid",
        "Flyttad från planens stödbehov: EHT",
        cast.health_a.pk,
    )
    assert alice.created_at == at
    assert PlanCourse.objects.get(plan=plan).term == "HT 2026"


@pytest.fixture
def courses_for_migration(db):
    cast = build_cast()
    catalogue_ensure_core()
    course = Course.objects.get(code="SVASVA01", kind="course")
    plan = plan_services.plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Start",
        goals=[{"term": "long", "kind": "job", "title": "Bli kock"}],
        courses=[{"course": course, "term": "HT 2026", "status": "planned"}],
    )
    yield cast, plan
    _migrate(_latest())
