"""Label values people name in words: CPU modes, conditions, phases, reasons, code classes, states.

"CPU steal above 10%" needs `mode="steal"`, "pods in CrashLoopBackOff" needs
`reason="CrashLoopBackOff"`, "5xx responses" needs `code=~"5.."`, although many catalogs list
label *names* only. This vocabulary maps intent wording onto label values by label-name pattern.
When the catalog lists a label's values (`Metric.label_values`, an allowlist) the answer is grounded
in them: a value the catalog does not have is never used. Without listed values, conventions that
exporters share (Kubernetes, node CPU modes, HTTP codes) are spelled canonically, and free-form
states are matched case-insensitively, because exporters spell `failed`, `Failed` and `FAILED`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from monitorgen.core.catalog import Metric
from monitorgen.core.generation.naming import PROBLEM_WORDS
from monitorgen.core.generation.vocabulary import STOPWORDS, stem

# Labels that say *where* (scope), handled by slot extraction and scope questions instead.
SCOPE_LABELS = frozenset({"job", "instance", "service", "namespace", "pod", "container", "node",
                          "cluster", "env", "environment", "region", "team", "app",
                          "application", "deployment", "host", "zone"})
# The gRPC codes that mean the server failed the call.
GRPC_SERVER_ERRORS = "Unknown|DeadlineExceeded|Internal|Unavailable|DataLoss|ResourceExhausted|Aborted"
# The DNS success code in any exporter's spelling ("NOERROR", "NoError", "No Error").
NO_ERROR_RCODE = "(?i)no[ _-]?error"
# The values of a failed outcome (`result="error"`, `outcome="failure"`).
_FAILED_OUTCOMES = "err(or)?|fail(ed|ure)?"
# Spaces inside are fine: exporters spell DNS codes "No Error", and such a value must be written
# as listed, never replaced by a canonical spelling the series do not carry.
_SAFE_VALUE_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.:\-/ ]{0,61}[A-Za-z0-9_.:\-/])?$")


@dataclass(frozen=True)
class Sense:
    """One label value and the words that name it."""

    value: str  # the canonical value, or a regular expression when `regex`
    pattern: str  # case-insensitive regular expression over the intent
    regex: bool = False
    negated: bool = False  # the words name the opposite ("not ready" -> condition Ready, false)
    # A name word of the only metrics whose label holds the value by convention: Kubernetes
    # gives CrashLoopBackOff as a reason a container is *waiting*, OOMKilled as one it was
    # *terminated*; no job or deployment reports either.
    where: str = ""


@dataclass(frozen=True)
class LabelFamily:
    """Values of labels whose names match `labels`, e.g. CPU modes of a `mode` label."""

    name: str
    labels: str  # regular expression over label names (full match)
    senses: tuple[Sense, ...]
    # Exporters agree on the spelling (Kubernetes, node CPU modes): use it as is. Otherwise
    # match case-insensitively unless the catalog lists the values.
    canonical: bool = True


@dataclass(frozen=True)
class ValueMatcher:
    """A label matcher the intent implies, e.g. mode="idle"."""

    label: str
    op: str  # = != =~ !~
    value: str
    family: str
    grounded: bool = False  # the catalog lists the value(s)
    negated: bool = False

    def render(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{self.label}{self.op}"{escaped}"'


# A numeric status code only beside a word that says so ("status 503", "500 errors"), never
# "500 ms".
_CODE = (r"(?:status|code|http|response)s?(?: code)?[ :=]*%s\d\d|"
         r"%s\d\d (?:errors?|responses?|status|codes?)")
_W = r"(?<![\w-])"  # word start that also refuses "non-heap" for "heap"
_E = r"(?![\w])"

FAMILIES: tuple[LabelFamily, ...] = (
    LabelFamily("cpu mode", r"mode|cpu_mode", (
        Sense("idle", _W + r"(?:idle|idling|underutili[sz]\w*)" + _E),
        Sense("iowait", _W + r"(?:iowait|io[ -]?wait|i/o[ -]?wait|waiting (?:for|on) "
                             r"(?:storage|disks?|i/?o))" + _E),
        Sense("steal", _W + r"(?:steal|stolen)" + _E),
        Sense("user", _W + r"(?:user(?:space)?[ -](?:cpu|time|mode)|userspace)" + _E),
        Sense("system", _W + r"(?:system[ -](?:cpu|time|mode)|kernel[ -](?:cpu|time))" + _E),
        Sense("nice", _W + r"nice" + _E),
        Sense("softirq", _W + r"(?:softirqs?|soft interrupts?)" + _E),
        Sense("irq", _W + r"(?:irqs?|hard interrupts?|interrupts?)" + _E),
        Sense("guest", _W + r"guest[ -](?:cpu|time)" + _E),
    )),
    LabelFamily("condition", r"condition", (
        Sense("Ready", _W + r"(?:not[ -]?ready|unready)" + _E, negated=True),
        Sense("MemoryPressure", _W + r"memory[ -]?pressure" + _E),
        Sense("DiskPressure", _W + r"disk[ -]?pressure" + _E),
        Sense("PIDPressure", _W + r"pid[ -]?pressure" + _E),
        Sense("NetworkUnavailable", _W + r"network[ -]?unavailable" + _E),
        Sense("Progressing", _W + r"(?:not progressing|progressing=false)" + _E, negated=True),
        Sense("Ready", _W + r"ready" + _E),
    )),
    LabelFamily("phase", r"phase", (
        Sense("Pending", _W + r"pending" + _E),
        Sense("Failed", _W + r"(?:failed|failing)" + _E),
        Sense("Unknown", _W + r"unknown" + _E),
        Sense("Succeeded", _W + r"succeeded" + _E),
        Sense("Lost", _W + r"lost" + _E),
        Sense("Released", _W + r"released" + _E),
    )),
    LabelFamily("reason", r"reason", (
        Sense("CrashLoopBackOff", _W + r"crash[ -]?loop\w*(?:[ -]?back[ -]?off)?" + _E,
              where="waiting"),
        Sense("ImagePullBackOff", _W + r"image[ -]?pull[ -]?back[ -]?off" + _E, where="waiting"),
        Sense("ErrImagePull", _W + r"(?:errimagepull|image[ -]pull (?:error|fail\w*))" + _E,
              where="waiting"),
        Sense("OOMKilled", _W + r"(?:oom[ -]?kill\w*|out[ -]of[ -]memory kill\w*)" + _E,
              where="terminated"),
        Sense("Evicted", _W + r"evicted" + _E),
        Sense("CreateContainerConfigError", _W + r"config(?:uration)? error" + _E,
              where="waiting"),
    )),
    # gRPC status codes as the spec spells them; failures are the server-side codes (a caller's
    # own mistakes, NotFound or InvalidArgument, are the 4xx of gRPC).
    LabelFamily("grpc code", r"grpc_code|grpc_status|grpc_status_code", (
        Sense("ResourceExhausted", _W + r"resource[ -]?exhausted" + _E),
        Sense("DeadlineExceeded", _W + r"deadline[ -]?exceeded" + _E),
        Sense("Unauthenticated", _W + r"unauthenticated" + _E),
        Sense(GRPC_SERVER_ERRORS, _W + r"(?:fail\w*|errors?|unsuccessful)" + _E, regex=True),
    )),
    # DNS response codes by their RFC mnemonics; any failure is "not NOERROR".
    LabelFamily("dns rcode", r"rcode|dns_rcode|response_rcode", (
        Sense("SERVFAIL", _W + r"(?:servfail|server[ -]fail\w*)" + _E),
        Sense("NXDOMAIN", _W + r"(?:nxdomain|non[ -]?existent domains?)" + _E),
        Sense("REFUSED", _W + r"refused" + _E),
        Sense("NOERROR", _W + r"(?:fail\w*|errors?|unsuccessful)" + _E, negated=True),
    )),
    LabelFamily("http code class",
                r"(?:\w+_)?(?:code|status_code|response_code|http_code|http_status|status|"
                r"code_class|status_class|response_code_class|http_response_status_code)", (
        Sense("5", _W + r"(?:5xx|server[ -]errors?|" + _CODE % ("5", "5") + ")" + _E, regex=True),
        Sense("4", _W + r"(?:4xx|client[ -]errors?|" + _CODE % ("4", "4") + ")" + _E, regex=True),
        Sense("429", _W + r"(?:rate[ -]limit\w*|too many requests)" + _E),
        Sense("3", _W + r"(?:3xx|redirects?)" + _E, regex=True),
        Sense("2", _W + r"(?:2xx)" + _E, regex=True),
    )),
    # The root filesystem is mounted at "/" on every Unix host.
    LabelFamily("mountpoint", r"mountpoint|mount_point|mount", (
        Sense("/", _W + r"root (?:file ?systems?|fs|partition|volume|disk|mount(?:point)?)" + _E),
    )),
    LabelFamily("memory area", r"area|memory_area|pool_type", (
        Sense("nonheap", _W + r"non[ -]?heap" + _E),
        Sense("heap", _W + r"heap" + _E),
    )),
    # An operation's outcome: exporters call a failed one `error`, `err`, `failed` or `failure`
    # alike, so either word selects all of them.
    LabelFamily("result", r"result|outcome|status|classification", (
        Sense(_FAILED_OUTCOMES, _W + r"(?:failed|failing|failures?|errors?|errored|err)" + _E,
              regex=True),
        Sense("time(d)?[ _-]?out", _W + r"tim(?:ed|ing)?[ -]?outs?" + _E, regex=True),
        Sense("dropped", _W + r"dropped|dropping" + _E),
        Sense("rejected", _W + r"rejected|rejecting" + _E),
    ), canonical=False),
    # Traffic-light health (Elasticsearch, OpenSearch): red is down, yellow degraded.
    LabelFamily("color", r"(?:\w+_)?colou?r", (
        Sense("red", _W + r"red" + _E),
        Sense("yellow", _W + r"yellow" + _E),
        Sense("green", _W + r"green" + _E),
    ), canonical=False),
    LabelFamily("state", r"state|status|health|condition_status", (
        Sense("fail(ed|ure)?", _W + r"(?:failed|failing|failures?)" + _E, regex=True),
        Sense("err(or)?", _W + r"(?:errors?|errored|err)" + _E, regex=True),
        Sense("unhealthy", _W + r"unhealthy" + _E),
        Sense("degraded", _W + r"degraded" + _E),
        Sense("down", _W + r"down" + _E),
        Sense("offline", _W + r"offline" + _E),
        Sense("inactive", _W + r"inactive" + _E),
        Sense("stopped", _W + r"stopped" + _E),
        Sense("dropped", _W + r"dropped|dropping" + _E),
        Sense("rejected", _W + r"rejected|rejecting" + _E),
        Sense("time(d)?[ _-]?out", _W + r"tim(?:ed|ing)?[ -]?outs?" + _E, regex=True),
        Sense("pending", _W + r"pending" + _E),
        Sense("unknown", _W + r"unknown" + _E),
        Sense("busy", _W + r"busy" + _E),
    ), canonical=False),
)


@lru_cache(maxsize=1024)
def _label_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern})")


@lru_cache(maxsize=256)
def _sense_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _with_other_classes(family: LabelFamily, sense: Sense, text: str) -> Sense:
    """"4xx or 5xx": one status-class sense standing for every class the intent names."""
    if family.name != "http code class" or not sense.regex:
        return sense
    digits = "".join(other.value for other in family.senses
                     if other.regex and _sense_regex(other.pattern).search(text))
    return Sense("".join(sorted(digits)), sense.pattern, regex=True) if len(digits) > 1 else sense


def _code_value(sense: Sense, label: str, known: tuple[str, ...]) -> tuple[str, str, bool] | None:
    """Operator, value and grounding for a status-code class (or classes, "45") on one label."""
    digits = sense.value
    digit = digits if len(digits) == 1 else f"[{digits}]"
    if known:
        hits = [v for v in known if v[:1] in digits]
        if not hits:
            return None
        if all(re.fullmatch(r"\d{3}", v) for v in hits):
            # Listed codes are the ones seen so far: a 503 not yet listed is a 5xx too.
            return ("=~", f"{digit}..", True)
        return ("=", hits[0], True) if len(hits) == 1 else ("=~", f"{digit}.*", True)
    if "class" in label:
        return ("=~", f"{digit}.*", False)  # "5" and "5xx" both occur
    return ("=~", f"{digit}..", False)


def _grounded(sense: Sense, known: tuple[str, ...]) -> tuple[str, str] | None:
    """The catalog's own value(s) for a sense: exact, or an alternation of several."""
    if sense.regex:
        pattern = re.compile(rf"^(?:{sense.value})$", re.I)
        hits = [v for v in known if pattern.match(v)]
    else:
        hits = [v for v in known if v.lower() == sense.value.lower()]
    if not hits:
        return None
    if len(hits) == 1:
        return ("=", hits[0])
    return ("=~", "|".join(re.escape(v) for v in hits))


