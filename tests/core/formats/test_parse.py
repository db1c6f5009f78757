"""Reading rule files in the four import formats, with lines for every problem (pure, no DB)."""

from __future__ import annotations

import textwrap

import pytest

from monitorgen.core.errors import InvalidInput
from monitorgen.core.formats.parse import (
    ParsedSource,
    RuleFormat,
    parse_rule_documents,
)
from monitorgen.core.spec import AlertingRule, RecordingRule


def parse(text: str, format: str = "auto", source: str = "rules.yml") -> ParsedSource:
    return parse_rule_documents(textwrap.dedent(text), source=source, format=format)


def names(result: ParsedSource) -> list[str]:
    return [parsed.rule.name for _, parsed in result.rules()]


def messages(result: ParsedSource, level: str = "error") -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in result.all_problems() if p.level == level]


PROMETHEUS = """\
groups:
  - name: checkout
    interval: 1m
    rules:
      - alert: CheckoutHighLatency
        expr: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5
        for: 10m
        labels:
          severity: critical
        annotations:
          summary: Checkout is slow.
          description: p99 is {{ $value }}s.
      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
"""


# --- Prometheus ----------------------------------------------------------------------------------
def test_it_reads_a_prometheus_rule_file_with_lines_and_no_problems():
    result = parse(PROMETHEUS)
    assert result.ok and result.problems == () and result.skipped == ()
    (document,) = result.documents
    assert document.format is RuleFormat.PROMETHEUS and document.index == 1
    (group,) = document.rule_file.groups
    assert (group.name, group.interval) == ("checkout", "1m")
    alert, record = group.rules
    assert isinstance(alert, AlertingRule) and isinstance(record, RecordingRule)
    assert [p.line for p in document.rules()] == [5, 13]


def test_it_detects_prometheus_format_when_asked_for_auto_and_accepts_it_when_named():
    assert parse(PROMETHEUS).formats == ["prometheus"]
    assert parse(PROMETHEUS, format="prometheus").formats == ["prometheus"]


def test_it_keeps_the_good_rules_of_a_group_and_reports_each_bad_one_at_its_line():
    result = parse(
        """\
        groups:
          - name: g
            rules:
              - alert: Good
                expr: up == 0
              - alert: BrokenExpr
                expr: rate(x[5m) > 1
              - alert: Also Bad
                expr: up == 0
              - record: job:x:sum
                expr: sum(x)
                for: 5m
              - alert: StillGood
                expr: up == 0
        """
    )
    assert names(result) == ["Good", "StillGood"]
    errors = messages(result)
    assert [line for line, _ in errors] == [7, 8, 12]
    assert errors[0][1].startswith("expr: expr is not valid PromQL")
    assert "alert name 'Also Bad' is invalid" in errors[1][1]
    assert errors[2][1] == "for: unknown field 'for'"
    assert {p.rule for p in result.errors} == {"BrokenExpr", "Also Bad", "job:x:sum"}
    assert all(p.source == "rules.yml" and p.group == "g" for p in result.errors)
    # Each rule left out is listed once, at the line where it starts.
    assert [(r.name, r.line, len(r.problems)) for r in result.rejected] == [
        ("BrokenExpr", 6, 1),
        ("Also Bad", 8, 1),
        ("job:x:sum", 10, 1),
    ]
    assert result.problems == ()


def test_it_keeps_rules_missing_monitorgen_conventions_and_warns_about_each_gap():
    result = parse(
        """\
        groups:
          - name: g
            rules:
              - alert: NoConventions
                expr: up == 0
                labels:
                  severity: page
        """
    )
    assert result.ok and names(result) == ["NoConventions"] and result.problems == ()
    warnings = next(result.rules())[1].warnings
    assert {(p.check, p.level, p.rule, p.group) for p in warnings} == {
        ("policy", "warning", "NoConventions", "g")
    }
    assert any("severity='page' must be one of" in p.message and p.line == 6 for p in warnings)
    assert any("annotation 'summary' is required" in p.message for p in warnings)
    assert set(result.all_problems()) == set(warnings)


