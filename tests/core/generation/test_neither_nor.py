""""Neither X nor Y" names two alternatives that must both be missing: a rule watching only one
of them fires whenever the other one is what the system has. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, flat, propose

KEEPER = Catalog.model_validate({"name": "keeper", "metrics": [
    {"name": "keeper_primary", "type": "gauge", "help": "1 if this node is the primary.",
     "labels": ["cluster"]},
    {"name": "keeper_standby_leader", "type": "gauge",
     "help": "1 if this node is the standby leader.", "labels": ["cluster"]},
    {"name": "keeper_replica", "type": "gauge", "help": "1 if this node is a replica.",
     "labels": ["cluster"]},
]})


def test_a_leader_that_is_neither_primary_nor_standby_is_not_one_flag_at_zero() -> None:
    result = propose(KEEPER, "Keeper has no leader: a leader node (neither primary nor standby) "
                             "cannot be found in the cluster <cluster>")
    assert result.status is Status.CLARIFY or all(
        "keeper_primary" in r.expr and "keeper_standby_leader" in r.expr for r in result.rules)


def test_without_alternatives_a_missing_primary_is_answered() -> None:
    result = propose(KEEPER, "Keeper has no primary: no primary node can be found in the "
                             "cluster <cluster>")
    assert result.status is Status.OK
    assert "keeper_primary" in result.rules[0].expr


def test_it_reads_neither_primary_nor_standby_as_no_member_holding_either_role() -> None:
    rule = answered_rule(propose(KEEPER, "Keeper has no leader: a leader node (neither primary "
                                         "nor standby) cannot be found in the cluster <cluster>"))
    assert flat(rule.expr) == ("maxby(cluster,job)(keeper_primary)<1"
                               "andmaxby(cluster,job)(keeper_standby_leader)<1")
