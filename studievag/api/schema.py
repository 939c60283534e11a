"""The OpenAPI document's shared parts: the bearer token, and problem details for every error.

Each operation documents the errors it can answer with, as
``application/problem+json``: 401 (no or bad token), 403 (scope or role
missing), 429 (too many calls), 400 (a bad body or query parameter, or one the
endpoint does not take); 404 where the path names an object (and for a report
level the integration may not see). The fuzzing test holds the
application to exactly these.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .problems import PROBLEM_JSON

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For a bad request: each error with the field or row it concerns.",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

DESCRIPTIONS = {
    "400": "The request has errors; `errors` names each field or row.",
    "401": "No token, or an unknown, revoked or expired one.",
    "403": "The token lacks the scope, or the integration's account the role, this endpoint needs.",
    "404": "No such object (or level), or one outside the integration's scope (the two look the same).",
    "429": "Too many calls with this token; try again after the `Retry-After` seconds.",
}


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "studievag.api.drf.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An integration token (`svi_…`), issued by the system administrator.",
        }


def _problem(code: str) -> dict:
    return {
        "description": DESCRIPTIONS[code],
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            # 400 everywhere: a query parameter an endpoint does not take is refused.
            codes = ["400", "401", "403", "429"]
            if "{" in path or operation.get("operationId") == "reports_retrieve":
                codes.append("404")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, _problem(code))
    return result
