"""Prometheus duration syntax (`1h30m`, `5m`, `250ms`): parse, format canonically, humanize."""

from __future__ import annotations

import re

_UNITS_MS: tuple[tuple[str, int], ...] = (
    ("y", 365 * 24 * 3600 * 1000),
    ("w", 7 * 24 * 3600 * 1000),
    ("d", 24 * 3600 * 1000),
    ("h", 3600 * 1000),
    ("m", 60 * 1000),
    ("s", 1000),
    ("ms", 1),
)
_DAY_MS = 24 * 3600 * 1000
_DURATION_RE = re.compile(
    r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$"
)
_HUMAN_UNITS: tuple[tuple[str, int], ...] = (
    ("year", 365 * 24 * 3600 * 1000),
    ("week", 7 * 24 * 3600 * 1000),
    ("day", 24 * 3600 * 1000),
    ("hour", 3600 * 1000),
    ("minute", 60 * 1000),
    ("second", 1000),
    ("millisecond", 1),
)


class DurationError(ValueError):
    pass


def parse_duration_ms(text: str) -> int:
    """Milliseconds in a Prometheus duration; raises DurationError naming the bad text."""
    value = text.strip()
    if value == "0":
        return 0
    match = _DURATION_RE.match(value)
    if not value or match is None or not any(match.groups()):
        raise DurationError(
            f"{text!r} is not a Prometheus duration (use units y, w, d, h, m, s, ms, e.g. '5m' or '1h30m')"
        )
    return sum(
        int(g) * unit_ms for g, (_, unit_ms) in zip(match.groups(), _UNITS_MS, strict=True) if g
    )


def parse_duration_seconds(text: str) -> float:
    return parse_duration_ms(text) / 1000


def format_duration_ms(ms: int) -> str:
    """Canonical Prometheus spelling: largest units first, `0s` for zero. Weeks only for whole
    weeks of days: a reader sees 30 days in `30d`, not in `4w2d`."""
    if ms < 0:
        raise DurationError("durations cannot be negative")
    if ms == 0:
        return "0s"
    parts: list[str] = []
    remaining = ms
    for unit, unit_ms in _UNITS_MS:
        if unit == "w" and (remaining // _DAY_MS) % 7:
            continue
        count, remaining = divmod(remaining, unit_ms)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def format_duration_seconds(seconds: float) -> str:
    return format_duration_ms(round(seconds * 1000))


def normalize_duration(text: str) -> str:
    return format_duration_ms(parse_duration_ms(text))


def humanize_duration_ms(ms: int) -> str:
    """English for a duration: `10 minutes`, `1 hour 30 minutes`, `0 seconds`."""
    if ms == 0:
        return "0 seconds"
    parts: list[str] = []
    remaining = ms
    for unit, unit_ms in _HUMAN_UNITS:
        count, remaining = divmod(remaining, unit_ms)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    return " ".join(parts)
