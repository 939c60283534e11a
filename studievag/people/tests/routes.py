import datetime

from studievag.people.models import add_years
from studievag.testing import Route

STAFF = frozenset({"mentor", "teacher", "counsellor", "student_health", "principal", "mentor_other_school"})
A_STAFF = frozenset({"mentor", "teacher", "counsellor", "student_health", "principal"})


def _ims() -> int:
    from studievag.organisations.models import Programme

    return Programme.objects.get(code="IMS").pk


ROUTES = [
    Route("people:student_list", STAFF),
    Route("people:student_create", frozenset({"counsellor", "principal"})),
    Route(
        "people:student_create",
        frozenset({"counsellor", "principal"}),
        method="post",
        data=lambda c: {
            "personal_identity_number": "",
            "date_of_birth": "2009-03-01",
            "first_name": "Nora",
            "last_name": "Ny",
            "gender": "female",
            "security_marking": "none",
            "programme": _ims(),
            "school_unit": c.unit_a.pk,
            "start_date": "2026-01-12",
        },
    ),
    Route("people:student_detail", A_STAFF, kwargs=lambda c: {"pk": c.alice.pk}, label="alice"),
    Route(
        "people:student_detail",
        frozenset({"mentor_other_school"}),
        kwargs=lambda c: {"pk": c.bertil.pk},
        label="bertil",
    ),
    Route("people:student_edit", frozenset({"counsellor", "principal"}), kwargs=lambda c: {"pk": c.alice.pk}),
    Route(
        "people:student_edit",
        frozenset({"counsellor", "principal"}),
        kwargs=lambda c: {"pk": c.alice.pk},
        method="post",
        data=lambda c: {
            "first_name": "Alice",
            "last_name": "Andersson-Berg",
            "gender": "female",
            "mother_tongue": "ar",
            "security_marking": "none",
            "reason": "Nytt efternamn",
        },
    ),
    Route("people:family_home", frozenset({"student", "guardian"})),
    Route(
        "people:family_student", frozenset({"student", "guardian"}), kwargs=lambda c: {"pk": c.alice.pk}, label="alice"
    ),
    # Adam is 19 and has not consented: his former guardian sees nothing.
    Route("people:family_student", frozenset(), kwargs=lambda c: {"pk": c.adam.pk}, label="adam"),
    Route("people:family_reads", frozenset({"student"})),
]
ROUTES += [
    # Adam is 19: the counsellor or principal records his consent for his former guardian.
    Route(
        "people:guardian_consent",
        frozenset({"counsellor", "principal"}),
        method="post",
        kwargs=lambda c: {"pk": c.adam.pk, "link_pk": c.adam.guardian_links.get().pk},
        data=lambda c: {"action": "give", "date": add_years(c.adam.date_of_birth, 19).isoformat()},
    ),
]


def _reserve_student(cast):
    """A student at school A registered with a reserve number (no personnummer yet)."""
    import datetime

    from studievag.people.models import Student

    born = add_years(datetime.date.today(), -16)
    student, _ = Student.objects.get_or_create(
        personal_identity_number=f"{born:%Y%m%d}Z001",
        defaults={"first_name": "Hamid", "last_name": "Karimi", "date_of_birth": born, "gender": "male"},
    )
    if not student.enrolments.exists():
        from studievag.enrolments.models import Enrolment
        from studievag.organisations.models import Programme

        Enrolment.objects.create(
            student=student,
            programme=Programme.objects.get(code="IMS"),
            school_unit=cast.unit_a,
            start_date=datetime.date.today() - datetime.timedelta(days=30),
        )
    return student


ROUTES += [
    Route(
        "people:identity_link", frozenset({"counsellor", "principal"}), kwargs=lambda c: {"pk": _reserve_student(c).pk}
    ),
    Route(
        "people:identity_link",
        frozenset({"counsellor", "principal"}),
        method="post",
        kwargs=lambda c: {"pk": _reserve_student(c).pk},
        data=lambda c: {"new_number": "", "reason": ""},
    ),
]
ROUTES += [
    Route("people:legal_representative", frozenset({"counsellor", "principal"}), kwargs=lambda c: {"pk": c.alice.pk}),
    Route(
        "people:legal_representative",
        frozenset({"counsellor", "principal"}),
        method="post",
        kwargs=lambda c: {"pk": c.alice.pk},
        data=lambda c: {
            "first_name": "Göran",
            "last_name": "Berg",
            "appointed_on": datetime.date.today().isoformat(),
        },
    ),
]
