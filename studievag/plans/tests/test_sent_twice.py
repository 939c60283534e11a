"""A plan talk or a reflection sent twice is saved once."""

import uuid

from django.urls import reverse

from studievag.plans.models import PlanReview
from studievag.quality.models import Reflection


def test_a_plan_talk_sent_twice_is_recorded_once(cast, login, alice_plan):
    client = login(cast.mentor_a)
    url = reverse("plans:review_create", kwargs={"pk": cast.alice.pk})
    form = client.get(url).content.decode()
    key = form.split('name="submission_key" value="')[1][:36]
    data = {
        "held_on": "2026-01-15",
        "participants": "Eleven, mentor",
        "notes": "Vi gick igenom planen.",
        "submission_key": key,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert PlanReview.objects.count() == 1
    assert PlanReview.objects.get().submission_key == uuid.UUID(key)


def test_a_reflection_sent_twice_is_written_once(cast, login):
    client = login(cast.principal_a)
    key = str(uuid.uuid4())
    data = {
        "school_unit": cast.unit_a.pk,
        "written_on": "2026-01-15",
        "source": "team_meeting",
        "text": "Gruppen behöver mer studiehandledning.",
        "submission_key": key,
    }
    client.post(reverse("quality:reflections"), data)
    client.post(reverse("quality:reflections"), data)
    assert Reflection.objects.count() == 1
