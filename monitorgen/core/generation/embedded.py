"""The embedded generator: deterministic, offline, no LLM.

It plans (`planner`: reads the intent's slots, ranks the catalog's metrics, builds candidate rules
from the intent families that fit, weighs the evidence) and proposes the best candidate; `repair`
returns the next-best one. When the evidence is weak, a needed number is missing or the scope is
ambiguous it asks a precise question instead of guessing. With `request.previous` and
`request.feedback` it revises the previous rule (refinement).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from monitorgen.core.catalog import Catalog
from monitorgen.core.durations import format_duration_seconds
from monitorgen.core.errors import SpecInvalid
from monitorgen.core.generation import recipes
from monitorgen.core.generation.context import GenerationContext, catalog_label_names
from monitorgen.core.generation.planner import Plan, plan_candidates
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
from monitorgen.core.spec import AlertingRule, alerting_rule_from_data

DEFAULT_MAX_INTENT_CHARS = 2000
DEFAULT_MAX_CANDIDATES = 4


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
        if plan.confidence is not None:
            provenance.parameters["confidence"] = plan.confidence.as_dict()
        if plan.question is not None:
            return GenerationResult.clarify([plan.question], provenance=provenance,
                                            message=plan.message)
        usable = list(plan.candidates[: self.max_candidates])
        while index < len(usable):
            candidate = usable[index]
            if set(candidate.metrics) != set(usable[0].metrics):
                # The planner's confidence is in its choice of metrics: another shape of them
                # may repair a rule, a candidate on other metrics would be a guess.
                index += 1
                continue
            try:
                rule = build_rule(request.intent, candidate, plan.context)
            except SpecInvalid:
                index += 1
                continue
            provenance.metrics_used = list(candidate.metrics)
            provenance.intent_family = candidate.family
            provenance.parameters["candidate"] = index
            provenance.parameters["evidence"] = _evidence(candidate, plan)
            if candidate.assumptions:
                provenance.parameters["assumptions"] = list(candidate.assumptions)
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
        "annotations": recipes.rule_annotations(
            candidate, for_=for_, matchers=slots.matchers
        ),
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
    # Assumptions go in the rationale so the reviewer reads them next to the rule.
    assumed = " ".join(f"Assumed: {a.rstrip('.')}." for a in candidate.assumptions)
    return (f"Intent family: {candidate.family}. Metrics: {', '.join(why)}. "
            + (f"From the intent: {', '.join(said)}. " if said else "") + assumed).strip()


def _evidence(candidate: Candidate, plan: Plan) -> dict[str, Any]:
    """Why this candidate: its score, fit and the plan's confidence in the best candidate."""
    evidence: dict[str, Any] = {"score": candidate.score, "fit": candidate.fit}
    if plan.confidence is not None:
        evidence.update(plan.confidence.as_dict())
    return evidence


def _candidate_metric_names(plan: Plan) -> list[str]:
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

