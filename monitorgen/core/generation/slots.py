"""Slot extraction: the numbers, durations, scope and tone an intent states.

"page me if checkout's p99 latency is over 500 ms for 10 minutes" gives comparator `>`,
threshold 500 ms, percentile 0.99, `for` 10m, matcher service=checkout (when the catalog knows
that value) and severity critical. Thresholds are kept in the user's unit; `to_base_unit` converts
them to the unit of the metric the expression compares against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from monitorgen.core.durations import format_duration_seconds
from monitorgen.core.generation.labelvalues import ValueMatcher

# "100,000" groups thousands (a comma before exactly three digits); "2,5" is a decimal comma.
_NUM = r"(\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:[.,]\d+)?)"
_PLACEHOLDER_RE = re.compile(r"<[^<>]{0,60}>|\{\{[^}]*\}\}")

# Comparator words, longest first so "more than or equal" wins over "more than".
_GT_WORDS = (
    r"greater than or equal to|more than or equal to|at least|no less than|>=|≥",
    r"more than|greater than|higher than|older than|longer than|bigger than|larger than|in excess of|over|above|"
    r"threshold:|threshold of|"
    r"exceeds?|exceeding|exceeded|beyond|surpass(?:es|ed)?|>|reach(?:es|ed)?|hits?|climbs? to",
)
_LT_WORDS = (
    r"less than or equal to|at most|no more than|<=|≤",
    r"less than|fewer than|lower than|smaller than|under|below|beneath|drops? (?:below|under|to)|"
    r"falls? (?:below|under|to)|<",
)
_EQ_WORDS = r"==|equals?|is exactly"
_NE_WORDS = r"!=|not equal to|differs? from"

_UNIT_ALIASES: dict[str, tuple[str, float]] = {
    # unit word -> (kind, factor to the kind's base unit)
    "%": ("percent", 1.0), "percent": ("percent", 1.0), "pct": ("percent", 1.0),
    "ms": ("seconds", 0.001), "msec": ("seconds", 0.001), "millisecond": ("seconds", 0.001),
    "milliseconds": ("seconds", 0.001), "us": ("seconds", 1e-6), "µs": ("seconds", 1e-6),
    "microseconds": ("seconds", 1e-6), "ns": ("seconds", 1e-9), "nanoseconds": ("seconds", 1e-9),
    "s": ("seconds", 1.0), "sec": ("seconds", 1.0), "secs": ("seconds", 1.0),
    "second": ("seconds", 1.0), "seconds": ("seconds", 1.0),
    "m": ("seconds", 60.0), "min": ("seconds", 60.0), "mins": ("seconds", 60.0),
    "minute": ("seconds", 60.0), "minutes": ("seconds", 60.0),
    "h": ("seconds", 3600.0), "hr": ("seconds", 3600.0), "hrs": ("seconds", 3600.0),
    "hour": ("seconds", 3600.0), "hours": ("seconds", 3600.0),
    "d": ("seconds", 86400.0), "day": ("seconds", 86400.0), "days": ("seconds", 86400.0),
    "w": ("seconds", 604800.0), "week": ("seconds", 604800.0), "weeks": ("seconds", 604800.0),
    "b": ("bytes", 1.0), "byte": ("bytes", 1.0), "bytes": ("bytes", 1.0),
    "kb": ("bytes", 1e3), "mb": ("bytes", 1e6), "gb": ("bytes", 1e9), "tb": ("bytes", 1e12),
    "kib": ("bytes", 1024.0), "mib": ("bytes", 1024.0**2), "gib": ("bytes", 1024.0**3),
    "tib": ("bytes", 1024.0**4), "k": ("count", 1e3),
    "°c": ("celsius", 1.0), "°": ("celsius", 1.0), "degrees": ("celsius", 1.0), "c": ("celsius", 1.0),
    "celsius": ("celsius", 1.0),
}
_UNIT_RE = (
    r"(%|percent|pct|milliseconds?|msec|ms|microseconds|µs|us|nanoseconds|ns|seconds?|secs?|s|"
    r"minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|w|bytes?|kib|mib|gib|tib|kb|mb|gb|tb|b|k|"
    r"°c|°|degrees|celsius|c)?"
)
_PER_RE = re.compile(
    r"^\s*(?:[a-z]+\s+|[a-z]+(?=/)){0,3}?(?:per|/|a|an|every)\s*(second|sec|s|minute|min|m|hour|h)"
    r"\b", re.I
)
# "> 10k QPS", "500 rps": abbreviations of "... per second" after the number.
_PER_SECOND_ABBREVIATION_RE = re.compile(r"^\s*(?:qps|rps|tps|iops|ops/s|req/s|reqs/s)\b", re.I)
# "QPS above 2000", "the RPS is over 500": the abbreviation names what the number counts.
_PER_SECOND_SUBJECT_RE = re.compile(r"\b(?:qps|rps|tps|iops)\b(?:\s+[a-z]+){0,2}\s*$", re.I)
# "requests per second drop below 10": the rate is named before the number.
_PER_BEFORE_RE = re.compile(r"\b(?:per|/)\s*(second|sec|minute|min|hour)\b(?:\s+[a-z]+){0,2}\s*$",
                            re.I)
_DURATION_RE = re.compile(
    _NUM + r"\s*(milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\b",
    re.I,
)


@dataclass(frozen=True)
class Threshold:
    comparator: str  # one of > < >= <= == !=
    value: float  # in the user's unit
    kind: str  # percent | seconds | bytes | celsius | count | ratio
    factor: float = 1.0  # multiply `value` by this to get the kind's base unit
    per: str | None = None  # "second" | "minute" | "hour" for rates ("10 errors per second")
    text: str = ""

    @property
    def base_value(self) -> float:
        return self.value * self.factor


@dataclass(frozen=True)
class Slots:
    threshold: Threshold | None = None
    for_: str | None = None
    window: str | None = None
    percentile: float | None = None
    severity: str | None = None
    matchers: dict[str, str] = field(default_factory=dict)
    by: tuple[str, ...] | None = None  # None: not said; (): across everything
    direction: str | None = None  # "high" | "low": what the user worries about
    remaining: bool = False  # the threshold is about what is left ("less than 10% left")
    zero: bool = False  # "has no", "zero", "none left"
    change: bool = False  # "changed", "restarted", "flapping"
    ratio: bool = False  # the intent speaks of a share ("<value>% of requests", "error ratio")
    text: str = ""
    # A template placeholder stands where a number would be ("<value> seconds", "{{ $value }}").
    placeholder: bool = False
    # The intent treats any occurrence as the problem ("has <value> unhealthy members", "some
    # tasks are blocked", "one or more volumes failed").
    presence: bool = False
    # The words right after the presence marker: what the intent says there are some of
    # ("has <value> zombie processes" -> ("zombie", "processes")).
    presence_words: tuple[str, ...] = ()
    # Label matchers implied by the intent's words for the metric at hand (set per metric).
    value_matchers: tuple[ValueMatcher, ...] = ()
    # Catalog labels the alert's text shows through placeholders ("for database <datname>",
    # "{{ $labels.rule_group }}"): one alert per value, so an aggregation must keep them.
    shown_labels: tuple[str, ...] = ()
    # Labels the alert's placeholders show that the catalog does not list ("collection
    # <collection> shard <shard>" of metrics listed without labels): no rule can keep them.
    unlisted_labels: tuple[str, ...] = ()
    # The reported value is a count within a window ("(<value> in the last 5m)", "<value>
    # errors in the last 10 minutes"): what is measured counts events.
    value_in_window: bool = False
    # The intent reports the alert's value per second ("(<value> failures/s)").
    value_per_second: bool = False
    # What a placeholder value counts ("a backlog of <value> jobs" -> "jobs"): things, so the
    # value is no duration or size.
    counted: str | None = None
    # The most the value may reach, when the catalog has no metric for it and the user gave
    # it in answer to a question ("90% of allowed file descriptors": 65535).
    limit: float | None = None
    # How the user reads an intent saying a counter of problems stopped or has none ("errors
    # stopped"), answering the question about it: "absent", "zero" or "any".
    none_reading: str | None = None

    def with_matchers(self, extra: dict[str, str]) -> Slots:
        return replace(self, matchers={**self.matchers, **extra})


_VALUE_PLACEHOLDER_RE = re.compile(r"<\s*value\s*>|\{\{\s*\$value[^}]*\}\}|<\s*(?:current|n|number|count)\s*>",
                                   re.I)
_PRESENCE_RE = re.compile(
    r"\b(?:has|have|had|with|recorded|reports?|reporting|there (?:are|is))\s+(?:had\s+|been\s+)?"
    r"(?:detected\s+|seen\s+|found\s+|recorded\s+|reported\s+)?"
    r"(?:<\s*value\s*>|\{\{[^}]*\}\}|some|one or more|any|active|pending)\s|"
    r"^\s*(?:<\s*value\s*>|\{\{[^}]*\}\})\s+[a-z]|"
    r"\b(?:some|one or more|at least one|multiple)\s+[a-z]|"
    r"(?<!\bno )(?<!\bzero )\b[a-z]+ (?:detected|found|observed)\b|\(\s*(?:<\s*value\s*>|\{\{[^}]*\}\})\s+[a-z]",
    re.I,
)
# A share: a percentage, its words, or a reported value "of" a whole ("<value> of attempts
# failed", "{{ $value | humanizePercentage }} of requests").
_RATIO_RE = re.compile(
    r"<[^<>]{0,30}>\s*%|\{\{[^}]*\}\}\s*%|\b(?:percent(?:age)?|proportion|fraction|share|ratio)\b|"
    r"(?:<\s*value\s*>|\{\{\s*\$value[^}]*\}\})\s+of\s",
    re.I,
)


# A sentence of advice to whoever is paged ("Run 'ceph pg scrub' to trigger manually", "Check
# fans and airflow", "Consider reducing memory") says what to do, not what to watch: its verbs
# ("run", "check") would otherwise read as states of the system.
# ("Run queue is above 10" is no advice: a sentence stating a number is kept, and "run" must
# not start the name of a queue.)
# So is a recommendation ("Replicas should turn off SSL compression", "we may need to increase
# the setting"): an act someone should take, not a state ("should be 3" is an expectation).
_ADVICE_RE = re.compile(
    r"(?:(?<=[.!?])|^)\s*(?:(?:please\s+)?(?:run(?!\s+queue)|check|consider|investigate|verify|"
    r"ensure|review|inspect|make sure)\b|[^.!?]*\b(?:should|must|(?:may |might )?needs? to)\s+"
    r"(?:turn|switch|set|disable|enable|increase|reduce|restart|scale|upgrade|add|remove)\b)"
    r"(?:[^.!?]|[.!?](?=\S))*(?:[.!?]|$)", re.I)  # ("recovery.conf" ends no sentence)
# Settings quoted as code (`sslcompression=0`) are no number the advice states.
_CODE_SPAN_RE = re.compile(r"`[^`]*`")


def clean_intent(intent: str) -> str:
    """Drop template placeholders (`<instance>`, `{{ $value }}`), advice and odd whitespace."""
    text = _PLACEHOLDER_RE.sub(" ", intent)
    text = _drop_advice(text)
    return re.sub(r"\s+", " ", text).strip()


# Stands where a placeholder was when scopes are read: "on server <server> zone <zone>" names
# no server called "zone", and "latency of <value>s" no job called "s".
_GAP = " \u00a6 "


def scope_text(intent: str) -> str:
    """The cleaned intent with a mark where each placeholder was, so that a label's name and a
    word after its placeholder never read as a label and its value."""
    return clean_intent(_PLACEHOLDER_RE.sub(_GAP, intent))


def _drop_advice(text: str) -> str:
    """The intent without sentences of advice, unless that is all there is."""
    kept = _ADVICE_RE.sub(lambda m: m.group(0) if re.search(
        r"\d", _CODE_SPAN_RE.sub(" ", m.group(0))) else " ", text)
    return kept if kept.strip() else text


def _number(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _unit(word: str | None) -> tuple[str, float]:
    if not word:
        return ("count", 1.0)
    return _UNIT_ALIASES.get(word.lower(), ("count", 1.0))


def _comparator_pattern() -> list[tuple[str, str]]:
    return [(">=", _GT_WORDS[0]), (">", _GT_WORDS[1]), ("<=", _LT_WORDS[0]), ("<", _LT_WORDS[1]),
            ("==", _EQ_WORDS), ("!=", _NE_WORDS)]


_COMPARATOR_RES = [
    (op, re.compile(r"(?:(?<=\s)|(?<=^)|(?<=\())(?:" + words + r")\s*(?:of\s+|by\s+|the\s+)?~?\s*"
                    + _NUM + r"\s*" + _UNIT_RE + r"(?![a-z0-9])", re.I))
    for op, words in _comparator_pattern()
]
_FOR_RE = re.compile(
    r"\b(?:for|during|lasting|sustained for|persists? for|over the (?:last|past))\s+"
    r"(?:more than |over |at least |longer than |the (?:last|past) )?" + _DURATION_RE.pattern,
    re.I,
)
_WINDOW_RE = re.compile(
    r"\b(?:in|within|over|during)\s+(?:the\s+)?(?:last|past|previous|rolling)\s+(?:(\d+)\s*)?"
    r"(milliseconds?|seconds?|minutes?|hours?|days?|weeks?|ms|s|m|h|d|w)\b",
    re.I,
)
# Windows people state without "last": "3 times in an hour", "5 errors within 10 minutes",
# "more than 20 per day". Bare "in 4 hours" is left alone (it is usually a forecast horizon).
_COUNT_WINDOW_RE = re.compile(
    r"\b(?:times?|errors?|failures?|restarts?|events?|occurrences?|crash\w*)\s+(?:in|within|during)\s+"
    r"(\d+)\s*(minutes?|mins?|hours?|hrs?|days?|weeks?|m|h|d|w)\b",
    re.I,
)
# The time a change took: "grew by more than 100 in 10 minutes", "dropped 20% within 2 hours".
_CHANGE_WINDOW_RE = re.compile(
    r"\b(?:grow(?:s|ing)?|grew|rose|rising|increas(?:e|es|ed|ing)|jump(?:s|ed|ing)?|"
    r"drop(?:s|ped|ping)?|fell|falling|decreas(?:e|es|ed|ing)|chang(?:e|es|ed|ing))\b"
    r"[^.;:]{0,40}?\d[^.;:]{0,20}?\b(?:in|within|over)\s+(\d+)\s*"
    r"(minutes?|mins?|hours?|hrs?|days?|weeks?|m|h|d|w)\b",
    re.I,
)
# "increased by 500", "dropped by 10GB": an amount of change with no comparator word.
_CHANGED_BY_RE = re.compile(
    r"\b(?:increas\w*|grow\w*|grew|rose|jump\w*|climb\w*|decreas\w*|drop\w*|fell|"
    r"shr[ia]nk\w*|declin\w*)\s+by\s+" + _NUM + r"\s*" + _UNIT_RE + r"(?![a-z0-9])", re.I)
_SINGLE_WINDOW_RE = re.compile(
    r"\b(?:in|within|over)\s+(?:an?|one|the (?:last|past))\s+(minute|hour|day|week)\b|"
    r"\b(?:per|a|each|every)\s+(?=(?:day|week)\b)(day|week)\b",
    re.I,
)
_DEADLINE_RE = re.compile(
    r"\b(\d+|an?|one|two|three|four|five|six|seven|ten)\s*(hours?|h|days?|d|weeks?|w)\s+"
    r"(?:before|ahead of|prior to|in advance of)\b",
    re.I,
)
_PERCENTILE_RE = re.compile(r"\bp(\d{2,3}(?:\.\d+)?)\b|\b(\d{2,3}(?:\.\d+)?)(?:th|st|nd|rd)?\s*percentile", re.I)
_BARE_PERCENT_RE = re.compile(_NUM + r"\s*(%|percent)", re.I)
# "is dropping 5% of spans", "spans dropped: 5% of spans": a share of things that are dropped
# (discarded), which is too many above the number; "throughput dropped 20%" fell.
_SHARE_OF_RE = re.compile(r"\s+of\s+(?!the time\b)", re.I)
_DROPPED_RE = re.compile(r"\bdrop(?:s|ped|ping)?\b(?!\s+(?:by|to|below|under)\b)", re.I)

_SEVERITY_WORDS: tuple[tuple[str, str], ...] = (
    ("critical", r"\b(?:page|paging|paged|wake|urgent|urgently|critical|immediately|sev ?1|p1|"
                 r"emergency|outage)\b"),
    ("info", r"\b(?:fyi|for your information|informational|info|heads[- ]up|just so i know)\b"),
    ("warning", r"\b(?:let (?:me|us) know|ticket|warn|warning|notify|email|slack|non[- ]urgent|"
                r"heads up)\b"),
)
_HIGH_WORDS = re.compile(
    r"\b(?:high|higher|too (?:many|much|high)|spike|spiking|surge|above|over|exceed\w*|large|"
    r"big|increase[sd]?|increasing|growing|grows|full|filling|saturat\w*|exhaust\w*|overload\w*|"
    r"hot|slow|more)\b",
    re.I,
)
_LOW_WORDS = re.compile(
    r"\b(?:low|lower|too (?:few|little|low)|drop(?:s|ped)?|below|under|less|fewer|left|"
    r"remaining|free|available|running out|decrease[sd]?|shrink\w*|short)\b"
    # "Only <value>% of members are healthy": the value shown is too small.
    # (The placeholder is gone from the cleaned text: "only % of".)
    r"|\bonly\s+(?:<[^<>]{1,30}>\s*|\d+(?:\.\d+)?\s*)?%",
    re.I,
)
# Words that say the value is too small, not only what it measures ("free", "available").
_SAID_LOW_RE = re.compile(
    r"\b(?:low|lower|too (?:few|little|low)|drop(?:s|ped)?|below|under|less|fewer)\b"
    r"|\bonly\s+(?:<[^<>]{1,30}>\s*|\d+(?:\.\d+)?\s*)?%", re.I)
_REMAINING_RE = re.compile(
    r"\b(?:left|remaining|free|available|headroom|runs? out|running out)\b", re.I
)
# ("Nearly empty", "almost zero" are not 0 yet: they need a number.)
_ZERO_RE = re.compile(
    r"\b(?:has no|have no|(?<!nearly )(?<!almost )zero|no longer|none|not running|is not|isn't|"
    r"are not|aren't|no \w+ (?:left|available|running|attached|assigned)|"
    r"no (?:available|free|spare|remaining)|(?:at|is|been|stays?|remains?) 0|"
    r"(?<!nearly )(?<!almost )(?<!close to )empty)\b",
    re.I,
)
# "is not sending", "aren't ready": a negated verb says something is not happening, which is a
# zero only of the metric that measures that very thing.
_NEGATED_VERB_RE = re.compile(r"\b(?:is|are|was|were)(?: not|n't)\s+(?:being\s+)?([a-z]+)", re.I)


def says_zero_outright(text: str) -> bool:
    """"has no", "zero", "none left", "empty": the intent says a value is 0 in words that do
    not depend on which metric measures it (negated verbs aside, see `negated_words`)."""
    return bool(_ZERO_RE.search(_NEGATED_VERB_RE.sub(" ", text)))


_NONE_RE = re.compile(
    r"(?:^|\b(?:there are|there is|there's|with|has|have|had)\s+)no\s+"
    r"(?!more\b|less\b|fewer\b|longer\b)[a-z]+|\bzero\s+[a-z]+", re.I)


def says_none(text: str) -> bool:
    """"no consumers on the queue", "a queue with no consumers", "zero replicas": the intent
    says what is counted is absent (unlike "is not ready", which denies a state)."""
    return bool(_NONE_RE.search(text))


def negated_words(text: str) -> list[str]:
    """The words negated verbs deny: "is not sending heartbeats" -> ["sending"]."""
    return [w.lower() for w in _NEGATED_VERB_RE.findall(text)]


# "all task slots are used", "pool exhausted": nothing is left of something.
EXHAUSTED_RE = re.compile(
    r"\b(?:all (?:\w+ ){0,3}(?:are |is )?(?:used|in use|busy|taken|occupied|allocated)|"
    r"exhausted|no (?:more )?(?:free|available|spare|remaining)|none (?:left|available))\b",
    re.I,
)
_CHANGE_RE = re.compile(
    r"\b(?:changed?|changes|restart\w*|reboot\w*|flap\w*|reload\w*|re-?elect\w*|crashloop\w*)\b",
    re.I,
)
# "on any route": each route on its own, as "per route" says.
_BY_RE = re.compile(r"\b(?:per|by|for each|for every|each|(?:on|for|in|of|at) any)\s+"
                    r"([a-z][a-z_]*)\b|\bany\s+([a-z][a-z_]*)['\u2019]s\b", re.I)
_ACROSS_RE = re.compile(
    r"\b(?:across (?:the |all )?\w+|overall|in total|cluster[- ]wide|globally|fleet[- ]wide)\b", re.I
)
# A clause telling what follows from the condition ("once the quota is reached, writes stop
# cluster-wide", "meaning queries fail globally"): where the damage lands, not how to group.
_CONSEQUENCE_CLAUSE_RE = re.compile(
    r"\b(?:once|meaning|risking|causing|leading to|resulting in|so that|otherwise|until|"
    r"which(?! (?:is|are|was|were)\b))\b[^.;!?]*", re.I)


# "inconsistent across nodes", "spread across zones": how things relate between members,
# not a request to add the members up.
_BETWEEN_MEMBERS_RE = re.compile(
    r"\b(?:inconsistent|different|differ\w*|disagree\w*|spread|distributed|replicated|"
    r"balanced|unbalanced|imbalanced|uneven(?:ly)?)\s+(?:\w+\s+)?across\b", re.I)


def _without_consequences(text: str) -> str:
    """The text whose "across"/"cluster-wide" may ask to aggregate: without clauses telling
    what follows from the condition, nor "across" relating members to each other."""
    return _BETWEEN_MEMBERS_RE.sub(" ", _CONSEQUENCE_CLAUSE_RE.sub(" ", text))


# Scope words people use before/after a name: "the checkout service", "namespace payments".
_SCOPE_LABELS = ("service", "job", "namespace", "instance", "route", "pod", "cluster", "env",
                 "environment", "container", "deployment", "team", "region", "app", "application")
# Only explicit forms count: `namespace=payments`, `service "checkout"`, `job named api`, and
# "the payments namespace"; a bare "host CPU" must not become instance="CPU".
_SCOPE_AFTER_RE = re.compile(
    r"\b(" + "|".join(_SCOPE_LABELS) + r")\s*(?:=|:|\s(?:named|called)\s)\s*[\"'`]?"
    r"([a-z0-9][\w.\-/]*)|\b(" + "|".join(_SCOPE_LABELS) + r")\s+[\"'`]([a-z0-9][\w.\-/]*)[\"'`]",
    re.I,
)
_SCOPE_BEFORE_RE = re.compile(
    r"\b(?:the|only|just)\s+[\"'`]?([a-z0-9][\w.\-]*)[\"'`]?\s+(" + "|".join(_SCOPE_LABELS)
    + r")\b",
    re.I,
)


# "on host db-1", "in namespace payments", "for service checkout": a preposition, a scope noun
# and its value.
_SCOPE_NOUNS = (*_SCOPE_LABELS, "host", "node", "server", "machine", "route", "endpoint")
_SCOPE_PREP_RE = re.compile(
    r"\b(?:on|for|in|from|of|to)\s+(?:the\s+)?(" + "|".join(_SCOPE_NOUNS) + r")\s+[\"'`]?"
    r"(/[\w.\-/:]*|[a-z0-9][\w.\-/:]*[a-z0-9/]|[a-z0-9])[\"'`]?",
    re.I,
)
# Without a preposition only a value that looks like a name counts: "host db-1", "node web.3".
_SCOPE_NAMED_RE = re.compile(
    r"\b(" + "|".join(_SCOPE_NOUNS) + r")\s+[\"'`]?([a-z][\w]*[\-.:]\w[\w.\-:]*|[a-z]+\d+|/[\w.\-/]*)"
    r"[\"'`]?",
    re.I,
)
_NOT_VALUES = frozenset({"is", "are", "was", "the", "a", "an", "has", "have", "had", "of", "on",
                         "and", "or", "for", "with", "where", "that", "which", "when", "goes",
                         "gets", "being", "level", "usage", "uses", "to", "in", "at", "by", "be",
                         "fails", "fail", "restarts", "runs", "exceeds", "drops", "reaches",
                         "becomes", "stays", "stops", "than", "it", "its", "as", "does", "do",
                         "can", "will", "should", "must", "not", "no", "memory", "cpu", "disk",
                         # "90% of node capacity" is the node's capacity, not a node named so
                         "capacity", "limit", "limits", "quota", "maximum", "max"})


_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                 "seven": "7", "eight": "8", "nine": "9", "ten": "10", "zero": "0",
                 # "restarted more than twice": counts of times
                 "once": "1", "twice": "2", "thrice": "3"}
_SPELLED_RE = re.compile(
    r"\b(more than|fewer than|less than|at least|at most|no more than|over|above|below|under|"
    r"exceeds?|greater than)\s+(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
# "X should have at most 1 consumer", "must stay above 3": the text states what is expected,
# so the alert fires on the opposite.
_EXPECTED_RE = re.compile(r"\b(?:should|must|needs? to|is expected to|are expected to)\b"
                          r"(?:\s+\w+){0,4}[\s(]*$", re.I)
# "is not less than", "aren't over": a denied comparison, read as its opposite.
_NOT_BEFORE_RE = re.compile(r"\b(?:not|n't)\s+(?:be\s+|been\s+|go\s+|get\s+)?$", re.I)
# "has not been empty", "is not zero", "non-zero": the value is above 0.
_NONZERO_RE = re.compile(
    r"\b(?:(?:is|are|was|were|has|have|had|been|stays?|remains?)\s+not|(?:is|are|was|were|has|"
    r"have|had)n't|not)\s+(?:been\s+|be\s+)?(?:empty|zero|0)\b|\bnon-?zero\b", re.I)
_MODAL_BEFORE_RE = re.compile(r"\b(?:should|must|can|cannot|can't|may|needs? to)\s*$", re.I)


def _said_nonzero(text: str) -> re.Match[str] | None:
    """"has not been empty" as the problem; "must not be empty" states what is expected, so
    being empty is the problem there."""
    for match in _NONZERO_RE.finditer(text):
        if not _MODAL_BEFORE_RE.search(text[: match.start()]):
            return match
    return None


def _unless_expected(match: re.Match[str]) -> str:
    expected = _MODAL_BEFORE_RE.search(match.string[: match.start()])
    return " empty " if expected else " "


_DENIED_EXPECTATION_RE = re.compile(r"\b(?:not|never)\b|n't\b", re.I)
_INVERSE = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=", "!=": "=="}


_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SCALED_RE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(thousand|million|billion)\b", re.I)
_MILLIONS_RE = re.compile(r"\b(\d+(?:\.\d+)?)M(?![A-Za-z])")
# "lag over 10k", "more than 2.5K messages": thousands (kilobytes are "10kb", "10KiB").
_THOUSANDS_RE = re.compile(r"\b(\d+(?:\.\d+)?)[kK](?![A-Za-z0-9])")


def _scaled(match: re.Match[str]) -> str:
    return format_number(float(match.group(1)) * _SCALE_WORDS[match.group(2).lower()])


# "more than twice its limit", "over 1.5 times the request": a multiple of another value, not
# a number of times; the planner compares with that value.
_MULTIPLE_OF_RE = re.compile(r"\b(?:twice|thrice|\d+(?:\.\d+)? ?(?:times|x))"
                             r"(?= (?:of )?(?:the|its|their)\b)", re.I)


_OBJECTIVE_RE = re.compile(r"\s+of\s+(?:[a-z/-]+\s+){1,4}(?:should\s+|must\s+)?"
                           r"(?:succeed|are (?:successful|served|answered|ok))\b", re.I)


def _parse_threshold(text: str) -> Threshold | None:
    text = _MULTIPLE_OF_RE.sub("a multiple", text)
    text = _SPELLED_RE.sub(lambda m: f"{m.group(1)} {_NUMBER_WORDS[m.group(2).lower()]}", text)
    # "2 million series": the number, not 2.
    text = _SCALED_RE.sub(_scaled, text)
    # "more than 10M objects": a capital M glued to a number is millions (minutes are "10m",
    # megabytes "10MB"; as a count the value is the same 10^6 multiple anyway).
    text = _MILLIONS_RE.sub(lambda m: format_number(float(m.group(1)) * 1e6), text)
    # Rules render a count's number as said, so the thousands are multiplied in here.
    text = _THOUSANDS_RE.sub(lambda m: format_number(float(m.group(1)) * 1e3), text)
    best: tuple[int, Threshold] | None = None
    # "decreased by 10GB over 6 hours": the time the change took, not a threshold.
    change_windows = {m.start(1) for m in _CHANGE_WINDOW_RE.finditer(text)}
    for word_op, regex in _COMPARATOR_RES:
        for match in regex.finditer(text):
            op = word_op
            start = match.start()
            if match.start(1) in change_windows:
                continue
            before = text[max(0, start - 24): start].lower()
            # "for more than 5 minutes" is a `for` duration, not a threshold.
            if re.search(r"\b(?:for|lasting|during)\s*$", before):
                kind, _ = _unit(match.group(2))
                if kind == "seconds":
                    continue
            value = _number(match.group(1))
            kind, factor = _unit(match.group(2))
            if kind == "seconds" and factor >= 86400 and match.group(0).lower().startswith(
                    "over") and _BARE_PERCENT_RE.search(text):
                continue  # "99.9% succeed over 30 days": the objective's window, not a level
            if match.group(0).lower().startswith("threshold") and _SAID_LOW_RE.search(
                text[:start]
            ) and not _HIGH_WORDS.search(text[:start]):
                # "(threshold: 75%)" names the number, the words before it the direction:
                # "only <value>% are healthy" is too few.
                op = "<"
            unit_word = (match.group(2) or "").lower()
            if unit_word in ("m", "s", "h", "d", "w", "c", "b", "k") and not re.match(
                r"\s", text[match.end(1): match.end(1) + 1] or "x"
            ):
                pass  # "5m" glued to the number: a unit
            per_match = _PER_RE.match(text[match.end():]) or (
                _PER_BEFORE_RE.search(before) if kind == "count" else None)
            per = None
            if per_match:
                per = {"s": "second", "sec": "second", "second": "second", "m": "minute",
                       "min": "minute", "minute": "minute", "h": "hour", "hour": "hour"}[
                    per_match.group(1).lower()]
            elif kind == "count" and (
                _PER_SECOND_ABBREVIATION_RE.match(text[match.end():])
                or _PER_SECOND_SUBJECT_RE.search(before)
            ):
                per = "second"
            # The clause after the number: "and must be renewed" starts another one.
            after = re.split(r"[.;:!?,]|\b(?:and|but|which|so|because|while)\b",
                             text[match.end(): match.end() + 60])[0]
            expected = _EXPECTED_RE.search(text[max(0, start - 40): start]) or re.search(
                r"\b(?:should|must)\b.*", after, re.I)
            # "should not exceed 80%", "must never go over": what must not happen is the problem.
            if expected and not _DENIED_EXPECTATION_RE.search(expected.group(0)):
                op = _INVERSE[op]
            elif not expected and _NOT_BEFORE_RE.search(before):
                op = _INVERSE[op]  # "replicas are not at least 3": fewer than 3
            candidate = Threshold(op, value, kind, factor, per, match.group(0).strip())
            if best is None or start < best[0]:
                best = (start, candidate)
    if best is not None:
        return best[1]
    changed = _CHANGED_BY_RE.search(text)
    if changed is not None and changed.start(1) not in change_windows:
        # "increased by 500", "shrank by 10GB": the amount of the change, as a lower bound.
        kind, factor = _unit(changed.group(2))
        number = text[changed.start(1): changed.end()].strip()
        return Threshold(">", _number(changed.group(1)), kind, factor, None, number)
    nonzero = _said_nonzero(text)
    if nonzero:
        return Threshold(">", 0.0, "count", 1.0, None, nonzero.group(0))
    bare = _BARE_PERCENT_RE.search(text)
    if bare:
        said = _DROPPED_RE.sub(" ", text) if _SHARE_OF_RE.match(text, bare.end()) else text
        low = bool(_LOW_WORDS.search(said)) and not _HIGH_WORDS.search(said[: bare.start()])
        # "99.9% of checkout requests succeed": an objective; fewer is the problem.
        low = low or bool(_OBJECTIVE_RE.match(text, bare.end()))
        return Threshold("<" if low else ">", _number(bare.group(1)), "percent", 1.0, None,
                         bare.group(0))
    fraction = _FRACTION_RE.search(text)
    if fraction:
        # "drops by half" is a change of 50%, read like "drops by 50%".
        low = bool(_LOW_WORDS.search(text))
        return Threshold("<" if low else ">", _FRACTIONS[fraction.group(1).lower()], "percent",
                         1.0, None, fraction.group(0))
    return None


# "should have only 1 consumer", "peers should be 3", "(expected 1)": the text states the healthy
# count, so the alert fires when the count is off it: above after "too many", below after
# "missing" or "too few", else on any difference.
_EXPECTED_COUNT_RE = re.compile(
    r"\b(?:should|must)\s+(?:only\s+)?(?:be|have|equal|stay at|remain at)\s+(?:only\s+|exactly\s+)?"
    r"(\d+)|\(\s*expected:?\s+(\d+)\s*\)|\bexpected (?:count |number )?(?:of |is |to be )?(\d+)"
    r"(?=\s*(?:[).,;:]|$|\w+s\b))", re.I)
_NOT_A_COUNT_RE = re.compile(r"\s*(?:%|percent|[a-z]{0,2}b\b|bytes|ms\b|s\b|sec|min|hour|day|"
                             r"week|°|degrees)", re.I)
_TOO_MANY_RE = re.compile(r"\b(?:too many|more than expected|extra|split[- ]brain|multiple|"
                          r"several)\b", re.I)
_TOO_FEW_RE = re.compile(r"\b(?:missing|too few|fewer|lost|not enough|insufficient|lack\w*)\b",
                         re.I)


# "fails 3 times in 10 minutes": a count of occurrences within a window, at least that many.
_TIMES_IN_WINDOW_RE = re.compile(r"\b(\d+)\s+times\s+(?:in|within|over|during)\b", re.I)


def _parse_times_in_window(text: str) -> Threshold | None:
    match = _TIMES_IN_WINDOW_RE.search(text)
    if match is None:
        return None
    return Threshold(">=", float(match.group(1)), "count", 1.0, None, match.group(0).strip())


def _parse_expected_count(text: str) -> Threshold | None:
    match = _EXPECTED_COUNT_RE.search(text)
    if match is None or _NOT_A_COUNT_RE.match(text[match.end():]):
        return None
    number = match.group(1) or match.group(2) or match.group(3)
    many, few = bool(_TOO_MANY_RE.search(text)), bool(_TOO_FEW_RE.search(text))
    # "only 1": one is the most there should be.
    many = many or "only" in match.group(0).lower()
    op = ">" if many and not few else "<" if few and not many else "!="
    return Threshold(op, _number(number), "count", 1.0, None, match.group(0).strip())


_FRACTIONS = {"half": 50.0, "a half": 50.0, "a third": 100 / 3, "a quarter": 25.0}
_FRACTION_RE = re.compile(r"\bby (half|a half|a third|a quarter)\b", re.I)


_SPELLED = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
            "thirty": 30, "forty-five": 45, "sixty": 60}
_SPELLED_DURATION_RE = re.compile(
    r"\b(" + "|".join(sorted(_SPELLED, key=len, reverse=True)) + r")\s+"
    r"(?=(?:seconds?|minutes?|hours?|days?|weeks?)\b)", re.I)


def _spelled_out(text: str) -> str:
    """Durations written in words ("in the last two minutes") as digits ("2 minutes")."""
    return _SPELLED_DURATION_RE.sub(lambda m: f"{_SPELLED[m.group(1).lower()]} ", text)


def _parse_for(text: str) -> str | None:
    match = _FOR_RE.search(text) or _FOR_RE.search(_spelled_out(text))
    if not match:
        return None
    kind, factor = _unit(match.group(2))
    seconds = _number(match.group(1)) * factor
    return format_duration_seconds(seconds) if kind == "seconds" and seconds > 0 else None


# "99.9% of requests succeed over 30 days": an objective's window, said without "last".
_OBJECTIVE_WINDOW_RE = re.compile(r"\b(?:over|in|across)\s+(?:a\s+)?(\d+)\s*(days?|weeks?|d|w)\b",
                                  re.I)


def _parse_window(text: str) -> str | None:
    spelled = _spelled_out(text)  # only where the words as written say nothing
    match = (_WINDOW_RE.search(text) or _COUNT_WINDOW_RE.search(text)
             or _WINDOW_RE.search(spelled) or _COUNT_WINDOW_RE.search(spelled)
             or _CHANGE_WINDOW_RE.search(text)
             or (_OBJECTIVE_WINDOW_RE.search(text) if _BARE_PERCENT_RE.search(text) else None))
    if not match:
        single = _SINGLE_WINDOW_RE.search(text)
        if not single:
            return None
        kind, factor = _unit(single.group(1) or single.group(2))
        return format_duration_seconds(factor) if kind == "seconds" else None
    count = int(match.group(1) or 1)
    kind, factor = _unit(match.group(2))
    return format_duration_seconds(count * factor) if kind == "seconds" else None


# "the certificate expires within 30 days": the same deadline said after the event.
_EXPIRES_WITHIN_RE = re.compile(
    r"\bexpir(?:es|ing|e)\s+(?:with)?in\s+(?:the\s+next\s+)?"
    r"(\d+|an?|one|two|three|four|five|six|seven|ten)\s*(hours?|h|days?|d|weeks?|w)\b", re.I)


def _parse_deadline(text: str) -> Threshold | None:
    """"14 days before the certificate expires", "expires within 30 days": fire when less time
    than that is left."""
    match = _DEADLINE_RE.search(text) or _EXPIRES_WITHIN_RE.search(text)
    if not match:
        return None
    raw = match.group(1).lower()
    count = _number(raw) if raw[0].isdigit() else float(_NUMBER_WORDS.get(raw, "1"))
    kind, factor = _unit(match.group(2))
    if kind != "seconds" or count <= 0:
        return None
    return Threshold("<", count, "seconds", factor, None, match.group(0).strip())


# The median is the 50th percentile.
_MEDIAN_RE = re.compile(r"\bmedian\b", re.I)


def _parse_percentile(text: str) -> float | None:
    match = _PERCENTILE_RE.search(text)
    if not match:
        return 0.5 if _MEDIAN_RE.search(text) else None
    raw = match.group(1) or match.group(2)
    value = float(raw)
    digits = raw.replace(".", "")
    # p99 -> 0.99, p999 -> 0.999, p99.9 -> 0.999
    if "." in raw:
        return value / 100
    return value / (10 ** len(digits)) if value >= 1 else value


def severity_of(text: str) -> str | None:
    lowered = text.lower()
    for severity, pattern in _SEVERITY_WORDS:
        if re.search(pattern, lowered):
            return severity
    return None


_NOT_NAMES = frozenset({"is", "the", "a", "an", "has", "of", "on", "and", "are"})
# Words after a scope noun that say what is wrong with it, not which one it is ("node problems").
_WHAT_IS_WRONG = frozenset({"problems", "problem", "issues", "issue", "failures", "failure",
                            "errors", "error", "trouble", "health", "status", "state", "states",
                            "usage", "count", "counts", "level", "levels"})


def _parse_scope(text: str, label_names: Iterable[str],
                 system_words: frozenset[str] = frozenset()) -> dict[str, str]:
    known = set(label_names)
    found: dict[str, str] = {}
    for groups in _SCOPE_AFTER_RE.findall(text):
        label, value = (groups[0], groups[1]) if groups[0] else (groups[2], groups[3])
        name = _canonical_label(label, known)
        if name and value.lower() not in _NOT_NAMES:
            found.setdefault(name, value.strip(".,;"))
    for label, value in _SCOPE_PREP_RE.findall(text):
        name = _canonical_label(label, known)
        if name and value.lower() not in _NOT_VALUES and not value.isdigit():
            found.setdefault(name, value.strip(".,;:"))
    for value, label in _SCOPE_BEFORE_RE.findall(text):
        name = _canonical_label(label, known)
        if name and value.lower() not in {"the", "a", "an", "each", "every", "any", "all", "one",
                                          "this", "that", "my", "our", "per"} and (
            value.lower() not in system_words  # "the vault cluster": which system, not which one
        ):
            found.setdefault(name, value.strip(".,;"))
    for label, value in _SCOPE_NAMED_RE.findall(text):
        name = _canonical_label(label, known)
        if name and not _PERCENTILE_RE.fullmatch(value) and not _DURATION_RE.fullmatch(value):
            found.setdefault(name, value.strip(".,;:"))
    # What is left of a placeholder ("Job <namespace>/<job>" -> "Job /") names nothing.
    return {name: value for name, value in found.items()
            if re.search(r"[A-Za-z0-9]", value) and value.lower() not in _WHAT_IS_WRONG}


_SAME_TIME_RE = re.compile(r"\b(?:at\s+)?the same time(?: of day)?\b", re.I)


# "on node <node>", "(cluster <cluster>)": a label's name before its own placeholder, after a
# preposition ("in collection <collection>") or a scope noun in an aside ("(cluster <cluster>)").
_PLACEHOLDER_NAME_RE = re.compile(
    r"(?:\b(?P<prep>on|in|for|from|of|at|to)\s+(?:the\s+)?)?\b(?P<word>[A-Za-z]+)"
    r"(?P<rest>\s+\(?<(?P<name>[A-Za-z_]+)>)", re.I)
_HEADED_RE = re.compile(r"^([^:]{3,100}):\s")


def _without_placeholder_names(intent: str) -> str:
    """The intent without a label's name written before its own placeholder in the details
    ("System CPU usage on node <node> (cluster <cluster>)": the cluster is where, not what is
    measured), unless the title says the word too ("Kafka topic offline: topic <topic> ...").
    Other nouns count only after a preposition: "(group <group>) is lagging" may name what
    lags; a scope noun as the subject ("Grid cluster <cluster> is YELLOW") is what is wrong."""
    title = _HEADED_RE.match(intent)
    if title is None:
        return intent
    head, rest = intent[:title.end()], intent[title.end():]
    said = {w.lower() for w in re.findall(r"[A-Za-z]+", head)}

    def drop(match: re.Match[str]) -> str:
        word = match.group("word").lower()
        aside = match.string[max(0, match.start("word") - 1):match.start("word")] == "("
        where = match.group("prep") is not None or (word in _SCOPE_NOUNS and aside)
        if word != match.group("name").lower() or not where or (
                word in said or word.rstrip("s") in said):
            return match.group(0)
        return match.group(0)[:match.start("word") - match.start()] + match.group("rest")

    return head + _PLACEHOLDER_NAME_RE.sub(drop, rest)


def retrieval_text(intent: str, matchers: dict[str, str]) -> str:
    """The intent without the words that say where or when rather than what: the scope phrases
    of its matchers ("in the payments namespace", "on host db-1") and "the same time" of a
    comparison, so they do not pull metrics named for namespaces or times."""
    text = clean_intent(_without_placeholder_names(intent))
    nouns = "|".join(_SCOPE_NOUNS)
    for label, value in matchers.items():
        noun = rf"(?:{nouns}|{re.escape(label)})"
        text = re.sub(
            rf"(?:\b(?:in|on|for|from|of|to)\s+)?(?:the\s+)?(?:{noun}\s*(?:=|:)?\s+)?[\"'`]?"
            rf"(?<![\w.\-]){re.escape(value)}(?![\w\-])[\"'`]?(?:['\u2019]s)?(?:\s+{noun}\b)?",
            " ", text, flags=re.I)
    text = _SAME_TIME_RE.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def _canonical_label(word: str, known: set[str]) -> str | None:
    word = word.lower()
    aliases = {"db": "database", "env": "environment", "app": "application", "host": "instance",
               "server": "instance", "machine": "instance", "node": "instance",
               "endpoint": "route"}
    for candidate in (word, aliases.get(word, word), {"environment": "env"}.get(word, word),
                      {"host": "hostname", "node": "nodename"}.get(word, word)):
        if candidate in known:
            return candidate
    return None


_VALUE_IN_WINDOW_RE = re.compile(
    r"(?:<\s*value\s*>|\{\{\s*\$value[^}]*\}\})\s+(?:[a-z]+\s+){0,2}(?:in|within|during|over)\s+"
    r"(?:the\s+)?(?:last|past)\b", re.I)
_VALUE_PER_SECOND_RE = re.compile(
    r"(?:<\s*value\s*>|\{\{\s*\$value[^}]*\}\})\s*(?:[a-z]+\s*)?(?:/\s*s(?:ec(?:ond)?)?\b|"
    r"per\s+sec(?:ond)?\b)", re.I)
_LABEL_PLACEHOLDER_RE = re.compile(r"<\s*([a-z_][a-z0-9_]*)\s*>|\{\{[^}]*?\$labels\.([a-z_]\w*)", re.I)
# Placeholders standing for the alert's value, and target labels every grouping keeps anyway.
_NOT_SHOWN_LABELS = frozenset({"value", "current", "n", "number", "count", "instance", "job"})


# "failing to send alerts to a specific Alertmanager": the one that fails is what matters, so
# its label is kept as a placeholder's would be.
_SINGLED_OUT_RE = re.compile(r"\b(?:a|an|one|some|any)\s+(?:specific|particular|single|individual|"
                             r"certain|given)\s+([a-z][a-z_]*)\b", re.I)


# Placeholders naming one member of a fleet ("on node <instance>", "pod <pod>").
_MEMBER_PLACEHOLDERS = frozenset({"instance", "node", "pod", "host", "hostname", "server",
                                  "member"})


def _shows_member(intent: str) -> bool:
    """The alert's text names the member that fires ("active on node <instance>; publishers are
    blocked cluster-wide"): it is about each member, and "cluster-wide" tells where the damage
    lands; summed across members, the alert could not say which one."""
    return any((a or b).lower() in _MEMBER_PLACEHOLDERS
               for a, b in _LABEL_PLACEHOLDER_RE.findall(intent))


def _unlisted_labels(intent: str, names: set[str]) -> tuple[str, ...]:
    """Placeholders of labels the catalog does not list, other than the value's and a
    member's."""
    found = [(a or b).lower() for a, b in _LABEL_PLACEHOLDER_RE.findall(intent)]
    return tuple(dict.fromkeys(label for label in found if label not in names
                               and label not in _NOT_SHOWN_LABELS
                               and label not in _MEMBER_PLACEHOLDERS))