def value_matchers(metric: Metric, text: str) -> list[ValueMatcher]:
    """Matchers on `metric`'s labels that the intent's words imply (none for scope labels)."""
    found: list[ValueMatcher] = []
    used: set[str] = set()
    for label in metric.labels:
        if label in SCOPE_LABELS or label in used:
            continue
        known = tuple(v for v in metric.label_values.get(label, ()) if _SAFE_VALUE_RE.match(v))
        for family in FAMILIES:
            if label in used or not _label_regex(family.labels).fullmatch(label):
                continue
            # "a reason other than CrashLoopBackOff": an excluded value wins over the examples
            # the intent may list beside it, and selects everything but that value.
            excluded = [sense for sense in family.senses if _only_excluded(sense.pattern, text)]
            for sense in _title_first(excluded or family.senses, text):
                if not _sense_regex(sense.pattern).search(text) or _named_by_metric(
                        sense, metric) or _elsewhere(sense, metric, known):
                    continue
                sense = _with_other_classes(family, sense, text)
                matcher = _matcher_for(family, sense, label, known)
                if matcher is not None and excluded:
                    matcher = _excluding(matcher)
                if matcher is not None:
                    found.append(matcher)
                    used.add(label)
                    break
        if label not in used and known:
            literal = _literal_value(label, known, text)
            if literal is not None:
                found.append(literal)
                used.add(label)
    return _with_condition_status(metric, found)


