"""Shapes of a cluster's health said in plain words: an uptime over a window of a success flag,
a member lost from a count, versions that differ across members, an odd number of members
counted by their series, a thing gone whose presence marker is absent. Catalogs and intents are
invented; each shape has nearby wording that must not trigger it."""

from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, exporter_catalog, plan_for, propose


@pytest.fixture
def kv() -> Catalog:
    return exporter_catalog("kv", [
        ("kv_connected_replicas gauge", "Number of connected replicas."),
        ("kv_replica_link_up gauge", "1 if the link to the primary is up."),
        ("kv_up gauge", "1 if kv is up."),
        ("kv_cluster_members gauge", "Number of cluster members."),
        ("kv_build_info gauge version,revision", "Build information."),
        ("go_build_info gauge goversion", "Go toolchain build information."),
        ("kv_node_id gauge", "ID of this cluster node."),
        ("kv_errors_total counter", "Errors."),
    ])


@pytest.fixture
def checks() -> Catalog:
    return exporter_catalog("checker", [
        ("canary_success gauge target", "Whether the canary request succeeded."),
        ("canary_duration_seconds gauge target", "How long the canary request took."),
        ("checker_config_last_reload_successful gauge", "Whether the last reload succeeded."),
        ("process_cpu_seconds_total counter", "CPU time of the process."),
        ("http_requests_total counter code", "Requests served."),
    ])


# --- uptime over a window of a success flag ---------------------------------------------------------
def test_it_reads_a_canarys_uptime_over_a_window_as_its_success_flag_averaged(
        checks: Catalog) -> None:
    rule = answered_rule(propose(
        checks, "canary has had lower uptime than 99.9% over the last 30 days, which may mean "
        "repeated outages"))
    assert rule.expr == "avg_over_time(canary_success[30d]) < 0.999"


def test_it_never_compares_the_failing_share_with_an_uptime(checks: Catalog) -> None:
    # The share of flags at 0 "below 99.9%" is the healthy case: no candidate may say it.
    plan = plan_for("canary uptime below 99% over the last 7 days: it was down too often", checks)
    assert plan.candidates and not any("== 0" in c.expr for c in plan.candidates)
    assert plan.candidates[0].expr == "avg_over_time(canary_success[1w]) < 0.99"


def test_it_still_reads_a_share_of_canaries_down_as_the_flags_at_0(checks: Catalog) -> None:
    rule = answered_rule(propose(checks, "more than 10% of canaries are down"))
    assert rule.expr == "(count(canary_success == 0) / count(canary_success)) > 0.1"


def test_it_reads_a_subjects_availability_of_its_up_flag(kv: Catalog) -> None:
    rule = answered_rule(propose(kv, "kv availability below 99.5% over the last 7 days"))
    assert rule.expr == "avg_over_time(kv_up[1w]) < 0.995"


def test_it_needs_the_flags_subject_said_for_an_uptime(checks: Catalog) -> None:
    plan = plan_for("uptime below 99.9% over the last 30 days", checks)
    assert not any("checker_config" in c.expr and "avg_over_time" in c.expr
                   for c in plan.candidates)


# --- a member lost ---------------------------------------------------------------------------------
def test_it_reads_a_lost_replica_as_the_count_of_replicas_going_down(kv: Catalog) -> None:
    plan = plan_for("kv instance lost a replica", kv)
    assert plan.candidates[0].expr == "delta(kv_connected_replicas[5m]) < 0"


def test_it_reads_a_lost_member_of_a_member_count(kv: Catalog) -> None:
    rule = answered_rule(propose(kv, "kv cluster lost a member"))
    assert rule.expr == "delta(kv_cluster_members[5m]) < 0"


def test_it_does_not_read_a_lost_connection_as_a_count_going_down(kv: Catalog) -> None:
    plan = plan_for("kv lost connection to its primary", kv)
    assert not any(c.expr.startswith("delta(") for c in plan.candidates)


def test_it_does_not_read_a_lost_thing_the_name_does_not_count(kv: Catalog) -> None:
    plan = plan_for("kv cluster lost a leader", kv)
    assert not any(c.expr.startswith("delta(") for c in plan.candidates)


