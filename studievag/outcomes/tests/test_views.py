"""The pages: what each shows, what a denied write leaves behind, and what is logged."""

import datetime

import pytest
from django.urls import reverse

from studievag.audit.models import RecordRead
from studievag.enrolments.models import Enrolment
from studievag.outcomes.models import ContactAttempt, Exit, FollowUp, KaaReferral
from studievag.outcomes.permissions import KAA_REFERRAL, OUTCOMES
from studievag.outcomes.rules import add_months
from studievag.outcomes.services import exit_record
from studievag.outcomes.tests.routes import adam_left, exit_data
from studievag.testing import assign, make_organiser, make_student, make_unit, make_user


def _state(cast):
    return (
        list(Enrolment.objects.order_by("pk").values_list("end_date", "exit_reason")),
        Exit.objects.count(),
        FollowUp.objects.filter(outcome="").count(),
        ContactAttempt.objects.count(),
        list(KaaReferral.objects.values_list("status", flat=True)),
    )


@pytest.mark.parametrize(
    "role", ["mentor", "teacher", "student_health", "mentor_other_school", "kaa_contact", "guardian"]
)
def test_a_denied_exit_leaves_the_database_unchanged(cast, client, role):
    before = _state(cast)
    client.force_login(cast.by_role()[role])
    response = client.post(reverse("outcomes:exit_create", kwargs={"pk": cast.alice.pk}), exit_data(cast))
    assert response.status_code in (403, 404)
    assert _state(cast) == before


def test_the_counsellor_records_an_exit_and_sees_the_follow_ups(cast, client, today):
    client.force_login(cast.counsellor_a)
    response = client.post(reverse("outcomes:exit_create", kwargs={"pk": cast.alice.pk}), exit_data(cast))
    assert response.status_code == 302
    exit = Exit.objects.get(student=cast.alice)
    assert (exit.reason, exit.national_programme, exit.recorded_by) == ("national_programme", "VO", cast.counsellor_a)

    page = client.get(reverse("outcomes:student_outcomes", kwargs={"pk": cast.alice.pk}))
    assert [f.due_date for f in page.context["follow_ups"]] == [add_months(today, 6), add_months(today, 12)]
    # The plan can go with her to the receiving school (she has none yet: nothing offered).
    assert page.context["offer_export"] is False


def test_an_invalid_exit_shows_the_form_again_and_changes_nothing(cast, client):
    client.force_login(cast.counsellor_a)
    before = _state(cast)
    data = exit_data(cast) | {"national_programme": ""}
    response = client.post(reverse("outcomes:exit_create", kwargs={"pk": cast.alice.pk}), data)
    assert response.status_code == 200
    assert "national_programme" in response.context["form"].errors
    assert _state(cast) == before


def test_the_exit_page_offers_the_plan_export_when_there_is_a_receiving_school(cast, client):
    from studievag.plans.services import plan_create

    plan_create(acting_user=cast.mentor_a, student=cast.alice, reason="Plan", fields={}, goals=[])
    client.force_login(cast.counsellor_a)
    client.post(reverse("outcomes:exit_create", kwargs={"pk": cast.alice.pk}), exit_data(cast))
    page = client.get(reverse("outcomes:student_outcomes", kwargs={"pk": cast.alice.pk}))
    assert page.context["offer_export"] is True
    assert reverse("plans:export_json", kwargs={"pk": cast.alice.pk}) in page.content.decode()
    # The counsellor may still export the former student's plan.
    assert client.get(reverse("plans:export_json", kwargs={"pk": cast.alice.pk})).status_code == 200


def test_every_student_page_read_is_logged(cast, client):
    adam_left(cast)
    client.force_login(cast.counsellor_a)
    RecordRead.objects.all().delete()
    client.get(reverse("outcomes:student_outcomes", kwargs={"pk": cast.adam.pk}))
    assert set(RecordRead.objects.filter(student=cast.adam).values_list("part", flat=True)) == {"record", OUTCOMES}

    RecordRead.objects.all().delete()
    client.get(reverse("outcomes:follow_up_list"))
    assert list(RecordRead.objects.values_list("student", "part", "roles")) == [(cast.adam.pk, OUTCOMES, "counsellor")]


def test_the_task_list_shows_a_due_task_and_hides_one_not_yet_open(cast, client, today):
    adam_left(cast)  # left six months and a day ago: due
    exit_record(
        acting_user=cast.counsellor_a,
        enrolment=cast.alice.enrolments.get(),
        exit_date=today,
        reason="work",
        destination="ICA",
        home_municipality=cast.organiser_a,
        consent_to_contact=True,
    )
    client.force_login(cast.counsellor_a)
    tasks = client.get(reverse("outcomes:follow_up_list")).context["tasks"]
    assert [(t.exit.student, t.months) for t in tasks.due] == [(cast.adam, 6)]
    assert tasks.upcoming == [] and tasks.missed == []


