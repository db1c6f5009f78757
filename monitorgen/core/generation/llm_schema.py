"""The structured answer an LLM must return (pure core: pydantic only, no client code).

The model fills `LlmAnswer`: either `kind="rule"` with one `LlmRuleDraft`, or `kind="clarify"`
with precise questions when the intent is ambiguous. Field descriptions double as instructions:
instructor turns this model into the tool/JSON schema the endpoint sees. Everything the model
writes is validated here (names, PromQL syntax, Prometheus durations, severity) before it can
become an `AlertingRule`; anything invalid raises a pydantic `ValidationError` whose messages are
fed back to the model by the repair loop.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import promql_parser
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from monitorgen.core.catalog import Catalog
from monitorgen.core.durations import DurationError, normalize_duration
from monitorgen.core.generation.result import Question
from monitorgen.core.spec import (
    LABEL_NAME_RE,
    AlertingRule,
    Severity,
    alerting_rule_from_data,
    check_alert_name,
    check_promql,
)

__all__ = [
    "AnswerKind",
    "LlmAnswer",
    "LlmQuestion",
    "LlmRuleDraft",
    "Severity",
    "metric_names_in_expr",
    "unknown_metrics",
]

MAX_TEXT = 2000
MAX_QUESTIONS = 5


class AnswerKind(StrEnum):
    RULE = "rule"
    CLARIFY = "clarify"


class _LlmModel(BaseModel):
    # Unknown keys are ignored (models like to add chatter); types are still enforced.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class LlmRuleDraft(_LlmModel):
    """One Prometheus alerting rule proposed for the intent."""

    alert: str = Field(
        description="Alert name in CamelCase: a letter, then letters, digits or underscores",
        examples=["CheckoutHighErrorRate"],
    )
    expr: str = Field(
        description=(
            "PromQL expression including the threshold comparison; the alert fires for every "
            "series it returns. Use only metrics from the catalog."
        ),
        examples=['sum(rate(http_requests_total{code=~"5.."}[5m])) > 1'],
    )
    for_: str = Field(
        default="5m",
        alias="for",
        description="Prometheus duration the condition must hold before firing, e.g. 5m or 1h30m",
    )
    severity: Severity = Field(description="critical (page someone), warning or info")
    summary: str = Field(description="One line: what is wrong", min_length=1, max_length=MAX_TEXT)
    description: str = Field(
        description="What is wrong, its impact and what to check first",
        min_length=1,
        max_length=MAX_TEXT,
    )
    metrics_used: list[str] = Field(
        default_factory=list, description="Catalog metric names the expression reads"
    )
    rationale: str = Field(
        default="", description="Why this expression, threshold and duration fit the intent",
        max_length=MAX_TEXT,
    )

    @field_validator("alert")
    @classmethod
    def _alert(cls, value: str) -> str:
        return check_alert_name(value.strip())

    @field_validator("expr")
    @classmethod
    def _expr(cls, value: str) -> str:
        return check_promql(value)

    @field_validator("for_", mode="before")
    @classmethod
    def _for(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return "0s"
        if not isinstance(value, str):
            raise ValueError(f"'for' must be a Prometheus duration string like '5m', not {value!r}")
        try:
            return normalize_duration(value)
        except DurationError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("summary", "description", "rationale")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("metrics_used", mode="before")
    @classmethod
    def _metrics(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        return value

    def to_rule(self, *, extra_labels: dict[str, str] | None = None) -> AlertingRule:
        """The product's `AlertingRule` (strict policy); raises `SpecInvalid` if it breaks it."""
        labels = {**(extra_labels or {}), "severity": self.severity.value}
        data: dict[str, Any] = {
            "alert": self.alert,
            "expr": self.expr,
            "labels": labels,
            "annotations": {"summary": self.summary, "description": self.description},
        }
        if self.for_ != "0s":
            data["for"] = self.for_
        return alerting_rule_from_data(data)


class LlmQuestion(_LlmModel):
    """A precise question to ask the user instead of guessing."""

    field: str = Field(
        description="What the answer fills in, e.g. service, threshold, environment, metric",
        examples=["service"],
    )
    text: str = Field(description="The question, one sentence", min_length=1, max_length=500)
    candidates: list[str] = Field(
        default_factory=list, description="Likely answers to pick from (may be empty)"
    )

    @field_validator("field")
    @classmethod
    def _field(cls, value: str) -> str:
        value = value.strip()
        if not LABEL_NAME_RE.match(value):
            raise ValueError(f"question field {value!r} must be a short identifier like 'service'")
        return value

    def to_question(self) -> Question:
        return Question(
            field=self.field,
            text=self.text.strip(),
            candidates=tuple(c.strip() for c in self.candidates if c.strip())[:20],
        )


class LlmAnswer(_LlmModel):
    """Answer with kind='rule' and one rule, or kind='clarify' and questions if the intent is
    too ambiguous to write a correct rule."""

    kind: AnswerKind = Field(description="'rule' when you can write the rule, else 'clarify'")
    rule: LlmRuleDraft | None = Field(default=None, description="The rule (kind='rule' only)")
    questions: list[LlmQuestion] = Field(
        default_factory=list, description="Clarifying questions (kind='clarify' only)"
    )

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> LlmAnswer:
        if self.kind is AnswerKind.RULE and self.rule is None:
            raise ValueError("kind is 'rule' but no rule was given")
        if self.kind is AnswerKind.CLARIFY and not self.questions:
            raise ValueError("kind is 'clarify' but no questions were given")
        if len(self.questions) > MAX_QUESTIONS:
            raise ValueError(f"ask at most {MAX_QUESTIONS} questions")
        return self


# --- grounding helpers ----------------------------------------------------------------------------
def metric_names_in_expr(expr: str) -> list[str]:
    """Metric names selected by a PromQL expression, in order of appearance, without repeats.

    Selectors like `{__name__="x"}` count as `x`; regex name matchers are ignored.
    """
    tree = promql_parser.parse(expr)
    names: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            name = node.name
            if not name:
                for matcher in node.matchers.matchers:
                    if matcher.name == "__name__" and matcher.op == promql_parser.MatchOp.Equal:
                        name = matcher.value
            if name and name not in names:
                names.append(name)

    promql_parser.walk(tree, visit)
    return names


def unknown_metrics(expr: str, catalog: Catalog) -> list[str]:
    """Names in `expr` that are neither a catalog family nor one of its series."""
    return [name for name in metric_names_in_expr(expr) if catalog.family(name) is None]
