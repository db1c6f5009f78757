"""Intents that state the problem without a number: a value against its own limit metric, a
count that should be something, a setting switched on, nothing left, a numbered or colored
state, a role that changed. Catalogs here are invented for the tests."""

from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog, Metric
from monitorgen.core.generation.naming import counts_past_limit, counts_problems, is_limit
from monitorgen.core.generation.planner import plan_candidates
from monitorgen.core.generation.readings import health_level_said
from monitorgen.core.generation.result import GenerationRequest, Status
from monitorgen.core.generation.slots import Threshold, extract_slots
from tests.core.generation.proposing import (
    answered_rule,
    exporter_catalog,
    flat,
    invented_catalog,
    propose,
)


@pytest.fixture
def sensors() -> Catalog:
    return invented_catalog(
        {"name": "board_sensor_temp_celsius", "type": "gauge", "help": "Board sensor temperature.",
         "labels": ["chip", "sensor"]},
        {"name": "board_sensor_temp_max_celsius", "type": "gauge",
         "help": "Maximum rated temperature of the sensor.", "labels": ["chip", "sensor"]},
        {"name": "board_fan_rpm", "type": "gauge", "help": "Fan speed.", "labels": ["fan"]},
    )


# --- a value against its own limit --------------------------------------------------------------
def test_it_compares_temperature_with_its_max_metric(sensors: Catalog) -> None:
    rule = answered_rule(propose(sensors, "page me when a board sensor temperature goes over its max"))
    assert flat(rule.expr) == "board_sensor_temp_celsius>board_sensor_temp_max_celsius"


def test_too_hot_means_above_the_rated_maximum(sensors: Catalog) -> None:
    rule = answered_rule(propose(sensors, "board sensor temperature too hot"))
    assert flat(rule.expr) == "board_sensor_temp_celsius>board_sensor_temp_max_celsius"


def test_a_high_temperature_without_a_limit_word_still_asks_for_the_number(
        sensors: Catalog) -> None:
    assert propose(sensors, "board sensor temperature is high").status is not Status.OK


def test_a_duration_longer_than_its_scheduled_interval() -> None:
    catalog = invented_catalog(
        {"name": "batch_runner_last_duration_seconds", "type": "gauge",
         "help": "How long the last batch run took.", "labels": ["batch"]},
        {"name": "batch_runner_interval_seconds", "type": "gauge",
         "help": "How often the batch is scheduled.", "labels": ["batch"]},
        {"name": "batch_runner_runs_total", "type": "counter", "help": "Batch runs."},
    )
    rule = answered_rule(propose(catalog, "batch runner last duration took more time than the scheduled "
                                 "interval"))
    assert flat(rule.expr) == ("batch_runner_last_duration_seconds>"
                                "batch_runner_interval_seconds")


def test_a_limit_with_fewer_labels_is_matched_on_the_shared_ones() -> None:
    catalog = invented_catalog(
        {"name": "cache_pool_used_bytes", "type": "gauge", "help": "Bytes used by a pool.",
         "labels": ["pool"]},
        {"name": "cache_pool_used_limit_bytes", "type": "gauge",
         "help": "Configured limit of all pools."},
    )
    rule = answered_rule(propose(catalog, "alert when cache pool used bytes exceed the configured limit"))
    assert flat(rule.expr) == ("cache_pool_used_bytes>on(instance,job)group_left()"
                                "cache_pool_used_limit_bytes")


def test_a_forecast_against_a_quota_metric() -> None:
    catalog = invented_catalog(
        {"name": "store_db_size_bytes", "type": "gauge", "help": "Database size on disk."},
        {"name": "store_backend_quota_bytes", "type": "gauge", "help": "Storage quota."},
        {"name": "store_keys", "type": "gauge", "help": "Keys stored."},
    )
    rule = answered_rule(propose(catalog, "the store db size is predicted to exceed the storage quota "
                                 "within the next 4 hours"))
    assert rule.expr.startswith("predict_linear(store_db_size_bytes[")
    assert rule.expr.endswith("14400) > store_backend_quota_bytes")


def test_reaching_a_share_of_the_limit_is_not_a_comparison_with_the_limit() -> None:
    catalog = invented_catalog(
        {"name": "proxy_open_connections", "type": "gauge", "help": "Open connections."},
        {"name": "proxy_open_connections_limit", "type": "gauge", "help": "Connection limit."},
    )
    result = propose(catalog, "proxy has reached <value>% of its open connections limit")
    assert all(">=proxy_open_connections_limit" not in flat(r.expr) for r in result.rules)


