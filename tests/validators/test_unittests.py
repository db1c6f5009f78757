"""Synthesised unit tests run by the real promtool: they pass for the rule they were made for,
and the same tests fail once the rule's threshold, comparator or `for` changes."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from monitorgen.adapters.promtool import Promtool
from monitorgen.core.catalog import Catalog
from monitorgen.core.spec import AlertingRule, RecordingRule
from monitorgen.core.unittests import UnitTestSuite, synthesize_tests
from validators import unittests as runner
from validators.pipeline import validate_rules
from validators.report import Level

pytestmark = pytest.mark.promtool

HTTP = Catalog.model_validate({
    "name": "http",
    "scrape_interval": "30s",
    "metrics": [
        {"name": "http_requests_total", "type": "counter", "labels": ["service", "code"]},
        {"name": "http_request_duration_seconds", "type": "histogram", "labels": ["service"]},
    ],
})
ERROR_RATIO = ('sum by (service) (rate(http_requests_total{{code=~"5.."}}[5m])) / '
               "sum by (service) (rate(http_requests_total[5m])) {} {}")
P99 = ('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket'
       '{{service="checkout"}}[5m]))) {} {}')
GUARDED = ("sum by (job) (rate(errors_total[5m])) / sum by (job) (rate(requests_total[5m])) > {} "
           "and sum by (job) (rate(requests_total[5m])) > {}")

# (expression, for, expressions that must make the same tests fail)
RULES = [
    ("up == 0", "2m", ["up == 1", "up != 0"]),
    ('sum by (job) (up{job="api"}) == 0', "5m", ['sum by (job) (up{job="api"}) > 0']),
    ("node_load1 > 4", "10m", ["node_load1 > 8", "node_load1 > 2", "node_load1 < 4"]),
    ("node_filesystem_files_free < 1000", "5m",
     ["node_filesystem_files_free < 2000", "node_filesystem_files_free < 500"]),
    ('max by (instance) (node_hwmon_temp_celsius{job="node"}) > 70', "5m",
     ['max by (instance) (node_hwmon_temp_celsius{job="node"}) > 140',
      'max by (instance) (node_hwmon_temp_celsius{job="node"}) > 35',
      'max by (job) (node_hwmon_temp_celsius{job="node"}) > 70']),
    ('node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"} < 0.1',
     "5m",
     ['node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"} < 0.05',
      'node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"} > 0.1']),
    ("(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100 > 90", "10m",
     ["(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100 > 45",
      "(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100 < 90"]),
    ("rate(jobs_failed_total[5m]) > 2", "5m",
     ["rate(jobs_failed_total[5m]) > 4", "rate(jobs_failed_total[5m]) > 1",
      "rate(jobs_failed_total[5m]) < 2"]),
    ("increase(backups_failed_total[1h]) > 10", None,
     ["increase(backups_failed_total[1h]) > 20", "increase(backups_failed_total[1h]) > 5"]),
    (ERROR_RATIO.format(">", "0.05"), "5m",
     [ERROR_RATIO.format(">", "0.1"), ERROR_RATIO.format(">", "0.025"),
      ERROR_RATIO.format("<", "0.05")]),
    (P99.format(">", "0.5"), "10m",
     [P99.format(">", "1"), P99.format(">", "0.25"), P99.format("<", "0.5")]),
    ('absent(up{job="api"})', "5m", ['absent(up{job="api-other"})', 'absent(up{job="web"})']),
    ("time() - backup_last_success_timestamp_seconds > 3600", "10m",
     ["time() - backup_last_success_timestamp_seconds > 7200",
      "time() - backup_last_success_timestamp_seconds > 1800"]),
    ("certificate_expiry_timestamp_seconds - time() < 86400 * 21", "1h",
     ["certificate_expiry_timestamp_seconds - time() < 86400 * 42",
      "certificate_expiry_timestamp_seconds - time() < 86400 * 10"]),
    ("predict_linear(node_filesystem_free_bytes[1h], 4 * 3600) < 0", "10m",
     ["predict_linear(node_filesystem_free_bytes[1h], 4 * 3600) > 0",
      "predict_linear(node_filesystem_free_bytes[1h], 600) < 0"]),
    ("changes(config_last_reload_successful[15m]) > 0", None,
     ["changes(config_last_reload_successful[15m]) > 30",
      "changes(config_last_reload_successful[15m]) >= 0"]),
    ("resets(process_restarts_total[30m]) > 2", None,
     ["resets(process_restarts_total[30m]) > 60", "resets(process_restarts_total[30m]) >= 0"]),
    ("kube_deployment_status_replicas_available != kube_deployment_spec_replicas", "15m",
     ["kube_deployment_status_replicas_available == kube_deployment_spec_replicas",
      "kube_deployment_status_replicas_available < kube_deployment_spec_replicas"]),
    (GUARDED.format("0.05", "10"), "5m",
     [GUARDED.format("0.1", "10"), GUARDED.format("0.025", "10"), GUARDED.format("0.05", "1e6")]),
    ("count by (job) (up == 0) > 0", "5m",
     ["count by (job) (up == 0) > 1", "count by (job) (up == 1) > 0"]),
    ("sum(rate(rpc_duration_seconds_sum[5m])) / sum(rate(rpc_duration_seconds_count[5m])) > 0.3",
     "5m",
     ["sum(rate(rpc_duration_seconds_sum[5m])) / sum(rate(rpc_duration_seconds_count[5m])) > 0.6",
      "sum(rate(rpc_duration_seconds_sum[5m])) / sum(rate(rpc_duration_seconds_count[5m])) > 0.15"]),
]


def alert(expr: str, for_: str | None = "5m", **labels: str) -> AlertingRule:
    return AlertingRule.model_validate({
        "alert": "UnderTest", "expr": expr, "for": for_,
        "labels": {"severity": "warning", **labels},
        "annotations": {"summary": "Trouble on {{ $labels.instance }}",
                        "description": "The value is {{ $value | humanize }}."},
    })


@pytest.fixture
def promtool(promtool_path: str) -> Promtool:
    return Promtool(promtool_path)


def catalog_for(expr: str) -> Catalog | None:
    return HTTP if "http_" in expr else None


def suite_for(expr: str, for_: str | None) -> UnitTestSuite:
    catalog = catalog_for(expr)
    suite = synthesize_tests(alert(expr, for_), catalog=catalog,
                             scrape_interval=catalog.scrape_interval if catalog else "1m")
    assert suite is not None
    return suite


def changed(suite: UnitTestSuite, **changes: str | None) -> str:
    """The rule file the suite reads, with the rule's expr or for changed."""
    data = yaml.safe_load(suite.rule_text)
    tested = data["groups"][0]["rules"][0]
    for key, value in changes.items():
        if value is None:
            tested.pop(key, None)
        else:
            tested[key] = value
    return yaml.safe_dump(data)


