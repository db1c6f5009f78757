"""A gauge split by a state label that nothing pins is not compared per series with "fewer
than" or zero: the series of a rare state is low on every healthy member. Catalogs and intents
are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, propose


def _fleet(labels: list[str]) -> Catalog:
    return Catalog.model_validate({"name": "fleet", "metrics": [
        {"name": "fleet_node_peers", "type": "gauge", "help": "Peers this node sees.",
         "labels": labels},
        {"name": "fleet_up", "type": "gauge", "help": ""},
    ]})


def test_fewer_than_n_of_a_gauge_split_by_state_is_not_compared_per_state() -> None:
    result = propose(_fleet(["state"]), "Fleet lonely: a node has fewer than 2 peers")
    assert result.status is Status.CLARIFY or "state" not in result.rules[0].expr or (
        "sum" in result.rules[0].expr)


def test_fewer_than_n_of_a_gauge_without_states_is_compared_as_it_is() -> None:
    rule = answered_rule(propose(_fleet(["cluster"]), "Fleet lonely: a node has fewer than 2 "
                                                      "peers"))
    assert rule.expr == "fleet_node_peers < 2"


def test_more_than_n_of_a_gauge_split_by_state_is_still_answered() -> None:
    rule = answered_rule(propose(_fleet(["state"]), "Fleet crowded: a node has more than 50 "
                                                    "peers"))
    assert rule.expr == "fleet_node_peers > 50"
