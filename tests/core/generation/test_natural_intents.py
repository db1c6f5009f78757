"""Plain-language intents an engineer would type, against the shipped demo catalogs.

Each case checks behaviour that decides whether the rule pages the right people: the metric
families, the scope matchers, the window, the threshold in base units, and `for`.
"""

from __future__ import annotations

from pathlib import Path

from monitorgen.core.catalog_io import load_catalog_file
from monitorgen.core.generation.result import GenerationResult, Status
from monitorgen.core.promql import analyze_expr
from monitorgen.core.spec import AlertingRule
from tests.core.generation.proposing import answered_rule, propose

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "catalogs"


def generate(catalog: str, intent: str) -> GenerationResult:
    return propose(load_catalog_file(FIXTURES / f"{catalog}.yaml"), intent)


def only_rule(result: GenerationResult) -> AlertingRule:
    assert len(result.rules) == 1, result.rules
    return answered_rule(result)


def test_a_p99_latency_page_is_scoped_to_the_named_service():
    rule = only_rule(generate("http-service", "page me if checkout's p99 latency is over 500 ms for 10 minutes"))
    assert "histogram_quantile(0.99" in rule.expr
    assert 'service="checkout"' in rule.expr
    assert rule.expr.rstrip().endswith("> 0.5")
    assert rule.for_ == "10m" and rule.labels["severity"] == "critical"


def test_a_5xx_error_ratio_for_one_service():
    rule = only_rule(generate(
        "http-service",
        "alert when more than 5% of requests to the payments service fail with 5xx for 10 minutes",
    ))
    assert set(analyze_expr(rule.expr).families) == {"http_requests_total"}
    assert 'service="payments"' in rule.expr
    assert 'code=~"5.."' in rule.expr
    assert "/" in rule.expr and rule.expr.rstrip().endswith("> 0.05")
    assert rule.for_ == "10m"


def test_restarts_in_the_last_hour_use_a_one_hour_window():
    rule = only_rule(generate("kubernetes", "let me know if a pod restarts more than 3 times in an hour"))
    assert "increase(kube_pod_container_status_restarts_total" in rule.expr
    assert "[1h]" in rule.expr and rule.expr.rstrip().endswith("> 3")
    assert rule.labels["severity"] == "warning"


def test_a_certificate_expiry_warning_fires_before_the_expiry():
    rule = only_rule(generate("blackbox-exporter", "page me 14 days before a TLS certificate expires"))
    assert "probe_ssl_earliest_cert_expiry" in rule.expr and "time()" in rule.expr
    # 14 days in seconds, however it is spelled
    assert "1209600" in rule.expr or "14 * 86400" in rule.expr or "86400 * 14" in rule.expr


def test_a_filesystem_fill_up_prediction():
    rule = only_rule(generate("node-exporter", "warn when a filesystem will fill up within 4 hours"))
    assert "predict_linear(node_filesystem_avail_bytes" in rule.expr
    assert "14400" in rule.expr or "4 * 3600" in rule.expr
    assert rule.expr.rstrip().endswith("< 0")


def test_a_target_down_page():
    rule = only_rule(generate("prometheus", "page me if a target is down for 5 minutes"))
    assert rule.expr.replace(" ", "") == "up==0" and rule.for_ == "5m"


def test_low_available_memory_is_a_ratio_of_available_to_total():
    rule = only_rule(generate("node-exporter",
                              "warn me when a host has less than 10% memory available for 5 minutes"))
    assert "node_memory_MemAvailable_bytes" in rule.expr and "node_memory_MemTotal_bytes" in rule.expr
    assert rule.expr.rstrip().endswith("< 0.1") or rule.expr.rstrip().endswith("< 10")


def test_disk_space_below_a_percentage_per_mountpoint():
    rule = only_rule(generate("node-exporter", "page me when any filesystem has less than 5% space left"))
    assert "node_filesystem_avail_bytes" in rule.expr and "node_filesystem_size_bytes" in rule.expr