def run_all(promtool: Promtool, runs: dict[str, tuple[UnitTestSuite, str]]) -> dict[str, bool]:
    """One promtool call for many (suite, rule file) pairs: whether each passed."""
    pending = promtool.start_test_rules(
        {key: (suite.text, {suite.rule_file_name: rules}) for key, (suite, rules) in runs.items()})
    return {key: result.ok for key, result in pending.result().files.items()}


def test_synthesised_tests_pass_for_the_rules_they_were_made_for(promtool):
    rules = [alert(expr, for_) for expr, for_, _ in RULES]
    outcomes = runner.run_unit_tests(rules, catalog=HTTP, scrape_interval="30s", promtool=promtool)
    assert [(o.rule, o.status) for o in outcomes] == [("UnderTest", runner.PASSED)] * len(RULES), [
        (o.reason, o.output) for o in outcomes if o.status != runner.PASSED]
    assert all(len(o.cases) >= 2 and all(c.passed for c in o.cases) for o in outcomes)


def test_the_same_tests_fail_when_the_threshold_or_comparator_changes(promtool):
    runs: dict[str, tuple[UnitTestSuite, str]] = {}
    for index, (expr, for_, mutations) in enumerate(RULES):
        suite = suite_for(expr, for_)
        runs[f"{index}-original"] = (suite, suite.rule_text)
        for number, mutated in enumerate(mutations):
            runs[f"{index}-mutant-{number}"] = (suite, changed(suite, expr=mutated))
    passed = run_all(promtool, runs)
    assert [k for k, ok in passed.items() if k.endswith("original") and not ok] == []
    survivors = [runs[k][1] for k, ok in passed.items() if "mutant" in k and ok]
    assert survivors == [], "these changed rules still pass the original tests"


def test_the_for_case_fails_when_for_is_shorter_or_longer_or_missing(promtool):
    suite = suite_for("node_load1 > 4", "10m")
    runs = {name: (suite, changed(suite, **{"for": value}))
            for name, value in (("shorter", "5m"), ("longer", "20m"), ("missing", None),
                                ("as written", "10m"))}
    assert run_all(promtool, runs) == {"shorter": False, "longer": False, "missing": False,
                                       "as written": True}


