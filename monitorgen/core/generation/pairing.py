"""Pairs of metrics that form a ratio: a part and its whole, or errors and all attempts.

"Memory usage above 90%" needs used/limit, "less than 10% disk left" free/size, "more than 5% of
DNS lookups fail" failures/lookups. A pair is judged on evidence that does not depend on one
exporter's naming habits:

- the *subject*: name words left when role words (limit, free, used, errors), units and type
  suffixes are removed must agree (`node_filesystem_avail_bytes` / `node_filesystem_size_bytes`,
  not `node_filesystem_files_free`);
- roles: exactly one side is a whole (a limit, size, capacity, total) — or, without a whole, one
  side is what is used and the other what is free, and the whole is their sum;
- units: a part and its whole share a unit (bytes with bytes);
- labels: a whole whose labels the part has can be matched series by series;
- help text: the whole's help speaks of a limit, the two helps share words;
- the intent: partners it mentions rank higher.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.generation.naming import (
    FREE_WORDS,
    LIMIT_WORDS,
    PROBLEM_WORDS,
    STRONG_LIMIT_WORDS,
    USED_WORDS,
    core_words,
    effective_type,
    is_counter_like,
    is_free,
    is_info_metric,
    is_limit,
    is_part_word,
    is_timestamp_metric,
    limit_strength,
    metric_unit,
    split_role,
)
from monitorgen.core.generation.vocabulary import (
    ABBREVIATIONS,
    concepts_of_stem,
    opposite_stems,
    segment,
    split_identifier,
    stem,
)

# Words that name everything that was attempted: the denominator of an error ratio.
_ALL_WORDS = frozenset(stem(w) for w in (
    "requests", "request", "total", "lookups", "attempts", "calls", "operations", "handled",
    "processed", "received", "sent", "queries", "invocations", "transactions", "messages",
    "spans", "events", "all", "started", "completed", "responses", "accepted", "runs", "writes",
    "reads", "samples", "points", "records", "connections", "evaluations", "iterations"))
# The words above, for callers that look for the counter of all attempts.
ATTEMPT_STEMS = _ALL_WORDS
# Words that say how a value is shaped or where it comes from (`config`, `global_variables`,
# `spec`, `status`), not what it measures.
_NOISE = frozenset(stem(w) for w in ("bytes", "seconds", "total", "count", "sum", "bucket",
                                     "ratio", "percent", "value", "current", "number", "num",
                                     "gauge", "avg", "average", "all", "of", "the", "in",
                                     "config", "configured", "variables", "variable", "settings",
                                     "setting", "spec", "status", "stats", "global"))
# Name words of configuration values: settings are limits, never what is in use.
_CONFIG_WORDS = frozenset({"config", "configured", "settings", "setting", "variables", "spec"})
_HELP_LIMIT_WORDS = frozenset(stem(w) for w in ("maximum", "max", "limit", "capacity", "total",
                                                "size", "quota", "configured", "allowed"))
MAX_PAIRS = 3


@dataclass(frozen=True)
class Pair:
    """numerator / denominator; for a whole that is a sum, denominator = numerator + other."""

    numerator: Metric
    denominator: Metric
    kind: str  # "part-of-whole" | "errors-of-all" | "part-of-sum"
    score: float
    reasons: tuple[str, ...] = ()
    other_part: Metric | None = None
    # Compare rates (both sides count events) or values; None: as the metrics' types say.
    rates: bool | None = None
    # Further parts summed into the denominator: a whole no one metric holds (unicast +
    # multicast + broadcast packets are all packets).
    whole_also: tuple[Metric, ...] = ()
    # Further parts summed into the numerator: what a limit bounds, one metric per state
    # (active + idle + used connections of a maximum).
    part_also: tuple[Metric, ...] = ()

    @property
    def metrics(self) -> tuple[Metric, ...]:
        if self.other_part is not None:
            return (self.numerator, self.other_part)
        return (self.numerator, *self.part_also, self.denominator, *self.whole_also)


@dataclass(frozen=True)
class _Shape:
    words: tuple[str, ...]
    subject: frozenset[str]
    roles: frozenset[str]


def _vocabulary(catalog: Catalog) -> frozenset[str]:
    return _vocabulary_cached(tuple(m.name for m in catalog.metrics))


def _weights(catalog: Catalog) -> dict[str, float]:
    return _weights_cached(tuple(m.name for m in catalog.metrics))


@lru_cache(maxsize=256)
def _weights_cached(names: tuple[str, ...]) -> dict[str, float]:
    df: dict[str, int] = {}
    for name in names:
        for s in {stem(w) for w in split_identifier(name)}:
            df[s] = df.get(s, 0) + 1
    n = max(len(names), 1)
    return {s: math.log(1 + n / count) for s, count in df.items()}


@lru_cache(maxsize=256)
def _vocabulary_cached(names: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for name in names:
        found.update(w for w in split_identifier(name) if len(w) >= 3)
    return frozenset(found | {"max", "min", "free", "used", "size", "limit", "total", "available",
                              "usage", "capacity", "current", "clients", "connections"})


@lru_cache(maxsize=16384)
def _shape_of(name: str, vocabulary: frozenset[str], counter: bool) -> _Shape:
    metric = Metric(name=name)
    words: list[str] = []
    for word in core_words(metric) if counter else split_identifier(name):
        if concepts_of_stem(stem(word)):
            # A word of the ops vocabulary is one word (`MemAvailable`: not `avail` + `able`).
            words.append(word)
            continue
        pieces = segment(word, vocabulary) if len(word) >= 7 else None
        words.extend(pieces or split_role(word))
    stems_ = [stem(ABBREVIATIONS.get(w, w)) for w in words]
    # A noun sharing a stem with a part word (`max_connections`) names the subject.
    roles = frozenset(s for w, s in zip(words, stems_, strict=True)
                      if s in LIMIT_WORDS | PROBLEM_WORDS
                      or s in FREE_WORDS | USED_WORDS and is_part_word(ABBREVIATIONS.get(w, w)))
    subject = frozenset(s for s in stems_ if s not in roles and s not in _NOISE)
    return _Shape(tuple(words), subject, roles)


def _shape(metric: Metric, vocabulary: frozenset[str]) -> _Shape:
    return _shape_of(metric.name, vocabulary, is_counter_like(metric))


def _overlap(a: frozenset[str], b: frozenset[str], weight: dict[str, float]) -> float:
    """Shared subject words, rare words counting more (`statefulset` more than `kube`)."""
    union = a | b
    total = sum(weight.get(w, 1.0) for w in union)
    return sum(weight.get(w, 1.0) for w in a & b) / total if total else 0.0


def _prefix(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _label_fit(part: Metric, whole: Metric) -> float:
    """1 when the series line up one to one, 0.5 when the whole can be joined on, else 0."""
    mine, theirs = set(part.labels), set(whole.labels)
    if mine == theirs:
        return 1.0
    if theirs <= mine:
        return 0.5
    return 0.0


def _help_fit(part: Metric, whole: Metric) -> float:
    from monitorgen.core.generation.vocabulary import stems

    whole_help = set(stems(whole.help))
    score = 0.5 if whole_help & _HELP_LIMIT_WORDS else 0.0
    part_help = set(stems(part.help))
    shared = (part_help & whole_help) - _NOISE
    return score + min(len(shared), 3) * 0.15


# Name words of a value that already is a share (`bloat_pct`, `fd_ratio`): never a part.
# (`utilization` is not one: `resource_current_utilization` counts what is in use.)
_SHARE_WORDS = frozenset({"pct", "percent", "percentage", "ratio", "fraction"})


def _usable(metric: Metric) -> bool:
    if metric_unit(metric) in ("ratio", "percent") or set(split_identifier(metric.name)) & (
        _SHARE_WORDS
    ):
        return False
    return not (is_info_metric(metric) or is_timestamp_metric(metric) or metric.name == "up")


def find_pairs(metric: Metric, catalog: Catalog, *, relevance: dict[str, float] | None = None,
               errors: bool = False) -> list[Pair]:
    """Ratios `metric` can take part in, best first (at most MAX_PAIRS).

    `relevance` holds the intent's ranking score per metric name: partners the intent mentions
    are preferred. With `errors`, counters pair as problems / all attempts.
    """
    if not _usable(metric):
        return []
    relevance = relevance or {}
    vocabulary = _vocabulary(catalog)
    weights = _weights(catalog)
    counter = is_counter_like(metric)
    mine = _shape(metric, vocabulary)
    pairs: list[Pair] = []
    for other in catalog.metrics:
        if other.name == metric.name or not _usable(other):
            continue
        theirs = _shape(other, vocabulary)
        members = _healthy_of_total(metric, other)
        if members is not None:
            near = 0.1 * min(relevance.get(other.name, 0.0), 10.0)
            pairs.append(Pair(members[0], members[1], "part-of-whole", round(3.0 + near, 4),
                              (f"{members[0].name} counts the healthy among "
                               f"{members[1].name}",), rates=False))
            continue
        events = _untyped_events(metric, other, mine, theirs)
        levels = _untyped_counts_of_a_limit(metric, other)
        if is_counter_like(other) != counter and not events:
            continue
        # `threads_connected` of `max_connections`: a part word names the whole's subject.
        my_subject = mine.subject | (mine.roles & theirs.subject)
        their_subject = theirs.subject | (theirs.roles & mine.subject)
        if not counter and my_subject - their_subject and their_subject - my_subject:
            continue  # `vcpus_used` and `memory_max` measure different things
        overlap = _overlap(my_subject, their_subject, weights)
        prefix = _prefix(mine.words, theirs.words)
        if overlap < 0.5 and _host_whole(mine, theirs):
            overlap = 0.5
        if overlap < 0.5 and (prefix < 2 or overlap < 0.3):
            continue
        near = 0.1 * min(relevance.get(other.name, 0.0), 10.0)
        if (counter or events) and not levels:
            pair = _error_pair(metric, other, mine, theirs, overlap, prefix, near, errors)
            pair = replace(pair, rates=True) if pair is not None and events else pair
        else:
            pair = _part_whole_pair(metric, other, mine, theirs, overlap, prefix, near)
            pair = replace(pair, rates=False) if pair is not None and levels else pair
        if pair is not None:
            pairs.append(pair)
    summed = _errors_of_summed_parts(metric, catalog, mine) if counter else None
    if summed is not None:
        pairs.append(summed)
    pairs.sort(key=lambda p: (-p.score, p.denominator.name, p.numerator.name))
    return pairs[:MAX_PAIRS]


# "not addressed to a multicast or broadcast address": a help naming the other parts a count
# leaves out, so that it and they add up to everything.
_NOT_CLAUSE_RE = re.compile(r"\bnot\b([^.;]*)", re.I)


def _errors_of_summed_parts(metric: Metric, catalog: Catalog, mine: _Shape) -> Pair | None:
    """errors / (the sum of the parts of all attempts) when no one counter holds all attempts
    but sibling counters split them, each named by one word (`in_ucast_pkts`,
    `in_multicast_pkts`, `in_broadcast_pkts`), and one's help says it counts those "not" of the
    others' kinds: together they are every packet. The error counter's other name words must
    all be words the parts share (`in` of `in_errors`), so inbound errors go with inbound
    packets."""
    if not mine.roles & PROBLEM_WORDS:
        return None
    own = {w.lower() for w in split_identifier(metric.name)} - {
        w for w in (x.lower() for x in split_identifier(metric.name)) if stem(w) in PROBLEM_WORDS}
    own -= {"total", "count"}
    groups: dict[tuple[str, ...], list[tuple[Metric, str]]] = {}
    for other in catalog.metrics:
        if other.name == metric.name or not is_counter_like(other) or not _usable(other):
            continue
        words = [w.lower() for w in split_identifier(other.name)]
        if {stem(w) for w in words} & PROBLEM_WORDS:
            continue
        for at in range(len(words)):
            groups.setdefault((str(at), *words[:at], *words[at + 1:]), []).append(
                (other, words[at]))
    found: list[list[tuple[Metric, str]]] = []
    for key, members in groups.items():
        if len(members) < 2 or not own <= set(key[1:]):
            continue
        if _complete(members):
            found.append(members)
    if len(found) != 1:
        return None  # none, or two ways to split (32- and 64-bit counters): unclear
    members = sorted(found[0], key=lambda m: m[0].name)
    parts = [m for m, _ in members]
    return Pair(metric, parts[0], "errors-of-all", 3.0,
                (f"{metric.name} counts problems among the sum of "
                 + ", ".join(p.name for p in parts),), rates=True, whole_also=tuple(parts[1:]))


def _complete(members: list[tuple[Metric, str]]) -> bool:
    """One member's help says it counts what is "not" any of the other members' kinds."""
    for metric, _ in members:
        for clause in _NOT_CLAUSE_RE.findall(metric.help):
            said = {w.lower() for w in re.findall(r"[A-Za-z]+", clause)}
            others = [word for other, word in members if other.name != metric.name]
            if any(len(w) < 3 for w in others):
                continue  # a letter or two (`a`, `v2`) is no kind a help would name
            if all(any(s.startswith(w) or w.startswith(s) and len(s) >= 4 for s in said)
                   for w in others):
                return True
    return False


# Words that make a whole the machine's rather than the process's: `total_system_memory`.
_HOST_WORDS = frozenset(stem(w) for w in ("system", "host", "machine", "physical", "os"))


def _host_whole(mine: _Shape, theirs: _Shape) -> bool:
    """One subject is the other's plus words naming the machine (`redis_memory_used` of
    `redis_total_system_memory`): what a process uses of the host's capacity."""
    small, large = sorted((mine.subject, theirs.subject), key=len)
    extra = large - small
    return bool(small) and small < large and extra <= _HOST_WORDS


