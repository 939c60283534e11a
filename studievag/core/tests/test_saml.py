"""SAML sign-on against a local identity provider (pysaml2's Server, keys made for the session).

The full SP-initiated flow: the log-in page sends a signed AuthnRequest to the IdP, the IdP
answers with a signed Response POSTed to the assertion consumer service, and the person is
logged in as the account linked to their eduPersonPrincipalName. Refused: an unknown person,
a response for another audience, one signed with a key not in the metadata, an expired one,
a replayed one, an identity outside the IdP's scope. Metadata: one unreachable source or a
badly signed aggregate leaves the others (and the last good copy) working.
"""

import logging
from pathlib import Path

import pytest
from django.urls import reverse
from saml2.metadata import entity_descriptor

from studievag.core import saml
from studievag.core.models import SignOnIdentity
from studievag.testing import make_user

from .saml_idp import NO_XMLSEC, LocalIdP, MetadataServer, configure_sp, idp_config, metadata_xml, signed_aggregate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(NO_XMLSEC, reason="xmlsec1 is not installed (scripts/system-deps)"),
]

BASE = "https://studievag.test"
SKOVDE = "https://idp.skovde.test/idp"
FALKOPING = "https://idp.falkoping.test/idp"
MARIA = {"eduPersonPrincipalName": ["Maria.Lindqvist@skovde.se"], "sisSchoolUnitCode": ["56781234"]}


@pytest.fixture
def sp(settings, tmp_path, keys):
    """SAML sign-on switched on, trusting the Skövde IdP's metadata file."""
    sp_metadata = configure_sp(settings, tmp_path, keys, BASE)
    idp_metadata = tmp_path / "skovde.xml"
    idp_metadata.write_text(metadata_xml(_skovde(keys, sp_metadata)))
    settings.SAML_METADATA_FILES = [str(idp_metadata)]
    return sp_metadata


def _skovde(keys, sp_metadata, **kwargs):
    return idp_config(
        SKOVDE, keys["skovde"], sp_metadata=sp_metadata, name="Skövde kommun", scope="skovde.se", **kwargs
    )


@pytest.fixture
def idp(sp, keys) -> LocalIdP:
    return LocalIdP(_skovde(keys, sp))


@pytest.fixture
def maria():
    user = make_user("mlindqvist", email="maria.lindqvist@skovde.se")
    SignOnIdentity.objects.create(user=user, principal_name="maria.lindqvist@skovde.se")
    return user


def _start(client, idp_entity=SKOVDE, next_url="/students/"):
    response = client.get(reverse("saml:login"), {"idp": idp_entity, "next": next_url})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _log_in(client, idp: LocalIdP, attributes=MARIA, **answer):
    message, relay_state = idp.parse_request(_start(client))
    saml_response = idp.answer(message, attributes, **answer)
    return client.post(reverse("saml:acs"), {"SAMLResponse": saml_response, "RelayState": relay_state}), saml_response


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_full_flow_logs_in_the_linked_account_and_returns_to_the_page_asked_for(client, idp, maria, caplog):
    location = _start(client)
    assert location.startswith(f"{SKOVDE}/sso/redirect?SAMLRequest=")
    assert "Signature=" in location  # the request is signed
    message, relay_state = idp.parse_request(location)
    assert message.assertion_consumer_service_url == f"{BASE}/saml2/acs/"
    with caplog.at_level(logging.INFO, logger="studievag.security"):
        response = client.post(
            reverse("saml:acs"), {"SAMLResponse": idp.answer(message, MARIA), "RelayState": relay_state}
        )
    assert response.status_code == 302
    assert response["Location"] == "/students/"
    assert _logged_in_as(client) == str(maria.pk)
    assert f"account {maria.pk} through identity provider {SKOVDE} (school units 56781234" in caplog.text
    # The identity provider's attributes changed nothing on the account.
    maria.refresh_from_db()
    assert maria.username == "mlindqvist"
    assert client.get("/").status_code == 200