def _shown_labels(intent: str, names: set[str]) -> tuple[str, ...]:
    """The catalog labels the intent's placeholders show or the intent singles out ("a specific
    queue"), in the order they appear."""
    found = [a or b for a, b in _LABEL_PLACEHOLDER_RE.findall(intent)]
    for word in _SINGLED_OUT_RE.findall(intent):
        word = word.lower()
        found += [w for w in (word, word.removesuffix("s")) if w in names][:1]
    shown = [label for label in found if label in names and label not in _NOT_SHOWN_LABELS]
    return tuple(dict.fromkeys(shown))


def extract_slots(
    intent: str,
    *,
    label_names: Iterable[str] = (),
    scope_matchers: dict[str, str] | None = None,
    system_words: Iterable[str] = (),
) -> Slots:
    """Read the slots an intent states; label_names are the labels the catalog's metrics have,
    system_words the words naming the monitored systems (the first words of metric names)."""
    text = clean_intent(intent)
    names = set(label_names)
    threshold = (_parse_threshold(text) or _parse_deadline(text) or _parse_expected_count(text)
                 or _parse_times_in_window(text))
    percentile = _parse_percentile(text)
    if threshold is not None and percentile is not None and threshold.kind == "count" and (
        abs(threshold.value / 100 - percentile) < 1e-9 or abs(threshold.value - percentile) < 1e-9
    ):
        threshold = None  # "over p99" is not a threshold of 99
    by: tuple[str, ...] | None = None
    if _ACROSS_RE.search(_without_consequences(text)) and not _shows_member(intent):
        by = ()
    for found in _BY_RE.findall(text):
        label = _canonical_label(next(w for w in found if w), names)
        if label:
            by = (*(by or ()), label)
    high = len(_HIGH_WORDS.findall(text))
    low = len(_LOW_WORDS.findall(text))
    direction = None
    if threshold is not None:
        direction = "high" if threshold.comparator in (">", ">=") else "low"
    elif high or low:
        direction = "high" if high >= low else "low"
    matchers = _parse_scope(scope_text(intent), names,
                            frozenset(w.lower() for w in system_words))
    matchers.update(scope_matchers or {})
    return Slots(
        threshold=threshold,
        for_=_parse_for(text),
        window=_parse_window(text),
        percentile=percentile,
        severity=severity_of(text),
        matchers=matchers,
        by=by,
        direction=direction,
        remaining=bool(_REMAINING_RE.search(text)),
        zero=bool(_ZERO_RE.search(_NONZERO_RE.sub(_unless_expected, text))),
        change=bool(_CHANGE_RE.search(text)),
        ratio=bool(_RATIO_RE.search(intent)) or (threshold is not None and threshold.kind == "percent"),
        text=text,
        placeholder=bool(_VALUE_PLACEHOLDER_RE.search(intent)),
        presence=bool(_PRESENCE_RE.search(_description(intent))),
        presence_words=_presence_words(_description(intent)),
        shown_labels=_shown_labels(intent, names),
        unlisted_labels=_unlisted_labels(intent, names),
        value_in_window=bool(_VALUE_IN_WINDOW_RE.search(intent)),
        value_per_second=bool(_VALUE_PER_SECOND_RE.search(intent)),
        counted=_counted_things(intent),
    )


