"""Rule versions: lists, detail, the review workflow, new versions by edit/refine, and diffs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from monitorgen.api.common import ListApi, caller, error_responses, paginated_response
from monitorgen.api.fields import DiffLineKindField, VersionStateField
from monitorgen.api.generation import GENERATORS, DraftOutcomeSerializer, outcome_data
from monitorgen.api.presenting import version_explanation
from monitorgen.api.serializers import (
    EventSerializer,
    VersionDetailSerializer,
    VersionSummarySerializer,
)
from monitorgen.core.diff import diff_versions
from monitorgen.rules.drafting import rule_version_edit, rule_version_refine
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.selectors import review_queue, rule_version_get, rule_version_list
from monitorgen.rules.services import (
    rule_version_approve,
    rule_version_comment,
    rule_version_reject,
    rule_version_request_changes,
    rule_version_rollback,
    rule_version_submit,
)

VERSION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Rule version id.")
TAGS = ["versions"]
Handler = Callable[..., Response]


def version_detail(version: RuleVersion, user: User) -> Any:
    """The detail body of a version, as `user` sees it."""
    events = list(version.events.select_related("actor").order_by("created_at", "id"))
    return VersionDetailSerializer(version, context={"user": user, "events": events}).data


def _detail_response(pk: int, user: User, http_status: int = status.HTTP_200_OK) -> Response:
    version = rule_version_get(viewer=user, pk=pk)
    return Response(version_detail(version, user), status=http_status)


class OptionalCommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)

    class Meta:
        ref_name = "OptionalComment"


class RequiredCommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(max_length=10_000, help_text="Required; must not be blank.")

    class Meta:
        ref_name = "RequiredComment"


# --- reads ---------------------------------------------------------------------------------------
class VersionListApi(ListApi):
    class FilterSerializer(serializers.Serializer[Any]):
        state = VersionStateField(required=False)
        team = serializers.SlugField(required=False, help_text="Team slug.")

        class Meta:
            ref_name = "VersionFilter"

    @extend_schema(
        operation_id="versions_list",
        tags=TAGS,
        summary="Versions the caller can see, newest first",
        parameters=[FilterSerializer],
        responses={200: VersionSummarySerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        versions = rule_version_list(viewer=caller(request), **filters.validated_data)
        return paginated_response(
            request=request, view=self, queryset=versions, serializer_class=VersionSummarySerializer
        )


class ReviewQueueApi(ListApi):
    @extend_schema(
        operation_id="review_queue",
        tags=TAGS,
        summary="Versions waiting for review by someone other than their author, oldest first",
        responses={200: VersionSummarySerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request) -> Response:
        versions = review_queue(viewer=caller(request))
        return paginated_response(
            request=request, view=self, queryset=versions, serializer_class=VersionSummarySerializer
        )


class VersionDetailApi(APIView):
    @extend_schema(
        operation_id="versions_retrieve",
        tags=TAGS,
        summary="A version with spec, YAML, explanation, history and the caller's actions",
        parameters=[VERSION_ID],
        responses={200: VersionDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail_response(pk, caller(request))


# --- workflow ------------------------------------------------------------------------------------
def _version_input(
    serializer_class: type[serializers.Serializer[Any]], request: Request, pk: int
) -> tuple[User, RuleVersion, dict[str, Any]]:
    """Parse the body, then find the version as the caller may see it (404 otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = caller(request)
    return user, rule_version_get(viewer=user, pk=pk), dict(serializer.validated_data)


def _workflow_schema(
    operation_id: str, summary: str, request: type[serializers.Serializer[Any]]
) -> Callable[[Handler], Handler]:
    return extend_schema(
        operation_id=operation_id,
        tags=TAGS,
        summary=summary,
        parameters=[VERSION_ID],
        request=request,
        responses={200: VersionDetailSerializer, **error_responses(400, 404, 409)},
    )


class VersionSubmitApi(APIView):
    InputSerializer = OptionalCommentSerializer

    @_workflow_schema("versions_submit", "Submit a draft for review", OptionalCommentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user, version, data = _version_input(self.InputSerializer, request, pk)
        rule_version_submit(version=version, actor=user, **data)
        return _detail_response(pk, user)


class VersionApproveApi(APIView):
    InputSerializer = OptionalCommentSerializer

    @_workflow_schema(
        "versions_approve",
        "Approve a version in review (a reviewer other than the author); "
        "it becomes approved once the team's quorum is reached",
        OptionalCommentSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        user, version, data = _version_input(self.InputSerializer, request, pk)
        rule_version_approve(version=version, reviewer=user, **data)
        return _detail_response(pk, user)


class VersionRequestChangesApi(APIView):
    InputSerializer = RequiredCommentSerializer

    @_workflow_schema(
        "versions_request_changes",
        "Send a version in review back to its author, saying what should change",
        RequiredCommentSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        user, version, data = _version_input(self.InputSerializer, request, pk)
        rule_version_request_changes(version=version, reviewer=user, **data)
        return _detail_response(pk, user)


class VersionRejectApi(APIView):
    InputSerializer = RequiredCommentSerializer

    @_workflow_schema(
        "versions_reject", "Reject a version in review, saying why", RequiredCommentSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        user, version, data = _version_input(self.InputSerializer, request, pk)
        rule_version_reject(version=version, reviewer=user, **data)
        return _detail_response(pk, user)


class VersionCommentApi(APIView):
    InputSerializer = RequiredCommentSerializer

    @extend_schema(
        operation_id="versions_comment",
        tags=TAGS,
        summary="Comment on a version (any member of its team)",
        parameters=[VERSION_ID],
        request=RequiredCommentSerializer,
        responses={201: EventSerializer, **error_responses(400, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        user, version, data = _version_input(self.InputSerializer, request, pk)
        event = rule_version_comment(version=version, actor=user, **data)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


class VersionRollbackApi(APIView):
    InputSerializer = OptionalCommentSerializer

    @extend_schema(
        operation_id="versions_rollback",
        tags=TAGS,
        summary="Re-submit this version's content as a new version, which goes through review",
        parameters=[VERSION_ID],
        request=OptionalCommentSerializer,
        responses={
            201: OpenApiResponse(VersionDetailSerializer, description="The new version."),
            **error_responses(400, 404, 409),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user, version, data = _version_input(self.InputSerializer, request, pk)
        new = rule_version_rollback(version=version, author=user, **data)
        return Response(version_detail(new, user), status=status.HTTP_201_CREATED)


# --- new versions --------------------------------------------------------------------------------
class VersionRefineApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        feedback = serializers.CharField(
            max_length=4000, help_text='What should change, e.g. "only page after 15 minutes".'
        )
        generator = serializers.ChoiceField(choices=GENERATORS, required=False)

        class Meta:
            ref_name = "RefineInput"

    @extend_schema(
        operation_id="versions_refine",
        tags=TAGS,
        summary="Revise a version from plain-language feedback (new draft versions)",
        parameters=[VERSION_ID],
        request=InputSerializer,
        responses={
            200: OpenApiResponse(
                DraftOutcomeSerializer,
                description="The generation outcome; with status ok, new drafts were saved.",
            ),
            **error_responses(400, 404, 500, 502),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user, version, data = _version_input(self.InputSerializer, request, pk)
        outcome = rule_version_refine(
            version=version,
            feedback=data["feedback"],
            author=user,
            generator=data.get("generator"),
        )
        body = outcome_data(
            outcome,
            group=version.rule.group,
            catalog_slug=str(version.provenance.get("catalog") or ""),
        )
        return Response(DraftOutcomeSerializer(body).data)


class VersionEditApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        text = serializers.CharField(
            max_length=100_000,
            trim_whitespace=False,
            help_text="YAML of ONE rule (alert, expr, for, labels, annotations) - not a rule file.",
        )

        class Meta:
            ref_name = "EditInput"

    @extend_schema(
        operation_id="versions_edit",
        tags=TAGS,
        summary="Save a hand-edited rule as a new draft version (validated like any other)",
        parameters=[VERSION_ID],
        request=InputSerializer,
        responses={
            201: OpenApiResponse(VersionDetailSerializer, description="The new version."),
            **error_responses(400, 404, 500, 502),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        user, version, data = _version_input(self.InputSerializer, request, pk)
        new = rule_version_edit(version=version, text=data["text"], author=user)
        return Response(version_detail(new, user), status=status.HTTP_201_CREATED)


# --- diff ----------------------------------------------------------------------------------------
class DiffLineSerializer(serializers.Serializer[Any]):
    kind = DiffLineKindField()
    text = serializers.CharField()
    old = serializers.IntegerField(allow_null=True, help_text="Line number in the old text.")
    new = serializers.IntegerField(allow_null=True, help_text="Line number in the new text.")

    class Meta:
        ref_name = "DiffLine"


class FieldChangeSerializer(serializers.Serializer[Any]):
    path = serializers.CharField(help_text="The changed field, e.g. `labels.severity` or `for`.")
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)

    class Meta:
        ref_name = "FieldChange"


class VersionDiffApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        against = serializers.IntegerField(
            required=False,
            min_value=1,
            help_text="Id of the version to compare with; default: the previous version of the "
            "same rule (for a first version: nothing, so every line is added).",
        )

        class Meta:
            ref_name = "DiffQuery"

    class OutputSerializer(serializers.Serializer[Any]):
        version = serializers.IntegerField(help_text="The new side: this version's id.")
        against = serializers.IntegerField(
            allow_null=True, help_text="The old side's version id (null: compared with nothing)."
        )
        changed = serializers.BooleanField()
        field_changes = FieldChangeSerializer(
            many=True, source="fields", help_text="Changed fields of the spec."
        )
        yaml = DiffLineSerializer(many=True)
        explanation = DiffLineSerializer(many=True)
        unified = serializers.CharField(help_text="Unified diff of the YAML.")

        class Meta:
            ref_name = "VersionDiff"

    @extend_schema(
        operation_id="versions_diff",
        tags=TAGS,
        summary="What changed between two versions: fields, YAML lines and explanation lines",
        parameters=[VERSION_ID, InputSerializer],
        responses={200: OutputSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = caller(request)
        version = rule_version_get(viewer=user, pk=pk)
        against_id = query.validated_data.get("against")
        old: RuleVersion | None
        if against_id is not None:
            old = rule_version_get(viewer=user, pk=against_id)
        else:
            old = (
                RuleVersion.objects.filter(rule_id=version.rule_id, number__lt=version.number)
                .order_by("-number")
                .first()
            )
        diff = diff_versions(
            old_spec=old.spec if old else {},
            new_spec=version.spec,
            old_yaml=old.yaml if old else "",
            new_yaml=version.yaml,
            old_explanation=version_explanation(old) if old else "",
            new_explanation=version_explanation(version),
            old_label=f"{old.rule.name} v{old.number}" if old else "(nothing)",
            new_label=f"{version.rule.name} v{version.number}",
        )
        body = {"version": version.pk, "against": old.pk if old else None, **diff.as_dict()}
        return Response(self.OutputSerializer(body).data)
