"""The rule spec: what it accepts, and the message each rejection gives."""

from __future__ import annotations

from typing import Any

import pytest

from monitorgen.core.errors import SpecInvalid
from monitorgen.core.spec import (
    AlertingRule,
    RecordingRule,
    Severity,
    alerting_rule_from_data,
    rule_file_from_data,
    rule_from_data,
)


def alert_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "alert": "CheckoutHighLatency",
        "expr": "job:latency_seconds:p99 > 0.5",
        "for": "10m",
        "labels": {"severity": "critical", "team": "payments"},
        "annotations": {"summary": "Checkout is slow", "description": "p99 is {{ $value }}s"},
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def problems_of(exc: pytest.ExceptionInfo[SpecInvalid]) -> list[dict[str, Any]]:
    problems: list[dict[str, Any]] = exc.value.details["problems"]
    return problems


def rejects_alert(data: dict[str, Any], *, path: str, message: str, lenient: bool = False) -> None:
    with pytest.raises(SpecInvalid) as exc:
        alerting_rule_from_data(data, lenient=lenient)
    problems = problems_of(exc)
    assert any(p["path"] == path and message in p["message"] for p in problems), problems
    assert message in exc.value.message


# --- what it accepts -----------------------------------------------------------------------------
def test_a_complete_alert_is_accepted_and_normalised() -> None:
    rule = alerting_rule_from_data(alert_data(**{"for": "600s", "expr": "  up == 0  "}))
    assert isinstance(rule, AlertingRule)
    assert rule.for_ == "10m"
    assert rule.expr == "up == 0"
    assert rule.severity == Severity.CRITICAL
    assert rule.name == "CheckoutHighLatency"
    assert rule.kind == "alert"


def test_labels_and_annotations_are_kept_sorted() -> None:
    rule = alerting_rule_from_data(alert_data(labels={"team": "x", "severity": "info", "app": "y"}))
    assert list(rule.labels) == ["app", "severity", "team"]


def test_numeric_and_boolean_label_values_become_strings() -> None:
    rule = alerting_rule_from_data(
        alert_data(labels={"severity": "warning", "tier": 1, "weight": 0.5, "page": True})
    )
    assert rule.labels == {"page": "true", "severity": "warning", "tier": "1", "weight": "0.5"}
    recording = rule_from_data(
        {"record": "job:up:sum", "expr": "sum(up)", "labels": {"off": False}}
    )
    assert recording.labels == {"off": "false"}


def test_value_templates_are_allowed_in_annotations() -> None:
    rule = alerting_rule_from_data(alert_data())
    assert "$value" in rule.annotations["description"]


def test_rule_from_data_picks_the_kind() -> None:
    assert isinstance(rule_from_data(alert_data()), AlertingRule)
    recording = rule_from_data({"record": "job:up:sum", "expr": "sum by (job) (up)"})
    assert isinstance(recording, RecordingRule)
    assert recording.kind == "record"


# --- names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["1Alert", "High-Latency", "has space", "", "x" * 201])
def test_a_bad_alert_name_is_rejected(name: str) -> None:
    rejects_alert(alert_data(alert=name), path="alert", message=f"alert name {name!r} is invalid")


@pytest.mark.parametrize("name", ["1job:up", "job-up", "job up"])
def test_a_bad_record_name_is_rejected(name: str) -> None:
    with pytest.raises(SpecInvalid) as exc:
        rule_from_data({"record": name, "expr": "sum(up)"})
    assert problems_of(exc)[0]["path"] == "record"
    assert f"record name {name!r} is not a valid metric name" in exc.value.message


def test_a_record_name_with_colons_is_accepted() -> None:
    assert rule_from_data({"record": "job:http_requests:rate5m", "expr": "up"}).name == (
        "job:http_requests:rate5m"
    )


@pytest.mark.parametrize("field", ["labels", "annotations"])
def test_a_bad_label_or_annotation_name_is_rejected(field: str) -> None:
    data = alert_data()
    data[field] = {**data[field], "bad-name": "x"}
    what = "label" if field == "labels" else "annotation"
    rejects_alert(data, path=field, message=f"{what} name 'bad-name' is invalid")


