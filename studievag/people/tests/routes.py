from studievag.people.models import add_years
from studievag.testing import Route

STAFF = frozenset({"mentor", "teacher", "counsellor", "student_health", "principal", "mentor_other_school"})
A_STAFF = frozenset({"mentor", "teacher", "counsellor", "student_health", "principal"})

ROUTES = [
    Route("people:student_list", STAFF),
    Route("people:student_create", frozenset({"counsellor", "principal"})),
    Route("people:student_detail", A_STAFF, kwargs=lambda c: {"pk": c.alice.pk}, label="alice"),
    Route(
        "people:student_detail",
        frozenset({"mentor_other_school"}),
        kwargs=lambda c: {"pk": c.bertil.pk},
        label="bertil",
    ),
    Route("people:student_edit", frozenset({"counsellor", "principal"}), kwargs=lambda c: {"pk": c.alice.pk}),
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
