"""Readings of the intent's text alone, for the embedded planner's candidate shapes.

Each reader answers one question about what the intent says, from its words only, with no
catalog and no metric: is a share of things said to be failing with no number
(`failing_share_said`), where is the condition stated (after a "Title:", before what it leads
to), is a number missing, a comparison with an earlier period ("compared to last week"), a
forecast horizon ("within the next 4 hours"), an amount something grew by, a range the value
must stay inside, a CPU mode, occurrences counted within a window, members short of all of them
("degraded", "does not match"). `planner.candidates_for` consults them to decide which shapes
fit; the patterns they share with it (`SUCCESS_RE`, `ERROR_RATE_RE`, `LEVEL_RE`, ...) live here
too.

Being pure functions of text, they are deterministic and cheap; this module imports neither
`planner` nor `confidence`.
"""

from __future__ import annotations

import re

from monitorgen.core.durations import parse_duration_seconds
from monitorgen.core.generation.slots import Slots, Threshold, _unit
from monitorgen.core.generation.vocabulary import stem

_PREDICT_RE = re.compile(
    r"\b(?:will|going to|predict\w*|forecast\w*|about to|expected to|likely)\b.*?\b(?:fill|full|"
    r"run out|exhaust\w*)\b.*?\b(?:in|within|next)\s+(\d+|one|two|three|four|five|six|seven)"
    r"\s*(hours?|h|days?|d|minutes?|m|weeks?)\b"
    r"|\b(?:fill|full|run out|exhaust\w*)\w*\s+(?:up\s+)?(?:in|within)\s+(?:the\s+next\s+)?"
    r"(\d+|one|two|three|four|five|six|seven)\s*(hours?|h|days?|d|minutes?|m|weeks?)\b",
    re.I,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_COMPARED_RE = re.compile(
    r"\b(?:compared (?:to|with)|vs\.?|versus|than)\s+(?:the same time\s+)?"
    r"(yesterday|last week|an hour ago|one hour ago|last hour|a day ago|a week ago|last month)",
    re.I,
)
_OFFSETS = {"yesterday": "1d", "a day ago": "1d", "last week": "1w", "a week ago": "1w",
            "an hour ago": "1h", "one hour ago": "1h", "last hour": "1h", "last month": "4w"}
# The share of time something was up: an SLO over a window.
AVAILABILITY_RE = re.compile(r"\b(?:uptime|availability|available|of the time|success rate|"
                              r"success ratio)\b", re.I)
# A change verb right before the stated amount: "grew by more than", "dropped by over".
_GREW_BY_RE = re.compile(
    r"\b(?:(?P<up>increas\w*|grow\w*|grew|rose|rising|jump\w*|climb\w*|went up|gone up)|"
    r"(?P<down>decreas\w*|drop\w*|fell|falling|shr[ia]nk\w*|went down|gone down|declin\w*))"
    r"\s+(?:[a-z]+ly\s+)?(?:by\s+)?\(?\s*$", re.I)


def grew_by(slots: Slots) -> str | None:
    """"up" or "down" when the stated threshold is an amount something changed by."""
    threshold = slots.threshold
    if threshold is None or not threshold.text:
        return None
    at = slots.text.find(threshold.text)
    if at < 0:
        return None
    match = _GREW_BY_RE.search(slots.text[max(0, at - 30): at])
    if match is None:
        return None
    # "dropped below 1", "rose above 100", "grew over 100": where it ended up, a level; only
    # "by" or a bare amount ("increased more than 500") is how much it changed.
    if not re.search(r"\bby\b", match.group(0), re.I) and not re.match(
        r"(?:more|less|fewer) than|at least", threshold.text, re.I
    ):
        return None
    return "up" if match.group("up") else "down"


# Words that ask about a level ("high request rate", "too many checkpoints", "more than half"):
# without a number, "any increase" of a counter that is not itself a problem does not answer them.
# ("Queue saturation" is how full it is: a level too.)
LEVEL_RE = re.compile(r"\b(?:high|higher|low|lower|unusual(?:ly)?|too (?:many|much|few)|half|"
                       r"saturation|(?<!how )(?<!so )many|"
                       r"majority|most of|approaching|nearing)\b", re.I)
_CPU_MODES = ("idle", "iowait", "steal", "user", "system", "nice", "irq", "softirq", "guest")


# "success rate below 95%": the share of responses that are not errors.
SUCCESS_RE = re.compile(r"\b(?:success(?:ful|fully)?|succeed(?:ed|ing|s)?)\b", re.I)
# An error rate with no subject is a share of requests (the metric is named after requests).
ERROR_RATE_RE = re.compile(r"\b(?:error|failure) (?:rate|ratio|percentage)\b", re.I)


# --- a failing share with no number ---------------------------------------------------------------
# A failure the intent says is happening: a verb of the subject ("is failing", "are dropped",
# "timing out"), a noun of what it meets ("storage errors", "failures", "rejections") or an
# error status it returns ("5xx", "SERVFAIL"). "Dropped by 20%", "dropped to" is a value that
# fell, not things discarded.
_FAILING_RE = re.compile(
    r"\b(?:fail(?:s|ing|ed|ures?)?|drop(?:s|ping|ped)(?!\s+(?:by|to|below|under|from|off)\b)|"
    r"errors?|err(?:ing|ed)|reject(?:s|ing|ed|ions?)|refus(?:es|ing|ed)|discard(?:s|ing|ed)|"
    r"timing out|tim(?:es|ed) out|timeouts?|servfail|[45]xx)\b", re.I)
# "is missing <value>% of evaluations": skipped work. Misses of a cache are its normal traffic.
_MISSING_RE = re.compile(r"\b(?:is|are|been) missing\b", re.I)
_CACHE_RE = re.compile(r"\bcach(?:e|es|ed|ing)\b", re.I)
FAILING_VERB_RE = re.compile(
    r"\b(?:is|are|was|were|been|keeps?)\s+(?:\w+ly\s+)?(?:failing|dropping|rejecting|refusing|"
    r"discarding|timing out|missing|erroring|returning)\b|\b(?:fail|fails|failed|time out|"
    r"timed out|(?:are|is|get|gets|being) (?:dropped|rejected|refused|discarded))\b", re.I)
# Words asking for more failures than usual rather than any: the number is a real missing slot.
_ABOVE_USUAL_RE = re.compile(
    r"\b(?:(?:above|more than|higher than|over) (?:the )?(?:normal|usual|expected|baseline)|"
    r"elevated|excessive\w*|abnormal\w*|spik\w*|increas\w*|surg\w*|rising|growing)\b", re.I)
# Words of how full something is: "writes fail because <value>% of the disk is used" reports
# a usage, which needs its number.
_FULLNESS_RE = re.compile(r"\b(?:full|used|usage|utili[sz]\w*|space|capacity|quota|left|"
                          r"remaining|free|headroom)\b", re.I)
# Words of a duration or size: "p99 latency of failed requests is <value>s" needs its number.
_MEASURE_RE = re.compile(r"\b(?:latency|latencies|duration|slow\w*|response time|took|"
                         r"size|bytes|percentile|p\d{2})\b", re.I)


def failing_share_said(slots: Slots) -> bool:
    """The intent says a share of things is failing and states no number ("is failing <value>%
    of writes", "is experiencing <value>% storage errors", "have <value>% of failing DNS
    queries"): the placeholder reports the value, it is no condition."""
    if slots.threshold is not None or slots.percentile is not None or slots.remaining:
        return False
    if not slots.ratio and not ERROR_RATE_RE.search(slots.text):
        return False
    said = _before_consequences(_condition_text(slots.text))
    main = _main_clause(said)
    # A noun alone ("checkout error rate") names a topic; with the value the alert reports
    # ("<value>% errors") or a verb ("is failing") the failures are happening.
    happening = slots.placeholder or bool(FAILING_VERB_RE.search(main))
    failing = bool(_FAILING_RE.search(main)) or bool(_MISSING_RE.search(main)) and not (
        _CACHE_RE.search(said))
    return happening and failing and not _needs_a_number(said) and not (
        LEVEL_RE.search(_title_of(slots.text)))


def failures_said(slots: Slots) -> bool:
    """The intent says things fail ("backup has failed", "<value>% storage errors") and states
    no number: of a counter of every attempt, only the failed ones are the problem."""
    if slots.threshold is not None or slots.percentile is not None or slots.remaining:
        return False
    return bool(_FAILING_RE.search(_main_clause(_before_consequences(
        _condition_text(slots.text)))))


def _title_of(text: str) -> str:
    """The "Title:" prefix of an intent ("Relay High Push Failures: ..."), else nothing. A level
    in the title ("High", "Too many") says a number was meant: "> 0" would not be "high"."""
    head, sep, tail = text.partition(":")
    return head if sep and tail.strip() and len(head) <= 100 else ""


def _needs_a_number(stated: str) -> bool:
    """Where the condition is stated (after a "Title:", before what it leads to), a level
    ("high error rate", "too many failures", "above normal"), a duration or size, how full
    something is, a success rate or an availability (what is left of the good share) is a real missing number; a
    value that moved ("dropped to", "fell by") is a change, not failures."""
    return bool(LEVEL_RE.search(stated) or _ABOVE_USUAL_RE.search(stated)
                or _MEASURE_RE.search(stated) or _FULLNESS_RE.search(stated)
                or SUCCESS_RE.search(stated)
                or AVAILABILITY_RE.search(stated) or _MOVED_BY_RE.search(stated))


# A value that moved by or to an amount ("the error rate dropped to 2%", "fell by half"); "the
# collector dropped <value>% of spans" discards them.
_MOVED_BY_RE = re.compile(r"\b(?:drop(?:s|ped|ping)?|f[ae]ll(?:s|en|ing)?|decreas\w*|declin\w*|"
                          r"went (?:up|down)|rose|jump\w*|climb\w*)\s+(?:by|to|below|under|from|"
                          r"above|over)\b", re.I)


# Where a statement turns to what the condition means or leads to ("..., which impacts
# availability", "meaning alerts may be lost"): its words do not qualify the condition.
# ("..., which is too high" still qualifies it.)
_CONSEQUENCE_RE = re.compile(r"\b(?:which(?! (?:is|are|was|were|seems?)\b)|meaning|indicating|"
                             r"so that|causing|leading to|(?:and |that )?(?:may|might|can|could|"
                             r"will))\b", re.I)


def _before_consequences(text: str) -> str:
    match = _CONSEQUENCE_RE.search(text)
    return text[:match.start()] if match else text


def _condition_text(text: str) -> str:
    """The part after a "Title:" prefix, where the condition is described; else all of it."""
    head, sep, tail = text.partition(":")
    return tail if sep and tail.strip() and len(head) <= 100 else text


# Where a statement's first clause ends: what follows explains or contrasts ("..., indicating
# it sheds load rather than returning errors"), it does not say what is failing.
_CLAUSE_END_RE = re.compile(r"[.;,(]\s|\s[-\u2013\u2014]\s|\s(?:which|meaning|indicating|so that|"
                            r"rather than|instead of)\b", re.I)


def _main_clause(text: str) -> str:
    match = _CLAUSE_END_RE.search(text)
    return text[:match.start()] if match else text


# --- a value against its own limit metric -----------------------------------------------------------
def may_compare_to_limit(slots: Slots) -> bool:
    """No number is stated (or only a placeholder for a count): a limit metric may be it."""
    threshold = slots.threshold
    return threshold is None or slots.placeholder and threshold.kind == "count"


# "Bond degraded", "does not match the expected number of replicas": members in a good state
# fall short of all the members there should be.
_DEGRADED_RE = re.compile(r"\bdegraded\b", re.I)
_NOT_MATCHING_RE = re.compile(r"\b(?:(?:does not|doesn't|do not|don't) match|mismatch\w*)\b",
                              re.I)


def short_of_all_members(text: str) -> str | None:
    """The comparison of good members with all of them the intent asks for, if it does."""
    if _DEGRADED_RE.search(text):
        return "<"
    if _NOT_MATCHING_RE.search(text):
        return "!="
    return None


# "lost a slave", "has lost one of its replicas": one of the things counted went away.
_LOST_ONE_RE = re.compile(r"\b(?:lost|loses|losing)\s+(?:a|an|one|one of (?:its|the|their))\s+"
                          r"([a-z]+)\b", re.I)


def lost_one_of(text: str) -> str | None:
    """The stem of the thing the intent says one of was lost ("instance lost a replica"):
    a count of them that went down, whatever it went down to."""
    match = _LOST_ONE_RE.search(text)
    return stem(match.group(1).lower()) if match else None


# --- a level of the usual health scale ---------------------------------------------------------------
# Health states on the scale status gauges share (Nagios' plugin codes, Ceph's HEALTH_*, the
# traffic lights of search clusters): 0 ok/green, 1 warning/yellow, 2 error/critical/red. A
# state spelled as a code ("HEALTH_WARN", "STATUS_CRITICAL") names its level by its last part;
# a colour is a state only where it is said to be one ("is yellow", "in red state"): "Red Hat"
# is none.
_LEVEL_CODE_RE = re.compile(r"\b[A-Z][A-Z0-9]*_(WARN|WARNING|ERR|ERROR|CRIT|CRITICAL)\b|"
                            r"\b(?:[Ii]s|[Aa]re|[Ii]n)\s+(WARN|WARNING|ERROR|CRITICAL)\b|"
                            r"(?i:\bin (?:an? |the )?(warning|critical|error) (?:state|status)\b)")
_LEVEL_COLOUR_RE = re.compile(
    r"\b(?:is|are|was|were|turned|turns|went|goes|gone|becomes?|became|in(?: the)?|"
    r"to|or)\s+(?:now\s+|still\s+)?(yellow|red)\b(?!\s+hat\b)|\b(yellow|red)\s+(?:state|status|"
    r"health)\b", re.I)
_LEVELS = {"warn": 1.0, "warning": 1.0, "yellow": 1.0,
           "err": 2.0, "error": 2.0, "crit": 2.0, "critical": 2.0, "red": 2.0}


def health_level_said(text: str) -> tuple[float, str] | None:
    """The one problem level of the usual health scale the intent says something is in, with
    its word ("is YELLOW": 1, "in HEALTH_ERR state": 2); None when it names none or several."""
    said = {next(g for g in match.groups() if g).lower() for match in _LEVEL_CODE_RE.finditer(text)}
    said |= {(match.group(1) or match.group(2)).lower() for match in _LEVEL_COLOUR_RE.finditer(text)}
    levels = {_LEVELS[word] for word in said}
    if len(levels) != 1:
        return None
    level = levels.pop()
    return level, "/".join(sorted(said))


def said_stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z]+", text.lower())}