def test_high_cpu_usage_uses_the_idle_mode():
    rule = only_rule(generate("node-exporter", "warn when CPU usage is above 90% for 15 minutes"))
    assert "node_cpu_seconds_total" in rule.expr and 'mode="idle"' in rule.expr
    assert rule.for_ == "15m"


def test_pods_stuck_pending_in_a_namespace():
    rule = only_rule(generate(
        "kubernetes", "tell me when pods in the payments namespace are stuck in Pending for 15 minutes"))
    assert "kube_pod_status_phase" in rule.expr
    assert 'phase="Pending"' in rule.expr and 'namespace="payments"' in rule.expr
    assert rule.for_ == "15m"


def test_a_traffic_drop_compared_with_last_week():
    result = generate(
        "http-service", "alert if checkout traffic drops by more than 50% compared to the same time last week")
    rule = only_rule(result)
    assert "offset 1w" in rule.expr or "offset 7d" in rule.expr
    assert "http_requests_total" in rule.expr


def test_an_ambiguous_intent_asks_instead_of_guessing():
    result = generate("http-service", "tell me when things look bad")
    assert result.status is Status.CLARIFY and result.questions


# --- more plain-language intents, across all seven demo catalogs -------------------------------
def ends_with(rule, tail: str) -> bool:
    return rule.expr.replace(" ", "").endswith(tail.replace(" ", ""))


def test_a_p95_latency_for_the_payments_service_in_seconds():
    rule = only_rule(generate(
        "http-service",
        "page me if the p95 latency for the payments service goes above 2 seconds for 5 minutes",
    ))
    assert "histogram_quantile(0.95" in rule.expr and 'service="payments"' in rule.expr
    assert ends_with(rule, "> 2") and rule.for_ == "5m" and rule.labels["severity"] == "critical"


def test_a_possessive_p90_latency_in_milliseconds():
    rule = only_rule(generate("http-service",
                              "warn when checkout's p90 request latency is over 250ms for 10 minutes"))
    assert "histogram_quantile(0.9," in rule.expr and 'service="checkout"' in rule.expr
    assert ends_with(rule, "> 0.25") and rule.for_ == "10m" and rule.labels["severity"] == "warning"


def test_a_possessive_after_the_service_word():
    rule = only_rule(generate("http-service",
                              "page me if the payments service's p99 latency exceeds 1.5 seconds"))
    assert "histogram_quantile(0.99" in rule.expr and 'service="payments"' in rule.expr
    assert ends_with(rule, "> 1.5")


def test_a_5xx_share_on_one_route_over_the_last_15_minutes():
    rule = only_rule(generate(
        "http-service",
        "alert if more than 1% of requests on route /api/orders return 5xx over the last 15 minutes",
    ))
    assert set(analyze_expr(rule.expr).families) == {"http_requests_total"}
    assert 'route="/api/orders"' in rule.expr and 'code=~"5.."' in rule.expr
    assert "[15m]" in rule.expr and ends_with(rule, "> 0.01")


def test_requests_in_flight_for_a_named_service():
    rule = only_rule(generate(
        "http-service",
        "warn when the payments service has more than 100 requests in flight for 5 minutes",
    ))
    assert rule.expr.replace(" ", "") == 'http_requests_in_flight{service="payments"}>100'
    assert rule.for_ == "5m"


def test_a_possessive_traffic_drop_compared_with_yesterday():
    rule = only_rule(generate(
        "http-service", "page me if checkout's traffic drops by more than 30% compared to yesterday"))
    assert "offset 1d" in rule.expr and "rate(http_requests_total" in rule.expr
    assert 'service="checkout"' in rule.expr and "< 0.7 *" in rule.expr


def test_file_descriptor_usage_as_a_share_of_the_limit():
    rule = only_rule(generate("http-service",
                              "warn when a service uses more than 90% of its file descriptors"))
    assert "process_open_fds" in rule.expr and "process_max_fds" in rule.expr
    assert ends_with(rule, "> 0.9")


def test_disk_space_left_on_a_named_host():
    rule = only_rule(generate("node-exporter",
                              "page me if the filesystem on host db-1 has less than 10% space left"))
    assert "node_filesystem_avail_bytes" in rule.expr and "node_filesystem_size_bytes" in rule.expr
    assert 'instance="db-1"' in rule.expr and ends_with(rule, "< 0.1")
    assert rule.labels["severity"] == "critical"


