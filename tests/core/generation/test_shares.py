"""Percentages and shares: a part of its limit, errors of all attempts, a status class of all
responses, a gauge that already is a percentage. Catalogs and intents are invented."""

from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.embedded import EmbeddedGenerator
from monitorgen.core.generation.pairing import find_pairs
from monitorgen.core.generation.planner import _share_is_stated
from monitorgen.core.generation.recipes import Candidate
from monitorgen.core.generation.result import GenerationRequest, Status
from monitorgen.core.promql import analyze_expr
from monitorgen.core.spec import AlertingRule
from tests.core.generation.proposing import (
    answered_rule,
    flat,
    invented_catalog,
    plan_for,
    propose,
)


def _families(rule: AlertingRule) -> set[str]:
    return set(analyze_expr(rule.expr).families)


def _pair_names(catalog: Catalog, name: str) -> list[tuple[str, str]]:
    metric = catalog.family(name)
    assert metric is not None
    return [(p.numerator.name, p.denominator.name) for p in find_pairs(metric, catalog)]


# --- a part of its limit ------------------------------------------------------------------------
def test_current_connections_are_a_part_of_max_connections() -> None:
    catalog = invented_catalog({"name": "kvstore_current_connections", "type": "gauge"},
                       {"name": "kvstore_max_connections", "type": "gauge"},
                       {"name": "kvstore_current_items", "type": "gauge"})
    rule = answered_rule(propose(catalog, "kvstore connection usage is above 85%"))
    assert _families(rule) == {"kvstore_current_connections", "kvstore_max_connections"}
    assert rule.expr.replace(" ", "").endswith(">0.85")


def test_a_max_of_connections_is_a_limit_although_connected_is_a_part_word() -> None:
    catalog = invented_catalog({"name": "db_status_sessions_connected", "type": "gauge"},
                       {"name": "db_settings_max_connections", "type": "gauge"})
    assert _pair_names(catalog, "db_settings_max_connections") == [
        ("db_status_sessions_connected", "db_settings_max_connections")]


def test_a_share_of_a_limit_leaves_out_series_whose_limit_is_zero() -> None:
    catalog = invented_catalog({"name": "pool_slots_used", "type": "gauge"},
                       {"name": "pool_slots_max", "type": "gauge"})
    rule = answered_rule(propose(catalog, "pool slots used above 90% of the max"))
    assert "(pool_slots_max > 0)" in rule.expr


# --- errors of all attempts -----------------------------------------------------------------------
def test_untyped_failures_and_attempts_are_compared_as_rates() -> None:
    catalog = invented_catalog({"name": "broker_sync_push_errors"}, {"name": "broker_sync_pushes"},
                       {"name": "broker_queue_depth", "type": "gauge"})
    rule = answered_rule(propose(catalog, "broker sync push errors above 5% of pushes"))
    assert _families(rule) == {"broker_sync_push_errors", "broker_sync_pushes"}
    assert "rate(broker_sync_push_errors[" in rule.expr and "rate(broker_sync_pushes[" in rule.expr
    assert rule.expr.replace(" ", "").endswith(">0.05")


def test_untyped_timeouts_pair_with_completed_requests() -> None:
    catalog = invented_catalog({"name": "gateway_upstream_rq_timeout"},
                       {"name": "gateway_upstream_rq_completed"})
    assert _pair_names(catalog, "gateway_upstream_rq_timeout") == [
        ("gateway_upstream_rq_timeout", "gateway_upstream_rq_completed")]


def test_a_status_class_is_not_a_share_of_timeouts() -> None:
    catalog = invented_catalog({"name": "gateway_upstream_rq_timeout"},
                       {"name": "gateway_upstream_rq_completed"})
    result = propose(catalog, "more than 5% of gateway upstream requests return 5xx")
    assert result.status is not Status.OK or "timeout" not in result.rules[0].expr


# --- a rate over a capacity per second ------------------------------------------------------------
LINKS = invented_catalog(
    {"name": "host_nic_receive_bytes_total", "type": "counter", "labels": ["device"]},
    {"name": "host_nic_receive_packets_total", "type": "counter", "labels": ["device"]},
    {"name": "host_nic_speed_bytes", "type": "gauge", "labels": ["device"]},
)


def test_receive_bandwidth_is_the_byte_rate_over_the_link_speed() -> None:
    rule = answered_rule(propose(LINKS, "host nic receive bandwidth above 70%"))
    assert _families(rule) == {"host_nic_receive_bytes_total", "host_nic_speed_bytes"}
    assert "rate(host_nic_receive_bytes_total[" in rule.expr
    assert "(host_nic_speed_bytes > 0)" in rule.expr
    assert rule.expr.replace(" ", "").endswith(">0.7")


