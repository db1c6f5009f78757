"""Choice fields for the API's enums, each documented once as a named schema component.

Naming the enums here (rather than with ENUM_NAME_OVERRIDES in settings) keeps the schema free
of drf-spectacular's enum-naming warnings, which `manage.py check --deploy` treats as failures.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import TextChoices
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitorgen.api.presenting import CallerAction
from monitorgen.core.catalog import MetricType
from monitorgen.core.diff import LineKind
from monitorgen.rules.transitions import Action, VersionState

RULE_KINDS = ("alert", "record")


def _enum(values: type[StrEnum] | type[TextChoices] | tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": [str(getattr(v, "value", v)) for v in values]}


@extend_schema_field(_enum(VersionState), component_name="VersionState")
class VersionStateField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=VersionState.choices, **kwargs)


@extend_schema_field(_enum(Action), component_name="ReviewAction")
class ReviewActionField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Action.choices, **kwargs)


@extend_schema_field(_enum(CallerAction), component_name="CallerAction")
class CallerActionField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[a.value for a in CallerAction], **kwargs)


@extend_schema_field(_enum(RULE_KINDS), component_name="RuleKind")
class RuleKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RULE_KINDS, **kwargs)


@extend_schema_field(_enum(LineKind), component_name="DiffLineKind")
class DiffLineKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[k.value for k in LineKind], **kwargs)


@extend_schema_field(_enum(MetricType), component_name="MetricType")
class MetricTypeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[t.value for t in MetricType], **kwargs)
