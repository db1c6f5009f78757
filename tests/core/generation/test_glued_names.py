"""Names JMX-style exporters write with their words run together in lower case
(`..._unavailablereplicascount`): the words inside are found when the whole word splits cleanly
into known ones, and a real word is not cut into short words found inside it by chance."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.naming import glued_pieces
from monitorgen.core.generation.ranking import rank_metrics
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, propose


def _broker_catalog() -> Catalog:
    return invented_catalog(
        {"name": "queuebroker_cluster_unavailablereplicascount", "type": "gauge",
         "help": "Replicas of the cluster that cannot be reached."},
        {"name": "queuebroker_topic_partitions", "type": "gauge", "labels": ["topic"],
         "help": "Partitions per topic."},
        {"name": "queuebroker_topic_messages_total", "type": "counter", "labels": ["topic"],
         "help": "Messages written to a topic."},
    )


def test_a_run_together_word_is_split_into_the_known_words_it_is_made_of() -> None:
    assert glued_pieces("unavailablereplicascount") == ("unavailable", "replicas", "count")


def test_a_real_word_is_not_cut_into_short_words_found_inside_it() -> None:
    assert glued_pieces("download") == ()
    assert glued_pieces("countdown") == ()


def test_a_word_with_an_unknown_part_stays_whole() -> None:
    assert glued_pieces("queuebrokercluster") == ()


def test_it_ranks_a_name_glued_from_the_intents_words_first() -> None:
    ranked = rank_metrics("page me if there are unavailable replicas", _broker_catalog())
    assert ranked[0].name == "queuebroker_cluster_unavailablereplicascount"


def test_it_reads_a_glued_count_of_unavailable_replicas_as_a_problem_count_above_zero() -> None:
    rule = answered_rule(propose(_broker_catalog(), "page me if there are unavailable replicas"))
    assert flat(rule.expr) == "queuebroker_cluster_unavailablereplicascount>0"
