import datetime

import pytest
from django.core.exceptions import ValidationError

from studievag.plans import services
from studievag.plans.models import Plan, PlanRevision
from studievag.plans.rules import ApprovalState
from studievag.plans.snapshot import diff_snapshots
from studievag.support.models import SupportNeedsEntry
from studievag.support.services import support_needs_record

pytestmark = pytest.mark.django_db


def test_creating_a_plan_keeps_version_one_with_who_and_why(cast, alice_plan):
    revision = PlanRevision.objects.get(plan=alice_plan)
    assert (revision.version, revision.author, revision.reason) == (1, cast.mentor_a, "Första planen")
    assert revision.snapshot["goals"][0]["title"] == "Behörighet till Vård- och omsorgsprogrammet"
    assert revision.snapshot["courses"][0]["key"] == "GY:SVASVA01"
    assert alice_plan.programme.code == "IMS"
    assert alice_plan.organiser == cast.organiser_a


def test_a_change_without_a_reason_is_refused_and_changes_nothing(cast, alice_plan):
    with pytest.raises(ValidationError):
        services.plan_revise(
            acting_user=cast.mentor_a, plan=alice_plan, expected_version=1, reason="  ", fields={"study_path": "Annat"}
        )
    alice_plan.refresh_from_db()
    assert (alice_plan.version, alice_plan.study_path[:7]) == (1, "Svenska")


def test_revise_bumps_the_version_and_snapshots_the_whole_plan(cast, alice_plan, courses):
    goal = alice_plan.goals.get()
    revision = services.plan_revise(
        acting_user=cast.counsellor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Plansamtal",
        goals=[
            {"id": goal.pk, "term": "long", "kind": "national_programme", "title": goal.title, "status": "in_progress"},
            {
                "term": "short",
                "kind": "course",
                "title": "Godkänt i Matematik 1a",
                "target_date": datetime.date(2026, 12, 18),
            },
        ],
    )
    assert revision.version == 2 and revision.author == cast.counsellor_a
    alice_plan.refresh_from_db()
    assert alice_plan.version == 2
    assert [g["status"] for g in revision.snapshot["goals"]] == ["in_progress", "planned"]
    # Courses were not passed: left as they were.
    assert [c["code"] for c in revision.snapshot["courses"]] == ["SVASVA01"]


def test_saving_without_a_change_makes_no_version(cast, alice_plan):
    result = services.plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Inget",
        fields={"study_path": alice_plan.study_path},
    )
    assert result is None
    alice_plan.refresh_from_db()
    assert alice_plan.version == 1
    assert PlanRevision.objects.filter(plan=alice_plan).count() == 1


def test_the_second_of_two_saves_from_the_same_version_is_stale(cast, alice_plan):
    services.plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Mentorn",
        fields={"participants": "Mentor, elev"},
    )
    other = Plan.objects.get(pk=alice_plan.pk)
    with pytest.raises(services.StaleVersion) as stale:
        services.plan_revise(
            acting_user=cast.principal_a,
            plan=other,
            expected_version=1,
            reason="Rektorn",
            fields={"participants": "Rektor"},
        )
    assert stale.value.plan.version == 2
    alice_plan.refresh_from_db()
    assert alice_plan.participants == "Mentor, elev"
    assert list(alice_plan.revisions.values_list("reason", flat=True)) == ["Mentorn", "Första planen"]


def test_approval_is_of_one_version_and_a_later_change_shows(cast, alice_plan):
    services.plan_approve(acting_user=cast.principal_a, plan=alice_plan, version=1, on=datetime.date(2026, 9, 1))
    assert alice_plan.approval_state == ApprovalState.APPROVED
    assert (alice_plan.approved_by, alice_plan.approved_on) == (cast.principal_a, datetime.date(2026, 9, 1))
    services.plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Ändrat",
        fields={"other_training": "Truckkort A+B"},
    )
    alice_plan.refresh_from_db()
    assert alice_plan.approval_state == ApprovalState.CHANGED_SINCE_APPROVAL
    with pytest.raises(services.StaleVersion):  # approving a version that is no longer current
        services.plan_approve(acting_user=cast.principal_a, plan=alice_plan, version=1)
    assert alice_plan.approved_version == 1