# Last name words of a gauge counting the members of a group in a good state.
_MEMBER_STATES = frozenset({"healthy", "ready", "up", "available", "online", "reachable"})


def _healthy_of_total(metric: Metric, other: Metric) -> tuple[Metric, Metric] | None:
    """(healthy, total) for `membership_healthy` beside `membership_total`: a gauge of members
    in a good state and the same name ending in `total` instead. Such a `_total` is read as a
    counter by its suffix alone, but without a help text saying it counts events it is the
    number of members, the whole the healthy ones are a part of."""
    for part, whole in ((metric, other), (other, metric)):
        mine, theirs = split_identifier(part.name), split_identifier(whole.name)
        if (len(mine) >= 2 and mine[:-1] == theirs[:-1] and mine[-1] in _MEMBER_STATES
                and theirs[-1] == "total" and not whole.help and not is_counter_like(part)
                and whole.type in (MetricType.COUNTER, MetricType.UNKNOWN)):
            return part, whole
    return None


# Problems that happen (and are counted as they happen), unlike states such as `unhealthy`.
_EVENT_PROBLEMS = frozenset(stem(w) for w in (
    "error", "errors", "failed", "failure", "failures", "fails", "timeout", "timeouts",
    "rejected", "rejections", "rejects", "dropped", "retries", "retry", "aborted", "discarded",
    "refused", "exceptions", "exception", "overflows", "evicted", "ejections", "crashes",
    "restarts", "resets", "retransmits", "skipped", "missed", "misses", "denied"))


