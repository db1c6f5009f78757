"""The LLM generator: a `Generator` (name "llm") backed by any OpenAI-compatible endpoint.

* `propose` builds the context (ranked prompt-safe metrics, the team's approved rules as
  examples, conventions), asks the model for an `LlmAnswer` and checks it quickly: it must parse,
  fit the rule spec, and read only catalog metrics. A draft failing these checks is sent back to
  the model with the problems, within the same budget as repairs.
* `repair` sends the validation pipeline's problems back with the previous rule and returns the
  model's fix.
* Refinement: with `request.previous` and `request.feedback`, the prompt asks to revise that rule.
* Embedded hints: for a first proposal the embedded planner runs on the same request and its
  best candidates (and the metrics it would ask about) go into the prompt as suggestions the
  model may use, correct or reject (`prompting.prompt_suggestions`); the ones shown are
  recorded in `provenance.parameters["embedded_suggestions"]`. Not for a refinement: there
  the previous rule and the feedback are the context.

Budget: at most `1 + LLM_MAX_REPAIRS` model calls per generation. Calls are counted from
`provenance.attempts` (one attempt per call), so the bound holds however the service loop calls
`propose`/`repair`. Each attempt's problems are filled in when the next call is made.

Errors never escape as exceptions: an `LlmError` (timeout, rate limit, server error, ...)
becomes `GenerationResult.error` whose provenance keeps the intent, the last draft and the reason.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any

from monitorgen.adapters.llm import (
    LlmClient,
    LlmCompletion,
    LlmConfig,
    LlmMalformedOutput,
    LlmNotConfigured,
    LlmRateLimited,
)
from monitorgen.core.errors import LlmError, SpecInvalid
from monitorgen.core.generation.context import (
    GenerationContext,
    ScoredMetric,
    build_context,
    prompt_safe_metrics,
)
from monitorgen.core.generation.llm_schema import (
    AnswerKind,
    LlmAnswer,
    LlmRuleDraft,
    metric_names_in_expr,
    unknown_metrics,
)
from monitorgen.core.generation.planner import plan_candidates
from monitorgen.core.generation.prompting import (
    DEFAULT_LABEL_VALUE_ALLOWLIST,
    MAX_METRICS_IN_PROMPT,
    ChatMessage,
    PromptExample,
    PromptInput,
    PromptMetric,
    PromptSuggestion,
    build_messages,
    build_repair_messages,
    metric_shortlist,
    prompt_suggestions,
)
from monitorgen.core.generation.result import (
    Attempt,
    GenerationRequest,
    GenerationResult,
    Provenance,
    Status,
)
from monitorgen.core.spec import AlertingRule

logger = logging.getLogger(__name__)

NAME = "llm"
MAX_DRAFT_CHARS = 4000
RANKED_METRICS = 30  # best-ranked families first; then the rest of a small catalog


class LlmGenerator:
    """Proposes and repairs alerting rules with an LLM. Implements `Generator`."""

    name = NAME

    def __init__(self, config: LlmConfig, *, client: LlmClient | None = None) -> None:
        self.config = config
        self._client = client
        self.max_calls = 1 + max(0, config.max_repairs)

    @classmethod
    def from_settings(cls, settings: Any = None) -> LlmGenerator:
        """The generator for the configured endpoint; `LlmNotConfigured` if there is none."""
        config = LlmConfig.from_settings(settings)
        if not config.is_configured():
            raise LlmNotConfigured(
                "no LLM configured: set LLM_BASE_URL and LLM_MODEL to use the llm generator"
            )
        return cls(config)

    @property
    def client(self) -> LlmClient:
        if self._client is None:
            self._client = LlmClient(self.config)
        return self._client

    # --- Generator protocol -----------------------------------------------------------------------
    def propose(self, request: GenerationRequest) -> GenerationResult:
        context = build_context(request, max_metrics=RANKED_METRICS)
        provenance = self._provenance(request, context)
        prompt = self._prompt_input(request, context)
        _record_hints(provenance, prompt)
        messages = build_messages(prompt)
        return self._converse(request, context, messages, messages, provenance)

    def repair(
        self, request: GenerationRequest, previous: GenerationResult, problems: list[str]
    ) -> GenerationResult:
        context = build_context(request, max_metrics=RANKED_METRICS)
        if previous.provenance.generator == NAME:
            provenance = _copy_provenance(previous.provenance)
        else:
            provenance = self._provenance(request, context)
        _mark_last_attempt(provenance, problems)
        prompt = self._prompt_input(request, context)
        _record_hints(provenance, prompt)
        base = build_messages(prompt)
        previous_answer = _answer_json(previous)
        messages = build_repair_messages(base, previous_answer, problems)
        return self._converse(request, context, base, messages, provenance,
                              pending_problems=problems, pending_draft=previous_answer)

    # --- the conversation -------------------------------------------------------------------------
    def _converse(
        self,
        request: GenerationRequest,
        context: GenerationContext,
        base: list[ChatMessage],
        messages: list[ChatMessage],
        provenance: Provenance,
        *,
        pending_problems: list[str] | None = None,
        pending_draft: str = "",
    ) -> GenerationResult:
        last_draft = pending_draft
        last_problems: list[str] = list(pending_problems or [])
        while len(provenance.attempts) < self.max_calls:
            number = len(provenance.attempts) + 1
            try:
                completion = self.client.complete(messages, LlmAnswer)
            except LlmMalformedOutput as exc:
                last_draft, last_problems = exc.raw_output, exc.problems or [exc.message]
                provenance.attempts.append(
                    Attempt(number, "the model's answer did not fit the schema", False,
                            tuple(last_problems))
                )
                messages = build_repair_messages(base, last_draft[:MAX_DRAFT_CHARS], last_problems)
                continue
            except LlmError as exc:
                return self._error(request, provenance, exc, draft=last_draft)
            self._record_call(provenance, completion)
            answer = completion.parsed
            if answer.kind is AnswerKind.CLARIFY:
                provenance.attempts.append(
                    Attempt(number, f"the model asked {len(answer.questions)} question(s)", True)
                )
                return GenerationResult.clarify(
                    [q.to_question() for q in answer.questions],
                    provenance=provenance,
                    message="The intent is ambiguous; please answer these questions.",
                )
            assert answer.rule is not None  # noqa: S101 - guaranteed by LlmAnswer's validator
            draft = answer.rule
            rule, problems = self._check(draft, request, context)
            if rule is None:
                last_draft, last_problems = completion.raw_output, problems
                provenance.attempts.append(
                    Attempt(number, _summary(draft), False, tuple(problems))
                )
                messages = build_repair_messages(base, last_draft[:MAX_DRAFT_CHARS], problems)
                continue
            provenance.attempts.append(Attempt(number, _summary(draft), True))
            provenance.metrics_used = metric_names_in_expr(rule.expr)
            return GenerationResult(
                status=Status.OK,
                rules=[rule],
                rationale=draft.rationale,
                provenance=provenance,
            )
        reasons = "; ".join(last_problems[:5]) or "no usable answer"
        provenance.parameters["intent"] = request.intent
        if last_draft:
            provenance.parameters["last_draft"] = last_draft[:MAX_DRAFT_CHARS]
        return GenerationResult.error(
            f"The model did not produce a valid rule in {self.max_calls} attempt(s) "
            f"(LLM_MAX_REPAIRS={self.config.max_repairs}): {reasons}",
            provenance=provenance,
        )

    def _check(
        self, draft: LlmRuleDraft, request: GenerationRequest, context: GenerationContext
    ) -> tuple[AlertingRule | None, list[str]]:
        """Fast grounding before the full pipeline: the spec holds and metrics exist."""
        problems: list[str] = []
        missing = unknown_metrics(draft.expr, request.catalog)
        if missing:
            shown = [m.name for m in _metrics_for_prompt(request, context)][:12]
            known = ", ".join(shown) or "(the catalog is empty)"
            problems.extend(
                f"metric {name!r} is not in the catalog {request.catalog.name!r}; "
                f"use one of: {known}"
                for name in missing
            )
        try:
            rule = draft.to_rule(extra_labels=dict(context.conventions.labels))
        except SpecInvalid as exc:
            details = exc.details.get("problems") or []
            problems.extend(f"{p['path']}: {p['message']}" for p in details)
            if not details:
                problems.append(exc.message)
            return None, problems
        return (None, problems) if problems else (rule, [])

    # --- pieces ---------------------------------------------------------------------------------
    def _prompt_input(self, request: GenerationRequest, context: GenerationContext) -> PromptInput:
        safe = prompt_safe_metrics(
            _metrics_for_prompt(request, context),
            allowed_label_values={name: set() for name in DEFAULT_LABEL_VALUE_ALLOWLIST},
        )
        conventions: list[str] = []
        if context.conventions.severity:
            conventions.append(
                f"Most approved rules of this team use severity {context.conventions.severity}."
            )
        if context.conventions.for_:
            conventions.append(f"Most approved rules of this team use for: {context.conventions.for_}.")
        suggestions, shortlist = _embedded_hints(request)
        return PromptInput(
            intent=request.intent,
            metrics=tuple(PromptMetric.from_safe(entry) for entry in safe),
            examples=tuple(PromptExample.from_rule(rule) for rule in context.examples),
            scope=request.scope,
            answers=dict(request.answers),
            conventions=tuple(conventions),
            previous=request.previous,
            feedback=request.feedback if request.previous is not None else None,
            scrape_interval=request.catalog.scrape_interval,
            suggestions=suggestions,
            shortlist=shortlist,
        )

    def _provenance(self, request: GenerationRequest, context: GenerationContext) -> Provenance:
        return Provenance(
            generator=NAME,
            model=self.config.model,
            parameters=self.config.describe(),
            catalog=request.catalog.name,
            examples_used=context.example_names(),
        )

    def _record_call(self, provenance: Provenance, completion: LlmCompletion[LlmAnswer]) -> None:
        provenance.model = completion.model or self.config.model
        params = provenance.parameters
        params["latency_seconds"] = round(
            float(params.get("latency_seconds", 0.0)) + completion.latency_seconds, 3
        )
        if completion.usage is not None:
            usage = dict(params.get("usage") or {})
            for key, value in completion.usage.as_dict().items():
                usage[key] = int(usage.get(key, 0)) + value
            params["usage"] = usage

    def _error(
        self, request: GenerationRequest, provenance: Provenance, exc: LlmError, *, draft: str
    ) -> GenerationResult:
        provenance.parameters["intent"] = request.intent
        provenance.parameters["error"] = exc.code
        if isinstance(exc, LlmRateLimited) and exc.retry_after is not None:
            provenance.parameters["retry_after"] = exc.retry_after
        if draft:
            provenance.parameters["last_draft"] = draft[:MAX_DRAFT_CHARS]
        return GenerationResult.error(f"The LLM generator failed: {exc.message}",
                                      provenance=provenance)


# --- helpers --------------------------------------------------------------------------------------
def _metrics_for_prompt(
    request: GenerationRequest, context: GenerationContext
) -> list[ScoredMetric]:
    """The ranked metrics, then the catalog's other families up to the prompt's limit.

    Ranking is lexical; a model can use a metric whose name shares no word with the intent
    (errors counted in `http_requests_total{code=~"5.."}`), so small catalogs are shown whole.
    """
    chosen = list(context.metrics)
    seen = {m.name for m in chosen}
    chosen += [ScoredMetric(metric=m, score=0.0) for m in request.catalog.metrics
               if m.name not in seen]
    return chosen[:MAX_METRICS_IN_PROMPT]


def _embedded_hints(
    request: GenerationRequest,
) -> tuple[tuple[PromptSuggestion, ...], tuple[str, ...]]:
    """The embedded planner's best candidates and metric shortlist for a first proposal."""
    if request.previous is not None:
        return (), ()
    try:
        plan = plan_candidates(request)
    except Exception:  # hints are optional: a planner bug must not stop the model's answer
        logger.exception("the embedded planner failed; prompting without its suggestions")
        return (), ()
    return prompt_suggestions(plan), metric_shortlist(plan)


