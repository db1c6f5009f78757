"""Synthesised promtool unit tests, per rule shape: which cases, which series, which alerts.

These tests read the YAML a suite holds (no promtool); tests/validators/test_unittests.py runs
the same suites with the real promtool.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml

from monitorgen.core.catalog import Catalog
from monitorgen.core.durations import parse_duration_seconds
from monitorgen.core.promeval import bucket_quantile
from monitorgen.core.spec import AlertingRule, RecordingRule
from monitorgen.core.unittests import (
    RULE_FILE_NAME,
    AlertCheck,
    UnitTestCase,
    UnitTestSuite,
    expand_template,
    expand_values,
    number_text,
    regex_examples,
    synthesize,
    synthesize_tests,
)

HTTP = Catalog.model_validate({
    "name": "http",
    "metrics": [
        {"name": "http_requests_total", "type": "counter", "labels": ["service", "code"]},
        {"name": "http_request_duration_seconds", "type": "histogram", "labels": ["service"]},
    ],
})


def rule(expr: str, for_: str | None = "10m", **extra: Any) -> AlertingRule:
    return AlertingRule.model_validate({
        "alert": "TestAlert", "expr": expr, "for": for_,
        "labels": {"severity": "warning", **extra.pop("labels", {})},
        "annotations": {"summary": "Trouble on {{ $labels.instance }}",
                        "description": "The value is {{ $value }}.", **extra.pop("annotations", {})},
        **extra,
    })


def suite_of(expr: str, catalog: Catalog | None = None, **kwargs: Any) -> UnitTestSuite:
    suite = synthesize_tests(rule(expr, **kwargs), catalog=catalog)
    assert suite is not None, synthesize(rule(expr, **kwargs), catalog=catalog).reason
    assert yaml.safe_load(suite.text)["rule_files"] == [RULE_FILE_NAME]
    return suite


def case(suite: UnitTestSuite, kind: str) -> UnitTestCase:
    [found] = [c for c in suite.cases if c.kind == kind]
    return found


def seconds(check: AlertCheck) -> float:
    return parse_duration_seconds(check.eval_time)


def samples(test: UnitTestCase, name_start: str, interval: float = 60.0) -> list[list[float | None]]:
    return [expand_values(s.values) for s in test.input_series if s.series.startswith(name_start)]


def level(test: UnitTestCase, name_start: str, interval: float = 60.0) -> float:
    """The value of the (only) series named so at the case's check time."""
    [values] = samples(test, name_start)
    value = values[int(seconds(test.checks[0]) / interval)]
    assert value is not None
    return value


def slope(test: UnitTestCase, name_start: str = "", values: list[float | None] | None = None,
          interval: float = 60.0) -> float:
    """Per-second growth of a counter at the case's check time."""
    if values is None:
        [values] = samples(test, name_start)
    i = int(seconds(test.checks[0]) / interval)
    now, before = values[i], values[i - 1]
    assert now is not None and before is not None
    return (now - before) / interval


def alerts(test: UnitTestCase) -> list[dict[str, Any]]:
    return [{"labels": dict(a.labels), **({"annotations": dict(a.annotations)} if a.annotations else {})}
            for a in test.checks[-1].alerts]


# --- the test file ---------------------------------------------------------------------------
def test_one_promtool_test_holds_the_quiet_the_waiting_and_the_firing_check_in_time_order():
    suite = suite_of("node_load1 > 4", for_="10m")
    [test] = yaml.safe_load(suite.text)["tests"]
    checks = test["alert_rule_test"]
    # Quiet from the start, just above the threshold from 3m: pending at 12m, firing at 13m.
    assert [c["eval_time"] for c in checks] == ["2m", "12m", "13m"]
    assert [c["exp_alerts"] for c in checks[:2]] == [[], []]
    assert checks[2]["exp_alerts"] == [{
        "exp_labels": {"instance": "instance-1", "job": "job-1", "severity": "warning"},
        "exp_annotations": {"summary": "Trouble on instance-1"}}]
    assert test["input_series"] == [{"series": 'node_load1{instance="instance-1", job="job-1"}',
                                     "values": "3.2x2 4.8x14"}]
    # The test's name says what each check proves, in the same order.
    assert test["name"] == "; ".join(c.name for c in sorted(suite.cases, key=lambda c: seconds(c.checks[0])))
    assert [c.kind for c in suite.cases] == ["fires", "quiet", "for"]