def _untyped_counts_of_a_limit(metric: Metric, other: Metric) -> bool:
    """Two untyped `_count` metrics, one of them a hard limit (`prepared_stmt_count` and
    `max_prepared_stmt_count`): a limit is never a counter, so both are levels, not counters."""
    if any(m.type is not MetricType.UNKNOWN or not m.name.endswith("_count")
           for m in (metric, other)):
        return False
    return any({stem(w) for w in split_identifier(m.name)} & STRONG_LIMIT_WORDS
               for m in (metric, other))


def _untyped_events(metric: Metric, other: Metric, mine: _Shape, theirs: _Shape) -> bool:
    """Two metrics without a declared type, one named for problems (`push_errors`,
    `rq_timeout`) and the other for all attempts (`pushes`, `rq_completed`): counts of events
    whose exporter dropped the `_total` suffix, so their ratio is one of rates."""
    if MetricType.UNKNOWN not in (metric.type, other.type) or any(
        m.type not in (MetricType.UNKNOWN, MetricType.COUNTER) for m in (metric, other)
    ):
        return False
    if is_limit(metric) or is_limit(other) or metric_unit(metric) or metric_unit(other):
        return False
    my_problem = bool(mine.roles & PROBLEM_WORDS)
    if my_problem == bool(theirs.roles & PROBLEM_WORDS):
        return False
    whole, problem = (theirs, mine) if my_problem else (mine, theirs)
    if not whole.words or not problem.roles & _EVENT_PROBLEMS:
        return False  # `members_unhealthy` is a state of members, not a count of events
    # `rq_completed`, `requests`; or the very thing that fails (`pushes` of `push_errors`).
    last = stem(whole.words[-1])
    return last in _ALL_WORDS or last in problem.subject


