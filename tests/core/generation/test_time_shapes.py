"""Shapes about time: the share of wall-clock time a summary of seconds adds up to, a restart
seen on an uptime, a gauge that keeps growing; and counts written with an `M` for millions.
Catalogs here are invented for the tests."""

from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.planner import plan_candidates
from monitorgen.core.generation.result import GenerationRequest
from monitorgen.core.generation.slots import extract_slots
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, propose


@pytest.fixture
def worker() -> Catalog:
    return Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "worker_gc_pause_seconds", "type": "summary",
         "help": "Time spent in garbage collection pauses."},
        {"name": "worker_jobs_processed_total", "type": "counter", "help": "Jobs processed."},
        {"name": "worker_uptime_seconds", "type": "gauge",
         "help": "Seconds since the worker started."},
        {"name": "worker_backlog_jobs", "type": "gauge", "help": "Jobs waiting to be processed."},
        {"name": "worker_live_objects", "type": "gauge", "help": "Number of live heap objects."},
        {"name": "worker_lock_wait_seconds_total", "type": "counter",
         "help": "Total seconds spent waiting for locks."},
    ]})


# --- time shares ----------------------------------------------------------------------------------
def test_it_reads_time_spent_in_gc_as_the_rate_of_the_summed_seconds(worker: Catalog) -> None:
    rule = answered_rule(propose(worker, "worker spends more than 5% of its time in GC pauses"))
    assert rule.expr == "rate(worker_gc_pause_seconds_sum[5m]) > 0.05"


def test_it_reads_a_share_of_wall_clock_time_on_a_seconds_counter(worker: Catalog) -> None:
    rule = answered_rule(propose(worker, "lock waits take more than 20% of wall clock time"))
    assert rule.expr == "rate(worker_lock_wait_seconds_total[5m]) > 0.2"


def test_a_percentage_of_gc_pauses_without_time_words_is_no_time_share(worker: Catalog) -> None:
    result = propose(worker, "more than 5% of GC pauses")
    assert not result.rules or "_sum[" not in result.rules[0].expr


# --- restarts on an uptime ------------------------------------------------------------------------
def test_a_restart_on_an_uptime_is_an_uptime_shorter_than_the_window(worker: Catalog) -> None:
    assert answered_rule(propose(worker, "worker restarted in the last 10 minutes")).expr == (
        "worker_uptime_seconds < 600")


def test_a_restart_on_an_uptime_defaults_to_a_quarter_hour(worker: Catalog) -> None:
    assert answered_rule(propose(worker, "the worker has restarted")).expr == (
        "worker_uptime_seconds < 900")


def test_an_uptime_in_hundredths_of_a_second_scales_the_window() -> None:
    catalog = Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "switchUpTime", "type": "gauge",
         "help": "The time (in hundredths of a second) since the switch was last started."},
    ]})
    rule = answered_rule(propose(catalog, "the switch restarted in the last 5 minutes"))
    assert rule.expr == "switchUpTime < 30000"


def test_an_uptime_counter_is_never_a_restart_by_increasing() -> None:
    catalog = Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "proxy_uptime_seconds_total", "type": "counter",
         "help": "Seconds the proxy has been running."},
    ]})
    intent = "the proxy has just been restarted"
    assert answered_rule(propose(catalog, intent)).expr == "proxy_uptime_seconds_total < 900"
    plan = plan_candidates(GenerationRequest(intent=intent, catalog=catalog))
    assert all("increase(" not in c.expr for c in plan.candidates)


# --- trends of gauges -----------------------------------------------------------------------------
def test_a_growing_gauge_is_a_positive_slope_over_an_hour(worker: Catalog) -> None:
    assert answered_rule(propose(worker, "worker backlog jobs keep growing")).expr == (
        "deriv(worker_backlog_jobs[1h]) > 0")


def test_a_shrinking_gauge_over_a_stated_window_is_a_negative_slope(worker: Catalog) -> None:
    rule = answered_rule(propose(worker, "worker backlog jobs is steadily decreasing over the last 30m"))
    assert rule.expr == "deriv(worker_backlog_jobs[30m]) < 0"


def test_a_high_and_growing_gauge_is_not_only_a_trend(worker: Catalog) -> None:
    result = propose(worker, "worker backlog jobs is high and growing")
    assert not result.rules or "deriv(" not in result.rules[0].expr


