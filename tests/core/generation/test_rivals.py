"""Rivals the intent rules out (`assess`) and the more exact reading it names: a sibling of
another aspect, a limit that is only the whole of a rival share, a label value the title names,
a longer name whose extra word the intent says. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.generation.labelvalues import value_matchers
from monitorgen.core.generation.planner import (
    Plan,
    _absence_of_a_subset,
    _allowance_words,
    _class_unselected,
    _unsaid_setting,
    _whole_read_alone,
)
from monitorgen.core.generation.ranking import intent_terms, rank_metrics, without_asides
from monitorgen.core.generation.recipes import Candidate
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, plan_for, propose


def _rival_lead(plan: Plan) -> float:
    assert plan.confidence is not None
    return plan.confidence.lead


# --- a sibling of an aspect the intent does not name ----------------------------------------------
KEYSTORE = invented_catalog(
    {"name": "keystore_connected_clients", "type": "gauge", "help": "Client connections."},
    {"name": "keystore_connected_replicas", "type": "gauge", "help": "Attached replicas."},
    {"name": "keystore_keys", "type": "gauge", "help": "Keys stored."},
)


def test_connections_are_the_connected_clients_not_the_connected_replicas() -> None:
    plan = plan_for("Keystore few connections: keystore should have more than 5 connections",
                 KEYSTORE)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("keystore_connected_clients",)


def test_a_replica_intent_keeps_the_replicas_sibling() -> None:
    plan = plan_for("Keystore replicas lost: fewer than 2 connected replicas", KEYSTORE)
    assert plan.candidates[0].metrics == ("keystore_connected_replicas",)


def test_siblings_of_no_known_aspect_stay_rivals() -> None:
    catalog = invented_catalog({"name": "proxy_link_sent_bytes", "type": "counter"},
                       {"name": "proxy_link_received_bytes", "type": "counter"})
    plan = plan_for("Proxy high link usage: link usage exceeds 100MB/s", catalog)
    # Neither direction is picked over the other: the rule watches both (or the planner asks).
    assert plan.question is not None or set(plan.candidates[0].metrics) == {
        "proxy_link_sent_bytes", "proxy_link_received_bytes"}


# --- a limit that is the whole of a rival share ---------------------------------------------------
CACHE = invented_catalog(
    {"name": "cachesrv_memory_used_bytes", "type": "gauge", "help": "Memory in use."},
    {"name": "cachesrv_memory_max_bytes", "type": "gauge", "help": "Configured memory cap."},
    {"name": "cachesrv_connected_clients", "type": "gauge", "help": "Client connections."},
    {"name": "cachesrv_config_maxclients", "type": "gauge", "help": "Configured client cap."},
)


def test_a_rival_shares_limit_competes_only_through_that_share() -> None:
    plan = plan_for("Cache server out of configured maxmemory: cache server memory is above 90% "
                 "of its configured maxmemory", CACHE)
    best = plan.candidates[0]
    assert best.metrics == ("cachesrv_memory_used_bytes", "cachesrv_memory_max_bytes")
    share = next(c for c in plan.candidates if "cachesrv_config_maxclients" in c.metrics)
    # The lead is over that share, not over `maxclients` alone (no percentage by itself).
    assert abs(_rival_lead(plan) - (best.score - share.score)) < 1e-6


# --- a label value the title names ----------------------------------------------------------------
HOST = invented_catalog(
    {"name": "host_cpu_seconds_total", "type": "counter", "labels": ["cpu", "mode"],
     "help": "Seconds the CPUs spent in each mode."},
    {"name": "host_pressure_cpu_waiting_seconds_total", "type": "counter",
     "help": "Total time in seconds that processes have waited for CPU time."},
    {"name": "host_load1", "type": "gauge", "help": "1m load average."},
)


def test_the_title_picks_the_value_when_the_details_name_another() -> None:
    metric = HOST.family("host_cpu_seconds_total")
    assert metric is not None
    found = value_matchers(metric, "Host CPU high steal: CPU steal > 10%, while the CPU "
                                   "is otherwise idling")
    assert [m.value for m in found] == ["steal"]


def test_a_rival_without_the_named_cpu_mode_is_no_alternative() -> None:
    plan = plan_for("Host CPU high iowait: CPU iowait > 10%. The CPU is idling waiting for "
                 "storage to respond.", HOST)
    assert plan.question is None
    assert 'mode="iowait"' in plan.candidates[0].expr


# --- a longer name whose extra word the intent says -----------------------------------------------
PROBES = invented_catalog(
    {"name": "check_duration_seconds", "type": "gauge", "help": "How long the check took."},
    {"name": "check_icmp_duration_seconds", "type": "gauge", "help": "Duration of ICMP phases."},
    {"name": "check_dns_duration_seconds", "type": "gauge", "help": "Duration of DNS lookups."},
    {"name": "check_success", "type": "gauge", "help": "Whether the check succeeded."},
)


def test_a_ping_that_took_long_is_the_icmp_duration() -> None:
    plan = plan_for("Check slow ping: ping took more than 1s", PROBES)
    assert plan.candidates[0].metrics == ("check_icmp_duration_seconds",)


def test_a_slow_check_is_the_whole_duration() -> None:
    plan = plan_for("Check slow: the check took more than 1s", PROBES)
    assert plan.candidates[0].metrics == ("check_duration_seconds",)


# --- a clause that explains the alert -------------------------------------------------------------
SCHEDULER = invented_catalog(
    {"name": "sched_runs_skipped_total", "type": "counter", "help": "Runs skipped."},
    {"name": "sched_run_interval_seconds", "type": "gauge", "help": "Configured run interval."},
    {"name": "sched_run_duration_seconds", "type": "gauge", "help": "How long the last run took."},
)


def test_a_likely_cause_does_not_name_the_metric() -> None:
    plan = plan_for("Scheduler runs skipped: the scheduler skipped runs in the last 5 minutes, "
                 "usually caused by runs taking longer than their configured interval.",
                 SCHEDULER)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("sched_runs_skipped_total",)


def test_without_asides_keeps_the_title_and_what_is_measured() -> None:
    kept = without_asides("Disk full: disk usage above 90%, which may indicate a runaway log.")
    assert kept.startswith("Disk full: disk usage above 90%")
    assert "runaway" not in kept
    assert without_asides("Drops: packets dropped due to policy denial") == (
        "Drops: packets dropped due to policy denial")


def test_a_symptom_clause_does_not_name_the_metric() -> None:
    kept = without_asides("Query overload: queries are queued. This may be a symptom of "
                          "failures within the store.")
    assert "failures" not in kept


# --- a limit read where the intent speaks of the value ----------------------------------------------
DATABASE = invented_catalog(
    {"name": "db_settings_max_connections", "type": "gauge", "help": "Configured limit."},
    {"name": "db_settings_reserved_connections", "type": "gauge", "help": "Reserved slots."},
    {"name": "db_up", "type": "gauge", "help": "Whether the database is reachable."},
)


def _reads_unsaid_limit(intent: str, name: str) -> bool:
    scored = next(m for m in rank_metrics(intent, DATABASE) if m.name == name)
    return _unsaid_setting([scored], intent_terms(intent))


def test_a_connection_limit_alone_does_not_count_connections() -> None:
    # "should have more connections" is about open connections, which this catalog lacks.
    assert _reads_unsaid_limit("Database few connections: the database should have more "
                               "than 5 connections", "db_settings_max_connections")
    plan = plan_for("Database few connections: the database should have more than 5 connections",
                 DATABASE)
    assert plan.question is not None


def test_a_limit_the_intent_names_is_read_with_confidence() -> None:
    assert not _reads_unsaid_limit("Database max connections low: max connections is set "
                                   "below 50", "db_settings_max_connections")
    plan = plan_for("Database max connections low: max connections is set below 50", DATABASE)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("db_settings_max_connections",)


def test_a_maximum_after_the_subject_is_a_statistic_not_a_limit() -> None:
    catalog = invented_catalog({"name": "mq_oldest_message_age_maximum", "type": "gauge"})
    metric = catalog.family("mq_oldest_message_age_maximum")
    assert metric is not None
    assert not _allowance_words(metric)


# --- a count of things is no amount in bytes ------------------------------------------------------
RUNTIME = invented_catalog(
    {"name": "rt_stack_inuse_bytes", "type": "gauge", "help": "Bytes of stack memory in use."},
    {"name": "rt_threads", "type": "gauge", "help": "Number of threads that currently exist."},
    {"name": "rt_heap_inuse_bytes", "type": "gauge", "help": "Bytes of heap memory in use."},
)


def test_a_count_of_threads_is_no_rival_for_an_amount_of_memory() -> None:
    plan = plan_for("Runtime stack memory high: stack memory usage is high (> 1GB), with many "
                 "threads", RUNTIME)
    assert plan.candidates[0].metrics == ("rt_stack_inuse_bytes",)
    assert plan.confidence is not None
    best = plan.candidates[0].score
    heap = next(c.score for c in plan.candidates if c.metrics == ("rt_heap_inuse_bytes",))
    # The lead is over the heap (another amount of memory), not over the threads.
    assert plan.confidence.lead >= min(best - heap, 3.0) - 1e-9


# --- the title says what the alert is about -------------------------------------------------------
SEARCH = invented_catalog(
    {"name": "search_collections_replica_state", "type": "gauge",
     "help": "State of each replica of a collection."},
    {"name": "search_core_update_handler_errors_total", "type": "counter",
     "help": "Errors of the update handler."},
    {"name": "search_core_requests_total", "type": "counter", "help": "Requests served."},
)


def test_the_title_subject_leads_over_a_metric_the_details_brought_up() -> None:
    plan = plan_for("Search update errors: search collection <collection> has failed updates "
                 "for replica <replica> of the collection", SEARCH)
    assert plan.candidates[0].metrics == ("search_core_update_handler_errors_total",)


def test_a_rival_that_says_nothing_of_the_title_is_no_alternative() -> None:
    plan = plan_for("Search update errors: search collection <collection> has failed updates "
                 "for replica <replica> of the collection", SEARCH)
    assert plan.question is None


def test_the_sensor_kind_the_title_names_decides_over_any_sensor() -> None:
    # "current" is a stop word of the title, but `amp_current_state` spells it as its subject:
    # "current sensor warning" is that sensor's state, not the state of any sensor (whose own
    # word, "sensor", every help here says).
    states = "(0=nominal, 1=warning, 2=critical)"
    catalog = invented_catalog(
        {"name": "amp_sensor_state", "type": "gauge", "help": f"State of a sensor {states}."},
        {"name": "amp_current_state", "type": "gauge",
         "help": f"State of a current sensor {states}."},
        {"name": "amp_voltage_state", "type": "gauge",
         "help": f"State of a voltage sensor {states}."},
        {"name": "amp_fan_speed_state", "type": "gauge", "help": "State of a fan sensor."},
        {"name": "amp_up", "type": "gauge", "help": "Whether the amp collector is up."},
    )
    plan = plan_for("Amp current sensor warning: amp current sensor <name> is in warning state",
                 catalog)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("amp_current_state",)


# --- how often, not what it is now ----------------------------------------------------------------
PODS = invented_catalog(
    {"name": "kube_pod_container_status_last_terminated_reason", "type": "gauge",
     "labels": ["pod", "container", "reason"],
     "help": "Describes the last reason the container was in terminated state."},
    {"name": "kube_pod_container_status_restarts_total", "type": "counter",
     "labels": ["pod", "container"], "help": "The number of container restarts."},
)


def test_times_in_a_window_are_not_read_from_the_last_termination_reason() -> None:
    plan = plan_for("Container OOM killed: container <container> has been OOMKilled 3 times in the "
                 "last 10 minutes", PODS)
    assert all(c.family != "state" for c in plan.candidates)


def test_the_last_termination_reason_answers_what_happened_last() -> None:
    plan = plan_for("Container OOM killed: the container was OOMKilled", PODS)
    assert plan.candidates[0].family == "state"
    assert 'reason="OOMKilled"' in plan.candidates[0].expr


# --- a status class the rule does not select ------------------------------------------------------
def _candidate(expr: str) -> Candidate:
    return Candidate("threshold", expr, (expr.split(" ")[0].split("(")[-1].split("[")[0],), 1.0)


def test_every_error_is_a_weaker_reading_of_a_5xx_rate() -> None:
    text = "5xx error rate above 5%"
    assert _class_unselected(_candidate("rate(fn_errors_total[5m]) / rate(fn_calls_total[5m])"
                                        " > 0.05"), text)
    assert not _class_unselected(_candidate('rate(web_requests_total{code=~"5.."}[5m]) > 1'),
                                 text)
    assert not _class_unselected(_candidate("rate(lb_httpcode_elb_5_xx_count[5m]) > 1"), text)
    assert not _class_unselected(_candidate("rate(fn_errors_total[5m]) > 1"), "errors above 5")


def test_the_whole_of_a_share_alone_is_no_share_of_it() -> None:
    text = "Resource usage exceeds 90% of its allocation"
    assert _whole_read_alone(_candidate("placement_resource_allocation_ratio > 0.9"), text)
    assert not _whole_read_alone(_candidate("placement_used_allocation_percent > 90"), text)
    assert not _whole_read_alone(_candidate("placement_resource_usage > 90"), text)


def test_many_pending_tasks_without_a_number_is_a_level_to_ask_for() -> None:
    catalog = invented_catalog({"name": "db_table_pending_compactions", "type": "gauge",
                        "help": "Estimated number of compactions pending."},
                       {"name": "db_table_live_bytes", "type": "gauge", "help": "Bytes live."})
    result = propose(catalog, "Db many compaction tasks are pending: many db compaction tasks "
                              "are pending")
    assert result.status is not Status.OK
    assert any("threshold" in q.text.lower() or "level" in q.text.lower()
               or "value" in q.text.lower() for q in result.questions)


def test_a_share_of_inodes_is_read_from_the_inode_pair() -> None:
    catalog = invented_catalog(
        {"name": "node_fs_avail_bytes", "type": "gauge"},
        {"name": "node_fs_size_bytes", "type": "gauge"},
        {"name": "node_fs_files_free", "type": "gauge", "help": "Free file nodes."},
        {"name": "node_fs_files", "type": "gauge", "help": "Total file nodes."},
        {"name": "node_procs_running", "type": "gauge", "help": "Running processes."},
    )
    plan = plan_for("Host out of inodes: disk is almost running out of available inodes "
                 "(< 10% left)", catalog)
    assert set(plan.candidates[0].metrics) == {"node_fs_files_free", "node_fs_files"}


def test_no_warnings_is_no_sign_that_nothing_ran() -> None:
    catalog = invented_catalog(
        {"name": "ruler_evaluation_with_warnings_total", "type": "counter",
         "help": "Rule evaluations that returned warnings."},
        {"name": "ruler_loaded_rules", "type": "gauge", "help": "Rules loaded."},
    )
    text = "Ruler no rule evaluations: the ruler did not perform any rule evaluations in 10m"
    plan = plan_for(text, catalog)
    best = plan.candidates[0]
    assert best.expr.replace(" ", "").endswith("==0")
    primary = next(m for m in plan.context.metrics if m.name == best.metrics[0])
    assert _absence_of_a_subset(best, primary)
    assert plan.question is not None


# --- evidence that settles a reading the logistic model alone left in doubt ----------------------
def test_a_label_of_a_flag_names_the_title_subject_a_rival_says_nothing_of() -> None:
    # "collector" is the label `crawler_up` is split by, and "down" is the flag's opposite: the
    # sensor state says neither.
    catalog = invented_catalog(
        {"name": "crawler_up", "type": "gauge", "labels": ["collector"],
         "help": "'1' if a scrape of the crawler device was successful, '0' otherwise."},
        {"name": "crawler_sensor_state", "type": "gauge", "labels": ["id", "name"],
         "help": "State of a crawler sensor (0=ok, 1=warning, 2=critical)."},
        {"name": "crawler_power_state", "type": "gauge", "labels": ["id", "name"],
         "help": "State of a power sensor."},
    )
    result = propose(catalog, "Crawler collector down: crawler collector <collector> on "
                              "<instance> failed to scrape sensor data")
    assert answered_rule(result).expr == "crawler_up == 0"


def test_a_rival_that_shares_only_its_products_name_and_the_flag_word_is_no_alternative() -> None:
    # The reload flag says "gadget" (its namespace) and "successful" (which `probe_success`
    # says too), and more the intent never says.
    catalog = invented_catalog(
        {"name": "probe_success", "type": "gauge", "help": "Whether the probe was a success"},
        {"name": "gadget_exporter_config_last_reload_successful", "type": "gauge",
         "help": "Gadget exporter config loaded successfully."},
        {"name": "probe_duration_seconds", "type": "gauge", "help": "How long the probe took."},
        {"name": "probe_http_duration_seconds", "type": "gauge", "labels": ["phase"],
         "help": "Duration of the http request by phase"},
    )
    plan = plan_for("Gadget probe failed: Probe failed", catalog)
    assert plan.candidates[0].expr == "probe_success == 0"
    assert _rival_lead(plan) >= 3.0


def test_a_count_of_processes_is_no_rival_for_a_share_of_file_descriptors() -> None:
    catalog = invented_catalog(
        {"name": "pool_group_worst_fd_ratio", "type": "gauge", "labels": ["group"],
         "help": "The worst ratio between open fds and max fds among the processes of the group"},
        {"name": "pool_group_num_procs", "type": "gauge", "labels": ["group"],
         "help": "number of processes in this group"},
    )
    result = propose(catalog, "Pool high file descriptor usage: process group <group> is using "
                              "more than 80% of its file descriptors")
    assert flat(answered_rule(result).expr) == "pool_group_worst_fd_ratio>0.8"


def test_not_backed_up_for_two_days_is_the_age_of_the_last_save() -> None:
    catalog = invented_catalog(
        {"name": "cache_rdb_last_save_timestamp_seconds", "type": "gauge"},
        {"name": "cache_instance_info", "type": "gauge", "labels": ["role"]},
        {"name": "cache_up", "type": "gauge"},
    )
    plan = plan_for("Cache missing backup: the cache has not been backed up for 48 hours", catalog)
    assert plan.question is None
    assert plan.candidates[0].expr == "time() - cache_rdb_last_save_timestamp_seconds > 172800"


def test_a_configured_maximum_is_no_rival_for_the_memory_in_use() -> None:
    # `brokerd_varz` is the prefix every name shares: `brokerd_varz_mem` is as explained as a
    # name here can be, and the stream's stats and configured maximum only add unsaid words.
    catalog = invented_catalog(
        {"name": "brokerd_varz_mem", "type": "gauge"},
        {"name": "brokerd_varz_stream_stats_memory", "type": "gauge"},
        {"name": "brokerd_varz_stream_config_max_memory", "type": "gauge"},
    )
    result = propose(catalog, "Brokerd high memory usage: brokerd server memory usage is above "
                              "200MB for <instance>")
    assert flat(answered_rule(result).expr) == "brokerd_varz_mem>200000000"


def test_out_of_disk_space_is_read_from_bytes_not_from_a_count_of_inodes() -> None:
    catalog = invented_catalog(
        {"name": "kubelet_volume_stats_available_bytes", "type": "gauge"},
        {"name": "kubelet_volume_stats_capacity_bytes", "type": "gauge"},
        {"name": "kubelet_volume_stats_inodes_free", "type": "gauge"},
        {"name": "kubelet_volume_stats_inodes", "type": "gauge"},
        {"name": "kube_pod_info", "type": "gauge", "labels": ["pod", "namespace"]},
    )
    result = propose(catalog, "Volume out of disk space: volume is almost full (< 10% left)")
    assert flat(answered_rule(result).expr) == (
        "(kubelet_volume_stats_available_bytes/(kubelet_volume_stats_capacity_bytes>0))<0.1")


def test_a_count_of_ios_in_progress_is_no_rival_for_the_share_of_time_a_disk_is_busy() -> None:
    # "The number of I/Os currently in progress" is a count, never "80%"; the seconds spent
    # doing I/Os per second are a share of the time.
    catalog = invented_catalog(
        {"name": "box_disk_io_time_seconds_total", "type": "counter", "labels": ["device"],
         "help": "Total seconds spent doing I/Os."},
        {"name": "box_disk_io_now", "type": "gauge", "labels": ["device"],
         "help": "The number of I/Os currently in progress."},
        {"name": "box_disk_reads_completed_total", "type": "counter", "labels": ["device"],
         "help": "Reads completed."},
    )
    result = propose(catalog, "Box unusual disk IO: disk usage > 80%")
    assert flat(answered_rule(result).expr) == "rate(box_disk_io_time_seconds_total[5m])>0.8"


def test_an_info_metric_is_no_rival_for_more_than_five_connections() -> None:
    # An info metric is always 1: "should have more connections (> 5)" counts clients.
    catalog = invented_catalog(
        {"name": "kvdb_connected_replicas", "type": "gauge", "help": "Connected replicas."},
        {"name": "kvdb_connected_clients", "type": "gauge", "help": "Connected clients."},
        {"name": "kvdb_instance_info", "type": "gauge", "labels": ["role", "version"],
         "help": "Information about the instance."},
        {"name": "kvdb_rejected_connections_total", "type": "counter",
         "help": "Connections rejected."},
    )
    result = propose(catalog, "Kvdb not enough connections: Kvdb instance should have more "
                              "connections (> 5)")
    assert flat(answered_rule(result).expr) == "kvdb_connected_clients<=5"
PACKER = invented_catalog(
    {"name": "arc_ingester_tsdb_compactions_failed_total", "type": "counter",
     "help": "Compactions of the ingester's local database that failed."},
    {"name": "arc_compactor_runs_failed_total", "type": "counter",
     "help": "Compactor runs that failed."},
    {"name": "arc_compactor_blocks_marked_for_deletion_total", "type": "counter",
     "help": "Blocks the compactor marked for deletion."},
    {"name": "arc_compactor_last_successful_run_timestamp_seconds", "type": "gauge",
     "help": "When the compactor last ran successfully."},
    {"name": "arc_ingester_memory_series", "type": "gauge", "help": "Series in memory."},
)


def test_a_title_word_most_names_share_still_decides_against_the_one_without_it() -> None:
    # "compactor" is in most names, yet the ingester's compactions are not the compactor's.
    plan = plan_for("Archive compactor keeps failing: the compactor on <instance> had "
                    "<value> compaction failures in the last hour", PACKER)
    assert plan.candidates[0].metrics == ("arc_compactor_runs_failed_total",)


SIGNUP = invented_catalog(
    {"name": "idp_failed_login_attempts", "type": "counter",
     "help": "Failed login attempts."},
    {"name": "idp_logins", "type": "counter", "help": "Logins."},
    {"name": "idp_registrations_errors", "type": "counter", "help": "Failed registrations."},
    {"name": "idp_registrations", "type": "counter", "help": "Registrations."},
)


def test_a_share_the_title_names_leads_over_one_with_a_word_the_intent_never_says() -> None:
    # The details' "attempts are failing" spell most of `failed_login_attempts`, but nobody
    # spoke of logins: the title's registrations are the subject.
    plan = plan_for("IdP high registration failure rate: over 10% of registration attempts "
                    "fail for tenant <tenant>", SIGNUP)
    assert plan.candidates[0].metrics == ("idp_registrations_errors", "idp_registrations")


RULER = invented_catalog(
    {"name": "ruler_rule_evaluation_with_warnings_total", "type": "counter",
     "help": "Rule evaluations that returned warnings."},
    {"name": "ruler_loaded_rules", "type": "gauge", "help": "Rules loaded."},
    # The ruler embeds a query engine that exposes its metrics under its own namespace.
    {"name": "engine_rule_evaluations_total", "type": "counter", "help": "Rule evaluations."},
    {"name": "engine_rule_evaluation_failures_total", "type": "counter",
     "help": "Rule evaluations that failed."},
    {"name": "engine_rule_group_last_duration_seconds", "type": "gauge",
     "help": "Duration of the last evaluation of a rule group."},
    {"name": "engine_queries_total", "type": "counter", "help": "Queries."},
    {"name": "engine_query_duration_seconds", "type": "histogram", "help": "Query latency."},
    {"name": "engine_notifications_sent_total", "type": "counter", "help": "Notifications."},
    {"name": "engine_config_last_reload_successful", "type": "gauge", "help": "Reload ok."},
)


def test_a_name_with_a_kind_the_intent_never_asked_for_yields_to_the_plain_one() -> None:
    # Evaluations "with warnings" are a kind of evaluation; the intent counts all of them.
    plan = plan_for("Rule evaluations stopped: ruler <instance> performed no rule evaluations "
                    "in the past 15 minutes", RULER)
    assert plan.candidates[0].metrics == ("engine_rule_evaluations_total",)


def test_a_cluster_named_by_its_placeholder_does_not_pull_the_cluster_status() -> None:
    catalog = invented_catalog(
        {"name": "store_cluster_status", "type": "gauge", "help": "Cluster health."},
        {"name": "store_os_cpu_percent", "type": "gauge", "help": "OS CPU usage."},
        {"name": "store_process_cpu_percent", "type": "gauge", "help": "Process CPU usage."},
        {"name": "store_fs_available_bytes", "type": "gauge", "help": "Free disk."},
        {"name": "store_cluster_shards_active_percent", "type": "gauge",
         "help": "Active shards."},
        {"name": "store_cluster_pending_tasks", "type": "gauge", "help": "Pending tasks."},
    )
    plan = plan_for("Store host CPU high: system CPU usage on store node <node> (cluster "
                    "<cluster>) is above 90%", catalog)
    assert "cpu" in plan.context.metrics[0].name


# --- rivals a reordering overtook for a stated reason ---------------------------------------------
def test_it_answers_the_registration_failure_share_without_counting_the_login_failures() -> None:
    # The failed logins outscore the registrations on the details' words, but the title's
    # subject is registrations and nobody spoke of logins: no rival left to ask about.
    rule = answered_rule(propose(SIGNUP, "IdP high registration failure rate: over 10% of "
                                         "registration attempts fail for tenant <tenant>"))
    assert "idp_registrations_errors" in rule.expr and "login" not in rule.expr


def test_it_answers_no_rule_evaluations_with_the_plain_counter_of_another_namespace() -> None:
    # `ruler_rule_evaluation_with_warnings_total` is the plain name plus a kind nobody asked
    # for; the namespace `engine_` qualifies nothing, so "none counted" is the whole.
    rule = answered_rule(propose(RULER, "Rule evaluations stopped: ruler <instance> performed "
                                        "no rule evaluations in the past 15 minutes"))
    assert flat(rule.expr) == "increase(engine_rule_evaluations_total[15m])==0"


CLOUD = invented_catalog(
    {"name": "cloud_compute_limits_cores_max", "type": "gauge", "help": "Cores quota of a tenant."},
    {"name": "cloud_compute_limits_cores_used", "type": "gauge",
     "help": "Cores a tenant uses of its quota."},
    {"name": "cloud_compute_cores_available", "type": "gauge", "help": "Cores available on a host."},
    {"name": "cloud_compute_cores_used", "type": "gauge", "help": "Cores used on a host."},
    {"name": "cloud_compute_running_vms", "type": "gauge", "help": "Running VMs."},
)


def test_it_reads_a_tenants_quota_as_no_rival_of_a_hosts_cores_usage() -> None:
    # "limits" narrows the cores to a quota, which the intent never mentions.
    rule = answered_rule(propose(CLOUD, "Cloud hypervisor high cores usage: hypervisor "
                                        "<hostname> cores usage is above 90%"))
    assert "limits" not in rule.expr and "cloud_compute_cores_used" in rule.expr


def test_a_title_word_both_names_spell_does_not_vouch_for_the_rivals_own_word() -> None:
    # "threads" stands for connections too, but it is spelled by both names: `connected` is
    # the rival's own word, and the title says `running`.
    catalog = invented_catalog(
        {"name": "db_global_status_threads_running", "type": "gauge", "help": "Threads running."},
        {"name": "db_global_status_threads_connected", "type": "gauge",
         "help": "Threads connected."},
        {"name": "db_global_variables_max_connections", "type": "gauge",
         "help": "Max connections."},
        {"name": "db_replica_status_sql_running", "type": "gauge",
         "help": "Replica SQL thread running."},
        {"name": "db_global_status_queries", "type": "counter", "help": "Statements executed."},
    )
    plan = plan_for("DB high threads running: more than 60% of DB connections are in running "
                    "state on <instance>", catalog)
    assert plan.candidates[0].metrics[0] == "db_global_status_threads_running"
    assert _rival_lead(plan) > 2.0
def test_instances_in_an_error_state_lead_with_the_status_that_selects_it_over_a_quota() -> None:
    catalog = invented_catalog(
        {"name": "cloud_compute_limits_instances_used", "type": "gauge",
         "help": "Instances used by the tenant.", "labels": ["tenant"]},
        {"name": "cloud_compute_limits_instances_max", "type": "gauge",
         "help": "Most instances the tenant may use.", "labels": ["tenant"]},
        {"name": "cloud_compute_server_status", "type": "gauge", "help": "server_status",
         "labels": ["id", "name", "status"]},
        {"name": "cloud_compute_vcpus_used", "type": "gauge", "help": "vCPUs used."},
    )
    plan = plan_for("Cloud compute instances in ERROR state: <value> compute instances are in "
                    "ERROR state", catalog)
    best = plan.candidates[0]
    assert best.metrics == ("cloud_compute_server_status",)
    assert "status=~" in flat(best.expr)


# --- a duration nobody asked about -----------------------------------------------------------------
BALANCER = invented_catalog(
    {"name": "lbcloud_balancer_unhealthy_host_count_average", "type": "gauge"},
    {"name": "lbcloud_balancer_target_response_time_average", "type": "gauge"},
    {"name": "lbcloud_balancer_request_count_sum", "type": "gauge"},
)


def test_unhealthy_targets_are_no_response_time_of_the_targets() -> None:
    plan = plan_for("Balancer unhealthy targets: balancer <name> has <value> unhealthy target(s) "
                    "in target group <group>.", BALANCER)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("lbcloud_balancer_unhealthy_host_count_average",)


def test_a_window_in_minutes_says_nothing_of_a_duration() -> None:
    plan = plan_for("Balancer unhealthy targets: balancer <name> had <value> unhealthy target(s) "
                    "in the last 10 minutes.", BALANCER)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("lbcloud_balancer_unhealthy_host_count_average",)


def test_a_duration_stays_a_rival_when_the_intent_speaks_of_time() -> None:
    plan = plan_for("Balancer slow unhealthy targets: balancer <name> has <value> slow unhealthy "
                    "target(s) in target group <group>.", BALANCER)
    assert plan.question is not None


# --- two liveness flags of one thing -------------------------------------------------------------
QUEUEBROKER = invented_catalog(
    {"name": "mqbroker_up", "type": "gauge", "help": "Whether the broker node is up."},
    {"name": "mqbroker_running", "type": "gauge", "help": "Whether the broker node is running."},
    {"name": "mqbroker_node_mem_used", "type": "gauge", "help": "Memory used by the node."},
    {"name": "mqbroker_node_mem_limit", "type": "gauge", "help": "Memory limit of the node."},
)


def test_a_node_down_is_read_from_either_liveness_flag_so_the_twin_is_no_rival() -> None:
    plan = plan_for("Broker down: broker node down", QUEUEBROKER)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("mqbroker_up",)


def test_nodes_running_are_read_from_either_liveness_flag_so_the_twin_is_no_rival() -> None:
    plan = plan_for("Broker cluster down: less than 3 nodes running in the broker cluster",
                    QUEUEBROKER)
    assert plan.question is None
    assert "mqbroker_running" in flat(plan.candidates[0].expr)