# "Host CPU high iowait: ... Your CPU is idling waiting for storage": the title says which.
# (The ranking's title pattern; ranking imports this module, so it is repeated here.)
_TITLE_RE = re.compile(r"^([^:]{3,100}):\s")


def _title_first(senses: tuple[Sense, ...] | list[Sense], text: str) -> list[Sense]:
    """The senses in their order of precedence, those the intent's title names first: when
    the details name another value of the label too, the title says what the rule is about."""
    title = _TITLE_RE.match(text.strip())
    if title is None:
        return list(senses)
    named = [s for s in senses if _sense_regex(s.pattern).search(title.group(1))]
    return named + [s for s in senses if s not in named]


def _elsewhere(sense: Sense, metric: Metric, known: tuple[str, ...]) -> bool:
    """The value belongs to other metrics by convention (`where`), and the catalog does not
    list it for this one."""
    if not sense.where or sense.value in known:
        return False
    return sense.where not in (p.lower() for p in re.split(r"[_:]+", metric.name))


def _named_by_metric(sense: Sense, metric: Metric) -> bool:
    """The metric's own name already says the value (`certificate_ready_status` for "Ready"):
    its label then holds something else, such as the condition's True/False, never that word."""
    if sense.regex:
        return False
    parts = re.split(r"[_:]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", metric.name).lower())
    return sense.value.lower() in parts