# --- gauges -----------------------------------------------------------------------------------
def test_a_gauge_threshold_fires_just_above_and_stays_quiet_just_below():
    suite = suite_of('max by (instance) (node_hwmon_temp_celsius{job="node"}) > 70')
    assert 70 < level(case(suite, "fires"), "node_hwmon") <= 70 * 1.5
    assert 70 * 0.5 <= level(case(suite, "quiet"), "node_hwmon") < 70
    # The scope matcher is on the series; the alert keeps only what `max by` keeps.
    assert all('job="node"' in s.series for s in case(suite, "fires").input_series)
    assert alerts(case(suite, "fires")) == [{
        "labels": {"instance": "instance-1", "severity": "warning"},
        "annotations": {"summary": "Trouble on instance-1"}}]
    assert alerts(case(suite, "quiet")) == []


def test_a_low_threshold_fires_below_it():
    suite = suite_of("node_filesystem_files_free < 1000")
    assert level(case(suite, "fires"), "node") < 1000 <= level(case(suite, "quiet"), "node")


def test_up_equal_to_zero_fires_for_a_down_target_with_its_labels():
    suite = suite_of("up == 0", for_="2m")
    assert level(case(suite, "fires"), "up") == 0
    assert level(case(suite, "quiet"), "up") == 1
    assert case(suite, "quiet").name == "does not fire when up is 1 (not equal to 0)"
    assert alerts(case(suite, "fires"))[0]["labels"] == {"instance": "instance-1", "job": "job-1",
                                                         "severity": "warning"}


def test_a_ratio_of_two_gauges_puts_the_ratio_on_each_side_of_the_threshold():
    suite = suite_of('node_filesystem_avail_bytes{mountpoint="/"} / '
                     'node_filesystem_size_bytes{mountpoint="/"} < 0.1')
    for kind, fires in (("fires", True), ("quiet", False)):
        test = case(suite, kind)
        ratio = level(test, "node_filesystem_avail_bytes") / level(test, "node_filesystem_size_bytes")
        assert (ratio < 0.1) is fires
    assert alerts(case(suite, "fires"))[0]["labels"]["mountpoint"] == "/"


def test_a_percentage_used_is_solved_without_negative_bytes():
    suite = suite_of("(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100 > 90")
    for kind, fires in (("fires", True), ("quiet", False)):
        test = case(suite, kind)
        available = level(test, "node_memory_MemAvailable_bytes")
        assert available >= 0
        assert ((1 - available / level(test, "node_memory_MemTotal_bytes")) * 100 > 90) is fires


# --- counters ---------------------------------------------------------------------------------
def test_a_rate_threshold_sets_the_counter_slope_on_each_side():
    suite = suite_of("rate(jobs_failed_total[5m]) > 2")
    assert 2 < slope(case(suite, "fires"), "jobs") <= 3
    assert 1 <= slope(case(suite, "quiet"), "jobs") < 2


def test_an_increase_over_an_hour_counts_the_increase_over_the_window():
    suite = suite_of("increase(backups_failed_total[1h]) > 10", for_=None)
    assert slope(case(suite, "fires"), "backups") * 3600 > 10
    assert slope(case(suite, "quiet"), "backups") * 3600 < 10
    assert seconds(case(suite, "quiet").checks[0]) >= 3600  # after a full window of data
    assert [c.kind for c in suite.cases] == ["fires", "quiet"]  # no `for`, no waiting case


def test_an_error_ratio_gets_a_5xx_series_and_a_series_the_matcher_rejects():
    expr = ('sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / '
            "sum by (service) (rate(http_requests_total[5m])) > 0.05")
    suite = suite_of(expr, catalog=HTTP)
    for kind, fires in (("fires", True), ("quiet", False)):
        test = case(suite, kind)
        [bad] = [expand_values(s.values) for s in test.input_series if 'code="500"' in s.series]
        [good] = [expand_values(s.values) for s in test.input_series if 'code="200"' in s.series]
        bad_rate, good_rate = slope(test, values=bad), slope(test, values=good)
        assert (bad_rate / (bad_rate + good_rate) > 0.05) is fires
    assert alerts(case(suite, "fires"))[0]["labels"] == {"service": "service-1", "severity": "warning"}


def test_a_histogram_p99_gets_buckets_whose_quantile_lands_on_each_side():
    expr = ("histogram_quantile(0.99, sum by (le) "
            '(rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))) > 0.5')
    suite = suite_of(expr, catalog=HTTP)
    for kind, fires in (("fires", True), ("quiet", False)):
        test = case(suite, kind)
        buckets = []
        for item in test.input_series:
            le = item.series.split('le="')[1].split('"')[0]
            bound = math.inf if le == "+Inf" else float(le)
            buckets.append((bound, slope(test, values=expand_values(item.values))))
            assert 'service="checkout"' in item.series
        assert {b for b, _ in buckets} >= {0.25, math.inf}
        assert (bucket_quantile(0.99, buckets) > 0.5) is fires
    assert "(above 0.5 s)" in case(suite, "fires").name


