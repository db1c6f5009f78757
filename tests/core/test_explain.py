"""Plain-English explanations of rules: the wording of each construct, and robustness."""

from __future__ import annotations

from typing import Any

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.explain import explain_rule, explain_rule_file
from monitorgen.core.spec import (
    AlertingRule,
    RecordingRule,
    alerting_rule_from_data,
    rule_file_from_data,
)


def alert(
    expr: str, *, for_: str | None = None, severity: str = "critical", **extra: Any
) -> AlertingRule:
    data: dict[str, Any] = {
        "alert": "TestAlert",
        "expr": expr,
        "labels": {"severity": severity, **extra.pop("labels", {})},
        "annotations": {"summary": "A summary", "description": "A description"},
        **extra,
    }
    if for_ is not None:
        data["for"] = for_
    return alerting_rule_from_data(data)


def explain(expr: str, **kwargs: Any) -> str:
    return explain_rule(alert(expr, **kwargs))


# --- the headline example and comparisons --------------------------------------------------------
def test_it_describes_a_p99_latency_alert() -> None:
    text = explain(
        "histogram_quantile(0.99, sum by (le) "
        '(rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))) > 0.5',
        for_="10m",
    )
    assert text == (
        "Fires when the 99th percentile of http_request_duration_seconds for service checkout, "
        "over the last 5 minutes, stays above 0.5 s for 10 minutes. Severity: critical (pages)."
    )


@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("0.5", "the median"),
        ("0.01", "the 1st percentile"),
        ("0.02", "the 2nd percentile"),
        ("0.03", "the 3rd percentile"),
        ("0.11", "the 11th percentile"),
        ("0.9", "the 90th percentile"),
        ("0.999", "the 99.9th percentile"),
    ],
)
def test_it_names_quantiles_as_percentiles(q: str, name: str) -> None:
    text = explain(f"histogram_quantile({q}, rate(job_seconds_bucket[5m])) > 1")
    assert f"{name} of job_seconds over the last 5 minutes is above 1 s" in text


def test_it_says_per_label_for_a_histogram_grouped_by_more_than_le() -> None:
    text = explain(
        "histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m]))) > 0.25"
    )
    assert (
        "the 95th percentile of http_request_duration_seconds over the last 5 minutes, per route"
        in text
    )
    assert "above 250 ms" in text


@pytest.mark.parametrize(
    ("op", "stays", "is_"),
    [
        (">", "stays above", "is above"),
        (">=", "stays at or above", "is at or above"),
        ("<", "stays below", "is below"),
        ("<=", "stays at or below", "is at or below"),
        ("==", "stays equal to", "equals"),
        ("!=", "stays different from", "does not equal"),
    ],
)
def test_it_words_each_comparison_with_and_without_for(op: str, stays: str, is_: str) -> None:
    assert f"Fires when queue_depth {stays} 7 for 5 minutes." in explain(
        f"queue_depth {op} 7", for_="5m"
    )
    assert f"Fires as soon as queue_depth {is_} 7." in explain(f"queue_depth {op} 7")


def test_it_flips_a_comparison_written_with_the_number_first() -> None:
    assert "queue_depth is above 10" in explain("10 < queue_depth")


def test_it_warns_that_a_bool_comparison_fires_for_every_series() -> None:
    text = explain("queue_depth > bool 10")
    assert "1 where queue_depth is above 10 and 0 elsewhere" in text
    assert "fires for every series" in text


def test_it_treats_a_zero_for_as_firing_at_once() -> None:
    assert explain("queue_depth > 1", for_="0s").startswith(
        "Fires as soon as queue_depth is above 1."
    )


def test_it_describes_a_down_target() -> None:
    text = explain('up{job="api"} == 0', for_="2m")
    assert text.startswith(
        "Fires when up for job api stays equal to 0 (the target is down) for 2 minutes."
    )


# --- functions -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (
            "rate(jobs_total[5m]) > 1",
            "the per-second rate of jobs_total over the last 5 minutes is above 1",
        ),
        (
            "irate(jobs_total[1m]) > 1",
            "the instant per-second rate of jobs_total over the last minute",
        ),
        (
            "increase(restarts_total[1h]) > 3",
            "the increase in restarts_total over the last hour is above 3",
        ),
        (
            "delta(temperature_celsius[1h]) > 5",
            "the change in temperature_celsius over the last hour is above 5 °C",
        ),
        (
            "deriv(queue_depth[10m]) > 0.5",
            "the per-second slope of queue_depth over the last 10 minutes",
        ),
    ],
)
def test_it_describes_rates_and_changes(expr: str, expected: str) -> None:
    assert expected in explain(expr)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (
            "avg_over_time(queue_depth[10m]) > 5",
            "the average of queue_depth over the last 10 minutes",
        ),
        (
            "max_over_time(queue_depth[10m]) > 5",
            "the highest value of queue_depth over the last 10 minutes",
        ),
        (
            "min_over_time(queue_depth[10m]) > 5",
            "the lowest value of queue_depth over the last 10 minutes",
        ),
        (
            "count_over_time(queue_depth[5m]) < 5",
            "the number of samples of queue_depth over the last 5 minutes",
        ),
        (
            "quantile_over_time(0.95, job_seconds[1h]) > 2",
            "the 95th percentile of job_seconds over the last hour is above 2 s",
        ),
    ],
)
def test_it_describes_over_time_functions(expr: str, expected: str) -> None:
    assert expected in explain(expr)