# A value placeholder followed by a plural noun ("<value> jobs", "{{ $value }} messages").
_COUNTED_THINGS_RE = re.compile(r"(?:<\s*value\s*>|\{\{\s*\$value\s*\}\})\s+([a-z]{3,}s)\b",
                                re.I)
# Plural words after a value that are units or shares, not things counted.
_NOT_THINGS = frozenset({"seconds", "minutes", "hours", "days", "weeks", "ms", "bytes", "bits",
                         "percents", "times", "degrees", "kbps", "mbps", "gbps", "requests/s"})


def _counted_things(intent: str) -> str | None:
    match = _COUNTED_THINGS_RE.search(intent)
    if match is None or match.group(1).lower() in _NOT_THINGS:
        return None
    return match.group(1).lower()


_COUNTED_RE = re.compile(
    r"(?:<\s*value\s*>|\{\{[^}]*\}\}|\bsome|\bone or more|\bat least one|\bmultiple|\bany)"
    r"\s+(?:of\s+(?:the\s+)?)?([a-z][\w-]*)(?:\s+([a-z][\w-]*))?(?:\s+([a-z][\w-]*))?"
    r"(?:\s+([a-z][\w-]*))?", re.I)


def _presence_words(description: str) -> tuple[str, ...]:
    match = _COUNTED_RE.search(description)
    return tuple(w.lower() for w in match.groups() if w) if match else ()