def test_a_reserved_label_name_is_rejected() -> None:
    data = alert_data(labels={"severity": "critical", "__name__": "x"})
    rejects_alert(data, path="labels", message="label name '__name__' is reserved")


# --- durations -----------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["for", "keep_firing_for"])
@pytest.mark.parametrize("value", ["10", "5 minutes", "1.5h", "-5m", "5M"])
def test_a_bad_duration_is_rejected(field: str, value: str) -> None:
    rejects_alert(
        alert_data(**{field: value}),
        path=field,
        message=f"{value!r} is not a Prometheus duration",
    )


def test_a_bad_group_interval_is_rejected() -> None:
    with pytest.raises(SpecInvalid) as exc:
        rule_file_from_data({"groups": [{"name": "g", "interval": "often", "rules": []}]})
    assert problems_of(exc)[0]["path"] == "groups[0].interval"
    assert "'often' is not a Prometheus duration" in exc.value.message


# --- policy --------------------------------------------------------------------------------------
def test_a_missing_severity_is_rejected() -> None:
    rejects_alert(
        alert_data(labels={"team": "x"}),
        path="labels",
        message="label 'severity' is required (one of critical, warning, info)",
    )


def test_an_alert_without_labels_or_annotations_keys_is_rejected() -> None:
    with pytest.raises(SpecInvalid) as exc:
        alerting_rule_from_data({"alert": "Bare", "expr": "up == 0"})
    messages = {p["path"]: p["message"] for p in problems_of(exc)}
    assert messages["labels"].startswith("label 'severity' is required")
    assert messages["annotations"] == "annotation 'summary' is required and must not be empty"


def test_an_unknown_severity_is_rejected() -> None:
    rejects_alert(
        alert_data(labels={"severity": "page"}),
        path="labels",
        message="label severity='page' must be one of critical, warning, info",
    )


@pytest.mark.parametrize("name", ["summary", "description"])
def test_a_missing_or_blank_required_annotation_is_rejected(name: str) -> None:
    others = {"summary": "s", "description": "d"}
    missing = {k: v for k, v in others.items() if k != name}
    rejects_alert(
        alert_data(annotations=missing),
        path="annotations",
        message=f"annotation {name!r} is required and must not be empty",
    )
    rejects_alert(
        alert_data(annotations={**others, name: "   "}),
        path="annotations",
        message=f"annotation {name!r} is required",
    )


@pytest.mark.parametrize("template", ["{{ $value }}", "{{ .Value }}", "$value"])
def test_value_in_a_label_is_rejected(template: str) -> None:
    rejects_alert(
        alert_data(labels={"severity": "critical", "current": template}),
        path="labels",
        message="label 'current' uses $value",
    )


def test_value_in_a_recording_rule_label_is_rejected() -> None:
    with pytest.raises(SpecInvalid, match="label 'v' uses \\$value"):
        rule_from_data({"record": "job:x:sum", "expr": "up", "labels": {"v": "{{ $value }}"}})


def test_unbalanced_template_braces_are_rejected() -> None:
    rejects_alert(
        alert_data(annotations={"summary": "{{ $labels.job", "description": "d"}),
        path="annotations",
        message="annotation 'summary' has unbalanced template braces",
    )


def test_lenient_mode_skips_policy_checks() -> None:
    rule = alerting_rule_from_data({"alert": "Imported", "expr": "up == 0"}, lenient=True)
    assert rule.labels == {}
    assert rule.annotations == {}
    rule = alerting_rule_from_data(
        {"alert": "Imported", "expr": "up == 0", "labels": {"severity": "page"}}, lenient=True
    )
    assert rule.severity == "page"


