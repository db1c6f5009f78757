"""API tokens for automation: POST /api/token/ (DRF's ObtainAuthToken, documented)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from monitorgen.api.common import ErrorSerializer


class TokenObtainApi(ObtainAuthToken):
    """Exchange a username and password for an API token; send it as `Authorization: Token <key>`.

    The same token is returned on every call until an admin deletes it.
    """

    authentication_classes = ()  # credentials are in the body; no session, so no CSRF check
    # Password guessing is slowed per client address (rate: settings API_TOKEN_THROTTLE).
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "token"

    class InputSerializer(serializers.Serializer[Any]):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

        class Meta:
            ref_name = "TokenInput"

    class OutputSerializer(serializers.Serializer[Any]):
        token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")

        class Meta:
            ref_name = "Token"

    @extend_schema(
        operation_id="token_obtain",
        tags=["auth"],
        summary="Obtain an API token for automation",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Missing fields, or wrong credentials (`invalid_input`).",
            ),
        },
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)
