from studievag.surveys.tests.helpers import SCALE_REFS, cast_wave
from studievag.testing import Route

UNIT_A_STAFF = frozenset({"mentor", "teacher", "counsellor", "student_health", "principal"})
RESULTS = frozenset({"principal", "organiser_analyst", "regional_coordinator"})
LIST = RESULTS | UNIT_A_STAFF | {"mentor_other_school"}
MANAGE = frozenset({"organiser_analyst"})


def _wave_data(c):
    from django.utils import timezone

    from studievag.surveys import rules

    term = rules.terms_around(timezone.localdate())[-1]  # a term the form offers
    year, month = int(term[2:]), 9 if term.startswith("ht") else 2
    return {
        "organiser": c.organiser_a.pk,
        "term": term,
        "title": "Enkät",
        "opens_on": f"{year}-{month:02d}-01",
        "closes_on": f"{year}-{month:02d}-28",
        "min_respondents": 6,
        "min_free_text": 12,
        "items": SCALE_REFS[:4],
    }


ROUTES = [
    Route("surveys:my_surveys", frozenset({"student"})),
    Route("surveys:answer", frozenset({"student"}), kwargs=lambda c: {"pk": cast_wave(c).pk}),
    Route(
        "surveys:answer",
        frozenset({"student"}),
        kwargs=lambda c: {"pk": cast_wave(c).pk},
        method="post",
        data=lambda c: {SCALE_REFS[0]: "3"},
        label="send",
    ),
    Route("surveys:wave_list", LIST),
    Route("surveys:wave_new", MANAGE),
    Route("surveys:wave_new", MANAGE, method="post", data=_wave_data, label="create"),
    Route("surveys:wave_edit", MANAGE, kwargs=lambda c: {"pk": cast_wave(c).pk}),
    Route(
        "surveys:wave_edit",
        MANAGE,
        kwargs=lambda c: {"pk": cast_wave(c).pk},
        method="post",
        data=lambda c: {**_wave_data(c), "items": cast_wave(c).refs()},
        label="save",
    ),
    Route("surveys:results", RESULTS, kwargs=lambda c: {"pk": cast_wave(c).pk}),
    Route(
        "surveys:free_text",
        UNIT_A_STAFF,
        kwargs=lambda c: {"pk": cast_wave(c).pk, "unit_pk": c.unit_a.pk},
    ),
]
