"""The principal's page of group memberships at own school units."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from studievag.access.models import Role
from studievag.audit.models import RecordRead
from studievag.enrolments.models import GroupMembership
from studievag.people.models import AccessChange
from studievag.testing import assign, make_user

pytestmark = pytest.mark.django_db


def _add_data(group, student, start, reason):
    return {f"g{group.pk}-student": student.pk, f"g{group.pk}-start_date": start, f"g{group.pk}-reason": reason}


def _end_data(membership, end, reason):
    return {f"m{membership.pk}-end_date": end, f"m{membership.pk}-reason": reason}


def test_the_page_shows_own_groups_members_masked_and_logs_the_read(cast, client):
    client.force_login(cast.principal_a)
    response = client.get(reverse("access:groups"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mentorsgrupp A" in page and "Matematik A" in page
    assert "Mentorsgrupp B" not in page and "Bengtsson" not in page
    assert "Alice Andersson" in page
    logged = set(RecordRead.objects.filter(user=cast.principal_a).values_list("student_id", flat=True))
    assert logged == {cast.alice.pk, cast.adam.pk, cast.protected.pk}


def test_the_principal_adds_and_ends_a_membership(cast, client):
    client.force_login(cast.principal_a)
    today = timezone.localdate()
    group = cast.course_group_a

    response = client.post(
        reverse("access:groups_add", kwargs={"pk": group.pk}),
        _add_data(group, cast.protected, today.isoformat(), "Läser matematik nu"),
    )
    assert response.status_code == 302
    membership = GroupMembership.objects.get(group=group, student=cast.protected)
    assert (membership.start_date, membership.end_date) == (today, None)
    started = AccessChange.objects.get()
    assert (started.kind, started.acting_user, started.student, started.reason) == (
        AccessChange.Kind.MEMBERSHIP_STARTED,
        cast.principal_a,
        cast.protected,
        "Läser matematik nu",
    )

    end = today + datetime.timedelta(days=10)
    response = client.post(
        reverse("access:groups_end", kwargs={"pk": membership.pk}),
        _end_data(membership, end.isoformat(), "Har bytt kurs"),
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == end
    assert AccessChange.objects.count() == 2
    ended = AccessChange.objects.get(kind=AccessChange.Kind.MEMBERSHIP_ENDED)
    assert (ended.acting_user, ended.student, ended.reason) == (cast.principal_a, cast.protected, "Har bytt kurs")


def test_a_refused_change_comes_back_on_the_form(cast, client):
    client.force_login(cast.principal_a)
    group = cast.course_group_a
    response = client.post(
        reverse("access:groups_add", kwargs={"pk": group.pk}),
        _add_data(group, cast.alice, timezone.localdate().isoformat(), "Igen"),
    )
    assert response.status_code == 200
    assert response.context["groups"][[g.pk for g in response.context["groups"]].index(group.pk)].add_form.errors
    assert GroupMembership.objects.filter(group=group, student=cast.alice).count() == 1
    assert not AccessChange.objects.exists()


def test_a_student_of_another_unit_cannot_be_chosen(cast, client):
    client.force_login(cast.principal_a)
    group = cast.course_group_a
    response = client.post(
        reverse("access:groups_add", kwargs={"pk": group.pk}),
        _add_data(group, cast.bertil, timezone.localdate().isoformat(), "Fel skola"),
    )
    assert response.status_code == 200
    assert not GroupMembership.objects.filter(student=cast.bertil, group=group).exists()
    assert not AccessChange.objects.exists()


def test_a_principal_of_another_unit_gets_404_and_nothing_changes(cast, client):
    principal_b = make_user("principal_b")
    assign(principal_b, Role.PRINCIPAL, school_unit=cast.unit_b)
    client.force_login(principal_b)
    group = cast.course_group_a
    membership = GroupMembership.objects.get(group=group, student=cast.adam)
    before = list(GroupMembership.objects.order_by("pk").values_list("pk", "end_date"))

    add = client.post(
        reverse("access:groups_add", kwargs={"pk": group.pk}),
        _add_data(group, cast.protected, timezone.localdate().isoformat(), "Försök"),
    )
    end = client.post(
        reverse("access:groups_end", kwargs={"pk": membership.pk}),
        _end_data(membership, timezone.localdate().isoformat(), "Försök"),
    )
    assert (add.status_code, end.status_code) == (404, 404)
    assert list(GroupMembership.objects.order_by("pk").values_list("pk", "end_date")) == before
    assert not AccessChange.objects.exists()
    page = client.get(reverse("access:groups")).content.decode()
    assert "Mentorsgrupp B" in page and "Matematik A" not in page


def test_a_mentor_gets_403(cast, client):
    client.force_login(cast.mentor_a)
    group = cast.mentor_group_a
    membership = GroupMembership.objects.get(group=group, student=cast.adam)
    assert client.get(reverse("access:groups")).status_code == 403
    add = client.post(
        reverse("access:groups_add", kwargs={"pk": group.pk}),
        _add_data(group, cast.alice, timezone.localdate().isoformat(), "Försök"),
    )
    end = client.post(
        reverse("access:groups_end", kwargs={"pk": membership.pk}),
        _end_data(membership, timezone.localdate().isoformat(), "Försök"),
    )
    assert (add.status_code, end.status_code) == (403, 403)
    membership.refresh_from_db()
    assert membership.end_date is None
    assert not AccessChange.objects.exists()


def test_the_page_speaks_swedish_and_the_staff_page_links_to_it(cast, client):
    client.force_login(cast.principal_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    page = client.get(reverse("access:groups")).content.decode()
    for text in ("Gruppmedlemskap vid dina skolenheter", "Lägg till i gruppen", "Avsluta", "Sista dag"):
        assert text in page
    staff = client.get(reverse("access:staff")).content.decode()
    assert f'href="{reverse("access:groups")}"' in staff
