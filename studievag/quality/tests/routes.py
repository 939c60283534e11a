from studievag.testing import Route


def _analysts_pdf(cast):
    from studievag.quality.models import ReportPdf

    return ReportPdf.objects.create(requested_by=cast.analyst, query="", language="sv").pk


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
    Route("quality:outcome_report", REPORT),
    Route("quality:outcome_report", REPORT, data=lambda c: {"dim1": "gender"}, label="by gender"),
    Route("quality:export", REPORT, kwargs=lambda c: {"fmt": "pdf"}, label="pdf"),
    # A PDF is its asker's alone (here the analyst's): everyone else gets 404.
    Route("quality:pdf", frozenset({"organiser_analyst"}), kwargs=lambda c: {"pk": _analysts_pdf(c)}),
    Route("quality:indicator_list", REPORT),
    Route("quality:indicator_detail", REPORT, kwargs=lambda c: {"indicator_id": "newly_arrived"}),
    Route("quality:reflections", REFLECTIONS),
    # Writing needs a school unit of one's own: the regional coordinator only reads.
    Route(
        "quality:reflections",
        REFLECTIONS - {"regional_coordinator"},
        method="post",
        data=lambda c: {
            "school_unit": c.unit_a.pk,
            "written_on": "2026-01-15",
            "source": "team_meeting",
            "text": "Gruppen behöver mer studiehandledning.",
        },
        label="write",
        no_write_for=frozenset({"mentor_other_school"}),
    ),
]