def _description(intent: str) -> str:
    """The part after a "Title:" prefix, where the condition is described."""
    head, sep, tail = intent.partition(":")
    return tail if sep and len(head) <= 100 else intent


_TIME_UNITS = {"minutes": 60.0, "hours": 3600.0, "days": 86400.0}


def to_base_unit(threshold: Threshold, metric_unit: str, *, as_ratio: bool = False) -> float:
    """The threshold in the unit the compared expression has.

    metric_unit is `seconds`, `milliseconds`, `bytes`, `ratio`, `percent`, `celsius` or "". A
    percentage compared with a ratio-valued expression (`a / b`, `_ratio` metrics) becomes 0..1.
    """
    value = threshold.base_value
    if threshold.kind == "percent":
        return value / 100 if (as_ratio or metric_unit == "ratio") else value
    if threshold.kind == "seconds" and metric_unit == "milliseconds":
        return value * 1000
    if threshold.kind == "seconds" and metric_unit in _TIME_UNITS:
        return value / _TIME_UNITS[metric_unit]
    if threshold.per == "minute":
        return value / 60
    if threshold.per == "hour":
        return value / 3600
    return value


def format_number(value: float) -> str:
    """PromQL literal without float noise: 0.5, 500, 1e+09 stays readable as 1000000000."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.6g}"
    return text if "e" not in text else repr(value)
