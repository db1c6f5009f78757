"""Canonical rule YAML: byte-stable rendering, lossless round trips, errors with line numbers."""

from __future__ import annotations

from typing import Any

import pytest

from monitorgen.core.errors import RuleFileMalformed, SpecInvalid
from monitorgen.core.rulefile import (
    load_yaml,
    parse_rule_file,
    render_rule,
    render_rule_file,
    render_rules,
)
from monitorgen.core.spec import RuleFile, rule_file_from_data, rule_from_data

CANONICAL = """\
groups:
  - name: api
    interval: 1m
    limit: 10
    rules:
      - alert: Slow
        expr: |-
          histogram_quantile(0.99,
            sum by (le) (rate(x_bucket[5m])))
          > 0.5
        for: 10m
        labels:
          severity: critical
          team: pay
        annotations:
          description: p99 {{ $value }}
          summary: Slow
      - record: job:x:rate5m
        expr: sum by (job) (rate(x_total[5m]))
"""

# The same file as CANONICAL: keys in another order, flow style, other duration spellings.
SHUFFLED = """\
groups:
- rules:
  - annotations: {summary: Slow, description: 'p99 {{ $value }}'}
    labels: {team: pay, severity: critical}
    for: 600s
    expr: |
      histogram_quantile(0.99,
        sum by (le) (rate(x_bucket[5m])))
      > 0.5
    alert: Slow
  - {expr: 'sum by (job) (rate(x_total[5m]))', record: 'job:x:rate5m'}
  limit: 10
  interval: 60000ms
  name: api
"""


def alert(name: str = "A", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "alert": name,
        "expr": "up == 0",
        "labels": {"severity": "critical"},
        "annotations": {"summary": "s", "description": "d"},
    }
    data.update(overrides)
    return data


def rule_file(*groups: dict[str, Any]) -> RuleFile:
    return rule_file_from_data({"groups": list(groups)})


# --- canonical rendering -------------------------------------------------------------------------
def test_it_renders_the_canonical_layout() -> None:
    assert render_rule_file(parse_rule_file(CANONICAL)) == CANONICAL


def test_equivalent_files_render_byte_identically() -> None:
    assert render_rule_file(parse_rule_file(SHUFFLED)) == CANONICAL


@pytest.mark.parametrize("spelling", ["10m", "600s", "600000ms", "0h10m", "0d10m0s"])
def test_duration_spellings_render_the_same(spelling: str) -> None:
    rendered = render_rule_file(rule_file({"name": "g", "rules": [alert(**{"for": spelling})]}))
    assert "        for: 10m\n" in rendered


def test_key_order_of_input_data_does_not_change_the_output() -> None:
    forward = alert(labels={"severity": "info", "a": "1", "z": "2"})
    backward = dict(reversed(list(alert(labels={"z": "2", "a": "1", "severity": "info"}).items())))
    one = render_rule_file(rule_file({"name": "g", "interval": "30s", "rules": [forward]}))
    two = render_rule_file(rule_file({"rules": [backward], "interval": "30s", "name": "g"}))
    assert one == two
    assert one.index("a: '1'") < one.index("severity: info") < one.index("z: '2'")


def test_unset_fields_are_left_out() -> None:
    text = render_rule(rule_from_data({"record": "job:up:sum", "expr": "sum(up)"}))
    assert text == "record: job:up:sum\nexpr: sum(up)\n"


def test_strings_that_yaml_would_misread_are_quoted() -> None:
    text = render_rule(rule_from_data(alert(labels={"severity": "info", "page": "yes", "n": "10"})))
    assert "page: 'yes'" in text
    assert "n: '10'" in text


def test_render_rules_wraps_rules_in_one_group() -> None:
    text = render_rules([rule_from_data(alert())], group="generated")
    assert text.startswith("groups:\n  - name: generated\n    rules:\n      - alert: A\n")


