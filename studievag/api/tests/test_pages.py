"""The administrator's integration pages: the token shown once, revoking, the record of changes."""

from django.urls import reverse

from studievag.api.models import Integration, IntegrationToken
from studievag.api.services import token_check


def test_create_issue_and_revoke(cast, login):
    client = login(cast.admin)
    response = client.post(
        reverse("integrations:list"), {"name": "Lärplattform", "organiser": cast.organiser_a.pk, "description": ""}
    )
    assert response.status_code == 302
    integration = Integration.objects.get()
    page = client.get(reverse("integrations:list")).content.decode()
    assert "No role yet" in page
    assert f"?user={integration.account_id}" in page

    response = client.post(
        reverse("integrations:token_issue", kwargs={"pk": integration.pk}),
        {"scopes": ["progress:write", "attendance:write"], "expires_on": "2099-01-01"},
    )
    assert response.status_code == 200
    assert "at most a year" in response.content.decode()
    assert not IntegrationToken.objects.exists()

    response = client.post(
        reverse("integrations:token_issue", kwargs={"pk": integration.pk}),
        {
            "scopes": ["progress:write", "attendance:write"],
            "expires_on": response.context["form"].initial["expires_on"],
        },
    )
    token = response.context["token"]
    assert token in response.content.decode()
    row = token_check(token)
    assert row.scopes == ["attendance:write", "progress:write"]
    # Never again: the list shows the prefix only.
    assert token not in client.get(reverse("integrations:list")).content.decode()

    client.post(reverse("integrations:token_revoke", kwargs={"pk": row.pk}), {"reason": "Bytt leverantör"})
    assert token_check(token) is None
    page = client.get(reverse("integrations:list")).content.decode()
    assert "Bytt leverantör" in page and "revoked" in page


def test_the_read_log_names_the_integration(cast, login, api, integration, issue):
    api.get(reverse("api:student", kwargs={"id": cast.alice.pk}), issue("students:read"))
    page = login(cast.principal_a).get(reverse("audit:read_log")).content.decode()
    assert "through the integration Skolplattformen (REST API)" in page
