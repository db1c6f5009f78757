"""An untyped metric whose value the intent reports as a count within a window ("(<value> in
the last 5m)") counts events: only its increase over the window answers. A counter named for an
absence (`upstream_none_healthy`) counts the times there was none: its increase is the problem,
whatever "no" the intent says. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.slots import extract_slots
from tests.core.generation.proposing import answered_rule, invented_catalog, propose

MESH = Catalog.model_validate({"name": "mesh", "metrics": [
    {"name": "mesh_cluster_upstream_none_healthy", "type": "unknown", "help": ""},
    {"name": "mesh_cluster_members_healthy", "type": "unknown", "help": ""},
    {"name": "mesh_up", "type": "gauge", "help": ""},
]})


def test_a_value_reported_within_the_last_minutes_is_counted_over_that_window() -> None:
    rule = answered_rule(propose(MESH, "Mesh no healthy upstream: upstream requests failed "
                                       "because no healthy upstream was available on <instance> "
                                       "(<value> in the last 5m)"))
    assert rule.expr == "increase(mesh_cluster_upstream_none_healthy[5m]) > 0"


def test_a_counter_named_for_an_absence_fires_on_its_increase_not_its_standstill() -> None:
    rule = answered_rule(propose(MESH, "Mesh no healthy upstream: <value> upstream requests in "
                                       "the last 10 minutes found no healthy upstream"))
    assert rule.expr == "increase(mesh_cluster_upstream_none_healthy[10m]) > 0"


def test_the_slots_tell_a_value_counted_in_a_window_from_a_plain_window() -> None:
    assert extract_slots("(<value> in the last 5m)").value_in_window
    assert extract_slots("{{ $value }} errors within the past hour").value_in_window
    assert not extract_slots("latency above 2s in the last 5m (<value>)").value_in_window


def test_it_reads_an_untyped_metric_reported_per_second_as_a_counter() -> None:
    catalog = invented_catalog(
        {"name": "gateway_upstream_connect_failure", "type": "unknown"},
        {"name": "gateway_sessions_open", "type": "gauge", "help": "Open client sessions."})
    rule = answered_rule(propose(catalog, "Gateway upstream connect failures: the gateway fails "
                                          "to connect to upstreams (<value> failures/s)"))
    assert rule.expr.startswith(("increase(gateway_upstream_connect_failure[",
                                 "rate(gateway_upstream_connect_failure["))
