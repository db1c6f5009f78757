from __future__ import annotations

import pytest

from monitorgen.core.catalog import Metric, MetricType
from monitorgen.core.generation.naming import (
    effective_type,
    infer_type,
    is_health_name,
    is_limit,
    is_timestamp_metric,
    limit_strength,
    metric_unit,
    value_codes,
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("http_requests_total", MetricType.COUNTER),
     ("node_cpu_seconds_total", MetricType.COUNTER),
     ("rpc_duration_seconds_count", MetricType.COUNTER),
     ("rpc_duration_seconds_sum", MetricType.COUNTER),
     ("rpc_duration_seconds_bucket", MetricType.HISTOGRAM),
     ("http_requests_created", MetricType.GAUGE),
     ("app_build_info", MetricType.GAUGE),
     ("backup_last_success_timestamp_seconds", MetricType.GAUGE),
     ("queue_depth", MetricType.GAUGE)],
)
def test_it_infers_an_unknown_type_from_the_name(name: str, kind: MetricType) -> None:
    assert effective_type(Metric(name=name)) is kind


def test_a_declared_type_wins_over_the_name() -> None:
    assert effective_type(Metric(name="jobs_total", type="gauge")) is MetricType.GAUGE


def test_a_seconds_total_counter_is_in_seconds() -> None:
    assert metric_unit(Metric(name="node_cpu_seconds_total")) == "seconds"
    assert metric_unit(Metric(name="windows_cpu_time_total")) == "seconds"
    assert metric_unit(Metric(name="envoy_days_until_first_cert_expiring")) == "days"


@pytest.mark.parametrize(
    ("name", "timestamp"),
    [("process_start_time_seconds", True), ("kube_job_status_start_time", True),
     ("backup_last_success_timestamp_seconds", True), ("http_requests_created", True),
     ("probe_ssl_earliest_cert_expiry", True), ("couchdb_httpd_request_time", False),
     ("sysUpTime", False), ("replication_lag_seconds", False)],
)
def test_it_tells_points_in_time_from_durations(name: str, timestamp: bool) -> None:
    assert is_timestamp_metric(Metric(name=name, type="gauge")) is timestamp


def test_a_limit_word_after_a_part_word_still_names_a_limit() -> None:
    assert is_limit(Metric(name="rabbitmq_resident_memory_limit_bytes"))
    assert is_limit(Metric(name="node_memory_MemTotal_bytes"))
    assert not is_limit(Metric(name="mysql_max_used_connections"))
    assert not is_limit(Metric(name="node_filesystem_avail_bytes"))


def test_a_capacity_is_a_stronger_limit_than_a_size() -> None:
    assert limit_strength(Metric(name="exporter_queue_capacity")) == 2
    assert limit_strength(Metric(name="exporter_queue_size")) == 1
    assert limit_strength(Metric(name="exporter_queue_items")) == 0


def test_it_reads_the_values_a_help_text_explains() -> None:
    codes = dict(value_codes("Reported state of a fan sensor (0=nominal, 1=warning, 2=critical)."))
    assert codes == {0.0: frozenset({"nominal"}), 1.0: frozenset({"warn"}),
                     2.0: frozenset({"critical"})}
    assert dict(value_codes("Current power state (1=on, 0=off).")) == {
        0.0: frozenset({"off"}), 1.0: frozenset({"on"})}
    assert value_codes("Normalized percentage (0 to 100%) of the remaining spare") == ()


def test_a_size_right_after_a_part_word_measures_the_part() -> None:
    from monitorgen.core.catalog import Metric
    from monitorgen.core.generation.naming import is_limit

    assert not is_limit(Metric(name="pool_free_size_bytes", type="gauge"))
    assert is_limit(Metric(name="pool_total_size_bytes", type="gauge"))
    assert is_limit(Metric(name="process_resident_memory_limit_bytes", type="gauge"))
    assert is_limit(Metric(name="ip_availabilities_total", type="gauge"))


@pytest.mark.parametrize("name", ["gateway_refused_spans", "StoreEvents_RejectedWrites",
                                  "proxy_dropped_packets", "db_deadlocks"])
def test_an_untyped_name_of_things_that_happened_is_a_counter(name: str) -> None:
    assert infer_type(name) is MetricType.COUNTER


@pytest.mark.parametrize("name", ["gateway_rejected_status", "proxy_dropped", "queue_pending_jobs"])
def test_an_untyped_name_of_a_state_or_a_level_stays_a_gauge(name: str) -> None:
    assert infer_type(name) is MetricType.GAUGE


def test_a_gauge_whose_name_and_help_call_it_a_total_of_events_counts_up() -> None:
    metric = Metric(name="mail_relay_rejected_messages_total", type=MetricType.GAUGE,
                    help="Total number of rejected messages")
    assert effective_type(metric) is MetricType.COUNTER


def test_a_gauge_totalling_things_in_a_state_stays_a_gauge() -> None:
    metric = Metric(name="mail_relay_unsigned_domains_total", type=MetricType.GAUGE,
                    help="Total number of domains not signed by any key.")
    assert effective_type(metric) is MetricType.GAUGE


@pytest.mark.parametrize(("name", "flag"), [("lb_pool_member_healthy", True),
                                            ("lb_pool_cx_none_healthy", False),
                                            ("svc_endpoint_not_ready", False),
                                            ("svc_endpoint_ready", True)])
def test_a_negated_health_word_counts_the_absence_not_a_flag(name: str, flag: bool) -> None:
    assert is_health_name(Metric(name=name)) is flag
