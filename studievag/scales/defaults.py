"""The progression scales that ship with Studieväg.

Used by the data migration and by :func:`progress.services.scales_ensure_defaults`.
Labels are data, written in Swedish like the catalogue's course names. Colours
run from light to mid blue, each readable under the dark step text (WCAG 4.5:1),
so that a step's colour is never confused with the green/amber/red of the
in-line status; pages always print the label too.
"""

PALETTE = ["#eff3ff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4a98c9", "#3182bd"]

DEFAULT_SCALES = [
    {
        "name": "Svenska som andraspråk",
        "subject_codes": ["GRGRSVA01", "GRSASVA01", "SVA", "SVO", "GRNSVA2"],
        "steps": [
            ("Nybörjare", "Förstår och använder enstaka ord och fraser i vardagliga situationer."),
            ("Grundläggande", "Deltar i enkla samtal och läser korta, enkla texter med stöd."),
            ("På väg", "Berättar och skriver sammanhängande om bekanta ämnen."),
            ("Nära kursmålet", "Läser och skriver ämnestexter med visst stöd."),
            ("Kursmål", "Godtagbara kunskaper enligt kursplanen (E)."),
            ("Över kursmålet", "Kunskaper över godtagbar nivå (C–A)."),
        ],
        "goal": 5,
    },
    {
        "name": "Matematik",
        "subject_codes": ["GRGRMAT01", "GRSAMAT01", "MAT", "MAM", "GRNMAT2"],
        "steps": [
            ("Taluppfattning", "Naturliga tal, de fyra räknesätten med stöd."),
            ("Grundläggande", "Bråk, decimaltal och procent i vardagliga situationer."),
            ("På väg", "Enkla ekvationer, geometri och statistik."),
            ("Nära kursmålet", "Löser de flesta uppgifter på kursens nivå med visst stöd."),
            ("Kursmål", "Godtagbara kunskaper enligt kursplanen (E)."),
            ("Över kursmålet", "Kunskaper över godtagbar nivå (C–A)."),
        ],
        "goal": 5,
    },
    {
        "name": "Engelska",
        "subject_codes": ["GRGRENG01", "GRSAENG01", "ENG", "ENS", "GRNENG2"],
        "steps": [
            ("Nybörjare (A1)", "Förstår och använder vardagliga uttryck."),
            ("Grundläggande (A2)", "Klarar enkla rutinsituationer i tal och skrift."),
            ("På väg (B1)", "Förstår huvudinnehållet i tydligt tal och text om bekanta ämnen."),
            ("Kursmål", "Godtagbara kunskaper enligt kursplanen (E)."),
            ("Över kursmålet", "Kunskaper över godtagbar nivå (C–A)."),
        ],
        "goal": 4,
    },
    {
        "name": "Allmän skala",
        "subject_codes": [],
        "generic": True,
        "steps": [
            ("Påbörjad", "Har börjat arbeta med kursens innehåll."),
            ("Utvecklas", "Visar kunskaper i delar av kursens innehåll."),
            ("Nära kursmålet", "Visar kunskaper i det mesta av kursens innehåll."),
            ("Kursmål", "Godtagbara kunskaper enligt kursplanen (E)."),
        ],
        "goal": 4,
    },
]


def step_colour(position: int, count: int) -> str:
    """Spread ``count`` steps over the palette, lightest first."""
    if count <= 1:
        return PALETTE[-2]
    index = round((position - 1) * (len(PALETTE) - 1) / (count - 1))
    return PALETTE[index]


def create_default_scales(scale_model, step_model) -> int:
    """Create the shipped scales that are missing (by name, organiser empty); return how many."""
    created = 0
    for spec in DEFAULT_SCALES:
        if scale_model.objects.filter(organiser=None, name=spec["name"]).exists():
            continue
        scale = scale_model.objects.create(
            organiser=None,
            name=spec["name"],
            subject_codes=spec["subject_codes"],
            is_generic=spec.get("generic", False),
        )
        count = len(spec["steps"])
        step_model.objects.bulk_create(
            step_model(
                scale=scale,
                position=i,
                label=label,
                description=description,
                colour=step_colour(i, count),
                is_goal=(i == spec["goal"]),
            )
            for i, (label, description) in enumerate(spec["steps"], start=1)
        )
        created += 1
    return created


def create_current_defaults(apps, schema_editor) -> int:
    """The shipped scales with today's models (for a database emptied by a test)."""
    return create_default_scales(
        apps.get_model("scales", "ProgressionScale"), apps.get_model("scales", "ProgressionStep")
    )
