"""What the intent says must (not) happen: an expectation alerts on its opposite, a denied one
on itself."""

from __future__ import annotations

import pytest

from monitorgen.core.generation.slots import extract_slots


@pytest.mark.parametrize(("text", "comparator"), [
    ("disk usage should not exceed 80%", ">"),
    ("memory must never go over 90%", ">"),
    ("queue length should not be more than 100", ">"),
    ("replicas should be at least 3", "<"),
    ("the queue should stay below 100", ">="),
    ("no more than one compactor should be running at once", ">"),
])
def test_an_expectation_alerts_on_its_opposite_and_a_denied_one_on_itself(
        text: str, comparator: str) -> None:
    threshold = extract_slots(text).threshold
    assert threshold is not None and threshold.comparator == comparator


def test_a_should_in_a_later_clause_does_not_turn_the_comparison() -> None:
    threshold = extract_slots("the certificate expires in less than 7 days and must be renewed "
                              "urgently").threshold
    assert threshold is not None and threshold.comparator == "<"


@pytest.mark.parametrize("text", ["the job queue has not been empty for 10 minutes",
                                  "the job queue is not empty", "job queue length is not zero",
                                  "the job queue has a non-zero length"])
def test_not_empty_or_not_zero_is_above_zero(text: str) -> None:
    slots = extract_slots(text)
    assert slots.threshold is not None and (slots.threshold.comparator,
                                            slots.threshold.value) == (">", 0.0)
    assert not slots.zero


def test_a_denied_comparison_is_its_opposite() -> None:
    threshold = extract_slots("alert when ready replicas are not at least 3").threshold
    assert threshold is not None and threshold.comparator == "<"


def test_empty_is_still_zero() -> None:
    slots = extract_slots("the job queue has been empty for 10 minutes")
    assert slots.zero and slots.threshold is None


def test_twice_is_a_count_of_two() -> None:
    slots = extract_slots("the service restarted more than twice in the last 5 minutes")
    assert slots.threshold is not None and slots.threshold.value == 2
    assert slots.window == "5m"


def test_times_during_a_duration_is_a_window() -> None:
    assert extract_slots("the leader changed 3 times during 10 minutes").window == "10m"


@pytest.mark.parametrize("text", ["the job queue must not be empty",
                                  "the job queue should not be empty for 10 minutes"])
def test_must_not_be_empty_alerts_on_empty(text: str) -> None:
    slots = extract_slots(text)
    assert slots.zero and slots.threshold is None