# --- millions -------------------------------------------------------------------------------------
def test_a_capital_m_after_a_number_is_millions_not_minutes() -> None:
    threshold = extract_slots("too many live objects (> 10M)").threshold
    assert threshold is not None and threshold.kind == "count"
    assert threshold.base_value == 10_000_000
    assert extract_slots("latency above 10m").threshold.kind == "seconds"  # type: ignore[union-attr]


def test_it_compares_live_objects_with_millions(worker: Catalog) -> None:
    assert answered_rule(propose(worker, "worker live objects above 2.5M")).expr == (
        "worker_live_objects > 2500000")


# --- flapping -------------------------------------------------------------------------------------
def test_a_flapping_gauge_is_any_change_of_it() -> None:
    catalog = Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "mesh_peer_links", "type": "gauge", "help": "Links to mesh peers."},
        {"name": "mesh_messages_sent_total", "type": "counter", "help": "Messages sent."},
    ]})
    assert answered_rule(propose(catalog, "mesh peer links are flapping")).expr == (
        "changes(mesh_peer_links[15m]) > 0")


# --- an amount something grew by ------------------------------------------------------------------
def test_an_increase_by_an_amount_in_a_window_is_the_delta_not_the_level(worker: Catalog) -> None:
    rule = answered_rule(propose(worker, "worker backlog jobs increased by more than 500 in the last 10m"))
    assert rule.expr == "delta(worker_backlog_jobs[10m]) > 500"


def test_a_drop_by_an_amount_is_a_negative_delta(worker: Catalog) -> None:
    rule = answered_rule(propose(worker, "worker backlog jobs dropped by more than 50 in the last 5 minutes"))
    assert rule.expr == "delta(worker_backlog_jobs[5m]) < -50"


def test_growth_per_unit_of_time_is_the_slope_per_second(worker: Catalog) -> None:
    rule = answered_rule(propose(worker, "worker backlog jobs growing rapidly (more than 120 per minute)"))
    assert rule.expr == "deriv(worker_backlog_jobs[1h]) > 2"


def test_a_level_stated_with_growth_words_elsewhere_stays_a_level(worker: Catalog) -> None:
    assert answered_rule(propose(worker, "worker backlog jobs above 100 and growing")).expr == (
        "worker_backlog_jobs > 100")


# --- averages of a histogram ----------------------------------------------------------------------
@pytest.fixture
def api() -> Catalog:
    return Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "api_request_duration_seconds", "type": "histogram", "labels": ["route"],
         "help": "API request latency."},
    ]})


def test_an_average_latency_on_a_histogram_is_its_sum_over_its_count(api: Catalog) -> None:
    rule = answered_rule(propose(api, "average API request duration above 500ms"))
    assert rule.expr == (
        "(sum by (job, instance) (rate(api_request_duration_seconds_sum[5m])) / "
        "sum by (job, instance) (rate(api_request_duration_seconds_count[5m]))) > 0.5")


def test_a_latency_without_average_stays_a_percentile(api: Catalog) -> None:
    rule = answered_rule(propose(api, "API request duration above 500ms"))
    assert rule.expr.startswith("histogram_quantile(0.99,")


def test_a_reboot_in_the_last_minutes_is_a_change_of_the_boot_time_not_its_age() -> None:
    catalog = Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "host_boot_time_seconds", "type": "gauge",
         "help": "Host boot time, in unixtime."},
    ]})
    assert answered_rule(propose(catalog, "host rebooted in the last 10 minutes")).expr == (
        "changes(host_boot_time_seconds[10m]) > 0")


def test_an_uptime_in_milliseconds_is_compared_in_milliseconds() -> None:
    catalog = Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "db_uptime_ms", "type": "gauge", "help": "Database uptime in milliseconds."},
    ]})
    assert answered_rule(propose(catalog, "database restarted less than 5 minutes ago")).expr == (
        "db_uptime_ms < 300000")


# --- availability over a window -------------------------------------------------------------------
@pytest.fixture
def flags() -> Catalog:
    return Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "service_up", "type": "gauge", "help": "1 if the service is up."},
        {"name": "service_requests_total", "type": "counter", "help": "Requests served."},
    ]})


def test_availability_over_a_window_is_the_flag_averaged_over_time(flags: Catalog) -> None:
    rule = answered_rule(propose(flags, "the service was up less than 99% of the time over the last day"))
    assert rule.expr == "avg_over_time(service_up[1d]) < 0.99"


