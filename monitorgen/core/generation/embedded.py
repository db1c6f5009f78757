"""The embedded generator: deterministic, offline, no LLM.

It reads the intent's slots, ranks the catalog's metrics, builds candidate rules from the intent
families that fit, and proposes the best; `repair` returns the next-best candidate. When a needed
number is missing or several metrics fit equally well it asks instead of guessing. With
`request.previous` and `request.feedback` it revises the previous rule (refinement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.durations import format_duration_seconds, parse_duration_seconds
from monitorgen.core.errors import SpecInvalid
from monitorgen.core.generation import recipes
from monitorgen.core.generation.context import (
    GenerationContext,
    ScoredMetric,
    build_context,
    catalog_label_names,
    effective_type,
    is_timestamp_metric,
    metric_unit,
)
from monitorgen.core.generation.recipes import Candidate
from monitorgen.core.generation.result import (
    Attempt,
    GenerationRequest,
    GenerationResult,
    Provenance,
    Question,
    Status,
)
from monitorgen.core.generation.slots import (
    Slots,
    Threshold,
    _unit,
    clean_intent,
    extract_slots,
    format_number,
    severity_of,
)
from monitorgen.core.generation.vocabulary import concepts, split_identifier, stem, stems
from monitorgen.core.spec import AlertingRule, alerting_rule_from_data

DEFAULT_MAX_INTENT_CHARS = 2000
DEFAULT_MAX_CANDIDATES = 4
# Below this retrieval score no metric is about the intent: ask which one is meant.
MIN_METRIC_SCORE = 2.2
# Candidates closer than this (relative) are a tie: ask rather than pick one at random.
TIE_MARGIN = 0.04
_TOP_METRICS = 6
# Evidence needed to answer without asking: the share of the chosen metric's distinctive name
# words the intent mentions, and the lead of the best-ranked metric over the runner-up.
MIN_COVERAGE = 0.5
MIN_MARGIN = 0.25

_PREDICT_RE = re.compile(
    r"\b(?:will|going to|predict\w*|forecast\w*|about to|expected to)\b.*?\b(?:fill|full|run out|"
    r"exhaust\w*)\b.*?\b(?:in|within|next)\s+(\d+)\s*(hours?|h|days?|d|minutes?|m)\b"
    r"|\b(?:fill|full|run out|exhaust\w*)\w*\s+(?:up\s+)?(?:in|within)\s+(?:the\s+next\s+)?(\d+)\s*"
    r"(hours?|h|days?|d|minutes?|m)\b",
    re.I,
)
_COMPARED_RE = re.compile(
    r"\b(?:compared (?:to|with)|vs\.?|versus|than)\s+(?:the same time\s+)?"
    r"(yesterday|last week|an hour ago|one hour ago|last hour|a day ago|a week ago|last month)",
    re.I,
)
_OFFSETS = {"yesterday": "1d", "a day ago": "1d", "last week": "1w", "a week ago": "1w",
            "an hour ago": "1h", "one hour ago": "1h", "last hour": "1h", "last month": "4w"}
_ERROR_CLASS_RE = re.compile(r"\b([45])(?:xx|\d\d)\b", re.I)
_EXPIRY_WORDS = frozenset(stem(w) for w in ("expire", "expires", "expiry", "expiring",
                                             "expiration", "expired", "notafter", "valid"))
_STALE_RE = re.compile(
    r"\b(?:not|no|never|hasn't|haven't|without|since|stale|last|ago|old|age)\b", re.I
)


@dataclass(frozen=True)
class _Plan:
    context: GenerationContext
    candidates: tuple[Candidate, ...]
    question: Question | None = None
    message: str = ""


class EmbeddedGenerator:
    """Implements the `Generator` protocol without any model: same input, same output."""

    name = "embedded"

    def __init__(
        self,
        *,
        max_intent_chars: int = DEFAULT_MAX_INTENT_CHARS,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
    ) -> None:
        self.max_intent_chars = max_intent_chars
        self.max_candidates = max_candidates

    # --- protocol ------------------------------------------------------------------------------
    def propose(self, request: GenerationRequest) -> GenerationResult:
        return self._answer(request, index=0)

    def repair(
        self, request: GenerationRequest, previous: GenerationResult, problems: list[str]
    ) -> GenerationResult:
        index = int(previous.provenance.parameters.get("candidate", 0)) + 1
        attempts = list(previous.provenance.attempts)
        if attempts and attempts[-1].accepted:
            attempts[-1] = replace(attempts[-1], accepted=False, problems=tuple(problems))
        return self._answer(request, index=index, attempts=attempts, problems=problems)

    # --- internals -----------------------------------------------------------------------------
    def _provenance(self, request: GenerationRequest) -> Provenance:
        return Provenance(generator=self.name, catalog=request.catalog.name,
                          parameters={"max_candidates": self.max_candidates})

    def _answer(self, request: GenerationRequest, *, index: int,
                attempts: list[Attempt] | None = None,
                problems: list[str] | None = None) -> GenerationResult:
        provenance = self._provenance(request)
        provenance.attempts = list(attempts or [])
        problem = check_request(request, max_intent_chars=self.max_intent_chars)
        if problem:
            return GenerationResult.error(problem, provenance=provenance)
        if request.previous is not None and request.feedback:
            if index > 0:
                return GenerationResult.error(
                    "The revised rule did not pass validation; edit it by hand or describe the "
                    "change differently.", provenance=provenance)
            return self._refine(request, provenance)
        plan = plan_candidates(request)
        provenance.metrics_used = [m.name for m in plan.context.metrics[:5]]
        provenance.examples_used = plan.context.example_names()
        if plan.question is not None:
            return GenerationResult.clarify([plan.question], provenance=provenance,
                                            message=plan.message)
        usable = list(plan.candidates[: self.max_candidates])
        while index < len(usable):
            candidate = usable[index]
            try:
                rule = build_rule(request.intent, candidate, plan.context)
            except SpecInvalid:
                index += 1
                continue
            provenance.metrics_used = list(candidate.metrics)
            provenance.intent_family = candidate.family
            provenance.parameters["candidate"] = index
            evidence = _evidence(candidate, plan.context)
            provenance.parameters["evidence"] = evidence
            provenance.attempts.append(Attempt(number=len(provenance.attempts) + 1,
                                               summary=f"{candidate.family}: {candidate.expr}",
                                               accepted=True))
            return GenerationResult(
                status=Status.OK,
                rules=[rule],
                rationale=_rationale(candidate, plan.context),
                provenance=provenance,
            )
        names = _candidate_metric_names(plan)
        return GenerationResult.clarify(
            [Question("metric", "None of my candidates passed validation. Which metric measures "
                      "what you mean?", tuple(names))],
            provenance=provenance,
            message="no valid candidate left" + (": " + "; ".join(problems[:3]) if problems else ""),
        )

    def _refine(self, request: GenerationRequest, provenance: Provenance) -> GenerationResult:
        previous = request.previous
        assert previous is not None  # noqa: S101 - checked by the caller
        feedback = request.feedback or ""
        revised, changes = refine_rule(previous, feedback, request.catalog)
        provenance.intent_family = "refinement"
        provenance.parameters["candidate"] = 0
        if not changes:
            return GenerationResult.clarify(
                [Question("feedback", "I could not tell what to change. Do you want a different "
                          "threshold, `for` duration, severity or scope?",
                          ("threshold", "for", "severity", "scope"))],
                provenance=provenance, message="feedback not understood")
        provenance.attempts.append(Attempt(number=len(provenance.attempts) + 1,
                                           summary="refined: " + "; ".join(changes), accepted=True))
        return GenerationResult(status=Status.OK, rules=[revised], provenance=provenance,
                                rationale="Revised the previous rule: " + "; ".join(changes) + ".")


def check_request(request: GenerationRequest, *, max_intent_chars: int) -> str | None:
    """A clear message when the request cannot be answered at all, else None."""
    intent = request.intent or ""
    if not intent.strip() and not (request.previous is not None and request.feedback):
        return "The intent is empty: describe what should alert, e.g. 'page me if checkout's p99 " \
               "latency is over 500 ms for 10 minutes'."
    if len(intent) > max_intent_chars:
        return f"The intent is {len(intent)} characters long; the limit is {max_intent_chars}. " \
               "Describe one alert in a few sentences."
    if request.feedback and len(request.feedback) > max_intent_chars:
        return f"The feedback is longer than {max_intent_chars} characters."
    if len(request.catalog) == 0:
        return f"Catalog {request.catalog.name!r} has no metrics: load the metrics of the " \
               "system first."
    return None


# --- planning -------------------------------------------------------------------------------------
def plan_candidates(request: GenerationRequest) -> _Plan:
    context = build_context(request, max_metrics=12)
    slots = _apply_answers(context.slots, request)
    context = replace(context, slots=slots)
    catalog = request.catalog
    ranked = list(context.metrics)
    answered_metric = request.answers.get("metric")
    if answered_metric:
        metric = catalog.family(answered_metric)
        if metric is not None:
            ranked = [ScoredMetric(metric, 100.0, ("chosen by the user",))] + [
                m for m in ranked if m.name != metric.name]
    intent_stems = set(stems(slots.text))
    intent_concepts = concepts(list(intent_stems))
    candidates: list[Candidate] = []

    # Scrape targets being down needs no metric retrieval: `up` is universal.
    strength = _target_down_strength(slots.text, ranked, catalog)
    if strength:
        down = recipes.target_down(slots, catalog, intent_stems)
        if down is not None:
            candidates.append(replace(down, score=strength))

    if not ranked or ranked[0].score < MIN_METRIC_SCORE and not candidates:
        return _Plan(context, (), _which_metric(catalog, ranked, slots.text),
                     "no metric in the catalog clearly matches the intent")

    for scored in ranked[:_TOP_METRICS]:
        candidates.extend(_candidates_for(scored, ranked, slots, catalog, intent_stems,
                                          intent_concepts))
    candidates = _dedupe(candidates)
    if not candidates:
        top = ranked[0]
        if slots.threshold is None:
            return _Plan(context, (), Question(
                "threshold",
                f"At what value of {top.name} should this alert fire (and above or below)?",
                ()), "the intent does not say which value is a problem")
        return _Plan(context, (), _which_metric(catalog, ranked, slots.text),
                     "no alert shape fits the matching metrics")
    best = candidates[0]
    evidence = _evidence(best, context)
    if not answered_metric and (evidence["coverage"] < MIN_COVERAGE
                                or evidence["margin"] < MIN_MARGIN):
        return _Plan(context, tuple(candidates), _which_metric(catalog, ranked, slots.text),
                     "the intent does not name a metric clearly enough to pick one")
    for other in candidates[1:3]:
        # A tie: as strong, no shared metric, and the intent explains it at least as fully.
        if other.score >= best.score * (1 - TIE_MARGIN) and not (
            set(other.metrics) & set(best.metrics)
        ) and not answered_metric and (
            _evidence(other, context)["coverage"] >= evidence["coverage"]
        ):
            return _Plan(context, tuple(candidates), Question(
                "metric",
                "Several metrics fit equally well. Which one measures what you mean?",
                tuple(dict.fromkeys([*best.metrics, *other.metrics]))),
                "several metrics fit equally well")
    return _Plan(context, tuple(candidates))


def _apply_answers(slots: Slots, request: GenerationRequest) -> Slots:
    answers = request.answers
    if not answers:
        return slots
    labels = catalog_label_names(request.catalog)
    matchers = {k: v for k, v in answers.items() if k in labels and v}
    if matchers:
        slots = slots.with_matchers(matchers)
    if answers.get("threshold"):
        extra = extract_slots("above " + answers["threshold"]
                              if not re.match(r"\s*[<>=!a-z]", answers["threshold"])
                              else answers["threshold"])
        if extra.threshold is not None:
            slots = replace(slots, threshold=extra.threshold, direction=extra.direction)
    if answers.get("for"):
        extra = extract_slots("for " + answers["for"])
        if extra.for_:
            slots = replace(slots, for_=extra.for_)
    if answers.get("severity") in ("critical", "warning", "info"):
        slots = replace(slots, severity=answers["severity"])
    return slots


_DOWN_RE = re.compile(
    r"\b(?:down|unreachable|missing|disappeared|absent|dead|offline|not responding|"
    r"(?:scrape|scraping) (?:failed|failing|fails)|cannot be scraped|not reachable)\b", re.I)
_TARGET_RE = re.compile(r"\b(?:targets?|exporters?|scrape|scraping|endpoints?|jobs?)\b", re.I)


def _target_down_strength(text: str, ranked: list[ScoredMetric], catalog: Catalog) -> float:
    """0 when the intent is not about scrape targets being down; higher the surer it is."""
    if catalog.family("up") is None or not _DOWN_RE.search(text):
        return 0.0
    if _TARGET_RE.search(text):
        return 6.0
    # "X is down" where no metric of X itself says whether it is up or healthy.
    own_health = any(set(split_identifier(m.name)) & {"up", "healthy", "health", "live", "ready",
                                                       "alive"} for m in ranked[:3] if m.name != "up")
    return 0.0 if own_health else 2.5


def _which_metric(catalog: Catalog, ranked: list[ScoredMetric], text: str) -> Question:
    names = [m.name for m in ranked[:5]] or catalog.family_names()[:8]
    return Question("metric", f"Which metric measures what you mean by {text[:80]!r}?",
                    tuple(names))


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.expr)):
        if candidate.expr not in seen:
            seen.add(candidate.expr)
            out.append(candidate)
    return out


def _candidates_for(
    scored: ScoredMetric,
    ranked: list[ScoredMetric],
    slots: Slots,
    catalog: Catalog,
    intent_stems: set[str],
    intent_concepts: set[str],
) -> list[Candidate]:
    metric = scored.metric
    if metric.name == "up":
        return []
    kind = effective_type(metric)
    name_stems = {stem(w) for w in split_identifier(metric.name)}
    threshold = slots.threshold
    base = scored.score
    out: list[Candidate] = []

    def add(candidate: Candidate | None, bonus: float) -> None:
        if candidate is not None:
            out.append(replace(candidate, score=round(base + bonus, 4)))

    problem_name = bool(name_stems & recipes._PROBLEM_WORDS)
    health_name = bool(name_stems & recipes._HEALTH_WORDS) and not problem_name
    intent_problem = bool(intent_concepts & {"error", "down", "restart"}) or problem_name
    percent = threshold is not None and threshold.kind == "percent"

    # Percentages of one thing in another: saturation and error ratios.
    if percent and not recipes._percentish(metric):
        error_class = _error_class(slots.text)
        if kind in (MetricType.COUNTER, MetricType.HISTOGRAM, MetricType.SUMMARY) and error_class:
            add(recipes.error_ratio_by_label(metric, slots, error_class), 1.0)
        if kind is MetricType.COUNTER and metric_unit(metric) == "seconds":
            add(recipes.busy_time(metric, slots, _cpu_mode(slots.text)), 0.9)
        for partner, partner_score in _partners(metric, ranked, catalog, intent_concepts):
            numerator, denominator = (partner, metric) if _is_limit(metric) else (metric, partner)
            family = "error-ratio" if kind is MetricType.COUNTER and (
                "error" in intent_concepts) else "saturation"
            add(recipes.ratio(numerator, denominator, slots, family=family), 0.8 + partner_score)
    offset = _compared_offset(slots.text)
    if offset and percent:
        add(recipes.traffic_change(metric, slots, offset), 1.5)
    horizon = _predict_horizon(slots.text)
    if horizon is not None:
        add(recipes.predict_fill(metric, slots, horizon), 1.5)
    context_for: str | None = None
    if threshold is None and is_timestamp_metric(metric) and (slots.for_ or slots.window) and (
        _STALE_RE.search(slots.text)
    ):
        # "no backup for 48 hours": the duration is how old the timestamp may get.
        context_for = slots.for_
        age = _duration_threshold(slots.for_ or slots.window or "1h")
        slots = replace(slots, threshold=age, for_=None, window=None)
        threshold = age
    if threshold is not None and threshold.kind == "seconds":
        if kind in (MetricType.HISTOGRAM, MetricType.SUMMARY):
            add(recipes.latency(metric, slots), 1.0)
        if is_timestamp_metric(metric):
            if intent_stems & _EXPIRY_WORDS or "certificate" in intent_concepts:
                add(recipes.expiry(metric, slots), 1.5)
            elif _STALE_RE.search(slots.text):
                stale = recipes.staleness(metric, slots)
                add(replace(stale, consumes_for=slots.for_ is None and context_for is not None)
                    if stale is not None else None, 1.2)
    if slots.change and ("restart" in intent_concepts or "leader" in intent_concepts) and (
        kind is MetricType.COUNTER or name_stems & {stem("restarts"), stem("changes"),
                                                   stem("boot"), stem("reload"), stem("hash")}
    ):
        add(recipes.changes(metric, slots), 0.8)
    if kind is MetricType.COUNTER and not (threshold is None and (slots.ratio or slots.percentile)):
        # Any occurrence is worth an alert only for counters of problems ("errors_total"); a
        # share or a percentile without a number needs the number, so leave it to a question.
        add(recipes.counter_rate(metric, slots, intent_is_problem=problem_name
                                 or (intent_problem and threshold is not None)), 0.5)
    elif kind is MetricType.GAUGE and not is_timestamp_metric(metric):
        down_words = "down" in intent_concepts or slots.zero or (
            threshold is not None and threshold.comparator in ("<", "<=", "==")
            and threshold.value <= 1 and threshold.kind == "count")
        if health_name and down_words and (threshold is None or threshold.kind == "count"):
            add(recipes.health_gauge(metric, slots), 0.8)
        elif threshold is None or threshold.kind != "seconds" or metric_unit(metric) in (
            "seconds", "milliseconds"
        ) or "latency" in {c for w in split_identifier(metric.name) for c in concepts([stem(w)])}:
            # A bare gauge against a percentage is plausible only if it is itself a percentage.
            fit = 0.3 if not percent or recipes._percentish(metric) else -0.6
            add(recipes.gauge_threshold(metric, slots, problem_count=problem_name
                                        or ("error" in intent_concepts and not health_name)), fit)
    return out


# Words of the part in a part/whole ratio: what is used, or what is left.
_PART_WORDS = frozenset(stem(w) for w in ("used", "usage", "free", "available", "avail", "current",
                                          "active", "inuse", "allocated", "open", "size_in_use"))
_CPU_MODES = ("idle", "iowait", "steal", "user", "system", "nice", "irq", "softirq", "guest")


def _cpu_mode(text: str) -> str | None:
    """The CPU mode an intent names (standard Linux/Windows CPU time modes), if any."""
    lowered = text.lower()
    for mode in _CPU_MODES:
        if re.search(rf"\b{mode}\b", lowered):
            return mode
    return None


def _duration_threshold(duration: str) -> Threshold:
    seconds = parse_duration_seconds(duration)
    return Threshold(">", seconds, "seconds", 1.0, None, duration)


def _error_class(text: str) -> str | None:
    match = _ERROR_CLASS_RE.search(text)
    if match:
        return f"{match.group(1)}xx"
    if re.search(r"\b(?:server errors?|errors?|failures?|failed|failing)\b", text, re.I):
        return "5xx"
    return None


def _is_limit(metric: Metric) -> bool:
    words = split_identifier(metric.name)
    if words and words[-1] == "total" and effective_type(metric) is MetricType.COUNTER:
        words = words[:-1]  # the counter suffix, not a "total" capacity
    parts = [stem(w) for w in words if w not in ("bytes", "seconds")]
    return bool(set(parts) & recipes._LIMIT_WORDS) and not set(parts) & (
        recipes._FREE_WORDS | {stem("used"), stem("usage"), stem("current")})


def _partners(metric: Metric, ranked: list[ScoredMetric], catalog: Catalog,
              intent_concepts: set[str]) -> list[tuple[Metric, float]]:
    """Metrics that make a ratio with `metric`: same prefix, one is the limit/total/all."""
    mine = [w for w in split_identifier(metric.name)]
    kind = effective_type(metric)
    counter_like = kind in (MetricType.COUNTER, MetricType.HISTOGRAM, MetricType.SUMMARY)
    rank_score = {m.name: m.score for m in ranked}
    me_limit = _is_limit(metric)
    me_error = bool({stem(w) for w in mine} & recipes._PROBLEM_WORDS)
    scored: list[tuple[float, str, Metric]] = []
    if me_limit and counter_like:
        return []
    for other in catalog.metrics:
        if other.name == metric.name or other.name == "up":
            continue
        other_kind = effective_type(other)
        if (other_kind in (MetricType.COUNTER, MetricType.HISTOGRAM, MetricType.SUMMARY)) != (
            counter_like
        ):
            continue
        theirs = split_identifier(other.name)
        prefix = 0
        for a, b in zip(mine, theirs, strict=False):
            if a != b:
                break
            prefix += 1
        relevance = rank_score.get(other.name, 0.0)
        # Same subsystem: a long shared prefix, or a short one the intent itself points at.
        if prefix < 2 and not (prefix == 1 and relevance > 0):
            continue
        other_stems = {stem(w) for w in theirs}
        own_words = {stem(w) for w in theirs[prefix:]} - {"total"}
        other_limit = bool(own_words & recipes._LIMIT_WORDS) and _is_limit(other)
        other_error = bool(other_stems & recipes._PROBLEM_WORDS)
        if counter_like:
            # errors / all: exactly one side counts problems, and it is the numerator (this one).
            if not me_error or other_error:
                continue
        elif me_limit == other_limit or metric_unit(metric) != metric_unit(other):
            continue  # a ratio of a part and its whole, in the same unit
        shared = len(set(mine) & set(theirs))
        part_words = (other_stems if me_limit else {stem(w) for w in mine}) & _PART_WORDS
        score = prefix * 0.5 + shared * 0.2 + 1.0 * relevance + (1.0 if part_words else 0.0)
        scored.append((score, other.name, other))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(m, round(s / 10, 4)) for s, _, m in scored[:2]]


def _compared_offset(text: str) -> str | None:
    match = _COMPARED_RE.search(text)
    return _OFFSETS.get(match.group(1).lower()) if match else None


def _predict_horizon(text: str) -> float | None:
    match = _PREDICT_RE.search(text)
    if not match:
        return None
    number = match.group(1) or match.group(3)
    unit = match.group(2) or match.group(4)
    kind, factor = _unit(unit)
    return float(number) * factor if kind == "seconds" else None


# --- rules ----------------------------------------------------------------------------------------
def build_rule(intent: str, candidate: Candidate, context: GenerationContext) -> AlertingRule:
    slots = context.slots
    conventions = context.conventions
    severity = slots.severity or conventions.severity or candidate.default_severity
    for_ = (None if candidate.consumes_for else slots.for_) or recipes.default_for(candidate)
    if for_ is None and slots.for_ is None and conventions.for_ and candidate.family not in (
        "increase", "changes"
    ):
        for_ = conventions.for_
    labels = {**conventions.labels, "severity": severity}
    data = {
        "alert": recipes.alert_name(clean_intent(intent), candidate, slots.matchers),
        "expr": candidate.expr,
        "for": for_,
        "labels": labels,
        "annotations": recipes.rule_annotations(candidate, clean_intent(intent)),
    }
    if data["for"] is None:
        del data["for"]
    return alerting_rule_from_data(data)


def _rationale(candidate: Candidate, context: GenerationContext) -> str:
    scored = {m.name: m for m in context.metrics}
    why = []
    for name in candidate.metrics:
        reasons = scored[name].reasons if name in scored else ()
        why.append(f"{name} ({'; '.join(reasons) or 'universal'})")
    slots = context.slots
    said = []
    if slots.threshold is not None:
        said.append(f"threshold {slots.threshold.text!r}")
    if slots.for_:
        said.append(f"for {slots.for_}")
    if slots.matchers:
        said.append("scope " + ", ".join(f"{k}={v}" for k, v in sorted(slots.matchers.items())))
    return (f"Intent family: {candidate.family}. Metrics: {', '.join(why)}. "
            + (f"From the intent: {', '.join(said)}." if said else ""))


def _evidence(candidate: Candidate, context: GenerationContext) -> dict[str, float]:
    """How well the intent names the candidate's metrics (worst metric counts)."""
    scored = {m.name: m for m in context.metrics}
    found = [scored[name] for name in candidate.metrics if name in scored]
    if not found:
        return {"coverage": 1.0 if candidate.family in ("target-down", "absent") else 0.0,
                "exact": 1.0 if candidate.family in ("target-down", "absent") else 0.0,
                "margin": 1.0}
    return {"coverage": min(m.coverage for m in found), "exact": float(min(m.exact for m in found)),
            "margin": float(context.metrics[0].score - (context.metrics[1].score
                                                        if len(context.metrics) > 1 else 0.0))}