def test_a_named_limit_bounds_the_sum_of_the_parts_in_each_state() -> None:
    catalog = invented_catalog(
        {"name": "relay_config_max_client_conn", "type": "gauge",
         "help": "Maximum number of client connections allowed."},
        {"name": "relay_pools_client_active_connections", "type": "gauge",
         "help": "Client connections linked to a server connection."},
        {"name": "relay_pools_client_waiting_connections", "type": "gauge",
         "help": "Client connections waiting for a server connection."},
        {"name": "relay_pools_server_idle_connections", "type": "gauge",
         "help": "Unused server connections."},
    )
    rule = answered_rule(propose(catalog, "relay client connections have reached max_client_conn"))
    assert flat(rule.expr) == (
        "sumby(instance,job)(relay_pools_client_active_connections+"
        "relay_pools_client_waiting_connections)>=relay_config_max_client_conn")


def _relay_with_a_per_user_limit() -> Catalog:
    return invented_catalog(
        {"name": "relay_config_max_user_connections", "type": "gauge",
         "help": "Maximum number of server connections per user."},
        {"name": "relay_pools_server_active_connections", "type": "gauge",
         "help": "Server connections linked to a client."},
        {"name": "relay_pools_server_idle_connections", "type": "gauge",
         "help": "Unused server connections."},
        {"name": "relay_pools_server_tested_connections", "type": "gauge",
         "help": "Server connections being tested."},
        {"name": "relay_pools_client_active_connections", "type": "gauge",
         "help": "Client connections linked to a server connection."},
    )


def test_it_reads_a_share_of_a_per_user_limit_as_the_summed_parts_its_help_names() -> None:
    rule = answered_rule(propose(_relay_with_a_per_user_limit(),
                                 "relay server connection capacity is above 90% of "
                                 "max_user_connections"))
    assert flat(rule.expr) == (
        "(sumby(instance,job)(relay_pools_server_active_connections+"
        "relay_pools_server_idle_connections+relay_pools_server_tested_connections)/"
        "(sumby(instance,job)(relay_config_max_user_connections)>0))>0.9")


def test_it_reads_a_per_user_limit_without_the_helps_words_in_the_intent_as_no_sum() -> None:
    result = propose(_relay_with_a_per_user_limit(),
                     "relay user capacity is above 90% of max_user_connections")
    assert all("+" not in r.expr for r in result.rules)


def test_parts_that_split_two_ways_are_not_summed_against_a_limit() -> None:
    catalog = invented_catalog(
        {"name": "relay_config_max_client_conn", "type": "gauge"},
        {"name": "relay_client_active_connections", "type": "gauge"},
        {"name": "relay_client_waiting_connections", "type": "gauge"},
        {"name": "relay_client_active_tls_connections", "type": "gauge"},
        {"name": "relay_client_active_plain_connections", "type": "gauge"},
    )
    result = propose(catalog, "relay client connections have reached max_client_conn")
    assert all("+" not in r.expr for r in result.rules)


def test_free_space_forecast_to_hit_its_threshold_goes_below_the_limit() -> None:
    catalog = invented_catalog(
        {"name": "broker_disk_available_bytes", "type": "gauge", "help": "Free disk space."},
        {"name": "broker_disk_available_limit_bytes", "type": "gauge",
         "help": "Free disk space below which the disk alarm goes off."},
        {"name": "broker_queue_messages", "type": "gauge", "help": "Messages in queues."},
    )
    rule = answered_rule(propose(catalog, "broker available disk is predicted to hit its alarm "
                                 "threshold within 24 hours"))
    assert rule.expr.startswith("predict_linear(broker_disk_available_bytes[")
    assert rule.expr.endswith("86400) <= broker_disk_available_limit_bytes")


@pytest.fixture
def drives() -> Catalog:
    return invented_catalog(
        {"name": "drive_temperature", "type": "gauge", "help": "Drive temperature celsius",
         "labels": ["device", "temperature_type"],
         "label_values": {"temperature_type": ["current", "drive_trip"]}},
        {"name": "drive_interface_speed", "type": "gauge", "help": "Interface speed, bits/s",
         "labels": ["device", "speed_type"], "label_values": {"speed_type": ["current", "max"]}},
        {"name": "drive_power_on_hours", "type": "counter", "labels": ["device"]},
    )


