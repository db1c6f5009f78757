"""How far one position trails another ("more than 100 blocks behind the chain head") is the
gap between two gauges, never a level of either; a metric of the lag itself is the measure."""

from __future__ import annotations

from monitorgen.core.generation.result import Status

from .proposing import answered_rule, exporter_catalog, flat, propose

_INDEXER = [
    ("subindex_chain_head_number gauge network", "Latest block number of the chain"),
    ("subindex_deployment_head_number gauge deployment,network",
     "Latest block number indexed by the deployment"),
    ("subindex_deployment_status gauge deployment", "Deployment status"),
    ("subindex_requests_total counter deployment", "Requests served"),
]


def test_it_reads_a_lag_behind_the_chain_head_as_the_gap_between_the_two_heads() -> None:
    catalog = exporter_catalog("subindex", _INDEXER)
    rule = answered_rule(propose(
        catalog, "Subindex indexing lag behind chain head is more than 100 blocks"))
    assert flat(rule.expr) == flat(
        "subindex_chain_head_number - on(instance, job, network) group_right() "
        "subindex_deployment_head_number > 100")


def test_it_names_the_follower_before_behind_and_the_leader_after_it() -> None:
    catalog = exporter_catalog("subindex", _INDEXER)
    rule = answered_rule(propose(
        catalog, "the deployment falls more than 100 blocks behind the chain"))
    assert flat(rule.expr).startswith(flat("subindex_chain_head_number -"))
    assert flat(rule.expr).endswith(flat("subindex_deployment_head_number > 100"))


def test_it_reads_lags_the_primary_by_a_duration_as_the_gap_between_two_timestamps() -> None:
    catalog = exporter_catalog("dbx", [
        ("dbx_primary_commit_timestamp_seconds gauge cluster", "Time of the primary's last commit"),
        ("dbx_replica_commit_timestamp_seconds gauge cluster,replica",
         "Time of the last commit the replica applied"),
        ("dbx_connections gauge cluster", "Open connections"),
    ])
    rule = answered_rule(propose(catalog, "the replica lags the primary by more than 30s"))
    assert flat(rule.expr) == flat(
        "dbx_primary_commit_timestamp_seconds - on(cluster, instance, job) group_right() "
        "dbx_replica_commit_timestamp_seconds > 30")


def test_it_keeps_a_metric_of_the_lag_itself_over_the_gap_of_two_heads() -> None:
    catalog = exporter_catalog("subindex", [
        *_INDEXER,
        ("subindex_deployment_blocks_behind gauge deployment,network",
         "Blocks the deployment is behind the chain head"),
    ])
    result = propose(catalog, "Subindex indexing lag behind chain head is more than 100 blocks")
    assert all(" - " not in rule.expr for rule in result.rules)
    if result.status is Status.OK:
        assert "subindex_deployment_blocks_behind" in answered_rule(result).expr


def test_it_never_compares_a_number_behind_with_one_position_alone() -> None:
    catalog = exporter_catalog("chainx", [
        ("chainx_head_block gauge network", "Latest block of the chain the node has seen"),
        ("chainx_peers gauge network", "Connected peers"),
    ])
    result = propose(catalog, "the node is more than 100 blocks behind the chain head")
    assert not any(flat(rule.expr) == flat("chainx_head_block > 100") for rule in result.rules)
