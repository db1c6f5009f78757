"""Readings with no stated comparison of the value itself: a timestamp too far in the future, the
age of the oldest waiting item, the time spent in a state the intent says holds, and a used share
of two gauges whose unit is run onto the role word (`allocatedgb`). Catalogs are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, propose


def _ledger() -> Catalog:
    return invented_catalog(
        {"name": "ledger_appended_records_total", "type": "counter",
         "help": "Records appended to the ledger."},
        {"name": "ledger_store_newest_record_max_timestamp_seconds", "type": "gauge",
         "help": "Timestamp of the newest record in the store."},
        {"name": "ledger_last_compaction_timestamp_seconds", "type": "gauge",
         "help": "When the last compaction finished."},
        {"name": "ledger_segments", "type": "gauge", "help": "Open segments."},
    )


def test_it_reads_timestamps_in_the_future_as_the_newest_one_ahead_of_now() -> None:
    rule = answered_rule(propose(
        _ledger(), "Ledger appended records with timestamps more than 2 hours in the future"))
    assert flat(rule.expr) == flat(
        "ledger_store_newest_record_max_timestamp_seconds - time() > 7200")


def test_a_last_act_is_never_read_as_ahead_of_now() -> None:
    catalog = invented_catalog(
        {"name": "ledger_last_compaction_timestamp_seconds", "type": "gauge",
         "help": "When the last compaction finished."},
        {"name": "ledger_segments", "type": "gauge", "help": "Open segments."},
    )
    result = propose(catalog, "ledger compaction timestamp more than 1 hour in the future")
    assert not result.rules or "- time()" not in result.rules[0].expr


def _mailbox() -> Catalog:
    return invented_catalog(
        {"name": "mailbox_letters", "type": "gauge", "help": "Letters in the mailbox."},
        {"name": "mailbox_letters_unread", "type": "gauge", "help": "Letters nobody read yet."},
        {"name": "mailbox_head_letter_timestamp", "type": "gauge",
         "help": "Arrival time of the first letter in the mailbox."},
        {"name": "mailbox_readers", "type": "gauge", "help": "Readers attached."},
    )


def test_it_reads_slow_consumption_as_the_age_of_the_head_item() -> None:
    rule = answered_rule(propose(_mailbox(), "Mailbox letters are read slowly (> 90s)"))
    assert flat(rule.expr) == flat("time() - mailbox_head_letter_timestamp > 90")


def test_a_count_stated_of_waiting_items_stays_a_count() -> None:
    rule = answered_rule(propose(_mailbox(), "more than 500 unread letters in the mailbox"))
    assert "time()" not in rule.expr


def _inverter() -> Catalog:
    return invented_catalog(
        {"name": "inverter_generator_time_on_seconds", "type": "gauge",
         "help": "Seconds the site has been powered by the generator since the grid failed."},
        {"name": "inverter_load_percent", "type": "gauge", "help": "Load of the inverter."},
        {"name": "inverter_fuel_left_percent", "type": "gauge", "help": "Fuel left."},
        {"name": "inverter_output_volts", "type": "gauge", "help": "Output voltage."},
    )


def test_it_reads_now_in_a_state_as_any_time_spent_in_it() -> None:
    result = propose(
        _inverter(), "Grid outage: the site is now running on generator (since <value>)")
    assert flat(answered_rule(result).expr) == flat("inverter_generator_time_on_seconds > 0")
    assert "non-zero time in that state" in result.rationale


def test_a_time_in_a_state_the_intent_does_not_name_is_not_read_so() -> None:
    result = propose(_inverter(), "the inverter output is unstable (since <value>)")
    assert not result.rules or "time_on_seconds > 0" not in result.rules[0].expr


def _scheduler() -> Catalog:
    return invented_catalog(
        {"name": "farm_agent_cpuutilization", "type": "gauge", "help": ""},
        {"name": "farm_agent_allocatedmb", "type": "gauge", "help": ""},
        {"name": "farm_agent_availablemb", "type": "gauge", "help": ""},
        {"name": "farm_job_placement_failures_total", "type": "counter", "help": ""},
    )


def test_it_pairs_allocated_and_available_gauges_with_a_unit_run_onto_the_role() -> None:
    rule = answered_rule(propose(
        _scheduler(),
        "Farm agent memory high: the agent has allocated more than 75% of its available memory"))
    assert flat(rule.expr) == flat(
        "(farm_agent_allocatedmb / (farm_agent_allocatedmb + farm_agent_availablemb)) > 0.75")


def test_the_cpu_share_of_the_same_agent_is_not_read_as_memory() -> None:
    result = propose(_scheduler(), "Farm agent CPU utilization above 90%")
    assert result.status is not Status.OK or "allocatedmb" not in result.rules[0].expr