def test_a_temperature_over_the_trip_value_its_label_lists(drives: Catalog) -> None:
    rule = answered_rule(propose(drives, "drive temperature over trip value on <device>"))
    assert flat(rule.expr) == ('drive_temperature{temperature_type="current"}>ignoring('
                               'temperature_type)drive_temperature{temperature_type="drive_trip"}')


def test_a_link_below_its_max_speed_its_label_lists(drives: Catalog) -> None:
    rule = answered_rule(propose(drives, "drive interface is linked below its negotiated max "
                                 "speed"))
    assert flat(rule.expr) == ('drive_interface_speed{speed_type="current"}<ignoring(speed_type)'
                               'drive_interface_speed{speed_type="max"}')


def test_a_trip_value_the_catalog_does_not_list_is_asked_for() -> None:
    catalog = invented_catalog(
        {"name": "drive_temperature", "type": "gauge", "labels": ["device", "temperature_type"]},
        {"name": "drive_power_on_hours", "type": "counter", "labels": ["device"]},
    )
    assert propose(catalog, "drive temperature over trip value").status is not Status.OK


def test_more_than_twice_a_limit_compares_with_the_limit_doubled(sensors: Catalog) -> None:
    rule = answered_rule(propose(sensors, "board sensor temperature is more than twice its max"))
    assert flat(rule.expr) == "board_sensor_temp_celsius>2*board_sensor_temp_max_celsius"


def test_a_number_of_times_a_limit_is_a_multiple_not_a_threshold(sensors: Catalog) -> None:
    assert extract_slots("temperature exceeds 1.5 times the max").threshold is None
    rule = answered_rule(propose(sensors, "board sensor temperature exceeds 1.5 times its max"))
    assert flat(rule.expr) == "board_sensor_temp_celsius>1.5*board_sensor_temp_max_celsius"


def test_more_than_twice_in_an_hour_is_still_a_count() -> None:
    threshold = extract_slots("the job restarted more than twice in the last hour").threshold
    assert threshold is not None and threshold.value == 2


def test_half_the_trip_value_its_label_lists(drives: Catalog) -> None:
    rule = answered_rule(propose(drives, "drive temperature above half the trip value"))
    assert flat(rule.expr) == ('drive_temperature{temperature_type="current"}>ignoring('
                               'temperature_type)0.5*drive_temperature{temperature_type='
                               '"drive_trip"}')


def test_twice_the_daily_average_compares_the_recent_rate_with_the_days() -> None:
    catalog = invented_catalog(
        {"name": "kernel_context_switches_total", "type": "counter", "help": "Context switches."},
        {"name": "kernel_forks_total", "type": "counter", "help": "Forks."},
    )
    rule = answered_rule(propose(catalog, "kernel context switches are growing (twice the daily "
                                 "average during the last 15m)"))
    assert flat(rule.expr) == ("rate(kernel_context_switches_total[15m])/"
                               "(rate(kernel_context_switches_total[1d])>0)>2")


@pytest.fixture
def host() -> Catalog:
    return invented_catalog(
        {"name": "host_load1", "type": "gauge", "help": "1m load average."},
        {"name": "host_load5", "type": "gauge", "help": "5m load average."},
        {"name": "host_cpu_seconds_total", "type": "counter", "labels": ["cpu", "mode"],
         "help": "Seconds the CPUs spent in each mode."},
        {"name": "host_memory_free_bytes", "type": "gauge"},
    )


def test_load_more_than_twice_the_number_of_cores_is_load_per_core_above_2(host: Catalog) -> None:
    rule = answered_rule(propose(host, "host load average (1m) is more than twice the number of "
                                 "cores"))
    assert flat(rule.expr) == ('host_load1/countby(instance,job)(host_cpu_seconds_total'
                               '{mode="idle"})>2')


def test_load_per_core_above_a_number(host: Catalog) -> None:
    rule = answered_rule(propose(host, "host load average (5m) per CPU core above 1.5"))
    assert flat(rule.expr) == ('host_load5/countby(instance,job)(host_cpu_seconds_total'
                               '{mode="idle"})>1.5')


# --- counts stated as expectations --------------------------------------------------------------
def test_it_reads_should_have_only_one_as_more_than_one_is_a_problem() -> None:
    assert extract_slots("Queue should have only 1 consumer").threshold == Threshold(
        ">", 1.0, "count", 1.0, None, "should have only 1")


