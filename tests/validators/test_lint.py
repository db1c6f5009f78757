from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.spec import AlertingRule, RecordingRule
from validators.lint import REGISTRY, lint_rule
from validators.report import Level

CATALOG = Catalog.model_validate({
    "name": "shop",
    "scrape_interval": "15s",
    "metrics": [
        {"name": "http_requests_total", "type": "counter", "labels": ["code", "path"]},
        {"name": "queue_depth", "type": "gauge", "labels": ["queue"]},
        {"name": "req_seconds", "type": "histogram", "labels": ["path"]},
    ],
})


def alert(expr: str, *, for_: str | None = "10m", labels=None, annotations=None) -> AlertingRule:
    return AlertingRule.model_validate(
        {"alert": "A", "expr": expr, "for": for_, "labels": labels or {"severity": "warning"},
         "annotations": annotations or {"summary": "s", "description": "d"}},
        context={"policy": "lenient"},
    )


def checks(rule, **kwargs) -> dict[str, Level]:
    return {p.check: p.level for p in lint_rule(rule, **kwargs)}


def test_every_check_has_a_stable_id_and_a_one_line_reason():
    for check_id, check in REGISTRY.items():
        assert check_id.startswith("lint/") and check.id == check_id
        assert check.reason and "\n" not in check.reason


def test_it_flags_an_alert_without_comparison_as_an_error():
    assert checks(alert("rate(http_requests_total[5m])"))["lint/no-comparison"] is Level.ERROR


@pytest.mark.parametrize("expr", [
    "up == 0", 'absent(up{job="a"})', "rate(x_total[5m]) and on() (hour() > 8)",
    "count(up == 0) > 2",
])
def test_it_accepts_alerts_with_a_condition(expr):
    assert "lint/no-comparison" not in checks(alert(expr))


def test_it_ignores_recording_rules_without_comparison():
    rule = RecordingRule(record="job:x:rate5m", expr="sum by (job) (rate(x_total[5m]))")
    assert "lint/no-comparison" not in checks(rule)


def test_it_flags_rate_on_a_gauge_from_the_catalog():
    found = checks(alert("rate(queue_depth[5m]) > 1"), catalog=CATALOG)
    assert found["lint/rate-on-non-counter"] is Level.ERROR


def test_it_only_warns_on_rate_of_a_gauge_whose_help_counts_events():
    catalog = Catalog.model_validate({"name": "sockets", "metrics": [
        {"name": "socket_refused_connections_total", "type": "gauge",
         "help": "Total number of refused socket connections"},
        {"name": "view_reads", "type": "gauge", "help": "number of view reads"},
        {"name": "open_connections", "type": "gauge", "help": "Number of open connections"},
    ]})
    for series in ("socket_refused_connections_total", "view_reads"):
        found = checks(alert(f"rate({series}[5m]) > 1"), catalog=catalog)
        assert found["lint/rate-on-non-counter"] is Level.WARNING
    found = checks(alert("rate(open_connections[5m]) > 1"), catalog=catalog)
    assert found["lint/rate-on-non-counter"] is Level.ERROR


def test_it_accepts_rate_on_counters_and_histogram_series_from_the_catalog():
    rule = alert("rate(http_requests_total[5m]) > 1 or rate(req_seconds_count[5m]) > 1")
    assert "lint/rate-on-non-counter" not in checks(rule, catalog=CATALOG)


def test_without_a_catalog_it_only_warns_on_names_that_do_not_look_like_counters():
    assert checks(alert("rate(queue_depth[5m]) > 1"))["lint/rate-on-non-counter"] is Level.WARNING
    assert "lint/rate-on-non-counter" not in checks(alert("rate(jobs_total[5m]) > 1"))


def test_it_flags_a_counter_compared_raw():
    assert "lint/raw-counter" in checks(alert("http_requests_total > 100"), catalog=CATALOG)
    assert "lint/raw-counter" in checks(alert("errors_total > 100"))


