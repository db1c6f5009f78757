from __future__ import annotations

import pytest

from monitorgen.core.generation.slots import Threshold, extract_slots, retrieval_text, to_base_unit


def test_it_reads_a_latency_threshold_and_converts_ms_to_seconds() -> None:
    slots = extract_slots("page me if checkout's p99 latency is over 500 ms for 10 minutes")
    assert slots.threshold is not None
    assert slots.threshold.comparator == ">"
    assert to_base_unit(slots.threshold, "seconds") == pytest.approx(0.5)
    assert slots.percentile == pytest.approx(0.99)
    assert slots.for_ == "10m"


def test_it_reads_what_is_left_as_a_low_percentage() -> None:
    slots = extract_slots("Disk is almost full (< 10% left)")
    assert slots.threshold == Threshold("<", 10.0, "percent", 1.0, None, "< 10%")
    assert slots.remaining


def test_it_turns_a_percentage_into_a_ratio_when_the_expression_is_a_ratio() -> None:
    slots = extract_slots("error rate above 2%")
    assert slots.threshold is not None
    assert to_base_unit(slots.threshold, "", as_ratio=True) == pytest.approx(0.02)
    assert to_base_unit(slots.threshold, "percent") == pytest.approx(2)


def test_it_converts_gigabytes_to_bytes() -> None:
    slots = extract_slots("alert when the cache uses more than 2 GB")
    assert slots.threshold is not None
    assert to_base_unit(slots.threshold, "bytes") == pytest.approx(2e9)


def test_it_reads_a_rate_per_second() -> None:
    slots = extract_slots("more than 10 errors per second")
    assert slots.threshold is not None
    assert slots.threshold.per == "second"


def test_it_does_not_take_a_for_duration_as_a_threshold() -> None:
    slots = extract_slots("node not responding for more than 2 minutes")
    assert slots.threshold is None
    assert slots.for_ == "2m"


def test_it_reads_a_window() -> None:
    assert extract_slots("more than 5 restarts in the last hour").window == "1h"


@pytest.mark.parametrize(
    ("text", "severity"),
    [("page me when it is down", "critical"), ("wake someone up", "critical"),
     ("let me know if it is slow", "warning"), ("open a ticket", "warning"),
     ("FYI when the queue grows", "info"), ("the queue grows", None)],
)
def test_it_reads_severity_from_the_wording(text: str, severity: str | None) -> None:
    assert extract_slots(text).severity == severity


def test_it_takes_scope_matchers_only_for_labels_the_catalog_has() -> None:
    slots = extract_slots("errors in the payments namespace for the checkout service",
                          label_names={"namespace"})
    assert slots.matchers == {"namespace": "payments"}


def test_it_does_not_take_ordinary_words_after_host_as_an_instance() -> None:
    assert extract_slots("Host out of memory", label_names={"instance"}).matchers == {}


def test_it_keeps_matchers_pinned_in_the_scope() -> None:
    slots = extract_slots("errors", scope_matchers={"service": "checkout"})
    assert slots.matchers == {"service": "checkout"}


def test_it_reads_an_aggregation() -> None:
    assert extract_slots("restarts per pod", label_names={"pod"}).by == ("pod",)
    assert extract_slots("error rate across the cluster").by == ()


def test_it_notices_a_value_placeholder_where_a_number_would_be() -> None:
    slots = extract_slots("Thanos: p99 latency is <value> seconds")
    assert slots.placeholder and slots.threshold is None
    assert not extract_slots("p99 latency above 2s").placeholder


@pytest.mark.parametrize(
    "text",
    ["Tempo has <value> unhealthy distributors", "Some placement groups are incomplete",
     "One or more volumes have failed", "Pilot has detected <value> duplicate clusters"],
)
def test_it_reads_any_occurrence_as_the_problem(text: str) -> None:
    assert extract_slots(text).presence


def test_it_reads_spelled_out_numbers() -> None:
    slots = extract_slots("more than one compactor is running")
    assert slots.threshold == Threshold(">", 1.0, "count", 1.0, None, "more than 1")


def test_a_stated_expectation_alerts_on_its_opposite() -> None:
    slots = extract_slots("No more than one instance should be running at once")
    assert slots.threshold is not None and slots.threshold.comparator == ">"


def test_it_reads_a_threshold_given_as_such() -> None:
    slots = extract_slots("p99 request latency is <value>ms (threshold: 1000ms)")
    assert slots.threshold is not None
    assert to_base_unit(slots.threshold, "seconds") == pytest.approx(1.0)