_FORECAST_RE = re.compile(r"\b(?:predict\w*|forecast\w*|on track to|going to|will)\b", re.I)
_HORIZON_RE = re.compile(r"\b(?:within|in) (?:the next |the coming )?(\d+|one|two|three|four|"
                         r"five|six|seven) ?(hours?|h|days?|d|minutes?|m|weeks?)\b", re.I)


def limit_horizon(text: str) -> float | None:
    """"predicted to exceed the quota within the next 4 hours": how far ahead, in seconds."""
    if not _FORECAST_RE.search(text):
        return None
    match = _HORIZON_RE.search(text)
    if match is None:
        return None
    number = match.group(1).lower()
    count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
    kind, factor = _unit(match.group(2))
    return float(count) * factor if kind == "seconds" else None


RATE_NOISE = frozenset(stem(w) for w in ("total", "count", "rate", "the", "they", "it", "are",
                                          "is", "being", "of"))


def side_stems(text: str) -> set[str]:
    return {stem(w.lower()) for w in re.findall(r"[A-Za-z]+", text)} - RATE_NOISE


def grew_by_word(text: str) -> bool:
    return bool(re.search(r"\b(?:increas|grow|grew|rose|jump|drop|fell|decreas|chang)\w*\b",
                          text, re.I))


# "is not 200-399", "outside 10 to 20", "not between 1 and 5": the good values as a range.
_OUTSIDE_RANGE_RE = re.compile(
    r"\b(?:is\s+)?(?:not|outside(?:\s+of)?(?:\s+the\s+range)?)\s+(?:(?:with)?in\s+)?"
    r"(?:between\s+)?(\d+(?:\.\d+)?)\s*(?:-|–|to|and)\s*(\d+(?:\.\d+)?)"
    # The range ends the phrase: "not 5-10 minutes old" and "not 10-20%" are amounts.
    r"(?=\s*(?:$|[.,;:)!?]|(?:for|on|in|at|and|or|since|when|while)\b))", re.I)


