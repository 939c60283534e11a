from studievag.testing import Route

NEED_TO_KNOW = frozenset({"mentor", "student_health", "principal"})

ROUTES = [
    Route("support:needs", NEED_TO_KNOW, kwargs=lambda c: {"pk": c.alice.pk}),
    Route(
        "support:needs",
        NEED_TO_KNOW,
        kwargs=lambda c: {"pk": c.alice.pk},
        method="post",
        data=lambda c: {"text": "Behöver extra tid vid prov.", "reason": "EHT"},
    ),
    # The same store from the plan's page, with no plan yet: intake comes before the plan.
    Route("plans:support_needs", NEED_TO_KNOW, kwargs=lambda c: {"pk": c.alice.pk}, label="no plan"),
]
