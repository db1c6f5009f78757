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
from monitorgen.core.promeval import bucket_quantile
from monitorgen.core.spec import AlertingRule, RecordingRule
from monitorgen.core.unittests import (
    RULE_FILE_NAME,
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


def suite_of(expr: str, catalog: Catalog | None = None, **kwargs: Any) -> dict[str, Any]:
    suite = synthesize_tests(rule(expr, **kwargs), catalog=catalog)
    assert suite is not None, synthesize(rule(expr, **kwargs), catalog=catalog).reason
    data = yaml.safe_load(suite.text)
    assert data["rule_files"] == [RULE_FILE_NAME]
    return data


def case(data: dict[str, Any], start: str) -> dict[str, Any]:
    [found] = [t for t in data["tests"] if t["name"].startswith(start)]
    return found


def series(test: dict[str, Any], name_start: str) -> list[dict[str, Any]]:
    return [s for s in test["input_series"] if s["series"].startswith(name_start)]


def last(values: str) -> float:
    samples = [v for v in expand_values(values) if v is not None]
    return samples[-1]


def slope(values: str, interval: float = 60.0) -> float:
    """Per-second rate of a steadily growing counter (its last step)."""
    samples = [v for v in expand_values(values) if v is not None]
    return (samples[-1] - samples[-2]) / interval


def alerts(test: dict[str, Any], index: int = -1) -> list[dict[str, Any]]:
    return test["alert_rule_test"][index]["exp_alerts"]


# --- gauges -----------------------------------------------------------------------------------
def test_a_gauge_threshold_fires_just_above_and_stays_quiet_just_below():
    data = suite_of('max by (instance) (node_hwmon_temp_celsius{job="node"}) > 70')
    fires = case(data, "fires when")
    quiet = case(data, "does not fire when")
    [hot] = series(fires, "node_hwmon_temp_celsius")
    [cool] = series(quiet, "node_hwmon_temp_celsius")
    assert 70 < last(hot["values"]) <= 70 * 1.5
    assert 70 * 0.5 <= last(cool["values"]) < 70
    # The scope matcher is on the series; the alert keeps only what `max by` keeps.
    assert 'job="node"' in hot["series"]
    assert alerts(fires) == [{"exp_labels": {"instance": "instance-1", "severity": "warning"},
                              "exp_annotations": {"summary": "Trouble on instance-1"}}]
    assert alerts(quiet) == []


def test_a_low_threshold_fires_below_it():
    data = suite_of("node_filesystem_files_free < 1000")
    assert last(series(case(data, "fires when"), "node")[0]["values"]) < 1000
    assert last(series(case(data, "does not fire when"), "node")[0]["values"]) >= 1000


def test_up_equal_to_zero_fires_for_a_down_target_with_its_labels():
    data = suite_of("up == 0", for_="2m")
    fires, quiet = case(data, "fires when up"), case(data, "does not fire when up is 1")
    assert series(fires, "up")[0]["values"].startswith("0")
    assert last(series(quiet, "up")[0]["values"]) == 1
    assert alerts(fires)[0]["exp_labels"] == {"instance": "instance-1", "job": "job-1",
                                              "severity": "warning"}


def test_a_ratio_of_two_gauges_puts_the_ratio_on_each_side_of_the_threshold():
    data = suite_of('node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"} < 0.1')
    for name, fires in (("fires when", True), ("does not fire when", False)):
        test = case(data, name)
        ratio = (last(series(test, "node_filesystem_avail_bytes")[0]["values"])
                 / last(series(test, "node_filesystem_size_bytes")[0]["values"]))
        assert (ratio < 0.1) is fires
    assert alerts(case(data, "fires when"))[0]["exp_labels"]["mountpoint"] == "/"


def test_a_percentage_used_is_solved_without_negative_bytes():
    data = suite_of("(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100 > 90")
    for name, fires in (("fires when", True), ("does not fire when", False)):
        test = case(data, name)
        available = last(series(test, "node_memory_MemAvailable_bytes")[0]["values"])
        total = last(series(test, "node_memory_MemTotal_bytes")[0]["values"])
        assert available >= 0
        assert ((1 - available / total) * 100 > 90) is fires


# --- counters ---------------------------------------------------------------------------------
def test_a_rate_threshold_sets_the_counter_slope_on_each_side():
    data = suite_of("rate(jobs_failed_total[5m]) > 2")
    assert 2 < slope(series(case(data, "fires when"), "jobs")[0]["values"]) <= 3
    assert 1 <= slope(series(case(data, "does not fire when"), "jobs")[0]["values"]) < 2


def test_an_increase_over_an_hour_counts_the_increase_over_the_window():
    data = suite_of("increase(backups_failed_total[1h]) > 10", for_=None)
    assert slope(series(case(data, "fires when"), "backups")[0]["values"]) * 3600 > 10
    assert slope(series(case(data, "does not fire when"), "backups")[0]["values"]) * 3600 < 10
    fires = case(data, "fires when")
    assert fires["alert_rule_test"][0]["eval_time"].startswith("1h")  # after a full window


def test_an_error_ratio_gets_a_5xx_series_and_a_series_the_matcher_rejects():
    expr = ('sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) / '
            "sum by (service) (rate(http_requests_total[5m])) > 0.05")
    data = suite_of(expr, catalog=HTTP)
    for name, fires in (("fires when", True), ("does not fire when", False)):
        test = case(data, name)
        [bad] = [s for s in test["input_series"] if 'code="500"' in s["series"]]
        [good] = [s for s in test["input_series"] if 'code="200"' in s["series"]]
        bad_rate, good_rate = slope(bad["values"]), slope(good["values"])
        assert (bad_rate / (bad_rate + good_rate) > 0.05) is fires
    assert alerts(case(data, "fires when"))[0]["exp_labels"] == {"service": "service-1",
                                                                 "severity": "warning"}


def test_a_histogram_p99_gets_buckets_whose_quantile_lands_on_each_side():
    expr = ("histogram_quantile(0.99, sum by (le) "
            '(rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))) > 0.5')
    data = suite_of(expr, catalog=HTTP)
    for name, fires in (("fires when p99", True), ("does not fire when p99", False)):
        test = case(data, name)
        buckets = []
        for item in series(test, "http_request_duration_seconds_bucket"):
            le = item["series"].split('le="')[1].split('"')[0]
            buckets.append((math.inf if le == "+Inf" else float(le), slope(item["values"])))
        assert {b for b, _ in buckets} >= {0.25, math.inf}
        assert (bucket_quantile(0.99, buckets) > 0.5) is fires
        assert all('service="checkout"' in s["series"] for s in test["input_series"])
    assert "0.5 s" in case(data, "fires when")["name"]


# --- absent, time and other functions ---------------------------------------------------------
def test_absent_fires_without_the_series_and_keeps_a_decoy_that_misses_the_matcher():
    data = suite_of('absent(up{job="api"})', for_="5m")
    fires, quiet = case(data, "fires when no"), case(data, "does not fire while")
    assert [s["series"] for s in fires["input_series"]] == ['up{instance="instance-1", job="api-other"}']
    assert any('job="api"' in s["series"] for s in quiet["input_series"])
    assert alerts(fires) == [{"exp_labels": {"job": "api", "severity": "warning"}}]


def test_time_minus_a_timestamp_fires_when_it_is_older_than_the_threshold():
    data = suite_of("time() - backup_last_success_timestamp_seconds > 3600")
    for name, fires in (("fires when the age", True), ("does not fire when the age", False)):
        test = case(data, name)
        check = test["alert_rule_test"][0]["eval_time"]
        minutes = int(check.rstrip("m")) if "h" not in check else None
        assert minutes is not None
        age = minutes * 60 - last(series(test, "backup")[0]["values"])
        assert (age > 3600) is fires


def test_predict_linear_fires_for_a_falling_gauge_and_not_for_a_slower_one():
    data = suite_of("predict_linear(node_filesystem_free_bytes[1h], 4 * 3600) < 0")
    falling = expand_values(series(case(data, "fires when"), "node")[0]["values"])
    steady = expand_values(series(case(data, "does not fire when"), "node")[0]["values"])
    assert falling[0] > falling[-1]
    assert (falling[0] - falling[-1]) > (steady[0] - steady[-1])


def test_changes_and_resets_flip_the_series_only_when_firing():
    flips = suite_of("changes(config_last_reload_successful[15m]) > 0", for_=None)
    values = expand_values(series(case(flips, "fires when"), "config")[0]["values"])
    assert len(set(values)) == 2
    assert len(set(expand_values(series(case(flips, "does not fire when"), "config")[0]["values"]))) == 1
    resets = suite_of("resets(process_restarts_total[30m]) > 2", for_=None)
    values = [v for v in expand_values(series(case(resets, "fires when"), "process")[0]["values"])
              if v is not None]
    assert sum(1 for a, b in zip(values, values[1:], strict=False) if b < a) > 2


# --- the `for` case and the tested rule --------------------------------------------------------
def test_the_for_case_has_no_alert_one_evaluation_before_for_and_an_alert_at_it():
    data = suite_of("node_load1 > 4", for_="10m")
    test = case(data, "does not fire until")
    (early, late) = test["alert_rule_test"]
    assert early["exp_alerts"] == []
    assert late["exp_alerts"][0]["exp_labels"]["severity"] == "warning"
    values = [v for v in expand_values(series(test, "node_load1")[0]["values"]) if v is not None]
    switch = next(i for i, v in enumerate(values) if v > 4)  # minutes, at a 1m interval
    assert int(late["eval_time"].rstrip("m")) - switch == 10
    assert int(early["eval_time"].rstrip("m")) < int(late["eval_time"].rstrip("m"))


def test_a_rule_without_for_has_no_for_case():
    data = suite_of("node_load1 > 4", for_=None)
    assert [t["name"].split()[0:2] for t in data["tests"]] == [["fires", "when"], ["does", "not"]]


def test_annotations_whose_text_is_certain_are_checked_and_the_others_left_out():
    suite = synthesize_tests(rule("node_load1 > 4"), catalog=None)
    assert suite is not None
    assert suite.checked_annotations == ("summary",)
    assert suite.unchecked_annotations == ("description",)
    tested = yaml.safe_load(suite.rule_text)["groups"][0]["rules"][0]
    assert tested["annotations"] == {"summary": "Trouble on {{ $labels.instance }}"}
    assert tested["expr"] == "node_load1 > 4" and tested["for"] == "10m"
    assert "description" in suite.text.splitlines()[1]  # the header says what is left out


def test_rule_labels_with_label_templates_are_expanded_in_the_expected_labels():
    data = suite_of("node_load1 > 4", labels={"team": "ops-{{ $labels.job }}"})
    assert alerts(case(data, "fires when"))[0]["exp_labels"]["team"] == "ops-job-1"


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
    ("node_load1 > 4 and node_load5 > 2", "not a comparison with a number"),
    ("kube_deployment_status_replicas_available != kube_deployment_spec_replicas",
     "not between series and a number"),
    ("max_over_time(node_load1[10m:1m]) > 4", "subqueries"),
    ('label_replace(node_load1, "x", "$1", "job", "(.*)") > 4', "label_replace"),
    ("node_load1 > bool 4", "`bool`"),
    ("rate(node_load1[5m]) > 1 unless node_load1 > 0", "not a comparison"),
])
def test_shapes_it_cannot_handle_get_no_suite_and_a_reason(expr: str, reason: str):
    result = synthesize(rule(expr), catalog=None)
    assert result.suite is None
    assert reason in result.reason


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