def _candidate_metric_names(plan: _Plan) -> list[str]:
    names: list[str] = []
    for candidate in plan.candidates:
        names.extend(candidate.metrics)
    names.extend(m.name for m in plan.context.metrics[:5])
    return list(dict.fromkeys(names))[:6]


# --- refinement -----------------------------------------------------------------------------------
_SEVERITY_CHANGE_RE = re.compile(
    r"\b(?:make (?:it|this)|should be|as|change (?:it |this )?to|set (?:the )?severity to|"
    r"downgrade (?:it )?to|upgrade (?:it )?to|only)\s+(?:an?\s+)?(warning|critical|info|page|ticket)",
    re.I,
)
_FOR_CHANGE_RE = re.compile(
    r"\b(?:after|for|wait|lasts?|holds? for|at least)\s+(?:more than\s+)?(\d+)\s*"
    r"(seconds?|secs?|s|minutes?|mins?|m|hours?|h)\b",
    re.I,
)
_THRESHOLD_CHANGE_RE = re.compile(
    r"(?:use|to|at|of|threshold(?: of| to)?|instead of \S+,?)\s*(\d+(?:\.\d+)?)\s*"
    r"(%|percent|ms|milliseconds?|s|seconds?|minutes?|gb|mb|kb|gib|mib)?\b(?!\s*(?:minutes?|mins?|m|"
    r"hours?|h)\b)",
    re.I,
)
_COMPARISON_TAIL_RE = re.compile(r"(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$")


