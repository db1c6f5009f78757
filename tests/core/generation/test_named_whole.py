"""A share the intent states of a named whole ("95% of the configured storage quota") is a
share of the metric named for that whole, not of a sibling pair the catalog also has; and words
saying where the damage lands ("writes stop cluster-wide") do not merge the members. Catalogs and
intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog, Metric
from monitorgen.core.generation.pairing import Pair
from monitorgen.core.generation.planner import _whole_named_elsewhere
from monitorgen.core.generation.slots import extract_slots
from tests.core.generation.proposing import answered_rule, propose

LEDGER = Catalog.model_validate({"name": "ledger", "metrics": [
    {"name": "ledger_store_size_bytes", "type": "gauge", "help": "Size of the store file."},
    {"name": "ledger_store_size_in_use_bytes", "type": "gauge",
     "help": "Logical size of the store file in use."},
    {"name": "ledger_server_quota_bytes", "type": "gauge", "help": "Storage quota in bytes."},
    {"name": "ledger_server_is_leader", "type": "gauge", "help": "1 on the leader."},
]})


def test_a_share_of_the_named_quota_divides_by_the_quota() -> None:
    rule = answered_rule(propose(LEDGER, "Ledger store nearly full: the ledger store size is "
                                         "above 95% of the configured storage quota."))
    assert rule.expr.endswith("/ (ledger_server_quota_bytes > 0)) > 0.95")


def test_a_consequence_spreading_cluster_wide_does_not_sum_the_members() -> None:
    rule = answered_rule(propose(LEDGER, "Ledger store nearly full: the ledger store size is "
                                         "above 95% of the configured storage quota; once it is "
                                         "reached, the ledger stops accepting writes "
                                         "cluster-wide."))
    assert "sum" not in rule.expr


def test_a_condition_said_cluster_wide_still_aggregates() -> None:
    assert extract_slots("error rate above 5% cluster-wide").by == ()
    assert extract_slots("writes stop cluster-wide once the quota is reached").by == ()
    assert extract_slots("size above 95%; once reached, writes stop cluster-wide").by is None


def test_things_inconsistent_across_nodes_are_not_added_up() -> None:
    assert extract_slots("some groups are inconsistent across nodes").by is None
    assert extract_slots("more than 5 errors across all nodes").by == ()



POOL = Catalog.model_validate({"name": "pool", "metrics": [
    {"name": "vgroup_free_bytes", "type": "gauge", "help": "Free space of the volume group."},
    {"name": "vgroup_total_bytes", "type": "gauge", "help": "Size of the volume group."},
    {"name": "vgroup_snapshot_capacity_bytes", "type": "gauge", "help": "Snapshot reserve."},
]})


def test_a_generic_word_for_the_whole_does_not_rule_out_the_total() -> None:
    free, total, _ = POOL.metrics
    pair = Pair(free, total, "part-of-whole", 0.0)
    assert not _whole_named_elsewhere(pair, "using more than 90% of its capacity", POOL)
    assert _whole_named_elsewhere(pair, "using more than 90% of its snapshot reserve", Catalog(
        name="pool", metrics=[*POOL.metrics, Metric(name="vgroup_reserve_bytes", type="gauge")]))