def test_rules_of_every_shape_run_in_one_promtool_call(promtool_path):
    calls: list[int] = []

    class Counting(Promtool):
        def start_test_rules(self, suites):  # type: ignore[no-untyped-def]
            calls.append(len(suites))
            return super().start_test_rules(suites)

    rules = [alert("up == 0"), alert("node_load1 > 4 or node_load5 > 1"), alert("rate(x_total[5m]) > 1")]
    outcomes = runner.run_unit_tests(rules, promtool=Counting(promtool_path))
    assert calls == [2]  # the rule without tests is not sent
    assert [o.status for o in outcomes] == [runner.PASSED, runner.NOT_GENERATED, runner.PASSED]


def test_a_failing_synthesised_test_is_an_error_naming_the_failed_case(promtool, monkeypatch):
    real = runner.synthesize

    def made_for_another_threshold(rule, **kwargs):  # type: ignore[no-untyped-def]
        result = real(rule, **kwargs)
        assert result.suite is not None
        # The tests expect the threshold 4; the rule they run against says 8.
        wrong = changed(result.suite, expr="node_load1 > 8")
        return dataclasses.replace(result, suite=dataclasses.replace(result.suite, rule_text=wrong))

    monkeypatch.setattr(runner, "synthesize", made_for_another_threshold)
    [outcome] = runner.run_unit_tests([alert("node_load1 > 4")], promtool=promtool)
    assert outcome.status == runner.FAILED
    failed = [c.name for c in outcome.cases if c.passed is False]
    assert failed and all(name.startswith(("fires when", "does not fire until")) for name in failed)
    assert [c.passed for c in outcome.cases if c.name.startswith("does not fire when")] == [True]
    [problem] = outcome.problems()
    assert (problem.check, problem.level) == ("unittest/failed", Level.ERROR)
    assert failed[0] in problem.message and "exp:" in problem.message


def test_a_shape_without_tests_is_a_warning_with_the_reason(promtool):
    [outcome] = runner.run_unit_tests([alert("node_load1 > 4 or node_load5 > 1")], promtool=promtool)
    [problem] = outcome.problems()
    assert (problem.check, problem.level) == ("unittest/not-generated", Level.WARNING)
    assert "top level" in problem.message


def test_the_pipeline_runs_unit_tests_beside_promtool_and_keeps_one_record_per_rule(promtool):
    reports = validate_rules(
        [alert("up == 0"), RecordingRule(record="job:up:sum", expr="sum by (job) (up)")],
        promtool=promtool, unit_tests=True, scrape_interval="30s",
    )
    assert [r.ok for r in reports] == [True, True]
    assert all("unittest" in r.steps for r in reports)
    first, second = (r.as_dict()["unit_tests"] for r in reports)
    assert first[0]["status"] == "passed" and "rule_files" in first[0]["text"]
    assert [c["passed"] for c in first[0]["cases"]] == [True, True, True]
    assert second[0]["status"] == "skipped"


def test_a_rule_promtool_refuses_has_its_tests_skipped_not_failed(promtool):
    broken = AlertingRule.model_construct(
        alert="Broken", expr="up == 0", for_=None, keep_firing_for=None,
        labels={"severity": "warning"}, annotations={"summary": "{{ .X | nope }}"})
    [report] = validate_rules([broken], promtool=promtool, unit_tests=True, scrape_interval="30s")
    assert [p.check for p in report.problems] == ["promtool/check"]
    assert report.unit_tests[0]["status"] == "skipped"


def test_unit_tests_are_off_unless_asked_for(promtool):
    [report] = validate_rules([alert("up == 0")], promtool=promtool, scrape_interval="30s")
    assert "unittest" not in report.steps and "unit_tests" not in report.as_dict()


def test_when_one_test_cannot_hold_every_case_each_case_gets_its_own_test(promtool, monkeypatch):
    from monitorgen.core import unittests as synthesis

    monkeypatch.setattr(synthesis, "_combined", lambda *args, **kwargs: None)
    rules = [alert(expr, for_) for expr, for_, _ in RULES[:12]]
    outcomes = runner.run_unit_tests(rules, catalog=HTTP, scrape_interval="30s", promtool=promtool)
    assert [o.status for o in outcomes] == [runner.PASSED] * len(rules), [o.output for o in outcomes]
    for outcome in outcomes:
        assert outcome.suite is not None
        tests = yaml.safe_load(outcome.suite.text)["tests"]
        assert len(tests) == len(outcome.cases) and {t["name"] for t in tests} == {
            c.name for c in outcome.cases}
