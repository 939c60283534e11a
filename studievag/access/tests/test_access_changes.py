"""Every change to who may see a student is a named service with an audit row."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from studievag.access import services
from studievag.access.models import Role, RoleAssignment
from studievag.access.policy import grants_for, visible_students
from studievag.enrolments import services as enrolment_services
from studievag.enrolments.models import Enrolment
from studievag.people import services as people_services
from studievag.people.models import AccessChange, Guardian, GuardianLink
from studievag.testing import make_group, make_user

pytestmark = pytest.mark.django_db


def _fresh(user):
    user.__dict__.pop("_studievag_grants", None)
    return user


def _sees(user, student) -> bool:
    return visible_students(_fresh(user)).filter(pk=student.pk).exists()


def test_the_administrator_cannot_give_itself_a_principal_role(cast):
    with pytest.raises(PermissionDenied):
        services.role_assignment_grant(
            acting_user=cast.admin,
            user=cast.admin,
            role=Role.PRINCIPAL,
            school_unit=cast.unit_a,
            valid_from=timezone.localdate(),
            reason="Behöver se eleverna",
        )
    assert not RoleAssignment.objects.filter(user=cast.admin, role=Role.PRINCIPAL).exists()
    assert not AccessChange.objects.exists()


def test_a_role_given_by_the_administrator_waits_for_the_principal(cast):
    today = timezone.localdate()
    colleague = make_user("ny_rektor")
    role = services.role_assignment_grant(
        acting_user=cast.admin,
        user=colleague,
        role=Role.PRINCIPAL,
        school_unit=cast.unit_a,
        valid_from=today,
        reason="Ny biträdande rektor",
    )
    assert role.pending
    assert not _sees(colleague, cast.alice)
    change = AccessChange.objects.get()
    assert (change.kind, change.acting_user, change.subject_user, change.school_unit) == (
        AccessChange.Kind.ROLE_REQUESTED,
        cast.admin,
        colleague,
        cast.unit_a,
    )
    assert change.reason == "Ny biträdande rektor"

    # The administrator who asked cannot confirm it; a principal of another unit neither.
    assert not services.may_confirm(cast.admin, role)
    with pytest.raises(PermissionDenied):
        services.role_assignment_confirm(acting_user=cast.admin, assignment=role)

    services.role_assignment_confirm(acting_user=_fresh(cast.principal_a), assignment=role)
    assert _sees(colleague, cast.alice)
    assert list(AccessChange.objects.values_list("kind", flat=True)) == [
        AccessChange.Kind.ROLE_CONFIRMED,
        AccessChange.Kind.ROLE_REQUESTED,
    ]


def test_a_second_administrator_may_confirm(cast):
    second = make_user("admin2", is_staff=True)
    RoleAssignment.objects.create(user=second, role=Role.ADMIN, region=cast.region, valid_from=timezone.localdate())
    role = services.role_assignment_grant(
        acting_user=cast.admin,
        user=cast.nobody,
        role=Role.COUNSELLOR,
        school_unit=cast.unit_a,
        valid_from=timezone.localdate(),
        reason="Vikarierande SYV",
    )
    assert services.may_confirm(second, role)
    services.role_assignment_confirm(acting_user=second, assignment=role)
    assert _sees(cast.nobody, cast.alice)


def test_the_principal_gives_a_role_at_own_unit_at_once_and_not_elsewhere(cast):
    role = services.role_assignment_grant(
        acting_user=cast.principal_a,
        user=cast.nobody,
        role=Role.TEACHER,
        group=cast.course_group_a,
        valid_from=timezone.localdate(),
        reason="Ny lärare",
    )
    assert not role.pending
    assert _sees(cast.nobody, cast.alice)
    with pytest.raises(PermissionDenied):
        services.role_assignment_grant(
            acting_user=_fresh(cast.principal_a),
            user=cast.nobody,
            role=Role.MENTOR,
            group=cast.mentor_group_b,
            valid_from=timezone.localdate(),
            reason="Fel skola",
        )
    with pytest.raises(PermissionDenied):
        services.role_assignment_grant(
            acting_user=_fresh(cast.principal_a),
            user=cast.nobody,
            role=Role.PRINCIPAL,
            school_unit=cast.unit_a,
            valid_from=timezone.localdate(),
            reason="Ingen rektor ger rektorsroll",
        )


def test_ending_a_role_stops_access_now_and_is_recorded(cast):
    assignment = cast.teacher_a.role_assignments.get()
    with pytest.raises(ValidationError):
        services.role_assignment_revoke(acting_user=cast.principal_a, assignment=assignment, reason=" ")
    services.role_assignment_revoke(acting_user=cast.principal_a, assignment=assignment, reason="Slutat")
    assignment.refresh_from_db()
    assert assignment.valid_to == timezone.localdate() - datetime.timedelta(days=1)
    assert not _sees(cast.teacher_a, cast.alice)
    change = AccessChange.objects.get()
    assert (change.kind, change.reason, change.subject_user) == (
        AccessChange.Kind.ROLE_REVOKED,
        "Slutat",
        cast.teacher_a,
    )


def test_a_mentor_cannot_end_roles(cast):
    with pytest.raises(PermissionDenied):
        services.role_assignment_revoke(
            acting_user=cast.mentor_a, assignment=cast.teacher_a.role_assignments.get(), reason="x"
        )
    assert grants_for(_fresh(cast.teacher_a)).assignments


def test_group_membership_and_enrolment_changes_are_recorded(cast):
    today = timezone.localdate()
    group = make_group(cast.unit_a, "mentor_group", name="Ny mentorsgrupp")
    membership = enrolment_services.group_membership_start(
        acting_user=cast.principal_a, group=group, student=cast.alice, start_date=today, reason="Byter grupp"
    )
    with pytest.raises(ValidationError):
        enrolment_services.group_membership_start(
            acting_user=cast.principal_a, group=group, student=cast.alice, start_date=today
        )
    with pytest.raises(ValidationError):  # not enrolled at B
        enrolment_services.group_membership_start(
            acting_user=cast.principal_a, group=cast.mentor_group_b, student=cast.alice, start_date=today
        )
    enrolment_services.group_membership_end(acting_user=cast.principal_a, membership=membership, end_date=today)
    enrolment = Enrolment.objects.get(student=cast.alice)
    enrolment_services.enrolment_end(
        acting_user=cast.counsellor_a,
        enrolment=enrolment,
        end_date=today,
        exit_reason=Enrolment.ExitReason.NATIONAL_PROGRAMME,
        reason="Antagen till EE",
    )
    enrolment.refresh_from_db()
    assert (enrolment.end_date, enrolment.exit_reason) == (today, "national_programme")
    kinds = list(AccessChange.objects.order_by("pk").values_list("kind", "acting_username", "student_id"))
    assert kinds == [
        ("membership_started", "principal_a", cast.alice.pk),
        ("membership_ended", "principal_a", cast.alice.pk),
        ("enrolment_ended", "counsellor_a", cast.alice.pk),
    ]


def test_guardian_links_and_consent_are_recorded(cast):
    today = timezone.localdate()
    guardian = Guardian.objects.create(first_name="Omar", last_name="Abdi")
    link = people_services.guardian_link_create(
        acting_user=cast.counsellor_a,
        student=cast.bertil,
        guardian=guardian,
        relation=GuardianLink.Relation.PARENT,
        valid_from=today,
        reason="Vårdnadshavare enligt folkbokföringen",
    )
    people_services.guardian_link_end(acting_user=cast.counsellor_a, link=link, ends_on=today, reason="Flyttat")
    adam_link = GuardianLink.objects.get(student=cast.adam)
    consent = people_services.guardian_consent_give(acting_user=cast.counsellor_a, link=adam_link, given_on=today)
    people_services.guardian_consent_withdraw(acting_user=cast.counsellor_a, consent=consent, withdrawn_on=today)
    rows = list(AccessChange.objects.order_by("pk"))
    assert [r.kind for r in rows] == ["guardian_linked", "guardian_unlinked", "consent_given", "consent_withdrawn"]
    # No guardian names in the record's text: it is shown in the administration too.
    assert all("Omar" not in r.what and "Samira" not in r.what for r in rows)


def test_the_principal_gives_and_ends_roles_on_own_pages(cast, login):
    client = login(cast.principal_a)
    response = client.post(
        reverse("access:staff"),
        {
            "username": "nobody",
            "role": "mentor",
            "group": cast.mentor_group_a.pk,
            "valid_from": timezone.localdate().isoformat(),
            "reason": "Ny mentor",
        },
    )
    assert response.status_code == 302
    role = RoleAssignment.objects.get(user=cast.nobody)
    assert not role.pending
    response = client.post(reverse("access:revoke", kwargs={"pk": role.pk}), {"reason": "Bytt tjänst"})
    assert response.status_code == 302
    page = client.get(reverse("access:changes"))
    kinds = [c.kind for c in page.context["page"].object_list]
    assert kinds == ["role_revoked", "role_granted"]


def test_the_principal_cannot_end_roles_at_other_units(cast, login):
    other = cast.mentor_b.role_assignments.get()
    response = login(cast.principal_a).post(reverse("access:revoke", kwargs={"pk": other.pk}), {"reason": "x"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.valid_to is None
    assert not AccessChange.objects.exists()


def test_the_admin_cannot_make_itself_superuser_or_principal(cast, client, english):
    from django.contrib.auth.models import Group, Permission

    admins = Group.objects.create(name="System administrators")
    admins.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["access", "auth"], content_type__model__in=["roleassignment", "user"]
        )
    )
    cast.admin.groups.add(admins)
    client.force_login(cast.admin)
    url = reverse("admin:auth_user_change", args=[cast.admin.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    client.post(url, {"username": "sysadmin", "is_superuser": "on", "is_staff": "on", "is_active": "on"})
    cast.admin.refresh_from_db()
    assert not cast.admin.is_superuser

    response = client.post(
        reverse("admin:access_roleassignment_add"),
        {
            "user": cast.admin.pk,
            "role": "principal",
            "school_unit": cast.unit_a.pk,
            "valid_from": timezone.localdate().isoformat(),
            "reason": "Vill läsa",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Nobody can give a role to themselves." in response.content.decode()
    assert not RoleAssignment.objects.filter(user=cast.admin, role=Role.PRINCIPAL).exists()

    # For someone else, it waits for the principal.
    response = client.post(
        reverse("admin:access_roleassignment_add"),
        {
            "user": cast.nobody.pk,
            "role": "principal",
            "school_unit": cast.unit_a.pk,
            "valid_from": timezone.localdate().isoformat(),
            "reason": "Ny rektor",
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=cast.nobody).pending
    listing = client.get(reverse("admin:access_roleassignment_changelist")).content.decode()
    assert "Alice" not in listing and "Andersson" not in listing
