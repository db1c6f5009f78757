"""Which service, namespace, job, ... the intent means: scope matchers and the scope question.

The embedded planner pins a rule to a workload only on what the intent names: a known label
value said outright ("checkout latency" -> `service="checkout"`, `scope_matchers_from_words`),
or the owner of a measure ("checkout's p99 latency", "checkout traffic",
`scope_matchers_from_possessives`) on the workload label the catalog has. When a scope word
fits several allowlisted values, or a stated value fits none, `scope_question` asks which one
is meant instead of guessing. Values come only from the catalog's allowlist: nothing here
invents a label value.

These readers see only the catalog and the intent's text, never a candidate's ranking or
confidence; `planner` imports them and this module never imports `planner`.
"""

from __future__ import annotations

import re

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.context import catalog_label_names
from monitorgen.core.generation.labelvalues import SCOPE_LABELS
from monitorgen.core.generation.ranking import direction_of
from monitorgen.core.generation.recipes import Candidate
from monitorgen.core.generation.result import GenerationRequest, Question
from monitorgen.core.generation.slots import Slots
from monitorgen.core.generation.vocabulary import STOPWORDS, concepts, split_identifier, stem


def scope_question(request: GenerationRequest, slots: Slots, best: Candidate) -> Question | None:
    """Ask which value of a scope label is meant when the intent's word fits several or none.

    Only labels whose values the catalog lists (an allowlist) are considered, and only for
    scope labels (service, namespace, job, ...): the known values are shown as the candidates.
    """
    known = _known_scope_values(request.catalog, best.metrics)
    if not known:
        return None
    for label, value in sorted(slots.matchers.items()):
        if label in request.answers or label in request.scope.matchers:
            continue
        values = known.get(label)
        if not values or value in values:
            continue
        close = [v for v in values if value.lower() in v.lower()]
        shown = close if close else values
        return Question(label, f"Which {label} do you mean? {value!r} is not one the catalog "
                        f"lists." if not close else f"Which {label} do you mean by {value!r}?",
                        tuple(shown[:10]))
    words = {w for w in re.findall(r"[a-z0-9][a-z0-9_.\-]{2,}", slots.text.lower())}
    metric_words = {w for name in best.metrics for w in split_identifier(name)}
    for label, values in sorted(known.items()):
        if label in slots.matchers or label in request.answers:
            continue
        for word in sorted(words - metric_words):
            if any(v.lower() == word for v in values):
                continue  # names one value exactly: the caller may pin it
            close = [v for v in values if v.lower().startswith(word + "-")
                     or v.lower().startswith(word + "_") or v.lower().endswith("-" + word)]
            if len(close) > 1:
                return Question(label, f"Which {label} do you mean by {word!r}?",
                                tuple(close[:10]))
    return None


def _known_scope_values(catalog: Catalog, metrics: tuple[str, ...]) -> dict[str, list[str]]:
    known: dict[str, set[str]] = {}
    for name in metrics:
        metric = catalog.family(name)
        if metric is None:
            continue
        for label, values in metric.label_values.items():
            if label in SCOPE_LABELS and values:
                known.setdefault(label, set()).update(
                    v for v in values if re.match(r"^[A-Za-z0-9][A-Za-z0-9_.:\-/]{0,62}$", v))
    return {k: sorted(v) for k, v in known.items() if v}


def scope_matchers_from_words(catalog: Catalog, text: str) -> dict[str, str]:
    """Scope values the intent names outright ("checkout latency" -> service="checkout")."""
    words = set(re.findall(r"[a-z0-9][a-z0-9_.\-]{2,}", text.lower())) - _COMMON_WORDS
    found: dict[str, str] = {}
    for metric in catalog.metrics:
        for label, values in metric.label_values.items():
            if label not in SCOPE_LABELS or label in found:
                continue
            hits = [v for v in values if v.lower() in words]
            if len(hits) == 1:
                found[label] = hits[0]
    found.update(_path_matchers(catalog, text, found))
    return found


# A URL path said as it is ("error rate on /api/orders"): no word but a value.
_PATH_RE = re.compile(r"(?<![\w/.])(/[A-Za-z0-9_.\-/{}:]*[A-Za-z0-9_}/])")
# Labels holding a request's path, when the catalog lists none of their values.
_PATH_LABELS = ("route", "path", "handler", "uri", "endpoint", "url")


def _path_matchers(catalog: Catalog, text: str, found: dict[str, str]) -> dict[str, str]:
    """The label of a path the intent says: the one label listing it, or else the one
    path-named label the catalog has (the value is the intent's own, not a guess)."""
    paths = set(_PATH_RE.findall(text))
    if len(paths) != 1:
        return {}
    path = paths.pop()
    listed = {label for metric in catalog.metrics
              for label, values in metric.label_values.items() if path in values}
    if not listed:
        names = catalog_label_names(catalog)
        listed = {label for label in _PATH_LABELS if label in names}
    if len(listed) != 1 or (label := listed.pop()) in found:
        return {}
    return {label: path}


_POSSESSIVE_RE = re.compile(r"\b([a-z0-9][a-z0-9_.\-]*)['\u2019]s\b", re.I)
# Labels naming the workload a possessive points at ("checkout's latency"), most specific first.
_OWNER_LABELS = ("service", "app", "application", "job")
# Nouns for kinds of things, not names of one: "the host's memory", "a pod's restarts".
_GENERIC_OWNERS = frozenset({"host", "node", "pod", "service", "container", "disk", "target",
                             "instance", "server", "cluster", "system", "machine", "database",
                             "app", "application", "job", "queue", "process", "it", "that",
                             "what", "there", "here", "who", "let", "today", "everyone", "one",
                             "everything", "something", "nothing", "day", "week", "month",
                             "year", "hour", "minute", "yesterday", "customer", "user", "team",
                             "namespace", "deployment", "volume", "certificate", "site",
                             "runtime", "exporter", "agent"})