def test_memory_available_on_a_named_host():
    rule = only_rule(generate(
        "node-exporter", "warn when host web-1 has less than 15% memory available for 10 minutes"))
    assert "node_memory_MemAvailable_bytes" in rule.expr and "node_memory_MemTotal_bytes" in rule.expr
    assert 'instance="web-1"' in rule.expr and ends_with(rule, "< 0.15") and rule.for_ == "10m"


def test_available_memory_below_a_size_in_gigabytes():
    rule = only_rule(generate("node-exporter",
                              "warn when less than 2 GB of memory is available for 5 minutes"))
    assert rule.expr.replace(" ", "") == "node_memory_MemAvailable_bytes<2000000000"
    assert rule.for_ == "5m"


def test_a_filesystem_forecast_a_day_ahead():
    rule = only_rule(generate("node-exporter",
                              "warn when a filesystem will run out of space within 24 hours"))
    assert "predict_linear(node_filesystem_avail_bytes" in rule.expr and "86400" in rule.expr
    assert ends_with(rule, "< 0")


def test_a_forecast_on_a_named_host():
    rule = only_rule(generate("node-exporter",
                              "warn when the filesystems on host db-1 will fill up within 24 hours"))
    assert "predict_linear(node_filesystem_avail_bytes" in rule.expr
    assert 'instance="db-1"' in rule.expr and "86400" in rule.expr and ends_with(rule, "< 0")


def test_cpu_time_waiting_for_io_uses_the_iowait_mode():
    rule = only_rule(generate("node-exporter", "alert when iowait is above 20% for 10 minutes"))
    assert "node_cpu_seconds_total" in rule.expr and 'mode="iowait"' in rule.expr
    assert ends_with(rule, "> 0.2") and rule.for_ == "10m"


def test_restarts_in_a_named_namespace_in_the_last_hour():
    rule = only_rule(generate(
        "kubernetes",
        "page me when a pod in namespace payments restarts more than 5 times in the last hour",
    ))
    assert "increase(kube_pod_container_status_restarts_total" in rule.expr
    assert 'namespace="payments"' in rule.expr and "[1h]" in rule.expr and ends_with(rule, "> 5")


def test_volume_claim_space_as_a_share_of_capacity():
    rule = only_rule(generate("kubernetes",
                              "warn when a persistent volume claim has less than 10% space available"))
    assert "kubelet_volume_stats_available_bytes" in rule.expr
    assert "kubelet_volume_stats_capacity_bytes" in rule.expr and ends_with(rule, "< 0.1")


def test_unavailable_deployment_replicas():
    rule = only_rule(generate("kubernetes",
                              "alert if a deployment has unavailable replicas for 15 minutes"))
    assert "kube_deployment_status_replicas_unavailable" in rule.expr and ends_with(rule, "> 0")
    assert rule.for_ == "15m"


def test_container_memory_against_its_limit():
    rule = only_rule(generate("kubernetes",
                              "warn when a container uses more than 90% of its memory limit"))
    assert "container_spec_memory_limit_bytes" in rule.expr and ends_with(rule, "> 0.9")


def test_memory_per_pod_in_gibibytes_in_a_namespace():
    rule = only_rule(generate(
        "kubernetes",
        "warn when any pod in namespace checkout uses more than 1.5 GiB of memory per pod",
    ))
    assert "container_memory" in rule.expr and 'namespace="checkout"' in rule.expr
    assert "by (pod)" in rule.expr and ends_with(rule, "> 1610612736")


def test_a_certificate_warning_a_month_ahead():
    rule = only_rule(generate("blackbox-exporter",
                              "let me know 30 days before an SSL certificate expires"))
    assert "probe_ssl_earliest_cert_expiry" in rule.expr and "time()" in rule.expr
    assert "2592000" in rule.expr and rule.labels["severity"] == "warning"