def test_it_describes_a_subquery_window_and_step() -> None:
    text = explain("max_over_time(rate(jobs_total[5m])[1h:1m]) > 10")
    assert (
        "the highest value of the per-second rate of jobs_total over the last 5 minutes, "
        "over the last hour, sampled every 1 minute" in text
    )


def test_it_describes_missing_data() -> None:
    assert explain('absent(up{job="api"})', for_="10m").startswith(
        "Fires when there is no data for up for job api, continuously for 10 minutes."
    )
    assert (
        "there has been no data for heartbeat_total for job cron, over the last 15 minutes"
        in explain('absent_over_time(heartbeat_total{job="cron"}[15m])')
    )


def test_it_describes_a_disk_filling_prediction() -> None:
    text = explain('predict_linear(node_filesystem_avail_bytes{mountpoint="/"}[6h], 4 * 3600) < 0')
    assert (
        "node_filesystem_avail_bytes for mountpoint / is predicted to drop below 0 "
        "within 4 hours based on the last 6 hours"
    ) in text


def test_it_describes_staleness_as_time_since_a_timestamp() -> None:
    text = explain('time() - backup_last_success_timestamp_seconds{job="backup"} > 86400')
    assert (
        "the time since backup_last_success_timestamp_seconds for job backup is above 1 day" in text
    )


def test_it_compares_with_the_same_series_a_week_ago() -> None:
    text = explain("rate(orders_total[5m]) / rate(orders_total[5m] offset 1w) < 0.5")
    assert (
        "the per-second rate of orders_total over the last 5 minutes compared with one week ago is below 50%"
        in text
    )


def test_it_mentions_a_plain_offset() -> None:
    assert "as of one day ago" in explain("rate(orders_total[5m] offset 1d) > 5")


def test_it_quotes_what_it_does_not_recognise() -> None:
    assert "`info(queue_depth)`" in explain("info(queue_depth)")


# --- aggregations and ratios ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (
            "sum by (service) (rate(jobs_total[5m])) > 1",
            "the total per-second rate of jobs_total over the last 5 minutes, per service",
        ),
        (
            "sum(rate(jobs_total[5m])) > 1",
            "the total per-second rate of jobs_total over the last 5 minutes, across all series",
        ),
        (
            "avg without (instance) (queue_depth) > 1",
            "the average of queue_depth, across every instance",
        ),
        (
            "max by (pod, namespace) (queue_depth) > 1",
            "the maximum of queue_depth, per pod and namespace",
        ),
        ("min(queue_depth) < 1", "the minimum of queue_depth, across all series"),
        (
            'count(up{job="api"} == 1) < 2',
            "the number of series in up for job api, only where it equals 1",
        ),
        ("topk(3, queue_depth) > 1", "the top 3 series of queue_depth is above 1"),
        ("quantile(0.9, queue_depth) > 1", "the 90th percentile of queue_depth, across all series"),
    ],
)
def test_it_describes_aggregations(expr: str, expected: str) -> None:
    assert expected in explain(expr)


def test_it_words_an_error_ratio_as_a_percent_fraction() -> None:
    text = explain(
        'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
        for_="5m",
    )
    assert "http_requests_total for status 5xx, over the last 5 minutes, as a fraction of" in text
    assert "stays above 5% for 5 minutes" in text


def test_it_keeps_a_ratio_above_one_as_a_plain_number() -> None:
    text = explain("sum(rate(a_total[5m])) / sum(rate(b_total[5m])) > 2")
    assert "the ratio of " in text
    assert "is above 2." in text
    assert "fraction" not in text


def test_it_reads_a_ratio_times_a_hundred_as_percent() -> None:
    text = explain(
        "sum by (job) (rate(errors_total[5m])) / sum by (job) (rate(requests_total[5m])) * 100 > 5"
    )
    assert (
        "as a percent of the total per-second rate of requests_total over the last 5 minutes, per job, is above 5%"
        in text
    )


