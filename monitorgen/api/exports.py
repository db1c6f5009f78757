"""GitOps export: targets (admins configure them), runs (export now, or a dry run), history, and
the same tree as a tar.gz or zip download.

A target names its credentials (an environment variable or a secrets file); the secret itself
never passes through the API.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from monitorgen.accounts.models import Team
from monitorgen.adapters.git import redact_url
from monitorgen.api.common import ListApi, caller, error_responses, paginated_response
from monitorgen.core.errors import NotFound
from monitorgen.exports.models import ExportFormat, ExportRun, ExportTarget, RunStatus, Trigger
from monitorgen.exports.selectors import (
    export_run_get,
    export_run_list,
    export_target_get,
    export_target_list,
)
from monitorgen.exports.services import (
    ARCHIVE_KINDS,
    UNSET,
    ExportArchive,
    export_archive,
    export_run,
    export_target_create,
    export_target_update,
)

TAGS = ["exports"]
NAME = OpenApiParameter("name", str, OpenApiParameter.PATH, description="Export target name.")
RUN_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Export run id.")
KIND = OpenApiParameter(
    "kind", str, OpenApiParameter.QUERY, enum=list(ARCHIVE_KINDS), required=False,
    description="Archive type (default tar.gz).",
)


def _enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values}


@extend_schema_field(_enum(list(ExportFormat.values)), component_name="ExportFormat")
class ExportFormatField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ExportFormat.choices, **kwargs)


@extend_schema_field(_enum(list(RunStatus.values)), component_name="ExportRunStatus")
class RunStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RunStatus.choices, **kwargs)


@extend_schema_field(_enum(list(Trigger.values)), component_name="ExportTrigger")
class TriggerField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Trigger.choices, **kwargs)


def _team(slug: str | None) -> Team | None:
    if not slug:
        return None
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise NotFound(f"no team {slug!r}", details={"team": slug})
    return team


# --- output --------------------------------------------------------------------------------------
class TargetSerializer(serializers.Serializer[Any]):
    name = serializers.SlugField()
    repo_url = serializers.SerializerMethodField(help_text="Without any user info.")
    branch = serializers.CharField()
    path_template = serializers.CharField(help_text="e.g. rules/{team}/{group}.yml")
    format = ExportFormatField()
    format_options = serializers.DictField(
        help_text="operator: labels, namespace, name_prefix; mimir: namespace (template); "
        "thanos: partial_response_strategy (abort|warn)."
    )
    team = serializers.CharField(source="team.slug", allow_null=True, default=None,
                                 help_text="Only this team's rules (null: every team).")
    credentials_env = serializers.CharField(help_text="Variable name, never its value.")
    credentials_file = serializers.CharField(help_text="File path, never its content.")
    enabled = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ExportTarget"

    def get_repo_url(self, target: ExportTarget) -> str:
        return redact_url(target.repo_url)


class RunRuleSerializer(serializers.Serializer[Any]):
    team = serializers.CharField()
    group = serializers.CharField()
    name = serializers.CharField()
    version = serializers.IntegerField(required=False, help_text="Version id (not for removals).")
    number = serializers.IntegerField(required=False)

    class Meta:
        ref_name = "ExportRunRule"


class RunSummarySerializer(serializers.Serializer[Any]):
    added = RunRuleSerializer(many=True, required=False)
    changed = RunRuleSerializer(many=True, required=False)
    removed = RunRuleSerializer(many=True, required=False)
    files_written = serializers.ListField(child=serializers.CharField(), required=False)
    files_removed = serializers.ListField(child=serializers.CharField(), required=False)
    rules = serializers.IntegerField(required=False, help_text="Rules in the exported tree.")
    files = serializers.IntegerField(required=False, help_text="Files in the exported tree.")

    class Meta:
        ref_name = "ExportRunSummary"


class RunSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    target = serializers.CharField(source="target.name")
    status = RunStatusField()
    dry_run = serializers.BooleanField()
    trigger = TriggerField()
    triggered_by = serializers.CharField(source="triggered_by.username")
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    base_commit = serializers.CharField(help_text="The remote commit the export started from.")
    commit = serializers.CharField(
        help_text="The commit the run pushed (committed), or the tree's commit (unchanged)."
    )
    summary = RunSummarySerializer()
    message = serializers.CharField(help_text="The commit message, or what went wrong.")
    error_code = serializers.CharField()
    version_count = serializers.SerializerMethodField()

    class Meta:
        ref_name = "ExportRun"

    def get_version_count(self, run: ExportRun) -> int:
        return len(run.versions)


class RunDetailSerializer(RunSerializer):
    diff = serializers.CharField(
        help_text="Dry run: the unified diff the export would commit; committed: the file stats."
    )
    versions = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="[version id, version number] of every version in the exported tree.",
    )

    class Meta:
        ref_name = "ExportRunDetail"


# --- targets -------------------------------------------------------------------------------------
class TargetListApi(ListApi):
    class InputSerializer(serializers.Serializer[Any]):
        name = serializers.SlugField(max_length=64)
        repo_url = serializers.CharField(
            max_length=500, help_text="Local path, file://, https://, ssh:// or user@host:path; "
            "never with a password in it."
        )
        branch = serializers.CharField(max_length=200, required=False, default="main")
        path_template = serializers.CharField(max_length=300, required=False,
                                              default="rules/{team}/{group}.yml")
        format = ExportFormatField(required=False, default=ExportFormat.PROMETHEUS)
        format_options = serializers.DictField(required=False, default=dict)
        team = serializers.SlugField(required=False, allow_null=True, default=None)
        credentials_env = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default="",
            help_text="Name of an environment variable (MONITORGEN_GIT_...) holding the token.",
        )
        credentials_file = serializers.CharField(
            max_length=500, required=False, allow_blank=True, default="",
            help_text="Path of a secrets file holding the token (or an SSH key).",
        )
        enabled = serializers.BooleanField(required=False, default=True)

        class Meta:
            ref_name = "ExportTargetInput"

    @extend_schema(
        operation_id="exports_targets_list",
        tags=TAGS,
        summary="Export targets the caller can see",
        responses={200: TargetSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request, view=self, queryset=export_target_list(viewer=caller(request)),
            serializer_class=TargetSerializer,
        )

    @extend_schema(
        operation_id="exports_targets_create",
        tags=TAGS,
        summary="Create an export target (admins)",
        request=InputSerializer,
        responses={201: TargetSerializer, **error_responses(400, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["team"] = _team(data.get("team"))
        target = export_target_create(actor=caller(request), **data)
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)


class TargetDetailApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        repo_url = serializers.CharField(max_length=500, required=False)
        branch = serializers.CharField(max_length=200, required=False)
        path_template = serializers.CharField(max_length=300, required=False)
        format = ExportFormatField(required=False)
        format_options = serializers.DictField(required=False)
        team = serializers.SlugField(required=False, allow_null=True)
        credentials_env = serializers.CharField(max_length=100, required=False, allow_blank=True)
        credentials_file = serializers.CharField(max_length=500, required=False, allow_blank=True)
        enabled = serializers.BooleanField(required=False)

        class Meta:
            ref_name = "ExportTargetUpdate"

    @extend_schema(
        operation_id="exports_targets_retrieve",
        tags=TAGS,
        summary="One export target",
        parameters=[NAME],
        responses={200: TargetSerializer, **error_responses(404)},
    )
    def get(self, request: Request, name: str) -> Response:
        return Response(TargetSerializer(export_target_get(viewer=caller(request), name=name)).data)

    @extend_schema(
        operation_id="exports_targets_update",
        tags=TAGS,
        summary="Change an export target (admins); fields left out keep their value",
        parameters=[NAME],
        request=InputSerializer,
        responses={200: TargetSerializer, **error_responses(400, 404)},
    )
    def patch(self, request: Request, name: str) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        team = _team(data.pop("team")) if "team" in data else UNSET
        user = caller(request)
        target = export_target_update(
            actor=user, target=export_target_get(viewer=user, name=name), team=team, **data
        )
        return Response(TargetSerializer(target).data)


# --- runs ----------------------------------------------------------------------------------------
class TargetRunApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        dry_run = serializers.BooleanField(
            required=False, default=False,
            help_text="Show the diff the export would commit; commit nothing.",
        )

        class Meta:
            ref_name = "ExportRunInput"

    @extend_schema(
        operation_id="exports_run",
        tags=TAGS,
        summary="Export the target's approved rules now (commit and push), or a dry run",
        description="Failures are recorded as a failed run too; the error's `details.run` is "
        "its id. 409 `git_conflict`: the repository changed in a way an export must not "
        "overwrite (nothing was pushed).",
        parameters=[NAME],
        request=InputSerializer,
        responses={200: RunDetailSerializer, **error_responses(400, 404, 409, 422, 500, 502)},
    )
    def post(self, request: Request, name: str) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = caller(request)
        run = export_run(
            target=export_target_get(viewer=user, name=name), actor=user,
            dry_run=serializer.validated_data["dry_run"], trigger=Trigger.API,
        )
        return Response(RunDetailSerializer(run).data)


class TargetRunListApi(ListApi):
    @extend_schema(
        operation_id="exports_target_runs_list",
        tags=TAGS,
        summary="A target's export runs, newest first",
        parameters=[NAME],
        responses={200: RunSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, name: str) -> Response:
        user = caller(request)
        runs = export_run_list(viewer=user, target=export_target_get(viewer=user, name=name))
        return paginated_response(
            request=request, view=self, queryset=runs, serializer_class=RunSerializer
        )


class RunDetailApi(APIView):
    @extend_schema(
        operation_id="exports_runs_retrieve",
        tags=TAGS,
        summary="One export run with its diff and versions",
        parameters=[RUN_ID],
        responses={200: RunDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(RunDetailSerializer(export_run_get(viewer=caller(request), pk=pk)).data)


# --- archives ------------------------------------------------------------------------------------
def _download(archive: ExportArchive) -> HttpResponse:
    response = HttpResponse(archive.data, content_type=archive.content_type)
    response["Content-Disposition"] = f'attachment; filename="{archive.filename}"'
    return response


_ARCHIVE_RESPONSES: dict[int | tuple[int, str], Any] = {
    (200, "application/gzip"): OpenApiResponse(OpenApiTypes.BINARY, description="tar.gz"),
    (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="zip"),
}
for _code, _response in error_responses(400, 404, 422, 500, 502).items():
    _ARCHIVE_RESPONSES[_code] = _response


def _kind(request: Request) -> str:
    kind = request.query_params.get("kind") or "tar.gz"
    if kind not in ARCHIVE_KINDS:
        raise serializers.ValidationError({"kind": [f"one of {', '.join(ARCHIVE_KINDS)}"]})
    return kind


class TargetArchiveApi(APIView):
    @extend_schema(
        operation_id="exports_target_archive",
        tags=TAGS,
        summary="Download the target's tree (what an export writes) as tar.gz or zip",
        parameters=[NAME, KIND],
        responses=_ARCHIVE_RESPONSES,
    )
    def get(self, request: Request, name: str) -> HttpResponse:
        user = caller(request)
        archive = export_archive(
            actor=user, target=export_target_get(viewer=user, name=name), kind=_kind(request)
        )
        return _download(archive)


class ArchiveApi(APIView):
    class FilterSerializer(serializers.Serializer[Any]):
        team = serializers.SlugField(required=False, help_text="Team slug (admins may omit it).")
        # Not "format": DRF reads ?format= as the response format.
        rule_format = ExportFormatField(required=False, default=ExportFormat.PROMETHEUS)
        path_template = serializers.CharField(required=False, default="rules/{team}/{group}.yml")
        kind = serializers.ChoiceField(choices=ARCHIVE_KINDS, required=False, default="tar.gz")

        class Meta:
            ref_name = "ExportArchiveFilter"

    @extend_schema(
        operation_id="exports_archive",
        tags=TAGS,
        summary="Download a team's approved rules in any format, for teams without git",
        parameters=[FilterSerializer],
        responses=_ARCHIVE_RESPONSES,
    )
    def get(self, request: Request) -> HttpResponse:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        archive = export_archive(
            actor=caller(request), team=_team(data.get("team")), format=data["rule_format"],
            path_template=data["path_template"], kind=data["kind"],
        )
        return _download(archive)


__all__ = [
    "ArchiveApi",
    "RunDetailApi",
    "TargetArchiveApi",
    "TargetDetailApi",
    "TargetListApi",
    "TargetRunApi",
    "TargetRunListApi",
]
