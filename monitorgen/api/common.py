"""Pieces every API module shares: the caller, pagination, and the error schema."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView


def caller(request: Request) -> User:
    """The authenticated user making the request (views require authentication)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotAuthenticated()
    return user


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error body: a stable code, a human message, and structured details."""

    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    message = serializers.CharField(help_text="What went wrong, for people.")
    details = serializers.DictField(
        help_text="Structured details; for `invalid_input`, `fields` maps each field to its errors."
    )

    class Meta:
        ref_name = "Error"


_ERROR_TEXT = {
    400: "Bad input (`invalid_input` with `details.fields`, or a more precise code).",
    403: "Not authenticated (`not_authenticated`: send a session cookie or "
    "`Authorization: Token <key>`), or not allowed (`permission_denied`).",
    404: "Not found, or not visible to the caller (`not_found`).",
    409: "Conflicts with the current state (`invalid_transition`, `conflict`).",
    422: "The rules were checked and are invalid (`validation_failed`).",
    500: "Misconfiguration (`configuration_error`, `promtool_unavailable`).",
    502: "An outside system failed (`promtool_error`, `llm_error`).",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the error statuses an operation can answer (403 is always possible)."""
    wanted = sorted({403, *statuses})
    return {
        status: OpenApiResponse(response=ErrorSerializer, description=_ERROR_TEXT[status])
        for status in wanted
    }


class ListApi(APIView):
    # An APIView whose GET answers one page (`?page=`) with the project's pagination class;
    # drf-spectacular documents the page parameter and the paginated envelope from it.
    pagination_class = cast("type[BasePagination] | None", api_settings.DEFAULT_PAGINATION_CLASS)


def paginated_response(
    *,
    request: Request,
    view: ListApi,
    queryset: QuerySet[Any],
    serializer_class: type[serializers.BaseSerializer[Any]],
    context: dict[str, Any] | None = None,
) -> Response:
    """One page of `queryset` in the project's page-number envelope (count, next, previous)."""
    paginator = (view.pagination_class or PageNumberPagination)()
    page = paginator.paginate_queryset(queryset, request, view=view)
    if page is None:  # pragma: no cover - PAGE_SIZE is always set
        return Response(serializer_class(queryset, many=True, context=context or {}).data)
    data = serializer_class(page, many=True, context=context or {}).data
    return paginator.get_paginated_response(data)