def test_an_unknown_person_is_refused_with_a_clear_page_and_a_security_log_line(client, idp, maria, caplog):
    accounts = SignOnIdentity.objects.count(), type(maria).objects.count()
    with caplog.at_level(logging.WARNING, logger="studievag.security"):
        response, _ = _log_in(client, idp, {"eduPersonPrincipalName": ["nobody@skovde.se"]})
    assert response.status_code == 403
    page = response.content.decode()
    assert "nobody@skovde.se" in page
    assert _logged_in_as(client) is None
    assert "SAML log-in refused: no account linked to this eduPersonPrincipalName" in caplog.text
    assert "'nobody@skovde.se'" in caplog.text
    # Nothing was created.
    assert (SignOnIdentity.objects.count(), type(maria).objects.count()) == accounts


def test_an_inactive_account_is_refused(client, idp, maria, caplog):
    maria.is_active = False
    maria.save()
    with caplog.at_level(logging.WARNING, logger="studievag.security"):
        response, _ = _log_in(client, idp)
    assert response.status_code == 403
    assert "the linked account is not active" in caplog.text
    assert _logged_in_as(client) is None


def test_an_identity_outside_the_idps_scope_is_refused(client, idp, caplog):
    """An IdP may only assert identities in the scopes its metadata declares (shibmd:Scope)."""
    other = make_user("other")
    SignOnIdentity.objects.create(user=other, principal_name="rektor@falkoping.se")
    with caplog.at_level(logging.WARNING, logger="studievag.security"):
        response, _ = _log_in(client, idp, {"eduPersonPrincipalName": ["rektor@falkoping.se"]})
    assert response.status_code == 403
    assert "outside the identity provider's scope" in caplog.text
    assert _logged_in_as(client) is None


def test_an_idp_that_declares_no_scope_is_trusted_only_when_configured_by_name(client, sp, keys, settings, maria):
    unscoped = idp_config(SKOVDE, keys["skovde"], sp_metadata=sp, name="Skövde kommun", scope=None)
    Path(settings.SAML_METADATA_FILES[0]).write_text(metadata_xml(unscoped))
    response, _ = _log_in(client, LocalIdP(unscoped))
    assert response.status_code == 403
    assert _logged_in_as(client) is None
    settings.SAML_IDPS = [SKOVDE]
    response, _ = _log_in(client, LocalIdP(unscoped))
    assert response.status_code == 302
    assert _logged_in_as(client) == str(maria.pk)


def test_a_response_for_another_audience_is_refused(client, sp, keys, settings, tmp_path, maria, caplog):
    """The IdP knows another service too; an answer meant for it is not accepted here."""
    settings.SAML_ENTITY_ID = "https://another-service.test/sp"
    other_sp = tmp_path / "other-sp.xml"
    other_sp.write_text(str(entity_descriptor(saml.sp_config())))
    settings.SAML_ENTITY_ID = f"{BASE}/saml2/metadata/"
    idp = LocalIdP(_skovde(keys, [sp, other_sp]))
    with caplog.at_level(logging.WARNING, logger="studievag.security"):
        response, _ = _log_in(client, idp, audience="https://another-service.test/sp")
    assert response.status_code == 403
    assert "SAML log-in refused: the answer did not verify" in caplog.text
    assert _logged_in_as(client) is None


def test_a_response_signed_with_a_key_not_in_the_metadata_is_refused(client, sp, keys, maria, caplog):
    rogue = LocalIdP(idp_config(SKOVDE, keys["rogue"], sp_metadata=sp, name="Skövde kommun", scope="skovde.se"))
    with caplog.at_level(logging.WARNING, logger="studievag.security"):
        response, _ = _log_in(client, rogue)
    assert response.status_code == 403
    assert "the answer did not verify" in caplog.text
    assert "Signature" in caplog.text
    assert _logged_in_as(client) is None


def test_an_expired_assertion_is_refused(client, sp, keys, maria, caplog):
    stale = LocalIdP(_skovde(keys, sp, lifetime_minutes=-10))
    with caplog.at_level(logging.WARNING, logger="studievag.security"):
        response, _ = _log_in(client, stale)
    assert response.status_code == 403
    assert "the answer did not verify" in caplog.text
    assert _logged_in_as(client) is None


def test_a_replayed_response_is_refused(client, idp, maria, caplog):
    response, saml_response = _log_in(client, idp)
    assert response.status_code == 302
    client.logout()
    with caplog.at_level(logging.WARNING, logger="studievag.security"):
        again = client.post(reverse("saml:acs"), {"SAMLResponse": saml_response})
    assert again.status_code == 403
    assert "the answer did not verify" in caplog.text
    assert _logged_in_as(client) is None


