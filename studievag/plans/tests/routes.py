import datetime

from studievag.testing import ALL_ROLES, Route

A_STAFF = frozenset({"mentor", "teacher", "counsellor", "student_health", "principal"})
PLAN_READERS = frozenset({"mentor", "counsellor", "student_health", "principal"})
PLAN_EDITORS = frozenset({"mentor", "counsellor", "principal"})


def alice_with_plan(cast) -> dict:
    """Alice's kwargs, after giving her a plan (pages about versions need one)."""
    from studievag.plans.models import Plan
    from studievag.plans.services import plan_create

    if not Plan.objects.filter(student=cast.alice).exists():
        plan_create(
            acting_user=cast.mentor_a,
            student=cast.alice,
            reason="Första planen",
            fields={"study_path": "Svenska som andraspråk först"},
            goals=[{"term": "long", "kind": "job", "title": "Bli undersköterska"}],
        )
    return {"pk": cast.alice.pk}


def alice_proposal(cast) -> dict:
    """Alice's plan with an open proposal of hers (written straight to the table: the
    row is the situation, the service is tested on its own)."""
    from studievag.plans.models import PlanProposal, ProposedGoal

    kwargs = alice_with_plan(cast)
    proposal = PlanProposal.objects.filter(plan__student=cast.alice, status="new").first()
    if proposal is None:
        proposal = PlanProposal.objects.create(
            plan=cast.alice.plan, written_by=cast.alice.user, own_words="Jag vill läsa engelska."
        )
        ProposedGoal.objects.create(proposal=proposal, title="Engelska 5 till våren")
    return kwargs | {"proposal_id": proposal.pk}


def education_plan_a(cast) -> dict:
    from studievag.organisations.models import Programme
    from studievag.plans.models import EducationPlan

    document, _ = EducationPlan.objects.get_or_create(
        organiser=cast.organiser_a,
        programme=Programme.objects.get(code="IMS"),
        version=1,
        defaults={"title": "Plan för utbildning IMS", "body": "Text", "valid_from": datetime.date(2026, 1, 1)},
    )
    return {"pk": document.pk}


def _ims() -> int:
    from studievag.organisations.models import Programme

    return Programme.objects.get(code="IMS").pk