def refine_rule(previous: AlertingRule, feedback: str, catalog: Catalog) -> tuple[AlertingRule,
                                                                                 list[str]]:
    """Apply plain-language feedback to a rule; returns the revised rule and what changed."""
    data = previous.model_dump(by_alias=True, exclude_none=True)
    changes: list[str] = []
    labels = catalog_label_names(catalog)
    fb_slots = extract_slots(feedback, label_names=labels)

    for_match = _FOR_CHANGE_RE.search(feedback)
    new_for = fb_slots.for_
    if new_for is None and for_match:
        kind, factor = _unit(for_match.group(2))
        if kind == "seconds":
            new_for = format_duration_seconds(float(for_match.group(1)) * factor)
    if new_for and new_for != previous.for_:
        data["for"] = new_for
        changes.append(f"for {previous.for_ or 'unset'} -> {new_for}")

    severity_match = _SEVERITY_CHANGE_RE.search(feedback)
    if severity_match:
        wanted = severity_match.group(1).lower()
        new_severity = {"page": "critical", "ticket": "warning"}.get(wanted, wanted)
        if new_severity != previous.labels.get("severity"):
            data["labels"] = {**previous.labels, "severity": new_severity}
            changes.append(f"severity -> {new_severity}")
    elif not for_match and severity_of(feedback) and re.search(r"\b(?:severity|downgrade|upgrade)\b",
                                                               feedback, re.I):
        new_severity = severity_of(feedback) or "warning"
        data["labels"] = {**previous.labels, "severity": new_severity}
        changes.append(f"severity -> {new_severity}")

    expr = previous.expr
    if fb_slots.matchers:
        new_expr = add_matchers(expr, fb_slots.matchers, catalog)
        if new_expr != expr:
            changes.append("scope " + ", ".join(f"{k}={v}" for k, v in sorted(
                fb_slots.matchers.items())))
            expr = new_expr

    threshold = _feedback_threshold(feedback, fb_slots, for_match)
    if threshold is not None:
        new_expr = replace_threshold(expr, threshold)
        if new_expr != expr:
            changes.append(f"threshold -> {threshold.text or format_number(threshold.value)}")
            expr = new_expr
    data["expr"] = expr
    if not changes:
        return previous, []
    return alerting_rule_from_data(data), changes