# --- round trips ---------------------------------------------------------------------------------
ROUND_TRIP_FILES: dict[str, dict[str, Any]] = {
    "empty": {"groups": []},
    "empty group": {"groups": [{"name": "g"}]},
    "group options": {"groups": [{"name": "g", "interval": "1h30m", "limit": 0, "rules": []}]},
    "multi-line expr": {
        "groups": [
            {
                "name": "g",
                "rules": [
                    alert(
                        expr="sum by (job) (\n  rate(errors_total[5m])\n)\n/\n"
                        "sum by (job) (rate(requests_total[5m])) > 0.05"
                    ),
                ],
            }
        ]
    },
    "trailing spaces in a multi-line string": {
        "groups": [
            {"name": "g", "rules": [alert(annotations={"summary": "a  \nb", "description": "d"})]}
        ]
    },
    "unicode annotations": {
        "groups": [
            {
                "name": "größe",
                "rules": [
                    alert(
                        annotations={
                            "summary": "Latenz zu hoch 🚨 — 日本語",
                            "description": "Wert: {{ $value | humanize }}\nDienst: «{{ $labels.job }}»\n",
                        }
                    )
                ],
            }
        ]
    },
    "yaml-looking strings": {
        "groups": [
            {
                "name": "on",
                "rules": [
                    alert(
                        labels={
                            "severity": "critical",
                            "a": "null",
                            "b": "1e3",
                            "c": "- x",
                            "d": "#x",
                        },
                        annotations={"summary": "key: value", "description": "'quoted' \"both\""},
                    )
                ],
            }
        ]
    },
    "line and paragraph separators": {
        "groups": [
            {
                "name": "g",
                "rules": [
                    alert(annotations={"summary": "a\x85b\u2028c\u2029d", "description": "\ttab"})
                ],
            }
        ]
    },
    "several groups and kinds": {
        "groups": [
            {
                "name": "records",
                "rules": [
                    {
                        "record": "job:x:rate5m",
                        "expr": "sum by (job) (rate(x_total[5m]))",
                        "labels": {"team": "a"},
                    },
                    {"record": "job:y:rate5m", "expr": "sum by (job) (rate(y_total[5m]))"},
                ],
            },
            {
                "name": "alerts",
                "rules": [
                    alert("One", **{"for": "5m", "keep_firing_for": "15m"}),
                    alert("Two", expr='absent(up{job="x"})'),
                ],
            },
        ]
    },
}


@pytest.mark.parametrize("data", ROUND_TRIP_FILES.values(), ids=ROUND_TRIP_FILES.keys())
def test_parsing_the_rendering_gives_back_the_same_file(data: dict[str, Any]) -> None:
    original = rule_file_from_data(data)
    text = render_rule_file(original)
    assert parse_rule_file(text) == original
    assert render_rule_file(parse_rule_file(text)) == text  # rendering is a fixed point


def test_a_multi_line_expression_is_written_as_a_block() -> None:
    text = render_rule_file(rule_file(ROUND_TRIP_FILES["multi-line expr"]["groups"][0]))
    assert (
        "        expr: |-\n          sum by (job) (\n            rate(errors_total[5m])\n" in text
    )


def test_unicode_is_written_as_is() -> None:
    text = render_rule_file(rule_file_from_data(ROUND_TRIP_FILES["unicode annotations"]))
    assert "Latenz zu hoch 🚨 — 日本語" in text
    assert "\\u" not in text


