"""Integrations and tokens: made by an administrator only, shown once, kept as a digest,
revoked at once, every change recorded; the per-token limit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from studievag.api import services
from studievag.api.drf import PerTokenThrottle
from studievag.api.models import IntegrationEvent, IntegrationToken


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_only_an_administrator_creates_integrations_and_tokens(cast, integration):
    with pytest.raises(PermissionDenied):
        services.integration_create(acting_user=cast.principal_a, name="Egen", organiser=cast.organiser_a)
    with pytest.raises(PermissionDenied):
        services.token_issue(
            acting_user=cast.principal_a, integration=integration, scopes=["students:read"], expires_on=_in(10)
        )


def test_the_token_is_kept_as_a_digest_only(cast, integration):
    row, token = services.token_issue(
        acting_user=cast.admin, integration=integration, scopes=["students:read"], expires_on=_in(10)
    )
    assert token.startswith(f"svi_{row.prefix}_")
    assert token not in row.digest and len(row.digest) == 64
    assert services.token_check(token) == row
    assert services.token_check(token + "x") is None
    assert IntegrationToken.objects.get().last_used_at is not None


def test_the_service_account_cannot_log_in(cast, integration, client):
    account = integration.account
    assert not account.has_usable_password()
    assert not account.is_staff


@pytest.mark.parametrize(
    ("scopes", "days", "field"),
    [
        ([], 10, "scopes"),
        (["students:write"], 10, "scopes"),
        (["students:read"], -1, "expires_on"),
        (["students:read"], 400, "expires_on"),
    ],
)
def test_bad_tokens_are_refused_naming_the_field(cast, integration, scopes, days, field):
    with pytest.raises(ValidationError) as error:
        services.token_issue(acting_user=cast.admin, integration=integration, scopes=scopes, expires_on=_in(days))
    assert field in error.value.message_dict
    assert not IntegrationToken.objects.exists()


def test_every_change_is_recorded(cast, integration):
    row, _token = services.token_issue(
        acting_user=cast.admin, integration=integration, scopes=["reports:read"], expires_on=_in(10)
    )
    with pytest.raises(ValidationError):
        services.token_revoke(acting_user=cast.admin, token=row, reason=" ")
    services.token_revoke(acting_user=cast.admin, token=row, reason="Avtalet upphört")
    services.token_revoke(acting_user=cast.admin, token=row, reason="Igen")  # nothing more happens
    events = list(IntegrationEvent.objects.order_by("pk").values_list("kind", "acting_username", "reason"))
    assert events == [
        ("created", "sysadmin", ""),
        ("token_issued", "sysadmin", ""),
        ("token_revoked", "sysadmin", "Avtalet upphört"),
    ]


def test_too_many_calls_are_429_problems(api, cast, issue, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "rate", "2/min", raising=False)
    token = issue("reports:read")
    codes = [api.get(reverse("api:report_levels"), token).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = api.get(reverse("api:report_levels"), token)
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