def _error_pair(metric: Metric, other: Metric, mine: _Shape, theirs: _Shape, overlap: float,
                prefix: int, near: float, errors: bool) -> Pair | None:
    if _complements(mine, theirs):
        # `hits` and `misses` are the two outcomes of one thing: the whole is their sum.
        score = 2.0 * overlap + 0.3 * prefix + near + 0.5
        return Pair(metric, other, "part-of-sum", round(score, 4),
                    (f"{metric.name} and {other.name} add up to all outcomes",),
                    other_part=other)
    hits = _hits_of_all(metric, other, mine, theirs)
    if hits is not None:
        score = 2.0 * overlap + 0.3 * prefix + near + 0.5
        return Pair(hits[0], hits[1], "part-of-whole", round(score, 4),
                    (f"{hits[0].name} counts the hits among {hits[1].name}",), rates=True)
    my_problem = bool(mine.roles & PROBLEM_WORDS)
    their_problem = bool(theirs.roles & PROBLEM_WORDS)
    if my_problem == their_problem:
        return None
    if _counted_unit(metric) != _counted_unit(other) or _counted_unit(metric) == "seconds":
        # Time spent (`cpu_waiting_seconds` of `cpu_seconds`) is busy time, not failed attempts.
        return None
    numerator, denominator = (metric, other) if my_problem else (other, metric)
    whole = theirs if my_problem else mine
    score = 2.0 * overlap + 0.3 * prefix + near + (0.5 if errors else 0.0)
    if whole.words and stem(whole.words[-1]) in _ALL_WORDS or set(map(stem, whole.words)) & _ALL_WORDS:
        score += 0.6
    return Pair(numerator, denominator, "errors-of-all", round(score, 4),
                (f"{numerator.name} counts problems among {denominator.name}",))


