"""Prometheus durations: parsing, canonical spelling and English."""

from __future__ import annotations

import pytest

from monitorgen.core.durations import (
    DurationError,
    format_duration_ms,
    format_duration_seconds,
    humanize_duration_ms,
    normalize_duration,
    parse_duration_ms,
    parse_duration_seconds,
)

SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("0", 0),
        ("0s", 0),
        ("250ms", 250),
        ("30s", 30 * SECOND),
        ("5m", 5 * MINUTE),
        ("1h30m", 90 * MINUTE),
        ("1d", DAY),
        ("2w", 14 * DAY),
        ("1y", 365 * DAY),
        (
            "1y2w3d4h5m6s7ms",
            365 * DAY + 14 * DAY + 3 * DAY + 4 * HOUR + 5 * MINUTE + 6 * SECOND + 7,
        ),
        ("90s", 90 * SECOND),
        ("  10m  ", 10 * MINUTE),
    ],
)
def test_it_parses_prometheus_durations(text: str, ms: int) -> None:
    assert parse_duration_ms(text) == ms


def test_it_parses_to_seconds() -> None:
    assert parse_duration_seconds("1m30s") == 90.0
    assert parse_duration_seconds("250ms") == 0.25


@pytest.mark.parametrize(
    "text", ["", " ", "10", "5 m", "5M", "1.5h", "-5m", "m", "5mm", "1m1h", "10x", "1h 30m", "PT5M"]
)
def test_it_rejects_what_prometheus_rejects_and_names_the_text(text: str) -> None:
    with pytest.raises(DurationError, match="is not a Prometheus duration") as exc:
        parse_duration_ms(text)
    assert repr(text) in str(exc.value)


def test_a_duration_error_is_a_value_error() -> None:
    assert issubclass(DurationError, ValueError)


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0s"),
        (1, "1ms"),
        (90 * SECOND, "1m30s"),
        (10 * MINUTE, "10m"),
        (HOUR, "1h"),
        (7 * DAY, "1w"),
        (14 * DAY + 1500, "2w1s500ms"),
        (8 * DAY + 1500, "8d1s500ms"),
        (30 * DAY, "30d"),
        (365 * DAY, "1y"),
    ],
)
def test_it_formats_with_the_largest_units_first(ms: int, text: str) -> None:
    assert format_duration_ms(ms) == text


def test_it_refuses_to_format_a_negative_duration() -> None:
    with pytest.raises(DurationError, match="negative"):
        format_duration_ms(-1)


def test_it_formats_seconds_rounding_to_milliseconds() -> None:
    assert format_duration_seconds(0.25) == "250ms"
    assert format_duration_seconds(600) == "10m"
    assert format_duration_seconds(1.0004) == "1s"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("600s", "10m"),
        ("60m", "1h"),
        ("0h10m", "10m"),
        ("1440m", "1d"),
        ("0", "0s"),
        ("3600000ms", "1h"),
    ],
)
def test_normalizing_gives_one_spelling_per_duration(text: str, canonical: str) -> None:
    assert normalize_duration(text) == canonical


@pytest.mark.parametrize(
    "ms", [0, 1, 999, 1000, 61_000, 5 * MINUTE, 25 * HOUR, 8 * DAY + 7, 400 * DAY]
)
def test_formatting_then_parsing_gives_back_the_same_duration(ms: int) -> None:
    assert parse_duration_ms(format_duration_ms(ms)) == ms


@pytest.mark.parametrize(
    ("ms", "words"),
    [
        (0, "0 seconds"),
        (1, "1 millisecond"),
        (SECOND, "1 second"),
        (10 * MINUTE, "10 minutes"),
        (HOUR + 30 * MINUTE, "1 hour 30 minutes"),
        (DAY, "1 day"),
        (2 * 7 * DAY, "2 weeks"),
        (365 * DAY + DAY, "1 year 1 day"),
    ],
)
def test_it_humanizes_durations(ms: int, words: str) -> None:
    assert humanize_duration_ms(ms) == words