def test_being_at_zero_is_a_zero_condition() -> None:
    assert extract_slots("pool capacity has been at 0 for 5 minutes").zero
    assert extract_slots("no available pool capacity").zero


# --- plain-language windows, deadlines, scope and scales ------------------------------------------
LABELS = ("instance", "job", "namespace", "service", "route", "node")


def test_it_reads_a_window_from_times_in_an_hour() -> None:
    assert extract_slots("restarts more than 3 times in an hour").window == "1h"
    assert extract_slots("more than 5 errors within 10 minutes").window == "10m"
    assert extract_slots("more than 20 failures per day").window == "1d"


def test_it_does_not_take_a_forecast_horizon_for_a_window() -> None:
    assert extract_slots("the disk will fill up in 4 hours").window is None


def test_it_reads_a_deadline_as_time_left_below_it() -> None:
    threshold = extract_slots("page me 14 days before the certificate expires").threshold
    assert threshold is not None and threshold.comparator == "<"
    assert threshold.base_value == 14 * 86400


def test_it_reads_scope_after_a_preposition_and_a_scope_noun() -> None:
    assert extract_slots("disk on host db-1 is over 90%", label_names=LABELS).matchers == {
        "instance": "db-1"}
    assert extract_slots("pods in namespace payments are pending", label_names=LABELS).matchers == {
        "namespace": "payments"}
    assert extract_slots("5xx on route /api/orders", label_names=LABELS).matchers == {
        "route": "/api/orders"}


def test_it_does_not_take_ordinary_words_for_scope_values() -> None:
    assert extract_slots("when the node is down", label_names=LABELS).matchers == {}
    assert extract_slots("alert on host CPU above 90", label_names=LABELS).matchers == {}
    assert extract_slots("the checkout service p99 latency", label_names=LABELS).matchers == {
        "service": "checkout"}


def test_words_for_what_is_wrong_are_no_scope_values() -> None:
    assert extract_slots("slots are marked as failing because of node problems",
                         label_names=LABELS).matchers == {}
    assert extract_slots("alert on node health", label_names=LABELS).matchers == {}
    assert extract_slots("disk full on node db-1", label_names=LABELS).matchers == {
        "node": "db-1"}


def test_it_scales_millions() -> None:
    threshold = extract_slots("more than 2 million series").threshold
    assert threshold is not None and threshold.value == 2_000_000


def test_retrieval_text_drops_where_and_when_words() -> None:
    text = retrieval_text("pods in the payments namespace stuck at the same time last week",
                          {"namespace": "payments"})
    assert "namespace" not in text and "payments" not in text and "time" not in text
    assert retrieval_text("mongodb down for service db", {"service": "db"}) == "mongodb down"


def test_a_labels_name_before_its_placeholder_says_where_not_what() -> None:
    text = retrieval_text("Store host CPU high: system CPU usage on node <node> (cluster "
                          "<cluster>) is above 90%", {})
    assert "cluster" not in text and "node" not in text and "CPU usage" in text


def test_a_placeholders_name_the_title_says_stays() -> None:
    text = retrieval_text("Broker topic offline: topic <topic> has no leader", {})
    assert text.count("topic") == 2


def test_what_is_left_of_a_placeholder_is_no_scope_value() -> None:
    slots = extract_slots("Batch job not starting: Job <namespace>/<job_name> did not start",
                          label_names=["job", "namespace"])
    assert "job" not in slots.matchers


# --- the time a change took ---------------------------------------------------------------------
def test_the_time_a_change_took_is_its_window() -> None:
    slots = extract_slots("worker queue length is growing by more than 100 in 10 minutes")
    assert slots.window == "10m"
    assert slots.threshold is not None and slots.threshold.value == 100


def test_over_a_duration_after_a_change_is_its_window_not_a_threshold() -> None:
    slots = extract_slots("free space decreased by 10GB over 6 hours")
    assert slots.window == "6h"
    assert slots.threshold is not None
    assert (slots.threshold.kind, slots.threshold.value) == ("bytes", 10)


def test_an_amount_of_change_without_a_comparator_word_is_a_lower_bound() -> None:
    slots = extract_slots("requests increased by 500 in 10 minutes")
    assert slots.threshold is not None
    assert (slots.threshold.comparator, slots.threshold.value) == (">", 500)


def test_a_bare_in_hours_stays_a_forecast_horizon() -> None:
    assert extract_slots("disk will be full in 4 hours").window is None