def test_it_describes_and_or_unless() -> None:
    assert "jobs_total over the last 5 minutes is above 1 and the per-second" in explain(
        "rate(jobs_total[5m]) > 1 and rate(requests_total[5m]) > 10"
    )
    assert ", or there is no data for jobs_total" in explain(
        "rate(jobs_total[5m]) > 0 or absent(jobs_total)"
    )
    assert ", unless maintenance_mode equals 1 (matched on instance)" in explain(
        "rate(jobs_total[5m]) > 1 unless on(instance) maintenance_mode == 1"
    )


# --- matchers, units, thresholds -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("selector", "words"),
    [
        ('queue_depth{env="prod"}', "queue_depth for env prod"),
        ('queue_depth{env!="dev"}', "queue_depth for env other than dev"),
        ('queue_depth{env=~"prod|staging"}', "queue_depth for env prod or staging"),
        ('queue_depth{env!~"dev|test"}', "queue_depth for env other than dev or test"),
        ('queue_depth{pod=~"api-.*"}', "queue_depth for pod matching api-.*"),
        ('queue_depth{env="prod", region="eu"}', "queue_depth for env prod and region eu"),
    ],
)
def test_it_puts_label_matchers_into_words(selector: str, words: str) -> None:
    assert f"{words} is above 1" in explain(f"{selector} > 1")


def test_it_keeps_label_values_unescaped() -> None:
    assert "queue_depth for team <ops & co> is above 1" in explain(
        'queue_depth{team="<ops & co>"} > 1'
    )


@pytest.mark.parametrize(
    ("expr", "threshold"),
    [
        ("job_duration_seconds > 0.5", "0.5 s"),
        ("job_duration_seconds > 0.25", "250 ms"),
        ("job_duration_seconds > 3600", "1 hour"),
        ("job_duration_milliseconds > 1500", "1.5 s"),
        ("memory_bytes > 1.5 * 1024 * 1024 * 1024", "1.5 GiB"),
        ("memory_bytes > 1000000000", "1 GB"),
        ("cache_hit_ratio < 0.9", "90%"),
        ("disk_used_percent > 90", "90%"),
        ("rate(network_bytes_total[5m]) > 1048576", "1 MiB/s"),
        ("queue_depth > 12345", "12,345"),
    ],
)
def test_it_formats_thresholds_in_the_metric_unit(expr: str, threshold: str) -> None:
    assert explain(expr).endswith(f" {threshold}. Severity: critical (pages).")


def test_it_takes_units_from_the_catalog() -> None:
    catalog = Catalog(
        name="c", metrics=[{"name": "queue_latency", "type": "gauge", "unit": "seconds"}]
    )
    rule = alert("queue_latency > 0.05")
    assert "queue_latency is above 50 ms" in explain_rule(rule, catalog=catalog)
    assert "queue_latency is above 0.05" in explain_rule(rule)


# --- the rest of the rule ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("severity", "note"),
    [
        ("critical", "Severity: critical (pages)."),
        ("warning", "Severity: warning (notifies, does not page)."),
        ("info", "Severity: info (for information only)."),
    ],
)
def test_it_states_the_severity(severity: str, note: str) -> None:
    assert note in explain("queue_depth > 1", severity=severity)


def test_it_says_when_there_is_no_severity_in_lenient_rules() -> None:
    rule = alerting_rule_from_data({"alert": "A", "expr": "queue_depth > 1"}, lenient=True)
    assert explain_rule(rule) == "Fires as soon as queue_depth is above 1. No severity is set."


def test_it_describes_keep_firing_for_and_extra_labels() -> None:
    text = explain("queue_depth > 1", keep_firing_for="5m", labels={"team": "core"})
    assert "Once firing, it keeps firing for 5 minutes after the condition clears." in text
    assert "It adds the label team=core." in text


def test_it_leaves_annotation_text_out() -> None:
    rule = alert("queue_depth > 1")
    rule = rule.model_copy(
        update={"annotations": {"summary": "SECRET-SUMMARY", "description": "LONG"}}
    )
    text = explain_rule(rule)
    assert "SECRET-SUMMARY" not in text
    assert "LONG" not in text


def test_it_describes_a_recording_rule() -> None:
    rule = RecordingRule(
        record="job:http_errors:ratio_rate5m",
        expr="sum by (job) (rate(errors_total[5m])) / sum by (job) (rate(requests_total[5m]))",
        labels={"team": "payments"},
    )
    assert explain_rule(rule) == (
        "Records job:http_errors:ratio_rate5m as the ratio of the total per-second rate of "
        "errors_total over the last 5 minutes to the total per-second rate of requests_total over "
        "the last 5 minutes, per job. It adds the label team=payments."
    )