def test_a_packets_counter_has_no_speed_to_be_a_share_of() -> None:
    rule_or_question = propose(LINKS, "host nic receive packets above 70%")
    assert rule_or_question.status is not Status.OK or "speed" not in (
        rule_or_question.rules[0].expr)


# --- time per operation ------------------------------------------------------------------------
def test_average_time_per_operation_divides_by_the_completed_operations_per_device() -> None:
    catalog = invented_catalog(
        {"name": "array_volume_read_time_seconds_total", "type": "counter", "labels": ["volume"]},
        {"name": "array_volume_reads_merged_total", "type": "counter", "labels": ["volume"]},
        {"name": "array_volume_reads_completed_total", "type": "counter", "labels": ["volume"]},
    )
    rule = answered_rule(propose(catalog, "array volume read time per operation above 50ms"))
    assert _families(rule) == {"array_volume_read_time_seconds_total",
                               "array_volume_reads_completed_total"}
    assert "sum by" not in rule.expr  # one average per volume
    assert rule.expr.replace(" ", "").endswith(">0.05")


# --- a gauge that already is a share ----------------------------------------------------------
def test_a_percentage_gauge_is_compared_as_it_is_not_divided_by_a_size() -> None:
    catalog = invented_catalog({"name": "store_segment_waste_pct"}, {"name": "store_segment_real_size"})
    assert _pair_names(catalog, "store_segment_waste_pct") == []
    rule = answered_rule(propose(catalog, "store segment waste pct above 75%"))
    assert rule.expr.replace(" ", "") == "store_segment_waste_pct>75"


def test_a_ratio_gauge_takes_the_percentage_as_a_fraction() -> None:
    catalog = invented_catalog({"name": "worker_fd_ratio", "type": "gauge"},
                       {"name": "worker_fd_limit", "type": "gauge"})
    rule = answered_rule(propose(catalog, "worker fd ratio above 80%"))
    assert rule.expr.replace(" ", "") == "worker_fd_ratio>0.8"


def test_memory_a_process_uses_is_a_share_of_the_host_memory() -> None:
    catalog = invented_catalog({"name": "cache_memory_used_bytes"},
                       {"name": "cache_total_system_memory_bytes"},
                       {"name": "cache_memory_max_bytes"},
                       {"name": "cache_keys_evicted_total", "type": "counter"})
    rule = answered_rule(propose(catalog, "cache is running out of system memory (> 85%)"))
    assert _families(rule) == {"cache_memory_used_bytes", "cache_total_system_memory_bytes"}
    assert rule.expr.replace(" ", "") == (
        "(cache_memory_used_bytes/(cache_total_system_memory_bytes>0))>0.85")


def test_running_out_with_a_high_share_speaks_of_the_share_used() -> None:
    catalog = invented_catalog({"name": "app_open_handles", "type": "gauge"},
                       {"name": "app_max_handles", "type": "gauge"})
    rule = answered_rule(propose(catalog, "app is running out of handles (> 90% of max handles)"))
    assert "1 -" not in rule.expr and rule.expr.replace(" ", "").endswith(">0.9")


def test_little_left_is_the_share_left() -> None:
    catalog = invented_catalog({"name": "app_open_handles", "type": "gauge"},
                       {"name": "app_max_handles", "type": "gauge"})
    rule = answered_rule(propose(catalog, "app open handles: less than 10% of max handles left"))
    assert "1 -" in rule.expr and rule.expr.replace(" ", "").endswith("<0.1")


def test_a_setting_is_never_the_part_in_use_of_a_limit() -> None:
    catalog = invented_catalog({"name": "db_settings_max_connections", "type": "gauge"},
                       {"name": "db_settings_reserved_connections", "type": "gauge"})
    assert _pair_names(catalog, "db_settings_max_connections") == []


def test_cpu_time_of_a_workload_with_a_cpu_quota_is_not_assumed_to_be_a_share_of_one_core() -> None:
    catalog = invented_catalog(
        {"name": "task_cpu_usage_seconds_total", "type": "counter", "labels": ["task"]},
        {"name": "task_spec_cpu_quota", "type": "gauge", "labels": ["task"]},
    )
    result = propose(catalog, "task cpu utilization above 80%")
    assert result.status is not Status.OK or "task_spec_cpu_quota" in result.rules[0].expr