_HIT_STEMS = frozenset(stem(w) for w in ("hit", "hits"))


def _hits_of_all(metric: Metric, other: Metric, mine: _Shape,
                 theirs: _Shape) -> tuple[Metric, Metric] | None:
    """(hits, all) when the names differ by one word each, `hits` against a word for all
    attempts (`cache_hits_total` / `cache_lookups_total`): the hit ratio is hits / lookups."""
    a = {stem(w) for w in mine.words}
    b = {stem(w) for w in theirs.words}
    only_mine, only_theirs = a - b, b - a
    if len(only_mine) != 1 or len(only_theirs) != 1:
        return None
    if only_mine <= _HIT_STEMS and only_theirs <= _ALL_WORDS:
        return metric, other
    if only_theirs <= _HIT_STEMS and only_mine <= _ALL_WORDS:
        return other, metric
    return None


def _counted_unit(metric: Metric) -> str:
    """The unit of what a counter's rate counts: a histogram's or summary's `_count` counts
    events, whatever its observations measure."""
    if effective_type(metric) in (MetricType.HISTOGRAM, MetricType.SUMMARY):
        return ""
    return metric_unit(metric)


# The two ways one thing ends, counted side by side: a transaction commits or rolls back, a
# request is accepted or rejected. Not opposites in meaning (a rollback is no "un-commit"), so
# kept out of the vocabulary's opposites, which also steer the ranking.
_OUTCOMES: tuple[frozenset[str], ...] = tuple(
    frozenset(stem(w) for w in pair) for pair in (
        ("commit", "rollback"), ("commits", "rollbacks"), ("committed", "aborted"),
        ("commit", "abort"), ("committed", "rolledback"),
        ("accepted", "rejected"), ("allowed", "denied"), ("acked", "nacked"),
        # A block or page is found in the cache (a hit) or read from disk: `blks_hit` and
        # `blks_read` add up to all lookups, so the hit ratio is hit / (hit + read).
        ("hit", "read"), ("hits", "reads"),
    ))


