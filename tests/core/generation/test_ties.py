"""Near-ties that are no real choice: one measure in two forms, word families the stemmer must
join, and a type word that is the subject of a name ("current" of an electric sensor)."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.planner import _same_measure
from monitorgen.core.generation.vocabulary import stem
from tests.core.generation.proposing import plan_for

COLLECTOR = Catalog.model_validate({"name": "collector", "metrics": [
    {"name": "weather_collector_last_fetch_error", "type": "gauge",
     "help": "Whether the last fetch of metrics from the weather API failed with an error."},
    {"name": "weather_collector_fetch_errors_total", "type": "counter",
     "help": "Errors counted so far."},
    {"name": "weather_collector_api_calls_total", "type": "counter",
     "help": "Calls made to the weather API."},
    {"name": "weather_collector_last_fetch_timestamp", "type": "gauge",
     "help": "When the last fetch of metrics from the weather API ended."},
]})


def test_the_last_outcome_and_the_count_of_outcomes_are_one_measure() -> None:
    # Either `last_fetch_error > 0` or a rise of `fetch_errors_total` fires on a failed fetch:
    # the counter is no rival that makes the choice less sure.
    plan = plan_for("Weather collector fetch error: the collector failed to fetch metrics from the "
                 "weather API", COLLECTOR)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("weather_collector_last_fetch_error",)
    assert plan.confidence is not None and plan.confidence.lead == 3.0


def test_a_metric_with_another_subject_stays_a_rival() -> None:
    # `last_fetch_timestamp` is no form of `last_fetch_error`: the words differ in substance.
    assert _same_measure("weather_collector_last_fetch_error",
                         "weather_collector_fetch_errors_total")
    assert not _same_measure("weather_collector_last_fetch_error",
                             "weather_collector_last_fetch_timestamp")
    assert not _same_measure("weather_collector_last_fetch_error",
                             "weather_collector_last_fetch_error")


def test_it_joins_a_noun_in_ption_to_its_verb() -> None:
    assert stem("corruptions") == stem("corrupted")
    assert stem("interruption") == stem("interrupted")
    # "exception" is no noun of "except" ("all errors except timeouts").
    assert stem("exceptions") != stem("except")


LOG = Catalog.model_validate({"name": "journal", "metrics": [
    {"name": "journal_wal_writes_failed_total", "type": "counter",
     "help": "Writes to the write-ahead log that failed."},
    {"name": "journal_wal_corruptions_total", "type": "counter",
     "help": "Corruptions of the write-ahead log found."},
    {"name": "journal_wal_truncations_failed_total", "type": "counter",
     "help": "Truncations of the write-ahead log that failed."},
]})


def test_a_corrupted_log_is_its_corruptions_counter() -> None:
    # Not the failed writes that "write-ahead" brings up.
    plan = plan_for("Journal WAL corrupted: the journal detected a corrupted write-ahead log", LOG)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("journal_wal_corruptions_total",)


BOARD = Catalog.model_validate({"name": "board", "metrics": [
    {"name": "board_sensor_state", "type": "gauge",
     "help": "State of a board sensor (0=nominal, 1=warning, 2=critical).",
     "labels": ["name", "type"]},
    {"name": "board_current_state", "type": "gauge",
     "help": "State of a current sensor (0=nominal, 1=warning, 2=critical).",
     "labels": ["name"]},
    {"name": "board_voltage_state", "type": "gauge",
     "help": "State of a voltage sensor (0=nominal, 1=warning, 2=critical).",
     "labels": ["name"]},
    {"name": "board_fan_speed_state", "type": "gauge",
     "help": "State of a fan speed sensor (0=nominal, 1=warning, 2=critical).",
     "labels": ["name"]},
    {"name": "board_up", "type": "gauge", "help": "Whether the board sensors could be read."},
]})


def test_a_type_word_the_title_says_leads_with_its_sensor() -> None:
    # "current" is the electric current here, the subject of `board_current_state`: it leads
    # (the all-sensors `board_sensor_state` remains a rival, see test_rivals).
    plan = plan_for("Board current sensor warning: current sensor <name> is in warning state", BOARD)
    assert plan.candidates[0].metrics == ("board_current_state",)


def test_an_electric_current_sensor_is_no_form_of_a_sensor() -> None:
    assert not _same_measure("board_current_state", "board_state")


# --- a rival that reads less of the intent ---------------------------------------------------------
PINGER = Catalog.model_validate({"name": "pinger", "metrics": [
    {"name": "check_duration_seconds", "type": "gauge", "help": "How long the check took."},
    {"name": "check_icmp_duration_seconds", "type": "gauge", "help": ""},
    {"name": "check_http_duration_seconds", "type": "gauge", "help": ""},
    {"name": "check_dns_lookup_seconds", "type": "gauge", "help": ""},
    {"name": "check_success", "type": "gauge", "help": "1 when the check succeeded."},
]})


def test_a_rival_with_only_unsaid_words_of_its_own_is_no_alternative() -> None:
    # "ping" is `icmp`: `check_http_duration_seconds` says nothing the ICMP one does not, and
    # "http", which the intent never says.
    plan = plan_for("Check slow ping: check ping took more than 1s", PINGER)
    assert plan.question is None
    assert plan.candidates[0].expr == "check_icmp_duration_seconds > 1"
    # No rival is left: the lead is the ICMP duration's own score.
    icmp = next(m for m in plan.context.metrics if m.name == "check_icmp_duration_seconds")
    assert plan.confidence is not None
    assert abs(plan.confidence.lead - min(icmp.score, 3.0)) < 1e-6


def test_says_less_needs_a_fully_said_best_name() -> None:
    from monitorgen.core.generation.planner import _says_less
    from monitorgen.core.generation.ranking import _catalog_stats, intent_terms, score_metric
    from monitorgen.core.generation.slots import extract_slots

    intent = "Check slow ping: check ping took more than 1s"
    terms, slots, stats = intent_terms(intent), extract_slots(intent), _catalog_stats(PINGER)
    # (Scored directly: ranking drops the HTTP one, a protocol the intent contradicts.)
    icmp, http = (score_metric(PINGER.family(name), terms, slots, stats)
                  for name in ("check_icmp_duration_seconds", "check_http_duration_seconds"))
    assert icmp is not None and http is not None
    assert _says_less(icmp, http, terms)
    # The other way round the best name has a word the intent never says.
    assert not _says_less(http, icmp, terms)
