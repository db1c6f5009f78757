from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.embedded import EmbeddedGenerator
from monitorgen.core.generation.result import (
    Attempt,
    GenerationRequest,
    GenerationResult,
    Provenance,
    Status,
)
from monitorgen.core.spec import AlertingRule, AnyRule
from monitorgen.generation.service import generate, generate_many, get_generator
from validators.grounding import ground_rule
from validators.report import Level, Problem, ValidationReport

CATALOG = Catalog.model_validate({
    "name": "shop",
    "metrics": [
        {"name": "up", "type": "gauge"},
        {"name": "http_requests_total", "type": "counter", "labels": ["service", "code"]},
        {"name": "http_request_duration_seconds", "type": "histogram", "labels": ["service"]},
        {"name": "worker_queue_length", "type": "gauge"},
        {"name": "worker_queue_length_max", "type": "gauge"},
    ],
})


def _request(intent: str) -> GenerationRequest:
    return GenerationRequest(intent=intent, catalog=CATALOG)


@pytest.mark.promtool
def test_it_returns_ok_only_after_the_full_pipeline_passed(promtool_path: str) -> None:
    result = generate(_request("p99 latency over 300 ms for 10 minutes"),
                      generator=EmbeddedGenerator())
    assert result.status is Status.OK
    assert result.validation["ok"] is True
    assert "promtool" in result.validation["steps"]
    assert [a.accepted for a in result.provenance.attempts] == [True]


@pytest.mark.promtool
def test_the_batch_path_checks_every_answer_with_promtool(promtool_path: str) -> None:
    results = generate_many([_request("p99 latency over 300 ms"), _request("target is down"),
                             _request("the coffee machine is empty")],
                            generator=EmbeddedGenerator())
    assert [r.status for r in results] == [Status.OK, Status.OK, Status.CLARIFY]
    assert all("promtool" in r.validation["steps"] for r in results[:2])


def _reject_first(rules: list[AnyRule], catalog: Catalog) -> ValidationReport:
    rule = rules[0]
    if "rate(" in rule.expr and "histogram_quantile" not in rule.expr:
        return ValidationReport(problems=[Problem("promtool/check", Level.ERROR, "rejected")],
                                steps=["promtool"])
    return ValidationReport(steps=["promtool"])


def test_it_repairs_with_the_next_candidate_and_records_each_attempt() -> None:
    calls: list[str] = []

    def validate(rules: list[AnyRule], catalog: Catalog) -> ValidationReport:
        calls.append(rules[0].expr)
        ok = len(calls) > 1
        problems = [] if ok else [Problem("promtool/check", Level.ERROR, "bad")]
        return ValidationReport(problems=problems, steps=["promtool"])

    # Two shapes of the one metric the intent names: a delta and a level.
    result = generate(_request("worker queue length is growing by more than 100 in 10 minutes"),
                      generator=EmbeddedGenerator(), validate=validate)
    attempts = result.provenance.attempts
    assert len(calls) == 2 and calls[0] != calls[1]
    assert result.status is Status.OK
    assert attempts[0].accepted is False and attempts[0].problems == ("promtool/check: bad",)
    assert attempts[-1].accepted is True


def test_it_gives_up_with_a_question_after_the_bound() -> None:
    def always_bad(rules: list[AnyRule], catalog: Catalog) -> ValidationReport:
        return ValidationReport(problems=[Problem("lint/x", Level.ERROR, "bad")])

    result = generate(_request("worker queue length is growing by more than 100 in 10 minutes"),
                      generator=EmbeddedGenerator(), validate=always_bad, max_attempts=2)
    assert result.status is Status.CLARIFY
    assert "lint/x: bad" in result.message
    assert len(result.provenance.attempts) == 2
    assert not any(a.accepted for a in result.provenance.attempts)


def test_a_repair_never_moves_to_a_metric_the_planner_did_not_choose() -> None:
    seen: list[str] = []

    def reject_the_first(rules: list[AnyRule], catalog: Catalog) -> ValidationReport:
        seen.append(rules[0].expr)
        return ValidationReport(problems=[Problem("promtool/check", Level.ERROR, "bad")])

    # `worker_queue_length_max` also matches the words, but the planner chose the queue length:
    # answering with the max after a failed validation would be a guess.
    result = generate(_request("worker queue length above 100"),
                      generator=EmbeddedGenerator(), validate=reject_the_first)
    assert result.status is Status.CLARIFY
    assert seen == ["worker_queue_length > 100"]
    assert "worker_queue_length_max" in result.questions[0].candidates


def test_it_never_returns_ok_without_a_passing_validation() -> None:
    class Stubborn:
        name = "stub"

        def propose(self, request: GenerationRequest) -> GenerationResult:
            rule = AlertingRule.model_validate({
                "alert": "X", "expr": "up == 0", "labels": {"severity": "info"},
                "annotations": {"summary": "x.", "description": "x."}})
            return GenerationResult(status=Status.OK, rules=[rule],
                                    provenance=Provenance(generator="stub"))

        def repair(self, request: GenerationRequest, previous: GenerationResult,
                   problems: list[str]) -> GenerationResult:
            return self.propose(request)

    def bad(rules: list[AnyRule], catalog: Catalog) -> ValidationReport:
        return ValidationReport(problems=[Problem("schema", Level.ERROR, "no")])

    result = generate(_request("target down"), generator=Stubborn(), validate=bad)
    assert result.status is not Status.OK
    assert result.provenance.attempts == [Attempt(1, "X: up == 0", False, ("schema: no",)),
                                          Attempt(2, "X: up == 0", False, ("schema: no",)),
                                          Attempt(3, "X: up == 0", False, ("schema: no",))]


def test_it_checks_the_input_before_calling_the_generator() -> None:
    result = generate(GenerationRequest(intent="", catalog=CATALOG), validate=_reject_first)
    assert result.status is Status.ERROR
    assert "empty" in result.message


def test_the_default_generator_is_the_embedded_one() -> None:
    assert get_generator().name == "embedded"
    assert get_generator("embedded").name == "embedded"


# A CPU time counter whose help lists its modes while the catalog lists no label for them.
_CPU_TIME = Catalog.model_validate({"name": "winhost", "metrics": [
    {"name": "winhost_cpu_time_total", "type": "counter",
     "help": "Time that processor spent in different modes (dpc, idle, interrupt, privileged, user)"},
    {"name": "winhost_logical_disk_size_bytes", "type": "gauge"},
]})
_CPU_INTENT = "Winhost CPU Usage: CPU Usage is more than 80%"


def test_cpu_time_with_modes_only_in_its_help_asks_for_the_label_of_the_modes() -> None:
    result = generate(GenerationRequest(intent=_CPU_INTENT, catalog=_CPU_TIME),
                      generator=EmbeddedGenerator())
    assert result.status is Status.CLARIFY
    assert [q.field for q in result.questions] == ["mode_label"]
    assert "dpc, idle, interrupt" in result.questions[0].text


def test_the_answered_label_of_the_modes_leaves_idle_out_and_passes_grounding() -> None:
    result = generate(GenerationRequest(intent=_CPU_INTENT, catalog=_CPU_TIME,
                                        answers={"mode_label": "mode"}),
                      generator=EmbeddedGenerator(),
                      validate=lambda rules, catalog: ValidationReport(
                          problems=[p for rule in rules for p in ground_rule(rule, catalog)]))
    assert result.status is Status.OK, result.message
    assert 'winhost_cpu_time_total{mode="idle"}' in result.rules[0].expr
    assert result.rules[0].expr.startswith("1 - ")
