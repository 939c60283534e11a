"""The principal's read log for own school units."""

import pytest
from django.urls import reverse

from studievag.access.models import Role
from studievag.audit.models import RecordRead
from studievag.testing import assign, make_user

pytestmark = pytest.mark.django_db
LOG = reverse("audit:read_log")


def view(client, student, **extra):
    return client.get(reverse("people:student_detail", kwargs={"pk": student.pk}), **extra)


def test_the_principal_sees_who_read_which_part_of_which_student(cast, login, en):
    view(login(cast.mentor_a), cast.alice, REMOTE_ADDR="10.9.8.7")
    view(login(cast.mentor_b), cast.bertil)  # school B: not the principal's business

    response = login(cast.principal_a).get(LOG)

    rows = list(response.context["page"].object_list)
    assert {(r.username, r.student_id, r.part) for r in rows} == {
        ("mentor_a", cast.alice.pk, "record"),
        ("mentor_a", cast.alice.pk, "background"),
        ("mentor_a", cast.alice.pk, "enrolments"),
        ("mentor_a", cast.alice.pk, "guardians"),
    }
    html = response.content.decode()
    assert "Maria Mentor" in html and "10.9.8.7" in html and "Alice Andersson" in html
    assert "4 reads" in html
    assert "Bertil" not in html


def test_the_log_can_be_filtered_by_user_part_and_student(cast, login):
    view(login(cast.mentor_a), cast.alice)
    view(login(cast.counsellor_a), cast.adam)
    client = login(cast.principal_a)

    assert {r.username for r in client.get(LOG, {"user": "couns"}).context["page"].object_list} == {"counsellor_a"}
    assert [r.part for r in client.get(LOG, {"part": "background"}).context["page"].object_list] == [
        "background",
        "background",
    ]
    by_student = client.get(LOG, {"student": cast.adam.pk}).context["page"].object_list
    assert {r.student_id for r in by_student} == {cast.adam.pk}


def test_filtering_by_student_says_whose_reads_are_shown(cast, login, en):
    view(login(cast.mentor_a), cast.alice)

    html = login(cast.principal_a).get(LOG, {"student": cast.alice.pk}).content.decode()

    assert "Reads of Alice Andersson" in html
    assert "Show all reads" in html


def test_a_principal_at_another_school_sees_none_of_school_as_reads(cast, login):
    view(login(cast.mentor_a), cast.alice)
    principal_b = make_user()
    assign(principal_b, Role.PRINCIPAL, school_unit=cast.unit_b)

    response = login(principal_b).get(LOG)

    assert list(response.context["page"].object_list) == []
    assert login(principal_b).get(LOG, {"student": cast.alice.pk}).context["page"].paginator.count == 0


def test_the_read_log_pages_by_a_hundred(cast, login):
    client = login(cast.mentor_a)
    for _ in range(35):
        view(client, cast.alice)  # 4 rows each: record, background, enrolments, guardians

    response = login(cast.principal_a).get(LOG, {"page": 2})

    assert response.context["page"].paginator.count == 140
    assert len(response.context["page"].object_list) == 40


def test_the_read_log_has_a_fixed_query_budget(cast, login, django_assert_num_queries):
    client = login(cast.principal_a)
    client.get(LOG)
    for n, who in ((3, cast.mentor_a), (30, cast.counsellor_a)):
        RecordRead.objects.bulk_create(
            RecordRead(
                user=who, username=who.username, user_display="x", roles="mentor", student=s, part="record", path="/"
            )
            for _ in range(n)
            for s in (cast.alice, cast.adam, cast.protected)
        )
        # session, user, grants (1); count, page of reads with their students,
        # protected names (one query for the page); savepoint and release.
        with django_assert_num_queries(8):
            client.get(LOG)


def test_protected_students_stay_masked_for_a_principal_elsewhere_who_reaches_them(cast, login, en):
    """A principal's log shows the name only where the name may be shown."""
    view(login(cast.mentor_a), cast.protected)

    html = login(cast.principal_a).get(LOG).content.decode()

    assert "Petra Skyddad" in html  # her own school's principal


@pytest.mark.parametrize("address", ["10.9.8.7", "2001:db8::1", None])
def test_a_page_of_many_students_logs_every_field_of_every_read(cast, address):
    """One statement for all rows on PostgreSQL, ``bulk_create`` elsewhere: the same rows."""
    from django.test import RequestFactory
    from django.utils import timezone

    from studievag.audit.services import audit_record_reads

    meta = {"REMOTE_ADDR": address or ""}
    request = RequestFactory().get("/progress/teams/group/1/?week=48", **meta)
    request.user = cast.mentor_a
    request.studievag_via = "Elevregistret"
    before = timezone.now()
    students = [cast.alice, cast.adam, cast.protected]

    written = audit_record_reads(request=request, students=students, parts=["record", "progress"], roles=["mentor"])
    again = audit_record_reads(request=request, students=students[:1], parts=["progress", "plan"], roles=["mentor"])

    rows = list(RecordRead.objects.order_by("student_id", "part"))
    assert (written, again) == (6, 1)  # a part already logged in this request is not logged again
    assert sorted((r.student_id, r.part) for r in rows) == sorted(
        [(s.pk, p) for s in students for p in ("record", "progress")] + [(cast.alice.pk, "plan")]
    )
    for r in rows:
        assert (r.user_id, r.username, r.user_display, r.roles) == (
            cast.mentor_a.pk,
            "mentor_a",
            cast.mentor_a.get_full_name(),
            "mentor",
        )
        assert (r.path, r.client_address, r.via) == ("/progress/teams/group/1/?week=48", address, "Elevregistret")
        assert before <= r.at <= timezone.now()
