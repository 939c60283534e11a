"""Every API error as ``application/problem+json`` (RFC 9457).

A bad request lists ``errors``, each naming the field or row (``rows[2].step``);
a Django ``ValidationError`` from a service (the same services as the pages) is
turned into the same 400, a ``Http404`` into 404 and ``PermissionDenied`` into 403.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

PROBLEM_JSON = "application/problem+json"


TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    415: "Unsupported media type",
    429: "Too many requests",
}


def _field_errors(detail) -> list[dict]:
    """Flatten DRF's nested error detail into ``[{"field": "rows[2].step", "message": …}]``."""
    out: list[dict] = []

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path and key != "non_field_errors" else (path or str(key)))
        elif isinstance(node, list):
            if all(not isinstance(v, dict | list) for v in node):
                out.extend({"field": path, "message": str(v)} for v in node)
            else:
                for i, value in enumerate(node):
                    walk(value, f"{path}[{i}]")
        else:
            out.append({"field": path, "message": str(node)})

    walk(detail, "")
    return out


def problem_handler(exc, context):
    """Errors as problem details; a Django ``ValidationError`` from a service is a 400 naming the field."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or _("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    body: dict = {"type": "about:blank", "title": TITLES.get(code, "Error"), "status": code}
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = _("The request has errors: see errors, each naming the field.")
        body["errors"] = _field_errors(exc.detail)
    else:
        body["detail"] = str(getattr(exc, "detail", "")) or body["title"]
    set_rollback()
    problem = Response(body, status=code, headers={k: v for k, v in response.items() if k != "Content-Type"})
    problem.content_type = PROBLEM_JSON
    return problem
