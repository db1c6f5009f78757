"""The rule spec: pydantic models of Prometheus alerting rules, recording rules and groups.

The structure matches Prometheus' rule-file format. On top of what Prometheus itself enforces,
the product policy requires a `severity` label (critical|warning|info) and `summary` and
`description` annotations on alerts, and forbids `$value` in labels (it would make a new alert
each time the value changes). Rules imported from elsewhere may be validated with
`context={"policy": "lenient"}` to keep the structural checks and skip the policy ones.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from monitorgen.core.durations import DurationError, normalize_duration
from monitorgen.core.errors import SpecInvalid
from monitorgen.core.promql import parse_promql


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


ALERT_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
METRIC_NAME_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
REQUIRED_ANNOTATIONS = ("summary", "description")
_VALUE_IN_TEMPLATE_RE = re.compile(r"\$value\b|\.Value\b")
MAX_NAME_LENGTH = 200


def _is_lenient(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and info.context.get("policy") == "lenient"


def check_promql(expr: str) -> str:
    """Return the stripped expression, or raise ValueError with the parser's message."""
    text = expr.strip()
    if not text:
        raise ValueError("expr is empty")
    try:
        parse_promql(text)
    except (ValueError, RuntimeError) as exc:  # the parser raises ValueError on bad syntax
        raise ValueError(f"expr is not valid PromQL: {exc}") from None
    return text


def check_alert_name(value: str) -> str:
    """The alert name, or ValueError saying what a valid one looks like."""
    if not ALERT_NAME_RE.match(value) or len(value) > MAX_NAME_LENGTH:
        raise ValueError(
            f"alert name {value!r} is invalid: start with a letter, then letters, digits "
            "or underscores (CamelCase, e.g. CheckoutHighLatency)"
        )
    return value


