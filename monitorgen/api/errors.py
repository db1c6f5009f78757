"""The one place where errors become HTTP responses: `{"code", "message", "details"}`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from monitorgen.core.errors import MonitorgenError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, MonitorgenError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        body: dict[str, Any] = {
            "code": "invalid_input",
            "message": "the request is invalid; see details",
            "details": {"fields": response.data},
        }
    elif isinstance(exc, drf_exceptions.APIException):
        detail = (
            response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        )
        body = {
            "code": str(exc.get_codes()) if isinstance(exc.get_codes(), str) else exc.default_code,
            "message": str(detail),
            "details": {},
        }
    else:  # pragma: no cover - DRF only handles APIException subclasses
        body = {"code": "error", "message": str(exc), "details": {}}
    response.data = body
    return response