def test_it_reads_an_expected_count_with_missing_as_fewer() -> None:
    threshold = extract_slots("missing member: cluster members should be 3").threshold
    assert threshold is not None and (threshold.comparator, threshold.value) == ("<", 3.0)


def test_it_reads_a_parenthesised_expectation_with_too_many() -> None:
    threshold = extract_slots("too many primaries: <value> nodes are primary (expected 1)").threshold
    assert threshold is not None and (threshold.comparator, threshold.value) == (">", 1.0)


def test_an_expected_duration_is_not_a_count() -> None:
    assert extract_slots("the backup should be done in 5 minutes").threshold is None


# --- switched on, nothing left, none connected --------------------------------------------------
@pytest.fixture
def server() -> Catalog:
    return invented_catalog(
        {"name": "dbserver_settings_crash_recovery_mode", "type": "gauge", "help": ""},
        {"name": "dbserver_worker_pool_capacity", "type": "gauge",
         "help": "Free worker slots in the pool."},
        {"name": "dbserver_replica_peers", "type": "gauge", "help": "Connected replica peers."},
        {"name": "dbserver_config_checksum", "type": "gauge", "help": "Checksum of the config."},
        {"name": "dbserver_queries_total", "type": "counter", "help": "Queries served."},
    )


def test_a_setting_that_is_enabled_is_non_zero(server: Catalog) -> None:
    rule = answered_rule(propose(server, "dbserver crash recovery mode is enabled"))
    assert flat(rule.expr) == "dbserver_settings_crash_recovery_mode>0"


def test_a_capacity_stated_at_zero_is_equal_to_zero(server: Catalog) -> None:
    plan_expr = propose(server, "dbserver worker pool capacity has been at 0 for 5 minutes")
    exprs = [flat(r.expr) for r in plan_expr.rules]
    assert not exprs or exprs[0] == "dbserver_worker_pool_capacity==0"


def test_cannot_connect_to_peers_is_a_count_of_peers_at_zero(server: Catalog) -> None:
    rule = answered_rule(propose(server, "dbserver cannot connect to any replica peer"))
    assert flat(rule.expr) == "dbserver_replica_peers==0"


def test_a_singular_name_is_not_a_count_of_what_cannot_be_reached(server: Catalog) -> None:
    result = propose(server, "dbserver cannot connect to the config checksum")
    assert all("dbserver_config_checksum==0" not in flat(r.expr) for r in result.rules)


def test_a_count_of_items_over_a_threshold_counts_problems() -> None:
    metric = Metric(name="poller_itemsOverThreshold")
    assert counts_past_limit(metric) and counts_problems(metric) and not is_limit(metric)


# --- states --------------------------------------------------------------------------------------
def test_a_numbered_state_named_in_the_intent_is_that_value() -> None:
    catalog = invented_catalog(
        {"name": "cluster_member_state", "type": "gauge", "help": "Replica state of the member.",
         "labels": ["member"]},
        {"name": "cluster_member_lag_seconds", "type": "gauge", "help": "Replication lag."},
    )
    rule = answered_rule(propose(catalog, "cluster member state 8: the member is unreachable"))
    assert flat(rule.expr) == "cluster_member_state==8"


def test_a_traffic_light_color_is_a_label_value() -> None:
    catalog = invented_catalog(
        {"name": "search_cluster_health_status", "type": "gauge",
         "help": "Cluster health by color.", "labels": ["cluster", "color"]},
        {"name": "search_cluster_nodes", "type": "gauge", "help": "Nodes in the cluster."},
    )
    rule = answered_rule(propose(catalog, "search cluster health status is red"))
    assert 'color=~"(?i)red"' in rule.expr


def test_a_role_that_has_changed_uses_changes() -> None:
    catalog = invented_catalog(
        {"name": "db_replication_is_replica", "type": "gauge",
         "help": "Whether the server is a replica."},
        {"name": "db_replication_lag_seconds", "type": "gauge", "help": "Replication lag."},
    )
    rule = answered_rule(propose(catalog, "the db replication role (is replica) has just changed"))
    assert rule.expr.startswith("changes(db_replication_is_replica[")
    assert rule.expr.endswith("> 0")