def outside_range(text: str) -> tuple[float, float] | None:
    match = _OUTSIDE_RANGE_RE.search(text)
    if match is None:
        return None
    low, high = float(match.group(1)), float(match.group(2))
    return (low, high) if low < high else None


def cpu_mode(text: str) -> str | None:
    """The CPU mode an intent names (standard Linux/Windows CPU time modes), if any."""
    lowered = text.lower()
    if re.search(r"\bio ?wait|waiting for (?:storage|disk|i/?o)\b", lowered):
        return "iowait"
    for mode in _CPU_MODES:
        if re.search(rf"\b{mode}\b", lowered):
            return mode
    return None


# "OOMKilled 3 times in the last 10 minutes": how often something happened in a window.
_TIMES_RE = re.compile(r"\btimes\b", re.I)


def counts_occurrences(slots: Slots) -> bool:
    """The intent counts occurrences within a window, which a gauge of the state now (what
    the last termination's reason was) does not tell."""
    return slots.window is not None and bool(_TIMES_RE.search(slots.text))


def duration_threshold(duration: str) -> Threshold:
    seconds = parse_duration_seconds(duration)
    return Threshold(">", seconds, "seconds", 1.0, None, duration)


# "twice the daily average", "3 times its hourly baseline": now against the same measure's
# average over a longer period.
_TIMES_AVERAGE_RE = re.compile(
    r"\b(twice|double|triple|thrice|half|\d+(?:\.\d+)? ?(?:times|x)) (?:the |its |their )?"
    r"(daily|hourly|weekly|\d+[hdw]) (?:average|mean|baseline|rate|norm)\b", re.I)
