from studievag.testing import Route

REPORT = frozenset({"principal", "organiser_analyst", "regional_coordinator"})
REFLECTIONS = frozenset(
    {
        "mentor",
        "teacher",
        "counsellor",
        "student_health",
        "principal",
        "organiser_analyst",
        "regional_coordinator",
        "mentor_other_school",
    }
)

OVERVIEW = frozenset({"organiser_analyst", "regional_coordinator"})

ROUTES = [
    Route("quality:overview", OVERVIEW),
    Route("quality:report", REPORT),
    Route("quality:report", REPORT, data=lambda c: {"dim1": "gender", "dim2": "background"}, label="two-way"),
    Route("quality:export", REPORT, kwargs=lambda c: {"fmt": "csv"}, label="csv"),
    Route("quality:export", REPORT, kwargs=lambda c: {"fmt": "xlsx"}, label="xlsx"),
    Route("quality:indicator_list", REPORT),
    Route("quality:indicator_detail", REPORT, kwargs=lambda c: {"indicator_id": "newly_arrived"}),
    Route("quality:reflections", REFLECTIONS),
    # Writing needs a school unit of one's own: the regional coordinator only reads.
    Route(
        "quality:reflections",
        REFLECTIONS - {"regional_coordinator"},
        method="post",
        data=lambda c: {"text": "Gruppen behöver mer studiehandledning."},
        label="write",
    ),
]