def test_insufficient_means_below_the_required_metric() -> None:
    catalog = invented_catalog(
        {"name": "array_members", "type": "gauge", "help": "Members of the array.",
         "labels": ["array"]},
        {"name": "array_members_required", "type": "gauge", "help": "Members the array needs.",
         "labels": ["array"]},
    )
    rule = answered_rule(propose(catalog, "array has insufficient members"))
    assert flat(rule.expr) == "array_members<array_members_required"


def test_a_value_split_by_state_is_not_compared_with_one_limit() -> None:
    catalog = invented_catalog(
        {"name": "array_disks", "type": "gauge", "help": "Disks of the array by state.",
         "labels": ["array", "state"]},
        {"name": "array_disks_required", "type": "gauge", "help": "Disks the array needs.",
         "labels": ["array"]},
    )
    result = propose(catalog, "array has insufficient disks")
    assert all("array_disks_required" not in r.expr for r in result.rules)


def test_insufficient_disks_counts_the_healthy_state_the_help_lists() -> None:
    catalog = invented_catalog(
        {"name": "array_disks", "type": "gauge", "labels": ["array", "state"],
         "help": "Number of active/failed/spare disks of the array."},
        {"name": "array_disks_required", "type": "gauge", "help": "Disks the array needs.",
         "labels": ["array"]},
    )
    rule = answered_rule(propose(catalog, "array has insufficient disks remaining"))
    assert flat(rule.expr) == ('array_disks{state=~"(?i)active"}<on(array,instance,job)'
                               'group_left()array_disks_required')


def test_no_events_for_a_while_is_an_increase_of_zero() -> None:
    catalog = invented_catalog(
        {"name": "portal_logins_total", "type": "counter", "help": "Successful logins.",
         "labels": ["realm"]},
        {"name": "portal_failed_logins_total", "type": "counter", "help": "Failed logins.",
         "labels": ["realm"]},
    )
    plan = plan_candidates(GenerationRequest(
        intent="no successful portal logins for the last 15 minutes", catalog=catalog))
    assert flat(plan.candidates[0].expr) == "increase(portal_logins_total[15m])==0"


def test_many_active_things_is_a_level_not_a_setting_switched_on() -> None:
    catalog = invented_catalog(
        {"name": "gateway_sessions_active", "type": "gauge", "help": "Active sessions."},
        {"name": "gateway_sessions_limit", "type": "gauge", "help": "Session limit."},
    )
    result = propose(catalog, "too many gateway sessions active")
    assert all(not flat(r.expr).endswith(">0") for r in result.rules)


def test_over_the_last_minutes_is_a_window_not_a_limit(sensors: Catalog) -> None:
    result = propose(sensors, "board sensor temperature over the last 10 minutes is high")
    assert all("max_celsius" not in r.expr for r in result.rules)


def test_more_than_one_leader_sums_the_leader_flags() -> None:
    catalog = invented_catalog(
        {"name": "coord_server_leader", "type": "gauge", "help": "1 on the leader."},
        {"name": "coord_server_followers", "type": "gauge", "help": "Followers of the leader."},
    )
    plan = plan_candidates(GenerationRequest(
        intent="too many leaders: coord cluster has <value> servers marked as leader (expected 1)",
        catalog=catalog))
    # Per cluster (scrape job): two healthy clusters have two leaders between them.
    assert flat(plan.candidates[0].expr) == "sumby(job)(coord_server_leader)>1"


def test_a_count_of_clients_is_not_summed_like_a_flag() -> None:
    catalog = invented_catalog(
        {"name": "cache_connected_clients", "type": "gauge", "help": "Connected clients."},
    )
    plan = plan_candidates(GenerationRequest(intent="cache connected clients should be 3",
                                             catalog=catalog))
    assert flat(plan.candidates[0].expr) == "cache_connected_clients!=3"


def test_no_processes_found_is_a_count_at_zero_not_a_presence() -> None:
    assert not extract_slots("No processes found for group web").presence
    catalog = invented_catalog(
        {"name": "procmon_group_num_procs", "type": "gauge", "help": "Processes in the group.",
         "labels": ["groupname"]},
        {"name": "procmon_group_cpu_seconds_total", "type": "counter", "help": "CPU time."},
    )
    plan = plan_candidates(GenerationRequest(intent="procmon: no processes found for group",
                                             catalog=catalog))
    assert flat(plan.candidates[0].expr) == "procmon_group_num_procs==0"