def test_an_untyped_count_beside_its_untyped_max_count_is_a_level_not_a_counter() -> None:
    catalog = invented_catalog({"name": "db_status_prepared_query_count"},
                       {"name": "db_variables_max_prepared_query_count"})
    rule = answered_rule(propose(catalog, "db prepared query count above 80% of the max"))
    assert rule.expr.replace(" ", "") == (
        "(db_status_prepared_query_count/(db_variables_max_prepared_query_count>0))>0.8")


# --- a status class of all responses ----------------------------------------------------------
RESPONSES = invented_catalog(
    {"name": "web_server_request_duration_seconds", "type": "histogram",
     "labels": ["http_response_status_code", "http_route"]},
    {"name": "proxy_upstream_rq_xx", "labels": ["proxy_response_code_class"]},
    {"name": "dnsd_responses_total", "type": "counter", "labels": ["rcode", "server"]},
    {"name": "rpc_server_handled_total", "type": "counter", "labels": ["grpc_code"]},
)


def test_a_histogram_count_split_by_an_otel_status_label_gives_the_error_ratio() -> None:
    rule = answered_rule(propose(RESPONSES, "more than 5% of web server requests return 5xx"))
    assert 'web_server_request_duration_seconds_count{http_response_status_code=~"5.."}' in (
        rule.expr)
    assert rule.expr.replace(" ", "").endswith(">0.05")


def test_an_untyped_counter_split_by_a_code_class_counts_responses() -> None:
    rule = answered_rule(propose(RESPONSES, "more than 5% of proxy upstream responses are 5xx"))
    assert 'rate(proxy_upstream_rq_xx{proxy_response_code_class=~"5.*"}' in rule.expr


def test_a_success_rate_below_a_share_is_one_minus_the_error_ratio() -> None:
    rule = answered_rule(propose(RESPONSES, "web server success rate below 95%"))
    assert rule.expr.startswith("(1 - ") and 'status_code=~"5.."' in rule.expr
    assert rule.expr.replace(" ", "").endswith("<0.95")


def test_dns_errors_are_responses_whose_rcode_is_not_noerror() -> None:
    rule = answered_rule(propose(RESPONSES, "dnsd error responses above 10%"))
    assert 'rcode!~"(?i)no[ _-]?error"' in rule.expr


def test_a_named_dns_rcode_is_selected_as_spelled_by_the_rfc() -> None:
    rule = answered_rule(propose(RESPONSES, "dnsd SERVFAIL responses above 1%"))
    assert 'rcode="SERVFAIL"' in rule.expr


def test_failing_grpc_calls_are_the_ones_with_a_server_error_code() -> None:
    rule = answered_rule(propose(RESPONSES, "more than 5% of rpc server requests fail"))
    assert 'grpc_code=~"Unknown|DeadlineExceeded|Internal|Unavailable|DataLoss|' in rule.expr


def test_a_named_grpc_code_is_selected_as_the_spec_spells_it() -> None:
    rule = answered_rule(propose(RESPONSES, "rpc server resource exhausted responses above 1%"))
    assert 'grpc_code="ResourceExhausted"' in rule.expr


def test_an_http_status_class_is_never_read_into_a_grpc_code() -> None:
    result = propose(RESPONSES, "more than 5% of rpc server requests return 5xx")
    assert all("grpc_code" not in rule.expr for rule in result.rules)


def test_time_spent_waiting_is_not_a_share_of_failed_attempts() -> None:
    catalog = invented_catalog({"name": "host_pressure_cpu_waiting_seconds_total", "type": "counter"},
                       {"name": "host_cpu_seconds_total", "type": "counter"})
    assert _pair_names(catalog, "host_pressure_cpu_waiting_seconds_total") == []


def test_errors_pair_with_the_count_of_a_histogram_of_the_same_requests() -> None:
    catalog = invented_catalog({"name": "api_request_errors_total", "type": "counter"},
                       {"name": "api_request_duration_seconds", "type": "histogram"})
    assert _pair_names(catalog, "api_request_errors_total") == [
        ("api_request_errors_total", "api_request_duration_seconds")]


# --- how sure a share is ----------------------------------------------------------------------------
def _share(*metrics: str) -> Candidate:
    return Candidate("saturation", "x / y > 0.9", metrics, 0.0)