def test_the_task_list_stays_within_its_query_budget(cast, client, django_assert_num_queries):
    adam_left(cast)
    for i in range(3):
        s = make_student(cast.unit_a, start=datetime.date.today() - datetime.timedelta(days=400))
        exit_record(
            acting_user=cast.counsellor_a,
            enrolment=s.enrolments.get(),
            exit_date=add_months(datetime.date.today(), -6),
            reason="work",
            destination=f"Jobb {i}",
            home_municipality=cast.organiser_a,
            consent_to_contact=True,
        )
    client.force_login(cast.counsellor_a)
    client.get(reverse("outcomes:follow_up_list"))  # warm the session
    # session, user, grants (the assignments carrying the own student and guardian ids), the follow-ups with
    # their exits, students and units, their attempts, and one insert of the read-log rows
    # (with its savepoint and release); the menu flags read the cached grants; no student is
    # protected, so no label query. The same with four tasks as with one.
    with django_assert_num_queries(8):
        response = client.get(reverse("outcomes:follow_up_list"))
    assert len(response.context["tasks"].due) == 4


# --- The municipality's contact ------------------------------------------------------------


def test_the_kaa_contact_sees_only_hand_overs_to_their_municipality_with_only_what_is_needed(cast, client):
    adam_left(cast)  # handed to Kommun A
    other = make_organiser("Kommun C")
    unit_c = make_unit(other)
    elsewhere = make_student(unit_c, age=17, start=datetime.date.today() - datetime.timedelta(days=300))
    exit_record(
        acting_user=cast.counsellor_a,
        enrolment=elsewhere.enrolments.get(),
        exit_date=datetime.date.today() - datetime.timedelta(days=10),
        reason="unknown",
        home_municipality=other,
    )
    client.force_login(cast.kaa_contact)
    RecordRead.objects.all().delete()
    response = client.get(reverse("outcomes:kaa_inbox"))
    assert [r.exit.student for r in response.context["referrals"]] == [cast.adam]
    text = response.content.decode()
    assert "Adam Abdi" in text and "070-000 00 00" in text
    assert elsewhere.last_name not in text or elsewhere.first_name not in text
    # Never the record: no plan, no support needs, no link to the student's pages.
    assert reverse("people:student_detail", kwargs={"pk": cast.adam.pk}) not in text
    assert list(RecordRead.objects.values_list("student", "part", "roles")) == [
        (cast.adam.pk, KAA_REFERRAL, "kaa_contact")
    ]
    # The student's record itself stays closed to them.
    assert client.get(reverse("people:student_detail", kwargs={"pk": cast.adam.pk})).status_code in (403, 404)


def test_a_kaa_contact_of_another_municipality_cannot_move_the_hand_over(cast, client, today):
    kwargs = {"pk": KaaReferral.objects.get(exit__student=cast.adam).pk} if adam_left(cast) else {}
    other = make_user()
    assign(other, "kaa_contact", organiser=cast.organiser_b)
    client.force_login(other)
    response = client.post(reverse("outcomes:kaa_status", kwargs=kwargs), {"status": "received", "on": today})
    assert response.status_code == 404
    assert KaaReferral.objects.get().status == "sent"

    client.force_login(cast.kaa_contact)
    client.post(reverse("outcomes:kaa_status", kwargs=kwargs), {"status": "received", "on": today})
    assert KaaReferral.objects.get().status == "received"


def test_the_record_shows_the_exit_and_logs_that_read(cast, client):
    adam_left(cast)
    client.force_login(cast.counsellor_a)
    RecordRead.objects.all().delete()
    response = client.get(reverse("people:student_detail", kwargs={"pk": cast.adam.pk}))
    assert "Exit and follow-up" in response.content.decode() or "Avgång och uppföljning" in response.content.decode()
    assert RecordRead.objects.filter(student=cast.adam, part=OUTCOMES, roles="counsellor").count() == 1


def test_the_start_pages_count_of_follow_ups_to_do_is_the_task_lists(cast, today):
    """The start page counts in the database what the task list sorts in Python: the same
    number for every day around the windows, with and without consent and outcome."""
    from studievag.outcomes.selectors import follow_up_tasks, follow_ups_due_count

    adam_left(cast)
    for i, (consent, outcome) in enumerate([(True, ""), (True, ""), (False, ""), (True, "work"), (True, "")]):
        s = make_student(cast.unit_a, start=today - datetime.timedelta(days=400))
        exit_record(
            acting_user=cast.counsellor_a,
            enrolment=s.enrolments.get(),
            exit_date=today - datetime.timedelta(days=170 + 9 * i),
            reason="work",
            destination="ICA",
            home_municipality=cast.organiser_a,
            consent_to_contact=consent,
        )
        if outcome:
            FollowUp.objects.filter(exit__student=s, months=6).update(outcome=outcome, outcome_on=today)
    seen = set()
    for user in (cast.counsellor_a, cast.principal_a, cast.mentor_a, cast.analyst):
        for offset in range(-80, 420, 4):
            day = today + datetime.timedelta(days=offset)
            user.__dict__.pop("_studievag_grants", None)
            expected = len(follow_up_tasks(user, day).due)
            assert follow_ups_due_count(user, day) == expected, (user.username, offset)
            seen.add(expected)
    assert max(seen) >= 2 and 0 in seen
