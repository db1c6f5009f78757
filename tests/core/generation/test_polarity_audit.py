"""Rules a reviewing SRE would reject though they read the right metric: a raised health check
read as a health flag, a spent budget compared as the budget left, a count of events since start
compared with 0, a leader flag asked for a number when the group is what is missing. Catalogs and
intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from tests.core.generation.proposing import answered_rule, exporter_catalog, flat, propose


def _slo() -> Catalog:
    return exporter_catalog("slo", [
        ("slo_error_budget_remaining_ratio gauge service",
         "Share of the error budget remaining, from 0 to 1."),
    ])


def test_it_turns_a_burned_budget_share_around_to_the_share_remaining() -> None:
    rule = answered_rule(propose(_slo(), "Error budget burned above 90%"))
    assert flat(rule.expr) == "slo_error_budget_remaining_ratio<0.1"


def test_it_turns_a_spent_budget_share_around_to_the_share_remaining() -> None:
    rule = answered_rule(propose(_slo(), "error budget spent more than 80%"))
    assert flat(rule.expr) == "slo_error_budget_remaining_ratio<0.2"


def _quux() -> Catalog:
    return exporter_catalog("quux", [
        ("quux_replicator_failed_starts gauge node",
         "number of replications that have failed to start"),
        ("quux_query_invalid_index gauge node",
         "number of queries that generated an invalid index warning"),
        ("quux_items_stuck gauge node", "number of items stuck in the queue"),
    ])


def test_it_reads_a_gauge_whose_help_counts_failures_that_happened_as_a_running_count() -> None:
    # The exporter counts failed starts up since start: `> 0` never resolves after the first.
    rule = answered_rule(propose(_quux(), "Quux replicator failed to start: replications failed"))
    assert flat(rule.expr) == "increase(quux_replicator_failed_starts[5m])>0"


def test_it_reads_a_gauge_whose_help_counts_warnings_generated_as_a_running_count() -> None:
    rule = answered_rule(propose(_quux(), "Quux queries failed due to invalid index"))
    assert flat(rule.expr) == "increase(quux_query_invalid_index[5m])>0"


def test_it_still_reads_things_in_a_bad_state_now_as_a_level() -> None:
    rule = answered_rule(propose(_quux(), "Quux items stuck"))
    assert flat(rule.expr) == "quux_items_stuck>0"


def test_it_reads_help_of_total_times_as_a_running_count() -> None:
    catalog = exporter_catalog("quux", [
        ("quux_worker_crashes gauge node", "total times a worker crashed"),
    ])
    rule = answered_rule(propose(catalog, "Quux worker crashing"))
    assert flat(rule.expr) == "increase(quux_worker_crashes[5m])>0"