def test_a_share_is_stated_by_words_of_how_full_something_is() -> None:
    assert _share_is_stated(_share("kv_used_bytes", "kv_max_bytes"), "kv memory usage above 90%")
    assert _share_is_stated(_share("kv_free_bytes", "kv_size_bytes"), "less than 10% space left")


def test_a_hit_rate_does_not_state_how_full_a_cache_is() -> None:
    assert not _share_is_stated(_share("kv_current_bytes", "kv_limit_bytes"),
                                "kv low cache hit rate (< 80%)")


def test_a_limit_the_intent_names_must_be_one_of_the_pair() -> None:
    assert not _share_is_stated(_share("db_size_in_use_bytes", "db_size_bytes"),
                                "db size is above 95% of the backend quota")
    assert _share_is_stated(_share("db_size_bytes", "db_backend_max_bytes"),
                            "db size is above 95% of the backend quota")


def test_untyped_unhealthy_members_are_a_state_not_events_to_rate() -> None:
    catalog = invented_catalog({"name": "ring_members_unhealthy"}, {"name": "ring_members"})
    pairs = find_pairs(catalog.family("ring_members_unhealthy"), catalog)  # type: ignore[arg-type]
    assert all(pair.rates is not True for pair in pairs)


def test_an_untyped_response_counter_without_labels_asks_for_its_status_label() -> None:
    catalog = invented_catalog({"name": "gw_http_responses"}, {"name": "gw_upstream_cx_active",
                                                        "type": "gauge"})
    intent = "more than 5% of gw http responses are 5xx"
    result = propose(catalog, intent)
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "status_label"
    answered = EmbeddedGenerator().propose(GenerationRequest(
        intent=intent, catalog=catalog, answers={"status_label": "code"}))
    rule = answered_rule(answered)
    assert 'rate(gw_http_responses{code=~"5.."}' in rule.expr


def test_a_fraction_gauge_takes_the_percentage_on_the_zero_to_one_scale() -> None:
    catalog = invented_catalog({"name": "worker_busy_fraction", "type": "gauge"},
                       {"name": "other_requests_total", "type": "counter"})
    rule = answered_rule(propose(catalog, "worker busy fraction above 90%"))
    assert rule.expr.replace(" ", "") == "worker_busy_fraction>0.9"


def test_a_gauge_whose_help_says_zero_to_one_is_on_that_scale() -> None:
    catalog = invented_catalog({"name": "worker_load", "type": "gauge",
                        "help": "Load of the worker, between 0 and 1."},
                       {"name": "other_requests_total", "type": "counter"})
    rule = answered_rule(propose(catalog, "worker load above 90%"))
    assert rule.expr.replace(" ", "") == "worker_load>0.9"


def test_a_percent_gauge_keeps_the_percentage_as_it_is() -> None:
    catalog = invented_catalog({"name": "worker_cpu_percent", "type": "gauge",
                        "help": "CPU usage in percent, 0-100."},
                       {"name": "other_requests_total", "type": "counter"})
    rule = answered_rule(propose(catalog, "worker cpu percent above 90%"))
    assert rule.expr.replace(" ", "") == "worker_cpu_percent>90"


def test_a_run_together_utilization_name_is_a_share_gauge_whose_scale_is_an_assumption() -> None:
    catalog = invented_catalog({"name": "yarnish_nodemanager_nodecpuutilization", "type": "gauge"},
                       {"name": "yarnish_nodemanager_allocatedgb", "type": "gauge"})
    intent = "NodeManager CPU utilization is above 80%"
    rule = answered_rule(propose(catalog, intent))
    assert flat(rule.expr) == "yarnish_nodemanager_nodecpuutilization>80"
    # Neither the name nor the help says 0..100 or 0..1: the reviewer is told which one.
    assert any("0-100" in note for note in plan_for(intent, catalog).candidates[0].assumptions)


def test_a_share_of_one_resource_is_no_share_of_another_the_intent_names() -> None:
    catalog = invented_catalog({"name": "yarnish_nodemanager_nodecpuutilization", "type": "gauge"},
                       {"name": "yarnish_nodemanager_allocatedgb", "type": "gauge"},
                       {"name": "yarnish_nodemanager_availablegb", "type": "gauge"})
    plan = plan_for("Yarnish NodeManager has allocated more than 80% of its available memory",
                    catalog)
    assert all("nodecpuutilization" not in c.expr for c in plan.candidates)


