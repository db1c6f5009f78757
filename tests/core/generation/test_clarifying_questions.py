"""Clarifying questions ask for the gap the intent leaves, in the metric's own terms, and offer
answers that, once picked, make a rule of it."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.planner import which_metric
from monitorgen.core.generation.ranking import ScoredMetric
from monitorgen.core.generation.result import Question, Status
from tests.core.generation.proposing import answered_rule, exporter_catalog, flat, propose

LARDER = exporter_catalog("larder", [
    ("larder_pantry_request_duration_seconds histogram route", "Time spent serving pantry requests."),
    ("larder_pantry_requests_total counter route", "Pantry requests served."),
    ("larder_sync_failures_total counter", "Failed syncs with the warehouse."),
    ("larder_syncs_total counter", "Syncs with the warehouse."),
    ("larder_restock_runs_total counter", "Restock runs started."),
])
SHELVES = exporter_catalog("shelves", [
    ("larder_restock_runs_total counter", "Restock runs started."),
    ("larder_shelf_state gauge shelf", "State of the shelf."),
    ("larder_sync_requests_total counter", "Sync requests sent to the warehouse."),
])


def _question(catalog: Catalog, intent: str) -> Question:
    result = propose(catalog, intent)
    assert result.status is Status.CLARIFY, [r.expr for r in result.rules]
    return result.questions[0]


def test_it_asks_a_latency_histogram_for_a_percentile_duration_and_offers_some() -> None:
    question = _question(LARDER, "Larder pantry slow: pantry p99 latency is <value>s")
    assert question.field == "threshold"
    assert "p99 latency of larder_pantry_request_duration_seconds" in question.text
    assert "above 500ms" in question.candidates
    rule = answered_rule(propose(LARDER, "Larder pantry slow: pantry p99 latency is <value>s",
                                 answers={"threshold": question.candidates[1]}))
    assert flat(rule.expr).startswith("histogram_quantile(0.99,")
    assert flat(rule.expr).endswith(">1")


def test_it_asks_how_little_time_may_be_left_of_a_histogram_of_time_until_expiry() -> None:
    catalog = exporter_catalog("gate", [
        ("gate_client_certificate_expiration_seconds histogram", "Time left on client certs."),
        ("gate_clients gauge", "Connected clients."),
    ])
    question = _question(catalog, "Gate client certificate expires soon")
    assert "latency" not in question.text
    assert question.candidates == ("below 7d", "below 1d")
    rule = answered_rule(propose(catalog, "Gate client certificate expires soon",
                                 answers={"threshold": "below 7d"}))
    assert flat(rule.expr).startswith("histogram_quantile(0.01,")
    assert flat(rule.expr).endswith("<604800")


def test_it_asks_how_much_a_counter_grows_not_its_value_and_offers_both_directions() -> None:
    intent = "Larder restock runs stalled: restocks keep being started"
    question = _question(LARDER, intent)
    assert "larder_restock_runs_total is a counter" in question.text
    assert "At what value" not in question.text
    assert question.candidates == ("above 0", "below 1")
    rule = answered_rule(propose(LARDER, intent, answers={"threshold": "below 1"}))
    assert flat(rule.expr) == "increase(larder_restock_runs_total[5m])<1"


def test_it_asks_a_share_without_its_number_for_a_percentage() -> None:
    intent = "Larder high sync failures: <value>% of warehouse syncs fail"
    question = _question(LARDER, intent)
    assert question.field == "threshold"
    assert "percentage" in question.text
    assert question.candidates == ("above 1%", "above 5%")
    rule = answered_rule(propose(LARDER, intent, answers={"threshold": "above 1%"}))
    assert "larder_sync_failures_total" in rule.expr and "larder_syncs_total" in rule.expr
    assert flat(rule.expr).endswith(">0.01")


def test_it_asks_whether_a_state_gauge_fires_at_zero_or_above_it() -> None:
    question = _question(SHELVES, "Larder shelf state is wrong")
    assert question.field == "threshold"
    assert "larder_shelf_state is 0" in question.text
    assert question.candidates == ("below 1", "above 0")
    rule = answered_rule(propose(SHELVES, "Larder shelf state is wrong",
                                 answers={"threshold": "below 1"}))
    assert flat(rule.expr) == "larder_shelf_state<1"


def test_it_asks_which_label_holds_the_outcome_when_every_run_is_counted_and_one_failed() -> None:
    question = _question(SHELVES, "Larder restock run has failed")
    assert question.field == "status_label"
    assert "larder_restock_runs_total tells the failed ones apart" in question.text
    assert "status" in question.candidates
    rule = answered_rule(propose(SHELVES, "Larder restock run has failed",
                                 answers={"status_label": "status"}))
    assert 'larder_restock_runs_total{status=~' in rule.expr


def test_it_asks_for_the_outcome_label_of_a_share_of_failing_requests_before_any_number() -> None:
    intent = "Larder high sync errors: <value>% of sync requests error"
    question = _question(SHELVES, intent)
    assert question.field == "status_label"
    rule = answered_rule(propose(SHELVES, intent, answers={"status_label": "outcome",
                                                           "threshold": "above 5%"}))
    assert 'larder_sync_requests_total{outcome=~' in rule.expr
    assert flat(rule.expr).endswith(">0.05")


def test_it_asks_how_old_a_timestamp_may_be_rather_than_its_value() -> None:
    catalog = exporter_catalog("larder", [
        ("larder_restock_last_run_timestamp_seconds gauge", "Unix time of the last restock run."),
        ("larder_shelf_items gauge shelf", "Items on the shelf."),
    ])
    intent = "Larder restock did not run recently"
    question = _question(catalog, intent)
    assert "how long ago" in question.text
    assert question.candidates == ("above 1h", "above 24h")
    rule = answered_rule(propose(catalog, intent, answers={"threshold": "above 24h"}))
    assert flat(rule.expr) == "time()-larder_restock_last_run_timestamp_seconds>86400"


def test_it_asks_which_metric_rather_than_a_number_of_one_of_two_named_equally_well() -> None:
    catalog = exporter_catalog("harbor", [
        ("harbor_crane_metadata gauge crane", "Crane metadata."),
        ("harbor_crane_quorum_status gauge crane", "Crane quorum status."),
        ("harbor_berth_total counter", "Berths."),
    ])
    result = propose(catalog, "Harbor crane is in trouble")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "metric"
    assert result.questions[0].candidates[:2] == ("harbor_crane_metadata",
                                                  "harbor_crane_quorum_status")
    assert "match it equally well" in result.message
    rule = answered_rule(propose(catalog, "Harbor crane is in trouble",
                                 answers={"metric": "harbor_crane_quorum_status",
                                          "threshold": "below 1"}))
    assert flat(rule.expr).endswith("harbor_crane_quorum_status<1")


def test_it_offers_metrics_matched_by_an_incidental_word_only_to_make_up_a_few() -> None:
    catalog = exporter_catalog("pier", [
        ("pier_tide_level_meters gauge", "Water level at the pier."),
        ("pier_tide_gauge_up gauge", "1 when the tide gauge answers."),
        ("pier_crane_lifts_total counter", "Lifts done by the cranes."),
        ("pier_berth_ships gauge", "Ships at berth."),
        ("pier_gate_opens_total counter", "Gate openings."),
    ])
    scores = (4.0, 3.0, 0.4, 0.3, 0.2)
    ranked = [ScoredMetric(metric, score) for metric, score in zip(catalog.metrics, scores,
                                                                   strict=True)]
    question = which_metric(catalog, ranked, "Pier tide gauge is wrong")
    assert question.candidates == ("pier_tide_level_meters", "pier_tide_gauge_up",
                                   "pier_crane_lifts_total")


def test_it_quotes_the_intents_title_when_asking_which_metric() -> None:
    catalog = exporter_catalog("pier", [
        ("pier_crane_lifts_total counter", "Lifts done by the cranes."),
        ("pier_berth_ships gauge", "Ships at berth."),
    ])
    intent = ("Pier tide gauge offline: the tide gauge at the pier stopped answering and the "
              "harbour master cannot see the water level any more")
    result = propose(catalog, intent)
    assert result.status is Status.CLARIFY
    question = result.questions[0]
    assert question.field == "metric"
    assert "'Pier tide gauge offline'" in question.text
