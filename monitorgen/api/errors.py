"""The one place where errors become HTTP responses: `{"code", "message", "details"}`.

Every error the API returns has that shape, whatever raised it:

- a `MonitorgenError` from a service or selector: its own code, message, details and status;
- a DRF validation error (bad input): 400 `invalid_input`, with `details.fields` mapping each
  field (or `non_field_errors`) to its messages;
- any other DRF error (401/403 not authenticated, 403 permission denied, 404, 405, 406, 415,
  429 ...): DRF's own code (`not_authenticated`, `method_not_allowed`, ...) and message;
- an unknown URL under `/api/` (see `ApiNotFoundApi` in `urls.py`): 404 `not_found`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from monitorgen.core.errors import MonitorgenError


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, MonitorgenError):
        # Like DRF does for its own errors: never commit a request-wide transaction on an error.
        set_rollback()
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, drf_exceptions.APIException):
        return response  # not an API error: Django shows its 500 page and logs the traceback
    if isinstance(exc, drf_exceptions.ValidationError):
        fields = response.data
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields if isinstance(fields, list) else [fields]}
        response.data = error_body(
            "invalid_input", "the request is invalid; see details.fields", {"fields": fields}
        )
        return response
    response.data = error_body(_code_of(exc), _message_of(response.data), _details_of(exc))
    return response


def _code_of(exc: drf_exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else str(exc.default_code)


def _message_of(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("detail", ""))
    if isinstance(data, list):
        return "; ".join(str(item) for item in data)
    return str(data)


def _details_of(exc: drf_exceptions.APIException) -> dict[str, Any]:
    wait = getattr(exc, "wait", None)
    if isinstance(exc, drf_exceptions.Throttled) and wait is not None:
        return {"retry_after_seconds": wait}
    return {}
