"""The family plan page: what changed since the reader last looked, the student's proposals,
texts for the student and for the guardian, dates in the reader's language."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from studievag.plans import services
from studievag.plans.models import PlanProposal, PlanRevision, PlanSeen, ProposalStatus

pytestmark = pytest.mark.django_db


def _revise(plan, reason="Plansamtal", **fields):
    return services.plan_revise(
        acting_user=plan.student.plan.revisions.first().author,
        plan=plan,
        expected_version=plan.version,
        reason=reason,
        fields=fields,
    )


def _page(client, cast, user):
    client.force_login(user)
    return client.get(reverse("plans:family_plan", kwargs={"pk": cast.alice.pk})).content.decode()


# --- Since they last looked -----------------------------------------------------------


def test_first_visit_records_the_version_and_shows_no_changes(client, cast, alice_plan):
    page = _page(client, cast, cast.alice.user)
    assert 'id="changes"' not in page
    seen = PlanSeen.objects.get(plan=alice_plan, user=cast.alice.user)
    assert (seen.version, seen.shown_from) == (1, None)


def test_the_student_sees_what_changed_since_they_last_looked_with_the_reason(client, cast, alice_plan):
    _page(client, cast, cast.alice.user)
    _revise(alice_plan, reason="Plansamtal: engelska tillagd", study_path="Engelska först, sedan vård.")
    page = _page(client, cast, cast.alice.user)
    assert 'id="changes"' in page
    assert "Plansamtal: engelska tillagd" in page
    assert "Engelska först, sedan vård." in page  # the new study path, beside the old one
    assert "Svenska som andraspråk först, sedan yrkeskurser." in page
    assert "Before" in page and "Now" in page
    seen = PlanSeen.objects.get(plan=alice_plan, user=cast.alice.user)
    assert (seen.version, seen.shown_from) == (2, 1)
    # Opening the page again goes on showing the same changes until the plan changes again.
    assert 'id="changes"' in _page(client, cast, cast.alice.user)


def test_each_reader_has_their_own_last_look(client, cast, alice_plan):
    _page(client, cast, cast.alice.user)  # the student looked at version 1
    _revise(alice_plan, reason="Ny studieväg", study_path="Ny väg")
    _page(client, cast, cast.guardian)  # the guardian's first visit: version 2
    _revise(alice_plan, reason="Praktik", other_measures="Praktik på förskola")
    guardian_page = _page(client, cast, cast.guardian)
    student_page = _page(client, cast, cast.alice.user)
    assert "Praktik" in guardian_page and "Ny studieväg" not in guardian_page
    assert "Ny studieväg" in student_page and "Praktik" in student_page
    assert PlanSeen.objects.filter(plan=alice_plan).count() == 2


def test_staff_reading_the_family_page_is_not_possible_and_their_reads_stay_in_the_read_log(client, cast, alice_plan):
    client.force_login(cast.mentor_a)
    response = client.get(reverse("plans:family_plan", kwargs={"pk": cast.alice.pk}))
    assert response.status_code in (403, 404)
    assert not PlanSeen.objects.filter(user=cast.mentor_a).exists()


# --- Texts for the student and for the guardian ------------------------------------------


def test_the_student_reads_you_texts_and_the_guardian_reads_theirs(client, cast, alice_plan):
    student_page = _page(client, cast, cast.alice.user)
    guardian_page = _page(client, cast, cast.guardian)
    assert "The mentor goes through it with you regularly." in student_page
    assert "In your own words" in student_page
    assert "The mentor goes through it with you regularly." not in guardian_page
    assert "In your own words" not in guardian_page
    assert "The mentor goes through it with your child regularly." in guardian_page
    assert "In Alice's own words" in guardian_page
    assert "with your child" not in student_page
    # The proposal form is the student's: the guardian does not see it.
    assert 'id="proposal"' in student_page
    assert 'id="proposal"' not in guardian_page


def test_dates_are_in_the_readers_language_and_entered_text_is_isolated(client, cast, alice_plan):
    alice_plan.planned_end = datetime.date(2027, 6, 15)
    alice_plan.save()
    client.force_login(cast.guardian)
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("plans:family_plan", kwargs={"pk": cast.alice.pk})).content.decode()
    assert 'dir="rtl"' in page
    assert "15 يونيو، 2027" in page
    assert "2027-06-15" not in page
    assert "<bdi>Behörighet till Vård- och omsorgsprogrammet</bdi>" in page
    client.cookies["django_language"] = "sv"
    page = client.get(reverse("plans:family_plan", kwargs={"pk": cast.alice.pk})).content.decode()
    assert "15 juni 2027" in page


# --- The student's proposal ---------------------------------------------------------------


def _propose(client, cast, **data):
    client.force_login(cast.alice.user)
    return client.post(reverse("plans:family_proposal", kwargs={"pk": cast.alice.pk}), data)


def test_the_student_sends_own_words_and_goals(client, cast, alice_plan):
    response = _propose(
        client, cast, own_words="أريد أن أصبح ممرضة.", goal_1="Engelska 5", term_1="short", goal_2="", term_2="short"
    )
    assert response.status_code == 302
    proposal = PlanProposal.objects.get(plan=alice_plan)
    assert proposal.written_by == cast.alice.user
    assert proposal.own_words == "أريد أن أصبح ممرضة."
    assert [g.title for g in proposal.goals.all()] == ["Engelska 5"]
    assert proposal.status == ProposalStatus.NEW
    page = _page(client, cast, cast.alice.user)
    assert "The mentor has not answered yet." in page
    # The guardian does not see what the student wrote.
    assert "أريد أن أصبح ممرضة." not in _page(client, cast, cast.guardian)


def test_an_empty_proposal_is_refused_with_a_message(client, cast, alice_plan):
    response = _propose(client, cast, own_words="  ", goal_1="")
    assert response.status_code == 400
    assert "Write something in your own words or propose a goal." in response.content.decode()
    assert not PlanProposal.objects.exists()


def test_the_guardian_may_not_write_a_proposal(client, cast, alice_plan):
    client.force_login(cast.guardian)
    response = client.post(reverse("plans:family_proposal", kwargs={"pk": cast.alice.pk}), {"own_words": "Hej"})
    assert response.status_code == 403
    assert not PlanProposal.objects.exists()
    with pytest.raises(PermissionDenied):
        services.plan_proposal_submit(acting_user=cast.guardian, plan=alice_plan, own_words="Hej", goals=[])


def test_the_same_proposal_sent_twice_is_saved_once(client, cast, alice_plan):
    key = "8f0e1a52-7d2c-4f4e-9a55-5d8a3f0b7c11"
    for _i in range(2):
        _propose(client, cast, own_words="Jag vill läsa matte.", submission_key=key)
    assert PlanProposal.objects.count() == 1


def _proposal(cast, plan, goals=("Engelska 5", "Körkort")):
    return services.plan_proposal_submit(
        acting_user=cast.alice.user,
        plan=plan,
        own_words="Jag vill bli undersköterska.",
        goals=[{"title": t, "term": "short"} for t in goals],
    )


def test_the_mentor_sees_the_proposal_in_the_plan_talk_and_takes_a_goal_into_the_plan(client, cast, alice_plan):
    proposal = _proposal(cast, alice_plan)
    client.force_login(cast.mentor_a)
    detail = client.get(reverse("plans:plan_detail", kwargs={"pk": cast.alice.pk})).content.decode()
    assert 'id="open-proposals"' in detail
    talk = client.get(reverse("plans:review_create", kwargs={"pk": cast.alice.pk})).content.decode()
    assert "Jag vill bli undersköterska." in talk and "Körkort" in talk
    first = proposal.goals.get(title="Engelska 5")
    response = client.post(
        reverse("plans:proposal_respond", kwargs={"pk": cast.alice.pk, "proposal_id": proposal.pk}),
        {"action": "take", "goals": [first.pk], "take_own_words": "on", "answer": "Engelska tar vi nu."},
    )
    assert response.status_code == 302
    alice_plan.refresh_from_db()
    assert alice_plan.version == 2
    assert alice_plan.student_voice == "Jag vill bli undersköterska."
    assert list(alice_plan.goals.values_list("title", flat=True).order_by("pk")) == [
        "Behörighet till Vård- och omsorgsprogrammet",
        "Engelska 5",
    ]
    revision = PlanRevision.objects.get(plan=alice_plan, version=2)
    assert revision.reason == "The student's proposal"
    assert revision.author == cast.mentor_a
    proposal.refresh_from_db()
    assert (proposal.status, proposal.plan_version, proposal.answered_by) == ("taken", 2, cast.mentor_a)
    assert list(proposal.goals.filter(taken=True).values_list("title", flat=True)) == ["Engelska 5"]
    # The student reads the answer and sees the goal is in the plan now.
    page = _page(client, cast, cast.alice.user)
    assert "Engelska tar vi nu." in page and "now in your plan" in page


def test_the_mentor_answers_without_changing_the_plan(client, cast, alice_plan):
    proposal = _proposal(cast, alice_plan)
    client.force_login(cast.mentor_a)
    url = reverse("plans:proposal_respond", kwargs={"pk": cast.alice.pk, "proposal_id": proposal.pk})
    response = client.post(url, {"action": "answer", "answer": ""})
    assert response.status_code == 400
    assert "Write an answer to the student." in response.content.decode()
    response = client.post(url, {"action": "answer", "answer": "Körkort är inte en del av programmet."})
    assert response.status_code == 302
    alice_plan.refresh_from_db()
    assert alice_plan.version == 1
    proposal.refresh_from_db()
    assert proposal.status == "answered"
    assert "Körkort är inte en del av programmet." in _page(client, cast, cast.alice.user)
    # Answered once: a second answer is refused and nothing changes.
    client.force_login(cast.mentor_a)
    response = client.post(url, {"action": "answer", "answer": "Igen"})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.answer == "Körkort är inte en del av programmet."


def test_taking_nothing_is_refused(cast, alice_plan):
    proposal = _proposal(cast, alice_plan)
    with pytest.raises(ValidationError):
        services.plan_proposal_take(acting_user=cast.mentor_a, proposal=proposal, goal_ids=[], take_own_words=False)
    alice_plan.refresh_from_db()
    assert alice_plan.version == 1


def test_a_teacher_or_counsellor_may_not_take_a_proposal(cast, alice_plan):
    proposal = _proposal(cast, alice_plan)
    for user in (cast.teacher_a, cast.counsellor_a, cast.mentor_b):
        with pytest.raises(PermissionDenied):
            services.plan_proposal_answer(acting_user=user, proposal=proposal, answer="Nej")
    proposal.refresh_from_db()
    assert proposal.status == "new"


def test_at_most_five_goals(cast, alice_plan):
    with pytest.raises(ValidationError):
        _proposal(cast, alice_plan, goals=[f"Mål {i}" for i in range(6)])


def test_plan_seen_service_marks_newer_versions(cast, alice_plan):
    seen, newer = services.plan_seen_record(acting_user=cast.guardian, plan=alice_plan)
    assert not newer
    at = timezone.now()
    _revise(alice_plan, reason="Ändrad", study_path="X")
    seen, newer = services.plan_seen_record(acting_user=cast.guardian, plan=alice_plan, at=at)
    assert newer and seen.shown_from == 1 and seen.version == 2
    _seen, newer = services.plan_seen_record(acting_user=cast.guardian, plan=alice_plan)
    assert not newer


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_arabic_pdf_keeps_swedish_sentences_in_order_and_dates_in_arabic(client, cast, alice_plan, tmp_path):
    client.force_login(cast.guardian)
    client.cookies["django_language"] = "ar"
    response = client.get(reverse("plans:family_plan_pdf", kwargs={"pk": cast.alice.pk}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext marks runs of each direction (U+202A–U+202C); the words are what count.
    text = re.sub("[\u202a-\u202e]", "", text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The Swedish sentences in the Arabic plan end with their full stop (it used to jump
    # to the start of the line: ".Jag vill jobba i vården").
    assert "Jag vill jobba i vården." in lines
    assert "Svenska som andraspråk först, sedan yrkeskurser." in lines
    assert not [line for line in lines if line.startswith(".")]
    # Dates in Arabic, not 29-11-2026 / 2026-11-29.
    with translation.override("ar"):
        month = date_format(timezone.localdate(), "F")
    assert month in text
    assert timezone.localdate().isoformat() not in text
