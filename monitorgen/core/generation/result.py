"""The generator interface: what goes in (a request) and what comes out (ok, clarify or error).

Both generators (embedded and LLM) speak these types, and the repair loop around them
(`monitorgen.generation`) adds validation and provenance. Every `ok` result handed to a user has
passed the full validation pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from monitorgen.core.catalog import Catalog
from monitorgen.core.spec import AlertingRule, AnyRule


class Status(StrEnum):
    OK = "ok"
    CLARIFY = "clarify"
    ERROR = "error"


@dataclass(frozen=True)
class Scope:
    """Optional hints from the form: which team/service/environment the intent is about."""

    team: str | None = None
    service: str | None = None
    environment: str | None = None
    # Extra label matchers the user pinned explicitly, e.g. {"namespace": "payments"}.
    matchers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GenerationRequest:
    intent: str
    catalog: Catalog
    scope: Scope = field(default_factory=Scope)
    # The team's approved rules, for retrieval of examples and conventions.
    approved_rules: tuple[AlertingRule, ...] = ()
    # Answers to earlier clarifying questions, keyed by Question.field.
    answers: dict[str, str] = field(default_factory=dict)
    # For refinement: the rule being revised and the feedback on it.
    previous: AlertingRule | None = None
    feedback: str | None = None


@dataclass(frozen=True)
class Question:
    """A precise question with candidate answers, e.g. field='service', candidates=['checkout', ...]."""

    field: str
    text: str
    candidates: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "text": self.text, "candidates": list(self.candidates)}


@dataclass(frozen=True)
class Attempt:
    """One candidate or repair attempt and why it was (not) accepted."""

    number: int
    summary: str
    accepted: bool
    problems: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "summary": self.summary,
            "accepted": self.accepted,
            "problems": list(self.problems),
        }


@dataclass
class Provenance:
    generator: str  # "embedded" or "llm"
    model: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    catalog: str | None = None
    metrics_used: list[str] = field(default_factory=list)
    examples_used: list[str] = field(default_factory=list)  # names of approved rules retrieved
    attempts: list[Attempt] = field(default_factory=list)
    intent_family: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "generator": self.generator,
            "model": self.model,
            "parameters": dict(self.parameters),
            "catalog": self.catalog,
            "metrics_used": list(self.metrics_used),
            "examples_used": list(self.examples_used),
            "attempts": [a.as_dict() for a in self.attempts],
            "intent_family": self.intent_family,
        }


@dataclass
class GenerationResult:
    status: Status
    rules: list[AnyRule] = field(default_factory=list)
    rationale: str = ""
    questions: list[Question] = field(default_factory=list)
    message: str = ""
    provenance: Provenance = field(default_factory=lambda: Provenance(generator="embedded"))
    # The validation report of the accepted rules (as_dict of validators.report.ValidationReport).
    validation: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def error(cls, message: str, *, provenance: Provenance) -> GenerationResult:
        return cls(status=Status.ERROR, message=message, provenance=provenance)

    @classmethod
    def clarify(
        cls, questions: list[Question], *, provenance: Provenance, message: str = ""
    ) -> GenerationResult:
        return cls(
            status=Status.CLARIFY, questions=questions, message=message, provenance=provenance
        )


class Generator(Protocol):
    """A generator proposes candidates; the repair loop validates them and asks for the next.

    `propose` returns an ok result with candidate rules, a clarify result, or an error result.
    `repair` is called with the previous candidate's validation problems; it returns the next
    candidate (embedded: the next-best alternative; LLM: the model's fix) or a clarify/error.
    """

    name: str

    def propose(self, request: GenerationRequest) -> GenerationResult: ...

    def repair(
        self, request: GenerationRequest, previous: GenerationResult, problems: list[str]
    ) -> GenerationResult: ...