def test_a_percentage_gauge_below_the_best_named_metric_holds_a_stated_percentage() -> None:
    catalog = invented_catalog(
        {"name": "upsd_battery_time_left_seconds", "type": "gauge",
         "help": "Battery time left on the UPS"},
        {"name": "upsd_battery_charge_percent", "type": "gauge", "help": "Battery charge"},
        {"name": "upsd_battery_volts", "type": "gauge"})
    rule = answered_rule(propose(catalog, "UPS Battery nearly empty: Battery is almost empty "
                                          "(< 10% left)"))
    assert flat(rule.expr) == "upsd_battery_charge_percent<10"


def test_a_number_of_processes_is_no_rival_of_a_ratio_gauge_for_a_stated_share() -> None:
    catalog = invented_catalog(
        {"name": "procgroup_worst_fd_ratio", "type": "gauge", "labels": ["groupname"],
         "help": "The worst (closest to 1) ratio between open and max file descriptors."},
        {"name": "procgroup_num_procs", "type": "gauge", "labels": ["groupname"],
         "help": "Number of processes in this group"})
    rule = answered_rule(propose(catalog, "Process group is using more than 80% of its file "
                                          "descriptor limit"))
    assert flat(rule.expr) == "procgroup_worst_fd_ratio>0.8"


def test_a_success_rate_of_an_errors_counter_is_one_minus_errors_over_requests() -> None:
    catalog = invented_catalog({"name": "api_requests_total", "type": "counter"},
                       {"name": "api_request_errors_total", "type": "counter"},
                       {"name": "api_queue_depth", "type": "gauge"})
    for intent in ("api request success rate below 95%", "less than 95% of api requests succeed"):
        rule = answered_rule(propose(catalog, intent))
        assert _families(rule) == {"api_requests_total", "api_request_errors_total"}
        assert rule.expr.startswith("(1 - ") and rule.expr.replace(" ", "").endswith("<0.95")


def test_the_free_size_of_a_group_is_a_part_of_its_total_size() -> None:
    catalog = invented_catalog({"name": "vg_free_size_bytes", "type": "gauge", "labels": ["name"]},
                       {"name": "vg_total_size_bytes", "type": "gauge", "labels": ["name"]})
    assert _pair_names(catalog, "vg_free_size_bytes") == [
        ("vg_free_size_bytes", "vg_total_size_bytes")]


def test_an_octets_counter_over_a_unitless_speed_is_converted_to_bits() -> None:
    catalog = invented_catalog(
        {"name": "portInOctets", "type": "counter", "labels": ["portIndex", "portName"]},
        {"name": "portOutOctets", "type": "counter", "labels": ["portIndex", "portName"]},
        {"name": "portSpeed", "type": "gauge", "labels": ["portIndex", "portName"]},
    )
    rule = answered_rule(propose(catalog, "port in octets bandwidth utilization above 70%"))
    assert rule.expr.replace(" ", "") == "(rate(portInOctets[5m])*8/(portSpeed>0))>0.7"


def test_a_part_and_a_limit_of_different_things_never_pair() -> None:
    catalog = invented_catalog({"name": "cloud_limits_vcpus_used", "type": "gauge"},
                       {"name": "cloud_limits_vcpus_max", "type": "gauge"},
                       {"name": "cloud_limits_memory_max", "type": "gauge"})
    assert _pair_names(catalog, "cloud_limits_vcpus_used") == [
        ("cloud_limits_vcpus_used", "cloud_limits_vcpus_max")]


# --- the two outcomes of one thing ---------------------------------------------------------------
LEDGER = invented_catalog(
    {"name": "ledger_txn_commit_total", "type": "counter", "help": "Transactions committed."},
    {"name": "ledger_txn_rollback_total", "type": "counter", "help": "Transactions rolled back."},
    {"name": "ledger_writes_total", "type": "counter", "help": "Writes."},
)


def test_commits_and_rollbacks_add_up_to_all_transactions() -> None:
    metric = LEDGER.family("ledger_txn_rollback_total")
    assert metric is not None
    pairs = find_pairs(metric, LEDGER)
    assert [(p.kind, p.denominator.name) for p in pairs][:1] == [
        ("part-of-sum", "ledger_txn_commit_total")]


def test_a_rollback_ratio_is_the_share_of_rollbacks_among_all_outcomes() -> None:
    rule = answered_rule(propose(LEDGER, "ledger transaction rollback ratio above 10%"))
    assert rule.expr == (
        "(sum by (job, instance) (rate(ledger_txn_rollback_total[5m])) / "
        "(sum by (job, instance) (rate(ledger_txn_rollback_total[5m])) + "
        "sum by (job, instance) (rate(ledger_txn_commit_total[5m])))) > 0.1")


