import datetime

from studievag.testing import Route


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


FOLLOW_UP_STAFF = frozenset({"counsellor", "principal"})


def adam_left(cast) -> dict:
    """Adam (19) left six months and a day ago without a destination: handed to Kommun A."""
    from django.utils import timezone

    from studievag.outcomes.models import Exit
    from studievag.outcomes.rules import add_months
    from studievag.outcomes.services import exit_record

    if not Exit.objects.filter(student=cast.adam).exists():
        today = timezone.localdate()
        exit_record(
            acting_user=cast.counsellor_a,
            enrolment=cast.adam.enrolments.get(),
            exit_date=add_months(today, -6) - datetime.timedelta(days=1),
            reason="unknown",
            home_municipality=cast.organiser_a,
            consent_to_contact=True,
            contact_phone="070-000 00 00",
        )
    return {"pk": cast.adam.pk}


def adams_follow_up(cast) -> dict:
    from studievag.outcomes.models import FollowUp

    adam_left(cast)
    return {"pk": FollowUp.objects.get(exit__student=cast.adam, months=6).pk}


def adams_referral(cast) -> dict:
    from studievag.outcomes.models import KaaReferral

    adam_left(cast)
    return {"pk": KaaReferral.objects.get(exit__student=cast.adam).pk}


def exit_data(cast) -> dict:
    from django.utils import timezone

    return {
        "exit_date": timezone.localdate().isoformat(),
        "reason": "national_programme",
        "national_programme": "VO",
        "destination": "Vård- och omsorgsprogrammet, Skola X",
        "home_municipality": cast.organiser_a.pk,
    }


ROUTES = [
    Route("outcomes:exit_create", FOLLOW_UP_STAFF, kwargs=lambda c: {"pk": c.alice.pk}),
    Route("outcomes:exit_create", FOLLOW_UP_STAFF, kwargs=lambda c: {"pk": c.alice.pk}, method="post", data=exit_data),
    Route(
        "outcomes:student_outcomes",
        FOLLOW_UP_STAFF | {"mentor"},
        kwargs=lambda c: {"pk": c.alice.pk},
        label="current",
    ),
    # After the exit the mentor's group membership has ended: only the follow-up staff.
    Route("outcomes:student_outcomes", FOLLOW_UP_STAFF, kwargs=adam_left, label="former"),
    Route("outcomes:follow_up_list", FOLLOW_UP_STAFF),
    Route("outcomes:follow_up_detail", FOLLOW_UP_STAFF, kwargs=adams_follow_up),
    Route(
        "outcomes:follow_up_detail",
        FOLLOW_UP_STAFF,
        kwargs=adams_follow_up,
        method="post",
        data=lambda c: {
            "action": "attempt",
            "a-attempted_on": _today(),
            "a-channel": "phone",
        },
        label="attempt",
    ),
    Route("outcomes:kaa_inbox", frozenset({"kaa_contact"})),
    Route(
        "outcomes:kaa_status",
        frozenset({"kaa_contact"}),
        kwargs=adams_referral,
        method="post",
        data=lambda c: {"status": "received", "on": _today()},
    ),
]
