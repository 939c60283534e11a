"""SAML sign-on in a real browser: log-in page → choose the organisation → the IdP → logged in.

The identity provider is the local pysaml2 one; the browser's requests to its address are
answered by Playwright (its "continue" page POSTs the signed response back, as a real IdP's does).
"""

import html
from pathlib import Path

import pytest
from playwright.sync_api import expect

from studievag.core.models import SignOnIdentity
from studievag.testing import build_cast

from .saml_idp import NO_XMLSEC, LocalIdP, configure_sp, idp_config, metadata_xml

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(NO_XMLSEC, reason="xmlsec1 is not installed (scripts/system-deps)"),
]

IDP = "http://idp.skovde.test/idp"
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.fixture
def saml_live(transactional_db, live_server, settings, tmp_path, keys):
    cast = build_cast()
    SignOnIdentity.objects.create(user=cast.mentor_a, principal_name="anna.andersson@skovde.se")
    sp_metadata = configure_sp(settings, tmp_path, keys, live_server.url)
    # SameSite=None cookies (the SAML state survives the IdP's cross-site POST) must be Secure;
    # Chromium keeps Secure cookies for http://localhost.
    settings.SESSION_COOKIE_SECURE = True
    config = idp_config(IDP, keys["skovde"], sp_metadata=sp_metadata, name="Skövde kommun", scope="skovde.se")
    idp_metadata = tmp_path / "skovde.xml"
    idp_metadata.write_text(metadata_xml(config))
    settings.SAML_METADATA_FILES = [str(idp_metadata)]
    return cast, LocalIdP(config)


def _answer_as_idp(page, idp: LocalIdP, principal: str):
    def handle(route):
        message, relay_state = idp.parse_request(route.request.url)
        response = idp.answer(message, {"eduPersonPrincipalName": [principal], "sisSchoolUnitCode": ["56781234"]})
        route.fulfill(
            content_type="text/html; charset=utf-8",
            body=(
                "<!doctype html><title>Skövde kommun</title><h1>Skövde kommun</h1>"
                f'<form method="post" action="{html.escape(message.assertion_consumer_service_url)}">'
                f'<input type="hidden" name="SAMLResponse" value="{response}">'
                f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
                "<button>Fortsätt</button></form>"
            ),
        )

    page.route(f"{IDP}/**", handle)


def _shoot(page, name: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_mentor_logs_in_through_the_school_identity_provider(saml_live, live_server, page):
    _, idp = saml_live
    _answer_as_idp(page, idp, "Anna.Andersson@skovde.se")
    page.goto(f"{live_server.url}/login/")
    _shoot(page, "saml-login")
    page.get_by_role("link", name="Logga in via din skola eller kommun (Skolfederation)").click()

    expect(page.locator("h1")).to_have_text("Logga in via din organisation")
    _shoot(page, "saml-choose")
    page.get_by_role("link", name="Skövde kommun").click()

    page.get_by_role("button", name="Fortsätt").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("section[aria-labelledby=mentees-h] tbody tr")).to_have_count(3)


def test_a_person_without_a_linked_account_sees_why(saml_live, live_server, page):
    _, idp = saml_live
    _answer_as_idp(page, idp, "okand.person@skovde.se")
    page.goto(f"{live_server.url}/saml2/choose/")
    page.get_by_role("link", name="Skövde kommun").click()
    page.get_by_role("button", name="Fortsätt").click()

    expect(page.locator("h1")).to_have_text("Inloggningen nekades")
    expect(page.locator("main")).to_contain_text("okand.person@skovde.se")
    expect(page.locator("main")).to_contain_text("inget konto i Studieväg som är kopplat till dig")
    _shoot(page, "saml-refused")