def _complements(mine: _Shape, theirs: _Shape) -> bool:
    """The names differ by one word each, and those words are opposites (`hits`/`misses`) or
    the two outcomes of one thing (`xact_commit`/`xact_rollback`)."""
    a = {stem(w) for w in mine.words}
    b = {stem(w) for w in theirs.words}
    only_mine, only_theirs = a - b, b - a
    if len(only_mine) != 1 or len(only_theirs) != 1:
        return False
    word, other = next(iter(only_mine)), next(iter(only_theirs))
    return other in opposite_stems(word) or frozenset({word, other}) in _OUTCOMES


_DURATION_NAME_WORDS = frozenset({"duration", "latency", "lag", "delay", "elapsed", "uptime"})


def _names_a_duration(metric: Metric) -> bool:
    return bool({w.lower() for w in split_identifier(metric.name)} & _DURATION_NAME_WORDS)


def _names_time(metric: Metric) -> bool:
    """Any amount of time (a latency's timeout or interval is its limit)."""
    return metric_unit(metric) in ("seconds", "milliseconds", "minutes", "hours", "days") or bool(
        {w.lower() for w in split_identifier(metric.name)} & (_DURATION_NAME_WORDS | {
            "timeout", "interval", "ttl", "period", "time", "seconds", "ms"}))


def _part_whole_pair(metric: Metric, other: Metric, mine: _Shape, theirs: _Shape,
                     overlap: float, prefix: int, near: float) -> Pair | None:
    if metric_unit(metric) != metric_unit(other) or metric_unit(metric) in ("ratio", "percent"):
        return None
    if effective_type(metric) != effective_type(other):
        return None
    if _names_a_duration(metric) and not _names_time(other) or _names_a_duration(
            other) and not _names_time(metric):
        # `activity_max_tx_duration` is the longest transaction, no capacity of a count of
        # sessions: a duration and a count are never part and whole, whatever the unit says.
        return None
    my_limit, their_limit = limit_strength(metric), limit_strength(other)
    if my_limit and their_limit and my_limit != their_limit:
        # `queue_size` is the part of `queue_capacity`; `size` and `total` are weak limits.
        my_limit, their_limit = my_limit > their_limit, their_limit > my_limit
    else:
        my_limit, their_limit = bool(my_limit), bool(their_limit)
        # `inodes_free` is the part of `inodes`: the same words without the role word.
        if not my_limit and not their_limit and mine.subject == theirs.subject:
            mine_roles = mine.roles & (FREE_WORDS | USED_WORDS)
            their_roles = theirs.roles & (FREE_WORDS | USED_WORDS)
            if mine_roles and not theirs.roles:
                their_limit = True
            elif their_roles and not mine.roles:
                my_limit = True
    base = 2.0 * overlap + 0.3 * prefix + near
    if my_limit != their_limit:
        part, whole = (other, metric) if my_limit else (metric, other)
        if set(split_identifier(part.name)) & _CONFIG_WORDS:
            return None  # a setting (`settings_reserved_connections`) is not what is in use
        score = base + _label_fit(part, whole) + _help_fit(part, whole)
        part_roles = theirs.roles if my_limit else mine.roles
        if part_roles & (FREE_WORDS | USED_WORDS):
            score += 0.5  # the part says what it is: used, free, current
        return Pair(part, whole, "part-of-whole", round(score, 4),
                    (f"{part.name} is part of {whole.name}",))
    # No capacity metric: what is used and what is free add up to the whole.
    my_free, their_free = is_free(metric), is_free(other)
    if is_limit(metric) or is_limit(other):
        return None
    my_used = bool(mine.roles & USED_WORDS) and not my_free
    their_used = bool(theirs.roles & USED_WORDS) and not their_free
    if my_free and their_used or my_used and their_free:
        score = base + _label_fit(metric, other) - 0.3
        return Pair(metric, other, "part-of-sum", round(score, 4),
                    (f"{metric.name} and {other.name} add up to the whole",), other_part=other)
    return None