def _record_hints(provenance: Provenance, prompt: PromptInput) -> None:
    if prompt.suggestions or prompt.shortlist:
        provenance.parameters["embedded_suggestions"] = [s.as_dict() for s in prompt.suggestions]
    if prompt.shortlist:
        provenance.parameters["embedded_shortlist"] = list(prompt.shortlist)


def _summary(draft: LlmRuleDraft) -> str:
    return f"{draft.alert}: {draft.expr} (for {draft.for_}, {draft.severity.value})"


def _copy_provenance(provenance: Provenance) -> Provenance:
    return replace(
        provenance,
        parameters=dict(provenance.parameters),
        metrics_used=list(provenance.metrics_used),
        examples_used=list(provenance.examples_used),
        attempts=list(provenance.attempts),
    )


def _mark_last_attempt(provenance: Provenance, problems: list[str]) -> None:
    """The previous candidate was rejected by validation: record why on its attempt."""
    if provenance.attempts and provenance.attempts[-1].accepted:
        last = provenance.attempts[-1]
        provenance.attempts[-1] = replace(last, accepted=False, problems=tuple(problems))


def _answer_json(result: GenerationResult) -> str:
    """The previous candidate as the model would have written it (for the repair turn)."""
    rules = [r for r in result.rules if isinstance(r, AlertingRule)]
    if not rules:
        return str(result.provenance.parameters.get("last_draft", ""))
    rule = rules[0]
    data = {
        "kind": "rule",
        "rule": {
            "alert": rule.alert,
            "expr": rule.expr,
            "for": rule.for_ or "0s",
            "severity": rule.severity,
            "summary": rule.annotations.get("summary", ""),
            "description": rule.annotations.get("description", ""),
            "metrics_used": list(result.provenance.metrics_used),
            "rationale": result.rationale,
        },
    }
    return json.dumps(data, ensure_ascii=False)


def llm_generator_or_none(settings: Any = None) -> LlmGenerator | None:
    """For the service's `get_generator`: the LLM generator if configured, else None."""
    try:
        return LlmGenerator.from_settings(settings)
    except LlmNotConfigured:
        return None