def test_lenient_mode_still_checks_structure() -> None:
    base = {"alert": "Imported", "expr": "up == 0"}
    rejects_alert({**base, "alert": "1bad"}, path="alert", message="is invalid", lenient=True)
    rejects_alert(
        {**base, "for": "soon"}, path="for", message="not a Prometheus duration", lenient=True
    )
    rejects_alert({**base, "expr": "up ==="}, path="expr", message="not valid PromQL", lenient=True)
    rejects_alert(
        {**base, "labels": {"v": "{{ $value }}"}},
        path="labels",
        message="uses $value",
        lenient=True,
    )
    rejects_alert({**base, "extra": 1}, path="extra", message="unknown field 'extra'", lenient=True)
    with pytest.raises(SpecInvalid, match="is used twice"):
        rule_file_from_data({"groups": [{"name": "g"}, {"name": "g"}]}, lenient=True)


# --- PromQL and structure ------------------------------------------------------------------------
@pytest.mark.parametrize("expr", ["rate(x[5m]", "sum by job (x)", "x >", "up{job=}", "1 > 2"])
def test_invalid_promql_is_rejected_with_the_parser_message(expr: str) -> None:
    rejects_alert(alert_data(expr=expr), path="expr", message="expr is not valid PromQL: ")


def test_an_empty_expression_is_rejected() -> None:
    rejects_alert(alert_data(expr="   "), path="expr", message="expr is empty")


@pytest.mark.parametrize(
    "rule",
    [
        {"alert": "A", "record": "a:b", "expr": "up"},
        {"expr": "up"},
    ],
    ids=["both", "neither"],
)
def test_a_rule_needs_exactly_one_of_alert_and_record(rule: dict[str, Any]) -> None:
    message = "a rule needs exactly one of 'alert' or 'record'"
    with pytest.raises(SpecInvalid, match=message):
        rule_from_data(rule)
    with pytest.raises(SpecInvalid) as exc:
        rule_file_from_data({"groups": [{"name": "g", "rules": [rule]}]})
    assert problems_of(exc) == [
        {"path": "groups[0].rules[0]", "loc": ["groups", 0, "rules", 0], "message": message}
    ]


def test_an_unknown_field_is_rejected_by_name() -> None:
    rejects_alert(alert_data(runbook="x"), path="runbook", message="unknown field 'runbook'")
    with pytest.raises(SpecInvalid) as exc:
        rule_file_from_data({"groups": [{"name": "g", "rules": [alert_data(severity="critical")]}]})
    assert problems_of(exc)[0]["path"] == "groups[0].rules[0].severity"


def test_duplicate_group_names_are_rejected() -> None:
    with pytest.raises(SpecInvalid) as exc:
        rule_file_from_data({"groups": [{"name": "api"}, {"name": "db"}, {"name": "api"}]})
    assert "group name 'api' is used twice in one file" in exc.value.message


def test_an_empty_group_name_is_rejected() -> None:
    with pytest.raises(SpecInvalid, match="group name must not be empty"):
        rule_file_from_data({"groups": [{"name": "  "}]})


def test_problems_name_their_location_in_the_file() -> None:
    bad = alert_data(**{"for": "soon"})
    with pytest.raises(SpecInvalid) as exc:
        rule_file_from_data(
            {"groups": [{"name": "ok"}, {"name": "g", "rules": [alert_data(), bad]}]}
        )
    assert problems_of(exc)[0]["path"] == "groups[1].rules[1].for"
    assert problems_of(exc)[0]["loc"] == ["groups", 1, "rules", 1, "for"]


def test_the_error_message_lists_at_most_five_problems() -> None:
    rules = [alert_data(alert=f"{i}bad") for i in range(7)]
    with pytest.raises(SpecInvalid) as exc:
        rule_file_from_data({"groups": [{"name": "g", "rules": rules}]})
    assert len(problems_of(exc)) == 7
    assert exc.value.message.endswith("(and 2 more)")


def test_empty_groups_and_rules_are_allowed() -> None:
    assert rule_file_from_data({"groups": None}).groups == []
    assert rule_file_from_data({"groups": [{"name": "g", "rules": None}]}).groups[0].rules == []


def test_equal_specs_compare_equal_whatever_the_input_order() -> None:
    one = alerting_rule_from_data(alert_data(labels={"severity": "info", "team": "a"}))
    two = alerting_rule_from_data(
        alert_data(labels={"team": "a", "severity": "info"}, **{"for": "600s"})
    )
    assert one == two