def _plan_post() -> dict:
    """Alice's plan (version 1) saved again with a new study path and no rows."""
    data = {"version": "1", "reason": "Planen ses över", "study_path": "Svenska som andraspråk, sedan vård"}
    for prefix in ("goals", "courses", "internships"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def _plan_file() -> dict:
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    document = {
        "format": "studievag.plan/1",
        "exported_at": "2026-01-10T10:00:00+01:00",
        "from_school": {"name": "Skola X", "school_unit_code": "12345678", "organiser": "Kommun X"},
        "student": {"protected_identity": False},
        "plan": {"programme": "IMS", "study_path": "Mot gymnasiet", "goals": [], "courses": [], "internships": []},
    }
    return {"file": SimpleUploadedFile("plan.json", json.dumps(document).encode(), content_type="application/json")}


ROUTES = [
    Route("plans:plan_list", frozenset({"mentor", "principal", "mentor_other_school"})),
    Route("plans:schema", ALL_ROLES, public=True),
    Route("plans:education_plan_list", A_STAFF | {"mentor_other_school", "organiser_analyst"}),
    Route("plans:education_plan_create", frozenset({"principal", "organiser_analyst"})),
    Route(
        "plans:education_plan_create",
        frozenset({"principal", "organiser_analyst"}),
        method="post",
        data=lambda c: {
            "organiser": c.organiser_a.pk,
            "programme": _ims(),
            "title": "Plan för utbildning IMS",
            "body": "Utbildningens upplägg.",
            "valid_from": "2026-01-01",
        },
    ),
    Route("plans:education_plan_detail", A_STAFF | {"organiser_analyst"}, kwargs=education_plan_a),
    Route("plans:local_course_create", frozenset({"principal", "organiser_analyst"})),
    Route("plans:catalogue_search", A_STAFF | {"mentor_other_school"}),
    Route(
        "plans:local_course_create",
        frozenset({"principal", "organiser_analyst"}),
        method="post",
        data=lambda c: {
            "organiser": c.organiser_a.pk,
            "subject_name": "Truckkort",
            "code": "TRUCK01",
            "name": "Truck A",
        },
    ),
    # Teachers read the summary of students in their course groups.
    Route("plans:plan_detail", A_STAFF, kwargs=alice_with_plan, label="alice"),
    Route(
        "plans:plan_detail", frozenset({"mentor_other_school"}), kwargs=lambda c: {"pk": c.bertil.pk}, label="bertil"
    ),
    Route("plans:plan_edit", PLAN_EDITORS, kwargs=alice_with_plan),
    Route("plans:plan_edit", PLAN_EDITORS, kwargs=alice_with_plan, method="post", data=lambda c: _plan_post()),
    Route("plans:plan_history", PLAN_READERS, kwargs=alice_with_plan),
    Route("plans:plan_compare", PLAN_READERS, kwargs=alice_with_plan),
    Route("plans:review_create", frozenset({"mentor", "principal"}), kwargs=alice_with_plan),
    Route(
        "plans:review_create",
        frozenset({"mentor", "principal"}),
        kwargs=alice_with_plan,
        method="post",
        data=lambda c: {"held_on": "2026-01-15", "participants": "Eleven, mentor", "notes": "Planen gicks igenom."},
    ),
    # Study and careers guidance: the counsellor (and the principal).
    Route("plans:guidance_create", frozenset({"counsellor", "principal"}), kwargs=alice_with_plan),
    Route(
        "plans:guidance_create",
        frozenset({"counsellor", "principal"}),
        kwargs=alice_with_plan,
        method="post",
        data=lambda c: {"kind": "individual", "held_on": "2026-01-15", "topic": "Val av nationellt program"},
        label="record",
    ),
    Route(
        "plans:plan_approve",
        frozenset({"principal"}),
        kwargs=alice_with_plan,
        method="post",
        data=lambda c: {"version": 1},
    ),
    # Support needs (one store with intake): student health, the principal and the mentor.
    Route("plans:support_needs", frozenset({"mentor", "student_health", "principal"}), kwargs=alice_with_plan),
    Route(
        "plans:support_needs",
        frozenset({"mentor", "student_health", "principal"}),
        kwargs=alice_with_plan,
        method="post",
        data=lambda c: {"text": "Extra tid vid prov", "reason": "EHT-möte"},
        label="write",
    ),
    Route("plans:export_json", PLAN_EDITORS, kwargs=alice_with_plan),
    Route("plans:export_pdf", PLAN_EDITORS, kwargs=alice_with_plan),
    Route("plans:import", PLAN_EDITORS, kwargs=lambda c: {"pk": c.alice.pk}),
    Route(
        "plans:import", PLAN_EDITORS, kwargs=lambda c: {"pk": c.alice.pk}, method="post", data=lambda c: _plan_file()
    ),
    Route("plans:family_plan", frozenset({"student", "guardian"}), kwargs=alice_with_plan, label="alice"),
    # Adam is 19 and has not consented: his former guardian sees nothing.
    Route("plans:family_plan", frozenset(), kwargs=lambda c: {"pk": c.adam.pk}, label="adam"),
    Route("plans:family_plan_pdf", frozenset({"student", "guardian"}), kwargs=alice_with_plan),
    # The student's proposal before the plan talk: only the student writes it (not the guardian).
    Route(
        "plans:family_proposal",
        frozenset({"student"}),
        kwargs=alice_with_plan,
        method="post",
        data=lambda c: {"own_words": "Jag vill bli undersköterska.", "goal_1": "Engelska 5", "term_1": "short"},
    ),
    # The mentor (and the principal) take it into the plan or answer it.
    Route(
        "plans:proposal_respond",
        frozenset({"mentor", "principal"}),
        kwargs=alice_proposal,
        method="post",
        data=lambda c: {"action": "answer", "answer": "Vi tar upp det på samtalet."},
    ),
]