def test_a_link_speed_is_no_capacity_of_a_disk_that_shares_its_labels() -> None:
    from monitorgen.core.generation.pairing import find_speed

    catalog = Catalog.model_validate({"name": "host", "metrics": [
        {"name": "host_disk_read_bytes_total", "type": "counter", "labels": ["device"]},
        {"name": "host_network_receive_bytes_total", "type": "counter", "labels": ["device"]},
        {"name": "host_network_speed_bytes", "type": "gauge", "labels": ["device"]},
    ]})
    disk = catalog.family("host_disk_read_bytes_total")
    network = catalog.family("host_network_receive_bytes_total")
    assert disk is not None and network is not None
    assert find_speed(disk, catalog) is None
    found = find_speed(network, catalog)
    assert found is not None and found[0].name == "host_network_speed_bytes"


# --- a share of a limit the catalog does not have -------------------------------------------------
def _open_files_catalog() -> Catalog:
    return invented_catalog(
        {"name": "docstore_open_os_files", "type": "gauge", "labels": ["node_name"],
         "help": "number of file descriptors the store has open"},
        {"name": "docstore_open_databases", "type": "gauge", "labels": ["node_name"],
         "help": "number of open databases"})


def test_a_share_of_allowed_descriptors_without_a_limit_metric_asks_for_the_limit() -> None:
    result = propose(_open_files_catalog(), "Docstore is using more than 90% of allowed OS file "
                                            "descriptors, may fail to open new files")
    assert result.status is Status.CLARIFY
    assert [q.field for q in result.questions] == ["limit"]
    assert "docstore_open_os_files" in result.questions[0].text


def test_the_answered_limit_bounds_the_count() -> None:
    result = propose(_open_files_catalog(), "Number of open databases exceeds 90% of node capacity",
                     answers={"limit": "1000"})
    assert flat(answered_rule(result).expr) == "docstore_open_databases>0.9*1000"


_IDENTITY_INTENT = ("Agent node-local identity allocation is above 80%. Approaching the 65535 "
                    "identity limit.")


def test_a_limit_the_intent_states_as_a_number_bounds_the_count() -> None:
    catalog = invented_catalog({"name": "meshnet_identity", "type": "gauge", "labels": ["type"]},
                               {"name": "meshnet_policy_endpoints", "type": "gauge"})
    rule = answered_rule(propose(catalog, _IDENTITY_INTENT))
    assert flat(rule.expr) == "meshnet_identity>0.8*65535"


def test_a_stated_limit_bounds_only_the_count_of_what_it_names() -> None:
    catalog = invented_catalog({"name": "meshnet_identity", "type": "gauge", "labels": ["type"]},
                               {"name": "meshnet_local_agent_endpoints", "type": "gauge"})
    limited = {c.metrics for c in plan_for(_IDENTITY_INTENT, catalog).candidates
               if "65535" in c.expr}
    assert ("meshnet_local_agent_endpoints",) not in limited


def test_a_share_of_a_thing_the_intent_never_says_is_no_rival_share() -> None:
    catalog = invented_catalog(
        {"name": "agent_volume_stats_capacity_bytes", "type": "gauge", "labels": ["pvc"]},
        {"name": "agent_volume_stats_available_bytes", "type": "gauge", "labels": ["pvc"]},
        {"name": "agent_volume_stats_inodes", "type": "gauge", "labels": ["pvc"]},
        {"name": "agent_volume_stats_inodes_free", "type": "gauge", "labels": ["pvc"]})
    # "disk space" says nothing of inodes: the share of bytes left is the one meant.
    rule = answered_rule(propose(catalog, "Volume out of disk space: Volume is almost full "
                                          "(< 10% left)"))
    assert _families(rule) == {"agent_volume_stats_available_bytes",
                               "agent_volume_stats_capacity_bytes"}
# --- a qualifier every part of a share has --------------------------------------------------------
CLOUD = invented_catalog(
    {"name": "cloud_compute_limits_cores_max", "type": "gauge", "help": "limits_cores_max"},
    {"name": "cloud_compute_limits_cores_used", "type": "gauge", "help": "limits_cores_used"},
    {"name": "cloud_compute_cores_available", "type": "gauge", "help": "cores_available"},
    {"name": "cloud_compute_cores_used", "type": "gauge", "help": "cores_used"},
    {"name": "cloud_compute_servers", "type": "gauge", "help": "servers"},
)