def test_it_accepts_a_counter_compared_through_increase():
    assert "lint/raw-counter" not in checks(alert("increase(errors_total[1h]) > 100"))


def test_it_flags_a_window_shorter_than_four_scrape_intervals():
    rule = alert("rate(x_total[1m]) > 1")
    assert checks(rule, scrape_interval_seconds=30)["lint/short-range"] is Level.WARNING


def test_it_accepts_a_window_of_four_scrape_intervals():
    assert "lint/short-range" not in checks(alert("rate(x_total[2m]) > 1"), scrape_interval_seconds=30)


def test_it_flags_histogram_quantile_without_le_as_an_error():
    rule = alert("histogram_quantile(0.9, sum by (job) (rate(d_bucket[5m]))) > 1")
    assert checks(rule)["lint/histogram-no-le"] is Level.ERROR


def test_it_accepts_histogram_quantile_keeping_le():
    rule = alert("histogram_quantile(0.9, sum by (le, job) (rate(d_bucket[5m]))) > 1")
    assert "lint/histogram-no-le" not in checks(rule)


def test_it_flags_an_unguarded_division_inside_sum():
    assert "lint/nan-division" in checks(alert("sum(rate(a_total[5m]) / rate(b_total[5m])) > 1"))


def test_it_accepts_a_guarded_division_and_one_outside_aggregations():
    assert "lint/nan-division" not in checks(alert("sum(a_total / (b_total > 0)) > 1"))
    assert "lint/nan-division" not in checks(alert("sum(a_total) / sum(b_total) > 1"))


def test_it_flags_absent_with_a_short_for():
    found = checks(alert('absent(up{job="a"})', for_="30s"), scrape_interval_seconds=30)
    assert found["lint/absent-for"] is Level.WARNING
    assert "lint/absent-for" in checks(alert('absent(up{job="a"})', for_=None))


def test_it_accepts_absent_with_a_long_for():
    rule = alert('absent(up{job="a"})', for_="5m")
    assert "lint/absent-for" not in checks(rule, scrape_interval_seconds=30)


def test_it_flags_needless_regex_matchers():
    problems = lint_rule(alert('up{job=~"api", env=~".*"} == 0'))
    messages = [p.message for p in problems if p.check == "lint/needless-regex"]
    assert len(messages) == 2 and 'job="api"' in messages[0]


def test_it_accepts_real_regex_matchers():
    assert "lint/needless-regex" not in checks(alert('up{job=~"api|web", code=~"5.."} == 0'))


def test_it_flags_value_in_labels_on_lenient_imported_rules():
    rule = AlertingRule.model_construct(alert="A", expr="up == 0", for_=None, keep_firing_for=None,
                                        labels={"v": "{{ $value }}"}, annotations={})
    assert checks(rule)["lint/value-in-labels"] is Level.ERROR


def test_it_accepts_value_in_annotations():
    rule = alert("up == 0", annotations={"summary": "{{ $value }}", "description": "d"})
    assert "lint/value-in-labels" not in checks(rule)


def test_it_flags_annotation_labels_the_expression_aggregates_away():
    rule = alert("sum by (job) (rate(x_total[5m])) > 1",
                 annotations={"summary": "{{ $labels.instance }} is bad", "description": "d"})
    assert checks(rule)["lint/aggregated-away-label"] is Level.ERROR


def test_it_accepts_annotation_labels_the_expression_keeps():
    rule = alert("sum by (job) (rate(x_total[5m])) > 1",
                 annotations={"summary": "{{ $labels.job }} is bad", "description": "d"})
    assert "lint/aggregated-away-label" not in checks(rule)


def test_it_runs_only_the_checks_asked_for():
    problems = lint_rule(alert("rate(x[1m])"), checks=["lint/short-range"])
    assert {p.check for p in problems} == {"lint/short-range"}
