"""The students a staff user may see, as a kept query's shape and values
(``policy.student_scope``): rebuilt from the values alone, it must reach exactly the
students :func:`visible_students` reaches, for every role, part, day and mix of roles."""

import datetime

import pytest
from django.utils import timezone

from studievag.access.models import Role
from studievag.access.policy import registry, student_scope, students_for_action, students_through, visible_students
from studievag.enrolments.models import Enrolment
from studievag.testing import assign, make_student, make_user


def _ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def _forget(user):
    user.__dict__.pop("_studievag_grants", None)


@pytest.fixture
def former(cast):
    """A student whose enrolment at school A ended 30 days ago (the counsellor and the
    principal still reach a former student), and one who left too long ago."""
    today = timezone.localdate()
    recent = make_student(cast.unit_a, first_name="Nyss")
    Enrolment.objects.filter(student=recent).update(
        start_date=today - datetime.timedelta(days=300),
        end_date=today - datetime.timedelta(days=30),
        exit_reason=Enrolment.ExitReason.WORK,
    )
    long_ago = make_student(cast.unit_a, first_name="Länge")
    Enrolment.objects.filter(student=long_ago).update(
        start_date=today - datetime.timedelta(days=900),
        end_date=today - datetime.timedelta(days=500),
        exit_reason=Enrolment.ExitReason.WORK,
    )
    return recent, long_ago


def test_the_rebuilt_scope_reaches_exactly_the_visible_students(cast, former):
    # One user holding two roles with different scopes, besides every single role.
    assign(cast.mentor_a, Role.TEACHER, group=cast.course_group_a)
    parts = sorted(registry().parts)
    checked = 0
    for who, user in cast.by_role().items():
        for part in parts:
            _forget(user)
            scope = student_scope(user, part)
            expected = _ids(visible_students(user, part))
            if scope is None:
                continue
            assert _ids(scope.students(**scope.args)) == expected, (who, part)
            checked += 1
    assert checked > 20
    # By action (every action the registry declares) and through one role.
    for who, user in cast.by_role().items():
        for action in sorted(registry().actions):
            _forget(user)
            scope = student_scope(user, action=action)
            if scope is not None:
                assert _ids(scope.students(**scope.args)) == _ids(students_for_action(user, action)), (who, action)
                checked += 1
        for role in Role.values:
            _forget(user)
            scope = student_scope(user, role=role)
            if scope is not None:
                assert _ids(scope.students(**scope.args)) == _ids(students_through(user, role)), (who, role)
                checked += 1
    assert checked > 100
    recent, long_ago = former
    principal_sees = _ids(visible_students(cast.principal_a))
    assert recent.pk in principal_sees and long_ago.pk not in principal_sees


def test_the_shape_names_roles_and_scopes_and_never_an_id(cast):
    scope = student_scope(cast.principal_a)
    assert scope is not None
    assert scope.key == f"scope__{Role.PRINCIPAL}__school_unit"
    assert scope.args[scope.key] == [cast.unit_a.pk]
    assert str(cast.unit_a.pk) not in scope.key
    # The same shape for the principal of another school: one compiled query serves both.
    other = make_user("principal_b")
    assign(other, Role.PRINCIPAL, school_unit=cast.unit_b)
    theirs = student_scope(other)
    assert theirs is not None and theirs.key == scope.key and theirs.args[scope.key] == [cast.unit_b.pk]
    assert _ids(theirs.students(**theirs.args)) == _ids(visible_students(other)) == [cast.bertil.pk]


def test_no_scope_for_a_students_or_guardians_own_access_or_no_role(cast):
    assert student_scope(cast.student) is None
    assert student_scope(cast.guardian) is None
    assert student_scope(cast.nobody) is None


def test_a_student_page_finds_the_same_student_and_grounds_through_the_rebuilt_grants(cast, former):
    from studievag.access.policy import _for_view, grants_for, visible_roles
    from studievag.plans.permissions import PLAN
    from studievag.progress.permissions import PROGRESS

    recent, long_ago = former
    assign(cast.mentor_a, Role.TEACHER, group=cast.course_group_a)
    students = [cast.alice, cast.adam, cast.bertil, cast.protected, recent, long_ago]
    compared = 0
    for who, user in cast.by_role().items():
        _forget(user)
        scope = student_scope(user, every_role=True)
        if scope is None:
            continue
        grants = grants_for(user)
        for parts in (["record"], ["record", PROGRESS], [PLAN, "record"]):
            if not all(visible_roles(grants, p) for p in parts):
                continue
            for s in students:

                def described(queryset):
                    return [
                        (x.pk, sorted((k, v) for k, v in vars(x).items() if k.startswith("_reach_"))) for x in queryset
                    ]

                rebuilt = described(_for_view(scope.grants(**scope.args), parts, s.pk))
                assert rebuilt == described(_for_view(grants, parts, s.pk)), (who, parts, s.first_name)
                compared += bool(rebuilt)
    assert compared > 10