def test_running_workers_out_of_the_expected_total_is_fewer_than_the_whole() -> None:
    catalog = invented_catalog(
        {"name": "appserver_running_workers", "type": "gauge", "help": "Workers running."},
        {"name": "appserver_workers", "type": "gauge", "help": "Workers configured."},
    )
    plan = plan_candidates(GenerationRequest(
        intent="appserver has <value> running workers out of the expected total",
        catalog=catalog))
    assert flat(plan.candidates[0].expr) == "appserver_running_workers<appserver_workers"


def test_an_http_status_code_is_not_a_numbered_state() -> None:
    catalog = invented_catalog(
        {"name": "web_backend_status", "type": "gauge", "help": "Backend status."},
    )
    plan = plan_candidates(GenerationRequest(intent="web backend status 503 responses",
                                             catalog=catalog))
    assert all("==503" not in flat(c.expr) and "==50" not in flat(c.expr)
               for c in plan.candidates)


def test_a_setting_that_is_turned_off_is_zero(server: Catalog) -> None:
    plan = plan_candidates(GenerationRequest(
        intent="dbserver crash recovery mode is turned off", catalog=server))
    assert flat(plan.candidates[0].expr) == "dbserver_settings_crash_recovery_mode==0"


def test_less_than_three_nodes_running_sums_the_running_flags() -> None:
    catalog = invented_catalog(
        {"name": "broker_node_running", "type": "gauge", "help": "1 if the node is running."},
    )
    plan = plan_candidates(GenerationRequest(intent="broker cluster down: less than 3 nodes "
                                                    "running", catalog=catalog))
    # Per cluster (scrape job): another cluster's nodes do not make up for this one's.
    assert flat(plan.candidates[0].expr) == "sumby(job)(broker_node_running)<3"


def test_no_leader_is_asked_of_the_group_not_of_each_member() -> None:
    catalog = invented_catalog(
        {"name": "coord_server_leader", "type": "gauge", "help": "1 on the leader.",
         "labels": ["shard", "replica"]},
    )
    plan = plan_candidates(GenerationRequest(intent="coord shard has no leader",
                                             catalog=catalog))
    assert flat(plan.candidates[0].expr) == "sumby(job,shard)(coord_server_leader)==0"


def test_a_gauge_named_for_the_mode_the_intent_names_fires_above_zero() -> None:
    catalog = invented_catalog(
        {"name": "store_readonly_tables", "type": "gauge"},
        {"name": "store_open_connections", "type": "gauge"},
    )
    rule = answered_rule(propose(catalog, "a store table is stuck in read-only mode"))
    assert rule.expr == "store_readonly_tables > 0"


def test_a_normal_mode_is_no_problem_to_alert_on() -> None:
    catalog = invented_catalog({"name": "store_active_tables", "type": "gauge"})
    plan = plan_candidates(GenerationRequest(intent="store tables in active mode",
                                             catalog=catalog))
    assert all(c.expr != "store_active_tables > 0" for c in plan.candidates)


@pytest.fixture
def raft() -> Catalog:
    return invented_catalog(
        {"name": "raft_cluster_members", "type": "gauge", "help": "Number of voting members."},
        {"name": "raft_leader_changes_total", "type": "counter", "help": "Leader changes."},
    )


def test_a_cluster_that_should_have_an_odd_number_of_members_alerts_on_even(
    raft: Catalog,
) -> None:
    rule = answered_rule(propose(raft, "raft cluster should have an odd number of members"))
    assert rule.expr == "raft_cluster_members % 2 == 0"


def test_the_members_may_be_named_after_the_parity_with_a_word_between(raft: Catalog) -> None:
    rule = answered_rule(propose(raft, "raft should have an odd number of members in the cluster"))
    assert rule.expr == "raft_cluster_members % 2 == 0"


def test_a_cluster_said_to_have_an_even_number_of_members_alerts_on_even(raft: Catalog) -> None:
    rule = answered_rule(propose(raft, "raft cluster has an even number of members"))
    assert rule.expr == "raft_cluster_members % 2 == 0"


def test_parity_is_only_read_on_a_count_of_what_the_intent_counts(raft: Catalog) -> None:
    plan = plan_candidates(GenerationRequest(
        intent="raft cluster should have an odd number of shards", catalog=raft))
    assert all(c.family != "parity" for c in plan.candidates)


# --- one counter's rate against a sibling's -------------------------------------------------------
@pytest.fixture
def broker() -> Catalog:
    return invented_catalog(
        {"name": "broker_messages_published_total", "type": "counter", "labels": ["queue"]},
        {"name": "broker_messages_delivered_total", "type": "counter", "labels": ["queue"]},
        {"name": "broker_connections_opened_total", "type": "counter"},
    )


