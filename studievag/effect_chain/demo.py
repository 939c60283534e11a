"""Demo: Skaraborg's regional effect chain and Skövde's chain that contributes to it,
with the data behind the organisational indicators (guidance, planned hours, staff
development) and a few indicators that have moved since their baseline.

The baselines are taken, by the same service the page uses, on a day in the
previous term; guidance and staff training added after that day move the
figures, and planned hours entered after the baseline move full-time study.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User

from studievag.access.models import Role, RoleAssignment
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import StaffTraining
from studievag.organisations.services import staff_training_record
from studievag.plans.models import CourseStatus, EducationPlan, Plan
from studievag.plans.services import guidance_record, plan_revise
from studievag.quality.facts import facts_refresh
from studievag.quality.indicators import available
from studievag.quality.periods import term_of

from . import services
from .models import IndicatorLink, Theme

HOURS = [Decimal(h) for h in ("4", "5", "6", "8", "10", "12")]


def _baseline_day(today: datetime.date) -> datetime.date:
    """A day in the middle of the previous term."""
    previous = term_of(today).previous_term()
    return previous.start + datetime.timedelta(days=75)


def _hours(rng, plans: list[Plan], share: float, author) -> None:
    """Planned hours a week for the ongoing courses of ``share`` of the plans, saved as a new
    version of each plan (as a mentor would, with the reason)."""
    for plan in plans:
        if rng.random() >= share:
            continue
        courses = list(plan.courses.select_related("course"))
        ongoing = [c for c in courses if c.status == CourseStatus.ONGOING and c.weekly_hours is None]
        if not ongoing:
            continue
        hours = {c.pk: rng.choice(HOURS) for c in ongoing}
        total = sum(hours.values())
        # Most students read enough to be full-time; some stay short of it.
        if total < 23 and rng.random() < 0.75:
            hours[ongoing[0].pk] += Decimal(23) - total
        plan.refresh_from_db()
        plan_revise(
            acting_user=author,
            plan=plan,
            expected_version=plan.version,
            reason="Timmar per vecka planerade för de pågående kurserna",
            courses=[
                {
                    "id": c.pk,
                    "course": c.course,
                    "term": c.term,
                    "status": c.status,
                    "weekly_hours": hours.get(c.pk, c.weekly_hours),
                }
                for c in courses
            ],
        )


def _guidance(rng, plans: list[Plan], counsellor, day: datetime.date, share: float, topic: str) -> None:
    chosen = [p for p in plans if rng.random() < share]
    for k in range(0, len(chosen), 6):
        group = chosen[k : k + 6]
        guidance_record(
            acting_user=counsellor,
            plans=group,
            kind="group" if len(group) > 1 else "individual",
            held_on=day,
            topic=topic,
        )


def _staff(rng, organiser, recorder, units, baseline: datetime.date, today: datetime.date) -> None:
    roles = [Role.MENTOR, Role.TEACHER, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL]
    people = sorted(
        set(RoleAssignment.objects.filter(role__in=roles, school_unit__in=units).values_list("user_id", flat=True))
        | set(
            RoleAssignment.objects.filter(role__in=roles, group__school_unit__in=units).values_list(
                "user_id", flat=True
            )
        )
    )
    staff = list(User.objects.filter(pk__in=people).order_by("pk"))
    before = baseline - datetime.timedelta(days=40)
    after = min(today, baseline + datetime.timedelta(days=150))
    for person in staff:
        if rng.random() < 0.25:
            day = before
        elif rng.random() < 0.6:
            day = after
        else:
            continue
        staff_training_record(
            acting_user=recorder,
            person=person,
            organiser=organiser,
            topic=StaffTraining.Topic.LANGUAGE_DEVELOPING,
            title="Språkutvecklande arbetssätt i alla ämnen",
            provider="Skolverket, Läslyftet",
            completed_on=day,
        )
        if rng.random() < 0.4:
            staff_training_record(
                acting_user=recorder,
                person=person,
                organiser=organiser,
                topic=StaffTraining.Topic.LATE_ARRIVALS,
                title="Att möta sent anlända elever",
                provider="Skaraborgs kommunalförbund",
                completed_on=after if rng.random() < 0.8 else before,
            )


NOTES = [
    (
        "needs",
        Theme.KNOWLEDGE,
        60,
        "Inledande skattning: vi följer upp betygen men inte elevernas progression före godkända betyg. "
        "Rektorerna efterfrågar en gemensam bild av var eleverna står i varje kurs.",
    ),
    (
        "needs",
        Theme.STUDY_PLAN,
        58,
        "De individuella studieplanerna anger sällan elevens mål på sikt och antalet timmar per vecka; "
        "vi vet inte om eleverna läser på heltid.",
    ),
    (
        "meeting",
        Theme.COMMUNICATION,
        30,
        "Utvecklingsmöte: mentorer och SYV vill ha tätare återkoppling från förvaltningen. Vi prövar en "
        "kort månadsrapport från effektkedjan till arbetslagen.",
    ),
    (
        "meeting",
        Theme.SELF_REVIEW,
        12,
        "Vi förklarade låg genomströmning med elevernas frånvaro. Efter genomgången ser vi att "
        "schemaläggningen ger för få timmar i språkintroduktionen – det är vårt ansvar.",
    ),
    (
        "meeting",
        Theme.GOVERNANCE,
        5,
        "Planen för utbildning version 2 kopplas till kedjan. Målen för hösten följs upp i december.",
    ),
]


def seed(*, rng, today: datetime.date, region, organiser, units, users, demo_student=None) -> dict:
    """Chains, notes and the data behind the organisational indicators."""
    baseline = _baseline_day(today)
    analyst, coordinator = users["organiser_analyst"], users["regional_coordinator"]
    current = Enrolment.objects.active_on(today).values("student_id")
    plans = list(Plan.objects.filter(student_id__in=current).order_by("pk"))
    skovde_plans = [p for p in plans if p.organiser_id == organiser.pk]
    # Before the baseline: a few plans with hours, a little guidance, a few staff trained.
    _hours(rng, plans, 0.35, users["mentor"])
    _guidance(rng, plans, users["counsellor"], baseline - datetime.timedelta(days=20), 0.2, "Val av nationellt program")
    _staff(rng, organiser, analyst, [u for u in units if u.organiser_id == organiser.pk], baseline, today)

    # The per-student facts of the baseline term as they stood that day (the background
    # job keeps them later), so the baselines of the follow-up indicators can be read.
    facts_refresh(term_of(baseline), today=baseline)

    # The region's chain.
    regional = services.chain_create(
        acting_user=coordinator,
        region=region,
        title="Skaraborg: fler unga fullföljer en gymnasieutbildning",
        description="Gemensam effektkedja för introduktionsprogrammen i Skaraborgs 15 kommuner.",
    )
    r_goal = services.node_create(
        acting_user=coordinator,
        chain=regional,
        level="desired_state",
        title="Fler elever går vidare till nationellt program inom två år",
        owner="Regionala rektorsnätverket",
        start_date=baseline,
        description="Utgångsläge: för få elever på IM går vidare inom två år.",
    )
    r_effect = services.node_create(
        acting_user=coordinator,
        chain=regional,
        level="student_effect",
        title="Eleverna når målen i sina studieplaner",
        owner="Rektorerna för IM",
        start_date=baseline,
        leads_to=[r_goal],
    )
    r_change = services.node_create(
        acting_user=coordinator,
        chain=regional,
        level="change",
        title="Språkutvecklande undervisning i alla ämnen",
        owner="Skolcheferna",
        start_date=baseline,
        leads_to=[r_effect],
    )
    services.node_create(
        acting_user=coordinator,
        chain=regional,
        level="activity",
        title="Regional fortbildning i språkutvecklande arbetssätt",
        owner="Skaraborgs kommunalförbund",
        start_date=baseline,
        end_date=today + datetime.timedelta(days=200),
        leads_to=[r_change],
    )
    for node, indicator in [
        (r_goal, "transfer_2y"),
        (r_effect, "plan_goals_met"),
        (r_change, "staff_language_developing"),
    ]:
        services.indicator_link(
            acting_user=coordinator, node=node, indicator=indicator, direction="higher", on=baseline
        )

    # Skövde's chain, under the version of its plan for education for IMS in force today.
    plan_version = (
        EducationPlan.objects.filter(organiser=organiser, programme__code="IMS", valid_from__lte=today)
        .order_by("-valid_from", "-version")
        .first()
    )
    chain = services.chain_create(
        acting_user=analyst,
        organiser=organiser,
        title="Skövde: språkintroduktion på heltid med en levande studieplan",
        description="Effektkedja för språkintroduktionen, kopplad till planen för utbildning och Skaraborgs kedja.",
        education_plan=plan_version,
        regional_chain=regional,
    )
    goal = services.node_create(
        acting_user=analyst,
        chain=chain,
        level="desired_state",
        title="Eleverna når sina mål i studieplanen och går vidare",
        owner="Skolchef",
        start_date=baseline,
        regional_node=r_goal,
    )
    effect_a = services.node_create(
        acting_user=analyst,
        chain=chain,
        level="student_effect",
        title="Eleverna studerar på heltid",
        owner="Rektor, Skövde gymnasium",
        start_date=baseline,
        leads_to=[goal],
        regional_node=r_effect,
    )
    effect_b = services.node_create(
        acting_user=analyst,
        chain=chain,
        level="student_effect",
        title="Alla elever får studie- och yrkesvägledning varje termin",
        owner="SYV-gruppen",
        start_date=baseline,
        leads_to=[goal],
    )
    change = services.node_create(
        acting_user=analyst,
        chain=chain,
        level="change",
        title="Lärarna arbetar språkutvecklande och möter sent anlända elever",
        owner="Rektorerna",
        start_date=baseline,
        leads_to=[effect_a],
        regional_node=r_change,
    )
    activity_a = services.node_create(
        acting_user=analyst,
        chain=chain,
        level="activity",
        title="Fortbildning för alla lärare och mentorer",
        owner="Utvecklingsledare",
        start_date=baseline,
        end_date=today + datetime.timedelta(days=120),
        leads_to=[change],
    )
    organising = services.node_create(
        acting_user=analyst,
        chain=chain,
        level="change",
        title="Schemat ger heltid och vägledningen planeras för alla",
        owner="Rektor och SYV-gruppen",
        start_date=baseline,
        leads_to=[effect_a, effect_b],
    )
    services.node_create(
        acting_user=analyst,
        chain=chain,
        level="activity",
        title="Gruppvägledning varje månad och timmar per vecka i varje studieplan",
        owner="SYV och schemaläggare",
        start_date=baseline,
        leads_to=[organising],
    )
    links = [
        (goal, "plan_goals_met", "higher", [("70", 120), ("80", 300)]),
        (effect_a, "full_time", "higher", [("92", 60), ("95", 240)]),
        (effect_b, "guidance_held", "higher", [("60", 30), ("90", 210)]),
        (change, "staff_language_developing", "higher", [("60", 45), ("100", 400)]),
        (change, "staff_late_arrivals", "higher", [("50", 45), ("80", 400)]),
        (activity_a, "plan_reviewed", "higher", [("80", 90)]),
    ]
    if available()["plan_before_enrolment"].missing is None:  # once plans begun before enrolment are recorded
        links.append((organising, "plan_before_enrolment", "higher", [("50", 200)]))
    made = []
    for node, indicator, direction, targets in links:
        link = services.indicator_link(
            acting_user=analyst, node=node, indicator=indicator, direction=direction, on=baseline
        )
        for value, days in targets:
            services.target_set(
                acting_user=analyst,
                link=link,
                checkpoint=today + datetime.timedelta(days=days),
                value=Decimal(value),
            )
        made.append(link)
    regional_targets = {
        "transfer_2y": ("30", "45"),
        "plan_goals_met": ("65", "80"),
        "staff_language_developing": ("40", "75"),
    }
    for link in IndicatorLink.objects.filter(node__chain=regional):
        first, last = regional_targets[link.indicator]
        for value, days in ((first, 90), (last, 400)):
            services.target_set(
                acting_user=coordinator,
                link=link,
                checkpoint=today + datetime.timedelta(days=days),
                value=Decimal(value),
            )

    # After the baseline: more hours planned, monthly group guidance.
    _hours(rng, plans, 0.8, users["mentor"])
    _guidance(
        rng, plans, users["counsellor"], today - datetime.timedelta(days=14), 0.65, "Gymnasiets nationella program"
    )
    # The demo student's plan shows individual guidance as well.
    if demo_student is not None and hasattr(demo_student, "plan"):
        guidance_record(
            acting_user=users["counsellor"],
            plans=[demo_student.plan],
            kind="individual",
            held_on=today - datetime.timedelta(days=9),
            topic="Val av nationellt program: Vård- och omsorgsprogrammet",
            notes="Eleven vill bli undersköterska. Vi gick igenom behörighetskraven och praktiken.",
        )
    for kind, theme, days, text in NOTES:
        services.note_create(
            acting_user=analyst,
            chain=chain,
            kind=kind,
            theme=theme,
            written_on=today - datetime.timedelta(days=days),
            text=text,
        )
    services.note_create(
        acting_user=coordinator,
        chain=regional,
        kind="meeting",
        theme=Theme.COMMUNICATION,
        written_on=today - datetime.timedelta(days=20),
        text="Nätverksträff: kommunerna delar sina effektkedjor. Flera saknar uppföljning av timmar per vecka.",
    )
    return {"chains": 2, "links": len(made) + 3, "plans_with_guidance": len(skovde_plans)}