def test_it_rejects_a_whole_group_whose_settings_are_broken_and_says_how_many_rules_it_skips():
    result = parse(
        """\
        groups:
          - name: ok
            rules:
              - alert: A
                expr: up == 0
          - name: slow
            interval: 5 minutes
            rules:
              - alert: B
                expr: up == 0
              - alert: C
                expr: up == 0
          - name: ok
            rules: []
          - rules:
              - alert: D
                expr: up == 0
        """
    )
    assert names(result) == ["A"]
    errors = messages(result)
    assert errors[0][0] == 6 and "interval" in errors[0][1] and "its 2 rules cannot be read" in errors[0][1]
    assert errors[1] == (13, "group name 'ok' is used twice in one document (first at line 2)")
    assert errors[2][0] == 15 and errors[2][1].startswith("group 4 has no name; its 1 rule")


def test_it_turns_a_numeric_expr_into_text_as_prometheus_does():
    result = parse(
        """\
        groups:
          - name: g
            rules:
              - record: one
                expr: 1
        """
    )
    assert result.ok and next(result.rules())[1].rule.expr == "1"


def test_it_reports_yaml_syntax_errors_with_their_line():
    result = parse(
        """\
        groups:
          - name: g
            rules:
              - alert: A
                expr: "up == 0
        """
    )
    assert result.documents == ()
    ((line, message),) = messages(result)
    assert line is not None and 5 <= line <= 6 and message.startswith("rules.yml: line")


def test_it_reports_duplicate_keys_with_both_lines():
    result = parse(
        """\
        groups:
          - name: g
            rules:
              - alert: A
                expr: up == 0
                expr: up == 1
        """
    )
    ((line, message),) = messages(result)
    assert line == 6 and "duplicate key 'expr' (first at line 5)" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n- b\n", "the document is a list, not a mapping"),
        ("foo: bar\n", "the document is not a rule file"),
        ("groups: {a: 1}\n", "'groups' must be a list of groups, not a mapping"),
    ],
)
def test_it_explains_documents_that_are_not_rule_files(text, expected):
    result = parse(text)
    ((line, message),) = messages(result)
    assert line == 1 and expected in message


def test_it_warns_that_an_empty_file_has_no_rules():
    result = parse("# nothing here\n")
    assert result.ok and result.documents == ()
    assert "the file is empty" in result.warnings[0].message


def test_it_keeps_group_labels_and_query_offset_as_group_metadata():
    result = parse(
        """\
        groups:
          - name: g
            query_offset: 60s
            labels:
              team: payments
            rules:
              - alert: A
                expr: up == 0
        """
    )
    assert result.ok
    meta = result.documents[0].group_meta[0]
    assert (dict(meta.labels), meta.query_offset, meta.line) == ({"team": "payments"}, "1m", 2)


def test_it_warns_about_and_ignores_group_fields_the_format_does_not_define():
    result = parse(
        """\
        groups:
          - name: g
            owner: someone
            partial_response_strategy: warn
            rules:
              - alert: A
                expr: up == 0
        """,
        format="prometheus",
    )
    assert names(result) == ["A"]
    warnings = messages(result, "warning")
    assert warnings[0] == (3, "group field 'owner' is not part of the Prometheus rule file format; ignored")
    assert warnings[1][0] == 4 and "it is a Thanos field" in warnings[1][1]


# --- Thanos --------------------------------------------------------------------------------------
THANOS = """\
groups:
  - name: alerts
    partial_response_strategy: warn
    rules:
      - alert: A
        expr: up == 0
  - name: more
    rules:
      - alert: B
        expr: up == 0
"""


def test_it_detects_thanos_by_partial_response_strategy_and_keeps_it_per_group():
    result = parse(THANOS)
    assert result.ok and result.formats == ["thanos"]
    document = result.documents[0]
    assert [m.partial_response_strategy for m in document.group_meta] == ["warn", None]
    assert names(result) == ["A", "B"]


def test_it_reads_thanos_files_without_the_strategy_when_the_format_is_named():
    result = parse(PROMETHEUS, format="thanos")
    assert result.ok and result.formats == ["thanos"]


def test_it_rejects_an_unknown_partial_response_strategy():
    result = parse(THANOS.replace("warn", "sometimes"))
    assert names(result) == ["B"]
    ((line, message),) = messages(result)
    assert line == 2 and "partial_response_strategy must be warn or abort, not 'sometimes'" in message


# --- Mimir / Cortex ------------------------------------------------------------------------------
MIMIR = """\
namespace: payments
groups:
  - name: checkout
    source_tenants: [team-a, team-b]
    rules:
      - alert: A
        expr: up == 0
"""


