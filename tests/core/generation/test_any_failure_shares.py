"""A share of failures the intent says is happening, with no number: "is failing <value>% of
pushes", "is dropping <value>% of spans", "is experiencing <value>% storage errors". The
placeholder reports the value; the literal condition is any failure, a share above zero, and
the rule says so to its reviewer. A level ("high", "too many") or a duration still needs the
number. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog, Metric
from monitorgen.core.generation.labelvalues import value_matchers
from monitorgen.core.generation.result import GenerationResult, Status
from monitorgen.core.generation.slots import extract_slots
from monitorgen.core.promql import analyze_expr
from tests.core.generation.proposing import answered_rule, propose

RELAY = Catalog.model_validate({"name": "relay", "metrics": [
    {"name": "relay_push_failures_total", "type": "counter", "help": "Pushes that failed."},
    {"name": "relay_pushes_total", "type": "counter", "help": "Pushes attempted."},
    {"name": "relay_spans_dropped_total", "type": "counter", "help": "Spans dropped."},
    {"name": "relay_spans_received_total", "type": "counter", "help": "Spans received."},
    {"name": "relay_index_requests_total", "type": "counter", "labels": ["result"],
     "help": "Requests to the index store, by result."},
    {"name": "relay_push_duration_seconds", "type": "histogram", "help": "Push latency."},
    {"name": "relay_queue_length", "type": "gauge", "help": "Items waiting to be pushed."},
]})


def _families(result: GenerationResult) -> set[str]:
    return set(analyze_expr(answered_rule(result).expr).families)


def _assumptions(result: GenerationResult) -> list[str]:
    return list(result.provenance.parameters.get("assumptions", []))


def _asks_for_a_number(result: GenerationResult) -> bool:
    return result.status is Status.CLARIFY and result.questions[0].field in ("threshold",
                                                                              "metric")


def test_it_reads_failing_a_reported_share_as_any_failure() -> None:
    result = propose(RELAY, "Relay push failures: relay <instance> is failing <value>% of pushes")
    rule = answered_rule(result)
    assert _families(result) == {"relay_push_failures_total", "relay_pushes_total"}
    # The guard on the whole stays: no pushes at all is no failing share.
    assert "(sum by (job, instance) (rate(relay_pushes_total[5m])) > 0)" in rule.expr
    assert rule.expr.replace(" ", "").endswith(">0")


def test_it_tells_the_reviewer_that_no_threshold_was_stated() -> None:
    result = propose(RELAY, "relay is failing <value>% of pushes")
    notes = _assumptions(result)
    assert len(notes) == 1 and notes[0].startswith("no threshold stated: fires on any failure")
    assert "too noisy" in notes[0]


def test_it_reads_dropping_a_reported_share_of_spans_as_any_drop() -> None:
    result = propose(RELAY, "Relay dropping spans: relay <instance> is dropping <value>% of spans")
    assert _families(result) == {"relay_spans_dropped_total", "relay_spans_received_total"}
    assert answered_rule(result).expr.replace(" ", "").endswith(">0")


def test_it_reads_a_templated_share_of_attempts_that_failed_as_any_failure() -> None:
    result = propose(RELAY, "Relay push failures: relay is failing to push, "
                            "{{ $value | humanize }} of attempts failed")
    assert _families(result) == {"relay_push_failures_total", "relay_pushes_total"}
    assert answered_rule(result).expr.replace(" ", "").endswith(">0")


def test_it_reads_errors_of_a_counter_split_by_result_as_any_error() -> None:
    result = propose(RELAY, "relay <instance> is experiencing <value>% index request errors")
    rule = answered_rule(result)
    assert 'result=~"(?i)err(or)?|fail(ed|ure)?"' in rule.expr
    assert rule.expr.replace(" ", "").endswith(">0")


def test_a_title_names_the_alert_while_the_description_states_the_condition() -> None:
    result = propose(RELAY, "Relay Push Failures: relay <instance> is failing to push "
                            "<value>% of pushes")
    assert answered_rule(result).expr.replace(" ", "").endswith(">0")


def test_a_level_in_the_title_means_a_number_is_missing() -> None:
    # "High" is no "any": a rule at > 0 would page on a single failed push.
    assert _asks_for_a_number(propose(RELAY, "Relay High Push Failures: relay <instance> is "
                                             "failing to push <value>% of pushes"))
    assert _asks_for_a_number(propose(RELAY, "Relay too many push failures: relay <instance> "
                                             "is failing to push <value>% of pushes"))


def test_a_high_share_without_a_number_still_asks_for_it() -> None:
    assert _asks_for_a_number(propose(RELAY, "relay is failing a high share of pushes"))
    assert _asks_for_a_number(propose(
        RELAY, "Relay push failures: too many pushes are failing (<value>%)"))
    assert _asks_for_a_number(propose(
        RELAY, "Relay push failures: relay is failing <value>% of pushes, above normal"))


def test_a_latency_of_failing_pushes_still_asks_for_the_duration() -> None:
    result = propose(RELAY, "relay p99 latency of failing pushes is <value>s")
    assert result.status is Status.CLARIFY


def test_a_share_needs_the_counter_of_all_attempts_to_divide_by() -> None:
    catalog = Catalog.model_validate({"name": "lonely", "metrics": [
        {"name": "relay_push_failures_total", "type": "counter", "help": "Pushes that failed."},
        {"name": "relay_queue_length", "type": "gauge", "help": "Items waiting."},
    ]})
    result = propose(catalog, "relay is failing <value>% of pushes")
    assert result.status is Status.CLARIFY


def test_a_topic_without_a_reported_value_is_no_failure_said_to_happen() -> None:
    # "relay push error rate" names what to watch, not that pushes are failing.
    result = propose(RELAY, "relay push error rate")
    assert not any(note.startswith("no threshold stated") for note in _assumptions(result))


def test_what_a_later_clause_contrasts_is_not_the_failure() -> None:
    result = propose(RELAY, "relay is retrying <value>% of pushes, rather than returning errors")
    assert not any(note.startswith("no threshold stated") for note in _assumptions(result))


def test_a_failure_share_of_a_barely_named_metric_is_not_guessed() -> None:
    # Nothing in the catalog is about checkout: any push failing is not what the intent means.
    result = propose(RELAY, "checkout is returning <value>% 5xx errors")
    assert result.status is not Status.OK or "relay" not in answered_rule(result).expr


def test_a_reported_value_of_a_whole_is_a_share() -> None:
    assert extract_slots("relay: <value> of attempts failed").ratio
    assert extract_slots("relay: {{ $value | humanizePercentage }} of pushes failed").ratio
    assert not extract_slots("relay: <value> pushes failed").ratio


def test_a_failed_outcome_selects_errors_and_failures_alike() -> None:
    unlisted = Metric(name="relay_index_requests_total", labels=["result"])
    listed = Metric(name="relay_index_requests_total", labels=["result"],
                    label_values={"result": ["ok", "error"]})
    for words in ("index requests are failing", "index request errors"):
        assert [m.render() for m in value_matchers(unlisted, words)] == [
            'result=~"(?i)err(or)?|fail(ed|ure)?"']
        assert [m.render() for m in value_matchers(listed, words)] == ['result="error"']


def test_the_whole_of_the_share_must_be_named_too() -> None:
    # "failing <value>% of requests": errors of file syncs over file syncs is some other share.
    catalog = Catalog.model_validate({"name": "sync", "metrics": [
        {"name": "relay_sync_errors_total", "type": "counter", "help": "Sync errors."},
        {"name": "relay_sync_refreshes_total", "type": "counter", "help": "Sync refreshes."},
        {"name": "http_requests_total", "type": "counter", "help": "HTTP requests."},
    ]})
    result = propose(catalog, "Relay errors: relay is failing to handle <value>% of requests")
    assert result.status is not Status.OK or "refreshes" not in answered_rule(result).expr


def test_a_failure_share_of_a_counter_the_intent_barely_names_is_not_guessed() -> None:
    # "<value>% errors" of what? Not necessarily of the one counter that has a result label.
    catalog = Catalog.model_validate({"name": "ruler", "metrics": [
        {"name": "relay_ruler_remote_write_requests_total", "type": "counter",
         "labels": ["result"]},
        {"name": "relay_queue_length", "type": "gauge"},
    ]})
    result = propose(catalog, "Relay ruler errors: relay ruler <job> is experiencing <value>% "
                              "errors")
    assert not any(note.startswith("no threshold stated") for note in _assumptions(result))


TRACER = Catalog.model_validate({"name": "tracer", "metrics": [
    {"name": "tracer_query_requests_total", "type": "counter", "labels": ["instance"]},
    {"name": "tracer_query_latency_seconds", "type": "histogram"},
]})


def test_it_asks_which_label_tells_failed_attempts_apart_when_none_is_listed() -> None:
    intent = "Tracer query failures: tracer query on <instance> is failing <value>% of requests"
    result = propose(TRACER, intent)
    assert result.status is Status.CLARIFY
    question = result.questions[0]
    assert question.field == "status_label" and "tracer_query_requests_total" in question.text
    assert "result" in question.candidates
    rule = answered_rule(propose(TRACER, intent, answers={"status_label": "result"}))
    assert 'result=~"(?i)err(or)?|fail(ed|ure)?"' in rule.expr
    assert rule.expr.replace(" ", "").endswith(">0")


API = Catalog.model_validate({"name": "api", "metrics": [
    {"name": "api_request_errors_total", "type": "counter", "help": "Requests that failed."},
    {"name": "api_requests_total", "type": "counter", "help": "Requests served."},
    {"name": "lookup_cache_misses_total", "type": "counter", "help": "Cache misses."},
    {"name": "lookup_cache_lookups_total", "type": "counter", "help": "Cache lookups."},
]})


def _fires_on_any_failure(result: GenerationResult) -> bool:
    return any(note.startswith("no threshold stated") for note in _assumptions(result))


def test_a_rate_that_dropped_to_a_value_is_a_change_not_failures() -> None:
    assert not _fires_on_any_failure(propose(
        API, "API errors: the API error rate dropped to <value>%"))
    assert not _fires_on_any_failure(propose(
        API, "API success: the API success rate dropped to <value>%"))


def test_misses_of_a_cache_are_its_normal_traffic() -> None:
    assert not _fires_on_any_failure(propose(
        API, "Lookup cache: the lookup cache is missing <value>% of lookups"))


def test_what_the_failures_lead_to_does_not_qualify_them() -> None:
    # "high load" is a consequence; "above normal" qualifies the failing share itself.
    assert _fires_on_any_failure(propose(
        API, "API errors: the API is failing <value>% of requests, which can cause high load"))
    assert not _fires_on_any_failure(propose(
        API, "API errors: the API is failing <value>% of requests, above normal"))


def test_a_collector_that_dropped_a_share_of_spans_discarded_them() -> None:
    result = propose(RELAY, "Relay drops: the relay dropped <value>% of received spans")
    assert _fires_on_any_failure(result)
    assert _families(result) == {"relay_spans_dropped_total", "relay_spans_received_total"}


def test_dropping_a_stated_share_of_spans_is_too_many_above_it() -> None:
    # A share of things dropped (discarded) is a problem above the number; a value that
    # dropped by or to a number fell.
    for intent in ("Relay spans dropped: relay is dropping 5% of spans",
                   "Relay spans dropped: 5% of spans"):
        threshold = extract_slots(intent).threshold
        assert threshold is not None and threshold.comparator == ">"
    for intent in ("relay throughput dropped 20%", "relay hit rate drops below 80% of lookups"):
        threshold = extract_slots(intent).threshold
        assert threshold is not None and threshold.comparator == "<"
    rule = answered_rule(propose(RELAY, "Relay spans dropped: relay is dropping 5% of spans"))
    assert rule.expr.replace(" ", "").endswith(">0.05")


DISK = Catalog.model_validate({"name": "disk", "metrics": [
    {"name": "disk_write_errors_total", "type": "counter"},
    {"name": "disk_writes_total", "type": "counter"},
    {"name": "disk_used_bytes", "type": "gauge"},
    {"name": "disk_size_bytes", "type": "gauge"},
]})


def test_a_reported_usage_is_no_failing_share_though_writes_fail() -> None:
    assert not _fires_on_any_failure(propose(
        DISK, "Disk full: disk writes are failing because <value>% of the disk is used"))
    assert not _fires_on_any_failure(propose(
        DISK, "Disk: the disk is <value>% full and writes may fail"))
    assert _fires_on_any_failure(propose(DISK, "Disk write errors: <value>% of disk writes fail"))


def test_a_level_in_a_which_clause_still_qualifies_the_failures() -> None:
    assert not _fires_on_any_failure(propose(
        API, "API errors: the API is failing <value>% of requests, which is too high"))


def test_failing_to_send_a_reported_share_divides_errors_by_what_was_sent() -> None:
    catalog = Catalog.model_validate({"name": "pager", "metrics": [
        {"name": "pager_notifications_errors_total", "type": "counter", "labels": ["receiver"]},
        {"name": "pager_notifications_sent_total", "type": "counter", "labels": ["receiver"]},
        {"name": "pager_notifications_queue_length", "type": "gauge"},
        {"name": "pager_config_last_reload_successful", "type": "gauge"},
    ]})
    result = propose(catalog, "Pager error sending alerts: Pager is failing to send <value>% of "
                              "notifications to a receiver")
    assert _families(result) == {"pager_notifications_errors_total",
                                 "pager_notifications_sent_total"}
