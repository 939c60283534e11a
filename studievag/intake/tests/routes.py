from studievag.testing import Route

EDITORS = frozenset({"mentor", "counsellor", "student_health", "principal"})
MAPPING = {
    "mapped_on": "2026-09-01",
    "parents_education": "unknown",
    "literacy": "unknown",
    "numeracy": "unknown",
    "well_being": "not_stated",
}

ROUTES = [
    Route("intake:edit", EDITORS, kwargs=lambda c: {"pk": c.alice.pk}),
    Route("intake:edit", EDITORS, kwargs=lambda c: {"pk": c.alice.pk}, method="post", data=lambda c: MAPPING),
    Route("intake:edit", frozenset({"mentor_other_school"}), kwargs=lambda c: {"pk": c.bertil.pk}, label="bertil"),
]