def _check_duration(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_duration(str(value))
    except DurationError as exc:
        raise ValueError(str(exc)) from None


def _check_label_names(mapping: dict[str, str], what: str) -> dict[str, str]:
    for name, value in mapping.items():
        if not LABEL_NAME_RE.match(name):
            raise ValueError(
                f"{what} name {name!r} is invalid: use letters, digits and underscores, "
                "not starting with a digit"
            )
        if name.startswith("__"):
            raise ValueError(f"{what} name {name!r} is reserved (names starting with '__')")
        if not isinstance(value, str):
            raise ValueError(f"{what} {name!r} must be a string")
        if value.count("{{") != value.count("}}"):
            raise ValueError(f"{what} {name!r} has unbalanced template braces: {value!r}")
    # Sorted so that equal specs compare, render and hash the same.
    return dict(sorted(mapping.items()))


def _stringify(mapping: Any) -> Any:
    # YAML turns `severity: 1` or `page: true` into numbers and booleans; Prometheus reads strings.
    if isinstance(mapping, dict):
        return {
            k: (str(v).lower() if isinstance(v, bool) else str(v))
            if isinstance(v, int | float | bool)
            else v
            for k, v in mapping.items()
        }
    return mapping


class _SpecModel(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, str_strip_whitespace=False
    )


class AlertingRule(_SpecModel):
    alert: str = Field(description="Alert name, CamelCase, e.g. CheckoutHighLatency")
    expr: str = Field(description="PromQL expression; the alert fires for every series it returns")
    for_: str | None = Field(
        default=None, alias="for", description="How long the condition must hold, e.g. 10m"
    )
    keep_firing_for: str | None = Field(default=None, description="Keep firing this long after")
    # validate_default: without it an alert with no labels/annotations keys at all would skip
    # the policy checks (severity, summary, description) that an empty mapping fails.
    labels: dict[str, str] = Field(default_factory=dict, validate_default=True)
    annotations: dict[str, str] = Field(default_factory=dict, validate_default=True)

    @field_validator("alert")
    @classmethod
    def _alert_name(cls, value: str) -> str:
        return check_alert_name(value)

    @field_validator("expr")
    @classmethod
    def _expr(cls, value: str) -> str:
        return check_promql(value)

    @field_validator("for_", "keep_firing_for")
    @classmethod
    def _durations(cls, value: str | None) -> str | None:
        return _check_duration(value)

    @field_validator("labels", "annotations", mode="before")
    @classmethod
    def _coerce(cls, value: Any) -> Any:
        return {} if value is None else _stringify(value)

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        value = _check_label_names(value, "label")
        for name, text in value.items():
            if _VALUE_IN_TEMPLATE_RE.search(text):
                raise ValueError(
                    f"label {name!r} uses $value: labels must not change with the value "
                    "(it would start a new alert each evaluation); put it in an annotation"
                )
        if not _is_lenient(info):
            severity = value.get("severity")
            allowed = ", ".join(s.value for s in Severity)
            if severity is None:
                raise ValueError(f"label 'severity' is required (one of {allowed})")
            if severity not in {s.value for s in Severity}:
                raise ValueError(f"label severity={severity!r} must be one of {allowed}")
        return value

    @field_validator("annotations")
    @classmethod
    def _annotations(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        value = _check_label_names(value, "annotation")
        if not _is_lenient(info):
            for name in REQUIRED_ANNOTATIONS:
                if not value.get(name, "").strip():
                    raise ValueError(f"annotation {name!r} is required and must not be empty")
        return value

    @property
    def name(self) -> str:
        return self.alert

    @property
    def kind(self) -> Literal["alert"]:
        return "alert"

    @property
    def severity(self) -> str | None:
        return self.labels.get("severity")


class RecordingRule(_SpecModel):
    record: str = Field(description="Metric name to record, e.g. job:http_requests:rate5m")
    expr: str
    labels: dict[str, str] = Field(default_factory=dict)

    @field_validator("record")
    @classmethod
    def _record_name(cls, value: str) -> str:
        if not METRIC_NAME_RE.match(value) or len(value) > MAX_NAME_LENGTH:
            raise ValueError(
                f"record name {value!r} is not a valid metric name "
                "(letters, digits, underscores and colons, not starting with a digit)"
            )
        return value

    @field_validator("expr")
    @classmethod
    def _expr(cls, value: str) -> str:
        return check_promql(value)

    @field_validator("labels", mode="before")
    @classmethod
    def _coerce(cls, value: Any) -> Any:
        return {} if value is None else _stringify(value)

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        value = _check_label_names(value, "label")
        for name, text in value.items():
            if _VALUE_IN_TEMPLATE_RE.search(text):
                raise ValueError(
                    f"label {name!r} uses $value: labels must not change with the value"
                )
        return value

    @property
    def name(self) -> str:
        return self.record

    @property
    def kind(self) -> Literal["record"]:
        return "record"


def _rule_kind(value: Any) -> str | None:
    if isinstance(value, AlertingRule):
        return "alert"
    if isinstance(value, RecordingRule):
        return "record"
    if isinstance(value, dict):
        has_alert, has_record = "alert" in value, "record" in value
        if has_alert != has_record:
            return "alert" if has_alert else "record"
    return None


Rule = Annotated[
    Annotated[AlertingRule, Tag("alert")] | Annotated[RecordingRule, Tag("record")],
    Discriminator(
        _rule_kind,
        custom_error_type="rule_kind",
        custom_error_message="a rule needs exactly one of 'alert' or 'record'",
    ),
]


class RuleGroup(_SpecModel):
    name: str
    interval: str | None = None
    limit: int | None = Field(default=None, ge=0)
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("group name must not be empty")
        if len(value) > MAX_NAME_LENGTH:
            raise ValueError(f"group name is longer than {MAX_NAME_LENGTH} characters")
        return value

    @field_validator("interval")
    @classmethod
    def _interval(cls, value: str | None) -> str | None:
        return _check_duration(value)

    @field_validator("rules", mode="before")
    @classmethod
    def _rules(cls, value: Any) -> Any:
        return [] if value is None else value


class RuleFile(_SpecModel):
    groups: list[RuleGroup] = Field(default_factory=list)

    @field_validator("groups", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> Any:
        return [] if value is None else value

    @model_validator(mode="after")
    def _unique_group_names(self) -> RuleFile:
        seen: set[str] = set()
        for group in self.groups:
            if group.name in seen:
                raise ValueError(f"group name {group.name!r} is used twice in one file")
            seen.add(group.name)
        return self

    def iter_rules(self) -> list[tuple[RuleGroup, AlertingRule | RecordingRule]]:
        return [(group, rule) for group in self.groups for rule in group.rules]


AnyRule = AlertingRule | RecordingRule


# --- readable errors ------------------------------------------------------------------------------
def format_location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + ("for" if part == "for_" else str(part))
    return text or "(top level)"


def problems_from_validation_error(exc: ValidationError) -> list[dict[str, Any]]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(tuple(err["loc"]))
        message = str(err["msg"])
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            message = f"unknown field {str(loc[-1]) if loc else ''!r}"
        problems.append({"path": format_location(loc), "loc": list(loc), "message": message})
    return problems


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    # pydantic inserts the discriminator tag ("alert"/"record") after a rule's index.
    cleaned: list[int | str] = []
    for index, part in enumerate(loc):
        after_rule_index = (
            index >= 2 and loc[index - 2] == "rules" and isinstance(loc[index - 1], int)
        )
        if after_rule_index and part in ("alert", "record") and index + 1 < len(loc):
            continue
        cleaned.append("for" if part == "for_" else part)
    return tuple(cleaned)


def _validate(model: type[_SpecModel], data: Any, *, lenient: bool, what: str) -> Any:
    try:
        return model.model_validate(data, context={"policy": "lenient" if lenient else "strict"})
    except ValidationError as exc:
        problems = problems_from_validation_error(exc)
        summary = "; ".join(f"{p['path']}: {p['message']}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise SpecInvalid(
            f"{what} is invalid: {summary}{more}", details={"problems": problems}
        ) from None


def rule_file_from_data(data: Any, *, lenient: bool = False) -> RuleFile:
    result: RuleFile = _validate(RuleFile, data, lenient=lenient, what="rule file")
    return result


def alerting_rule_from_data(data: Any, *, lenient: bool = False) -> AlertingRule:
    result: AlertingRule = _validate(AlertingRule, data, lenient=lenient, what="alerting rule")
    return result


def rule_from_data(data: Any, *, lenient: bool = False) -> AnyRule:
    kind = _rule_kind(data)
    if kind is None:
        raise SpecInvalid("rule is invalid: a rule needs exactly one of 'alert' or 'record'")
    model: type[_SpecModel] = AlertingRule if kind == "alert" else RecordingRule
    result: AnyRule = _validate(model, data, lenient=lenient, what=f"{kind} rule")
    return result
