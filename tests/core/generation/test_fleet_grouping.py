"""Answers that would fire on a healthy fleet: flags counted over every cluster scraped, and an
alert that names its member aggregated across all members. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, propose


def _quorum() -> Catalog:
    return invented_catalog(
        {"name": "quorumd_member_leader", "type": "gauge",
         "help": "1 when this member currently leads its ensemble, 0 otherwise."},
        {"name": "quorumd_up", "type": "gauge", "help": "Whether the node answered the probe."},
    )


def test_it_counts_leaders_per_ensemble_not_over_every_ensemble_scraped() -> None:
    # Two healthy ensembles have two leaders between them: summed over everything,
    # "more than one leader" fires on a healthy fleet.
    rule = answered_rule(propose(
        _quorum(), "Quorumd split brain: more than 1 member is leader in the ensemble"))
    assert flat(rule.expr) == "sumby(job)(quorumd_member_leader)>1"


def test_it_still_counts_over_everything_when_the_intent_says_in_total() -> None:
    rule = answered_rule(propose(
        _quorum(), "more than 1 member is leader in total"))
    assert flat(rule.expr) == "sum(quorumd_member_leader)>1"


def _broker() -> Catalog:
    return invented_catalog(
        {"name": "hopper_alarm_disk_watermark_reached", "type": "gauge",
         "help": "1 when the disk alarm of this broker node is raised."},
        {"name": "hopper_queue_depth", "type": "gauge", "help": "Messages waiting in a queue."},
    )


def test_it_keeps_the_member_an_alert_names_when_the_damage_is_cluster_wide() -> None:
    # "on node <instance>": the alert says which node; "cluster-wide" is where producers feel
    # it, not a request to take the maximum over all nodes.
    rule = answered_rule(propose(
        _broker(), "Hopper disk alarm reached on node <instance>; producers are paused "
                   "cluster-wide until space is freed."))
    assert flat(rule.expr) == "hopper_alarm_disk_watermark_reached>0"


def _spool() -> Catalog:
    return invented_catalog(
        {"name": "spoold_flusher_deaths", "type": "gauge",
         "help": "number of failed spool flusher processes"},
        {"name": "spoold_spool_files", "type": "gauge", "help": "files waiting in the spool"},
    )


def test_it_reads_a_gauge_named_for_deaths_as_a_running_count_not_a_level() -> None:
    # Declared a gauge, but deaths only add up: `> 0` would fire from the first death until a
    # restart, never resolving.
    rule = answered_rule(propose(_spool(), "Spoold flusher died: the spool flusher process "
                                           "has crashed"))
    assert flat(rule.expr) == "increase(spoold_flusher_deaths[5m])>0"


def test_it_says_it_read_an_undocumented_status_code_of_0_as_not_ok() -> None:
    # 0 = failed is the flag convention; the health scale codes 0 as ok. The reviewer must see
    # which reading the rule took.
    catalog = invented_catalog(
        {"name": "ledgerd_replica_sync_status", "type": "gauge", "help": ""},
        {"name": "ledgerd_replica_lag_seconds", "type": "gauge", "help": "Replica lag."},
    )
    result = propose(catalog, "Ledgerd replica sync failed: replica <replica> sync status "
                              "reports a failure")
    rule = answered_rule(result)
    assert flat(rule.expr) == "ledgerd_replica_sync_status==0"
    assert "does not document the codes of ledgerd_replica_sync_status" in result.rationale


def _ring() -> Catalog:
    return invented_catalog(
        {"name": "ringd_partition_leader", "type": "gauge",
         "help": "1 on the replica leading its partition, 0 on the others."},
        {"name": "ringd_up", "type": "gauge", "help": "Whether the replica answered the probe."},
    )


def test_it_does_not_count_leaders_per_job_when_the_alert_names_a_partition_it_cannot_keep() -> None:
    # The catalog lists no partition label: summed per job, one leaderless partition hides
    # among the others' leaders and the rule never fires for it.
    result = propose(_ring(), "Ringd partition <partition> of table <table> has no leader")
    if result.rules:
        assert "sumby(job)(ringd_partition_leader)" not in flat(result.rules[0].expr)


def test_it_still_counts_leaders_per_job_for_a_cluster_the_alert_names() -> None:
    rule = answered_rule(propose(_ring(), "Ringd cluster <cluster> has no leader"))
    assert flat(rule.expr) == "sumby(job)(ringd_partition_leader)==0"


def test_it_does_not_count_leaders_per_job_when_more_than_one_is_said_of_an_unlisted_partition(
) -> None:
    # Summed per job, the leaders of two healthy partitions look like two leaders of one.
    result = propose(_ring(), "Ringd too many leaders: partition <partition> has more than "
                              "1 leader")
    if result.rules:
        assert "sumby(job)(ringd_partition_leader)" not in flat(result.rules[0].expr)


def test_it_counts_the_leaders_an_expected_count_of_one_is_said_of() -> None:
    # `leader != 1` on each member fires on every follower; the ensemble's count should be 1.
    rule = answered_rule(propose(
        _quorum(), "Quorumd ensemble has <value> members marked as leader (expected 1)"))
    assert flat(rule.expr) == "sumby(job)(quorumd_member_leader)!=1"


def _brokers() -> Catalog:
    return invented_catalog(
        {"name": "streamd_broker_online", "type": "gauge", "help": "1 when the broker is online.",
         "labels": ["broker"]},
        {"name": "streamd_controller_active", "type": "gauge",
         "help": "1 on the active controller."},
    )


def test_it_does_not_count_online_brokers_per_broker() -> None:
    # Per broker the count is never above 1, so "fewer than 3" would always fire.
    rule = answered_rule(propose(_brokers(), "Streamd fewer than 3 brokers online"))
    assert flat(rule.expr) == "sumby(job)(streamd_broker_online)<3"


def test_it_asks_no_active_controller_of_the_group_not_of_each_standby() -> None:
    # `controller_active == 0` fires on every standby controller.
    rule = answered_rule(propose(_brokers(), "Streamd has no active controller"))
    assert flat(rule.expr) == "sumby(job)(streamd_controller_active)==0"
