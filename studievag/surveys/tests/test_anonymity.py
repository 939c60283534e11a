"""Anonymous by design: nothing stored with an answer leads back to the student who gave it."""

import datetime
import logging
import re

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from studievag.audit.models import RecordRead
from studievag.people.models import Student
from studievag.surveys import rules
from studievag.surveys.models import Participation, PendingResponse, Response, Wave
from studievag.surveys.services import wave_release
from studievag.surveys.tests.helpers import SCALE_REFS, TEXT_REFS, answer, make_wave
from studievag.testing import make_student

pytestmark = pytest.mark.django_db


def _fields(model):
    return {f.name: f for f in model._meta.get_fields() if f.concrete}


@pytest.mark.parametrize("model", [Response, PendingResponse])
def test_an_answer_row_holds_no_student_no_user_and_no_time(model):
    fields = _fields(model)
    counts = {
        f"{t}_{k}"
        for t in ("engagement", "safety", "influence", "study_climate", "support")
        for k in ("answered", "favourable")
    }
    assert set(fields) - (counts if model is Response else set()) == {
        "id",
        "wave",
        "school_unit",
        "programme",
        "gender",
        "time_in_sweden",
        "age_band",
        "answers",
    }
    assert not [f for f in fields.values() if isinstance(f, models.DateField | models.TimeField)]
    related = {f.related_model for f in fields.values() if f.is_relation}
    assert related == {Wave, Response._meta.get_field("school_unit").related_model}
    # A random id: its order says nothing about when the row was written.
    assert isinstance(fields["id"], models.UUIDField)


def test_the_has_answered_row_holds_nothing_but_who_and_which_wave():
    fields = _fields(Participation)
    assert set(fields) == {"id", "wave", "student"}
    assert not [f for f in fields.values() if isinstance(f, models.DateField | models.TimeField)]


def test_no_history_is_kept_of_answers_or_participation():
    from django.apps import apps

    names = {m.__name__ for m in apps.get_app_config("surveys").get_models()}
    assert "HistoricalResponse" not in names and "HistoricalParticipation" not in names
    assert "HistoricalWave" in names  # the organiser's set-up is audited as usual


def test_answers_leave_the_pool_only_in_batches_of_at_least_the_minimum(cast):
    wave = make_wave(cast.organiser_a, cast.analyst)
    students = [make_student(cast.unit_a, female=i % 2 == 0) for i in range(13)]
    for n, s in enumerate(students[:9], start=1):
        answer(wave, s)
        assert Response.objects.count() == 0, "nothing is released before the pool holds twice the minimum"
        assert PendingResponse.objects.count() == n
    answer(wave, students[9])
    # Ten in the pool: all but a random five are released in one batch.
    assert Response.objects.count() == 5 and PendingResponse.objects.count() == 5
    for s in students[10:]:
        answer(wave, s)
    assert Response.objects.count() == 5 and PendingResponse.objects.count() == 8
    # Still open: the rest waits. After the wave closes the whole pool is released.
    assert wave_release(wave=wave) == 0
    assert wave_release(wave=wave, today=wave.closes_on + datetime.timedelta(days=1)) == 8
    assert Response.objects.count() == 13 and PendingResponse.objects.count() == 0
    assert Participation.objects.filter(wave=wave).count() == 13


def test_released_answers_cannot_be_joined_back_to_students_through_their_attributes(cast):
    """The attack: take every stored answer, and every student who is marked as having
    answered, and match them on what both carry (unit, programme, gender, time in
    Sweden, age). Each answer must match at least the wave's minimum of students."""
    wave = make_wave(cast.organiser_a, cast.analyst)
    today = timezone.localdate()
    students = [make_student(cast.unit_a, age=17, female=True, country_of_birth="SY") for _i in range(8)]
    students += [make_student(cast.unit_a, age=18, female=False, country_of_birth="SE") for _i in range(6)]
    # One who stands out on every attribute: the only 19-year-old on IMV, other gender, just arrived.
    odd = make_student(
        cast.unit_a,
        age=20,
        programme="IMV",
        country_of_birth="AF",
        arrived_in_sweden=today - datetime.timedelta(days=100),
    )
    odd.gender = Student.Gender.OTHER
    odd.save()
    for n, s in enumerate([*students, odd]):
        answer(wave, s, value=1 + n % 4)
    wave_release(wave=wave, today=wave.closes_on + datetime.timedelta(days=1))

    from studievag.surveys.services import attributes_of, current_enrolment

    answered = [
        {
            **attributes_of(p.student, current_enrolment(p.student, wave.organiser_id, today), wave),
            "unit": cast.unit_a.pk,
        }
        for p in Participation.objects.filter(wave=wave).select_related("student")
    ]
    rows = list(Response.objects.filter(wave=wave))
    assert len(rows) == 15
    for row in rows:
        known = {a: getattr(row, a) for a in rules.ATTRIBUTES if getattr(row, a) != rules.UNKNOWN}
        candidates = [
            p for p in answered if p["unit"] == row.school_unit_id and all(p[a] == v for a, v in known.items())
        ]
        assert len(candidates) >= wave.min_respondents, (known, len(candidates))
    # The student who stands out is in the data – with the details that single them out blanked.
    assert not Response.objects.filter(programme="IMV", gender="other").exists()


