"""Answered rules fire when the intent's problem holds, not in the healthy case: the direction of
the comparison, zero against non-zero, the number's scale, which series are compared. The
catalogs here are invented for the tests."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.generation.naming import counts_problems, infer_type, is_health_name
from monitorgen.core.generation.planner import plan_candidates, scope_matchers_from_possessives
from monitorgen.core.generation.result import GenerationRequest, Status
from monitorgen.core.generation.slots import extract_slots
from tests.core.generation.proposing import answered_rule, invented_catalog, propose


def _top(catalog: Catalog, intent: str) -> str:
    plan = plan_candidates(GenerationRequest(intent=intent, catalog=catalog))
    assert plan.candidates, plan.message
    return plan.candidates[0].expr.replace(" ", "")


# --- numbers --------------------------------------------------------------------------------------
def test_a_comma_before_three_digits_groups_thousands() -> None:
    threshold = extract_slots("warn when more than 250,000 messages are queued").threshold
    assert threshold is not None and threshold.value == 250000


def test_a_comma_before_one_digit_is_still_a_decimal_comma() -> None:
    threshold = extract_slots("warn when the load is above 2,5").threshold
    assert threshold is not None and threshold.value == 2.5


# --- a stated number above which it is bad ----------------------------------------------------------
def test_a_health_score_above_zero_is_compared_as_stated() -> None:
    catalog = invented_catalog(
        {"name": "mesh_peer_health_score", "type": "gauge",
         "help": "Health score of the peer; 0 is healthy, higher is worse."},
        {"name": "mesh_peers", "type": "gauge", "help": "Peers known to this member."},
    )
    expr = _top(catalog, "mesh peer unhealthy: the peer reports a health score above 0")
    assert expr == "mesh_peer_health_score>0"


def test_more_than_a_number_of_error_responses_is_not_a_flag_at_zero() -> None:
    catalog = invented_catalog(
        {"name": "gateway_status_responses", "type": "gauge", "labels": ["code"],
         "help": "Responses by status code."},
    )
    expr = _top(catalog, "gateway returned more than 5 5xx status responses")
    assert "==0" not in expr and expr.endswith(">5")


# --- zero said by a negated verb ------------------------------------------------------------------
def test_a_negated_activity_is_no_zero_of_a_count_of_dead_things() -> None:
    catalog = invented_catalog(
        {"name": "storage_cluster_deadnodes", "type": "gauge", "help": ""},
        {"name": "storage_cluster_capacity_bytes", "type": "gauge", "help": ""},
    )
    plan = plan_candidates(GenerationRequest(
        intent="Storage cluster node lost: a storage node is not sending heartbeats",
        catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "storage_cluster_deadnodes==0"
                   for c in plan.candidates)


def test_a_negated_health_word_is_the_zero_of_its_flag() -> None:
    catalog = invented_catalog({"name": "cache_selfcheck_ok", "type": "gauge",
                        "help": "Self check of the cache."})
    rule = answered_rule(propose(catalog, "cache self check: the cache is not ok"))
    assert rule.expr.replace(" ", "") == "cache_selfcheck_ok==0"


def test_some_queued_items_are_a_problem_even_when_workers_are_not_keeping_up() -> None:
    catalog = invented_catalog({"name": "scheduler_queue_length", "type": "gauge",
                        "help": "Number of items in the queue."})
    expr = _top(catalog, "scheduler queue stuck: there are <value> items queued in the scheduler "
                         "queue, the workers are not keeping up")
    assert expr == "scheduler_queue_length>0"


# --- denied states --------------------------------------------------------------------------------
def test_a_denied_coded_state_is_not_the_state_it_names() -> None:
    catalog = invented_catalog({"name": "edge_balancer_status", "type": "gauge",
                        "help": "The status of the balancer, 1 if active"})
    rule = answered_rule(propose(catalog, "edge balancer down: the edge balancer is not active"))
    assert rule.expr.replace(" ", "") == "edge_balancer_status==0"


def test_a_denied_condition_the_metric_is_named_after_selects_its_other_condition_values() -> None:
    # `condition` of a `ready_status` holds True/False/Unknown: `condition="Ready"` matches nothing.
    catalog = invented_catalog({"name": "vault_secret_ready_status", "type": "gauge",
                        "labels": ["condition", "name"],
                        "help": "The ready status of the secret."})
    expr = _top(catalog, "vault secret ready status: the secret is not ready")
    assert expr.startswith('vault_secret_ready_status{condition!~"(?i)(ok|') and expr.endswith(">0")


# --- scope from a bare name --------------------------------------------------------------------------
def test_a_bare_name_opening_a_phrase_before_a_measure_scopes_the_rule() -> None:
    catalog = invented_catalog({"name": "http_requests_total", "type": "counter", "labels": ["job"]})
    assert scope_matchers_from_possessives(catalog, "alert if checkout traffic drops") == {
        "job": "checkout"}


def test_a_word_inside_a_compound_before_a_measure_is_no_workload_name() -> None:
    catalog = invented_catalog({"name": "http_requests_total", "type": "counter", "labels": ["job"]})
    for text in ("the certificate is not ready to serve traffic",
                 "pipeline execution throughput is degraded",
                 "more than 10% of token exchange error rate"):
        assert scope_matchers_from_possessives(catalog, text) == {}, text


# --- gauges split by a state label ----------------------------------------------------------------
def test_a_state_split_gauge_not_ok_looks_for_series_in_a_bad_state() -> None:
    catalog = invented_catalog({"name": "agent_service_state", "type": "gauge", "labels": ["name", "state"],
                        "help": "The state of the service, 1 for the current state."})
    expr = _top(catalog, "agent service state: the agent service state is not OK")
    assert expr.startswith('agent_service_state{state!~"(?i)(ok|healthy|running')
    assert expr.endswith(">0")


def test_a_state_split_gauge_is_never_a_flag_at_zero() -> None:
    catalog = invented_catalog({"name": "volume_status_phase", "type": "gauge",
                        "labels": ["volume", "phase"], "help": "The phase of the volume."})
    plan = plan_candidates(GenerationRequest(intent="volume status phase error: a volume is in a "
                                                    "bad state", catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "volume_status_phase==0" for c in plan.candidates)


# --- untyped counters of events -------------------------------------------------------------------
def test_an_untyped_count_of_events_is_a_counter_and_alerts_on_its_increase() -> None:
    catalog = invented_catalog({"name": "gateway_api_errors", "type": "unknown", "help": ""})
    rule = answered_rule(propose(catalog, "gateway API errors: the gateway is returning API errors"))
    assert rule.expr.replace(" ", "") == "increase(gateway_api_errors[5m])>0"


def test_untyped_names_of_a_bad_state_or_a_bucket_stay_gauges() -> None:
    assert infer_type("cluster_slots_fail") is MetricType.GAUGE
    assert infer_type("exporter_scrape_error") is MetricType.GAUGE
    assert infer_type("write_latency_le_overflow") is MetricType.GAUGE
    assert infer_type("listener_cx_overflow") is MetricType.COUNTER


# --- restarts seen in an uptime -----------------------------------------------------------------
def test_a_restart_is_an_uptime_shorter_than_the_window() -> None:
    catalog = invented_catalog(
        {"name": "webserver_uptime_seconds_total", "type": "counter", "help": "Current uptime."},
        {"name": "webserver_accesses_total", "type": "counter", "help": "Requests served."},
    )
    expr = _top(catalog, "webserver restart: the webserver has just been restarted")
    assert expr == "webserver_uptime_seconds_total<900"
    plan = plan_candidates(GenerationRequest(intent="webserver restart: the webserver has just "
                                                    "been restarted", catalog=catalog))
    assert not any("increase(webserver_uptime" in c.expr for c in plan.candidates)


# --- time left until an event -------------------------------------------------------------------
def test_an_expired_certificate_has_no_days_left_until_expiry() -> None:
    catalog = invented_catalog({"name": "proxy_days_until_cert_expiring", "type": "unknown", "help": ""})
    plan = plan_candidates(GenerationRequest(
        intent="proxy certificate expired: the certificate of the proxy has expired",
        catalog=catalog))
    exprs = [c.expr.replace(" ", "") for c in plan.candidates]
    assert exprs[0] == "proxy_days_until_cert_expiring<=0"
    assert "proxy_days_until_cert_expiring>0" not in exprs


# --- "there are some X": the metric must count X --------------------------------------------------
def test_some_zombie_processes_are_not_any_process_at_all() -> None:
    catalog = invented_catalog({"name": "procgroup_num_procs", "type": "gauge", "labels": ["group"],
                        "help": "Number of processes in this group."})
    plan = plan_candidates(GenerationRequest(
        intent="procgroup zombies: the process group has <value> zombie processes",
        catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "procgroup_num_procs>0" for c in plan.candidates)


def test_some_queued_things_are_counted_by_a_metric_named_queued() -> None:
    catalog = invented_catalog({"name": "scheduler_job_summary_queued", "type": "gauge",
                        "labels": ["group"], "help": ""})
    expr = _top(catalog, "scheduler queued: the scheduler has <value> queued allocations")
    assert expr == "scheduler_job_summary_queued>0"


def test_a_gauge_split_by_kind_is_not_above_zero_as_a_whole() -> None:
    catalog = invented_catalog({"name": "tenant_quota", "type": "gauge",
                        "labels": ["tenant", "resource", "type"], "help": "Quota by type."})
    plan = plan_candidates(GenerationRequest(
        intent="tenant quota exceeded: a tenant uses more than its quota (<value> of quota)",
        catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "tenant_quota>0" for c in plan.candidates)


# --- counts that look like flags ------------------------------------------------------------------
def test_a_count_of_connections_is_no_health_flag() -> None:
    assert not is_health_name(Metric(name="queue_replicator_connections"))
    assert is_health_name(Metric(name="queue_replicator_connected"))
    assert is_health_name(Metric(name="queue_backend_status"))


def test_crashing_workers_are_not_zero_connections() -> None:
    catalog = invented_catalog({"name": "queue_replicator_connections", "type": "gauge",
                        "labels": ["metric"], "help": "Replicator connection metrics by type."})
    plan = plan_candidates(GenerationRequest(
        intent="queue replicator connection workers crashing: replicator connection worker "
               "processes are crashing", catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "queue_replicator_connections==0"
                   for c in plan.candidates)


def test_a_configured_number_holds_no_condition_the_intent_names() -> None:
    catalog = invented_catalog({"name": "db_settings_reserved_connections", "type": "gauge",
                        "help": "Connections reserved for administrators."})
    plan = plan_candidates(GenerationRequest(
        intent="db connections exhausted: the db has reached the connection limit minus the "
               "reserved connections", catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "db_settings_reserved_connections>0"
                   for c in plan.candidates)


# --- which statistic of a distribution ------------------------------------------------------------
def _timings() -> Catalog:
    return invented_catalog(
        {"name": "shop_request_duration_seconds", "type": "histogram",
         "help": "Time spent serving requests."},
        {"name": "shop_gc_pause_seconds", "type": "summary", "help": "GC pauses."},
        {"name": "shop_token_expiration_seconds", "type": "histogram",
         "help": "Time left until client tokens expire."},
    )


def test_an_average_duration_is_sum_over_count_not_a_percentile() -> None:
    expr = _top(_timings(), "shop requests take more than 2 seconds on average")
    assert expr.startswith("(sum") and "shop_request_duration_seconds_sum" in expr
    assert "histogram_quantile" not in expr and expr.endswith(">2")


def test_the_maximum_of_a_summary_is_its_quantile_one() -> None:
    expr = _top(_timings(), "shop gc pause duration too high (max > 1s)")
    assert expr == 'shop_gc_pause_seconds{quantile="1"}>1'


def test_time_left_below_a_limit_looks_at_the_soonest_not_the_latest() -> None:
    expr = _top(_timings(), "a shop token expiration is less than 24 hours away")
    assert expr.startswith("histogram_quantile(0.01,") and expr.endswith("<86400")


def test_a_queue_not_empty_is_its_length_above_zero_never_its_capacity() -> None:
    catalog = invented_catalog(
        {"name": "mailer_queue_length", "type": "gauge", "help": "Mails in the queue."},
        {"name": "mailer_queue_capacity", "type": "gauge", "help": "Capacity of the queue."},
    )
    plan = plan_candidates(GenerationRequest(
        intent="mailer backlog: the mailer queue length has not been empty for 10 minutes",
        catalog=catalog))
    exprs = [c.expr.replace(" ", "") for c in plan.candidates]
    assert exprs[0] == "mailer_queue_length>0"
    assert "mailer_queue_capacity>0" not in exprs


def test_a_capacity_is_never_alerted_on_for_being_above_zero() -> None:
    catalog = invented_catalog({"name": "mailer_queue_capacity", "type": "gauge",
                        "help": "Capacity of the queue."})
    plan = plan_candidates(GenerationRequest(
        intent="mailer backlog: the mailer queue has not been empty for 10 minutes",
        catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "mailer_queue_capacity>0" for c in plan.candidates)


# --- per-second thresholds ------------------------------------------------------------------------
def test_a_per_second_threshold_on_an_untyped_byte_count_compares_its_rate() -> None:
    catalog = invented_catalog({"name": "switch_port_transmit_bytes", "type": "unknown", "help": ""})
    expr = _top(catalog, "switch port transmit bytes saturated (> 0.9GiB/s)")
    assert expr.startswith("rate(switch_port_transmit_bytes[") and expr.endswith(">966367641.6")


def test_a_rate_named_gauge_is_compared_as_it_is() -> None:
    catalog = invented_catalog({"name": "switch_port_transmit_bytes_rate", "type": "unknown", "help": ""})
    expr = _top(catalog, "switch port transmit bytes rate saturated (> 0.9GiB/s)")
    assert not expr.startswith("rate(")


def test_a_slash_per_unit_glued_to_a_noun_is_a_rate() -> None:
    threshold = extract_slots("temporary view reads exceed 100 reads/sec").threshold
    assert threshold is not None and threshold.per == "second"


# --- counters of all activity -----------------------------------------------------------------------
def test_errors_feared_are_no_increase_of_all_api_calls() -> None:
    catalog = invented_catalog({"name": "agent_api_calls_total", "type": "counter",
                        "labels": ["endpoint"], "help": "API calls made by the agent."})
    plan = plan_candidates(GenerationRequest(
        intent="agent API errors: the agent is receiving errors from the API", catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "increase(agent_api_calls_total[5m])>0"
                   for c in plan.candidates)


def test_errors_of_a_counter_split_by_status_class_select_the_errors() -> None:
    catalog = invented_catalog({"name": "agent_api_calls_total", "type": "counter",
                        "labels": ["endpoint", "code"], "help": "API calls made by the agent."})
    expr = _top(catalog, "agent API calls failing with 5xx errors")
    assert 'code=~"5.."' in expr


def test_counters_named_for_out_of_order_or_duplicate_samples_count_problems() -> None:
    assert counts_problems(Metric(name="scrapes_sample_out_of_order_total", type="counter"))
    assert counts_problems(Metric(name="scrapes_sample_duplicate_timestamp_total",
                                  type="counter"))


def test_an_untyped_count_of_failures_within_a_window_is_counted_by_its_increase() -> None:
    catalog = invented_catalog({"name": "proxy_upstream_connect_fail", "type": "unknown", "help": ""})
    expr = _top(catalog, "proxy upstream connect failures: upstream connections are failing "
                         "(<value> in the last 5m)")
    assert expr == "increase(proxy_upstream_connect_fail[5m])>0"


def test_a_state_declared_as_a_counter_is_a_gauge_at_zero_when_down() -> None:
    catalog = invented_catalog({"name": "cloud_compute_agent_state", "type": "counter",
                        "labels": ["hostname"], "help": "agent_state"})
    expr = _top(catalog, "cloud compute agent down: the compute agent is down")
    assert expr == "cloud_compute_agent_state==0"


def test_a_lower_case_jmx_count_of_dead_nodes_counts_problems() -> None:
    assert counts_problems(Metric(name="dfs_namenode_numdeaddatanodes"))
    assert not counts_problems(Metric(name="dfs_namenode_numlivedatanodes"))


def test_things_being_dropped_is_no_value_that_fell() -> None:
    catalog = invented_catalog({"name": "collector_queue_length", "type": "gauge",
                        "help": "Spans waiting in the queue."})
    plan = plan_candidates(GenerationRequest(
        intent="collector queue backlog: the collector queue length is <value>, before spans "
               "start being dropped", catalog=catalog))
    assert not any("delta(" in c.expr for c in plan.candidates)


def test_a_share_of_active_things_is_no_flag_at_zero() -> None:
    catalog = invented_catalog({"name": "search_shards_active_percent", "type": "gauge",
                        "help": "Percent of active shards."})
    plan = plan_candidates(GenerationRequest(
        intent="search has inactive shards: the search cluster has inactive shards",
        catalog=catalog))
    assert not any(c.expr.replace(" ", "") == "search_shards_active_percent==0"
                   for c in plan.candidates)


# --- label values ---------------------------------------------------------------------------------
def test_a_waiting_reason_other_than_the_one_named_selects_every_other_reason() -> None:
    catalog = invented_catalog({"name": "batch_pod_waiting_reason", "type": "gauge",
                        "help": "Pods waiting to start, by reason.", "labels": ["pod", "reason"]})
    top = _top(catalog, "Batch pod waiting: pod <pod> is waiting for a reason other than "
                        "ImagePullBackOff (e.g. CrashLoopBackOff)")
    assert 'reason!="ImagePullBackOff"' in top


def test_a_missing_member_of_a_counted_health_figure_is_not_the_count_at_zero() -> None:
    # One replica missing is fewer than expected, which needs the expected number: ask.
    catalog = invented_catalog({"name": "search_cluster_health_number_of_replicas", "type": "gauge",
                        "help": "Number of replicas in the search cluster."})
    result = propose(catalog, "Search healthy replicas: missing replica in the search cluster")
    assert result.status is not Status.OK or "==0" not in result.rules[0].expr.replace(" ", "")


def test_a_health_flag_named_with_its_subject_is_still_a_flag() -> None:
    assert is_health_name(Metric(name="search_cluster_nodes_healthy", type=MetricType.GAUGE))
    assert not is_health_name(Metric(name="search_cluster_health_number_of_nodes",
                                     type=MetricType.GAUGE))


def test_a_coded_state_the_catalog_does_not_map_is_not_a_status_at_zero() -> None:
    # HEALTH_OK / HEALTH_WARN / HEALTH_ERR coded as a number: 0 may well be the good code.
    catalog = invented_catalog({"name": "storage_cluster_health_status", "type": "gauge"})
    result = propose(catalog, "Storage health error: the storage cluster is in HEALTH_ERR state")
    assert result.status is not Status.OK or "==0" not in result.rules[0].expr.replace(" ", "")


def test_a_duration_without_a_unit_in_its_name_is_compared_in_the_milliseconds_given() -> None:
    catalog = invented_catalog({"name": "docstore_http_request_time", "type": "gauge",
                        "help": "length of a request inside the document store"})
    assert _top(catalog, "Docstore request time high: average request time is above 500ms") == (
        "docstore_http_request_time>500")


def test_a_duration_named_in_seconds_still_converts_milliseconds() -> None:
    catalog = invented_catalog({"name": "docstore_http_request_time_seconds", "type": "gauge",
                        "help": "length of a request inside the document store"})
    assert _top(catalog, "Docstore request time high: request time is above 500ms") == (
        "docstore_http_request_time_seconds>0.5")