def test_messages_published_faster_than_delivered_compares_the_two_rates(
    broker: Catalog,
) -> None:
    rule = answered_rule(propose(broker, "broker messages published faster than they are delivered"))
    assert rule.expr == (
        "sum by (instance, job, queue) (rate(broker_messages_published_total[5m])) > "
        "sum by (instance, job, queue) (rate(broker_messages_delivered_total[5m]))")


def test_deliveries_falling_behind_publishing_is_the_same_comparison_reversed(
    broker: Catalog,
) -> None:
    rule = answered_rule(propose(broker, "broker messages delivered fall behind messages published"))
    assert rule.expr == (
        "sum by (instance, job, queue) (rate(broker_messages_delivered_total[5m])) < "
        "sum by (instance, job, queue) (rate(broker_messages_published_total[5m]))")


def test_counters_that_differ_in_more_than_one_word_are_not_compared(broker: Catalog) -> None:
    plan = plan_candidates(GenerationRequest(
        intent="broker messages published faster than connections opened", catalog=broker))
    assert all(c.family != "versus-rate" for c in plan.candidates)


# --- a level of the usual health scale, a state said of the subject -------------------------------
@pytest.fixture
def store() -> Catalog:
    return invented_catalog(
        {"name": "vault_cluster_status", "type": "gauge", "help": "", "labels": ["cluster"]},
        {"name": "vault_cluster_nodes", "type": "gauge", "help": "Nodes in the cluster."},
        {"name": "vault_breaker_calls_total", "type": "counter", "help": "Calls through breakers."},
        {"name": "vault_backend_breaker_open", "type": "gauge",
         "help": "1 when the backend's breaker is open.", "labels": ["backend"]},
        {"name": "vault_backend_connections_open", "type": "gauge",
         "help": "Open connections to the backend.", "labels": ["backend"]},
    )


@pytest.mark.parametrize(("intent", "expr"), [
    ("Vault cluster status is YELLOW", "vault_cluster_status==1"),
    ("Vault cluster is in STATUS_WARN state", "vault_cluster_status==1"),
    ("Vault cluster status went red", "vault_cluster_status==2"),
    ("Vault cluster status: the cluster is in HEALTH_ERR state", "vault_cluster_status==2"),
    ("Vault cluster status is CRITICAL", "vault_cluster_status==2"),
    ("Vault cluster status warning: vault cluster status is in a warning state",
     "vault_cluster_status==1"),
])
def test_it_reads_a_level_of_the_usual_health_scale_as_its_code(store: Catalog, intent: str,
                                                                  expr: str) -> None:
    result = propose(store, intent)
    assert flat(answered_rule(result).expr) == expr
    notes = result.provenance.parameters.get("assumptions", [])
    assert any("0 = ok/green, 1 = warning/yellow" in note for note in notes)


def test_several_health_levels_or_red_hat_name_no_level(store: Catalog) -> None:
    assert health_level_said("cluster is yellow or red") is None
    assert health_level_said("the Red Hat cluster status") is None
    assert health_level_said("cluster is in HEALTH_WARN state") == (1.0, "warn")


def test_the_usual_health_scale_is_read_only_where_the_codes_are_undocumented(
        store: Catalog) -> None:
    assert flat(answered_rule(propose(store, "Vault cluster status is red")).expr) == (
        "vault_cluster_status==2")
    documented = invented_catalog(
        {"name": "vault_cluster_status", "type": "gauge",
         "help": "Cluster status (0=red, 1=yellow, 2=green)."},
        {"name": "vault_cluster_nodes", "type": "gauge", "help": "Nodes in the cluster."},
    )
    plan = plan_candidates(GenerationRequest(intent="Vault cluster status is red",
                                             catalog=documented))
    assert all(flat(c.expr) != "vault_cluster_status==2" for c in plan.candidates)


def test_a_state_said_of_a_gauge_named_for_it_is_non_zero_unless_it_is_the_usual_one(
        store: Catalog) -> None:
    rule = answered_rule(propose(store, "Vault backend breaker open: the backend breaker is open"))
    assert flat(rule.expr) == "vault_backend_breaker_open>0"
    result = propose(store, "Vault backend connections open: backend connections are open")
    assert all(flat(r.expr) != "vault_backend_connections_open>0" for r in result.rules)