def test_answering_writes_no_read_log_row_and_logs_no_answer(cast, client, caplog):
    wave = make_wave(cast.organiser_a, cast.analyst)
    client.force_login(cast.student)
    secret = "Min mentor heter Maria och jag vill byta grupp"
    reads = RecordRead.objects.count()
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("surveys:answer", args=[wave.pk]), {SCALE_REFS[0]: "2", TEXT_REFS[0]: secret})
    assert response.status_code == 302
    assert RecordRead.objects.count() == reads
    assert secret not in caplog.text
    assert Participation.objects.filter(wave=wave, student=cast.alice).exists()
    pending = PendingResponse.objects.get()
    assert pending.answers == {SCALE_REFS[0]: 2, TEXT_REFS[0]: secret}


def test_a_draft_stays_in_the_browser_under_a_key_that_names_no_one(cast, client):
    wave = make_wave(cast.organiser_a, cast.analyst)
    client.force_login(cast.student)
    page = client.get(reverse("surveys:answer", args=[wave.pk])).content.decode()
    assert 'data-draft-key="studievag-survey-draft:' in page
    key = page.split('data-draft-key="')[1].split('"')[0]
    # A keyed hash: without the server's secret it cannot be tied to an account.
    assert re.fullmatch(r"studievag-survey-draft:[0-9a-f]{32}", key)
    # "Continue later" is a button for the script, never a request to the server.
    assert 'type="button" class="secondary js-draft-later"' in page


def test_a_student_answers_once(cast, client):
    wave = make_wave(cast.organiser_a, cast.analyst)
    client.force_login(cast.student)
    url = reverse("surveys:answer", args=[wave.pk])
    assert client.post(url, {SCALE_REFS[0]: "4"}).status_code == 302
    again = client.post(url, {SCALE_REFS[0]: "1"})
    assert again.status_code == 200 and b"data-draft-clear" in again.content
    assert PendingResponse.objects.count() + Response.objects.count() == 1


def test_a_denied_answer_leaves_nothing_behind(cast, client):
    wave = make_wave(cast.organiser_a, cast.analyst)
    for user in (cast.guardian, cast.mentor_a, cast.analyst):
        client.force_login(user)
        assert client.post(reverse("surveys:answer", args=[wave.pk]), {SCALE_REFS[0]: "4"}).status_code in (403, 404)
    # A student of another organiser cannot answer A's wave either.
    bertil_user = cast.nobody
    cast.bertil.user = bertil_user
    cast.bertil.save()
    client.force_login(bertil_user)
    assert client.post(reverse("surveys:answer", args=[wave.pk]), {SCALE_REFS[0]: "4"}).status_code == 404
    assert not Participation.objects.exists() and not PendingResponse.objects.exists()


def test_a_closed_wave_takes_no_answers(cast, client):
    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(30, -1))
    client.force_login(cast.student)
    assert client.post(reverse("surveys:answer", args=[wave.pk]), {SCALE_REFS[0]: "4"}).status_code == 404
    assert not Participation.objects.exists()


def test_the_hourly_job_releases_the_pools_of_closed_waves(cast):
    from studievag.jobs.models import JobRun
    from studievag.surveys.tasks import RELEASE, release_closed_task

    wave = make_wave(cast.organiser_a, cast.analyst, days_open=(10, 1))
    for s in [make_student(cast.unit_a) for _i in range(7)]:
        answer(wave, s)
    assert PendingResponse.objects.count() == 7
    assert release_closed_task.call() == {"released": 0}  # still open: the pool stays
    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    assert release_closed_task.call() == {"released": 7}
    assert (PendingResponse.objects.count(), Response.objects.count()) == (0, 7)
    assert JobRun.objects.filter(name=RELEASE, status="succeeded").count() == 2