def test_a_share_qualified_by_a_word_the_intent_never_says_does_not_lead() -> None:
    # `limits` in both parts makes it a tenant's quota; the host's core usage is of all cores.
    plan = plan_for("Cloud host core usage high: core usage on host <host> is above 85%", CLOUD)
    assert set(plan.candidates[0].metrics) == {"cloud_compute_cores_used",
                                               "cloud_compute_cores_available"}


def test_a_quota_is_the_share_of_the_limits() -> None:
    plan = plan_for("Cloud tenant core quota nearly used up: tenant <tenant> has used over 85% "
                    "of its core quota", CLOUD)
    assert set(plan.candidates[0].metrics) == {"cloud_compute_limits_cores_used",
                                               "cloud_compute_limits_cores_max"}
# --- the used share of what is left, and a limit whose value the intent does not name ----------
def _host_memory_catalog() -> Catalog:
    return invented_catalog(
        {"name": "host_mem_MemFree_bytes", "type": "gauge", "help": "RAM that is entirely unused."},
        {"name": "host_mem_MemAvailable_bytes", "type": "gauge",
         "help": "Estimate of RAM available for new workloads."},
        {"name": "host_mem_MemTotal_bytes", "type": "gauge", "help": "Total usable RAM."},
        {"name": "host_mem_Active_bytes", "type": "gauge", "help": "Memory in active use."})


def test_a_run_together_available_pairs_with_its_total_like_free_does() -> None:
    # `MemAvailable` is one word, not `avail` + `able`: its subject is the memory's.
    catalog = _host_memory_catalog()
    pairs = find_pairs(catalog.family("host_mem_MemAvailable_bytes"), catalog)
    free = find_pairs(catalog.family("host_mem_MemFree_bytes"), catalog)
    assert (pairs[0].numerator.name, pairs[0].denominator.name) == (
        "host_mem_MemAvailable_bytes", "host_mem_MemTotal_bytes")
    assert pairs[0].score >= free[0].score


def test_memory_usage_is_the_used_share_of_available_not_of_free() -> None:
    # Free memory leaves out the page cache the kernel reclaims: 1 - free/total overstates use.
    rule = answered_rule(propose(_host_memory_catalog(), "page me when memory usage is above 90%"))
    assert _families(rule) == {"host_mem_MemAvailable_bytes", "host_mem_MemTotal_bytes"}
    assert rule.expr.replace(" ", "").startswith("(1-host_mem_MemAvailable_bytes/")
    assert rule.expr.replace(" ", "").endswith(">0.9")


def _db_catalog() -> Catalog:
    return invented_catalog(
        {"name": "sqldb_settings_max_connections", "type": "gauge",
         "help": "The max_connections setting."},
        {"name": "sqldb_settings_reserved_connections", "type": "gauge",
         "help": "Connections reserved for admins."},
        {"name": "sqldb_up", "type": "gauge", "help": "1 if the exporter could connect."},
        {"name": "sqldb_database_backends", "type": "gauge", "labels": ["datname"],
         "help": "Backends connected to this database."},
        {"name": "sqldb_database_size_bytes", "type": "gauge", "labels": ["datname"]})


def test_a_share_of_max_connections_finds_what_is_in_use_by_the_limits_subject() -> None:
    # The intent names only the limit; the gauge whose help speaks of connections is the part,
    # summed per server (the limit is one per server).
    rule = answered_rule(propose(_db_catalog(),
                                 "warn when the database uses more than 80% of max connections"))
    assert _families(rule) == {"sqldb_database_backends", "sqldb_settings_max_connections"}
    assert "sum by (instance, job) (sqldb_database_backends)" in rule.expr
    assert rule.expr.replace(" ", "").endswith(">0.8")


def test_a_share_of_a_limit_asks_when_two_gauges_could_be_what_is_in_use() -> None:
    catalog = invented_catalog(
        *_db_catalog().model_dump()["metrics"],
        {"name": "sqldb_pool_clients", "type": "gauge", "help": "Clients connected to the pool."})
    result = propose(catalog, "warn when the database uses more than 80% of max connections")
    assert result.status is Status.CLARIFY


