"""What a metric's name says: its type when the catalog does not, its unit, and its role.

Prometheus naming conventions carry meaning: `_total` is a counter, `_bucket` a histogram series,
`_created`/`_timestamp_seconds` a point in time, `_info` metadata. Words in the name say whether a
gauge counts problems (`_failed`, `_errors`), is a 0/1 health flag (`_up`, `_ready`), a capacity
(`_limit`, `_max`, `_size`) or what is left of one (`_free`, `_available`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from monitorgen.core.catalog import Metric, MetricType
from monitorgen.core.generation.vocabulary import (
    CONCEPTS,
    segment,
    split_identifier,
    stem,
    unit_of_name,
)

# --- types ------------------------------------------------------------------------------------------
_COUNTER_SUFFIXES = ("_total", "_count", "_sum")
# Last name words that count events, so an untyped metric named by them is a counter.
_EVENT_NOUNS = frozenset({"errors", "failures", "exceptions", "timeouts", "timeout", "kills",
                          "kill", "crashes", "deaths", "overflows", "overflow", "rejections",
                          "restarts", "retries", "evictions", "panics", "deadlocks"})
# Participles that make a plural noun after them a count of events: `refused_spans`,
# `RejectedInserts`, `dropped_packets` are things that happened, not things in a state.
_EVENT_PARTICIPLES = frozenset({"refused", "rejected", "dropped", "discarded", "evicted",
                                "aborted", "throttled"})


@lru_cache(maxsize=16384)
def infer_type(name: str) -> MetricType:
    """The type a name implies by convention; GAUGE when it implies nothing."""
    if name.endswith(("_created", "_info", "_timestamp", "_timestamp_seconds")):
        return MetricType.GAUGE  # points in time and metadata, although `_created` ends a counter
    if name.endswith(_COUNTER_SUFFIXES):
        return MetricType.COUNTER  # includes `_seconds_total` (busy time) and summary parts
    if name.endswith("_bucket"):
        return MetricType.HISTOGRAM
    parts = [w.lower() for w in split_identifier(name)]
    if parts[-1:] and parts[-1] in _EVENT_NOUNS and parts[-2:-1] != ["le"]:
        # `api_errors`, `oom_kill`, `rq_timeout`: exporters that drop `_total` (JMX, statsd,
        # Envoy) still count events; a gauge of things in a bad state is named by the state
        # (`slots_fail`, `pg_down`), and a singular `error` is often a 0/1 flag. `le_overflow`
        # is a histogram's last bucket.
        return MetricType.COUNTER
    if len(parts) >= 2 and parts[-2] in _EVENT_PARTICIPLES and _plural(parts[-1]):
        return MetricType.COUNTER
    return MetricType.GAUGE


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us"))


# Metrics are frozen but hold a dict (unhashable): the type is cached by what decides it. The
# planner asks it of every metric many times per intent; the help-text readings are regexes.
_EFFECTIVE_TYPES: dict[tuple[str, MetricType, str], MetricType] = {}
_EFFECTIVE_TYPES_MAX = 50_000


def effective_type(metric: Metric) -> MetricType:
    """The declared type, or one inferred from Prometheus naming conventions when unknown.
    A `_state`/`_status` declared a counter is a gauge: a state is never counted up."""
    key = (metric.name, metric.type, metric.help)
    known = _EFFECTIVE_TYPES.get(key)
    if known is None:
        if len(_EFFECTIVE_TYPES) >= _EFFECTIVE_TYPES_MAX:
            _EFFECTIVE_TYPES.clear()
        known = _EFFECTIVE_TYPES[key] = _effective_type(metric)
    return known


def _effective_type(metric: Metric) -> MetricType:
    if metric.type is MetricType.COUNTER and _names_a_state(metric.name):
        return MetricType.GAUGE
    if metric.type is MetricType.GAUGE and (_running_total(metric) or _named_for_events(metric)):
        return MetricType.COUNTER
    if metric.type is not MetricType.UNKNOWN:
        return metric.type
    return infer_type(metric.name)


# Help that says the value only adds up: "cumulative", "since start".
_CUMULATIVE_HELP_RE = re.compile(r"\bcumulative\b|\bsince (?:start|boot)", re.I)
_TOTAL_HELP_RE = re.compile(r"^\s*(?:the\s+)?total\b", re.I)


def _running_total(metric: Metric) -> bool:
    """A gauge by declaration that its name (`_total`) and its help call a running total of
    events ("Total number of refused connections"): exporters that declare every value a gauge
    still count up. "Total number of guests not backed up" is how many there are now."""
    if not metric.name.endswith("_total"):
        return False
    if _CUMULATIVE_HELP_RE.search(metric.help):
        return True
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", metric.help)}
    return bool(_TOTAL_HELP_RE.search(metric.help)) and bool(
        words & (_EVENT_PARTICIPLES | _EVENT_NOUNS))


def _named_for_events(metric: Metric) -> bool:
    """A gauge by declaration named for events (`manager_deaths`, `read_failures`) whose help
    counts them ("number of failed readers"): exporters that declare every value a gauge
    (CouchDB's) still count deaths up, and `> 0` on the count would fire from the first death
    until a restart."""
    words = [w.lower() for w in split_identifier(metric.name)]
    if bool(words) and words[-1] in _EVENT_NOUNS and help_counts_events(metric.help):
        return True
    # `replicator_failed_starts` "number of replications that have failed to start": a problem
    # named without an event noun at the end, whose help counts what happened (a past clause,
    # "times"). "number of unassigned shards" is how many there are now.
    clause = _EVENT_CLAUSE_HELP_RE.search(metric.help)
    return clause is not None and help_counts_events(metric.help) and bool(
        name_stems(metric) & PROBLEM_WORDS) and bool(
        clause.group("done") or clause.group("times")
        or (clause.group("things") or "").lower() in _OPERATION_WORDS)


# Help that says its things happened: "replications that have failed to start", "queries that
# generated a warning" (operations, which happen), "number of times". "nodes that failed health
# checks" may be how many fail now.
_EVENT_CLAUSE_HELP_RE = re.compile(
    r"(?:\b(?P<things>[a-z]+)\s+)?\b(?:that|which)\s+(?P<done>ha(?:ve|s|d)\s+)?(?!been\b)[a-z]+ed\b"
    r"|\b(?P<times>times)\b", re.I)


# Help of a gauge that counts events since start rather than things there are now: "number of
# HTTP responses by status code" (exporters that declare every value a gauge). A level says so:
# "number of open connections".
# ("Total times a worker crashed" counts the same way.)
_NUMBER_OF_HELP_RE = re.compile(
    r"^\s*(?:the\s+)?(?:total\s+)?(?:(?:number|count|amount) of\b|times\b)", re.I)
_LEVEL_HELP_RE = re.compile(r"\b(?:current(?:ly)?|now|active|open|opened|in use|running|pending|"
                            r"queued|waiting|connected|idle|busy|available|free|used|alive|"
                            r"online|live|existing|known|registered|configured)\b", re.I)
# Last name words of counts of operations: how many happened, never how many there are now.
_OPERATION_WORDS = frozenset({"reads", "writes", "requests", "queries", "questions", "lookups",
                              "calls", "invocations"})
_LEVEL_NAME_WORDS = frozenset({"current", "active", "pending", "inflight", "queued", "concurrent",
                               "open"})


def help_counts_events(help_text: str) -> bool:
    """Help that says "(total) number of <events>" and no current level."""
    return bool(_NUMBER_OF_HELP_RE.match(help_text)) and not _LEVEL_HELP_RE.search(help_text)


def gauge_counts_events(metric: Metric) -> bool:
    """A metric declared a gauge whose name or help read as a count of events since start
    (`refused_connections_total` "Total number of refused connections", `temporary_view_reads`
    "number of temporary view reads"): some exporters declare every value a gauge, so rate()
    and increase() can be right on it. Intent-free: the planner and the lint both ask it."""
    if metric.type is not MetricType.GAUGE or _LEVEL_HELP_RE.search(metric.help):
        return False
    if _running_total(metric) or help_counts_events(metric.help):
        return True
    words = [w.lower() for w in split_identifier(metric.name)]
    return bool(words) and words[-1] in _OPERATION_WORDS and not set(words) & _LEVEL_NAME_WORDS


@lru_cache(maxsize=16384)
def _names_a_state(name: str) -> bool:
    return split_identifier(name)[-1:] in (["state"], ["status"])


def is_counter_like(metric: Metric) -> bool:
    return effective_type(metric) in (MetricType.COUNTER, MetricType.HISTOGRAM, MetricType.SUMMARY)


def metric_unit(metric: Metric) -> str:
    return unit_of_name(metric.name, metric.unit)


def is_info_metric(metric: Metric) -> bool:
    return metric.name.endswith("_info")


_TIME_POINT_WORDS = frozenset({"last", "latest", "start", "started", "boot", "since", "seen",
                               "completion", "creation", "created", "modified", "updated", "update",
                               "upload", "scheduled", "next", "successful", "success", "change",
                               "changed", "sync", "optime", "heartbeat", "expiration", "expiry"})
_DURATION_WORDS = frozenset({"duration", "latency", "lag", "delay", "age", "uptime", "elapsed",
                             "interval", "period", "timeout", "ttl", "wait", "time_ms"})
_EXPIRY_WORDS = frozenset({"expiry", "expiration", "expire", "expires", "notafter", "not_after"})


@lru_cache(maxsize=16384)
def _is_timestamp_name(name: str) -> bool:
    parts = split_identifier(name)
    words = set(parts)
    if "timestamp" in words or name.endswith("_created"):
        return True
    if words & _EXPIRY_WORDS or "not_after" in name.lower() or name.lower().endswith("notafter"):
        return not words & {"days", "day", "hours", "until"}  # "days until expiry" is a duration
    if words & _DURATION_WORDS or "uptime" in "".join(parts):
        return False
    if parts[-1:] in (["time"], ["date"]) or parts[-2:] in (["time", "seconds"], ["date", "seconds"]):
        # `start_time`, `boot_time_seconds`, `last_upload_time`; not `request_time` (a duration)
        return bool(words & _TIME_POINT_WORDS) or parts[-1:] == ["date"] or len(parts) <= 3
    return bool(words & {"last", "latest"}) and parts[-1:] == ["seconds"]


def is_timestamp_metric(metric: Metric) -> bool:
    """A gauge holding a Unix time (`_timestamp_seconds`, `_created`, `_start_time`, expiry)."""
    if effective_type(metric) is not MetricType.GAUGE and not metric.name.endswith("_created"):
        return False
    return _is_timestamp_name(metric.name)


def is_expiry_metric(metric: Metric) -> bool:
    return is_timestamp_metric(metric) and bool(set(split_identifier(metric.name)) & _EXPIRY_WORDS
                                                or "not_after" in metric.name.lower()
                                                or metric.name.lower().endswith("notafter"))


# --- roles --------------------------------------------------------------------------------------------
def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


# Name words that make a gauge a count of problems: any value above zero is worth an alert.
_PROBLEM_FORMS = (
    "restart restarts retries retry resets aborted discarded skipped missed exceptions exception "
    "rejections denied refused unroutable corruptions overflows exceeded slow error errors failed "
    "failure failures failing pending missing unhealthy down lost stuck rejected dropped "
    "incomplete degraded inconsistent unavailable corrupt corrupted orphaned blocked toofull "
    "offline unassigned deadlocks conflicts timeouts evicted throttled panic invalid unreachable "
    "broken crashed backlog unsynced outofsync abandoned killed oom unschedulable pressure "
    "overflow mismatch split lag behind critical firing alerts undersized stale dead "
    "disconnected faulty bad expired violations incidents alarms alarm uncollectable "
    "backpressured ejections inconsistencies underreplicated misses miss tripped trips deaths "
    "death crashes crash reached limited rejects retransmits retransmitted fails errs duplicate "
    "duplicates"
)
PROBLEM_WORDS = _stems(_PROBLEM_FORMS)
# The words themselves: "blocked" is a problem, "blocks" (its stem's twin) a thing.
PROBLEM_FORMS = frozenset(_PROBLEM_FORMS.split())
# Name words of a 0/1 health gauge: 0 (or != 1) is the problem.
_HEALTH_FORMS = ("up healthy health ready live alive success successful leader synced sync running "
                 "enabled available connected active ok online reachable is has status valid "
                 "stable")
HEALTH_WORDS = _stems(_HEALTH_FORMS)
# A capacity: the whole in a part/whole ratio.
LIMIT_WORDS = _stems(
    "max maximum limit limits capacity total size quota allocatable allowed configured hard soft "
    "target desired spec physical nominal rated trip threshold crit"
)
# Limits that are never a part ("capacity", "max"); `size` and `total` may be either.
STRONG_LIMIT_WORDS = _stems("max maximum limit limits capacity quota allocatable allowed "
                            "configured hard nominal rated trip threshold crit")
# What is left of a capacity.
_FREE_FORMS = "free available avail remaining left idle unused"
FREE_WORDS = _stems(_FREE_FORMS)
# What is taken of a capacity.
_USED_FORMS = ("used use usage inuse current active allocated busy utilization occupied "
               "consumed open working committed resident connected running")
USED_WORDS = _stems(_USED_FORMS)
# The word forms themselves: a noun sharing a stem with one (`connections` with `connected`,
# `runs` with `running`) names what is counted, not the part of a capacity.
_PART_FORMS = frozenset(f"{_FREE_FORMS} {_USED_FORMS}".split())
# Words a run-together name word may be split into: the ops vocabulary, the role and state
# words above and the type words a name ends with.
_GLUE_WORDS = frozenset(
    {w for members in CONCEPTS.values() for m in members for w in m.split("_") if len(w) >= 3}
    | {w for w in (f"{_FREE_FORMS} {_USED_FORMS} {_HEALTH_FORMS} {_PROBLEM_FORMS} "
                   "total count sum max min").split() if len(w) >= 3})
_GLUE_TAILS = frozenset({"total", "count", "sum", "max", "min"})


def is_part_word(word: str) -> bool:
    """`connected`, `free`, `usage`: a word saying which part of a capacity is measured."""
    return word.lower() in _PART_FORMS


def name_stems(metric: Metric) -> frozenset[str]:
    """Stems of the name's words and of the words JMX-style exporters run together in
    lower case (`offlinepartitionscount`: offline, partitions, count)."""
    found: set[str] = set()
    for word in split_identifier(metric.name):
        found.add(stem(word))
        found.update(stem(p) for p in glued_pieces(word))
    return frozenset(found)


@lru_cache(maxsize=4096)
def glued_pieces(word: str) -> tuple[str, ...]:
    """The known words a long lower-case word is run together from, or () when it does not
    split cleanly into words of five letters or more, plus a type word at its end
    (`kafkacontroller` stays whole)."""
    if len(word) < 8 or not word.isalpha():
        return ()
    pieces = segment(word, _GLUE_WORDS)
    if not pieces:
        return ()
    # Short words are found by chance inside real ones (`download` is not down and load): only
    # a type word may be short, and only at the end (`...count`).
    body = pieces[:-1] if pieces[-1] in _GLUE_TAILS else pieces
    return tuple(pieces) if body and all(len(p) >= 5 for p in body) else ()


_ROLE_AFFIXES = ("max", "min", "total", "free", "used", "available", "allocated", "current",
                 "limit", "size", "capacity", "avail", "usable", "reserved", "active", "idle")


def split_role(word: str) -> list[str]:
    """`maxclients` -> max, clients; `allocatedvcores` -> allocated, vcores."""
    if len(word) < 6:
        return [word]
    # `allocatedgb`, `availablemb`: a unit run onto the role word is a piece of its own.
    unit = next((u for u in ("gb", "mb", "kb", "mib", "gib") if word.endswith(u)
                 and word[: -len(u)] in _ROLE_AFFIXES), None)
    if unit is not None:
        return [word[: -len(unit)], unit]
    for affix in _ROLE_AFFIXES:
        if word.startswith(affix) and len(word) - len(affix) >= 3:
            return [affix, word[len(affix):]]
        if word.endswith(affix) and len(word) - len(affix) >= 3:
            return [word[: -len(affix)], affix]
    return [word]


def core_words(metric: Metric) -> list[str]:
    """Name words without the type suffix (`_total`, `_bucket`, ...), role words split off."""
    words = split_identifier(metric.name)
    # `_total` ends a counter's name; on a gauge (`MemTotal`) it is the whole.
    suffixes = ("total", "count", "sum", "bucket", "created") if is_counter_like(metric) else (
        "bucket", "created")
    while len(words) > 1 and words[-1] in suffixes:
        words = words[:-1]
    return [piece for word in words for piece in split_role(word)]


def is_limit(metric: Metric) -> bool:
    """A capacity (`_max`, `_limit`, `_size`, `MemTotal`), not a part of one.

    A limit word after a part word still makes a limit (`resident_memory_limit`); before it,
    a part (`max_used` is the peak of what was used). Right after a part word, `size` and
    `total` measure the part (`free_size` is how much is free).
    """
    if counts_past_limit(metric):
        return False
    kept = [w for w in core_words(metric) if w not in ("bytes", "seconds")]
    limits = [i for i, w in enumerate(kept) if stem(w) in LIMIT_WORDS]
    parts = [i for i, w in enumerate(kept) if is_part_word(w)]
    if not limits:
        return False
    if not parts:
        return True
    # `free_size`: a weak limit right after a part word is the part's own measure.
    whole = [i for i in limits if stem(kept[i]) in STRONG_LIMIT_WORDS or i - 1 not in parts]
    return max(whole, default=-1) > max(parts)


def limit_strength(metric: Metric) -> int:
    """2 for a hard capacity (`_max`, `_capacity`), 1 for `_size`/`_total`, 0 for no limit."""
    if not is_limit(metric):
        return 0
    return 2 if {stem(w) for w in core_words(metric)} & STRONG_LIMIT_WORDS else 1


def is_free(metric: Metric) -> bool:
    """What is left of a capacity (`avail_bytes`, `free_slots`). The last part word decides:
    `ip_availabilities_used` is the used part of the addresses there are, not a free one."""
    parts = [s for s in (stem(w) for w in core_words(metric)) if s in FREE_WORDS | USED_WORDS]
    return bool(parts) and parts[-1] in FREE_WORDS


def is_problem_name(metric: Metric) -> bool:
    return bool(name_stems(metric) & PROBLEM_WORDS) and not is_countdown(metric) and not (
        is_configured_timeout(metric))


_TIMEOUT_STEMS = frozenset(stem(w) for w in ("timeout", "timeouts"))


def is_configured_timeout(metric: Metric) -> bool:
    """A gauge of a duration named for a timeout (`request_timeout_seconds`): how long to wait,
    a setting, not a count of timeouts (`request_timeouts_total`)."""
    problems = name_stems(metric) & PROBLEM_WORDS
    return bool(problems) and problems <= _TIMEOUT_STEMS and (
        effective_type(metric) is MetricType.GAUGE) and metric_unit(metric) in (
        "seconds", "milliseconds", "minutes", "hours")


_TIME_UNIT_WORDS = frozenset({"seconds", "second", "minutes", "hours", "days", "day", "weeks"})


def is_countdown(metric: Metric) -> bool:
    """Time left until something happens (`days_until_cert_expiring`, `seconds_remaining`): its
    problem word names the event it counts down to, and 0 or less means the event is here."""
    words = {w.lower() for w in split_identifier(metric.name)}
    return "until" in words or bool(words & {"remaining", "left"} and words & _TIME_UNIT_WORDS)


_NEGATIONS = frozenset({"not", "no", "non", "never"})


def counts_problems(metric: Metric) -> bool:
    """The name counts bad things (`pg_down`, `not_backed_up`, `too_few_replicas`,
    `number_misscheduled`): any value above zero is the problem, zero is the healthy state."""
    if is_problem_name(metric):
        return True
    parts = [w.lower() for w in split_identifier(metric.name)]
    if _NEGATIONS & set(parts):
        return True
    if any(a == "too" and b in ("few", "many", "much", "large", "small", "big", "slow")
           for a, b in zip(parts, parts[1:], strict=False)):
        return True
    if counts_past_limit(metric):
        return True
    # `numdeaddatanodes` (a JMX name in lower case): "num" glued to a problem word.
    if any(len(w) >= 8 and w.startswith("num") and any(
            stem(w[3:k]) in PROBLEM_WORDS for k in range(7, min(len(w), 12) + 1)) for w in parts):
        return True
    # "out of order", "out of memory", "out of range": past what is allowed.
    if any(a == "out" and b == "of" for a, b in zip(parts, parts[1:], strict=False)):
        return True
    # "mis-" words: misscheduled, misconfigured, misplaced.
    return any(w.startswith("mis") and len(w) >= 8 and w != "missions" for w in parts)


def counts_past_limit(metric: Metric) -> bool:
    """`items_over_threshold`, `requests_above_limit`: a count of things past a limit, which
    names a limit word without being a limit."""
    return _counts_past_limit(metric.name)


@lru_cache(maxsize=16384)
def _counts_past_limit(name: str) -> bool:
    parts = [w.lower() for w in split_identifier(name)]
    # (`temp_crit_alarm`, `in_max_alarm`: the alarm raised past the limit, a flag.)
    return any(a in ("over", "above", "exceeding", "exceeded", "beyond") and stem(b) in LIMIT_WORDS
               or stem(a) in LIMIT_WORDS and b in ("alarm", "alarms")
               for a, b in zip(parts, parts[1:], strict=False))


def is_uptime(metric: Metric) -> bool:
    """Time since the start (`uptime_seconds`, `sysUpTime`), in seconds, milliseconds or ticks."""
    words = [w.lower() for w in split_identifier(metric.name)]
    joined = {a + b for a, b in zip(words, words[1:], strict=False)}
    return ("uptime" in words or "uptime" in joined) and metric_unit(metric) in (
        "seconds", "milliseconds", "")


_OBSERVED_UNITS = frozenset({"seconds", "milliseconds", "microseconds", "bytes"})


def is_observation_part(metric: Metric) -> bool:
    """The count or sum of a summary or histogram of a duration or size, exposed on its own
    (`message_lag_seconds_count`, `request_size_bytes_sum`): it grows with every observation,
    whatever was observed, so its increase is traffic, not an occurrence of a problem."""
    words = [w.lower() for w in split_identifier(metric.name)]
    return len(words) > 2 and words[-1] in ("count", "sum") and words[-2] in _OBSERVED_UNITS


def is_health_name(metric: Metric) -> bool:
    """A 0/1 health flag by its name. A plural noun sharing a health word's stem counts things
    (`connections`, `runs`): 0 of them is no failed check."""
    forms = set(_HEALTH_FORMS.split())
    words = [p.lower() for p in split_identifier(metric.name)]
    flags = [i for i, w in enumerate(words)
             if stem(w) in HEALTH_WORDS and (w in forms or not w.endswith("s")
                                             or w.endswith(("ss", "us")))]
    return bool(flags) and not is_problem_name(metric) and not _counts_after(
        words[flags[-1] + 1:]) and not _negated_flag(words, flags[-1]) and not (
        _raised_checks(metric, words[flags[-1] + 1:]))


def is_raised_check(metric: Metric) -> bool:
    """One series per health check, 1 while it is raised (`health_detail`): 0 is all well."""
    words = [p.lower() for p in split_identifier(metric.name)]
    flags = [i for i, w in enumerate(words) if stem(w) in HEALTH_WORDS]
    return bool(flags) and _raised_checks(metric, words[flags[-1] + 1:])


# "1 if the check is raised": a series per problem, 1 while the problem is there.
_RAISED_HELP_RE = re.compile(r"\b1 (?:if|when|while)\b[^.;]*\b(?:raised|firing|failing|active|"
                             r"present|triggered|set)\b", re.I)


def _raised_checks(metric: Metric, after: list[str]) -> bool:
    """`health_detail`, `health_check{name}`: one series per health check, 1 while the check is
    raised, the opposite of a health flag; `== 0` would fire on every check not raised."""
    if not after or after[0] not in ("detail", "details", "check", "checks"):
        return False
    if after[0].startswith("detail") or _RAISED_HELP_RE.search(metric.help):
        return True
    # A check per `name` is raised at 1 unless the help says 1 is the passing state.
    return bool({"name", "check"} & {label.lower() for label in metric.labels}) and not (
        _PASSING_HELP_RE.search(metric.help))


_PASSING_HELP_RE = re.compile(r"\b(?:pass(?:es|ed|ing)?|healthy|ok|succe\w*|up)\b", re.I)


# "none_healthy", "not_ready": the name counts the absence of the state, a problem.
_NEGATIONS = frozenset({"no", "none", "not", "non", "without"})


def _negated_flag(words: list[str], at: int) -> bool:
    return at > 0 and words[at - 1] in _NEGATIONS


def _counts_after(words: list[str]) -> bool:
    """The words after a health word count things (`cluster_health_number_of_nodes`): the
    metric reports how many, not whether it is healthy, and 0 of them is no flag at 0."""
    return bool({"number", "num", "count"} & set(words))


__all__ = ["FREE_WORDS", "HEALTH_WORDS", "LIMIT_WORDS", "PROBLEM_FORMS", "PROBLEM_WORDS", "USED_WORDS",
           "core_words", "counts_past_limit", "counts_problems", "effective_type",
           "gauge_counts_events", "help_counts_events", "infer_type", "is_raised_check",
           "is_counter_like", "is_expiry_metric", "is_free", "is_health_name", "is_part_word",
           "is_countdown", "is_info_metric", "is_limit", "limit_strength", "is_problem_name",
           "is_configured_timeout", "is_timestamp_metric", "is_uptime", "metric_unit", "name_stems",
           "split_role", "value_codes"]


# --- value codes in help text -------------------------------------------------------------------
_CODE_RE = re.compile(
    r"(?<![\w.])(-?\d+)\s*(?:=|:|means|for|if|when|->)\s*['\"]?((?:[a-z_][\w-]*\s*){1,4})",
    re.I,
)
_CODE_STOP = frozenset({"the", "a", "an", "is", "it", "this", "that", "was", "are", "there",
                       "instance", "state", "status", "value", "otherwise", "label", "with",
                       "current", "of", "in"})


@lru_cache(maxsize=4096)
def value_codes(help_text: str) -> tuple[tuple[float, frozenset[str]], ...]:
    """Numeric values a help text explains: "(0=nominal, 1=warning)", "1 if online, 0 if not".

    Returns (value, stems of the words describing it) pairs. Help text is untrusted: only the
    numbers end up in an expression, and only when the intent's own words pick them.
    """
    found: dict[float, set[str]] = {}
    for number, described in _CODE_RE.findall(help_text):
        words = [w for w in re.findall(r"[a-z]+", described.lower()) if w not in _CODE_STOP]
        if not words:
            continue
        found.setdefault(float(number), set()).update(stem(w) for w in words[:2])
    if len(found) < 2 and not any(v in (0.0, 1.0) for v in found):
        return ()
    return tuple(sorted((value, frozenset(words)) for value, words in found.items()))
