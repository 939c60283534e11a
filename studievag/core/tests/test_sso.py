import pytest
from django.test import override_settings

from studievag.testing import make_user

pytestmark = pytest.mark.django_db

OIDC = {
    "OIDC_RP_CLIENT_ID": "studievag",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
}


@override_settings(**OIDC)
def test_sign_on_finds_the_active_account_with_that_email_whatever_the_case():
    from studievag.core.sso import StudievagOIDCBackend

    user = make_user("maria", email="Maria.Lindqvist@skovde.se")
    make_user("old", email="old@skovde.se", is_active=False)
    backend = StudievagOIDCBackend()
    assert list(backend.filter_users_by_claims({"email": "maria.lindqvist@SKOVDE.se"})) == [user]
    assert not backend.filter_users_by_claims({"email": "old@skovde.se"}).exists()
    assert not backend.filter_users_by_claims({"email": ""}).exists()
    assert not backend.filter_users_by_claims({}).exists()


def test_the_login_page_offers_no_sign_on_when_it_is_not_configured(client):
    assert "organisation's account" not in client.get("/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
