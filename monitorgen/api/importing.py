"""Import existing rule files as approved baselines: POST /api/import/.

Send the files as `multipart/form-data` (`files`, repeatable) or as JSON (`sources`: a list of
`{name, text, commit}`); both may be combined in one multipart request. The answer is always the
import report (200), per file and rule: a bad rule or file is reported with its lines and does
not stop the others, so check `ok` and each rule's `status`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from monitorgen.accounts.models import Team
from monitorgen.api.common import caller, error_responses
from monitorgen.core.errors import NotFound
from monitorgen.core.formats.parse import AUTO, FORMAT_CHOICES
from monitorgen.rules.importing import (
    MAX_FILE_BYTES,
    MAX_UPLOAD_FILES,
    ImportSource,
    rules_import,
    uploaded_source,
)

RULE_STATUSES = ("imported", "unchanged", "submitted", "invalid", "conflict")


@extend_schema_field(
    {"type": "string", "enum": list(FORMAT_CHOICES)}, component_name="RuleFileFormat"
)
class RuleFileFormatField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=FORMAT_CHOICES, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(RULE_STATUSES)}, component_name="ImportedRuleStatus"
)
class ImportedRuleStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RULE_STATUSES, **kwargs)


# --- output --------------------------------------------------------------------------------------
class ImportProblemSerializer(serializers.Serializer[Any]):
    level = serializers.CharField(help_text="error or warning")
    check = serializers.CharField(
        help_text="yaml, format, schema, policy, file, lint/..., grounding/..., promtool/check"
    )
    message = serializers.CharField()
    # DRF takes declared fields off the class, so this does not replace Field.source.
    source = serializers.CharField(allow_null=True)  # type: ignore[assignment]
    line = serializers.IntegerField(allow_null=True)
    rule = serializers.CharField(allow_null=True)
    group = serializers.CharField(allow_null=True)

    class Meta:
        ref_name = "ImportProblem"


class SkippedObjectSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="The Kubernetes kind, e.g. ConfigMap.")
    name = serializers.CharField(allow_null=True)
    document = serializers.IntegerField()
    line = serializers.IntegerField(allow_null=True)

    class Meta:
        ref_name = "SkippedObject"


class ImportedRuleSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    group = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True, help_text="alert or record (null if unreadable)")
    line = serializers.IntegerField(allow_null=True)
    document = serializers.IntegerField(allow_null=True)
    status = ImportedRuleStatusField(
        help_text="imported: recorded as an approved baseline; unchanged: already recorded, "
        "nothing written; submitted: differs from the live version, sent to review; invalid: "
        "failed to read or validate (see problems); conflict: not recorded (see message)."
    )
    message = serializers.CharField(allow_blank=True)
    problems = ImportProblemSerializer(many=True)
    version_id = serializers.IntegerField(allow_null=True)
    version_number = serializers.IntegerField(allow_null=True)
    rule_id = serializers.IntegerField(allow_null=True)

    class Meta:
        ref_name = "ImportedRule"


class ImportedFileSerializer(serializers.Serializer[Any]):
    source = serializers.CharField()  # type: ignore[assignment]  # see ImportProblemSerializer
    commit = serializers.CharField(allow_null=True)
    ok = serializers.BooleanField()
    formats = serializers.ListField(child=serializers.CharField())
    problems = ImportProblemSerializer(many=True, help_text="Problems of the file itself.")
    skipped = SkippedObjectSerializer(many=True, help_text="Kubernetes objects that hold no rules.")
    rules = ImportedRuleSerializer(many=True)

    class Meta:
        ref_name = "ImportedFile"


class ImportReportSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField(help_text="True when no file or rule had an error.")
    team = serializers.CharField()
    format = RuleFileFormatField()
    counts = serializers.DictField(child=serializers.IntegerField())
    summary = serializers.CharField()
    files = ImportedFileSerializer(many=True)

    class Meta:
        ref_name = "ImportReport"


# --- input ---------------------------------------------------------------------------------------
class ImportSourceSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=500, help_text="File name, shown in the report.")
    text = serializers.CharField(
        max_length=MAX_FILE_BYTES, allow_blank=True, trim_whitespace=False
    )
    commit = serializers.RegexField(
        r"^[0-9a-f]{7,64}$", required=False, allow_null=True,
        help_text="The commit the text was read at, if it comes from git.",
    )

    class Meta:
        ref_name = "ImportSource"


class RulesImportApi(APIView):
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    class InputSerializer(serializers.Serializer[Any]):
        team = serializers.SlugField(help_text="Slug of the team the rules belong to.")
        format = RuleFileFormatField(
            required=False, default=AUTO, help_text="auto detects the format per YAML document."
        )
        catalog = serializers.SlugField(
            required=False, help_text="Also check the rules against this metric catalog."
        )
        sources = ImportSourceSerializer(many=True, required=False)
        files = serializers.ListField(
            child=serializers.FileField(max_length=500, allow_empty_file=True),
            required=False,
            help_text="Uploaded rule files (multipart).",
        )

        class Meta:
            ref_name = "RulesImportInput"

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            count = len(attrs.get("sources") or []) + len(attrs.get("files") or [])
            if count == 0:
                raise serializers.ValidationError("send at least one file or source")
            if count > MAX_UPLOAD_FILES:
                raise serializers.ValidationError(f"send at most {MAX_UPLOAD_FILES} files at once")
            return attrs

    @extend_schema(
        operation_id="rules_import",
        tags=["import"],
        summary="Import rule files as approved baselines",
        request={
            "application/json": InputSerializer,
            "multipart/form-data": InputSerializer,
        },
        responses={
            200: OpenApiResponse(
                ImportReportSerializer,
                description="The report per file and rule; good rules are recorded even when "
                "others fail (see `ok`).",
            ),
            **error_responses(400, 404, 500, 502),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        team = Team.objects.filter(slug=data["team"]).first()
        if team is None:
            raise NotFound(f"no team {data['team']!r}", details={"team": data["team"]})
        catalog = None
        if data.get("catalog"):
            from monitorgen.catalogs.selectors import catalog_get_spec

            catalog = catalog_get_spec(slug=data["catalog"])
        sources = [
            ImportSource(name=s["name"], text=s["text"], commit=s.get("commit"))
            for s in data.get("sources") or []
        ]
        sources += [uploaded_source(f) for f in data.get("files") or []]
        report = rules_import(
            team=team, sources=sources, format=data["format"], actor=caller(request),
            catalog=catalog,
        )
        return Response(ImportReportSerializer(report.as_dict()).data, status=status.HTTP_200_OK)


__all__ = ["RulesImportApi"]
