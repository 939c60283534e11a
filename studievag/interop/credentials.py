"""Where a register's credentials come from: the environment or a secrets file, never the database.

For a connection whose credential name is ``SKOVDE``:

- ``STUDIEVAG_SS12000_SKOVDE_TOKEN`` — the bearer token; optionally
  ``STUDIEVAG_SS12000_SKOVDE_CERT`` and ``…_KEY`` — paths of a client
  certificate and its key, for registers that require mutual TLS;
- or, in the TOML file named by ``STUDIEVAG_SECRETS_FILE`` (readable only by
  the service account)::

      [ss12000.SKOVDE]
      token = "…"
      cert = "/etc/studievag/skovde.crt"   # optional
      key = "/etc/studievag/skovde.key"    # optional

The environment wins over the file.
"""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


class MissingCredential(Exception):
    pass


@dataclass(frozen=True)
class Credential:
    token: str
    cert: tuple[str, str] | None = None


def _from_file(name: str) -> dict:
    path = getattr(settings, "SECRETS_FILE", "")
    if not path:
        return {}
    try:
        with Path(path).open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError as error:
        raise MissingCredential(f"The secrets file {path} does not exist.") from error
    except tomllib.TOMLDecodeError as error:
        raise MissingCredential(f"The secrets file {path} is not valid TOML: {error}") from error
    section = document.get("ss12000", {}).get(name, {})
    return section if isinstance(section, dict) else {}


def credential_for(name: str) -> Credential:
    prefix = f"STUDIEVAG_SS12000_{name}_"
    from_file = _from_file(name)
    token = os.environ.get(prefix + "TOKEN") or from_file.get("token", "")
    if not token:
        raise MissingCredential(
            f"No token for {name}: set {prefix}TOKEN or [ss12000.{name}] token in the secrets file."
        )
    cert = os.environ.get(prefix + "CERT") or from_file.get("cert", "")
    key = os.environ.get(prefix + "KEY") or from_file.get("key", "")
    return Credential(token=str(token), cert=(str(cert), str(key)) if cert and key else None)