_AVERAGE_PERIODS = {"daily": "1d", "hourly": "1h", "weekly": "1w"}
_TIMES = {"twice": 2.0, "double": 2.0, "triple": 3.0, "thrice": 3.0, "half": 0.5}


def times_average(text: str) -> tuple[float, str] | None:
    """(multiple, period) of "twice the daily average": (2, "1d")."""
    match = _TIMES_AVERAGE_RE.search(text)
    if match is None:
        return None
    word, period = match.group(1).lower(), match.group(2).lower()
    number = re.match(r"[\d.]+", word)
    factor = float(number.group(0)) if number else _TIMES[word]
    return factor, _AVERAGE_PERIODS.get(period, period)


def compared_offset(text: str) -> str | None:
    match = _COMPARED_RE.search(text)
    return _OFFSETS.get(match.group(1).lower()) if match else None


def predict_horizon(text: str) -> float | None:
    match = _PREDICT_RE.search(text)
    if not match:
        return None
    number = match.group(1) or match.group(3)
    unit = match.group(2) or match.group(4)
    count = _NUMBER_WORDS.get(number.lower()) if not number.isdigit() else int(number)
    kind, factor = _unit(unit)
    return float(count or 0) * factor if kind == "seconds" and count else None


# A share of a limit the intent names in words: "90% of allowed file descriptors", "exceeds 90%
# of node capacity", "80% of its connection limit".
_LIMIT_WORD = r"(?:allowed|permitted|capacity|limits?|maximum|max|quota|ceiling)"
_SHARE_OF_LIMIT_RE = re.compile(
    rf"\d\s*%\s+of\s+(?:(?:the|its|their|his|her|[\w-]+'s)\s+)?(?:[\w-]+\s+){{0,3}}?{_LIMIT_WORD}\b",
    re.I)