def test_a_certificate_expiring_in_less_than_a_week():
    rule = only_rule(generate("blackbox-exporter",
                              "page me when a TLS certificate expires in less than 7 days"))
    assert "probe_ssl_earliest_cert_expiry" in rule.expr and "604800" in rule.expr


def test_slow_dns_lookups_in_milliseconds():
    rule = only_rule(generate("blackbox-exporter",
                              "warn when DNS lookups take more than 500 ms for 5 minutes"))
    assert rule.expr.replace(" ", "") == "probe_dns_lookup_time_seconds>0.5" and rule.for_ == "5m"


def test_rule_evaluation_failures_in_the_last_hour():
    rule = only_rule(generate("prometheus",
                              "page me if rule evaluations fail more than 3 times in the last hour"))
    assert "increase(prometheus_rule_evaluation_failures_total" in rule.expr
    assert "[1h]" in rule.expr and ends_with(rule, "> 3")


def test_a_notification_queue_filling_up():
    rule = only_rule(generate(
        "prometheus", "let me know when the notification queue is more than 80% full for 10 minutes"))
    assert "prometheus_notifications_queue_length" in rule.expr
    assert "prometheus_notifications_queue_capacity" in rule.expr and ends_with(rule, "> 0.8")


def test_a_named_job_being_down():
    rule = only_rule(generate("prometheus", "let me know when the payments job is down for 3 minutes"))
    assert rule.expr.replace(" ", "") == 'up{job="payments"}==0' and rule.for_ == "3m"


def test_a_count_in_millions():
    rule = only_rule(generate("prometheus", "warn when the tsdb head has more than 2 million series"))
    assert rule.expr.replace(" ", "") == "prometheus_tsdb_head_series>2000000"


def test_redis_being_down():
    rule = only_rule(generate("redis-exporter", "page me if redis is down for 1 minute"))
    assert rule.expr.replace(" ", "") == "redis_up==0" and rule.for_ == "1m"


def test_redis_memory_against_its_maximum():
    rule = only_rule(generate(
        "redis-exporter", "warn when redis memory usage is above 90% of max memory for 5 minutes"))
    assert "redis_memory_used_bytes" in rule.expr and "redis_memory_max_bytes" in rule.expr
    assert ends_with(rule, "> 0.9")


def test_evictions_per_second():
    rule = only_rule(generate("redis-exporter",
                              "let me know when more than 100 keys per second are evicted"))
    assert "rate(redis_evicted_keys_total" in rule.expr and ends_with(rule, "> 100")


def test_connected_clients_against_the_configured_maximum():
    rule = only_rule(generate("redis-exporter",
                              "let me know when connected clients exceed 90% of maxclients"))
    assert "redis_connected_clients" in rule.expr and "redis_config_maxclients" in rule.expr
    assert ends_with(rule, "> 0.9")


def test_postgres_replication_lag_in_seconds():
    rule = only_rule(generate(
        "postgres-exporter", "page me if postgres replication lag is over 60 seconds for 5 minutes"))
    assert rule.expr.replace(" ", "") == "pg_replication_lag_seconds>60" and rule.for_ == "5m"


def test_deadlocks_in_the_last_hour():
    rule = only_rule(generate("postgres-exporter",
                              "alert if there are more than 10 deadlocks in the last hour"))
    assert "increase(pg_stat_database_deadlocks[1h])" in rule.expr and ends_with(rule, "> 10")


def test_archiver_failures_in_the_last_hour():
    rule = only_rule(generate("postgres-exporter",
                              "warn when the WAL archiver has failed in the last hour"))
    assert "increase(pg_stat_archiver_failed_count[1h])" in rule.expr and ends_with(rule, "> 0")


def test_an_inactive_replication_slot_fires_on_zero():
    rule = only_rule(generate("postgres-exporter",
                              "warn when a replication slot is inactive for 10 minutes"))
    assert rule.expr.replace(" ", "") == "pg_replication_slot_slot_is_active==0"
    assert rule.for_ == "10m"


