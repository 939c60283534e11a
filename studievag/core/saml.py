"""Single sign-on with SAML 2.0, for Skolfederation and other SAML identity providers.

Off unless ``STUDIEVAG_SAML_BASE_URL`` is set (see README, "Sign-on with SAML
(Skolfederation)"). Like OpenID Connect sign-on (``sso.py``), it only finds an
existing, active account and never creates one or gives it a role: what a person
may see comes from the roles an administrator gives the account.

Metadata: the federation's aggregate and single identity providers' metadata are
fetched by the job ``saml.metadata_refresh`` (or ``manage.py saml_metadata_refresh``)
into a local cache, each source on its own. A source that cannot be fetched, or
whose signature does not verify, leaves its last good copy in the cache; a log-in
reads only the cache, so one unreachable source never stops log-in through the others.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import requests
import saml2
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from djangosaml2.backends import Saml2Backend
from saml2.config import SPConfig
from saml2.mdstore import MetaDataFile, MetadataStore
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.sigver import security_context

from .models import SignOnIdentity, normalise_principal_name

log = logging.getLogger("studievag.saml")
security_log = logging.getLogger("studievag.security")

ATTRIBUTE_MAP_DIR = Path(__file__).resolve().parent / "saml_attributemaps"
FETCH_TIMEOUT_SECONDS = 20
SCOPE_EXTENSION = "urn:mace:shibboleth:metadata:1.0&Scope"


# --- Configuration ---------------------------------------------------------------


def _config_dict() -> dict:
    base = settings.SAML_BASE_URL
    config: dict = {
        "entityid": settings.SAML_ENTITY_ID,
        "xmlsec_binary": settings.SAML_XMLSEC_BINARY,
        "attribute_map_dir": str(ATTRIBUTE_MAP_DIR),
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "key_file": settings.SAML_KEY_FILE,
        "cert_file": settings.SAML_CERT_FILE,
        "encryption_keypairs": [{"key_file": settings.SAML_KEY_FILE, "cert_file": settings.SAML_CERT_FILE}],
        "service": {
            "sp": {
                "name": settings.SAML_ORGANISATION_NAME,
                "endpoints": {
                    "assertion_consumer_service": [(f"{base}/saml2/acs/", saml2.BINDING_HTTP_POST)],
                },
                "name_id_format": [NAMEID_FORMAT_TRANSIENT, NAMEID_FORMAT_PERSISTENT],
                "required_attributes": ["eduPersonPrincipalName"],
                "optional_attributes": ["mail", "displayName", "givenName", "sn", "sisSchoolUnitCode"],
                "authn_requests_signed": True,
                "want_response_signed": False,
                "want_assertions_signed": False,
                # One of them must carry a valid signature by a key in the IdP's metadata.
                "want_assertions_or_response_signed": True,
                "only_use_keys_in_metadata": True,
                # Only answers to a request this browser started (no IdP-initiated log-in):
                # an answer used once is forgotten, so it cannot be replayed.
                "allow_unsolicited": False,
                "signing_algorithm": saml2.xmldsig.SIG_RSA_SHA256,
                "digest_algorithm": saml2.xmldsig.DIGEST_SHA256,
            }
        },
        "organization": {
            "name": [(settings.SAML_ORGANISATION_NAME, "sv")],
            "display_name": [(settings.SAML_ORGANISATION_NAME, "sv")],
            "url": [(base, "sv")],
        },
    }
    if settings.SAML_CONTACT_EMAIL:
        config["contact_person"] = [
            {"contact_type": "technical", "email_address": [settings.SAML_CONTACT_EMAIL]},
            {"contact_type": "support", "email_address": [settings.SAML_CONTACT_EMAIL]},
        ]
    return config


def sp_config(request=None) -> SPConfig:
    """djangosaml2's configuration loader: the settings, and the metadata from the local cache."""
    config = SPConfig()
    config.load(_config_dict())
    config.setattr("", "metadata", metadata_store(config))
    return config