def _disks_and_filesystems() -> Catalog:
    return invented_catalog(
        {"name": "host_raid_disks", "type": "gauge", "labels": ["device", "state"],
         "help": "Number of disks in the RAID array by state."},
        {"name": "host_disk_read_bytes_total", "type": "counter", "labels": ["device"],
         "help": "Bytes read from the disk."},
        {"name": "host_disk_written_bytes_total", "type": "counter", "labels": ["device"],
         "help": "Bytes written to the disk."},
        {"name": "host_disk_io_time_seconds_total", "type": "counter", "labels": ["device"]},
        {"name": "host_fs_size_bytes", "type": "gauge", "labels": ["device", "mountpoint"],
         "help": "Filesystem size in bytes."},
        {"name": "host_fs_avail_bytes", "type": "gauge", "labels": ["device", "mountpoint"],
         "help": "Filesystem space available to non-root users in bytes."},
        {"name": "host_fs_free_bytes", "type": "gauge", "labels": ["device", "mountpoint"],
         "help": "Filesystem free space in bytes."},
        {"name": "host_cpu_seconds_total", "type": "counter", "labels": ["cpu", "mode"]},
        {"name": "host_memory_available_bytes", "type": "gauge"},
        {"name": "host_memory_total_bytes", "type": "gauge"},
        {"name": "host_network_receive_bytes_total", "type": "counter", "labels": ["device"]},
        {"name": "host_network_transmit_bytes_total", "type": "counter", "labels": ["device"]},
        {"name": "host_load1", "type": "gauge"},
        {"name": "host_boot_time_seconds", "type": "gauge"})


def test_disk_usage_in_percent_is_filesystem_space_not_disk_io() -> None:
    # "disk" names the IO counters best, but none of them is a share of a capacity.
    for intent in ("warn when disk usage is above 80% for 10 minutes",
                   "page me when a disk is more than 90% full"):
        rule = answered_rule(propose(_disks_and_filesystems(), intent))
        assert _families(rule) == {"host_fs_avail_bytes", "host_fs_size_bytes"}, intent
        assert rule.expr.replace(" ", "").startswith("(1-host_fs_avail_bytes/"), intent



def test_a_share_of_two_parts_reads_the_used_part_directly_and_says_it_takes_free_as_left() -> None:
    catalog = invented_catalog(
        {"name": "pool_slots_available", "type": "gauge", "help": "", "labels": ["pool"]},
        {"name": "pool_slots_used", "type": "gauge", "help": "", "labels": ["pool"]},
    )
    result = propose(catalog, "pool slot usage is above 90%")
    rule = answered_rule(result)
    assert flat(rule.expr) == (
        "(pool_slots_used/(pool_slots_available+pool_slots_used))>0.9")
    assert "pool slots used in" in rule.annotations["summary"]
    assert any("pool_slots_available is read as what is left" in a
               for a in result.provenance.parameters["assumptions"])


@pytest.mark.parametrize(("intent", "expected"), [
    ("Vault disk space is below 20%", "(vault_disk_available_bytes/(vault_disk_available_bytes"
                                      "+vault_disk_used_bytes))<0.2"),
    ("Vault disk space usage is above 80%", "(vault_disk_used_bytes/(vault_disk_available_bytes"
                                            "+vault_disk_used_bytes))>0.8"),
])
def test_disk_space_below_a_share_is_the_space_left(intent: str, expected: str) -> None:
    catalog = invented_catalog(
        {"name": "vault_disk_available_bytes", "type": "gauge", "help": ""},
        {"name": "vault_disk_used_bytes", "type": "gauge", "help": ""},
    )
    assert flat(answered_rule(propose(catalog, intent)).expr) == expected


def test_a_percent_gauge_of_something_unsaid_yields_to_the_share_of_the_named_limit() -> None:
    catalog = invented_catalog(
        {"name": "ordb_sessions_value", "type": "gauge", "help": "Gauge metric with count of sessions."},
        {"name": "ordb_resource_current_utilization", "type": "gauge",
         "help": "Generic counter metric from the resource limit view (current value).",
         "labels": ["resource_name"]},
        {"name": "ordb_resource_limit_value", "type": "gauge",
         "help": "Generic counter metric from the resource limit view (limit value).",
         "labels": ["resource_name"]},
        {"name": "ordb_tablespace_used_percent", "type": "gauge",
         "help": "Gauge metric showing as a percentage of how much of the tablespace has been used."},
        {"name": "ordb_up", "type": "gauge", "help": "Whether the database server is up."},
    )
    plan = plan_for("Ordb sessions reaching limit (> 85%): Ordb session utilization is above 85% on "
                    "<instance> (current value: <value>%)", catalog)
    best = plan.candidates[0]
    assert set(best.metrics) == {"ordb_resource_current_utilization", "ordb_resource_limit_value"}
    assert any("resource_name" in note for note in best.assumptions)
