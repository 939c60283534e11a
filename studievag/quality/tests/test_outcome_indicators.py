"""The outcome indicators against leavers counted by hand.

Eleven of the twelve students of ``world`` leave on 1 October 2025 (HT 2025,
the term of exit); ten with an exit recorded in Studieväg, one (an earlier
record) with only a reason. Their 6-month follow-ups fall due on 1 April 2026
(window closes 1 May), the 12-month ones on 1 October 2026 (closes 31 October).
"""

import datetime

import pytest

from studievag.outcomes.services import exit_record, follow_up_attempt, follow_up_outcome
from studievag.plans.services import plan_create
from studievag.quality.selectors import ReportRequest, report_cells, run_report
from studievag.quality.suppression import SUPPRESSED, Thresholds
from studievag.quality.tests.test_indicators import HT2025, world  # noqa: F401 (fixture)
from studievag.testing import make_user

D = datetime.date
LEFT = D(2025, 10, 1)
SIX = D(2026, 4, 1)
TWELVE = D(2026, 10, 1)
LATE = D(2026, 11, 15)  # both windows closed

# (reason, consent, 6-month outcome or None, destination)
LEAVERS = [
    ("national_programme", True, "studying", "Vård- och omsorgsprogrammet, Kavelbro"),
    ("work", True, "working", "ICA"),
    ("work", True, "both", "Lager"),
    ("unknown", True, "not_reached", ""),
    ("unknown", True, None, ""),
    ("unknown", False, None, ""),
    ("adult_education", True, "neither", "Komvux"),
    ("other_im", True, "studying", "Skola B"),
    ("national_programme", True, "not_reached", "Skola C"),
    ("national_programme", True, "studying", "Skola D"),
]


@pytest.fixture
def leavers(world):  # noqa: F811
    staff = make_user()
    organiser = world.unit.organiser
    exits = []
    for student, (reason, consent, six, destination) in zip(world.s, LEAVERS, strict=False):
        exits.append(
            exit_record(
                acting_user=staff,
                enrolment=student.enrolments.get(),
                exit_date=LEFT,
                reason=reason,
                national_programme="VO" if reason == "national_programme" else "",
                destination=destination,
                home_municipality=organiser,
                consent_to_contact=consent,
                today=LEFT,
            )
        )
        task = exits[-1].follow_ups.get(months=6)
        if six == "not_reached":
            follow_up_attempt(
                acting_user=staff, follow_up=task, attempted_on=SIX, channel="phone", reached=False, today=LATE
            )
        if six:
            follow_up_outcome(
                acting_user=staff,
                follow_up=task,
                outcome=six,
                outcome_on=SIX,
                channel="phone",
                study_what="Kurs",
                study_where="Skola",
                work_what="Jobb",
                today=LATE,
            )
    follow_up_outcome(
        acting_user=staff,
        follow_up=exits[0].follow_ups.get(months=12),
        outcome="working",
        outcome_on=TWELVE,
        channel="text",
        work_what="Undersköterska",
        today=LATE,
    )
    # An earlier record: ended with "dropped out", no exit recorded here.
    world.s[10].enrolments.update(end_date=LEFT, exit_reason="dropped_out")
    return exits


def _cells(world, today, dims=()):  # noqa: F811
    return report_cells(
        ReportRequest(period=HT2025, unit_ids=[world.unit.pk], thresholds=Thresholds(), dims=dims, today=today)
    )


def _total(data, indicator_id):
    return data.get(indicator_id, {}).get(("__total__", "__total__"), {})


def test_exits_by_reason_count_every_leaver_of_the_term(world, leavers):  # noqa: F811
    data = _cells(world, LATE)
    assert _total(data, "exit_national_programme") == {"num": 3, "den": 11}
    assert _total(data, "exit_work") == {"num": 2, "den": 11}
    assert _total(data, "exit_unknown") == {"num": 4, "den": 11}  # three unknown, one earlier "dropped out"
    assert _total(data, "exit_adult_education") == {"num": 1, "den": 11}
    assert _total(data, "exit_other_im") == {"num": 1, "den": 11}
    assert _total(data, "exit_moved_abroad") == {"num": 0, "den": 11}


def test_destinations_at_6_months_add_up_and_count_the_not_reached(world, leavers):  # noqa: F811
    data = _cells(world, LATE)
    expected = {
        "studying": 3,
        "working": 1,
        "both": 1,
        "neither": 1,
        "not_reached": 2,
        "no_consent": 1,
        "not_followed_up": 1,
    }
    for category, n in expected.items():
        assert _total(data, f"dest6_{category}") == {"num": n, "den": 10}, category
    assert sum(expected.values()) == 10


def test_destinations_at_12_months(world, leavers):  # noqa: F811
    data = _cells(world, LATE)
    assert _total(data, "dest12_working") == {"num": 1, "den": 10}
    assert _total(data, "dest12_no_consent") == {"num": 1, "den": 10}
    assert _total(data, "dest12_not_followed_up") == {"num": 8, "den": 10}
    assert _total(data, "dest12_not_reached") == {"num": 0, "den": 10}


def test_a_follow_up_still_open_is_not_yet_counted(world, leavers):  # noqa: F811
    # On 15 April 2026 the 6-month window is open: only those with an outcome are counted.
    data = _cells(world, D(2026, 4, 15))
    assert _total(data, "dest6_studying") == {"num": 3, "den": 8}
    assert _total(data, "dest6_not_followed_up") == {"num": 0, "den": 8}
    assert _total(data, "dest12_studying") == {"num": 0, "den": 0}


def test_hand_overs_to_the_activity_responsibility(world, leavers):  # noqa: F811
    data = _cells(world, LATE)
    assert _total(data, "kaa_handed") == {"num": 3, "den": 11}
    assert _total(data, "kaa_in_contact") == {"num": 0, "den": 3}


def test_the_outcome_against_the_plan(world):  # noqa: F811
    staff = make_user()
    for student, reason in ((world.s[0], "national_programme"), (world.s[1], "work")):
        plan_create(
            acting_user=staff,
            student=student,
            reason="Plan",
            fields={},
            goals=[
                {"term": "long", "kind": "national_programme", "title": "Behörighet till Vård- och omsorgsprogrammet"}
            ],
        )
        exit_record(
            acting_user=staff,
            enrolment=student.enrolments.get(),
            exit_date=LEFT,
            reason=reason,
            national_programme="VO" if reason == "national_programme" else "",
            destination="Någonstans",
            home_municipality=world.unit.organiser,
            today=LEFT,
        )
    world.s[2].enrolments.update(end_date=LEFT, exit_reason="work")  # no exit recorded: not in the base
    assert _total(_cells(world, LATE), "plan_goal_reached") == {"num": 1, "den": 2}


def test_small_bases_are_hidden_in_the_report(world, leavers):  # noqa: F811
    tables = run_report(
        ReportRequest(
            period=HT2025,
            unit_ids=[world.unit.pk],
            thresholds=Thresholds(),
            dims=("gender",),
            indicator_ids=("dest6_studying", "kaa_in_contact"),
            today=LATE,
        )
    )
    # Ten leavers: the total is shown; each gender has five, under the base of ten: hidden.
    table = tables["dest6_studying"]
    assert table.total.text == "30"
    assert [f.text for f in table.row_margin[:2]] == [SUPPRESSED, SUPPRESSED]  # female, male
    assert tables["kaa_in_contact"].total.text == SUPPRESSED  # rests on three
