"""A rival metric that spells only a word the title puts before the thing asked about (the disk
of "disk blocks") measures another thing of it: it is no alternative to the best one."""

from __future__ import annotations

from monitorgen.core.generation.result import Status

from .proposing import answered_rule, families, invented_catalog, propose


def _gauge(name: str) -> dict[str, object]:
    return {"name": name, "type": "gauge", "help": "", "labels": []}


def test_it_answers_with_the_blocks_metric_when_a_rival_only_names_the_tape_they_are_on() -> None:
    catalog = invented_catalog(
        _gauge("tapevault_scan_log_offline_unreadable_block_count_blocks_average"),
        _gauge("tapevault_tape_space_GB_average"),
        _gauge("tapevault_scan_log_remapped_blocks_count_blocks_average"),
        _gauge("tapevault_scan_log_pending_block_count_blocks_average"),
    )
    result = propose(catalog, "Tapevault reported unreadable tape blocks: Reported unreadable "
                              "tape blocks (<value> blocks)")
    rule = answered_rule(result)
    assert families(rule) == {"tapevault_scan_log_offline_unreadable_block_count_blocks_average"}


def test_it_asks_when_the_rival_spells_the_word_after_the_modifier_too() -> None:
    # "chain head": the rival's `chain_head` is at least as much what the title asks about.
    catalog = invented_catalog(
        _gauge("indexer_head"),
        _gauge("upstream_chain_head_number"),
        _gauge("indexer_status"),
    )
    result = propose(catalog, "Indexer lag behind chain head: Indexer is more than 100 blocks "
                              "behind the chain head")
    assert result.status is not Status.OK or families(answered_rule(result)) != {"indexer_head"}
