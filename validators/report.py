"""Typed results of validation, shared by every step of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding. `check` is a stable id (`schema`, `promtool/check`, `lint/no-comparison`, ...)."""

    check: str
    level: Level
    message: str
    rule: str | None = None  # alert or record name
    group: str | None = None
    source: str | None = None  # file name, when validating files
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "level": self.level.value,
            "message": self.message,
            "rule": self.rule,
            "group": self.group,
            "source": self.source,
            "line": self.line,
        }


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    # Which steps ran, e.g. ["schema", "lint", "grounding", "promtool"].
    steps: list[str] = field(default_factory=list)
    # Synthesised unit tests, one record per rule covered, in order (validators/unittests.py).
    unit_tests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def extend(self, other: ValidationReport) -> None:
        self.problems.extend(other.problems)
        self.steps.extend(s for s in other.steps if s not in self.steps)
        self.unit_tests.extend(other.unit_tests)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": self.ok,
            "steps": list(self.steps),
            "problems": [p.as_dict() for p in self.problems],
        }
        if self.unit_tests:
            data["unit_tests"] = [dict(entry) for entry in self.unit_tests]
        return data
