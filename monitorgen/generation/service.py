"""The generation service: propose → validate (full pipeline, promtool included) → repair.

Application layer, no Django models. `generate` returns `ok` only for rules that passed
validation; otherwise the generator's question or an error naming the reasons. Every candidate
is recorded in `provenance.attempts`. `generate_many` is the batch path: it validates all
candidates statically first and then checks every surviving rule with ONE promtool call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import ConfigurationError
from monitorgen.core.generation.embedded import (
    DEFAULT_MAX_CANDIDATES,
    DEFAULT_MAX_INTENT_CHARS,
    EmbeddedGenerator,
    check_request,
)
from monitorgen.core.generation.planner import with_answered_labels
from monitorgen.core.generation.result import (
    Attempt,
    GenerationRequest,
    GenerationResult,
    Generator,
    Provenance,
    Question,
    Status,
)
from monitorgen.core.spec import AnyRule
from validators.report import ValidationReport

Validate = Callable[[list[AnyRule], Catalog], ValidationReport]
DEFAULT_MAX_ATTEMPTS = 3


def _setting(name: str, default: Any) -> Any:
    """A Django setting when Django is configured (CLI, web), else the default (pure scripts)."""
    try:
        from django.conf import settings

        return getattr(settings, name, default) if settings.configured else default
    except ImportError:  # pragma: no cover - Django is a dependency
        return default


def get_generator(name: str | None = None) -> Generator:
    """The generator called `name` ("embedded" or "llm"); default from settings.GENERATOR.

    "llm" falls back to the embedded generator when no LLM is configured only if the name came
    from settings; asked for explicitly, an unconfigured LLM is a configuration error.
    """
    explicit = name is not None
    chosen = (name or _setting("GENERATOR", "embedded") or "embedded").lower()
    if chosen == "embedded":
        return EmbeddedGenerator(
            max_intent_chars=int(_setting("INTENT_MAX_CHARS", DEFAULT_MAX_INTENT_CHARS)),
            max_candidates=int(_setting("EMBEDDED_MAX_CANDIDATES", DEFAULT_MAX_CANDIDATES)),
        )
    if chosen == "llm":
        from monitorgen.generation.llm import llm_generator_or_none

        generator = llm_generator_or_none()
        if generator is not None:
            return generator
        if explicit:
            raise ConfigurationError(
                "The LLM generator is not configured: set LLM_BASE_URL and LLM_MODEL, or use "
                "--generator embedded."
            )
        return get_generator("embedded")
    raise ConfigurationError(f"unknown generator {chosen!r}: use 'embedded' or 'llm'")


def default_validator(*, run_promtool: bool = True, unit_tests: bool | None = None) -> Validate:
    """The full validation pipeline for a list of candidate rules, as one report.

    With promtool it also synthesises and runs each rule's unit tests (`unit_tests`, on by
    default with promtool): ONE more promtool process, alongside the check. The report's
    `unit_tests` list (one record per rule, in order, with the test file as `text`) is how an
    `ok` result carries them; a failing synthesised test is an error, so the candidate is
    repaired like any other invalid one.
    """
    with_tests = run_promtool if unit_tests is None else unit_tests

    def validate(rules: list[AnyRule], catalog: Catalog) -> ValidationReport:
        from validators.pipeline import validate_rules

        merged = ValidationReport()
        for report in validate_rules(rules, catalog=catalog, run_promtool=run_promtool,
                                     unit_tests=with_tests):
            merged.extend(report)
        return merged

    return validate


def _problems(report: ValidationReport) -> list[str]:
    return [f"{p.check}: {p.message}" for p in report.errors]


def _record(log: list[Attempt], result: GenerationResult, report: ValidationReport) -> None:
    """Mark the candidate just validated as accepted or rejected in the running attempt log.

    A generator that keeps its own attempts (the LLM one records calls that produced no rule)
    has them adopted; otherwise the service numbers the attempts itself.
    """
    summary = "; ".join(f"{getattr(r, 'name', '?')}: {r.expr}" for r in result.rules)
    problems = tuple(_problems(report))
    own = result.provenance.attempts
    if len(own) > len(log):
        log[:] = list(own)
        log[-1] = replace(log[-1], accepted=report.ok, problems=problems)
    else:
        log.append(Attempt(len(log) + 1, summary, report.ok, problems))
    result.provenance.attempts = list(log)


def _with_log(result: GenerationResult, log: list[Attempt]) -> GenerationResult:
    if len(result.provenance.attempts) < len(log):
        result.provenance.attempts = list(log)
    return result


def generate(
    request: GenerationRequest,
    *,
    generator: Generator | None = None,
    validate: Validate | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> GenerationResult:
    """Propose, validate and repair up to `max_attempts` candidates; ok only when valid."""
    generator = generator if generator is not None else get_generator()
    validate = validate if validate is not None else default_validator()
    limit = int(_setting("INTENT_MAX_CHARS", DEFAULT_MAX_INTENT_CHARS))
    problem = check_request(request, max_intent_chars=limit)
    if problem:
        return GenerationResult.error(
            problem, provenance=Provenance(generator=generator.name, catalog=request.catalog.name)
        )
    # Labels the user named in answers are the catalog's from now on, for validation too.
    request = with_answered_labels(request)
    result = generator.propose(request)
    log: list[Attempt] = []
    last_problems: list[str] = []
    for _ in range(max(1, max_attempts)):
        if result.status is not Status.OK:
            return _with_log(result, log)
        if not result.rules:
            return GenerationResult.error("The generator returned no rule.",
                                          provenance=_with_log(result, log).provenance)
        report = validate(list(result.rules), request.catalog)
        _record(log, result, report)
        if report.ok:
            result.validation = report.as_dict()
            return result
        last_problems = _problems(report)
        if len(log) >= max_attempts:
            break
        result = generator.repair(request, result, last_problems)
    provenance = _with_log(result, log).provenance
    return GenerationResult.clarify(
        [Question("metric", "No candidate passed validation. Which metric should the rule use?",
                  tuple(provenance.metrics_used))],
        provenance=provenance,
        message="no candidate passed validation: " + "; ".join(last_problems[:3]),
    )


def generate_many(
    requests: Sequence[GenerationRequest],
    *,
    generator: Generator | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    run_promtool: bool = True,
    progress: Callable[[int, list[GenerationResult]], None] | None = None,
) -> list[GenerationResult]:
    """Batch generation: static checks per request, then one promtool call for all answers.

    A rule promtool rejects sends its request through the full per-request loop again, with
    promtool on each attempt, so every `ok` result has passed the whole pipeline.
    """
    generator = generator if generator is not None else get_generator()
    static = default_validator(run_promtool=False)
    results: list[GenerationResult] = []
    for request in requests:
        results.append(generate(request, generator=generator, validate=static,
                                max_attempts=max_attempts))
        if progress is not None:
            progress(len(results), results)
    if not run_promtool:
        return results
    from validators.pipeline import validate_rules

    ok = [i for i, r in enumerate(results) if r.status is Status.OK and r.rules]
    flat = [(i, rule) for i in ok for rule in results[i].rules]
    reports = (validate_rules([rule for _, rule in flat], run_promtool=True, unit_tests=True)
               if flat else [])
    failed: set[int] = set()
    tests: dict[int, list[dict[str, Any]]] = {}
    for (i, _), report in zip(flat, reports, strict=True):
        promtool_errors = [p for p in report.errors if p.check.startswith(("promtool", "unittest"))]
        if promtool_errors:
            failed.add(i)
        tests.setdefault(i, []).extend(report.unit_tests)
    for i in ok:
        if i in failed:
            results[i] = generate(requests[i], generator=generator, max_attempts=max_attempts)
        else:
            steps = [*results[i].validation.get("steps", []), "promtool", "unittest"]
            warnings = [p.as_dict() for (j, _), report in zip(flat, reports, strict=True)
                        if j == i for p in report.problems if p.check.startswith("unittest")]
            results[i].validation = {
                **results[i].validation, "steps": steps, "unit_tests": tests.get(i, []),
                "problems": [*results[i].validation.get("problems", []), *warnings],
            }
    return results
