"""Output serializers shared by several endpoints (component names are set with `ref_name`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitorgen.api.fields import (
    CallerActionField,
    ReviewActionField,
    RuleKindField,
    VersionStateField,
)
from monitorgen.api.presenting import caller_actions, version_explanation
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.transitions import Action


class RuleRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    team = serializers.CharField(source="team.slug")
    group = serializers.CharField()
    name = serializers.CharField()
    kind = RuleKindField()

    class Meta:
        ref_name = "RuleRef"


class VersionSummarySerializer(serializers.Serializer[Any]):
    """A version in a list: enough to show a row and link to it."""

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    state = VersionStateField()
    valid = serializers.BooleanField()
    rule = RuleRefSerializer()
    intent = serializers.CharField()
    based_on = serializers.IntegerField(
        source="based_on_id", allow_null=True, help_text="The version this one was made from."
    )
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "VersionSummary"


class EventSerializer(serializers.Serializer[Any]):
    """One entry of the append-only review history."""

    id = serializers.IntegerField()
    version = serializers.IntegerField(source="version_id")
    action = ReviewActionField()
    from_state = VersionStateField()
    to_state = VersionStateField()
    actor = serializers.CharField(source="actor.username")
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ReviewEvent"


class ApprovalsSerializer(serializers.Serializer[Any]):
    needed = serializers.IntegerField(help_text="Approvals the team requires (four-eyes quorum).")
    received = serializers.IntegerField(help_text="Distinct reviewers who approved this version.")

    class Meta:
        ref_name = "Approvals"


class UnitTestCaseSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="What the case proves, e.g. 'does not fire when p99 of x is 0.4 s'.")
    kind = serializers.ChoiceField(choices=["fires", "quiet", "for"])
    passed = serializers.BooleanField(allow_null=True, help_text="null when the tests did not run.")

    class Meta:
        ref_name = "UnitTestCase"


class UnitTestResultsSerializer(serializers.Serializer[Any]):
    """The version's synthesised promtool unit tests, as run when it was validated."""

    status = serializers.ChoiceField(choices=["passed", "failed", "not-generated", "skipped"])
    reason = serializers.CharField(help_text="Why no tests were made or run.")
    cases = UnitTestCaseSerializer(many=True)
    unchecked_annotations = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="Annotations the tests leave out (their text depends on the value).")
    output = serializers.CharField(help_text="promtool's report when a case failed.")

    class Meta:
        ref_name = "UnitTestResults"


class VersionDetailSerializer(VersionSummarySerializer):
    """A version with its content, explanation, review history and what the caller may do.

    Context: `user` (the caller) and `events` (the version's events, oldest first).
    """

    spec = serializers.DictField()
    yaml = serializers.CharField()
    explanation = serializers.SerializerMethodField()
    provenance = serializers.DictField()
    validation = serializers.DictField()
    unit_tests = serializers.CharField(help_text="The promtool test file synthesised for this version.")
    unit_test_results = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    approvals = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        ref_name = "VersionDetail"

    @extend_schema_field(OpenApiTypes.STR)
    def get_explanation(self, version: RuleVersion) -> str:
        return version_explanation(version)

    @extend_schema_field(UnitTestResultsSerializer(allow_null=True))
    def get_unit_test_results(self, version: RuleVersion) -> dict[str, Any] | None:
        results = version.validation.get("unit_tests")
        if not isinstance(results, dict):
            return None  # validated before unit tests existed
        return {"reason": "", "cases": [], "output": "", **results}

    @extend_schema_field(
        serializers.ListField(
            child=CallerActionField(),
            help_text="Actions the caller may take on this version now.",
        )
    )
    def get_allowed_actions(self, version: RuleVersion) -> list[str]:
        actions = caller_actions(self.context["user"], version, self.context["events"])
        return [action.value for action in actions]

    @extend_schema_field(ApprovalsSerializer)
    def get_approvals(self, version: RuleVersion) -> dict[str, int]:
        approvers = {e.actor_id for e in self.context["events"] if e.action == Action.APPROVE}
        return {"needed": version.rule.team.approvals_required, "received": len(approvers)}

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, version: RuleVersion) -> Any:
        return EventSerializer(self.context["events"], many=True).data
