"""Generate draft rules from a plain-language intent: POST /api/generate/."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from monitorgen.accounts.models import Team
from monitorgen.api.common import caller, error_responses
from monitorgen.api.fields import RuleKindField
from monitorgen.api.presenting import catalog_for, explain
from monitorgen.core.errors import NotFound
from monitorgen.core.generation.result import Scope, Status
from monitorgen.core.rulefile import render_rules, rule_to_data
from monitorgen.rules.drafting import DraftOutcome, rule_draft_generate
from monitorgen.rules.models import RuleVersion

GENERATORS = ("embedded", "llm")


class QuestionSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="The answer's key in `answers` when asking again.")
    text = serializers.CharField()
    candidates = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "GenerationQuestion"


class DuplicateSerializer(serializers.Serializer[Any]):
    """The live rule a generated rule duplicates (it was not saved)."""

    rule_id = serializers.IntegerField()
    version_id = serializers.IntegerField()
    number = serializers.IntegerField(help_text="The live version's number.")
    name = serializers.CharField(help_text="The existing rule's name.")
    group = serializers.CharField()
    state = serializers.CharField()
    url = serializers.CharField(help_text="The API URL of the existing live version.")

    class Meta:
        ref_name = "DuplicateOf"


class DraftRuleSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    kind = RuleKindField()
    spec = serializers.DictField(
        help_text="The rule as data (alert/record, expr, for, labels, annotations)."
    )
    yaml = serializers.CharField(help_text="The rule as a Prometheus rule file with one group.")
    explanation = serializers.CharField(help_text="What the rule does, in plain English.")
    version_id = serializers.IntegerField(
        allow_null=True, help_text="The draft version saved for this rule (null if none was saved)."
    )
    duplicate_of = DuplicateSerializer(
        allow_null=True,
        help_text="Set when a live rule of the team already does the same (same metric families "
        "and condition): no draft was saved; use or refine that rule instead.",
    )

    class Meta:
        ref_name = "DraftRule"


class DraftOutcomeSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=[s.value for s in Status],
        help_text="ok: rules were generated, validated and saved as drafts; clarify: answer "
        "`questions` and ask again with `answers`; error: see `message` (nothing was saved).",
    )
    message = serializers.CharField(allow_blank=True)
    rationale = serializers.CharField(allow_blank=True)
    questions = QuestionSerializer(many=True)
    rules = DraftRuleSerializer(many=True)
    provenance = serializers.DictField(help_text="Generator, model, catalog, metrics and attempts.")
    validation = serializers.DictField(help_text="The validation report of the generated rules.")
    version_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the draft versions created."
    )
    duplicate_of = DuplicateSerializer(
        many=True, help_text="Live rules that generated rules duplicate (nothing saved for those)."
    )

    class Meta:
        ref_name = "DraftOutcome"


def outcome_data(outcome: DraftOutcome, *, group: str, catalog_slug: str) -> dict[str, Any]:
    """The response body for a generation or refinement outcome."""
    result = outcome.result
    catalog = catalog_for(catalog_slug) if result.rules else None
    saved = iter(outcome.versions)  # in the order of result.rules, twins left out
    versions: list[RuleVersion | None] = [
        None if rule.name in outcome.duplicate_of else next(saved, None) for rule in result.rules
    ]
    return {
        "status": result.status.value,
        "message": result.message,
        "rationale": result.rationale,
        "questions": [question.as_dict() for question in result.questions],
        "rules": [
            {
                "name": rule.name,
                "kind": rule.kind,
                "spec": rule_to_data(rule),
                "yaml": render_rules([rule], group=group),
                "explanation": explain(rule, catalog),
                "version_id": version.pk if version is not None else None,
                "duplicate_of": _duplicate(outcome.duplicate_of.get(rule.name)),
            }
            for rule, version in zip(result.rules, versions, strict=True)
        ],
        "provenance": result.provenance.as_dict(),
        "validation": result.validation,
        "version_ids": [version.pk for version in outcome.versions],
        "duplicate_of": [_duplicate(v) for v in outcome.duplicate_of.values()],
    }


def _duplicate(version: RuleVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "rule_id": version.rule_id,
        "version_id": version.pk,
        "number": version.number,
        "name": version.rule.name,
        "group": version.rule.group,
        "state": version.state,
        "url": reverse("api:version-detail", args=[version.pk]),
    }


class ScopeSerializer(serializers.Serializer[Any]):
    service = serializers.CharField(required=False, allow_blank=True, max_length=200)
    environment = serializers.CharField(required=False, allow_blank=True, max_length=200)
    matchers = serializers.DictField(
        child=serializers.CharField(max_length=500),
        required=False,
        help_text='Label matchers to pin, e.g. {"namespace": "payments"}.',
    )

    class Meta:
        ref_name = "GenerationScope"


class GenerateApi(APIView):
    class InputSerializer(serializers.Serializer[Any]):
        intent = serializers.CharField(
            max_length=4000, help_text="What to monitor, in plain language."
        )
        catalog = serializers.SlugField(help_text="Slug of the metric catalog to write rules for.")
        team = serializers.SlugField(help_text="Slug of the team that will own the rules.")
        group = serializers.CharField(max_length=200, help_text="Rule group name.")
        scope = ScopeSerializer(required=False)
        answers = serializers.DictField(
            child=serializers.CharField(allow_blank=True, max_length=500),
            required=False,
            help_text="Answers to earlier clarifying questions, keyed by question field.",
        )
        generator = serializers.ChoiceField(
            choices=GENERATORS, required=False, help_text="Default: the server's setting."
        )

        class Meta:
            ref_name = "GenerateInput"

    @extend_schema(
        operation_id="generate",
        tags=["generation"],
        summary="Generate draft rules from an intent",
        request=InputSerializer,
        responses={
            200: OpenApiResponse(
                DraftOutcomeSerializer,
                description="The generation outcome; with status ok, the drafts were saved.",
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
        scope_data = data.get("scope") or {}
        outcome = rule_draft_generate(
            team=team,
            group=data["group"],
            intent=data["intent"],
            catalog_slug=data["catalog"],
            author=caller(request),
            scope=Scope(
                team=team.slug,
                service=scope_data.get("service") or None,
                environment=scope_data.get("environment") or None,
                matchers=dict(scope_data.get("matchers") or {}),
            ),
            answers=data.get("answers"),
            generator=data.get("generator"),
        )
        body = outcome_data(outcome, group=data["group"], catalog_slug=data["catalog"])
        return Response(DraftOutcomeSerializer(body).data, status=status.HTTP_200_OK)