# Words of a gauge holding how much a link or device can carry per second.
_SPEED_WORDS = frozenset({"speed", "bandwidth"})


_UNIT_WORDS = frozenset({"bytes", "bits", "bps", "octets", "per", "second", "seconds"})


def _speed_subject(words: list[str]) -> set[str]:
    """What a speed gauge is the speed of: its words but the speed and unit words (`if` of
    `ifSpeed`, `node network` of `node_network_speed_bytes`)."""
    return {w.lower() for w in words} - _SPEED_WORDS - _UNIT_WORDS


def find_speed(metric: Metric, catalog: Catalog) -> tuple[Metric, int] | None:
    """The per-second capacity of what a bytes counter counts (`network_receive_bytes_total`
    / `network_speed_bytes`), with the factor that turns the counter's bytes into the speed's
    unit: 1 for a speed in bytes, 8 for one without a unit (link speeds are quoted in bits per
    second, as SNMP's `ifSpeed`). Its rate over that capacity is the link's utilisation.

    The speed is a gauge named for a speed, of the same thing: sharing the counter's leading
    words and labels (`node_network_`, by `device`), or its first word and all its labels
    (`ifHCInOctets` and `ifSpeed`, by interface)."""
    mine = split_identifier(metric.name)
    if effective_type(metric) is not MetricType.COUNTER or not (
        metric_unit(metric) == "bytes" or "octets" in mine
    ):
        return None
    found: list[tuple[int, str, Metric, int]] = []
    for other in catalog.metrics:
        words = split_identifier(other.name)
        unit = metric_unit(other)
        if is_counter_like(other) or unit not in ("bytes", "") or not set(words) & _SPEED_WORDS:
            continue
        shared = _prefix(tuple(mine), tuple(words))
        lined_up = shared >= 2 and set(other.labels) <= set(metric.labels) or (
            shared >= 1 and bool(other.labels) and set(other.labels) == set(metric.labels))
        if lined_up and not _speed_subject(words) <= {w.lower() for w in mine}:
            # `node_network_speed_bytes` is the speed of a network device, not of a disk that
            # shares its labels (`node_disk_read_bytes_total`, by `device`).
            continue
        if lined_up:
            found.append((-shared, other.name, other, 1 if unit == "bytes" else 8))
    found.sort(key=lambda item: (item[0], item[1]))
    return (found[0][2], found[0][3]) if found else None




# Words of a state members are in when all is well (`bonding_active`, `replicas_ready`), and
# words that name every member there should be (`configured slaves`, `desired replicas`).
# ("available" is left out: `available_bytes` of `total_bytes` is free space, not members.)
_GOOD_STATE_WORDS = frozenset({"active", "ready", "healthy", "online", "up",
                               "running", "synced", "current", "updated"})
_ALL_MEMBER_WORDS = frozenset({"configured", "desired", "expected", "total", "all", "required"})


# What a redundant group is made of: "ready messages" of all messages are no members.
_MEMBER_STEMS = frozenset(stem(w) for w in (
    "replica", "slave", "member", "node", "disk", "drive", "device", "worker", "instance", "pod",
    "endpoint", "broker", "peer", "link", "port", "path", "server", "backend", "shard",
    "partition", "voter", "mirror", "interface", "host", "process", "thread", "unit"))


def _of_members(metric: Metric) -> bool:
    """The metric's name or help names members of a group (`slaves`, "nodes")."""
    words = split_identifier(metric.name) + _help_words(metric)
    return any(stem(w) in _MEMBER_STEMS for w in words)


