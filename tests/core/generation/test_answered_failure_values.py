"""Answers to the generator's questions about failed attempts and flags make rules that fire."""

from __future__ import annotations

from monitorgen.core.generation.result import GenerationResult, Status
from tests.core.generation.proposing import answered_rule, exporter_catalog, flat, propose

QUAY = exporter_catalog("quay", [
    ("quay_push_attempts_total counter instance", "Image pushes attempted."),
    ("quay_storage_bytes gauge instance", "Bytes stored."),
])
_FAILING = "Quay image pushes are failing"
_SHARE = "Quay push failures: <value>% of image pushes fail"


def _assumptions(result: GenerationResult) -> list[str]:
    return list(result.provenance.parameters.get("assumptions", []))


def test_it_asks_which_values_of_the_outcome_label_mean_failure() -> None:
    result = propose(QUAY, _FAILING)
    assert result.status is Status.CLARIFY
    question = result.questions[0]
    assert question.field == "status_label"
    assert "which of its values mean failure" in question.text
    assert "status=500" in question.text


def test_it_selects_the_failing_value_the_user_names_with_the_label() -> None:
    rule = answered_rule(propose(QUAY, _FAILING, answers={"status_label": "status=500"}))
    assert flat(rule.expr) == 'increase(quay_push_attempts_total{status="500"}[5m])>0'


def test_it_selects_every_failing_value_named_of_a_share_as_literal_values() -> None:
    rule = answered_rule(propose(QUAY, _SHARE, answers={"status_label": "status=429, 503",
                                                        "threshold": "above 5%"}))
    assert 'quay_push_attempts_total{status=~"429|503"}' in rule.expr
    assert flat(rule.expr).endswith(">0.05")


def test_it_uses_a_regular_expression_only_when_the_user_writes_one() -> None:
    rule = answered_rule(propose(QUAY, _FAILING, answers={"status_label": 'code=~"5.."'}))
    assert 'quay_push_attempts_total{code=~"5.."}' in rule.expr
    rule = answered_rule(propose(QUAY, _FAILING, answers={"status_label": "result=err.x"}))
    assert 'quay_push_attempts_total{result="err.x"}' in rule.expr
    # Unsafe values, and what is no regular expression of Prometheus's, are asked again.
    for answer in ('status=5"00', 'status=~"[5"', 'status=~"(?!2)..."', "status=", "2xx=500"):
        result = propose(QUAY, _FAILING, answers={"status_label": answer})
        assert result.status is Status.CLARIFY, (answer, result.rules)


def test_it_states_the_guessed_failing_values_when_only_the_label_is_named() -> None:
    result = propose(QUAY, _FAILING, answers={"status_label": "status"})
    rule = answered_rule(result)
    assert 'status=~"(?i)err(or)?|fail(ed|ure)?"' in rule.expr
    assert any("no failing values of status were given" in note for note in _assumptions(result))


MESH = exporter_catalog("mesh", [
    ("mesh_breaker_open_state gauge route", "Breaker of a route."),
    ("mesh_route_up gauge route", "Route reachable."),
    ("mesh_requests_total counter route", "Requests."),
])


def test_it_offers_above_zero_first_for_a_flag_named_for_the_bad_state_the_intent_says() -> None:
    result = propose(MESH, "Mesh breaker is open")
    assert result.status is Status.CLARIFY
    question = result.questions[0]
    assert question.field == "threshold"
    assert question.candidates == ("above 0", "below 1")
    rule = answered_rule(propose(MESH, "Mesh breaker is open",
                                 answers={"threshold": question.candidates[0]}))
    assert flat(rule.expr) == "mesh_breaker_open_state>0"
    # (An up flag said lost still offers its 0 first.)
    result = propose(MESH, "Mesh route up")
    assert result.status is Status.CLARIFY
    assert result.questions[0].candidates == ("below 1", "above 0")
