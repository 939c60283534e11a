"""A local SAML identity provider for the tests: pysaml2's own ``Server``, with keys made here.

Nothing in this module is used outside the tests. The keys and certificates are generated
for each test session (RSA 2048, self-signed, valid for a day) and never committed.
"""

from __future__ import annotations

import base64
import datetime
import os
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORD
from saml2.config import Config, IdPConfig
from saml2.metadata import entities_descriptor, entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server
from saml2.sigver import security_context

from studievag.core import saml
from studievag.core.saml import ATTRIBUTE_MAP_DIR

XMLSEC = "/usr/bin/xmlsec1"
# Without xmlsec1 the SAML tests are skipped on a developer's machine, never in CI
# (make test installs it there: scripts/system-deps).
NO_XMLSEC = not Path(XMLSEC).exists() and not os.environ.get("CI")


@dataclass(frozen=True)
class KeyPair:
    key: Path
    cert: Path


def make_key_pair(directory: Path, name: str) -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} (test only)")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pair = KeyPair(directory / f"{name}.key", directory / f"{name}.pem")
    pair.key.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    pair.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pair


def configure_sp(settings, directory: Path, keys: dict[str, KeyPair], base: str) -> Path:
    """Switch SAML sign-on on for a test (pytest-django's ``settings``); return the SP's metadata file."""
    settings.SAML_ENABLED = True
    settings.SAML_BASE_URL = base
    settings.SAML_ENTITY_ID = f"{base}/saml2/metadata/"
    settings.SAML_KEY_FILE = str(keys["sp"].key)
    settings.SAML_CERT_FILE = str(keys["sp"].cert)
    settings.SAML_METADATA_URLS = []
    settings.SAML_METADATA_CERT = ""
    settings.SAML_METADATA_FILES = []
    settings.SAML_METADATA_CACHE = str(directory / "cache")
    settings.SAML_IDPS = []
    settings.SAML_MATCH = "eppn"
    sp_metadata = directory / "sp.xml"
    sp_metadata.write_text(str(entity_descriptor(saml.sp_config())))
    return sp_metadata


def idp_config(
    entity_id: str,
    keys: KeyPair,
    *,
    sp_metadata: Path | list[Path] | None,
    name: str,
    scope: str | None,
    lifetime_minutes: int = 15,
) -> IdPConfig:
    sp_files = sp_metadata if isinstance(sp_metadata, list) else [sp_metadata] if sp_metadata else []
    config = IdPConfig()
    config.load(
        {
            "entityid": entity_id,
            "xmlsec_binary": XMLSEC,
            "attribute_map_dir": str(ATTRIBUTE_MAP_DIR),
            "key_file": str(keys.key),
            "cert_file": str(keys.cert),
            "service": {
                "idp": {
                    "name": name,
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{entity_id}/sso/redirect", BINDING_HTTP_REDIRECT),
                            (f"{entity_id}/sso/post", BINDING_HTTP_POST),
                        ]
                    },
                    **({"scope": [scope]} if scope else {}),
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "organization": {"name": [(name, "sv")], "display_name": [(name, "sv")], "url": [(entity_id, "sv")]},
            **({"metadata": {"local": [str(path) for path in sp_files]}} if sp_files else {}),
        }
    )
    return config


def metadata_xml(config: Config) -> str:
    return str(entity_descriptor(config))


def signed_aggregate(configs: list[Config], federation: KeyPair, *, valid_hours: int = 24) -> str:
    """A federation's aggregate of several entities, signed with the federation's key."""
    signer = Config()
    signer.load({"xmlsec_binary": XMLSEC, "key_file": str(federation.key), "cert_file": str(federation.cert)})
    _, xml = entities_descriptor(
        [entity_descriptor(config) for config in configs],
        valid_hours,
        "test-federation",
        "test-aggregate",
        True,
        security_context(signer),
    )
    return str(xml)


class LocalIdP:
    """Answers a redirect-binding AuthnRequest with a signed Response, as a real IdP would."""

    def __init__(self, config: IdPConfig) -> None:
        self.server = Server(config=config)
        self.entity_id = config.entityid

    def parse_request(self, location: str):
        query = parse_qs(urlparse(location).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        return request.message, query.get("RelayState", [""])[0]

    def answer(
        self,
        message,
        attributes: dict[str, list[str]],
        *,
        audience: str | None = None,
        destination: str | None = None,
    ) -> str:
        response = self.server.create_authn_response(
            identity=attributes,
            in_response_to=message.id,
            destination=destination or message.assertion_consumer_service_url,
            sp_entity_id=audience or message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text="transient-4711"),
            authn={"class_ref": PASSWORD, "authn_auth": self.entity_id},
            sign_assertion=True,
            sign_response=True,
        )
        return base64.b64encode(str(response).encode()).decode()


class MetadataServer:
    """A bounded HTTP server on 127.0.0.1 that serves metadata documents by path."""

    def __init__(self) -> None:
        self.documents: dict[str, bytes] = {}
        documents = self.documents

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = documents.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/samlmetadata+xml")
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self) -> MetadataServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
