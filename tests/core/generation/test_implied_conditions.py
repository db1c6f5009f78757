"""Intents whose words imply the condition without a number: a value against a limit the
intent names, things marked as the state a gauge is named for, members that disagree on a
count. Catalogs here are invented for the tests."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog, Metric
from monitorgen.core.generation.naming import is_configured_timeout
from monitorgen.core.generation.planner import plan_candidates
from monitorgen.core.generation.result import GenerationRequest, Status
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, propose


def _scheduler() -> Catalog:
    return invented_catalog(
        {"name": "cron_task_runs_total", "type": "counter", "help": "Task runs.",
         "labels": ["task"]},
        {"name": "cron_task_run_duration_seconds", "type": "summary",
         "help": "Duration of task runs.", "labels": ["task"]},
        {"name": "cron_task_runs_missed_total", "type": "counter",
         "help": "Task runs skipped because the previous one was still running.",
         "labels": ["task"]},
        {"name": "cron_task_group_last_duration_seconds", "type": "gauge",
         "help": "How long the last run of the task group took.", "labels": ["task"]},
        {"name": "cron_task_group_interval_seconds", "type": "gauge",
         "help": "How often the task group is scheduled.", "labels": ["task"]},
    )


# --- a value against a limit the intent names -------------------------------------------------
def test_a_task_run_taking_longer_than_its_interval_compares_the_two_metrics() -> None:
    rule = answered_rule(propose(_scheduler(), "Cron task run slow: the task run took more time "
                                 "than the scheduled interval."))
    assert flat(rule.expr) == ("cron_task_group_last_duration_seconds>"
                                "cron_task_group_interval_seconds")


def test_a_comparison_in_a_cause_clause_is_not_the_problem() -> None:
    rule = answered_rule(propose(_scheduler(), "Cron task group runs missed: <value> cron task "
                                 "runs missed because the task group duration was longer than "
                                 "the interval."))
    assert flat(rule.expr) == "increase(cron_task_runs_missed_total[5m])>0"


def test_a_usual_cause_is_not_compared_even_when_its_metrics_rank_high() -> None:
    result = propose(_scheduler(), "Cron task group runs missed: <value> cron task runs missed, "
                     "usually caused by the task group last duration being longer than the "
                     "interval.")
    assert not any(">cron_task_group_interval_seconds" in flat(rule.expr)
                   for rule in result.rules)


# --- things marked as a state --------------------------------------------------------------------
def test_things_marked_as_the_state_a_gauge_is_named_for_are_above_zero() -> None:
    catalog = invented_catalog(
        {"name": "mesh_links_flaky", "type": "gauge", "help": ""},
        {"name": "mesh_links_down", "type": "gauge", "help": ""},
        {"name": "mesh_up", "type": "gauge", "help": ""},
    )
    rule = answered_rule(propose(catalog, "Mesh links flaky: some uplink ports of the mesh are "
                                 "tentatively marked as FLAKY, an early sign of trouble."))
    assert flat(rule.expr) == "mesh_links_flaky>0"


# --- members that disagree -----------------------------------------------------------------------
def _gossip(labels: list[str] | None = None) -> Catalog:
    return invented_catalog(
        {"name": "gossip_node_peers", "type": "gauge", "help": "Peers this node sees.",
         "labels": labels or []},
        {"name": "gossip_node_health_score", "type": "gauge", "help": "Gossip health score."},
        {"name": "gossip_messages_sent_total", "type": "counter", "help": "Messages sent."},
    )


# The catalog lists no labels for the gauge: each member's series (perhaps split by a `state`
# nobody listed) are summed before members are compared.
_PER_MEMBER = ("max by (job) (sum by (instance, job) (gossip_node_peers)) != "
               "min by (job) (sum by (instance, job) (gossip_node_peers))")


def test_nodes_reporting_a_different_number_of_peers_compare_max_and_min_per_job() -> None:
    rule = answered_rule(propose(_gossip(), "Gossip cluster split: nodes report a different "
                                 "number of peers."))
    assert rule.expr == _PER_MEMBER


def test_inconsistent_counts_across_instances_compare_max_and_min_per_job() -> None:
    rule = answered_rule(propose(_gossip(), "Gossip peers inconsistent: the gossip node peer "
                                 "counts are inconsistent across instances."))
    assert rule.expr == _PER_MEMBER


def test_a_count_with_listed_labels_compares_each_member_as_it_is() -> None:
    rule = answered_rule(propose(_gossip(["cluster"]), "Gossip cluster split: nodes report a "
                                 "different number of peers."))
    assert rule.expr == ("max by (cluster, job) (gossip_node_peers) != "
                         "min by (cluster, job) (gossip_node_peers)")


def test_a_count_split_by_state_is_not_compared_across_members() -> None:
    result = propose(_gossip(["state"]), "Gossip cluster split: nodes report a different "
                     "number of peers.")
    assert result.status is not Status.OK or "max by" not in result.rules[0].expr


# --- the age of the act that stopped ---------------------------------------------------------------
def _archiver() -> Catalog:
    return invented_catalog(
        {"name": "archiver_compact_halted", "type": "gauge",
         "help": "Set to 1 if the archiver compactor halted due to an unexpected error."},
        {"name": "archiver_compact_runs_total", "type": "counter", "help": "Compaction runs."},
        {"name": "archiver_compact_last_successful_run_timestamp_seconds", "type": "gauge",
         "help": "Unix time of the last successful compaction run."},
        {"name": "objstore_bucket_last_successful_upload_time", "type": "gauge",
         "help": "Second timestamp of the last successful upload."},
        {"name": "objstore_bucket_operations_total", "type": "counter",
         "help": "Operations against the bucket.", "labels": ["operation"]},
    )


def test_not_having_uploaded_for_a_day_is_the_age_of_the_last_successful_upload() -> None:
    rule = answered_rule(propose(_archiver(), "Archiver compact stalled: the archiver "
                                 "compact job has not uploaded anything for 24 hours."))
    assert flat(rule.expr) == "time()-objstore_bucket_last_successful_upload_time>86400"


def test_the_act_that_stopped_picks_its_timestamp_over_another_acts() -> None:
    rule = answered_rule(propose(_archiver(), "Archiver compactor runs without uploads: the "
                                 "archiver compactor last successful run has not uploaded any "
                                 "compacted block in the last 24 hours."))
    assert flat(rule.expr) == "time()-objstore_bucket_last_successful_upload_time>86400"


def test_without_a_negated_act_the_timestamps_stay_rivals() -> None:
    result = propose(_archiver(), "Archiver compactor stale: the archiver compactor last "
                     "success is older than 24 hours.")
    assert result.status is not Status.OK or "upload" not in result.rules[0].expr


def test_members_that_disagree_are_read_in_several_phrasings() -> None:
    want = _PER_MEMBER
    for intent in ("Gossip peer count differs between nodes: gossip node peers differ between "
                   "the nodes of the cluster.",
                   "Gossip nodes disagree: gossip nodes disagree on the number of peers.",
                   "Gossip peers: the gossip node peer count is not the same on all nodes."):
        assert answered_rule(propose(_gossip(), intent)).expr == want, intent


def test_the_age_of_the_act_that_stopped_beats_a_count_named_for_the_act() -> None:
    catalog = invented_catalog(
        {"name": "gateway_bucket_tenants_synced", "type": "gauge",
         "help": "Number of tenants synced."},
        {"name": "gateway_bucket_blocks_last_successful_sync_timestamp_seconds", "type": "gauge",
         "help": "Unix timestamp of the last successful blocks sync."},
    )
    rule = answered_rule(propose(catalog, "Gateway has not synced bucket: the gateway "
                                 "has not synced the bucket for more than 30 minutes."))
    assert flat(rule.expr) == ("time()-gateway_bucket_blocks_last_successful_sync_timestamp_"
                                "seconds>1800")


def test_blocks_not_shipped_are_the_age_of_the_last_successful_upload() -> None:
    catalog = invented_catalog(
        {"name": "tsdb_ingester_ingested_samples_total", "type": "counter",
         "help": "Samples ingested."},
        {"name": "tsdb_ingester_wal_writes_failed_total", "type": "counter",
         "help": "Failed WAL writes."},
        {"name": "tsdb_ingester_shipper_last_successful_upload_timestamp_seconds",
         "type": "gauge", "help": "Unix time of the last successful block upload."},
    )
    rule = answered_rule(propose(catalog, "Ingester not shipping blocks: the ingester has not "
                                 "shipped any block to object storage in the last 4 hours "
                                 "despite ingesting samples."))
    assert flat(rule.expr) == ("time()-tsdb_ingester_shipper_last_successful_upload_timestamp_"
                                "seconds>14400")


def test_the_age_of_the_last_backup_leads_over_a_flag_for_not_backed_up() -> None:
    catalog = invented_catalog(
        {"name": "kvstore_up", "type": "gauge", "help": ""},
        {"name": "kvstore_rdb_last_save_timestamp_seconds", "type": "gauge",
         "help": "Unix time of the last backup save."},
        {"name": "kvstore_memory_used_bytes", "type": "gauge", "help": "Memory used."},
    )
    intent = "Kvstore missing backup: kvstore has not been backed up for 48 hours"
    # "backed up" is no target being up: the last save's age leads (asked about, or answered).
    best = plan_candidates(GenerationRequest(intent=intent, catalog=catalog)).candidates[0]
    assert flat(best.expr) == "time()-kvstore_rdb_last_save_timestamp_seconds>172800"
    assert not any("kvstore_up" in rule.expr for rule in propose(catalog, intent).rules)


# --- limits named as a timeout, a watermark -------------------------------------------------------
def test_a_run_taking_longer_than_its_timeout_compares_with_the_timeout_metric() -> None:
    catalog = invented_catalog(
        {"name": "batch_job_last_duration_seconds", "type": "gauge",
         "help": "How long the last run took."},
        {"name": "batch_job_timeout_seconds", "type": "gauge",
         "help": "Configured timeout of a run."},
        {"name": "batch_job_runs_total", "type": "counter", "help": "Runs."},
    )
    rule = answered_rule(propose(catalog, "Batch job slow: the last batch job run took longer "
                                 "than its configured timeout."))
    assert flat(rule.expr) == "batch_job_last_duration_seconds>batch_job_timeout_seconds"


def test_free_space_below_its_watermark_compares_with_the_watermark_metric() -> None:
    catalog = invented_catalog(
        {"name": "broker_disk_free_bytes", "type": "gauge", "help": "Free disk space."},
        {"name": "broker_disk_free_watermark_bytes", "type": "gauge",
         "help": "Free disk space below which publishers are blocked."},
        {"name": "broker_messages_published_total", "type": "counter", "help": "Messages."},
    )
    rule = answered_rule(propose(catalog, "Broker disk low: broker free disk space fell below "
                                 "its watermark."))
    assert flat(rule.expr) == "broker_disk_free_bytes<broker_disk_free_watermark_bytes"


def test_fewer_active_than_configured_compares_the_part_with_its_whole() -> None:
    catalog = invented_catalog(
        {"name": "raid_array_disks_active", "type": "gauge", "help": "Active disks.",
         "labels": ["array"]},
        {"name": "raid_array_disks", "type": "gauge", "help": "Configured disks of the array.",
         "labels": ["array"]},
        {"name": "raid_array_up", "type": "gauge", "help": "", "labels": ["array"]},
    )
    rule = answered_rule(propose(catalog, "RAID degraded: a RAID array has fewer active disks "
                                 "than configured disks"))
    assert flat(rule.expr) == "raid_array_disks_active<raid_array_disks"


def test_a_timeout_setting_is_not_a_count_of_timeouts() -> None:
    catalog = invented_catalog(
        {"name": "api_requests_total", "type": "counter", "help": "Requests."},
        {"name": "api_request_duration_seconds", "type": "histogram", "help": "Latency."},
        {"name": "api_timeout_seconds", "type": "gauge", "help": "Configured request timeout."},
    )
    result = propose(catalog, "API requests slow: API requests took longer than the configured "
                     "timeout")
    assert not any("api_timeout_seconds>0" in flat(rule.expr) for rule in result.rules)
    assert is_configured_timeout(Metric(name="api_timeout_seconds", type="gauge"))
    assert not is_configured_timeout(Metric(name="api_timeouts_total", type="counter"))
    assert not is_configured_timeout(Metric(name="upstream_rq_timeout", type="unknown"))