def test_it_reads_a_mimir_namespace_file_with_its_namespace_and_tenants():
    result = parse(MIMIR)
    assert result.ok and result.formats == ["mimir"]
    document = result.documents[0]
    assert document.namespace == "payments"
    assert document.group_meta[0].source_tenants == ("team-a", "team-b")
    assert document.metadata() == {"format": "mimir", "document": 1, "namespace": "payments"}


def test_it_requires_a_namespace_when_mimir_is_named():
    result = parse(PROMETHEUS, format="mimir")
    assert result.documents == ()
    ((line, message),) = messages(result)
    assert line == 1 and "has no 'namespace'" in message


def test_it_refuses_a_namespace_file_read_as_prometheus():
    result = parse(MIMIR, format="prometheus")
    ((line, message),) = messages(result)
    assert line == 1 and "import it with format mimir or auto" in message


# --- prometheus-operator -------------------------------------------------------------------------
OPERATOR = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: checkout-rules
  namespace: shop
  labels:
    prometheus: k8s
    role: alert-rules
spec:
  groups:
    - name: checkout
      partial_response_strategy: abort
      rules:
        - alert: CheckoutDown
          expr: up{job="checkout"} == 0
          for: 5m
"""


def test_it_reads_a_prometheus_rule_object_with_its_metadata():
    result = parse(OPERATOR)
    assert result.ok and result.formats == ["operator"]
    document = result.documents[0]
    assert (document.name, document.namespace, dict(document.labels)) == (
        "checkout-rules",
        "shop",
        {"prometheus": "k8s", "role": "alert-rules"},
    )
    assert document.group_meta[0].partial_response_strategy == "abort"
    assert [p.line for p in document.rules()] == [14]
    assert document.metadata()["object"] == "checkout-rules"


def test_it_reads_prometheus_rules_among_other_objects_in_a_multi_document_stream():
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {a: b}\n---\n"
        + OPERATOR
        + "---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
    )
    result = parse(text)
    assert result.ok and names(result) == ["CheckoutDown"]
    assert result.documents[0].index == 2 and result.documents[0].line == 7
    assert [p.line for _, p in result.rules()] == [20]
    assert [(s.document, s.line, s.kind, s.name) for s in result.skipped] == [
        (1, 1, "ConfigMap", "settings"),
        (4, 25, "Deployment", "web"),
    ]


def test_it_reads_prometheus_rules_inside_a_kubernetes_list():
    item = textwrap.indent(OPERATOR, "    ").replace("    apiVersion", "  - apiVersion", 1)
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: web\n" + item
    )
    result = parse(text, format="operator")
    assert result.ok and names(result) == ["CheckoutDown"]
    assert [(s.kind, s.name, s.line) for s in result.skipped] == [("Service", "web", 4)]
    assert [p.line for _, p in result.rules()] == [21]


def test_it_keeps_documents_read_before_a_malformed_one():
    text = OPERATOR + "---\ngroups: [\n"
    result = parse(text)
    assert names(result) == ["CheckoutDown"]
    ((line, _),) = messages(result)
    assert line is not None and line >= 17


def test_it_refuses_a_prometheus_rule_object_when_another_format_is_named():
    result = parse(OPERATOR, format="prometheus")
    ((line, message),) = messages(result)
    assert line == 1 and "import it with format operator or auto" in message


def test_it_refuses_a_plain_rule_file_when_operator_is_named():
    result = parse(PROMETHEUS, format="operator")
    ((_, message),) = messages(result)
    assert "not a PrometheusRule: import it with format prometheus or auto" in message


def test_it_reports_a_prometheus_rule_without_spec():
    result = parse("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\n")
    ((line, message),) = messages(result)
    assert line == 1 and "PrometheusRule x has no 'spec'" in message


def test_it_reports_rule_errors_inside_a_prometheus_rule_with_file_lines():
    result = parse(OPERATOR.replace("== 0", "== "), source="manifests/rules.yaml")
    ((line, message),) = messages(result)
    assert line == 15 and message.startswith("expr: expr is not valid PromQL")
    assert result.errors[0].rule == "CheckoutDown"
    assert result.errors[0].source == "manifests/rules.yaml" and result.errors[0].document == 1


# --- arguments -----------------------------------------------------------------------------------
def test_it_refuses_an_unknown_format_name():
    with pytest.raises(InvalidInput, match="unknown rule-file format 'yaml'"):
        parse(PROMETHEUS, format="yaml")
