"""Rule shapes SREs write often that need more than one metric or a convention: a cache hit
ratio of hits and disk reads, a container's CPU against its quota, a share of a limit named
after "of", a gauge that counts operations up, rates abbreviated as QPS. Catalogs and intents
are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.planner import (
    _other_than,
    _outside_range,
    plan_candidates,
    with_split_values,
)
from monitorgen.core.generation.result import GenerationRequest, Status
from monitorgen.core.generation.slots import extract_slots
from monitorgen.core.promql import analyze_expr
from monitorgen.core.spec import AlertingRule
from tests.core.generation.proposing import answered_rule, invented_catalog, plan_for, propose


def _families(rule: AlertingRule) -> set[str]:
    return set(analyze_expr(rule.expr).families)


def _top_expr(catalog: Catalog, intent: str) -> str:
    plan = plan_candidates(GenerationRequest(intent=intent, catalog=catalog))
    assert plan.candidates, plan.message
    return plan.candidates[0].expr


# --- rates abbreviated ----------------------------------------------------------------------------
def test_it_reads_qps_after_a_number_as_per_second() -> None:
    threshold = extract_slots("the database serves more than 5k QPS").threshold
    assert threshold is not None and threshold.per == "second"
    assert threshold.base_value == 5000


def test_it_reads_rps_and_iops_as_per_second_too() -> None:
    for text in ("above 300 rps", "disk above 2000 IOPS"):
        threshold = extract_slots(text).threshold
        assert threshold is not None and threshold.per == "second", text


def test_it_reads_qps_before_the_number_as_per_second() -> None:
    threshold = extract_slots("db QPS above 2000").threshold
    assert threshold is not None and threshold.per == "second"


def test_qps_above_a_number_is_the_rate_of_the_queries_counter() -> None:
    catalog = invented_catalog({"name": "db_queries_total", "type": "counter"},
                       {"name": "db_connections", "type": "gauge"})
    rule = answered_rule(propose(catalog, "db QPS above 2000"))
    assert rule.expr.replace(" ", "") == "rate(db_queries_total[5m])>2000"


def test_a_threshold_note_after_only_some_percent_is_a_lower_bound() -> None:
    threshold = extract_slots(
        "Only <value>% of members in cluster <name> are healthy (threshold: 75%)").threshold
    assert threshold is not None and threshold.comparator == "<" and threshold.value == 75


def test_a_threshold_note_alone_is_an_upper_bound() -> None:
    threshold = extract_slots("Disk usage is <value>% (threshold: 90%)").threshold
    assert threshold is not None and threshold.comparator == ">"


def test_a_plain_count_stays_a_count() -> None:
    threshold = extract_slots("more than 300 threads").threshold
    assert threshold is not None and threshold.per is None


# --- a cache hit ratio ----------------------------------------------------------------------------
HITS = invented_catalog(
    {"name": "rdb_table_blocks_hit", "type": "counter", "labels": ["database"],
     "help": "Blocks found in the buffer cache."},
    {"name": "rdb_table_blocks_read", "type": "counter", "labels": ["database"],
     "help": "Blocks read from disk."},
    {"name": "rdb_table_deadlocks", "type": "counter", "labels": ["database"],
     "help": "Deadlocks detected."},
)


def test_a_cache_hit_rate_is_hits_of_hits_and_disk_reads() -> None:
    rule = answered_rule(propose(HITS, "rdb buffer cache hit rate is below 95%"))
    assert _families(rule) == {"rdb_table_blocks_hit", "rdb_table_blocks_read"}
    expr = rule.expr.replace(" ", "")
    assert "rate(rdb_table_blocks_hit[5m]))/(" in expr and "+sum" in expr
    assert expr.endswith("<0.95")


def test_a_cache_hit_rate_is_hits_of_all_lookups() -> None:
    catalog = invented_catalog({"name": "edge_proxy_cache_lookups_total", "type": "counter"},
                       {"name": "edge_proxy_cache_hits_total", "type": "counter"},
                       {"name": "edge_proxy_requests_total", "type": "counter"},
                       {"name": "edge_proxy_cache_size_bytes", "type": "gauge"})
    rule = answered_rule(propose(catalog, "edge proxy cache hit rate below 90%"))
    expr = rule.expr.replace(" ", "")
    assert expr.startswith("(sumby(job,instance)(rate(edge_proxy_cache_hits_total[5m]))/(")
    assert "rate(edge_proxy_cache_lookups_total[5m]))>0))<0.9" in expr


def test_hits_and_misses_add_up_to_all_lookups() -> None:
    catalog = invented_catalog({"name": "kv_keyspace_hits_total", "type": "counter"},
                       {"name": "kv_keyspace_misses_total", "type": "counter"},
                       {"name": "kv_connected_clients", "type": "gauge"})
    rule = answered_rule(propose(catalog, "kv cache hit ratio under 80% for 10m"))
    assert "+sumby(job,instance)(rate(kv_keyspace_misses_total[5m]))" in rule.expr.replace(
        " ", "")


# --- CPU against a container's quota --------------------------------------------------------------
CONTAINERS = invented_catalog(
    {"name": "cgroup_cpu_usage_seconds_total", "type": "counter",
     "labels": ["cpu", "id", "name"], "help": "Cumulative CPU time consumed."},
    {"name": "cgroup_spec_cpu_quota", "type": "gauge", "labels": ["id", "name"],
     "help": "CPU quota of the container."},
    {"name": "cgroup_spec_cpu_period", "type": "gauge", "labels": ["id", "name"],
     "help": "CPU period of the container."},
    {"name": "cgroup_memory_usage_bytes", "type": "gauge", "labels": ["id", "name"],
     "help": "Memory in use."},
)


def test_container_cpu_utilisation_is_a_share_of_its_quota() -> None:
    rule = answered_rule(propose(CONTAINERS, "cgroup CPU utilization is above 90%"))
    assert _families(rule) == {"cgroup_cpu_usage_seconds_total", "cgroup_spec_cpu_quota",
                               "cgroup_spec_cpu_period"}
    expr = rule.expr.replace(" ", "")
    # Per container: the per-CPU series are summed, a container without a quota is left out.
    assert "sumwithout(cpu)(rate(cgroup_cpu_usage_seconds_total[5m]))" in expr
    assert "/(cgroup_spec_cpu_quota/cgroup_spec_cpu_period>0)" in expr
    assert expr.endswith(">0.9")


def test_low_container_cpu_utilisation_compares_below() -> None:
    rule = answered_rule(propose(CONTAINERS, "cgroup CPU utilization is under 10% for 1 week"))
    assert rule.expr.replace(" ", "").endswith("<0.1")


def test_a_change_of_cpu_usage_is_not_a_share_of_the_quota() -> None:
    result = propose(CONTAINERS, "the cgroup CPU usage changed by more than 25%")
    assert result.status is not Status.OK or "quota" not in result.rules[0].expr


# --- a share in a state of the limit a sibling state belongs to -----------------------------------
THREADS = invented_catalog(
    {"name": "sqld_status_threads_connected"}, {"name": "sqld_status_threads_running"},
    {"name": "sqld_variables_max_connections"}, {"name": "sqld_status_uptime"},
)


def test_a_share_of_connections_in_a_state_is_of_the_connection_limit() -> None:
    expr = _top_expr(THREADS, "more than 60% of sqld connections are in running state")
    assert expr.replace(" ", "") == (
        "(sqld_status_threads_running/(sqld_variables_max_connections>0))>0.6")


def test_threads_running_of_max_connections_are_not_the_connected_ones() -> None:
    rule = answered_rule(propose(THREADS, "sqld threads running above 60% of max connections"))
    assert _families(rule) == {"sqld_status_threads_running", "sqld_variables_max_connections"}


def test_the_state_must_be_said_for_the_sibling_to_be_the_part() -> None:
    expr = _top_expr(THREADS, "more than 80% of sqld connections are in use")
    assert "threads_running" not in expr


# --- a gauge that counts operations up ------------------------------------------------------------
DOCSTORE = invented_catalog(
    {"name": "docstore_httpd_view_reads", "type": "gauge", "labels": ["node"],
     "help": "number of view reads"},
    {"name": "docstore_httpd_active_requests", "type": "gauge", "labels": ["node"],
     "help": "number of requests being served now"},
)


def test_a_gauge_of_reads_against_a_per_second_rate_is_counted_up() -> None:
    rule = answered_rule(propose(DOCSTORE, "docstore view read rate exceeds 100 reads/sec"))
    assert rule.expr.replace(" ", "") == "rate(docstore_httpd_view_reads[5m])>100"


def test_a_gauge_of_requests_being_served_has_no_rate() -> None:
    result = propose(DOCSTORE, "docstore active requests above 50 per second")
    assert result.status is not Status.OK or "rate(" not in result.rules[0].expr


# --- the part and the whole of a capacity as series of one metric ---------------------------------
def test_quota_usage_is_the_used_series_of_the_hard_one() -> None:
    catalog = invented_catalog({"name": "tenant_quota", "type": "gauge",
                        "labels": ["tenant", "resource", "type"],
                        "label_values": {"type": ["hard", "used"]}},
                       {"name": "tenant_info", "type": "gauge"})
    rule = answered_rule(propose(catalog, "tenant quota usage above 90%"))
    assert rule.expr.replace(" ", "") == (
        '(tenant_quota{type="used"}/ignoring(type)(tenant_quota{type="hard"}>0))>0.9')


def test_the_plain_used_value_wins_over_other_values_in_use() -> None:
    catalog = invented_catalog({"name": "searchd_jvm_heap_bytes", "type": "gauge",
                        "labels": ["node", "item"],
                        "label_values": {"item": ["committed", "init", "max", "used"]}},
                       {"name": "searchd_threads", "type": "gauge"})
    rule = answered_rule(propose(catalog, "searchd node is using more than 90% of its JVM heap"))
    assert 'item="used"' in rule.expr and 'item="max"' in rule.expr
    assert "committed" not in rule.expr


def test_without_a_whole_the_part_in_use_is_of_in_use_plus_available() -> None:
    catalog = invented_catalog({"name": "docdb_connections", "type": "gauge", "labels": ["conn_type"],
                        "label_values": {"conn_type": ["current", "available", "totalCreated"]}},
                       {"name": "docdb_up", "type": "gauge"})
    rule = answered_rule(propose(catalog, "Too many docdb connections (> 80%)"))
    expr = rule.expr.replace(" ", "")
    # `totalCreated` counts connections ever made: no whole of the ones open now.
    assert "totalCreated" not in expr
    assert ('+ignoring(conn_type)docdb_connections{conn_type="available"}))>0.8') in expr


def test_with_further_parts_listed_the_part_in_use_is_of_all_of_them() -> None:
    catalog = invented_catalog({"name": "agentd_system_ram_mib", "type": "gauge",
                                "labels": ["dimension"],
                                "label_values": {"dimension": ["free", "used", "cached",
                                                              "buffers"]}},
                               {"name": "agentd_cpu_percentage", "type": "gauge"})
    rule = answered_rule(propose(catalog, "agentd high RAM usage (> 80%)"))
    # Cached and buffered memory are part of the whole: used plus free alone is not all of it.
    assert rule.expr.replace(" ", "") == (
        '(agentd_system_ram_mib{dimension="used"}/ignoring(dimension)'
        '(sumwithout(dimension)(agentd_system_ram_mib)>0))>0.8')


_UNLISTED_PARTS = invented_catalog(
    {"name": "docdbx_connections", "type": "gauge", "labels": ["state"]},
    {"name": "docdbx_cursors", "type": "gauge", "labels": ["state"]},
    {"name": "docdbx_up", "type": "gauge"})


def test_parts_split_by_a_label_without_listed_values_ask_for_the_values() -> None:
    result = propose(_UNLISTED_PARTS, "Too many docdbx connections (> 80%)")
    assert result.status is Status.CLARIFY
    assert [q.field for q in result.questions] == ["part_values:docdbx_connections"]
    assert "state label of docdbx_connections" in result.questions[0].text


def test_the_answered_values_of_the_parts_give_the_share_of_that_metric_only() -> None:
    result = propose(_UNLISTED_PARTS, "Too many docdbx connections (> 80%)",
                     answers={"part_values:docdbx_connections": "current, available"})
    assert answered_rule(result).expr.replace(" ", "") == (
        '(docdbx_connections{state="current"}/ignoring(state)(docdbx_connections{state="current"}'
        '+ignoring(state)docdbx_connections{state="available"}))>0.8')
    # The cursors' state label still lists nothing: the answer was about connections.
    amended = with_split_values(GenerationRequest(
        intent="", catalog=_UNLISTED_PARTS,
        answers={"part_values:docdbx_connections": "current, available"})).catalog
    cursors = amended.family("docdbx_cursors")
    assert cursors is not None and not cursors.label_values


def test_a_value_at_a_share_of_its_trip_point_in_the_same_metric() -> None:
    catalog = invented_catalog({"name": "disk_temperature", "type": "gauge",
                        "labels": ["device", "temperature_type"],
                        "label_values": {"temperature_type": ["current", "drive_trip"]}},
                       {"name": "disk_power_on_hours", "type": "gauge"})
    rule = answered_rule(propose(catalog, "Disk temperature at 80% of trip value"))
    assert 'temperature_type="current"' in rule.expr and 'temperature_type="drive_trip"' in rule.expr


def test_the_share_left_is_compared_as_left() -> None:
    catalog = invented_catalog({"name": "store_fs_bytes", "type": "gauge", "labels": ["item"],
                        "label_values": {"item": ["usableSpace", "totalSpace"]}})
    rule = answered_rule(propose(catalog, "less than 10% usable store disk space remaining"))
    assert rule.expr.replace(" ", "") == (
        '(store_fs_bytes{item="usableSpace"}/ignoring(item)(store_fs_bytes{item="totalSpace"}>0))'
        '<0.1')


def test_a_label_the_intent_pins_is_no_split_of_parts() -> None:
    catalog = invented_catalog({"name": "tenant_quota", "type": "gauge", "labels": ["type"],
                        "label_values": {"type": ["hard", "used"]}})
    result = propose(catalog, "tenant quota usage above 90%", answers={"type": "used"})
    assert result.status is not Status.OK or "ignoring(type)" not in result.rules[0].expr


# --- healthy members of a total named like a counter ----------------------------------------------
def test_only_some_percent_of_members_healthy_is_healthy_of_the_total_below_it() -> None:
    catalog = invented_catalog({"name": "mesh_pool_membership_healthy"},
                       {"name": "mesh_pool_membership_total", "type": "counter"},
                       {"name": "mesh_pool_upstream_rq_total", "type": "counter"})
    rule = answered_rule(propose(
        catalog, "Only <value>% of mesh pool members are healthy (threshold: 75%)"))
    assert rule.expr.replace(" ", "") == (
        "(mesh_pool_membership_healthy/(mesh_pool_membership_total>0))<0.75")


def test_a_total_whose_help_counts_events_is_no_whole_of_members() -> None:
    catalog = invented_catalog({"name": "mesh_pool_membership_healthy", "type": "gauge"},
                       {"name": "mesh_pool_membership_total", "type": "counter",
                        "help": "Total number of membership changes."})
    result = propose(catalog, "fewer than 75% of mesh pool members are healthy")
    assert result.status is not Status.OK or "/" not in result.rules[0].expr


# --- things waiting in a queue --------------------------------------------------------------------
def test_some_requests_pending_are_counted_by_the_queue() -> None:
    catalog = invented_catalog({"name": "lbd_backend_current_queue"},
                       {"name": "lbd_backend_current_sessions"})
    expr = _top_expr(catalog, "Some lbd requests are pending on <proxy>")
    assert expr.replace(" ", "") == "lbd_backend_current_queue>0"


# --- CPUs in use ------------------------------------------------------------------------------------
def test_cpu_usage_in_cores_is_the_rate_of_cpu_time_summed_over_the_cpus() -> None:
    rule = answered_rule(propose(CONTAINERS, "cgroup CPU usage above 2 cores"))
    assert rule.expr.replace(" ", "") == (
        "sumwithout(cpu)(rate(cgroup_cpu_usage_seconds_total[5m]))>2")


def test_cores_in_use_of_time_split_by_mode_leave_out_idle() -> None:
    catalog = invented_catalog({"name": "host_cpu_seconds_total", "type": "counter",
                        "labels": ["cpu", "mode"]},
                       {"name": "host_cpu_count", "type": "gauge"})
    rule = answered_rule(propose(catalog, "host CPU usage above 3 cores"))
    assert rule.expr.replace(" ", "") == (
        'sumwithout(cpu,mode)(rate(host_cpu_seconds_total{mode!="idle"}[5m]))>3')


def test_how_many_cores_there_are_is_no_usage() -> None:
    catalog = invented_catalog({"name": "host_cpu_seconds_total", "type": "counter",
                        "labels": ["cpu", "mode"]},
                       {"name": "host_memory_bytes", "type": "gauge"})
    result = propose(catalog, "host has fewer than 4 cores")
    assert result.status is not Status.OK or "rate(" not in result.rules[0].expr


# --- the time an activity takes, as a share -------------------------------------------------------
RUNTIME = invented_catalog({"name": "vm_gc_pause_seconds", "type": "summary",
                    "help": "Time spent in garbage collection pauses."},
                   {"name": "vm_threads_current", "type": "gauge"})


def test_gc_time_above_a_percentage_is_the_seconds_it_sums_per_second() -> None:
    rule = answered_rule(propose(RUNTIME, "vm GC pause time above 10%"))
    assert rule.expr.replace(" ", "") == "rate(vm_gc_pause_seconds_sum[5m])>0.1"


def test_a_grown_gc_time_is_no_share_of_time() -> None:
    result = propose(RUNTIME, "vm GC pause time increased by 10%")
    assert result.status is not Status.OK or "_sum[5m])>0.1" not in result.rules[0].expr.replace(
        " ", "")


# --- a value other than the normal one, or outside the normal range --------------------------------
PROBES = invented_catalog({"name": "check_http_status_code", "type": "gauge", "labels": ["target"],
                   "help": "Response HTTP status code."},
                  {"name": "check_success", "type": "gauge", "labels": ["target"],
                   "help": "1 when the check succeeded."})


def test_a_status_code_not_in_a_range_is_below_or_above_it() -> None:
    rule = answered_rule(propose(PROBES, "check HTTP status code is not 200-399"))
    assert rule.expr.replace(" ", "") == (
        "check_http_status_code<200orcheck_http_status_code>399")


def test_a_value_outside_a_range_between_two_numbers() -> None:
    rule = answered_rule(propose(PROBES, "check HTTP status code outside 200-299"))
    assert "check_http_status_code < 200 or check_http_status_code > 299" in rule.expr


def test_a_status_code_that_is_not_200_is_any_other_code() -> None:
    rule = answered_rule(propose(PROBES, "check HTTP status code is not 200 for 5m"))
    assert rule.expr.replace(" ", "") == "check_http_status_code!=200"


def test_not_followed_by_an_amount_with_a_unit_is_no_value() -> None:
    assert _other_than("the check is not 5 minutes old") is None


# --- a unit stated inside the name ----------------------------------------------------------------
def test_seconds_inside_the_name_take_a_duration() -> None:
    catalog = invented_catalog({"name": "sqld_replica_seconds_behind_primary"},
                       {"name": "sqld_replica_io_running"})
    rule = answered_rule(propose(catalog, "sqld replica is more than 500ms behind primary"))
    assert rule.expr.replace(" ", "") == "sqld_replica_seconds_behind_primary>0.5"


# --- a share of another metric the intent names after "of" ----------------------------------------
def test_dead_tuples_as_a_share_of_live_tuples() -> None:
    catalog = invented_catalog({"name": "rdb_user_tables_n_dead_tup", "type": "gauge",
                        "labels": ["relname"]},
                       {"name": "rdb_user_tables_n_live_tup", "type": "gauge",
                        "labels": ["relname"]},
                       {"name": "rdb_user_tables_seq_scan", "type": "counter",
                        "labels": ["relname"]})
    expr = _top_expr(catalog, "rdb dead tuples more than 10% of live tuples")
    assert expr.replace(" ", "") == (
        "(rdb_user_tables_n_dead_tup/(rdb_user_tables_n_live_tup>0))>0.1")


def test_a_range_of_amounts_with_a_unit_is_no_range_of_values() -> None:
    assert _outside_range("the probe is not 5-10 minutes old") is None


# --- a stated share of the value's own limit metric -----------------------------------------------
def test_a_duration_above_a_share_of_its_scheduled_interval() -> None:
    catalog = invented_catalog({"name": "batch_job_last_duration_seconds", "type": "gauge",
                        "labels": ["job_name"]},
                       {"name": "batch_job_interval_seconds", "type": "gauge",
                        "labels": ["job_name"]},
                       {"name": "batch_job_runs_total", "type": "counter", "labels": ["job_name"]})
    rule = answered_rule(propose(catalog,
                                 "batch job duration above 80% of its scheduled interval"))
    assert rule.expr.replace(" ", "") == (
        "(batch_job_last_duration_seconds/(batch_job_interval_seconds>0))>0.8")


def test_a_threshold_note_after_usage_of_what_is_available_stays_an_upper_bound() -> None:
    threshold = extract_slots(
        "memory usage is <value>% of available (threshold: 90%)").threshold
    assert threshold is not None and threshold.comparator == ">"


def test_a_cpu_mode_the_listed_modes_do_not_have_is_never_selected() -> None:
    catalog = invented_catalog({"name": "hostx_cpu_seconds_total", "type": "counter",
                                "labels": ["cpu", "mode"],
                                "label_values": {"mode": ["idle", "user", "system"]}},
                               {"name": "hostx_memory_bytes", "type": "gauge"})
    result = propose(catalog, "host CPU steal above 10%")
    assert result.status is not Status.OK or 'mode="steal"' not in result.rules[0].expr


# --- errors of a whole no one counter holds -------------------------------------------------------
def _port_catalog() -> Catalog:
    kinds = {"Unicast": "which were not addressed to a group or flood address",
             "Group": "which were addressed to a group address",
             "Flood": "which were addressed to a flood address"}
    metrics: list[dict[str, object]] = [
        {"name": f"portRx{kind}Frames", "type": "counter", "labels": ["portName"],
         "help": f"The number of received frames {text}."}
        for kind, text in kinds.items()]
    metrics += [{"name": f"portTx{kind}Frames", "type": "counter", "labels": ["portName"],
                 "help": f"The number of sent frames {text}."} for kind, text in kinds.items()]
    metrics += [{"name": "portRxErrors", "type": "counter", "labels": ["portName"],
                 "help": "Received frames with errors."},
                {"name": "portTxErrors", "type": "counter", "labels": ["portName"],
                 "help": "Frames that could not be sent because of errors."}]
    return invented_catalog(*metrics)


def test_it_reads_a_receive_error_rate_as_errors_of_the_summed_received_frames() -> None:
    rule = answered_rule(propose(_port_catalog(),
                                 "Port <portName> has a receive error rate above 2%"))
    assert _families(rule) == {"portRxErrors", "portRxUnicastFrames", "portRxGroupFrames",
                               "portRxFloodFrames"}
    assert rule.expr.replace(" ", "").endswith(">0.02")


def test_it_reads_parts_without_a_help_naming_the_others_as_no_whole() -> None:
    catalog = invented_catalog(
        {"name": "portRxErrors", "type": "counter", "help": "Received frames with errors."},
        {"name": "portRxUnicastFrames", "type": "counter", "help": "Unicast frames received."},
        {"name": "portRxGroupFrames", "type": "counter", "help": "Group frames received."})
    plan = plan_candidates(GenerationRequest(
        intent="Port receive error rate above 2%", catalog=catalog))
    assert not any("portRxUnicastFrames" in c.expr and "portRxGroupFrames" in c.expr
                   for c in plan.candidates)


# --- a share of the sibling the intent names by what its help says ---------------------------------
def _runtime_memory() -> Catalog:
    return invented_catalog(
        {"name": "vm_mem_heap_live_bytes", "type": "gauge", "labels": ["job"],
         "help": "Bytes of live heap objects."},
        {"name": "vm_mem_heap_obtained_bytes", "type": "gauge", "labels": ["job"],
         "help": "Heap bytes obtained from the OS."},
        {"name": "vm_mem_stack_obtained_bytes", "type": "gauge", "labels": ["job"],
         "help": "Stack bytes obtained from the OS."},
        {"name": "vm_mem_sys_bytes", "type": "gauge", "labels": ["job"],
         "help": "Total bytes of memory obtained from the operating system."},
    )


def test_it_reads_most_of_the_reserved_memory_as_the_share_of_what_was_obtained_from_the_os(
) -> None:
    rule = answered_rule(propose(_runtime_memory(), "live heap is using most of the runtime's "
                                 "reserved memory (> 90%)"))
    assert _families(rule) == {"vm_mem_heap_live_bytes", "vm_mem_sys_bytes"}
    assert "job=" not in rule.expr  # "the runtime's" is a kind of thing, no job's name


def test_it_reads_a_share_of_memory_without_a_word_for_the_whole_as_no_help_named_share(
) -> None:
    plan = plan_candidates(GenerationRequest(
        intent="live heap is using most of the memory (> 90%)", catalog=_runtime_memory()))
    assert not any("vm_mem_sys_bytes" in c.expr for c in plan.candidates)
def test_the_count_of_observed_delays_is_no_occurrence_of_a_problem() -> None:
    catalog = invented_catalog(
        {"name": "work_queue_message_lag_seconds_count", "type": "unknown", "help": ""},
        {"name": "work_queue_message_lag_seconds_sum", "type": "unknown", "help": ""},
        {"name": "work_queue_ready_depth", "type": "unknown", "help": ""},
    )
    plan = plan_for("Work queue backing up: messages are delayed", catalog)
    assert not any("increase(work_queue_message_lag_seconds" in c.expr for c in plan.candidates)