def _help_words(metric: Metric) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z_]+", metric.help or "")]


def _names_the_part_of(part: list[str], whole: list[str]) -> bool:
    """`part` is `whole` with one good-state word added ("number of ready replicas" of "number
    of replicas") or put in place of a word naming all members ("number of active slaves" of
    "number of configured slaves")."""
    if len(part) == len(whole) + 1:
        return any(part[i] in _GOOD_STATE_WORDS and part[:i] + part[i + 1:] == whole
                   for i in range(len(part)))
    if len(part) == len(whole):
        diff = [i for i in range(len(part)) if part[i] != whole[i]]
        return (len(diff) == 1 and part[diff[0]] in _GOOD_STATE_WORDS
                and whole[diff[0]] in _ALL_MEMBER_WORDS)
    return False


def members_in_good_state(metric: Metric, catalog: Catalog) -> list[tuple[Metric, Metric]]:
    """(part, whole) pairs of a gauge of members in a good state and its sibling gauge of all
    members, `metric` being either: `bonding_active` ("Number of active slaves") beside
    `bonding_slaves` ("Number of configured slaves"), `status_replicas_ready` beside
    `status_replicas`. The help texts or the names must differ by the state word alone, the
    whole must be of members (not `messages_ready` of `messages`), and the two must share
    their labels so that series match one to one."""
    if is_counter_like(metric):
        return []
    pairs: list[tuple[Metric, Metric]] = []
    for other in catalog.metrics:
        if other.name == metric.name or is_counter_like(other):
            continue
        if set(other.labels) != set(metric.labels):
            continue
        for part, whole in ((metric, other), (other, metric)):
            if _of_members(whole) and any(
                    _names_the_part_of(part_words, whole_words) and len(whole_words) >= 2
                   for part_words, whole_words in (
                       (_help_words(part), _help_words(whole)),
                       (split_identifier(part.name), split_identifier(whole.name)))):
                pairs.append((part, whole))
    return pairs


def state_word(part: Metric, whole: Metric) -> str:
    """The good-state word `part` adds to `whole` ("ready"), empty when none is found."""
    words = set(_help_words(part)) | set(split_identifier(part.name))
    words -= set(_help_words(whole)) | set(split_identifier(whole.name))
    return next(iter(sorted(words & _GOOD_STATE_WORDS)), "")


# Kubernetes-style objects report what was asked for (`spec_replicas`, `metadata_generation`)
# and what the controller has seen or reached (`status_replicas`, `status_observed_generation`).
_OBSERVED_WORDS = frozenset({"status", "observed"})
_WANTED_WORDS = frozenset({"spec", "metadata", "desired"})


def observed_and_wanted(metric: Metric, catalog: Catalog) -> list[tuple[Metric, Metric]]:
    """(observed, wanted) pairs `metric` belongs to: gauges with the same labels whose names
    are the same once the words saying observed (`status`, `observed`) and wanted (`spec`,
    `metadata`, `desired`) are left out: `status_observed_generation` and
    `metadata_generation`."""
    if is_counter_like(metric):
        return []
    pairs: list[tuple[Metric, Metric]] = []
    mine = split_identifier(metric.name)
    for other in catalog.metrics:
        if other.name == metric.name or is_counter_like(other):
            continue
        if set(other.labels) != set(metric.labels):
            continue
        theirs = split_identifier(other.name)
        for seen, wanted in ((mine, theirs), (theirs, mine)):
            rest = [w for w in seen if w not in _OBSERVED_WORDS]
            if (len(rest) >= 2 and set(seen) & _OBSERVED_WORDS and set(wanted) & _WANTED_WORDS
                    and not set(wanted) & _OBSERVED_WORDS and not set(seen) & _WANTED_WORDS
                    and rest == [w for w in wanted if w not in _WANTED_WORDS]):
                pair = (metric, other) if seen is mine else (other, metric)
                pairs.append(pair)
    return pairs


__all__ = ["ATTEMPT_STEMS", "MAX_PAIRS", "Pair", "find_pairs", "find_speed",
           "members_in_good_state", "observed_and_wanted", "state_word"]
