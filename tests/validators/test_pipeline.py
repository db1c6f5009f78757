from __future__ import annotations

import pytest

from monitorgen.adapters.promtool import Promtool
from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import ConfigurationError
from monitorgen.core.spec import AlertingRule, RuleFile, RuleGroup
from validators.pipeline import (
    resolve_scrape_interval,
    run_rule_tests,
    validate_files,
    validate_rule_file,
    validate_rules,
)

GOOD = """\
groups:
  - name: api
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.instance }} is down"
          description: "API target down"
"""
LINT_AND_TEMPLATE = """\
groups:
  - name: api
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        labels:
          severity: critical
        annotations:
          summary: ok
          description: ok
      - alert: AlwaysFires
        expr: rate(errors_total[5m])
        labels:
          severity: warning
        annotations:
          summary: "{{ .Bad }"
          description: ok
"""
CATALOG = Catalog.model_validate({
    "name": "shop", "metrics": [{"name": "errors_total", "type": "counter"}],
})


def alert(name: str, expr: str) -> AlertingRule:
    return AlertingRule.model_validate({
        "alert": name, "expr": expr, "for": "5m", "labels": {"severity": "warning"},
        "annotations": {"summary": "s", "description": "d"},
    })


@pytest.fixture
def promtool(promtool_path):
    return Promtool(promtool_path)


@pytest.mark.promtool
def test_a_clean_file_passes_every_step(tmp_path, promtool):
    path = tmp_path / "good.yml"
    path.write_text(GOOD)
    report = validate_files([path], promtool=promtool)
    assert report.ok and report.problems == []
    assert report.steps == ["schema", "lint", "promtool"]


@pytest.mark.promtool
def test_problems_name_file_line_rule_and_check(tmp_path, promtool):
    good, bad = tmp_path / "good.yml", tmp_path / "bad.yml"
    good.write_text(GOOD)
    bad.write_text(LINT_AND_TEMPLATE.replace('"{{ .Bad }"', "plain"))
    report = validate_files([good, bad], promtool=promtool)
    [problem] = report.problems
    assert (problem.check, problem.source, problem.line, problem.rule, problem.group) == (
        "lint/no-comparison", str(bad), 11, "AlwaysFires", "api",
    )


@pytest.mark.promtool
def test_policy_errors_carry_lines_and_the_file_is_still_linted(tmp_path, promtool):
    path = tmp_path / "bad.yml"
    path.write_text(LINT_AND_TEMPLATE.replace('"{{ .Bad }"', '""'))
    report = validate_files([path], promtool=promtool)
    checks = {(p.check, p.line) for p in report.problems}
    assert ("schema", 15) in checks and ("lint/no-comparison", 11) in checks
    assert not report.ok


@pytest.mark.promtool
def test_a_structurally_broken_file_reports_schema_errors_only_once(tmp_path, promtool):
    path = tmp_path / "bad.yml"
    path.write_text(LINT_AND_TEMPLATE)
    report = validate_files([path], promtool=promtool)
    assert [(p.check, p.line) for p in report.problems] == [("schema", 15)]


@pytest.mark.promtool
def test_promtool_findings_are_mapped_to_the_rule_and_line(tmp_path, promtool):
    # Brace-balanced but invalid Go template: our schema passes it, promtool does not.
    path = tmp_path / "tmpl.yml"
    path.write_text(GOOD.replace("{{ $labels.instance }}", "{{ .Labels.x | nosuchfunc }}"))
    report = validate_files([path], promtool=promtool)
    [problem] = report.problems
    assert (problem.check, problem.rule, problem.line) == ("promtool/check", "ApiDown", 4)


def test_malformed_yaml_is_a_schema_error_with_a_line(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text("groups:\n  - name: x\n    rules: [\n")
    report = validate_files([path], run_promtool=False)
    [problem] = report.problems
    assert problem.check == "schema" and problem.line == 4


def test_duplicate_keys_are_reported_like_the_core_parser(tmp_path):
    path = tmp_path / "dup.yml"
    path.write_text(GOOD.replace("        for: 5m\n", "        for: 5m\n        for: 6m\n"))
    [problem] = validate_files([path], run_promtool=False).problems
    assert "duplicate key" in problem.message and problem.line == 7


def test_an_unreadable_path_is_reported(tmp_path):
    report = validate_files([tmp_path / "missing.yml"], run_promtool=False)
    assert not report.ok and "cannot read" in report.problems[0].message


def test_grounding_runs_when_a_catalog_is_given(tmp_path):
    path = tmp_path / "g.yml"
    path.write_text(GOOD)
    report = validate_files([path], catalog=CATALOG, run_promtool=False)
    assert "grounding" in report.steps
    assert [p.check for p in report.problems] == ["grounding/unknown-metric"]


@pytest.mark.promtool
def test_validate_rule_file_maps_promtool_issues_to_rules(promtool):
    rule = AlertingRule.model_construct(alert="T", expr="up == 0", for_=None, keep_firing_for=None,
                                        labels={}, annotations={"summary": "{{ .X | nope }}"})
    rule_file = RuleFile(groups=[RuleGroup(name="g", rules=[alert("Ok", "up == 0"), rule])])
    report = validate_rule_file(rule_file, promtool=promtool, source="db")
    [problem] = report.problems
    assert (problem.check, problem.rule, problem.group, problem.source) == (
        "promtool/check", "T", "g", "db",
    )


@pytest.mark.promtool
def test_validate_rules_gives_one_report_per_candidate(promtool):
    broken = AlertingRule.model_construct(alert="Same", expr="up == 0", for_=None,
                                          keep_firing_for=None, labels={},
                                          annotations={"summary": "{{ .X | nope }}"})
    reports = validate_rules([alert("Same", "up == 0"), broken, alert("Same", "rate(x[5m])")],
                             promtool=promtool, scrape_interval="15s")
    assert [r.ok for r in reports] == [True, False, False]
    assert reports[1].problems[0].check == "promtool/check"
    assert reports[2].problems[0].check == "lint/no-comparison"


@pytest.mark.promtool
def test_rule_unit_tests_pass_and_fail(promtool):
    rule_file = RuleFile(groups=[RuleGroup(name="g", rules=[alert("Down", "up == 0")])])
    test_yaml = """
rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="p"}'
        values: '0x10'
    alert_rule_test:
      - eval_time: 10m
        alertname: Down
        exp_alerts: [{exp_labels: {job: p, severity: warning}, exp_annotations: {summary: s, description: d}}]
"""
    assert run_rule_tests(rule_file, test_yaml, promtool=promtool).ok
    failing = run_rule_tests(rule_file, test_yaml.replace("10m", "1m"), promtool=promtool)
    assert not failing.ok and failing.problems[0].check == "promtool/test"


def test_the_scrape_interval_comes_from_argument_catalog_or_settings(settings):
    settings.DEFAULT_SCRAPE_INTERVAL = "20s"
    assert resolve_scrape_interval("1m", CATALOG) == 60
    assert resolve_scrape_interval(None, CATALOG) == 30
    assert resolve_scrape_interval(None, None) == 20
    with pytest.raises(ConfigurationError):
        resolve_scrape_interval("soon", None)