def test_a_share_of_the_time_up_is_the_same_average(flags: Catalog) -> None:
    rule = answered_rule(propose(flags, "service up less than 95% of the time in the last hour"))
    assert rule.expr == "avg_over_time(service_up[1h]) < 0.95"


def test_availability_needs_a_window_to_average_over(flags: Catalog) -> None:
    result = propose(flags, "service up less than 99% of the time")
    assert not result.rules or "avg_over_time" not in result.rules[0].expr


def test_where_a_gauge_ended_up_is_a_level_not_a_change(worker: Catalog) -> None:
    assert answered_rule(propose(worker, "worker backlog jobs rose above 100")).expr == (
        "worker_backlog_jobs > 100")
    assert answered_rule(propose(worker, "worker backlog jobs dropped below 5")).expr == (
        "worker_backlog_jobs < 5")


def test_how_often_something_holds_is_no_time_spent(api: Catalog) -> None:
    plan = plan_candidates(GenerationRequest(
        intent="API request duration high more than 5% of the time", catalog=api))
    assert all(c.family != "busy-time" for c in plan.candidates)


def test_restarted_more_than_twice_is_a_count_of_two() -> None:
    threshold = extract_slots("restarted more than twice in the last 15 minutes").threshold
    assert threshold is not None and (threshold.comparator, threshold.value) == (">", 2.0)
    assert threshold.kind == "count"


@pytest.fixture
def broker() -> Catalog:
    """A service whose own metrics say nothing of restarts; the client library's process start
    time and the host's boot time do."""
    return Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "broker_config_reloads_total", "type": "counter",
         "help": "Configuration reloads."},
        {"name": "broker_clean_start", "type": "gauge",
         "help": "1 if the broker started cleanly after a shutdown."},
        {"name": "broker_ready", "type": "gauge", "help": "Whether the broker is ready."},
        {"name": "broker_messages_total", "type": "counter", "help": "Messages received."},
        {"name": "process_start_time_seconds", "type": "gauge",
         "help": "Start time of the process since unix epoch in seconds."},
        {"name": "node_boot_time_seconds", "type": "gauge", "help": "Node boot time."},
    ]})


def test_restarts_of_the_service_are_changes_of_the_process_start_time(broker: Catalog) -> None:
    rule = answered_rule(propose(
        broker, "Broker too many restarts: the broker restarted more than twice in 15 minutes"))
    assert rule.expr == "changes(process_start_time_seconds[15m]) > 2"


def test_a_host_reboot_is_no_restart_of_the_process(broker: Catalog) -> None:
    plan = plan_candidates(GenerationRequest(intent="the host restarted more than twice",
                                             catalog=broker))
    assert all("process_start_time_seconds" not in c.metrics for c in plan.candidates)


def test_a_reload_of_the_configuration_is_no_restart(broker: Catalog) -> None:
    plan = plan_candidates(GenerationRequest(intent="the broker reloads more than twice an hour",
                                             catalog=broker))
    assert all("process_start_time_seconds" not in c.metrics for c in plan.candidates)


@pytest.fixture
def batches() -> Catalog:
    return Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "batch_run_start_time_seconds", "type": "gauge", "labels": ["run", "team"],
         "help": "When the run started, in unixtime."},
        {"name": "batch_run_completion_time_seconds", "type": "gauge", "labels": ["run", "team"],
         "help": "When the run completed, in unixtime."},
        {"name": "batch_runs_active", "type": "gauge", "help": "Runs going on."},
        {"name": "batch_api_request_duration_seconds", "type": "histogram",
         "help": "API request latency."},
    ]})


def test_a_run_taking_too_long_to_complete_is_the_age_of_its_start_without_a_completion(
        batches: Catalog) -> None:
    rule = answered_rule(propose(batches, "a batch run is taking more than 2h to complete"))
    assert rule.expr == ("time() - batch_run_start_time_seconds > 7200 unless on (run, team) "
                         "batch_run_completion_time_seconds")


def test_requests_taking_too_long_to_complete_are_no_run_going_on(batches: Catalog) -> None:
    plan = plan_candidates(GenerationRequest(
        intent="API requests are taking more than 2s to complete", catalog=batches))
    assert all("batch_run_start_time_seconds" not in c.metrics for c in plan.candidates)


# --- multiples ------------------------------------------------------------------------------------
@pytest.fixture
def shop() -> Catalog:
    return Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "shop_http_requests_total", "type": "counter", "labels": ["handler"],
         "help": "HTTP requests."},
        {"name": "shop_queue_length", "type": "gauge", "help": "Items waiting."},
    ]})