# --- Metadata: fetched into a cache by a job, read from the cache at log-in -------------


def cache_path(url: str) -> Path:
    name = hashlib.sha256(url.encode()).hexdigest()[:24]
    return Path(settings.SAML_METADATA_CACHE) / f"{name}.xml"


def metadata_sources() -> list[Path]:
    """The cached copies of the fetched sources, then the local files, as far as they exist."""
    paths = [cache_path(url) for url in settings.SAML_METADATA_URLS]
    paths += [Path(name) for name in settings.SAML_METADATA_FILES]
    return [path for path in paths if path.is_file()]


_store_cache: dict[str, object] = {}


def metadata_store(config: SPConfig) -> MetadataStore:
    """One store of every source that loads; a source that does not is logged and left out.

    Parsed once per process and again when a cached file changes (a federation
    aggregate holds hundreds of entities).
    """
    sources = metadata_sources()
    key = repr([(str(path), path.stat().st_mtime_ns) for path in sources])
    if _store_cache.get("key") == key:
        return _store_cache["store"]  # type: ignore[return-value]
    store = MetadataStore(config.attribute_converters, config, check_validity=True)
    for path in sources:
        try:
            source = MetaDataFile(config.attribute_converters, str(path), security=store.security)
            source.load()
        except Exception as error:  # noqa: BLE001 - one broken source must not stop the others
            log.error("SAML metadata in %s not used: %s", path, error)
            continue
        store.metadata[str(path)] = source
    _store_cache.update(key=key, store=store)
    return store


@dataclass(frozen=True)
class RefreshResult:
    url: str
    ok: bool
    message: str
    entities: int = 0


def _verify(text: bytes, config: SPConfig) -> int:
    """Parse fetched metadata, check its validity and (with a federation certificate) its
    signature; return its number of entities. Raises on anything wrong."""
    with tempfile.NamedTemporaryFile(suffix=".xml") as file:
        file.write(text)
        file.flush()
        source = MetaDataFile(
            config.attribute_converters,
            file.name,
            cert=settings.SAML_METADATA_CERT or None,
            security=security_context(config),
            check_validity=True,
        )
        source.load()
    if settings.SAML_METADATA_CERT and not source.signed():
        raise ValueError("the metadata is not signed")
    if not len(source):
        raise ValueError("the metadata has no entities")
    return len(source)


def _write(path: Path, text: bytes) -> None:
    """Atomically, and only when changed: every process re-parses a changed file (seconds
    for a federation aggregate)."""
    if path.is_file() and path.read_bytes() == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as file:
        file.write(text)
    os.replace(tmp, path)


def refresh_metadata() -> list[RefreshResult]:
    """Fetch every configured metadata URL; keep the last good copy of any that fails."""
    if not settings.SAML_ENABLED:
        return []
    config = SPConfig()
    config.load(_config_dict())
    results = []
    for url in settings.SAML_METADATA_URLS:
        try:
            response = requests.get(url, timeout=FETCH_TIMEOUT_SECONDS)
            response.raise_for_status()
            entities = _verify(response.content, config)
        except Exception as error:  # noqa: BLE001 - every failure keeps the cached copy
            kept = "the last good copy stays in use" if cache_path(url).is_file() else "no copy is cached"
            message = f"{type(error).__name__}: {str(error)[:300]}"
            log.warning(
                "SAML metadata from %s not refreshed (%s); %s",
                url,
                message,
                kept,
            )
            results.append(RefreshResult(url, False, message))
            continue
        _write(cache_path(url), response.content)
        log.info("SAML metadata from %s refreshed: %d entities", url, entities)
        results.append(RefreshResult(url, True, "refreshed", entities))
    return results


# --- Identity providers --------------------------------------------------------------


@dataclass(frozen=True)
class IdentityProvider:
    entity_id: str
    name: str