# A number the intent names as that limit: "the 65535 identity limit", "a limit of 1000",
# "capacity of 500 connections", "max 1024".
_STATED_LIMIT_RE = re.compile(
    rf"\b(?:the|a|an|its|their)\s+(?P<a>\d[\d,]*(?:\.\d+)?)\s+(?P<of>(?:[\w-]+\s+){{0,2}}?)"
    rf"{_LIMIT_WORD}\b|"
    rf"\b{_LIMIT_WORD}\s+(?:of\s+|is\s+|=\s*|:\s*)?(?P<b>\d[\d,]*(?:\.\d+)?)(?!\s*%)\b",
    re.I)


def share_of_limit_said(text: str) -> bool:
    """The stated percentage is of a limit named in words ("90% of allowed file
    descriptors"), not of a metric the catalog may have."""
    return bool(_SHARE_OF_LIMIT_RE.search(text))


def stated_limit(text: str) -> tuple[float, frozenset[str]] | None:
    """The number the intent gives as the limit ("approaching the 65535 identity limit"), and
    the stems of what it limits when said between the two ("identity")."""
    for match in _STATED_LIMIT_RE.finditer(text):
        number = (match.group("a") or match.group("b")).replace(",", "")
        value = float(number)
        if value > 1:  # "max 1" is a flag, not a capacity
            return value, frozenset(stem(w) for w in (match.group("of") or "").split())
    return None