def test_traffic_that_doubled_is_twice_its_rate_a_window_earlier(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "shop HTTP requests doubled in the last hour"))
    assert rule.expr == ("sum by (job) (rate(shop_http_requests_total[1h])) > "
                         "2 * sum by (job) (rate(shop_http_requests_total[1h] offset 1h))")


def test_traffic_halved_compared_to_yesterday_is_half_of_it(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "shop HTTP request traffic halved compared to yesterday"))
    assert rule.expr == ("sum by (job) (rate(shop_http_requests_total[5m])) < "
                         "0.5 * sum by (job) (rate(shop_http_requests_total[5m] offset 1d))")


def test_a_gauge_that_tripled_is_compared_with_itself_a_window_ago(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "shop queue length tripled in the last 30 minutes"))
    assert rule.expr == ("sum by (job) (shop_queue_length) > "
                         "3 * sum by (job) (shop_queue_length offset 30m)")


def test_a_trend_the_intent_expects_is_not_the_problem(worker: Catalog) -> None:
    plan = plan_candidates(GenerationRequest(
        intent="worker backlog jobs should be decreasing", catalog=worker))
    assert all("deriv(" not in c.expr for c in plan.candidates)


# --- a gauge forecast to cross a stated number --------------------------------------------------
@pytest.fixture
def jobs() -> Catalog:
    return Catalog.model_validate({"name": "invented", "metrics": [
        {"name": "jobs_worker_queue_length", "type": "gauge", "labels": ["queue"],
         "help": "Number of jobs waiting in the worker queue."},
        {"name": "jobs_processed_total", "type": "counter", "labels": ["queue", "status"]},
        {"name": "jobs_workers_busy", "type": "gauge", "help": "Workers currently busy."},
        {"name": "jobs_spool_free_bytes", "type": "gauge", "help": "Free space of the job spool."},
        {"name": "jobs_worker_queue_capacity", "type": "gauge",
         "help": "Capacity of the worker queue."},
    ]})


def test_a_queue_that_will_exceed_a_number_within_an_hour_is_a_forecast(jobs: Catalog) -> None:
    rule = answered_rule(propose(jobs, "worker queue will exceed 100 within 1 hour"))
    assert rule.expr.replace(" ", "") == "predict_linear(jobs_worker_queue_length[1h],3600)>100"


def test_a_forecast_below_a_size_converts_the_size_and_the_horizon(jobs: Catalog) -> None:
    rule = answered_rule(propose(
        jobs, "warn when the job spool free space will drop below 2 GB within 6 hours"))
    assert rule.expr.replace(" ", "").startswith("predict_linear(jobs_spool_free_bytes[")
    assert rule.expr.replace(" ", "").endswith(",21600)<2000000000")


def test_a_level_held_for_an_hour_is_no_forecast(jobs: Catalog) -> None:
    rule = answered_rule(propose(jobs, "worker queue above 100 for 1 hour"))
    assert "predict_linear" not in rule.expr and rule.for_ == "1h"


def test_a_number_the_queue_exceeds_is_its_length_not_its_capacity(jobs: Catalog) -> None:
    # A configured capacity does not move; the intent does not say "capacity".
    rule = answered_rule(propose(jobs, "warn when the worker queue exceeds 500"))
    assert rule.expr.replace(" ", "") == "jobs_worker_queue_length>500"


def test_a_capacity_the_intent_names_is_compared_itself(jobs: Catalog) -> None:
    rule = answered_rule(propose(jobs, "warn when the worker queue capacity is below 100"))
    assert rule.expr.replace(" ", "") == "jobs_worker_queue_capacity<100"


def test_restarts_on_the_start_time_also_when_no_metric_name_matches_the_intent() -> None:
    # Nothing is named for the system or its restarts: the convention still answers.
    catalog = invented_catalog(
        {"name": "gridd_ready", "type": "gauge", "help": "Whether the scheduler is ready."},
        {"name": "gridd_config_reloads_total", "type": "counter", "help": "Config reloads."},
        {"name": "process_start_time_seconds", "type": "gauge",
         "help": "Start time of the process since unix epoch in seconds."},
    )
    rule = answered_rule(propose(
        catalog, "The scheduler has restarted more than twice in the last 15 minutes"))
    assert flat(rule.expr) == "changes(process_start_time_seconds[15m])>2"