# --- versions that differ --------------------------------------------------------------------------
def test_it_counts_the_versions_of_the_build_info_of_the_subject(kv: Catalog) -> None:
    rule = answered_rule(propose(kv, "Running different versions of kv in the same cluster"))
    assert rule.expr == "count(count by (version) (kv_build_info)) > 1"


def test_it_takes_the_version_label_of_the_build_info_the_intent_names(kv: Catalog) -> None:
    plan = plan_for("Go versions differ across the fleet", kv)
    assert plan.candidates[0].expr == "count(count by (goversion) (go_build_info)) > 1"


def test_it_reads_no_versions_differing_without_a_mismatch_said(kv: Catalog) -> None:
    plan = plan_for("kv runs an old version", kv)
    assert not any("count by (version)" in c.expr for c in plan.candidates)


def test_it_invents_no_version_label_for_a_build_info_without_one() -> None:
    catalog = exporter_catalog("mq", [
        ("mq_build_info gauge", "Build information."),
        ("mq_queue_messages gauge queue", "Messages in a queue."),
    ])
    result = propose(catalog, "Running different versions of mq in the same cluster")
    assert result.status is not Status.OK or "version" not in result.rules[0].expr


# --- an odd number of members ----------------------------------------------------------------------
def test_it_counts_the_series_of_a_member_id_for_the_number_of_members(kv: Catalog) -> None:
    rule = answered_rule(propose(
        kv, "kv nodes should be an odd number: the kv cluster must have an odd number of nodes"))
    assert rule.expr == "count(kv_node_id) % 2 == 0"


def test_it_reads_the_parity_of_a_member_count_as_its_value() -> None:
    catalog = exporter_catalog("kv", [("kv_cluster_members gauge", "Number of cluster members."),
                                      ("kv_member_id gauge", "ID of this member.")])
    rule = answered_rule(propose(catalog, "kv cluster should have an odd number of members"))
    assert rule.expr == "kv_cluster_members % 2 == 0"


def test_it_counts_no_id_that_is_no_members(kv: Catalog) -> None:
    catalog = exporter_catalog("jobs", [("jobs_run_id gauge", "ID of the current run.")])
    plan = plan_for("jobs should have an odd number of members", catalog)
    assert not any("count(jobs_run_id)" in c.expr for c in plan.candidates)


# --- a thing that is gone --------------------------------------------------------------------------
@pytest.fixture
def pods() -> Catalog:
    return exporter_catalog("pods", [
        ("pod_cpu_seconds_total counter name", "CPU time."),
        ("pod_memory_bytes gauge name", "Memory in use."),
        ("pod_last_seen gauge name", "Last time a pod was seen."),
        ("pod_health_state gauge name", "Health state."),
    ])


def test_it_reads_an_absent_pod_as_its_last_seen_series_absent(pods: Catalog) -> None:
    rule = answered_rule(propose(pods, "A pod is absent for 5 min"))
    assert rule.expr == "absent(pod_last_seen)"


def test_it_reads_a_subject_that_stopped_reporting_as_its_build_info_absent(kv: Catalog) -> None:
    rule = answered_rule(propose(kv, "kv has stopped reporting"))
    assert rule.expr == "absent(kv_build_info)"


def test_it_keeps_the_absence_of_a_metric_named_better_than_the_marker(kv: Catalog) -> None:
    rule = answered_rule(propose(kv, "kv node is absent"))
    assert rule.expr == "absent(kv_node_id)"


def test_it_does_not_read_reporting_something_else_as_gone(kv: Catalog) -> None:
    plan = plan_for("kv stopped reporting errors", kv)
    assert not any(c.expr == "absent(kv_build_info)" for c in plan.candidates)


def test_it_does_not_read_a_thing_the_marker_is_not_of_as_gone(pods: Catalog) -> None:
    plan = plan_for("A node is absent for 5 min", pods)
    assert not any(c.expr == "absent(pod_last_seen)" for c in plan.candidates)