def test_a_share_said_of_a_gauge_named_for_it_is_no_state() -> None:
    catalog = invented_catalog(
        {"name": "vault_host_cpu_idle", "type": "gauge", "help": "", "labels": ["host"]},
        {"name": "vault_host_memory_bytes", "type": "gauge", "help": "", "labels": ["host"]},
    )
    plan = plan_candidates(GenerationRequest(intent="Vault host CPU idle: the vault host cpu is idle",
                                             catalog=catalog))
    assert all(flat(c.expr) != "vault_host_cpu_idle>0" for c in plan.candidates)


def test_a_level_of_the_health_scale_names_the_status_gauge_over_the_details_metric() -> None:
    catalog = invented_catalog(
        {"name": "grid_cluster_shards_active_percent", "type": "gauge", "help": ""},
        {"name": "grid_cluster_status", "type": "gauge", "help": ""},
        {"name": "grid_cluster_pending_tasks", "type": "gauge", "help": ""},
    )
    intent = "Grid is yellow: Grid cluster <cluster> is YELLOW: some replica shards are unassigned"
    assert flat(answered_rule(propose(catalog, intent)).expr) == "grid_cluster_status==1"


def test_unused_things_of_a_flag_named_active_are_the_flag_at_zero() -> None:
    catalog = invented_catalog(
        {"name": "ledger_replication_slot_active", "type": "gauge",
         "help": "Flag indicating if the slot is active", "labels": ["slot"]},
        {"name": "ledger_replication_lag_seconds", "type": "gauge", "help": "Replication lag."},
    )
    rule = answered_rule(propose(catalog, "Ledger unused replication slot: unused replication slots"))
    assert flat(rule.expr) == "ledger_replication_slot_active==0"


def test_a_hyphenated_state_said_of_a_gauge_named_for_it_in_one_word_is_non_zero() -> None:
    catalog = invented_catalog(
        {"name": "ledger_volume_readonly", "type": "gauge", "help": "", "labels": ["volume"]},
        {"name": "ledger_volume_size_bytes", "type": "gauge", "help": "", "labels": ["volume"]},
    )
    rule = answered_rule(propose(catalog, "Ledger volume read-only: a ledger volume is read-only"))
    assert flat(rule.expr) == "ledger_volume_readonly>0"


def test_a_status_held_in_a_label_is_no_code_of_the_health_scale() -> None:
    catalog = invented_catalog(
        {"name": "fleet_server_status", "type": "gauge", "help": "", "labels": ["id", "status"]},
        {"name": "fleet_server_memory_bytes", "type": "gauge", "help": "", "labels": ["id"]},
    )
    plan = plan_candidates(GenerationRequest(
        intent="Fleet servers in ERROR state: fleet server status is ERROR", catalog=catalog))
    assert not any(c.expr.endswith("== 2") for c in plan.candidates)


def test_it_asks_for_the_number_when_a_lag_in_seconds_is_said_without_one() -> None:
    # A lag is above 0 most of the time when all is well: `> 0` would page all day.
    catalog = exporter_catalog("streamer", [
        ("streamer_partition_lag_seconds gauge partition,group",
         "Lag of the consumer group behind the partition, in seconds."),
        ("streamer_up gauge instance", "Whether the streamer is up."),
    ])
    result = propose(catalog, "Streamer partition lag: consumer group <group> is lagging by "
                              "<value>s behind partition <partition>")
    assert result.status is Status.CLARIFY
    assert "streamer_partition_lag_seconds" in result.questions[0].text


@pytest.mark.parametrize("intent", ["Beacon cell nearly empty", "Beacon cell is almost empty"])
def test_it_asks_for_the_number_when_something_is_only_nearly_empty(intent: str) -> None:
    # "Nearly empty" is not 0 yet: `== 0` would fire only once it is too late.
    catalog = exporter_catalog("beacon", [
        ("beacon_cell_charge_percent gauge cell", "Charge of the cell in percent."),
    ])
    result = propose(catalog, intent)
    assert result.status is Status.CLARIFY


def test_it_still_reads_empty_as_zero() -> None:
    catalog = exporter_catalog("beacon", [
        ("beacon_cell_charge_percent gauge cell", "Charge of the cell in percent."),
    ])
    rule = answered_rule(propose(catalog, "Beacon cell is empty"))
    assert flat(rule.expr) == "beacon_cell_charge_percent==0"