def test_a_named_service_the_catalog_does_not_list_is_asked_about():
    from monitorgen.core.catalog import Catalog

    base = load_catalog_file(FIXTURES / "http-service.yaml")
    data = base.model_dump()
    for metric in data["metrics"]:
        if "service" in metric["labels"]:
            metric["label_values"] = {"service": ["checkout", "payments"]}
    catalog = Catalog.model_validate(data)
    result = propose(catalog, "page me if shipping's p99 latency is over 500 ms for 10 minutes")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "service"
    assert set(result.questions[0].candidates) == {"checkout", "payments"}


# --- issue 3: common intents that used to ask or go wrong -------------------------------------


def test_an_error_rate_on_a_counter_with_a_status_code_label_is_an_error_ratio():
    rule = only_rule(generate("http-service",
                              "page me if checkout's error rate is above 2% for 10 minutes"))
    assert set(analyze_expr(rule.expr).families) == {"http_requests_total"}
    assert 'service="checkout"' in rule.expr and 'code=~"5.."' in rule.expr
    assert "/" in rule.expr and ends_with(rule, "> 0.02")
    assert rule.for_ == "10m" and rule.labels["severity"] == "critical"


def test_disk_space_left_is_available_over_size_of_filesystems():
    rule = only_rule(generate("node-exporter", "warn when disk space left is below 10%"))
    assert set(analyze_expr(rule.expr).families) == {"node_filesystem_avail_bytes",
                                                     "node_filesystem_size_bytes"}
    assert ends_with(rule, "< 0.1") and rule.labels["severity"] == "warning"


def test_a_failing_probe_is_probe_success_at_zero():
    rule = only_rule(generate("blackbox-exporter", "page me when a probe fails for 5 minutes"))
    assert rule.expr.replace(" ", "") == "probe_success==0"
    assert rule.for_ == "5m" and rule.labels["severity"] == "critical"


def test_a_failed_config_reload_is_the_success_flag_at_zero():
    rule = only_rule(generate("prometheus", "alert when the Prometheus config reload fails"))
    assert rule.expr.replace(" ", "") == "prometheus_config_last_reload_successful==0"


def test_a_node_that_is_not_ready_uses_the_ready_condition():
    rule = only_rule(generate("kubernetes", "page me when a node is not ready for 10 minutes"))
    assert set(analyze_expr(rule.expr).families) == {"kube_node_status_condition"}
    assert 'condition="Ready"' in rule.expr
    assert rule.for_ == "10m" and rule.labels["severity"] == "critical"


def test_a_database_larger_than_100_gb_reads_gb_as_10_to_the_9_bytes():
    # GB is decimal (1e9) here as everywhere in the slots; GiB is 1024**3.
    rule = only_rule(generate("postgres-exporter", "warn when a database is larger than 100 GB"))
    assert rule.expr.replace(" ", "") == "pg_database_size_bytes>100000000000"
    assert rule.labels["severity"] == "warning"


def test_connections_against_max_connections_is_a_ratio():
    rule = only_rule(generate("postgres-exporter",
                              "warn when postgres uses more than 80% of max connections"))
    assert "pg_settings_max_connections" in analyze_expr(rule.expr).families
    assert "/" in rule.expr and ends_with(rule, "> 0.8")


def test_memory_usage_above_90_percent_is_one_minus_available_over_total():
    rule = only_rule(generate("node-exporter", "page me when memory usage is above 90%"))
    assert set(analyze_expr(rule.expr).families) == {"node_memory_MemAvailable_bytes",
                                                     "node_memory_MemTotal_bytes"}
    assert ends_with(rule, "> 0.9") and rule.labels["severity"] == "critical"


def test_disk_usage_above_a_percentage_is_filesystem_space():
    rule = only_rule(generate("node-exporter", "warn when disk usage is above 80% for 10 minutes"))
    assert set(analyze_expr(rule.expr).families) == {"node_filesystem_avail_bytes",
                                                     "node_filesystem_size_bytes"}
    assert ends_with(rule, "> 0.8") and rule.for_ == "10m"


def test_a_queue_forecast_to_exceed_a_number_is_predict_linear_of_its_length():
    rule = only_rule(generate("prometheus",
                              "warn when the notification queue will exceed 5000 within 1 hour"))
    assert rule.expr.replace(" ", "") == (
        "predict_linear(prometheus_notifications_queue_length[1h],3600)>5000")