# --- absent, time and other functions ---------------------------------------------------------
def test_absent_fires_without_the_series_and_keeps_a_decoy_that_misses_the_matcher():
    suite = suite_of('absent(up{job="api"})', for_="5m")
    fires, quiet = case(suite, "fires"), case(suite, "quiet")
    [wanted] = samples(fires, 'up{instance="instance-1", job="api"}')
    [decoy] = samples(fires, 'up{instance="instance-1", job="api-other"}')
    at_fire, at_quiet = int(seconds(fires.checks[0]) / 60), int(seconds(quiet.checks[0]) / 60)
    assert wanted[at_quiet] == 1 and all(v is None for v in wanted[at_fire - 5:at_fire + 1])
    assert decoy[at_fire] == 1
    assert alerts(fires) == [{"labels": {"job": "api", "severity": "warning"}}]
    assert fires.name == 'fires when no up{job="api"} series has been reported for 5m'


def test_time_minus_a_timestamp_fires_when_it_is_older_than_the_threshold():
    suite = suite_of("time() - backup_last_success_timestamp_seconds > 3600")
    for kind, fires in (("fires", True), ("quiet", False)):
        test = case(suite, kind)
        age = seconds(test.checks[0]) - level(test, "backup")
        assert (age > 3600) is fires


def test_predict_linear_fires_for_a_falling_gauge_and_not_for_a_slower_one():
    suite = suite_of("predict_linear(node_filesystem_free_bytes[1h], 4 * 3600) < 0")
    fall_fast = -slope(case(suite, "fires"), "node")
    fall_slow = -slope(case(suite, "quiet"), "node")
    assert fall_fast > fall_slow >= 0 or fall_fast > 0 > fall_slow


def test_changes_and_resets_change_the_series_only_when_firing():
    suite = suite_of("changes(config_last_reload_successful[15m]) > 0", for_=None)
    [values] = samples(case(suite, "fires"), "config")
    quiet_at = int(seconds(case(suite, "quiet").checks[0]) / 60)
    fire_at = int(seconds(case(suite, "fires").checks[0]) / 60)
    assert len(set(values[:quiet_at + 1])) == 1
    assert len(set(values[fire_at - 14:fire_at + 1])) == 2
    suite = suite_of("resets(process_restarts_total[30m]) > 2", for_=None)
    [values] = samples(case(suite, "fires"), "process")
    fire_at = int(seconds(case(suite, "fires").checks[0]) / 60)
    window = [v for v in values[fire_at - 30:fire_at + 1] if v is not None]
    assert sum(1 for a, b in zip(window, window[1:], strict=False) if b < a) > 2


# --- the `for` case and the tested rule --------------------------------------------------------
def test_the_for_case_has_no_alert_one_evaluation_before_for_and_an_alert_at_it():
    suite = suite_of("node_load1 > 4", for_="10m")
    waiting, firing = case(suite, "for"), case(suite, "fires")
    assert waiting.checks[0].alerts == () and firing.checks[0].alerts
    [values] = samples(firing, "node_load1")
    switch = next(i * 60 for i, v in enumerate(values) if v is not None and v > 4)
    assert seconds(firing.checks[0]) - switch == 600
    assert seconds(waiting.checks[0]) == seconds(firing.checks[0]) - 60


def test_a_rule_without_for_has_no_for_case():
    suite = suite_of("node_load1 > 4", for_=None)
    assert [c.kind for c in suite.cases] == ["fires", "quiet"]


def test_annotations_whose_text_is_certain_are_checked_and_the_others_left_out():
    suite = suite_of("node_load1 > 4")
    assert suite.checked_annotations == ("summary",)
    assert suite.unchecked_annotations == ("description",)
    tested = yaml.safe_load(suite.rule_text)["groups"][0]["rules"][0]
    assert tested["annotations"] == {"summary": "Trouble on {{ $labels.instance }}"}
    assert tested["expr"] == "node_load1 > 4" and tested["for"] == "10m"
    assert "description" in suite.text.splitlines()[1]  # the header says what is left out


def test_rule_labels_with_label_templates_are_expanded_in_the_expected_labels():
    suite = suite_of("node_load1 > 4", labels={"team": "ops-{{ $labels.job }}"})
    assert alerts(case(suite, "fires"))[0]["labels"]["team"] == "ops-job-1"