def identity_providers(config: SPConfig, language: str = "sv") -> list[IdentityProvider]:
    """The identity providers one may log in through, by name: every IdP in the metadata,
    or those of ``STUDIEVAG_SAML_IDPS`` when it is set."""
    store = config.metadata
    found: set[str] = set()
    for source in store.metadata.values():
        found |= set(source.any("idpsso_descriptor", "single_sign_on_service") or {})
    if settings.SAML_IDPS:
        found &= set(settings.SAML_IDPS)
    providers = [IdentityProvider(entity_id, _name(store, entity_id, language)) for entity_id in found]
    return sorted(providers, key=lambda idp: idp.name.casefold())


def _name(store: MetadataStore, entity_id: str, language: str) -> str:
    """The organisation's display name in the page's language, else Swedish, else English."""
    for lang in (language, "sv", "en"):
        try:
            if name := store.name(entity_id, lang):
                return name
        except Exception:  # noqa: BLE001 - an entity without an organisation name
            break
    return entity_id


def idp_allowed(config: SPConfig, entity_id: str) -> bool:
    return any(idp.entity_id == entity_id for idp in identity_providers(config))


def idp_scopes(store: MetadataStore, entity_id: str) -> list[str]:
    """The scopes (shibmd:Scope) the identity provider's metadata says it may assert."""
    try:
        elements = store.extension(entity_id, "idpsso_descriptor", SCOPE_EXTENSION) or []
    except Exception:  # noqa: BLE001
        return []
    return [str(element.get("text", "")).strip().lower() for element in elements if element.get("text")]


# --- Matching a person to an account ---------------------------------------------------


class Refusal(PermissionDenied):
    """Why a verified answer from an identity provider did not log anyone in."""

    def __init__(self, reason: str, principal: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.principal = principal


def _first(attributes: dict, name: str) -> str:
    values = attributes.get(name) or []
    return str(values[0]).strip() if values else ""


def match_account(store: MetadataStore, idp: str, attributes: dict):
    """The active account the person signs in as; raises :class:`Refusal` otherwise."""
    if settings.SAML_IDPS and idp not in settings.SAML_IDPS:
        raise Refusal("identity provider not allowed")
    principal = normalise_principal_name(_first(attributes, "eduPersonPrincipalName"))
    if settings.SAML_MATCH == "mail":
        mail = _first(attributes, "mail")
        if not mail:
            raise Refusal("no mail attribute", principal)
        users = list(get_user_model().objects.filter(email__iexact=mail, is_active=True)[:2])
        if len(users) != 1:
            raise Refusal("no account with that e-mail address" if not users else "several accounts", mail)
        return users[0]
    if not principal or "@" not in principal:
        raise Refusal("no eduPersonPrincipalName", principal)
    scopes = idp_scopes(store, idp)
    if not scopes and idp not in settings.SAML_IDPS:
        # An IdP that declares no scope could assert anyone's identity: only one the
        # configuration names itself is trusted without.
        raise Refusal("the identity provider's metadata declares no scope", principal)
    if scopes and principal.rsplit("@", 1)[1] not in scopes:
        raise Refusal("eduPersonPrincipalName outside the identity provider's scope", principal)
    identity = SignOnIdentity.objects.select_related("user").filter(principal_name=principal).first()
    if identity is None:
        raise Refusal("no account linked to this eduPersonPrincipalName", principal)
    if not identity.user.is_active:
        raise Refusal("the linked account is not active", principal)
    return identity.user


class StudievagSaml2Backend(Saml2Backend):
    """The session's backend after a SAML log-in. Matches by :func:`match_account`; never
    creates an account, never changes one from the identity provider's attributes."""

    def authenticate(
        self, request, session_info=None, attribute_mapping=None, create_unknown_user=False, assertion_info=None, **kw
    ):
        if not settings.SAML_ENABLED or not session_info or "ava" not in session_info:
            return None
        try:
            return match_account(sp_config(request).metadata, session_info["issuer"], session_info["ava"])
        except Refusal:
            return None