# --- errors --------------------------------------------------------------------------------------
def test_malformed_yaml_names_its_line() -> None:
    text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: [up\n"
    with pytest.raises(RuleFileMalformed) as exc:
        parse_rule_file(text, source="alerts.yml")
    assert exc.value.message.startswith("alerts.yml: line 6: ")
    assert exc.value.details == {"source": "alerts.yml", "line": 6}


def test_a_tab_indent_is_reported_at_its_line() -> None:
    with pytest.raises(RuleFileMalformed) as exc:
        parse_rule_file("groups:\n\t- name: g\n")
    assert exc.value.details["line"] == 2
    assert "cannot start any token" in exc.value.message


def test_a_duplicate_key_names_both_lines() -> None:
    text = (
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        expr: down\n"
    )
    with pytest.raises(RuleFileMalformed) as exc:
        parse_rule_file(text)
    assert "line 6: duplicate key 'expr' (first at line 5)" in exc.value.message
    assert exc.value.details["line"] == 6


def test_a_duplicate_key_deep_in_a_file_is_found() -> None:
    text = (
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n"
        "        labels:\n          severity: critical\n          team: a\n          team: b\n"
    )
    with pytest.raises(
        RuleFileMalformed, match="line 9: duplicate key 'team' \\(first at line 8\\)"
    ):
        parse_rule_file(text)


@pytest.mark.parametrize(
    ("text", "line", "path", "message"),
    [
        (
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: soon\n",
            6,
            "groups[0].rules[0].for",
            "'soon' is not a Prometheus duration",
        ),
        (
            "groups:\n  - name: ok\n  - name: g\n    rules:\n      - record: job:x\n        expr: up\n"
            "      - record: 1bad\n        expr: up\n",
            7,
            "groups[1].rules[1].record",
            "record name '1bad' is not a valid metric name",
        ),
        (
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up >\n",
            5,
            "groups[0].rules[0].expr",
            "expr is not valid PromQL",
        ),
        (
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n"
            "        labels:\n          team: x\n",
            6,
            "groups[0].rules[0].labels",
            "label 'severity' is required",
        ),
        (
            "groups:\n  - name: g\n    rules:\n      - expr: up\n",
            4,
            "groups[0].rules[0]",
            "a rule needs exactly one of 'alert' or 'record'",
        ),
        (
            "groups:\n  - name: g\n    bogus: 1\n",
            3,
            "groups[0].bogus",
            "unknown field 'bogus'",
        ),
    ],
    ids=["for", "record name", "promql", "labels", "rule kind", "unknown field"],
)
def test_schema_errors_point_at_the_right_line(
    text: str, line: int, path: str, message: str
) -> None:
    with pytest.raises(SpecInvalid) as exc:
        parse_rule_file(text, source="rules.yml", lenient=path.endswith("for") or "expr" in message)
    problem = exc.value.details["problems"][0]
    assert (problem["line"], problem["path"], problem["source"]) == (line, path, "rules.yml")
    assert message in problem["message"]
    assert exc.value.message.startswith(f"rules.yml: line {line}: {path}: ")


def test_lenient_parsing_skips_policy_but_not_structure() -> None:
    text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n"
    assert parse_rule_file(text, lenient=True).groups[0].rules[0].name == "A"
    with pytest.raises(SpecInvalid, match="label 'severity' is required"):
        parse_rule_file(text)


@pytest.mark.parametrize("text", ["", "   \n", "# just a comment\n", "---\n"])
def test_an_empty_file_is_reported_as_empty(text: str) -> None:
    with pytest.raises(RuleFileMalformed, match="the file is empty"):
        parse_rule_file(text, source="x.yml")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n", "rules: []\n"])
def test_a_file_that_is_not_a_mapping_with_groups_is_rejected(text: str) -> None:
    with pytest.raises(RuleFileMalformed) as exc:
        parse_rule_file(text, source="x.yml")
    assert exc.value.message == "x.yml: line 1: a rule file is a mapping with a 'groups' list"


def test_load_yaml_refuses_unsafe_tags() -> None:
    with pytest.raises(RuleFileMalformed):
        load_yaml("!!python/object/apply:os.system ['true']\n")


def test_load_yaml_reads_merge_keys_and_typed_scalars_like_yaml_does() -> None:
    data, _ = load_yaml("base: &b {severity: warning}\nlabels:\n  <<: *b\n  team: x\nlimit: 10\non: true\n")
    assert data == {
        "base": {"severity": "warning"},
        "labels": {"severity": "warning", "team": "x"},
        "limit": 10,
        True: True,  # PyYAML follows YAML 1.1, where a bare `on` is a boolean
    }