def test_a_bare_path_pins_the_route_of_an_error_ratio():
    rule = only_rule(generate("http-service", "error rate on /api/orders above 2% for 5 minutes"))
    assert 'route="/api/orders"' in rule.expr and 'code=~"5.."' in rule.expr
    assert ends_with(rule, "> 0.02") and rule.for_ == "5m"


def test_a_bare_percentile_after_a_service_name_scopes_the_latency():
    rule = only_rule(generate("http-service", "page me if checkout p99 over 500ms for 10m"))
    assert 'service="checkout"' in rule.expr and "histogram_quantile(0.99" in rule.expr
    assert ends_with(rule, "> 0.5") and rule.for_ == "10m"
    unscoped = only_rule(generate("http-service", "warn when the p99 is above 2s"))
    assert "service=" not in unscoped.expr


def test_a_floor_on_a_named_services_requests_per_second_is_its_summed_rate():
    # "drop below" compares (no dropped thing), "per second" is a rate (no `_seconds` name),
    # "checkout requests" names the service, and the floor is on the service's total.
    rule = only_rule(generate("http-service",
                              "page me when checkout requests per second drop below 10 for 10 minutes"))
    assert rule.expr.replace(" ", "") == (
        'sumby(job,service)(rate(http_requests_total{service="checkout"}[5m]))<10')
    assert rule.for_ == "10m" and rule.labels["severity"] == "critical"


def test_dead_tuples_exceeding_a_share_of_live_tuples_names_both_sides():
    rule = only_rule(generate("postgres-exporter", "warn when dead tuples exceed 10% of live tuples"))
    assert rule.expr.replace(" ", "") == (
        "(pg_stat_user_tables_n_dead_tup/(pg_stat_user_tables_n_live_tup>0))>0.1")


def test_a_clock_not_synchronised_is_the_sync_flag_at_zero():
    rule = only_rule(generate("node-exporter", "alert when the NTP clock is not synchronised"))
    assert rule.expr.replace(" ", "") == "node_timex_sync_status==0"


def test_failing_notifications_offer_the_error_counters_not_a_threshold_on_a_gauge():
    # The gauge of discovered Alertmanagers is named best, but it counts no failure: asking for
    # its threshold would lead nowhere; the counters of failed notifications are the question.
    result = generate("prometheus", "page me when alertmanager notifications fail")
    assert result.status is Status.CLARIFY and result.questions[0].field == "metric"
    assert result.questions[0].candidates[0] == "prometheus_notifications_errors_total"


def test_a_bare_service_name_before_traffic_scopes_a_drop_by_half_against_yesterday():
    rule = only_rule(generate("http-service",
                              "let me know when checkout traffic drops by half compared to yesterday"))
    assert set(analyze_expr(rule.expr).families) == {"http_requests_total"}
    assert 'service="checkout"' in rule.expr and "offset 1d" in rule.expr
    assert "< 0.5 *" in rule.expr and rule.labels["severity"] == "warning"


def test_a_keyspace_hit_rate_is_hits_over_hits_and_misses():
    rule = only_rule(generate("redis-exporter", "warn when redis keyspace hit rate is below 80%"))
    assert set(analyze_expr(rule.expr).families) == {"redis_keyspace_hits_total",
                                                     "redis_keyspace_misses_total"}
    assert ends_with(rule, "< 0.8")


def test_a_word_that_qualifies_a_measure_is_not_read_as_a_service_name():
    from monitorgen.core.generation.planner import scope_matchers_from_possessives

    catalog = load_catalog_file(FIXTURES / "http-service.yaml")
    for intent in ("page me if p99 latency is over 500 ms", "warn when average latency is high",
                   "alert if outbound traffic drops", "page me if overall error rate is above 5%"):
        assert scope_matchers_from_possessives(catalog, intent) == {}, intent
    assert scope_matchers_from_possessives(catalog, "warn when checkout latency is high") == {
        "service": "checkout"}
