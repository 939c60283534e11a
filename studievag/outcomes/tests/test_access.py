"""Who sees a former student: the counsellor and principal of the last unit, for the follow-up and no longer."""

import datetime

from studievag.access.policy import FORMER_STUDENT_DAYS, FORMER_STUDENT_ROLES, visible_students
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Programme
from studievag.outcomes.permissions import OUTCOMES


def fresh(user):
    user.__dict__.pop("_studievag_grants", None)
    return user


def _left(student, days_ago: int, today):
    Enrolment.objects.filter(student=student).update(
        start_date=today - datetime.timedelta(days=days_ago + 300),
        end_date=today - datetime.timedelta(days=days_ago),
        exit_reason="work",
    )


def test_only_the_counsellor_and_the_principal_keep_former_students():
    assert FORMER_STUDENT_ROLES == {"counsellor", "principal"}


def test_former_students_stay_visible_through_the_last_follow_up_and_not_a_day_longer(cast, today):
    _left(cast.adam, FORMER_STUDENT_DAYS, today)
    for user in (cast.counsellor_a, cast.principal_a):
        assert cast.adam in visible_students(fresh(user), OUTCOMES)
    _left(cast.adam, FORMER_STUDENT_DAYS + 1, today)
    for user in (cast.counsellor_a, cast.principal_a):
        assert cast.adam not in visible_students(fresh(user), OUTCOMES)


def test_student_health_sees_current_students_only(cast, today):
    _left(cast.adam, 1, today)
    assert cast.adam not in visible_students(fresh(cast.health_a))
    assert cast.alice in visible_students(fresh(cast.health_a))


def test_a_student_who_went_on_to_another_unit_leaves_the_former_units_sight(cast, today):
    _left(cast.adam, 30, today)
    Enrolment.objects.create(
        student=cast.adam,
        programme=Programme.objects.get(code="IMY"),
        school_unit=cast.unit_b,
        start_date=today - datetime.timedelta(days=29),
    )
    assert cast.adam not in visible_students(fresh(cast.counsellor_a))


def test_the_guardian_rules_still_apply_after_the_exit(cast, today):
    _left(cast.alice, 10, today)
    _left(cast.adam, 10, today)
    seen = set(visible_students(fresh(cast.guardian)))
    assert cast.alice in seen  # under 18: her guardian follows her still
    assert cast.adam not in seen  # 19 without consent: not even after leaving


def test_a_second_role_at_the_same_unit_does_not_inherit_the_former_students(cast, today):
    """The engine remembers per request which roles reach a student; the same unit scope
    reaches former students as counsellor but not as student health."""
    from studievag.access.policy import grounds
    from studievag.testing import assign, make_user

    both = make_user()
    assign(both, "student_health", school_unit=cast.unit_a)
    assign(both, "counsellor", school_unit=cast.unit_a)
    _left(cast.adam, 30, today)
    assert grounds(fresh(both), cast.adam, "record") == ["counsellor"]
    assert grounds(both, cast.alice, "record") == ["counsellor", "student_health"]
