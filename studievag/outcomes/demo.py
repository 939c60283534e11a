"""The outcomes part of the demo: every leaver's exit, follow-ups in every state, hand-overs.

The demo builder has already ended the former students' enrolments with a
reason. Here each of those gets its recorded exit (with a long-term goal as
the plan stood), follow-ups 6 and 12 months after the last day — done,
reached or not, due now, upcoming, closed without an outcome, without
consent — and, for young people under 20 without a destination, a hand-over
to the home municipality in each of its states. A few leavers at the demo
counsellor's own school left about six months ago, so their interviews are
due now.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser
from studievag.plans.demo import JOBS, NATIONAL_PROGRAMMES

from . import rules
from .models import ContactAttempt, Exit, FollowUp, KaaReferral, KaaStatus, Occupation
from .services import compute_plan_result

DESTINATIONS = {
    "national_programme": ["Kavelbrogymnasiet", "Västerhöjdsgymnasiet", "Vasagymnasiet", "Katedralskolan"],
    "other_im": ["Norrmalmsgymnasiet IM", "De la Gardiegymnasiet IM"],
    "adult_education": ["Komvux Skövde", "Komvux Lidköping", "Vuxenutbildningen Falköping"],
    "work": ["ICA Kvantum", "Volvo Powertrain", "Arla Foods", "Skövde kommun, hemtjänsten", "PostNord"],
    "apprenticeship": ["Lärling hos Peab", "Lärling på Bilia"],
    "another_school": ["Yrkesgymnasiet Göteborg", "Ållebergsgymnasiet", "Gymnasium i Jönköping"],
    "moved_abroad": [""],
    "unknown": [""],
    "other": ["Folkhögskola", ""],
}
STUDIES = [
    ("Vård- och omsorgsprogrammet", "Kavelbrogymnasiet"),
    ("Svenska för invandrare", "Komvux Skövde"),
    ("Grundläggande matematik", "Komvux Lidköping"),
    ("Bygg- och anläggningsprogrammet", "Västerhöjdsgymnasiet"),
    ("Allmän kurs", "Hellidens folkhögskola"),
]
PROGRAMME_CODES = {name: code for code, name in rules.NATIONAL_PROGRAMMES.items()}
CHANNELS = ["phone", "phone", "phone", "text", "email", "letter"]
OUTCOMES = [
    (Occupation.STUDYING, 38),
    (Occupation.WORKING, 24),
    (Occupation.BOTH, 9),
    (Occupation.NEITHER, 11),
    (Occupation.NOT_REACHED, 18),
]


def _weighted(rng: random.Random, pairs):
    total = sum(w for _v, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def _goal(rng: random.Random, programme_code: str, reason: str) -> dict:
    if programme_code in ("IMY", "IMA") and rng.random() < 0.6:
        title, kind = f"Arbete som {rng.choice(JOBS)}", "job"
    else:
        title, kind = f"Behörighet till {rng.choice(NATIONAL_PROGRAMMES)}", "national_programme"
    met = reason == "national_programme" and rng.random() < 0.5
    return {
        "title": title,
        "kind": kind,
        "term": "long",
        "status": "met" if met else "in_progress",
        "target_date": None,
    }


def _follow_up(rng: random.Random, exit: Exit, months: int, today, counsellor, attempts: list) -> FollowUp:
    """One follow-up in the state its dates give it: done (reached or not), tried, or left."""
    due = rules.due_date(exit.exit_date, months)
    task = FollowUp(exit=exit, months=months, due_date=due)
    state = rules.task_state(due=due, today=today, has_outcome=False, consent=exit.consent_to_contact)
    if state in (rules.TaskState.CANCELLED, rules.TaskState.UPCOMING):
        return task
    if state in (rules.TaskState.OPEN, rules.TaskState.DUE) and rng.random() < 0.6:
        # Not done yet; sometimes a first try that did not reach.
        if rng.random() < 0.4:
            attempts.append((task, rules.opens_on(due) + datetime.timedelta(days=rng.randint(0, 10)), False))
        return task
    if state == rules.TaskState.MISSED and rng.random() < 0.2:
        return task  # the window closed without an outcome
    outcome = _weighted(rng, OUTCOMES)
    on = min(today, rules.closes_on(due), due + datetime.timedelta(days=rng.randint(-7, 20)))
    on = max(on, rules.opens_on(due))
    tries = rng.randint(2, 3) if outcome == Occupation.NOT_REACHED else rng.randint(0, 1)
    for k in range(tries):
        attempts.append((task, max(rules.opens_on(due), on - datetime.timedelta(days=3 * (tries - k))), False))
    if outcome != Occupation.NOT_REACHED:
        attempts.append((task, on, True))
    task.outcome, task.outcome_on = outcome, on
    if outcome in rules.STUDYING:
        task.study_what, task.study_where = rng.choice(STUDIES)
    if outcome in rules.WORKING:
        task.work_what = rng.choice(DESTINATIONS["work"])
    task.recorded_by = counsellor
    task.recorded_at = timezone.now()
    return task


def _referral(rng: random.Random, exit: Exit, today, users: dict) -> KaaReferral | None:
    """The hand-over of a young person under 20 without a destination, in one of its states."""
    if not rules.must_hand_to_kaa(
        date_of_birth=exit.student.date_of_birth,
        exit_date=exit.exit_date,
        reason=exit.reason,
        destination=exit.destination,
    ):
        return None
    sent = min(today, exit.exit_date + datetime.timedelta(days=rng.randint(0, 5)))
    status = _weighted(rng, [(KaaStatus.SENT, 25), (KaaStatus.RECEIVED, 30), (KaaStatus.IN_CONTACT, 45)])
    received = min(today, sent + datetime.timedelta(days=rng.randint(1, 10)))
    contact = min(today, received + datetime.timedelta(days=rng.randint(3, 30)))
    if (today - sent).days < 3:
        status = KaaStatus.SENT
    return KaaReferral(
        exit=exit,
        municipality=exit.home_municipality,
        required=True,
        status=status,
        sent_on=sent,
        received_on=received if status != KaaStatus.SENT else None,
        contact_on=contact if status == KaaStatus.IN_CONTACT else None,
        sent_by=users["counsellor"],
        updated_by=users.get("kaa_contact") if status != KaaStatus.SENT else None,
    )


def _exit_for(rng: random.Random, enrolment: Enrolment, counsellor, kaa_municipality: Organiser) -> Exit:
    """The recorded exit of an ended enrolment (an earlier code becomes the nearest of today's list)."""
    student, reason = enrolment.student, enrolment.exit_reason
    if reason not in Exit.REASONS:
        reason = {"moved": "another_school", "kaa": "unknown", "dropped_out": "unknown"}.get(reason, "other")
        enrolment.exit_reason = reason
    destination = rng.choice(DESTINATIONS[reason])
    goal = _goal(rng, enrolment.programme.code, reason)
    programme = ""
    if reason == "national_programme":
        named = goal["title"].removeprefix("Behörighet till ")
        programme = PROGRAMME_CODES.get(named, "") if rng.random() < 0.7 else ""
        programme = programme or rng.choice(sorted(rules.NATIONAL_PROGRAMMES))
    organiser = enrolment.school_unit.organiser
    consent = rng.random() < 0.82
    phone = f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    exit = Exit(
        enrolment=enrolment,
        student=student,
        exit_date=enrolment.end_date,
        reason=reason,
        national_programme=programme,
        destination=destination,
        home_municipality=organiser if organiser.kind == Organiser.Kind.MUNICIPAL else kaa_municipality,
        consent_to_contact=consent,
        contact_phone=phone if consent else "",
        goals_at_exit=[goal],
        recorded_by=counsellor,
    )
    exit.plan_result = compute_plan_result(exit)
    return exit


def seed(*, rng: random.Random, today: datetime.date | None, users: dict, main_unit, kaa_municipality: Organiser):
    """Exits for every ended enrolment that is the student's last; returns how many of each."""
    today = today or timezone.localdate()
    counsellor = users["counsellor"]
    ended = list(
        Enrolment.objects.filter(end_date__isnull=False)
        .exclude(student__enrolments__end_date__isnull=True)  # went on to another programme here
        .select_related("student", "programme", "school_unit__organiser")
        .order_by("pk")
    )
    # Six leavers at the demo counsellor's school left about six months ago: due now.
    at_main = [e for e in ended if e.school_unit_id == main_unit.pk]
    for n, enrolment in enumerate(at_main[:6]):
        last_day = rules.add_months(today, -6) + datetime.timedelta(days=n * 3 - 6)
        enrolment.end_date = max(last_day, enrolment.start_date)
    Enrolment.objects.bulk_update(at_main[:6], ["end_date"])

    follow_ups, attempts, referrals = [], [], []
    exits = [_exit_for(rng, enrolment, counsellor, kaa_municipality) for enrolment in ended]
    Enrolment.objects.bulk_update(ended, ["end_date", "exit_reason"])
    Exit.objects.bulk_create(exits)

    for exit in exits:
        outcomes_found = []
        for months in rules.FOLLOW_UP_MONTHS:
            task = _follow_up(rng, exit, months, today, counsellor, attempts)
            follow_ups.append(task)
            if task.outcome:
                outcomes_found.append(task.outcome)
        if outcomes_found:
            exit.plan_result = compute_plan_result(exit, tuple(outcomes_found))
        if referral := _referral(rng, exit, today, users):
            referrals.append(referral)
    FollowUp.objects.bulk_create(follow_ups)
    ContactAttempt.objects.bulk_create(
        ContactAttempt(
            follow_up=task,
            attempted_on=on,
            channel=rng.choice(CHANNELS),
            reached=reached,
            recorded_by=counsellor,
        )
        for task, on, reached in attempts
    )
    Exit.objects.bulk_update(exits, ["plan_result"])
    KaaReferral.objects.bulk_create(referrals)
    return {"exits": len(exits), "follow_ups": len(follow_ups), "attempts": len(attempts), "kaa": len(referrals)}