def _feedback_threshold(feedback: str, slots: Slots, for_match: re.Match[str] | None) -> (
        Threshold | None):
    if slots.threshold is not None and not (
        for_match and slots.threshold.kind == "seconds" and slots.threshold.text in for_match.group(0)
    ):
        return slots.threshold
    if not re.search(r"\b(?:instead|threshold|use|raise|lower|change|set|bump)\b", feedback, re.I):
        return None
    for match in _THRESHOLD_CHANGE_RE.finditer(feedback):
        if for_match and match.start() >= for_match.start() and match.end() <= for_match.end():
            continue
        kind, factor = _unit(match.group(2))
        return Threshold("", float(match.group(1)), kind, factor, None, match.group(0).strip())
    return None


def replace_threshold(expr: str, threshold: Threshold) -> str:
    """Swap the number of the expression's final comparison, in the unit the old one had."""
    match = _COMPARISON_TAIL_RE.search(expr)
    if not match:
        return expr
    old = float(match.group(2))
    value = threshold.base_value
    if threshold.kind == "percent" and old <= 1:
        value = threshold.value / 100
    op = threshold.comparator or match.group(1)
    return f"{expr[: match.start()]}{op} {format_number(value)}"


def add_matchers(expr: str, matchers: dict[str, str], catalog: Catalog) -> str:
    """Add label matchers to every selector of a catalog metric that has those labels."""
    series = sorted(catalog.series_names(), key=len, reverse=True)
    if not series:
        return expr
    pattern = re.compile(r'(?<![\w:"])(' + "|".join(map(re.escape, series)) +
                         r')(?![\w:(])(\{[^}]*\})?')

    def fix(match: re.Match[str]) -> str:
        name, braces = match.group(1), match.group(2) or "{}"
        metric = catalog.family(name)
        if metric is None:
            return match.group(0)
        allowed = metric.label_names_for(name)
        inner = braces[1:-1].strip()
        parts = [p.strip() for p in inner.split(",") if p.strip()] if inner else []
        present = {re.split(r"[=!~]", p, maxsplit=1)[0].strip() for p in parts}
        for key, value in sorted(matchers.items()):
            if key in allowed and key not in present:
                parts.append(f'{key}="{recipes._escape(value)}"')
        return f"{name}{{{', '.join(parts)}}}" if parts else name

    return pattern.sub(fix, expr)


__all__ = ["EmbeddedGenerator", "add_matchers", "check_request", "plan_candidates",
           "refine_rule", "replace_threshold"]