def scope_matchers_from_possessives(catalog: Catalog, text: str) -> dict[str, str]:
    """"checkout's p99 latency": the owner becomes a matcher on the workload label the catalog
    has (service, app, job). Words of metric names ("prometheus's") are metrics, not owners."""
    labels = catalog_label_names(catalog)
    label = next((name for name in _OWNER_LABELS if name in labels), None)
    if label is None:
        return {}
    metric_words = {w for m in catalog.metrics for w in split_identifier(m.name)}
    # The system the catalog is named after ("linkerd" of `linkerd-exporter`) is what every
    # metric is about, not one workload of it: "Linkerd error rate" is no job="Linkerd".
    metric_words |= set(re.findall(r"[a-z0-9]+", catalog.name.lower()))
    # A value another label lists ("the shop ingress" of `ingress="shop"`) is pinned there, not
    # guessed onto the workload label as well.
    listed_elsewhere = {value.lower() for metric in catalog.metrics
                        for name, values in metric.label_values.items() if name != label
                        for value in values}
    for match in [*_POSSESSIVE_RE.finditer(text), *_NAME_BEFORE_MEASURE_RE.finditer(text),
                  *_NAME_AFTER_MEASURE_RE.finditer(text)]:
        owner = next(group for group in match.groups() if group)
        lowered = owner.lower()
        if lowered in _GENERIC_OWNERS or lowered in metric_words or lowered in labels or (
            lowered in _COMMON_WORDS or lowered in listed_elsewhere
        ):
            continue
        if match.re is _NAME_AFTER_MEASURE_RE and (
            lowered in STOPWORDS or concepts([stem(lowered)]) or lowered in _MEASURE_QUALIFIERS
            or re.fullmatch(r"[\d.]+\w*", lowered)
        ):
            continue  # "latency of 500ms", "error rate of all requests": no workload
        if match.re is _NAME_BEFORE_MEASURE_RE and (
            not _starts_a_phrase(text, match.start())
            or lowered in STOPWORDS or concepts([stem(lowered)]) or lowered in _MEASURE_QUALIFIERS
            or re.fullmatch(r"p?\d+(?:\.\d+)?(?:st|nd|rd|th)?", lowered)
            or direction_of({lowered})
        ):
            continue  # "when traffic", "total traffic": ordinary words, not a workload's name
        return {label: owner}
    return {}


# Words after which a bare name begins a noun phrase ("if checkout traffic", "the checkout
# latency"); after another noun, a verb or "of" it is part of a compound ("pipeline execution
# throughput", "to serve traffic", "of code-to-token exchange error rate").
_PHRASE_OPENERS = frozenset({"if", "when", "whenever", "once", "while", "unless", "the", "our",
                             "my", "your", "their", "and", "or", "but", "for", "on", "in",
                             "that", "whose", "where", "is", "has"})


def _starts_a_phrase(text: str, start: int) -> bool:
    """Nothing or an opener word comes before `start`, within its clause."""
    head = text[:start].rstrip()
    if not head or head[-1] in ".,;:!?(":
        return True
    previous = re.findall(r"[\w'-]+$", head)
    return bool(previous) and previous[0].lower() in _PHRASE_OPENERS


# Words that qualify a measure ("p99 latency", "average latency", "outbound traffic") rather
# than name whose it is.
_MEASURE_QUALIFIERS = frozenset({
    "average", "avg", "mean", "median", "tail", "percentile", "max", "min", "maximum", "minimum",
    "peak", "overall", "total", "current", "normal", "typical", "usual", "expected", "high",
    "low", "slow", "fast", "our", "my", "your", "their", "its", "all", "any", "internal",
    "external", "network", "request", "response", "read", "write", "http", "https", "grpc",
    "tcp", "udp", "dns", "end-to-end", "backend", "frontend", "upstream", "downstream",
    "service", "api", "web", "user", "client", "server", "database", "db", "query", "site"})
# "checkout traffic": a bare name right before a measure of a workload names its owner.
# A percentile may stand between them ("checkout p99 latency").
_NAME_BEFORE_MEASURE_RE = re.compile(
    r"\b([a-z0-9][a-z0-9_.\-]*)\s+(?:p\d{1,2}(?:\.\d+)?\s+|\d{1,2}(?:st|nd|rd|th) percentile\s+)?"
    r"(?:traffic|latency|error rate|throughput|availability|request rate|rps|qps|"
    r"serves|returns|responds with)\b"
    # "checkout requests per second": a name, not a verb ("is blocking requests").
    r"|(?<!\bis )(?<!\bare )\b([a-z0-9][a-z0-9_.\-]*(?<!ing)(?<!ed))\s+requests\b"
    # "checkout p99 over 500ms": the percentile alone names the latency.
    r"|\b([a-z0-9][a-z0-9_.\-]*)\s+p\d{2,3}(?:\.\d+)?\b",
    re.I)
# "the median latency of payments", "the success rate of checkout": the owner after the measure.
_NAME_AFTER_MEASURE_RE = re.compile(
    r"\b(?:latency|error rate|success rate|traffic|throughput|availability)\s+(?:of|for)\s+"
    r"(?:the\s+)?([a-z0-9][a-z0-9_.\-]*)\b(?!\s*(?:service|requests?|calls?)\b)", re.I)


_COMMON_WORDS = frozenset({"the", "and", "for", "all", "any", "api", "web", "app", "default",
                           "prod", "production", "staging", "test", "main"})