def test_the_same_rule_always_gives_the_same_text():
    first = synthesize_tests(rule("rate(x_total[5m]) > 2"), catalog=None)
    second = synthesize_tests(rule("rate(x_total[5m]) > 2"), catalog=None)
    assert first is not None and second is not None and first.text == second.text


def test_the_catalog_scrape_interval_sets_the_sample_interval():
    suite = synthesize_tests(rule("node_load1 > 4"), catalog=None, scrape_interval="30s")
    assert suite is not None
    assert {t["interval"] for t in yaml.safe_load(suite.text)["tests"]} == {"30s"}


# --- shapes without tests -----------------------------------------------------------------------
@pytest.mark.parametrize(("expr", "reason"), [
    ("node_load1 > 4 or node_load5 > 2", "not a comparison, or absent(), at the top level"),
    ("node_load1 and node_load5 > 2", "left side of `and` is not a comparison"),
    ("max_over_time(node_load1[10m:1m]) > 4", "subqueries"),
    ('label_replace(node_load1, "x", "$1", "job", "(.*)") > 4', "label_replace"),
    ("node_load1 > bool 4", "`bool`"),
    ("node_load1 > 4 and on() hour() > 8", "hour()"),
])
def test_shapes_it_cannot_handle_get_no_suite_and_a_reason(expr: str, reason: str):
    result = synthesize(rule(expr), catalog=None)
    assert result.suite is None
    assert reason in result.reason


def test_a_comparison_of_two_series_is_solved_as_their_difference():
    suite = suite_of("kube_deployment_status_replicas_available != kube_deployment_spec_replicas")
    assert case(suite, "fires").name == (
        "fires when kube_deployment_status_replicas_available is 101 and "
        "kube_deployment_spec_replicas is 100 for 10m")
    assert level(case(suite, "quiet"), "kube_deployment_status_replicas_available") == level(
        case(suite, "quiet"), "kube_deployment_spec_replicas")


def test_a_guard_gets_series_that_let_the_condition_through():
    expr = ("sum by (job) (rate(errors_total[5m])) / sum by (job) (rate(requests_total[5m])) > 0.05 "
            "and sum by (job) (rate(requests_total[5m])) > 10")
    fires = case(suite_of(expr), "fires")
    assert slope(fires, "requests_total") > 10  # busy enough for the guard
    assert alerts(fires)[0]["labels"] == {"job": "job-1", "severity": "warning"}


def test_a_count_of_failing_series_is_quiet_when_nothing_fails():
    suite = suite_of("count by (job) (up == 0) > 0")
    assert level(case(suite, "fires"), "up") == 0 and level(case(suite, "quiet"), "up") != 0
    assert case(suite, "quiet").name == "does not fire when the number of up == 0 series has no value"


def test_a_threshold_the_value_can_never_cross_gets_no_suite():
    result = synthesize(rule("clamp_max(node_load1, 1) > 5"), catalog=None)
    assert result.suite is None and "cross its threshold" in result.reason


def test_recording_rules_get_no_suite():
    result = synthesize(RecordingRule(record="job:up:sum", expr="sum by (job) (up)"))
    assert result.suite is None and "recording rules" in result.reason


# --- helpers ------------------------------------------------------------------------------------
def test_expanding_notation_is_read_like_promtool_reads_it():
    assert expand_values("1+1x3 7x2 _x2 9 -1-2x2") == [1, 2, 3, 4, 7, 7, 7, None, None, 9, -1, -3, -5]
    # promtool adds the step again and again, so decimals drift exactly as here.
    assert expand_values("0.1+0.1x2")[-1] == 0.1 + 0.1 + 0.1


def test_numbers_are_written_without_exponents():
    assert [number_text(v) for v in (2.0, 0.00001, 1e16, -0.5, 0.1 + 0.2)] == [
        "2", "0.00001", "10000000000000000", "-0.5", "0.3"]


def test_templates_expand_only_when_the_text_is_certain():
    labels = {"instance": "db-1", "job": "node"}
    assert expand_template("Down: {{ $labels.instance }} ({{ .Labels.job }})", labels) == "Down: db-1 (node)"
    assert expand_template("plain", labels) == "plain"
    assert expand_template("{{ $value | humanize }}", labels) is None
    assert expand_template("{{ $labels.missing }}", labels) is None


def test_regex_examples_satisfy_the_regex_and_read_naturally():
    assert regex_examples("5..")[0] == "500"
    assert regex_examples("(?i)fail(ed|ure)?")[0] == "fail"
    assert regex_examples("prod|staging") == ["prod", "staging"]
