"""The access policy's rules: scope, dates, guardianship at 18, protected identity."""

import datetime

import pytest
from django.contrib.auth.models import User

from studievag.access.models import Role, RoleAssignment
from studievag.access.policy import (
    FORMER_STUDENT_DAYS,
    PROTECTED_LABEL,
    Part,
    guardian_may_follow,
    label_students,
    may,
    visible_students,
)
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.people.models import Guardian, GuardianConsent, GuardianLink, add_years
from studievag.records.selectors import student_search
from studievag.testing import assign, make_group, make_student, make_user

D = datetime.date
pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The same user without the per-request grants cache."""
    return User.objects.get(pk=user.pk)


def names(students) -> set[str]:
    return {s.first_name for s in students}


# --- Scope --------------------------------------------------------------------


def test_a_mentor_sees_the_students_of_their_mentor_group_only(cast):
    assert names(visible_students(cast.mentor_a)) == {"Alice", "Adam", "Petra"}


def test_a_teacher_sees_the_students_of_their_course_group(cast):
    assert names(visible_students(cast.teacher_a)) == {"Alice", "Adam"}


@pytest.mark.parametrize("who", ["counsellor_a", "health_a", "principal_a"])
def test_unit_roles_see_every_student_of_their_unit(cast, who):
    assert names(visible_students(getattr(cast, who))) == {"Alice", "Adam", "Petra"}


def test_a_mentor_at_school_b_sees_nothing_of_school_a(cast):
    visible = visible_students(cast.mentor_b)

    assert names(visible) == {"Bertil"}
    for part in (Part.RECORD, Part.BACKGROUND, Part.ENROLMENTS, Part.GUARDIANS):
        assert (
            not visible_students(cast.mentor_b, part)
            .filter(pk__in=[cast.alice.pk, cast.adam.pk, cast.protected.pk])
            .exists()
        )


@pytest.mark.parametrize("who", ["analyst", "coordinator", "sending", "admin", "nobody"])
def test_group_level_roles_see_no_individual_record(cast, who):
    user = getattr(cast, who)
    for part in (Part.RECORD, Part.BACKGROUND, Part.ENROLMENTS, Part.GUARDIANS, Part.AUDIT_LOG):
        assert visible_students(user, part).count() == 0
    assert not may(user, "student.list")


def test_a_student_sees_only_themselves_and_only_they_and_the_principal_see_the_read_log(cast):
    assert list(visible_students(cast.student)) == [cast.alice]
    assert list(visible_students(cast.student, Part.AUDIT_LOG)) == [cast.alice]
    assert names(visible_students(cast.principal_a, Part.AUDIT_LOG)) == {"Alice", "Adam", "Petra"}
    assert not visible_students(cast.mentor_a, Part.AUDIT_LOG).exists()


def test_teachers_do_not_see_guardians(cast):
    assert not visible_students(cast.teacher_a, Part.GUARDIANS).exists()
    assert names(visible_students(cast.mentor_a, Part.GUARDIANS)) == {"Alice", "Adam", "Petra"}


def test_an_expired_role_assignment_gives_nothing(cast, today):
    user = make_user()
    RoleAssignment.objects.create(
        user=user,
        role=Role.COUNSELLOR,
        school_unit=cast.unit_a,
        valid_from=today - datetime.timedelta(days=100),
        valid_to=today - datetime.timedelta(days=1),
    )

    assert not visible_students(user).exists()
    assert not may(user, "student.list")


def test_a_role_assignment_ending_today_still_counts(cast, today):
    user = make_user()
    RoleAssignment.objects.create(
        user=user,
        role=Role.COUNSELLOR,
        school_unit=cast.unit_a,
        valid_from=today - datetime.timedelta(days=100),
        valid_to=today,
    )

    assert visible_students(user).count() == 3


def test_a_future_role_assignment_gives_nothing_yet(cast, today):
    user = make_user()
    RoleAssignment.objects.create(
        user=user,
        role=Role.MENTOR,
        group=cast.mentor_group_a,
        valid_from=today + datetime.timedelta(days=1),
    )

    assert not visible_students(user).exists()


def test_a_mentor_no_longer_sees_a_student_who_left_the_group(cast, today):
    GroupMembership.objects.filter(group=cast.mentor_group_a, student=cast.adam).update(
        end_date=today - datetime.timedelta(days=1)
    )

    assert names(visible_students(fresh(cast.mentor_a))) == {"Alice", "Petra"}


def test_a_mentor_scoped_to_one_student_sees_that_student(cast):
    user = make_user()
    assign(user, Role.MENTOR, student=cast.bertil)

    assert list(visible_students(user)) == [cast.bertil]


def _leave(student, days_ago: int, today):
    Enrolment.objects.filter(student=student).update(
        start_date=today - datetime.timedelta(days=days_ago + 300),
        end_date=today - datetime.timedelta(days=days_ago),
        exit_reason=Enrolment.ExitReason.NATIONAL_PROGRAMME,
    )


def test_unit_staff_keep_seeing_former_students_for_the_follow_up_period(cast, today):
    _leave(cast.adam, FORMER_STUDENT_DAYS, today)

    assert cast.adam in visible_students(fresh(cast.counsellor_a))


def test_unit_staff_stop_seeing_former_students_after_the_follow_up_period(cast, today):
    _leave(cast.adam, FORMER_STUDENT_DAYS + 1, today)

    assert cast.adam not in visible_students(fresh(cast.counsellor_a))
    assert cast.adam not in visible_students(fresh(cast.principal_a))


# --- Guardians and the 18th birthday ---------------------------------------------


@pytest.fixture
def teen(cast):
    """A student who turns 18 on 17 May 2026, with one guardian."""
    student = make_student(cast.unit_a, age=16, first_name="Tea")
    student.date_of_birth = D(2008, 5, 17)
    student.save()
    guardian = Guardian.objects.create(first_name="Gun", last_name="Testsson")
    link = GuardianLink.objects.create(
        student=student,
        guardian=guardian,
        relation=GuardianLink.Relation.PARENT,
        valid_from=student.date_of_birth,
    )
    return link


def follows(link, day) -> bool:
    return GuardianLink.objects.filter(guardian_may_follow(day), pk=link.pk).exists()


def test_a_guardian_follows_until_the_day_before_the_18th_birthday(teen):
    assert follows(teen, D(2026, 5, 16)) is True
    assert follows(teen, D(2026, 5, 17)) is False


def test_a_leap_day_child_becomes_adult_on_1_march(cast, teen):
    student = teen.student
    student.date_of_birth = D(2008, 2, 29)
    student.save()

    # Consistent with age_on: 18 on 1 March in a year without 29 February.
    assert follows(teen, D(2026, 2, 28)) is True
    assert follows(teen, D(2026, 3, 1)) is False


def test_consent_lets_a_guardian_go_on_following_an_adult(cast, teen):
    GuardianConsent.objects.create(link=teen, given_on=D(2026, 6, 1), recorded_by=cast.counsellor_a)

    assert follows(teen, D(2026, 5, 31)) is False
    assert follows(teen, D(2026, 6, 1)) is True
    assert follows(teen, D(2027, 6, 1)) is True


def test_withdrawn_consent_ends_access_from_the_day_of_withdrawal(cast, teen):
    GuardianConsent.objects.create(
        link=teen, given_on=D(2026, 6, 1), withdrawn_on=D(2026, 9, 1), recorded_by=cast.counsellor_a
    )

    assert follows(teen, D(2026, 8, 31)) is True
    assert follows(teen, D(2026, 9, 1)) is False


def test_a_new_consent_after_a_withdrawal_counts_again(cast, teen):
    GuardianConsent.objects.create(
        link=teen, given_on=D(2026, 6, 1), withdrawn_on=D(2026, 9, 1), recorded_by=cast.counsellor_a
    )
    GuardianConsent.objects.create(link=teen, given_on=D(2026, 12, 1), recorded_by=cast.counsellor_a)

    assert follows(teen, D(2026, 10, 1)) is False
    assert follows(teen, D(2026, 12, 1)) is True


def test_an_ended_link_gives_nothing_even_under_18_or_with_consent(cast, teen):
    GuardianConsent.objects.create(link=teen, given_on=D(2026, 6, 1), recorded_by=cast.counsellor_a)
    teen.valid_to = D(2025, 12, 31)
    teen.save()

    assert follows(teen, D(2025, 12, 31)) is True
    assert follows(teen, D(2026, 1, 1)) is False
    assert follows(teen, D(2026, 7, 1)) is False


def test_the_cast_guardian_sees_alice_but_not_adam_who_is_19(cast):
    assert list(visible_students(cast.guardian)) == [cast.alice]


def test_the_cast_guardian_sees_adam_once_he_consents(cast, today):
    GuardianConsent.objects.create(link=cast.adam.guardian_links.get(), given_on=today, recorded_by=cast.counsellor_a)

    assert names(visible_students(fresh(cast.guardian))) == {"Alice", "Adam"}
    # Not his read log: that is his alone (and the principal's).
    assert not visible_students(fresh(cast.guardian), Part.AUDIT_LOG).exists()


# --- Protected identity ------------------------------------------------------------


@pytest.mark.parametrize("who", ["mentor_a", "counsellor_a", "health_a", "principal_a"])
def test_staff_at_the_students_own_unit_see_the_protected_name(cast, who):
    [labelled] = label_students(getattr(cast, who), [cast.protected])

    assert labelled.display_name == "Petra Skyddad"
    assert labelled.display_number == cast.protected.formatted_identity_number
    assert labelled.name_hidden is False


@pytest.fixture
def mentor_elsewhere(cast):
    """A mentor at school B whose group (at B) holds the protected student of school A."""
    group = make_group(cast.unit_b, StudentGroup.Kind.MENTOR_GROUP, [cast.protected, cast.bertil], name="Blandgrupp B")
    user = make_user("mentor_elsewhere")
    assign(user, Role.MENTOR, group=group)
    return user


def test_staff_elsewhere_see_the_student_but_never_the_protected_name(cast, mentor_elsewhere):
    students = label_students(mentor_elsewhere, visible_students(mentor_elsewhere).order_by("pk"))

    by_pk = {s.pk: s for s in students}
    assert by_pk[cast.protected.pk].display_name == f"{PROTECTED_LABEL} #{cast.protected.pk}"
    assert by_pk[cast.protected.pk].display_number == "—"
    assert by_pk[cast.protected.pk].name_hidden is True
    assert by_pk[cast.bertil.pk].display_name == "Bertil Bengtsson"


def test_a_name_search_does_not_reveal_a_protected_student(cast, mentor_elsewhere):
    assert list(student_search(mentor_elsewhere, query="Skyddad")) == []
    assert list(student_search(mentor_elsewhere, query="Petra")) == []
    # Staff at the student's own unit do find her.
    assert list(student_search(cast.counsellor_a, query="Skyddad")) == [cast.protected]


def test_an_unprotected_student_is_labelled_with_name_and_number(cast):
    [labelled] = label_students(cast.mentor_a, [cast.alice])

    assert labelled.display_name == "Alice Andersson"
    assert labelled.display_number == cast.alice.formatted_identity_number


def test_label_students_asks_the_database_once_for_any_number_of_protected(cast, django_assert_num_queries):
    students = list(visible_students(cast.counsellor_a))
    fresh_user = fresh(cast.counsellor_a)
    fresh_user._studievag_grants = cast.counsellor_a._studievag_grants
    # One query: which of the protected students' names may be shown.
    with django_assert_num_queries(1):
        label_students(fresh_user, students)


def test_student_over_18_is_not_a_guardians_record_by_default(cast, today):
    assert cast.adam.is_adult_on(today)
    assert add_years(cast.adam.date_of_birth, 18) <= today


def test_a_mentor_no_longer_sees_the_protected_name_once_the_student_has_left_the_group(cast, today):
    """Group memberships count for the protected name only while they run, as for scope."""
    group = StudentGroup.objects.create(
        school_unit=cast.unit_a, name="Gammal grupp A", kind=StudentGroup.Kind.MENTOR_GROUP
    )
    membership = GroupMembership.objects.create(
        group=group, student=cast.protected, start_date=D(2020, 8, 1), end_date=D(2021, 6, 10)
    )
    former_mentor = make_user("former_mentor")
    assign(former_mentor, Role.MENTOR, group=group)

    [labelled] = label_students(fresh(former_mentor), [cast.protected])
    assert labelled.name_hidden is True
    assert labelled.display_name == f"{PROTECTED_LABEL} #{cast.protected.pk}"

    membership.end_date = None
    membership.save()
    [labelled] = label_students(fresh(former_mentor), [cast.protected])
    assert labelled.name_hidden is False
    assert labelled.display_name == "Petra Skyddad"
