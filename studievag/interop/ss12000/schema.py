"""Validation against SS 12000's OpenAPI document (version 2.1.0).

The document is OpenAPI 3.0, whose schemas are JSON Schema with two
differences that matter here: ``nullable: true`` (JSON Schema writes a
``null`` type) and ``readOnly``, which only documents. The component schemas
are turned into plain JSON Schema once, and every response of the test
register and every StudyPlan we export is checked with ``jsonschema``,
formats (date, date-time, uuid, e-mail) included.
"""

import copy
import datetime
import functools
import json
import re
import uuid
from pathlib import Path
from typing import Any

import jsonschema

SPEC_PATH = Path(__file__).parent / "openapi-2.1.0.json"
VERSION = "2.1.0"


@functools.cache
def openapi() -> dict[str, Any]:
    """The OpenAPI document as published (read once)."""
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _as_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _as_json_schema(value) for key, value in node.items() if key not in ("example", "nullable")}
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


@functools.cache
def _root() -> dict[str, Any]:
    components = _as_json_schema(copy.deepcopy(openapi()["components"]))
    return {"components": components}


FORMATS = jsonschema.FormatChecker(formats=())
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", re.IGNORECASE)


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or (bool(datetime.date.fromisoformat(value)) and len(value) == 10)


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_RFC3339.match(value)) and bool(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or str(uuid.UUID(value)) == value.lower()


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value))


@functools.cache
def validator(name: str) -> jsonschema.Draft7Validator:
    """A validator for one component schema, e.g. ``validator("StudyPlan")``."""
    if name not in openapi()["components"]["schemas"]:
        raise KeyError(f"SS 12000 has no schema called {name}")
    schema = {"$ref": f"#/components/schemas/{name}", **_root()}
    return jsonschema.Draft7Validator(schema, format_checker=FORMATS)


def errors(name: str, instance: Any) -> list[str]:
    """Every way ``instance`` breaks schema ``name``, as ``path: message`` lines (empty when valid)."""
    found = []
    for error in validator(name).iter_errors(instance):
        path = "/".join(str(p) for p in error.absolute_path) or "(root)"
        found.append(f"{path}: {error.message}")
    return sorted(found)


def validate(name: str, instance: Any) -> None:
    """Raise :class:`SchemaError` listing every error when ``instance`` does not follow schema ``name``."""
    found = errors(name, instance)
    if found:
        raise SchemaError(name, found)


class SchemaError(ValueError):
    def __init__(self, name: str, problems: list[str]):
        self.name = name
        self.problems = problems
        super().__init__(f"not a valid SS 12000 {name}: " + "; ".join(problems[:5]))


def response_schema(path: str, method: str = "get", status: str = "200") -> str:
    """The component schema name of an operation's JSON response, e.g. ``("/persons") -> "PersonsExpanded"``."""
    operation = openapi()["paths"][path][method]
    responses = operation["responses"]
    response = responses.get(status) or responses["default"]
    ref = response["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[1]


def enum(name: str) -> list[str]:
    """The values of an enumeration schema, e.g. ``enum("DutyRole")``."""
    return list(openapi()["components"]["schemas"][name]["enum"])
