"""An intent that says a counter (or gauge) of problems has none, or that they stopped ("errors
stopped", "no errors for 1h", "zero failures", "has no unhealthy peers"): an increase above 0
would fire on the opposite of what was said. The literal "none ... for <period>" is answered
as said; the rest reads several ways (the series vanished, none were counted, none is the
norm), so it is asked. Catalogs here are invented for the tests."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, exporter_catalog, flat, propose


def _kv() -> Catalog:
    return exporter_catalog("kvstore", [
        ("kv_errors_total counter", "Total number of errors returned by the KV store."),
        ("kv_requests_total counter", "Total number of requests handled by the KV store."),
        ("kv_up gauge", "Whether the KV store is up (1) or down (0)."),
    ])


def _relay() -> Catalog:
    return exporter_catalog("relay", [
        ("relay_packets_dropped_total counter", "Packets the relay dropped."),
        ("relay_packets_forwarded_total counter", "Packets the relay forwarded."),
        ("relay_sync_failures_total counter", "Failed sync attempts."),
        ("relay_unhealthy_peers gauge", "Number of peers currently failing health checks."),
    ])


def _asked_reading(catalog: Catalog, intent: str) -> tuple[str, ...]:
    result = propose(catalog, intent)
    assert result.status is Status.CLARIFY, [r.expr for r in result.rules]
    assert result.questions[0].field == "none_reading"
    return result.questions[0].candidates


# --- said literally: none for a period ------------------------------------------------------------
def test_it_reads_no_errors_reported_for_an_hour_as_no_increase_over_that_hour() -> None:
    rule = answered_rule(propose(_kv(), "No kv errors reported for 1h"))
    assert flat(rule.expr) == "increase(kv_errors_total[1h])==0"
    assert rule.for_ is None  # one hour without any, not two


def test_it_reads_no_dropped_packets_for_30m_as_no_increase_of_the_drops() -> None:
    rule = answered_rule(propose(_relay(), "no dropped packets for 30m"))
    assert flat(rule.expr) == "increase(relay_packets_dropped_total[30m])==0"


# --- read several ways: asked -----------------------------------------------------------------------
def test_it_asks_whether_stopped_reporting_errors_means_the_series_vanished() -> None:
    assert _asked_reading(_kv(), "KV store stopped reporting errors") == ("absent", "zero")


def test_it_asks_about_errors_said_to_have_stopped() -> None:
    assert _asked_reading(_kv(), "kv errors stopped") == ("absent", "zero")
    assert _asked_reading(_relay(), "relay sync stopped failing") == ("absent", "zero")
    assert _asked_reading(_relay(), "relay stopped dropping packets") == ("absent", "zero")


def test_it_asks_whether_zero_errors_is_the_norm_or_the_problem() -> None:
    for intent in ("zero kv errors", "kv store error-free", "kv store returns no errors"):
        assert _asked_reading(_kv(), intent) == ("any", "zero", "absent"), intent


def test_it_asks_about_a_gauge_of_problems_said_to_be_none() -> None:
    assert _asked_reading(_relay(), "relay has no unhealthy peers") == ("any", "zero", "absent")


# --- the answers ------------------------------------------------------------------------------------
def test_it_answers_absent_with_the_series_absent() -> None:
    rule = answered_rule(propose(_kv(), "kv errors stopped", answers={"none_reading": "absent"}))
    assert flat(rule.expr) == "absent(kv_errors_total)"


def test_it_answers_zero_with_the_period_the_user_gives() -> None:
    rule = answered_rule(propose(_kv(), "kv errors stopped",
                                 answers={"none_reading": "zero, for 2h"}))
    assert flat(rule.expr) == "increase(kv_errors_total[2h])==0"


def test_it_answers_any_with_any_increase() -> None:
    rule = answered_rule(propose(_kv(), "zero kv errors", answers={"none_reading": "any"}))
    assert flat(rule.expr) == "increase(kv_errors_total[5m])>0"


# --- what keeps its reading --------------------------------------------------------------------------
def test_errors_said_to_happen_still_fire_on_any_increase() -> None:
    for intent in ("kv errors are reported", "kv store has errors", "relay sync is failing"):
        catalog = _relay() if "relay" in intent else _kv()
        assert flat(answered_rule(propose(catalog, intent)).expr).endswith(">0"), intent


def test_a_norm_that_none_should_happen_fires_on_any() -> None:
    rule = answered_rule(propose(_relay(), "no relay packets should be dropped"))
    assert flat(rule.expr) == "increase(relay_packets_dropped_total[5m])>0"


def test_a_negation_of_something_else_keeps_the_problem_reading() -> None:
    for intent in ("relay dropped packets without errors",
                   "relay sync has failed and will not be retried"):
        assert flat(answered_rule(propose(_relay(), intent)).expr).endswith(">0"), intent


def test_work_that_stopped_is_still_no_increase_of_its_counter() -> None:
    rule = answered_rule(propose(_kv(), "KV store no longer processing requests"))
    assert flat(rule.expr) == "increase(kv_requests_total[10m])==0"


def test_a_noun_sharing_a_problem_words_stem_is_no_problem_said_to_stop() -> None:
    # "blocks" stems like "blocked": the cleanup that has not run is the age of its last run.
    catalog = exporter_catalog("compactor", [
        ("cmp_block_cleanup_last_successful_run_timestamp_seconds gauge",
         "Unix time of the last successful block cleanup."),
        ("cmp_block_cleanup_failures_total counter", "Failed block cleanups."),
    ])
    rule = answered_rule(propose(catalog, "compactor has not cleaned up blocks in the last 6 "
                                 "hours"))
    assert "last_successful_run_timestamp_seconds" in rule.expr


def test_a_counter_of_the_act_said_not_to_happen_is_no_increase_of_it() -> None:
    # `blocks_cleaned` is no count of problems for all that "blocks" stems like "blocked".
    catalog = exporter_catalog("compactor", [
        ("cmp_blocks_cleaned_total counter", "Blocks cleaned."),
        ("cmp_config_reload_errors_total counter", "Config reload errors."),
    ])
    rule = answered_rule(propose(catalog, "compactor has not cleaned up blocks in the last 6 "
                                 "hours"))
    assert flat(rule.expr) == "increase(cmp_blocks_cleaned_total[6h])==0"