def test_an_unsolicited_response_is_refused(client, idp, maria):
    """A response to a request this browser never made (IdP-initiated, or stolen) is refused."""
    other_browser = type(client)()
    message, _ = idp.parse_request(_start(other_browser))
    response = client.post(reverse("saml:acs"), {"SAMLResponse": idp.answer(message, MARIA)})
    assert response.status_code == 403
    assert _logged_in_as(client) is None


def test_matching_by_mail_when_configured(client, idp, settings):
    settings.SAML_MATCH = "mail"
    user = make_user("kalle", email="Kalle.Berg@skovde.se")
    response, _ = _log_in(client, idp, {"eduPersonPrincipalName": ["kb@skovde.se"], "mail": ["kalle.berg@skovde.se"]})
    assert response.status_code == 302
    assert _logged_in_as(client) == str(user.pk)


def test_an_idp_outside_the_allow_list_is_refused_before_and_after(client, idp, maria, settings):
    settings.SAML_IDPS = [FALKOPING]
    response = client.get(reverse("saml:login"), {"idp": SKOVDE})
    assert response.status_code == 404
    assert client.get(reverse("saml:choose")).context["any_provider"] is False


def test_sp_metadata_is_published_at_a_stable_address(client, sp, keys):
    response = client.get("/saml2/metadata/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'entityID="{BASE}/saml2/metadata/"' in body
    assert f'Location="{BASE}/saml2/acs/"' in body
    assert "eduPersonPrincipalName" in body or "1.3.6.1.4.1.5923.1.1.1.6" in body
    # The SP's certificate (signing and encryption), never its key.
    certificate = "".join(keys["sp"].cert.read_text().splitlines()[1:-1])
    assert certificate[:60] in body.replace("\n", "")
    assert "PRIVATE KEY" not in body


def test_the_choice_page_lists_the_organisations_and_searches_them(client, sp, keys, settings, tmp_path, en):
    falkoping = tmp_path / "falkoping.xml"
    falkoping.write_text(
        metadata_xml(idp_config(FALKOPING, keys["falkoping"], sp_metadata=sp, name="Falköpings kommun", scope="f.se"))
    )
    settings.SAML_METADATA_FILES = [*settings.SAML_METADATA_FILES, str(falkoping)]
    page = client.get(reverse("saml:choose"), {"next": "/students/"}).content.decode()
    assert page.index("Falköpings kommun") < page.index("Skövde kommun")
    assert "next=%2Fstudents%2F" in page
    found = client.get(reverse("saml:choose"), {"q": "skövde"}).content.decode()
    assert "Skövde kommun" in found
    assert "Falköpings kommun" not in found
    assert "No organisation matches" in client.get(reverse("saml:choose"), {"q": "Lund"}).content.decode()


def test_the_login_page_offers_saml_when_it_is_on(client, sp, en):
    page = client.get("/login/?next=/plans/").content.decode()
    assert "/saml2/choose/?next=/plans/" in page or "/saml2/choose/?next=%2Fplans%2F" in page


def test_everything_answers_404_when_saml_is_off(client):
    for name in ("choose", "login", "metadata"):
        assert client.get(reverse(f"saml:{name}")).status_code == 404
    assert client.post(reverse("saml:acs"), {"SAMLResponse": "x"}).status_code == 404
    assert "/saml2/" not in client.get("/login/").content.decode()


# --- Metadata: each source on its own, the last good copy kept ---------------------------


def test_one_unreachable_source_does_not_stop_log_in_through_the_others(client, sp, keys, settings, maria, caplog):
    """Skövde's metadata comes from a URL; Falköping's URL does not answer. Skövde still works."""
    skovde_xml = metadata_xml(_skovde(keys, sp)).encode()
    settings.SAML_METADATA_FILES = []
    with MetadataServer() as server:
        server.documents["/skovde.xml"] = skovde_xml
        settings.SAML_METADATA_URLS = [server.url("/falkoping.xml"), server.url("/skovde.xml")]
        with caplog.at_level(logging.WARNING, logger="studievag.saml"):
            results = saml.refresh_metadata()
    assert [r.ok for r in results] == [False, True]
    assert "no copy is cached" in caplog.text
    response, _ = _log_in(client, LocalIdP(_skovde(keys, sp)))
    assert response.status_code == 302
    assert _logged_in_as(client) == str(maria.pk)


def test_a_federation_aggregate_is_verified_and_its_last_good_copy_kept(client, sp, keys, settings, maria, caplog):
    skovde = _skovde(keys, sp)
    falkoping = idp_config(FALKOPING, keys["falkoping"], sp_metadata=sp, name="Falköpings kommun", scope="f.se")
    settings.SAML_METADATA_FILES = []
    settings.SAML_METADATA_CERT = str(keys["federation"].cert)
    with MetadataServer() as server:
        url = server.url("/federation.xml")
        settings.SAML_METADATA_URLS = [url]
        server.documents["/federation.xml"] = signed_aggregate([skovde, falkoping], keys["federation"]).encode()
        assert [r.entities for r in saml.refresh_metadata()] == [2]
        good = saml.cache_path(url).read_bytes()
        # The same document again: the cached file is left as it is (no re-parse in every worker).
        modified = saml.cache_path(url).stat().st_mtime_ns
        assert [r.ok for r in saml.refresh_metadata()] == [True]
        assert saml.cache_path(url).stat().st_mtime_ns == modified
        # Signed by someone else: refused, the good copy stays.
        server.documents["/federation.xml"] = signed_aggregate([falkoping], keys["rogue"]).encode()
        with caplog.at_level(logging.WARNING, logger="studievag.saml"):
            assert [r.ok for r in saml.refresh_metadata()] == [False]
        assert "the last good copy stays in use" in caplog.text
        # Not signed at all: refused too.
        server.documents["/federation.xml"] = metadata_xml(falkoping).encode()
        assert [r.ok for r in saml.refresh_metadata()] == [False]
        # The federation does not answer at all.
        del server.documents["/federation.xml"]
        assert [r.ok for r in saml.refresh_metadata()] == [False]
    assert saml.cache_path(url).read_bytes() == good
    names = [idp.name for idp in saml.identity_providers(saml.sp_config())]
    assert names == ["Falköpings kommun", "Skövde kommun"]
    response, _ = _log_in(client, LocalIdP(skovde))
    assert response.status_code == 302
    assert _logged_in_as(client) == str(maria.pk)


def test_a_broken_cached_source_is_left_out_and_the_others_load(sp, keys, settings, tmp_path, caplog):
    broken = tmp_path / "broken.xml"
    broken.write_text("<not-metadata")
    settings.SAML_METADATA_FILES = [str(broken), *settings.SAML_METADATA_FILES]
    with caplog.at_level(logging.ERROR, logger="studievag.saml"):
        providers = saml.identity_providers(saml.sp_config())
    assert [idp.entity_id for idp in providers] == [SKOVDE]
    assert "broken.xml not used" in caplog.text


def test_the_refresh_command_and_job(sp, keys, settings):
    from django.core.management import call_command

    from studievag.core.tasks import saml_metadata_refresh_task
    from studievag.jobs.models import JobRun

    with MetadataServer() as server:
        server.documents["/skovde.xml"] = metadata_xml(_skovde(keys, sp)).encode()
        settings.SAML_METADATA_URLS = [server.url("/skovde.xml"), server.url("/gone.xml")]
        call_command("saml_metadata_refresh")
        saml_metadata_refresh_task.call()
    run = JobRun.objects.get(name="saml.metadata_refresh")
    assert (run.items_total, run.items_failed) == (2, 1)


def test_the_administrator_links_an_identity_to_an_account_in_the_admin(cast, login):
    admin = login(cast.admin)
    assert admin.get("/admin/core/signonidentity/").status_code == 200
    response = admin.post(
        "/admin/core/signonidentity/add/", {"user": cast.mentor_a.pk, "principal_name": " Anna.Berg@Skovde.se "}
    )
    assert response.status_code == 302, response.content[:2000]
    identity = SignOnIdentity.objects.get()
    assert (identity.user, identity.principal_name) == (cast.mentor_a, "anna.berg@skovde.se")
    assert identity.history.count() == 1  # who linked it, and when
    assert login(cast.mentor_a).get("/admin/core/signonidentity/").status_code == 403