# Words that exclude the value after them: "other than", "except", "excluding".
_EXCLUDING_RE = re.compile(r"(?:other than|except(?: for)?|excluding|apart from|aside from|besides|"
                           r"but not)\s+(?:an? |the )?$", re.I)


def _only_excluded(pattern: str, text: str) -> bool:
    """Every mention of the value is excluded ("for a reason other than CrashLoopBackOff")."""
    starts = [m.start() for m in _sense_regex(pattern).finditer(text)]
    return bool(starts) and all(_EXCLUDING_RE.search(text[max(0, at - 30):at]) for at in starts)


def _excluding(matcher: ValueMatcher) -> ValueMatcher:
    """The matcher selecting every value but the one(s) `matcher` selects."""
    op = {"=": "!=", "=~": "!~", "!=": "=", "!~": "=~"}[matcher.op]
    return ValueMatcher(matcher.label, op, matcher.value, matcher.family, matcher.grounded,
                        matcher.negated)


def _with_condition_status(metric: Metric, found: list[ValueMatcher]) -> list[ValueMatcher]:
    """Kubernetes-style conditions come with a status label: "true" means the condition holds."""
    condition = next((m for m in found if m.family == "condition"), None)
    if condition is None or "status" not in metric.labels:
        return found
    kept = [m for m in found if m.label != "status"]
    op = "!=" if condition.negated else "="
    kept.append(ValueMatcher("status", op, "true", "condition status",
                             "true" in metric.label_values.get("status", ())))
    return kept


