"""Rules: one rule with all its versions, and its full review history."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from monitorgen.api.common import caller, error_responses
from monitorgen.api.fields import RuleKindField, VersionStateField
from monitorgen.api.serializers import EventSerializer
from monitorgen.rules.models import Rule
from monitorgen.rules.selectors import rule_get, rule_history

RULE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Rule id.")
TAGS = ["rules"]


class RuleVersionRowSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    state = VersionStateField()
    valid = serializers.BooleanField()
    based_on = serializers.IntegerField(
        source="based_on_id", allow_null=True, help_text="The version this one was made from."
    )
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "RuleVersionRow"


class RuleDetailApi(APIView):
    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        team = serializers.CharField(source="team.slug")
        group = serializers.CharField()
        name = serializers.CharField()
        kind = RuleKindField()
        retired = serializers.BooleanField()
        created_by = serializers.CharField(source="created_by.username")
        created_at = serializers.DateTimeField()
        versions = serializers.SerializerMethodField()

        class Meta:
            ref_name = "RuleDetail"

        @extend_schema_field(RuleVersionRowSerializer(many=True))
        def get_versions(self, rule: Rule) -> Any:
            versions = rule.versions.select_related("created_by").order_by("-number")
            return RuleVersionRowSerializer(versions, many=True).data

    @extend_schema(
        operation_id="rules_retrieve",
        tags=TAGS,
        summary="A rule with all its versions, newest first",
        parameters=[RULE_ID],
        responses={200: OutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        rule = rule_get(viewer=caller(request), pk=pk)
        return Response(self.OutputSerializer(rule).data)


class RuleHistoryApi(APIView):
    class OutputSerializer(EventSerializer):
        version_number = serializers.IntegerField(source="version.number")

        class Meta:
            ref_name = "RuleHistoryEvent"

    @extend_schema(
        operation_id="rules_history",
        tags=TAGS,
        summary="Every review event of every version of a rule, oldest first",
        parameters=[RULE_ID],
        responses={200: OutputSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        rule = rule_get(viewer=caller(request), pk=pk)
        return Response(self.OutputSerializer(rule_history(rule=rule), many=True).data)