# "returns HTTP 500", "answers with a 5xx": one status code or class, said as a code (after a
# word of responding or of codes), not an amount ("500 requests per second", "500 ms").
_STATUS_CODE_SAID_RE = re.compile(
    r"\b(?:(?:http|status(?: code)?|code|returns?|returning|returned|answers?(?: with)?|"
    r"respond\w*(?: with)?|throw\w*|serv\w*|gives?|giving)\s+(?:an?\s+|http\s+)?([1-5]\d\d)|"
    r"([1-5]xx))\b(?![\d.]|\s*(?:%|percent|ms\b|s\b|sec|seconds?\b|minutes?\b|bytes?\b|"
    r"[kmgt]i?b\b|times\b|per\b|/|requests?\b))", re.I)
_NEGATED_CODE_RE = re.compile(r"\b(?:not|isn't|other than|anything but|except)\s+"
                              r"(?:(?:http|status|code|a|an)\s+)*[1-5](?:\d\d|xx)\b|"
                              r"\b[1-5](?:\d\d|xx)\s*(?:or|and|,|/)\s*[1-5](?:\d\d|xx)\b", re.I)


def status_code_said(text: str) -> str | None:
    """The one HTTP status code ("500") or class ("5xx") the intent says, lower-cased; none
    when it says a code is not ("is not 200": any other code) or names several."""
    if _NEGATED_CODE_RE.search(text):
        return None
    found = {(m.group(1) or m.group(2)).lower() for m in _STATUS_CODE_SAID_RE.finditer(text)}
    return found.pop() if len(found) == 1 else None