def test_it_explains_every_rule_of_a_file_in_order() -> None:
    rule_file = rule_file_from_data(
        {
            "groups": [
                {"name": "a", "rules": [{"record": "job:up:sum", "expr": "sum by (job) (up)"}]},
                {
                    "name": "b",
                    "rules": [
                        {
                            "alert": "Down",
                            "expr": "up == 0",
                            "labels": {"severity": "critical"},
                            "annotations": {"summary": "s", "description": "d"},
                        }
                    ],
                },
            ]
        }
    )
    explanations = explain_rule_file(rule_file)
    assert [name for name, _ in explanations] == ["job:up:sum", "Down"]
    assert explanations[0][1] == "Records job:up:sum as the sum of up, per job."
    assert explanations[1][1].startswith("Fires as soon as up equals 0 (the target is down).")


def test_it_quotes_the_expression_when_it_cannot_parse_it() -> None:
    # model_construct skips validation, as a corrupted stored rule would.
    rule = AlertingRule.model_construct(
        alert="Broken", expr="rate(", for_=None, keep_firing_for=None, labels={}, annotations={}
    )
    assert explain_rule(rule) == "Fires for every series of `rate(`."


def test_it_is_deterministic() -> None:
    expr = 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 1'
    assert explain(expr) == explain(expr)


# --- robustness ----------------------------------------------------------------------------------
VARIED_EXPRESSIONS = [
    "up",
    "-queue_depth > 3",
    "vector(1)",
    "vector(scalar(sum(up))) < 3",
    'up{job="a" or job="b"} == 0',
    '{__name__=~"up|scrape_duration_seconds"} > 0',
    'queue_depth{env=""} > 0',
    "up @ start() == 0",
    "1 - (fs_avail_bytes / fs_size_bytes) > 0.9",
    "memory_bytes / 1024 / 1024 > 500",
    "job_seconds * 1000 > 250",
    "day_of_week() == 0 and queue_depth > 1",
    "hour() > 20",
    "clamp_max(hit_ratio, 1) > 0.5",
    "clamp(queue_depth, 0, 10) > 5",
    "sort_desc(queue_depth) > 1",
    'count_values("version", build_info) > 1',
    "group(up) by (job)",
    "stddev(queue_depth) > 3",
    "limitk(2, queue_depth) > 0",
    "bottomk(1, queue_depth) < 3",
    "abs(queue_depth) > 3",
    "round(queue_depth, 5) > 3",
    "ln(queue_depth) > 2",
    "histogram_quantile(0.5, rate(job_seconds_bucket[5m])) > 1.5",
    "histogram_quantile(0.999, job:job_seconds_bucket:rate5m) > 2",
    "histogram_quantile(0.9, sum(rate(job_seconds_bucket[5m])) by (le, job)) > 0.3",
    "changes(queue_depth[1h]) > 5",
    "resets(jobs_total[1h]) > 0",
    "present_over_time(queue_depth[5m])",
    "stddev_over_time(queue_depth[10m]) > 3",
    "last_over_time(queue_depth[10m]) > 1",
    "queue_depth > on(job) group_left workers",
    "queue_depth and on(job) workers",
    "queue_depth or workers",
    "queue_depth unless workers",
    "queue_depth % 2 == 1",
    "queue_depth ^ 2 > 4",
    "queue_depth atan2 workers",
    "timestamp(queue_depth) < time() - 600",
    "time() - process_start_time_seconds < 300",
    "queue_depth > workers * 2",
    "absent(a) or absent(b)",
    '"text"',
    "1 + 2",
    "predict_linear(queue_depth[30m], 86400)",
    "double_exponential_smoothing(queue_depth[1h], 0.5, 0.5) > 1",
    "histogram_fraction(0, 0.2, job_seconds) < 0.9",
    'label_replace(up, "host", "$1", "instance", "(.*):.*") == 0',
    'label_join(up, "both", "-", "job", "instance")',
    "queue_depth > NaN",
    "queue_depth > Inf",
    "avg(queue_depth) without () > 1",
    "sum by () (queue_depth) > 1",
    "queue_depth - queue_depth offset 1d > 100",
    "max_over_time((rate(a_total[1m]) / rate(b_total[1m]))[30m:]) > 0.2",
    "limit_ratio(0.1, queue_depth)",
    "info(queue_depth)",
    "scalar(queue_depth) * queue_depth",
    "sgn(deriv(queue_depth[5m])) == -1",
]


@pytest.mark.parametrize("expr", VARIED_EXPRESSIONS)
def test_it_explains_any_valid_expression_without_failing(expr: str) -> None:
    text = explain_rule(alert(expr))
    # The whole-rule fallback is for unparseable rules only, never for valid PromQL.
    assert not text.startswith("Fires for every series of `")
    assert text.startswith("Fires ")
    assert text.endswith(".")
    recorded = explain_rule(RecordingRule(record="job:test:value", expr=expr))
    assert recorded.startswith("Records job:test:value as ")
    assert len(recorded) > len("Records job:test:value as .")


def test_the_robustness_list_is_varied_enough() -> None:
    assert len(set(VARIED_EXPRESSIONS)) >= 30