# --- a boolean label of an info metric named for the state ----------------------------------------
def _hive(values: dict[str, list[str]] | None = None) -> Catalog:
    return exporter_catalog("hive", [
        ("hive_cluster_info gauge id,members,consensus,version", "Cluster info.",
         values or {}),
        ("hive_up gauge", "1 if hive answers."),
        ("hive_writes_total counter", "Writes."),
    ])


def test_it_reads_a_lost_state_as_the_label_named_for_it_false_in_the_usual_spellings() -> None:
    result = propose(_hive(), "hive cluster lost consensus")
    rule = answered_rule(result)
    assert rule.expr == 'hive_cluster_info{consensus=~"0|false|False|no"} == 1'
    assert "lists no values" in result.rationale


def test_it_takes_the_label_of_a_kin_word_of_the_state() -> None:
    catalog = exporter_catalog("hive", [
        ("hive_cluster_info gauge id,quorate", "Cluster info."),
        ("hive_up gauge", "1 if hive answers."),
    ])
    rule = answered_rule(propose(catalog, "the hive cluster has lost quorum"))
    assert rule.expr == 'hive_cluster_info{quorate=~"0|false|False|no"} == 1'


def test_it_spells_the_false_value_as_the_catalog_lists_it() -> None:
    rule = answered_rule(propose(_hive({"consensus": ["0", "1"]}), "hive cluster lost consensus"))
    assert rule.expr == 'hive_cluster_info{consensus="0"} == 1'


def test_it_writes_no_false_value_the_catalog_does_not_list() -> None:
    plan = plan_for("hive cluster lost consensus", _hive({"consensus": ["reached", "pending"]}))
    assert not any("consensus" in c.expr for c in plan.candidates)


def test_it_reads_no_state_from_a_label_that_counts_things() -> None:
    plan = plan_for("hive cluster lost members", _hive())
    assert not any("members=" in c.expr or "members=~" in c.expr for c in plan.candidates)


def test_it_reads_no_state_from_a_label_the_intent_does_not_deny() -> None:
    plan = plan_for("hive cluster reached consensus", _hive())
    assert not any("consensus" in c.expr for c in plan.candidates)


# --- an odd number of members counted by a per-member gauge ranked low -----------------------------
def _raftd(*extra: tuple[object, ...]) -> Catalog:
    return exporter_catalog("raftd", [
        ("raftd_server_id gauge server_id", "Member ID of this server, 1 for the current one."),
        ("raftd_server_has_leader gauge", "1 if a leader exists."),
        ("raftd_proposals_failed_total counter", "Failed proposals."),
        ("raftd_disk_wal_fsync_duration_seconds histogram", "WAL fsync latency."),
        *extra,
    ])


def test_it_counts_the_series_of_the_subjects_member_id_for_its_members() -> None:
    rule = answered_rule(propose(_raftd(), "raftd cluster should have an odd number of members"))
    assert rule.expr == "count(raftd_server_id) % 2 == 0"


def test_it_counts_no_member_id_for_something_else_that_is_odd() -> None:
    plan = plan_for("raftd cluster should have an odd number of shards", _raftd())
    assert not any("% 2" in c.expr for c in plan.candidates)


def test_it_counts_no_peer_info_for_the_members() -> None:
    # Each member reports each of its peers: N x (N - 1) series, even whatever N is.
    catalog = exporter_catalog("raftd", [
        ("raftd_peer_info gauge peer", "Info of each cluster member this one knows."),
        ("raftd_proposals_failed_total counter", "Failed proposals."),
    ])
    plan = plan_for("raftd cluster should have an odd number of members", catalog)
    assert not any("raftd_peer_info" in c.expr and "% 2" in c.expr for c in plan.candidates)


def test_it_counts_the_member_id_though_another_metric_names_more_of_the_intent() -> None:
    # `raftd_cluster_version` names "raftd cluster" better; only the id counts members.
    catalog = _raftd(("raftd_cluster_version gauge cluster_version", "Cluster version."))
    rule = answered_rule(propose(
        catalog, "Raftd insufficient members: raftd cluster should have an odd number of members"))
    assert rule.expr == "count(raftd_server_id) % 2 == 0"