def _matcher_for(family: LabelFamily, sense: Sense, label: str,
                 known: tuple[str, ...]) -> ValueMatcher | None:
    if family.name == "http code class" and not sense.regex:
        exact = sense.value if not known or sense.value in known else None
        return ValueMatcher(label, "=", exact, family.name, bool(known)) if exact else None
    if family.name == "http code class":
        coded = _code_value(sense, label, known)
        if coded is None:
            return None
        return ValueMatcher(label, coded[0], coded[1], family.name, coded[2])
    if family.name == "grpc code" and not known:
        return ValueMatcher(label, "=~" if sense.regex else "=", sense.value, family.name)
    if family.name == "dns rcode":
        return _rcode_matcher(sense, label, known)
    if known:
        listed = _grounded(sense, known)
        if listed is None:
            return None
        return ValueMatcher(label, listed[0], listed[1], family.name, True, sense.negated)
    if family.canonical:
        return ValueMatcher(label, "=", sense.value, family.name, False, sense.negated)
    # Free-form states: exporters disagree on case, so match any case.
    return ValueMatcher(label, "=~", f"(?i){sense.value}", family.name, False, sense.negated)


def _rcode_matcher(sense: Sense, label: str, known: tuple[str, ...]) -> ValueMatcher | None:
    """A DNS response code, in the catalog's spelling when it lists one ("No Error")."""
    def squeeze(value: str) -> str:
        return re.sub(r"[\s_-]", "", value).upper()

    value = sense.value
    if known:
        value = next((v for v in known if squeeze(v) == sense.value), "")
        if not value:
            return None
    elif sense.negated:
        # Unlisted, the success code is spelled "NOERROR" (CoreDNS) or "No Error" (Hubble):
        # "not NOERROR" in the wrong spelling selects every response, successes too.
        return ValueMatcher(label, "!~", NO_ERROR_RCODE, "dns rcode", False, True)
    op = "!=" if sense.negated else "="
    return ValueMatcher(label, op, value, "dns rcode", bool(known), sense.negated)


def failure_matcher(metric: Metric, label: str, error_class: str) -> ValueMatcher | None:
    """The failed series of an error ratio split by `label` when the intent names no value:
    the class's codes of an HTTP status label, the server-side gRPC codes, every DNS code but
    the success one, a failed outcome. Listed values ground it: the catalog's own spelling
    ("No Error", "5xx", "err"), or nothing when none of them fails (no invented value)."""
    known = tuple(v for v in metric.label_values.get(label, ()) if _SAFE_VALUE_RE.match(v))
    if not known:
        return None
    families = [f for f in FAMILIES if _label_regex(f.labels).fullmatch(label)]
    senses: list[tuple[LabelFamily, Sense]] = []
    for family in families:
        if family.name == "http code class":
            senses.append((family, Sense(error_class[:1], "", regex=True)))
        elif family.name == "grpc code":
            senses.append((family, Sense(GRPC_SERVER_ERRORS, "", regex=True)))
        elif family.name == "dns rcode":
            senses.append((family, Sense("NOERROR", "", negated=True)))
        elif family.name in ("result", "state"):
            senses.append((family, Sense(_FAILED_OUTCOMES, "", regex=True)))
    for family, sense in senses:
        matcher = _matcher_for(family, sense, label, known)
        if matcher is not None:
            return matcher
    return None


def _literal_value(label: str, known: tuple[str, ...], text: str) -> ValueMatcher | None:
    """A listed value the intent spells out ("queue orders", "the heap area"), or else names
    in another form of the same word ("jobs are crashing" of `event="crashed"`)."""
    hits = [v for v in known if len(v) >= 3 and v.lower() not in STOPWORDS
            and re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text, re.I)]
    if not hits:
        found = re.findall(r"[a-z]+", text.lower())
        said = {stem(w) for w in found if w not in STOPWORDS}
        # Values glue the words of a phrase: "out of sync" is `OutOfSync`.
        said |= {stem("".join(found[i:i + n])) for n in (2, 3) for i in range(len(found))}
        # Only a one-word value naming a problem: `worker_crashes` also says whose crashes,
        # and "did not start" names `started` only to deny it.
        hits = [v for v in known if re.fullmatch(r"[A-Za-z]{4,}", v)
                and stem(v.lower()) in PROBLEM_WORDS and stem(v.lower()) in said]
    if len(hits) != 1:
        return None
    return ValueMatcher(label, "=", hits[0], "listed value", True)


__all__ = ["FAMILIES", "GRPC_SERVER_ERRORS", "NO_ERROR_RCODE", "SCOPE_LABELS", "LabelFamily",
           "Sense", "ValueMatcher", "failure_matcher", "value_matchers"]
