"""A configured setting is no measure of what an intent compares, and a help that says
"number of <noun>" says what its metric counts (invented exporters)."""

from monitorgen.core.generation.ranking import rank_metrics
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import exporter_catalog, plan_for, propose

_DB = exporter_catalog("quilldb", [
    ("quilldb_settings_standby_reserved_sessions gauge node",
     "Server setting standby_reserved_sessions."),
    ("quilldb_settings_max_sessions gauge node", "Server setting max_sessions."),
    ("quilldb_stat_activity_count gauge node,state", "number of sessions in this state"),
    ("quilldb_up gauge node", "Whether the last scrape of the node succeeded."),
])


def test_it_gives_no_threshold_to_a_setting_the_intent_never_names() -> None:
    plan = plan_for("Database node should have more sessions (> 5)", _DB)
    assert not any("settings" in metric for c in plan.candidates for metric in c.metrics)
    assert propose(_DB, "Database node should have more sessions (> 5)").status is not Status.OK


def test_it_still_answers_on_a_setting_the_intent_names() -> None:
    plan = plan_for("standby reserved sessions setting below 2", _DB)
    assert plan.candidates
    assert plan.candidates[0].metrics == ("quilldb_settings_standby_reserved_sessions",)


def test_it_ranks_first_the_metric_whose_help_counts_the_intents_noun() -> None:
    ranked = rank_metrics("Database node should have more sessions (> 5)", _DB)
    assert ranked[0].name == "quilldb_stat_activity_count"


def test_it_reads_the_head_noun_of_what_a_help_counts() -> None:
    catalog = exporter_catalog("relay", [
        ("relay_if_errors counter port", "The number of inbound frames that contained errors."),
        ("relay_link_octets counter port", "Octets received on the link."),
        ("relay_up gauge", "Whether the relay answers."),
    ])
    ranked = rank_metrics("relay inbound utilization above 80%", catalog)
    assert all(m.name != "relay_if_errors" for m in ranked[:1])
