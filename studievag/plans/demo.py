"""Demo plans: most current students have one; some late, some not reviewed for a month,
some approved and then changed; the demo student's plan is rich.

Called once from ``demo.services._Builder.build``. Plans are written through the
services, so every version has a revision like in real use; dates are set
back in time by passing ``at``.
"""

import datetime
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from studievag.access.models import Role, RoleAssignment
from studievag.catalogue.models import Course, CourseKind
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Programme
from studievag.support import services as support_services

from . import rules, services
from .models import GoalStatus, Plan, PlanProposal, PlanReview, PlanSeen, PlanSettings, ProposedGoal
from .rules import terms_from

NATIONAL_PROGRAMMES = [
    "Vård- och omsorgsprogrammet",
    "Bygg- och anläggningsprogrammet",
    "El- och energiprogrammet",
    "Fordons- och transportprogrammet",
    "Barn- och fritidsprogrammet",
    "Restaurang- och livsmedelsprogrammet",
    "Samhällsvetenskapsprogrammet",
    "Naturvetenskapsprogrammet",
    "Handels- och administrationsprogrammet",
    "Ekonomiprogrammet",
]
JOBS = [
    "undersköterska",
    "elektriker",
    "busschaufför",
    "kock",
    "lagerarbetare",
    "barnskötare",
    "fordonsmekaniker",
    "frisör",
]
STUDY_PATHS = {
    "IMS": "Svenska som andraspråk i fokus de första terminerna, sedan grundskoleämnen för "
    "behörighet. Studiehandledning på modersmålet.",
    "IMV": "Grundskoleämnen som saknas för behörighet, parallellt med gymnasiekurser från det nationella programmet.",
    "IMY": "Yrkesinriktad utbildning med praktik på arbetsplats, kombinerad med grundskoleämnen.",
    "IMA": "Individuellt upplägg: närvaro och grundskoleämnen först, sedan praktik eller yrkeskurser.",
}
TALKS = [
    ("Eleven trivs och kommer i tid. Vi gick igenom målen.", "Bra, men svenskan är svår.", "Fortsätt som planerat."),
    (
        "Frånvaron har ökat. Vi pratade om orsaker.",
        "Jag har svårt att sova.",
        "Kontakt med skolsköterskan. Ny avstämning om två veckor.",
    ),
    (
        "Matematiken går framåt. Eleven vill läsa engelska.",
        "Jag vill börja med engelska.",
        "Engelska läggs till i planen.",
    ),
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_plans(builder) -> None:
    """Plans for the demo data set; ``builder`` is ``demo.services._Builder``."""
    rng, today, users = builder.rng, builder.today, builder.users
    # The same code can exist under several school types (compulsory school, GR, here) and
    # as a course and a gy25 level; levels are keyed "level:CODE".
    courses = {
        (f"level:{c.code}" if c.kind == CourseKind.LEVEL else c.code): c
        for c in Course.objects.filter(
            school_type__in=["GR", "GY"],
            organiser=None,
            code__in=[
                "GRGRSVA01_7-9",
                "GRGRMAT01_7-9",
                "GRGRENG01_7-9",
                "GRGRSAM01_7-9",
                "SVASVA01",
                "MATMAT01a",
                "ENGENG05",
                "ENGENG01",
                "FODFOO0",
            ],
        )
    }
    main_organiser = builder.units[0].organiser
    PlanSettings.objects.create(organiser=main_organiser, review_interval_days=30, plan_deadline_weeks=4)
    truck = services.local_course_add(
        acting_user=users["principal"],
        organiser=main_organiser,
        code="TRUCK-AB",
        name="Truckkort A+B",
        subject_name="Truckkort",
    )
    for organiser in {u.organiser for u in builder.units}:
        for code in ("IMS", "IMV", "IMY", "IMA"):
            services.education_plan_publish(
                acting_user=users["principal"],
                organiser=organiser,
                programme=Programme.objects.get(code=code),
                title=f"Plan för utbildning {code} – {organiser.name}",
                body=_education_plan_text(code, organiser.name),
                valid_from=datetime.date(today.year - 1, 8, 1),
            )
    ims = Programme.objects.get(code="IMS")
    services.education_plan_publish(
        acting_user=users["principal"],
        organiser=main_organiser,
        programme=ims,
        title=f"Plan för utbildning IMS – {main_organiser.name}",
        body=_education_plan_text("IMS", main_organiser.name) + "\n\nÄndrat: studiehandledning "
        "på modersmålet erbjuds alla elever första året.",
        valid_from=datetime.date(today.year, 1, 1),
    )
    # The people who write plans, per school unit.
    writers: dict[int, dict[str, object]] = {}
    for a in RoleAssignment.objects.filter(role__in=[Role.MENTOR, Role.PRINCIPAL]).select_related("group", "user"):
        unit_id = a.group.school_unit_id if a.group_id else a.school_unit_id
        writers.setdefault(unit_id, {}).setdefault(a.role, a.user)

    reviews: list[PlanReview] = []
    current = (
        Enrolment.objects.active_on(today).select_related("student", "programme", "school_unit").order_by("student_id")
    )
    for enrolment in current:
        student = enrolment.student
        if student == builder.demo_student:
            continue
        days_in = (today - enrolment.start_date).days
        if days_in < 10 or rng.random() < 0.12:
            continue  # no plan yet: late if started more than four weeks ago
        people = writers.get(enrolment.school_unit_id, {})
        mentor = people.get(Role.MENTOR) or users["mentor"]
        principal = people.get(Role.PRINCIPAL) or users["principal"]
        reviews += _ordinary_plan(rng, today, enrolment, mentor, principal, courses)
    PlanReview.objects.bulk_create(reviews)
    _demo_student_plan(builder, courses, truck)


def mentor_worklist_mix(builder, today: datetime.date) -> None:
    """The demo mentor's start page shows every kind of work: chance gives late plans,
    talks due and unapproved or changed plans; two mentees are made up to date (a talk
    this week, the current version approved) so the list also shows plans in order,
    and one has a talk overdue whatever chance gave.
    Called last by the demo builder, after every other area has changed plans."""
    mentor, principal = builder.users["mentor"], builder.users["principal"]
    groups = RoleAssignment.objects.filter(user=mentor, role=Role.MENTOR).values("group_id")
    plans = (
        Plan.objects.filter(student__memberships__group_id__in=groups)
        .exclude(student=builder.demo_student)
        .exclude(approved_version__isnull=False, approved_version__lt=F("version"))  # keep the changed ones
        .distinct()
        .order_by("student_id")
    )
    chosen = list(plans[:3])
    if len(chosen) == 3:
        # One plan talk overdue whatever chance gave: its last talk, or lacking one its
        # creation, two weeks past the organiser's interval.
        plan = chosen.pop()
        settings = PlanSettings.objects.filter(organiser__school_units__enrolments__student=plan.student).first()
        interval = settings.review_interval_days if settings else rules.DEFAULT_REVIEW_INTERVAL_DAYS
        long_ago = today - datetime.timedelta(days=interval + 14)
        plan.reviews.filter(held_on__gt=long_ago).update(held_on=long_ago)
        moment = timezone.make_aware(datetime.datetime.combine(long_ago, datetime.time(10)))
        Plan.objects.filter(pk=plan.pk, created_at__gt=moment).update(created_at=moment)
    for plan in chosen:
        services.plan_review_record(
            acting_user=mentor,
            plan=plan,
            held_on=today - datetime.timedelta(days=3),
            participants="Mentor, eleven",
            notes="Vi gick igenom målen och kurserna; allt går enligt planen.",
        )
        services.plan_approve(
            acting_user=principal, plan=plan, version=plan.version, on=today - datetime.timedelta(days=2)
        )


def _goals(rng, programme_code: str, start: datetime.date) -> list[dict]:
    national = rng.choice(NATIONAL_PROGRAMMES)
    long_goal = (
        {"term": "long", "kind": "job", "title": f"Arbete som {rng.choice(JOBS)}"}
        if programme_code in ("IMY", "IMA") and rng.random() < 0.6
        else {"term": "long", "kind": "national_programme", "title": f"Behörighet till {national}"}
    )
    long_goal["target_date"] = start + datetime.timedelta(days=rng.choice([540, 720]))
    short = {
        "term": "short",
        "kind": "course" if programme_code != "IMS" else "language",
        "title": rng.choice(
            ["Godkänt i svenska som andraspråk", "Godkänt i matematik", "Godkänt i engelska", "Närvaro över 90 procent"]
        ),
        "target_date": start + datetime.timedelta(days=rng.choice([90, 120, 150])),
        "status": GoalStatus.IN_PROGRESS,
    }
    return [long_goal, short]


def _ordinary_plan(rng, today, enrolment, mentor, principal, courses) -> list[PlanReview]:
    """One plan with its versions; returns its plan talks, for one bulk insert."""
    start = enrolment.start_date
    created = min(today, start + datetime.timedelta(days=rng.randint(7, 40)))
    code = enrolment.programme.code
    chosen = ["GRGRSVA01_7-9", "GRGRMAT01_7-9"] + (["GRGRENG01_7-9"] if rng.random() < 0.6 else [])
    if code in ("IMV", "IMY") and rng.random() < 0.5:
        # Upper-secondary studies: courses for those who started before gy25, levels after.
        if rules.grading_for(start, on=today) == "levels":
            chosen.append("level:ENGENG01" if code == "IMY" else "level:SVASVA01")
        else:
            chosen.append("FODFOO0" if code == "IMY" else "SVASVA01")
    plan = services.plan_create(
        acting_user=mentor,
        student=enrolment.student,
        reason="Planen upprättad vid första plansamtalet",
        fields={
            "study_path": STUDY_PATHS.get(code, ""),
            "planned_start": start,
            "planned_end": start + datetime.timedelta(days=rng.choice([300, 480, 660])),
            "participants": "Mentor, studie- och yrkesvägledare, eleven",
        },
        goals=_goals(rng, code, start),
        courses=[{"course": courses[c], "status": "ongoing"} for c in chosen if c in courses],
        at=_at(created),
    )
    # Plan talks every month or so; for about a fifth they stopped more than a month ago.
    stop = today if rng.random() > 0.2 else today - datetime.timedelta(days=rng.randint(35, 70))
    day = created + datetime.timedelta(days=rng.randint(20, 32))
    talks: list[PlanReview] = []
    while day <= stop:
        notes, view, decisions = rng.choice(TALKS)
        talks.append(
            PlanReview(
                plan=plan,
                held_on=day,
                participants="Mentor, eleven",
                notes=notes,
                student_view=view,
                decisions=decisions,
                plan_version=plan.version,
                recorded_by=mentor,
                recorded_at=_at(day, 14),
            )
        )
        if len(talks) == 2 and rng.random() < 0.8:
            goals = list(plan.goals.order_by("pk"))
            rows = [
                {
                    "id": g.pk,
                    "term": g.term,
                    "kind": g.kind,
                    "title": g.title,
                    "target_date": g.target_date,
                    "status": g.status,
                }
                for g in goals
            ]
            rows[-1]["status"] = GoalStatus.MET if rng.random() < 0.75 else GoalStatus.IN_PROGRESS
            services.plan_revise(
                acting_user=mentor,
                plan=plan,
                expected_version=plan.version,
                reason="Plansamtal: delmål följt upp",
                goals=rows,
                at=_at(day, 15),
            )
            plan.refresh_from_db()
        day += datetime.timedelta(days=rng.randint(25, 35))
    if rng.random() < 0.5 and plan.created_on < today:
        # Approved a few days after the latest version was saved.
        last_saved = timezone.localdate(plan.updated_at)
        approved_on = min(today, last_saved + datetime.timedelta(days=rng.randint(2, 10)))
        services.plan_approve(acting_user=principal, plan=plan, version=plan.version, on=approved_on)
        if rng.random() < 0.3 and approved_on < today:
            services.plan_revise(
                acting_user=mentor,
                plan=plan,
                expected_version=plan.version,
                reason="Praktikplats ordnad",
                internships=[
                    {
                        "workplace": "Coop Kungsgatan",
                        "start_date": today + datetime.timedelta(days=14),
                        "end_date": today + datetime.timedelta(days=56),
                        "supervisor": "Butikschef",
                    }
                ],
                at=_at(min(today, approved_on + datetime.timedelta(days=5)), 11),
            )
    return talks


def _demo_student_plan(builder, courses, truck) -> None:
    """The demo student's plan: goals, courses, internship, talks, approved and then changed."""
    today, users = builder.today, builder.users
    student = builder.demo_student
    enrolment = student.enrolments.order_by("-start_date").first()
    start = enrolment.start_date
    created = min(today - datetime.timedelta(days=60), start + datetime.timedelta(days=14))
    mentor, counsellor, principal = users["mentor"], users["counsellor"], users["principal"]
    plan = services.plan_create(
        acting_user=mentor,
        student=student,
        reason="Planen upprättad vid första plansamtalet",
        fields={
            "study_path": "Språkintroduktion med svenska som andraspråk i fokus. Grundskolans "
            "matematik och engelska för behörighet, sedan Vård- och omsorgsprogrammet.",
            "planned_start": start,
            "planned_end": start + datetime.timedelta(days=660),
            "participants": "Mentor Maria Lindqvist, SYV Nadia Holm, specialpedagog, eleven och "
            "vårdnadshavare (med tolk)",
            "student_voice": "Jag vill bli undersköterska och sedan kanske sjuksköterska. "
            "Jag vill lära mig svenska snabbt.",
            "other_measures": "Studiehandledning på arabiska två timmar i veckan.",
        },
        goals=[
            {
                "term": "long",
                "kind": "national_programme",
                "title": "Behörighet till Vård- och omsorgsprogrammet",
                "target_date": start + datetime.timedelta(days=660),
                "status": GoalStatus.IN_PROGRESS,
            },
            {
                "term": "long",
                "kind": "job",
                "title": "Arbete som undersköterska",
                "target_date": start + datetime.timedelta(days=365 * 4),
                "status": GoalStatus.PLANNED,
            },
            {
                "term": "short",
                "kind": "language",
                "title": "Klara svenska som andraspråk, årskurs 7–9",
                "target_date": start + datetime.timedelta(days=300),
                "status": GoalStatus.IN_PROGRESS,
            },
        ],
        courses=[
            # Hours a week, so the plan shows full-time study (23 h with English added below).
            {
                "course": courses["GRGRSVA01_7-9"],
                "term": terms_from(start)[2],
                "status": "ongoing",
                "weekly_hours": Decimal("12"),
            },
            {
                "course": courses["GRGRMAT01_7-9"],
                "term": terms_from(start)[2],
                "status": "ongoing",
                "weekly_hours": Decimal("6"),
            },
        ],
        at=_at(created),
    )
    PlanReview.objects.create(
        plan=plan,
        held_on=created + datetime.timedelta(days=28),
        participants="Mentor, eleven",
        notes="Eleven har kommit igång bra. Matematiken går fort framåt.",
        student_view="Jag vill börja med engelska också.",
        decisions="Engelska läggs till i planen.",
        plan_version=1,
        recorded_by=mentor,
        recorded_at=_at(created + datetime.timedelta(days=28), 14),
    )
    goals = list(plan.goals.order_by("pk"))
    goal_rows = [
        {"id": g.pk, "term": g.term, "kind": g.kind, "title": g.title, "target_date": g.target_date, "status": g.status}
        for g in goals
    ]
    services.plan_revise(
        acting_user=counsellor,
        plan=plan,
        expected_version=1,
        reason="Vägledningssamtal: engelska och kort mål i matematik",
        goals=goal_rows
        + [
            {
                "term": "short",
                "kind": "course",
                "title": "Godkänt i matematik, årskurs 9",
                "target_date": created + datetime.timedelta(days=35),
                "status": GoalStatus.IN_PROGRESS,
            }
        ],
        courses=[
            {"id": c.pk, "course": c.course, "term": c.term, "status": c.status, "weekly_hours": c.weekly_hours}
            for c in plan.courses.select_related("course")
        ]
        + [
            {
                "course": courses["GRGRENG01_7-9"],
                "term": terms_from(start)[2],
                "status": "ongoing",
                "weekly_hours": Decimal("5"),
            }
        ],
        at=_at(created + datetime.timedelta(days=29)),
    )
    plan.refresh_from_db()
    services.plan_approve(acting_user=principal, plan=plan, version=2, on=created + datetime.timedelta(days=33))
    last_talk = today - datetime.timedelta(days=9)
    PlanReview.objects.create(
        plan=plan,
        held_on=last_talk,
        participants="Mentor, eleven, vårdnadshavare (tolk på arabiska)",
        notes="Svenskan går framåt. Praktik inom vården har ordnats.",
        student_view="Jag ser fram emot praktiken.",
        decisions="Praktik på Vårdcentralen Norr. Hygienkurs läggs till.",
        plan_version=2,
        recorded_by=mentor,
        recorded_at=_at(last_talk, 14),
    )
    plan.refresh_from_db()
    services.plan_revise(
        acting_user=mentor,
        plan=plan,
        expected_version=2,
        reason="Plansamtal: praktik ordnad",
        fields={"other_training": "Hygienkurs för vård och omsorg (1 dag)"},
        internships=[
            {
                "workplace": "Vårdcentralen Norr",
                "start_date": today + datetime.timedelta(days=21),
                "end_date": today + datetime.timedelta(days=49),
                "supervisor": "Leila Persson, undersköterska",
                "tasks": "Följa med i det dagliga arbetet, bemötande av patienter",
            }
        ],
        at=_at(last_talk, 15),
    )
    plan.refresh_from_db()
    support_services.support_needs_record(
        acting_user=users["student_health"],
        student=plan.student,
        text="Extra tid vid prov. Uppläst material i matematik. Lugn plats vid skriftliga uppgifter.",
        reason="Elevhälsoteamets möte",
    )
    _family_readers(plan, created, today)
    assert plan.version == 3 and truck.pk


def _family_readers(plan, created: datetime.date, today: datetime.date) -> None:
    """The student and the guardian last opened the plan at version 1, so their plan page
    shows what changed since, with the reasons; the student has written a proposal in
    Arabic for the next plan talk, which the mentor finds in the plan talk form."""
    student = plan.student
    readers = [student.user] + [
        link.guardian.user for link in student.guardian_links.select_related("guardian__user") if link.guardian.user_id
    ]
    for user in readers:
        PlanSeen.objects.create(plan=plan, user=user, version=1, seen_at=_at(created + datetime.timedelta(days=3), 18))
    proposal = PlanProposal.objects.create(
        plan=plan,
        written_by=student.user,
        written_at=_at(today - datetime.timedelta(days=2), 19),
        language="ar",
        own_words="أريد أن أبدأ بمقرر Engelska 5 في الربيع. الرياضيات تسير بشكل جيد، "
        "والتدريب في Vårdcentralen Norr يهمني كثيرًا.",
    )
    ProposedGoal.objects.create(proposal=proposal, title="Engelska 5 till våren", term="short")
    ProposedGoal.objects.create(proposal=proposal, title="رخصة قيادة (körkort B)", term="long")


def _education_plan_text(code: str, organiser: str) -> str:
    return (
        f"{organiser}s plan för utbildning inom {code}.\n\n"
        "1. Syfte: utbildningen ska ge eleven behörighet till ett nationellt program, "
        "förbereda för arbete eller annan utbildning.\n"
        "2. Upplägg: varje elev har en individuell studieplan som upprättas inom fyra veckor "
        "och följs upp vid plansamtal varje månad.\n"
        "3. Studiehandledning på modersmålet och språkstöd ges efter behov.\n"
        "4. Praktik och yrkesinriktade inslag planeras tillsammans med studie- och yrkesvägledaren.\n"
        "5. Uppföljning: huvudmannen följer upp andel elever med plan i tid och plan uppföljd "
        "senaste månaden."
    )