def test_diff_marks_fields_and_rows(cast, alice_plan, courses):
    goal = alice_plan.goals.get()
    services.plan_revise(
        acting_user=cast.mentor_a,
        plan=alice_plan,
        expected_version=1,
        reason="Plansamtal",
        fields={"study_path": "", "other_training": "Truckkort"},
        goals=[{"id": goal.pk, "term": "long", "kind": "national_programme", "title": goal.title, "status": "met"}],
        courses=[{"course": courses["MATMAT01a"], "status": "planned"}],
    )
    old, new = (r.snapshot for r in alice_plan.revisions.order_by("version"))
    diff = diff_snapshots(old, new)
    kinds = {f.name: f.kind for f in diff.fields}
    assert kinds["study_path"] == "removed"
    assert kinds["other_training"] == "added"
    assert kinds["student_voice"] == "same"
    sections = {s.name: s for s in diff.sections}
    (goal_row,) = sections["goals"].rows
    assert (goal_row.kind, goal_row.changed_fields) == ("changed", {"status"})
    assert sorted((r.kind, (r.new or r.old)["code"]) for r in sections["courses"].rows) == [
        ("added", "MATMAT01a"),
        ("removed", "SVASVA01"),
    ]
    assert diff.summary() == {"added": 2, "removed": 2, "changed": 1}


def test_a_plan_talk_cannot_be_recorded_ahead(cast, alice_plan, today):
    with pytest.raises(ValidationError):
        services.plan_review_record(
            acting_user=cast.mentor_a,
            plan=alice_plan,
            held_on=today + datetime.timedelta(days=1),
            participants="Mentor",
            notes="x",
        )
    assert not alice_plan.reviews.exists()


def test_support_needs_are_kept_apart_from_the_plan_snapshot(cast, alice_plan):
    support_needs_record(
        acting_user=cast.health_a, student=alice_plan.student, text="Anpassningar: extra tid", reason="EHT"
    )
    with pytest.raises(ValidationError):
        support_needs_record(
            acting_user=cast.health_a, student=alice_plan.student, text="Anpassningar: extra tid", reason="Igen"
        )
    assert SupportNeedsEntry.objects.count() == 1
    services.plan_revise(
        acting_user=cast.mentor_a, plan=alice_plan, expected_version=1, reason="x", fields={"participants": "Mentor"}
    )
    assert "extra tid" not in str(alice_plan.revisions.first().snapshot)


def test_education_plan_versions_count_up_per_organiser_and_programme(cast):
    from studievag.organisations.models import Programme

    ims = Programme.objects.get(code="IMS")
    first = services.education_plan_publish(
        acting_user=cast.principal_a,
        organiser=cast.organiser_a,
        programme=ims,
        title="IMS",
        body="a",
        valid_from=datetime.date(2026, 1, 1),
    )
    second = services.education_plan_publish(
        acting_user=cast.principal_a,
        organiser=cast.organiser_a,
        programme=ims,
        title="IMS",
        body="b",
        valid_from=datetime.date(2026, 8, 1),
    )
    other = services.education_plan_publish(
        acting_user=cast.mentor_b,
        organiser=cast.organiser_b,
        programme=ims,
        title="IMS B",
        body="c",
        valid_from=datetime.date(2026, 1, 1),
    )
    assert (first.version, second.version, other.version) == (1, 2, 1)


def test_rows_are_checked_before_anything_is_saved(cast, alice_plan, courses):
    with pytest.raises(ValidationError) as error:
        services.plan_revise(
            acting_user=cast.mentor_a,
            plan=alice_plan,
            expected_version=1,
            reason="x",
            internships=[
                {
                    "workplace": "Vårdcentralen",
                    "start_date": datetime.date(2026, 10, 5),
                    "end_date": datetime.date(2026, 10, 1),
                }
            ],
        )
    assert "end_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.plan_revise(
            acting_user=cast.mentor_a,
            plan=alice_plan,
            expected_version=1,
            reason="x",
            courses=[{"course": courses["SVASVA01"]}, {"course": courses["SVASVA01"]}],
        )
    with pytest.raises(ValidationError):
        services.plan_revise(
            acting_user=cast.mentor_a,
            plan=alice_plan,
            expected_version=1,
            reason="x",
            fields={"planned_start": datetime.date(2026, 9, 1), "planned_end": datetime.date(2026, 8, 1)},
        )
    alice_plan.refresh_from_db()
    assert alice_plan.version == 1 and not alice_plan.internships.exists()


def test_a_course_term_that_is_not_a_term_is_refused_and_changes_nothing(cast, alice_plan, courses):
    row = alice_plan.courses.select_related("course").get()
    with pytest.raises(ValidationError) as error:
        services.plan_revise(
            acting_user=cast.mentor_a,
            plan=alice_plan,
            expected_version=1,
            reason="Ny termin",
            courses=[{"id": row.pk, "course": row.course, "term": "Till våren", "status": row.status}],
        )
    assert error.value.message_dict["term"] == [
        "Write the term as HT or VT and a year, e.g. HT 2026 (not “Till våren”)."
    ]
    alice_plan.refresh_from_db()
    assert alice_plan.version == 1
    assert alice_plan.courses.get().term == "HT 2026"
