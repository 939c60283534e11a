"""Support needs: one store keyed by the student, append-only, read and written from the
intake page and the plan's page alike; need-to-know and every read logged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from studievag.audit.models import RecordRead
from studievag.plans import services as plan_services
from studievag.support.models import SupportNeedsEntry
from studievag.support.services import support_needs_record

pytestmark = pytest.mark.django_db


def test_each_change_is_a_new_entry_with_who_and_why(cast):
    first = support_needs_record(
        acting_user=cast.health_a, student=cast.alice, text="  Extra tid vid prov. ", reason=" Kartläggning "
    )
    second = support_needs_record(
        acting_user=cast.principal_a, student=cast.alice, text="Extra tid och uppläst text.", reason="EHT-möte"
    )
    removed = support_needs_record(
        acting_user=cast.mentor_a, student=cast.alice, text="", reason="Behoven är tillgodosedda"
    )
    entries = list(SupportNeedsEntry.objects.filter(student=cast.alice))
    assert entries == [removed, second, first]  # newest first
    assert (first.text, first.reason, first.author) == ("Extra tid vid prov.", "Kartläggning", cast.health_a)
    assert (removed.text, removed.author) == ("", cast.mentor_a)


@pytest.mark.parametrize(
    "text, reason, field",
    [
        ("Samma text", "Igen", "text"),  # unchanged
        ("Ny text", "   ", "reason"),  # no reason
    ],
)
def test_an_unchanged_text_or_a_missing_reason_is_refused(cast, text, reason, field):
    support_needs_record(acting_user=cast.health_a, student=cast.alice, text="Samma text", reason="EHT")
    with pytest.raises(ValidationError) as error:
        support_needs_record(acting_user=cast.health_a, student=cast.alice, text=text, reason=reason)
    assert field in error.value.message_dict
    assert SupportNeedsEntry.objects.count() == 1


def test_removing_nothing_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        support_needs_record(acting_user=cast.health_a, student=cast.alice, text="", reason="x")
    assert error.value.message_dict["text"] == ["The support needs are unchanged."]
    assert not SupportNeedsEntry.objects.exists()


def test_written_at_intake_read_on_the_plan_page_and_the_other_way(cast, login):
    intake_url = reverse("support:needs", args=[cast.alice.pk])
    plan_url = reverse("plans:support_needs", args=[cast.alice.pk])
    # No plan yet: the plan's page works all the same (intake comes first).
    response = login(cast.health_a).post(intake_url, {"text": "Uppläst text vid prov.", "reason": "Kartläggning"})
    assert response.status_code == 302 and response["Location"] == intake_url
    page = login(cast.principal_a).get(plan_url).content.decode()
    assert "Uppläst text vid prov." in page and "Kartläggning" in page

    plan_services.plan_create(
        acting_user=cast.mentor_a,
        student=cast.alice,
        reason="Start",
        goals=[{"term": "long", "kind": "job", "title": "Bli kock"}],
    )
    response = login(cast.principal_a).post(plan_url, {"text": "Uppläst text och extra tid.", "reason": "EHT-möte"})
    assert response.status_code == 302 and response["Location"] == plan_url
    page = login(cast.mentor_a).get(intake_url).content.decode()
    assert "Uppläst text och extra tid." in page
    assert "EHT-möte" in page and "Kartläggning" in page  # every change, with why
    assert [e.text for e in SupportNeedsEntry.objects.all()] == [
        "Uppläst text och extra tid.",
        "Uppläst text vid prov.",
    ]
    # Every request of the page (a save too) is a logged read of the support needs.
    reads = RecordRead.objects.filter(student=cast.alice, part="support_needs")
    assert reads.filter(user=cast.mentor_a).count() == 1
    assert reads.filter(user=cast.principal_a).count() == 2
    assert (
        reverse("plans:support_needs", args=[cast.alice.pk])
        in login(cast.mentor_a).get(reverse("plans:plan_detail", args=[cast.alice.pk])).content.decode()
    )


def test_a_change_without_reason_names_the_field_and_saves_nothing(cast, login):
    url = reverse("support:needs", args=[cast.alice.pk])
    response = login(cast.health_a).post(url, {"text": "Extra tid", "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field has-error">\n    <label for="id_reason"' in html
    assert not SupportNeedsEntry.objects.exists()
    response = login(cast.health_a).post(url, {"text": "", "reason": "Inget att ta bort"})
    assert "The support needs are unchanged." in response.content.decode()
    assert not SupportNeedsEntry.objects.exists()


@pytest.mark.parametrize("who", ["counsellor_a", "teacher_a", "mentor_b", "student", "guardian"])
def test_others_neither_read_nor_write_and_nothing_is_logged(cast, login, who):
    support_needs_record(acting_user=cast.health_a, student=cast.alice, text="Känsligt", reason="EHT")
    client = login(getattr(cast, who))
    for name in ("support:needs", "plans:support_needs"):
        url = reverse(name, args=[cast.alice.pk])
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"text": "Ändrat", "reason": "x"}).status_code in (403, 404)
    assert SupportNeedsEntry.objects.get().text == "Känsligt"
    assert not RecordRead.objects.filter(part="support_needs").exists()


def test_the_page_reads_the_entries_in_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    at = timezone.now() - datetime.timedelta(days=30)
    SupportNeedsEntry.objects.bulk_create(
        SupportNeedsEntry(
            student=cast.alice,
            text=f"Version {n}",
            reason=f"Skäl {n}",
            author=cast.health_a,
            created_at=at + datetime.timedelta(days=n),
        )
        for n in range(20)
    )
    client = login(cast.health_a)
    url = reverse("support:needs", args=[cast.alice.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        html = client.get(url).content.decode()
    assert html.count("Skäl ") == 20 and "Version 19" in html
