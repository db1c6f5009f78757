"""Rules a reviewing SRE would reject though they read the right metric: a raised health check
read as a health flag, a spent budget compared as the budget left, a count of events since start
compared with 0, a leader flag asked for a number when the group is what is missing. Catalogs and
intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, exporter_catalog, flat, propose


def _zebra() -> Catalog:
    return exporter_catalog("zebra", [
        ("zebra_health_detail gauge", ""),
        ("zebra_health_check gauge name", "1 if the health check is raised, else 0"),
        ("zebra_disk_up gauge disk", "1 if the disk answers"),
    ])


def test_it_never_reads_a_health_detail_at_zero_as_the_problem() -> None:
    # One series per health check, 1 while it is raised: `== 0` fires on every quiet check.
    result = propose(_zebra(), "Zebra metadata server unhealthy: the metadata daemon is degraded")
    if result.status is Status.OK:
        assert "==0" not in flat(result.rules[0].expr)
    else:
        assert result.questions


def test_it_never_reads_a_raised_health_check_at_zero_as_the_problem() -> None:
    result = propose(_zebra(), "Zebra health check failing")
    if result.status is Status.OK:
        assert "zebra_health_check==0" not in flat(result.rules[0].expr)
    else:
        assert result.questions


def test_it_still_reads_a_health_flag_at_zero_as_the_problem() -> None:
    rule = answered_rule(propose(_zebra(), "Zebra disk is down"))
    assert flat(rule.expr) == "zebra_disk_up==0"


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


def _yak(labels: str) -> Catalog:
    return exporter_catalog("yak", [
        (f"yak_collections_shard_leader gauge {labels}".strip(), ""),
        ("yak_errors_total counter", ""),
    ])


_NO_LEADER = "Yak shard has no leader: collection <collection> shard <shard> has no leader"


def test_it_asks_which_label_holds_the_group_a_leader_flag_is_missing_from() -> None:
    result = propose(_yak("collection,shard_id,replica"), _NO_LEADER)
    assert result.status is Status.CLARIFY
    question = result.questions[0]
    assert question.field == "shard_label"
    assert "identifies the shard" in question.text
    # Its own labels are offered, a member's (`replica`) and a shown group's are not.
    assert question.candidates == ("shard_id",)


def test_it_groups_a_leader_flag_by_the_label_answered_for_the_group() -> None:
    rule = answered_rule(propose(_yak("collection,shard_id,replica"), _NO_LEADER,
                                 answers={"shard_label": "shard_id"}))
    assert flat(rule.expr) == "sumby(collection,job,shard_id)(yak_collections_shard_leader)==0"


def test_it_adds_an_answered_group_label_the_catalog_lacks_to_the_flag_named_for_it() -> None:
    result = propose(_yak("collection"), _NO_LEADER, answers={"shard_label": "shard"})
    rule = answered_rule(result)
    assert flat(rule.expr) == "sumby(collection,job,shard)(yak_collections_shard_leader)==0"
