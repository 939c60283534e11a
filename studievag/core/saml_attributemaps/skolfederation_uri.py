"""Attribute names for SAML sign-on: pysaml2's own maps plus Skolfederation's school attributes.

pysaml2 reads every ``dict`` with an ``identifier`` in this module (``attribute_map_dir``
in ``studievag/core/saml.py``). The URI map is pysaml2's, which already knows
eduPersonPrincipalName, mail, the names and Skolfederation's sisLegalGuardianFor and
sisSchoolGrade (OIDs under 1.2.752.194.10.2), extended with sisSchoolUnitCode.
"""

from saml2.attributemaps.basic import MAP as BASIC
from saml2.attributemaps.saml_uri import MAP as _URI
from saml2.attributemaps.shibboleth_uri import MAP as SHIBBOLETH

SIS = "urn:oid:1.2.752.194.10.2."
SKOLFEDERATION = {
    f"{SIS}4": "sisSchoolUnitCode",
}

URI = {
    "identifier": _URI["identifier"],
    "fro": {**_URI["fro"], **SKOLFEDERATION},
    "to": {**_URI["to"], **{name: oid for oid, name in SKOLFEDERATION.items()}},
}

__all__ = ["BASIC", "SHIBBOLETH", "URI"]
