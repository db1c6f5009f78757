"""Synthesised unit tests as a validation step: write them, run them, report per rule.

`start_unit_tests(rules, ...)` synthesises a promtool test suite for every alerting rule
(`monitorgen.core.unittests`) and starts ONE `promtool test rules` over all of them;
`.results()` then gives one `UnitTestOutcome` per rule, in order:

- passed: every case passed; no Problem.
- failed: a `unittest/failed` error naming the failed cases with promtool's message. The tests
  were made from the rule's own threshold and `for`, so the rule does not behave as it says.
- not-generated: a `unittest/not-generated` warning with the reason (an unsupported shape).
- skipped: the rule does not load in promtool (`promtool/check` already reports why), or it
  is a recording rule; no Problem.

`UnitTestOutcome.as_dict()` is the record kept in a report's `unit_tests` list (one per rule)
and, for a saved version, in `validation["unit_tests"]` (see `version_unit_tests`), with the
test file itself in `RuleVersion.unit_tests`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from monitorgen.adapters.promtool import PendingTests, Promtool, TestFileResult
from monitorgen.core.catalog import Catalog
from monitorgen.core.spec import AlertingRule, AnyRule
from monitorgen.core.unittests import Synthesis, UnitTestSuite, synthesize
from validators.report import Level, Problem

PASSED, FAILED, NOT_GENERATED, SKIPPED = "passed", "failed", "not-generated", "skipped"
_MAX_MESSAGE = 1500


@dataclass(frozen=True)
class CaseResult:
    name: str
    kind: str  # fires | quiet | for
    passed: bool | None  # None when the suite did not run

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "passed": self.passed}


@dataclass
class UnitTestOutcome:
    rule: str
    status: str  # passed | failed | not-generated | skipped
    suite: UnitTestSuite | None = None
    reason: str = ""  # why not generated or skipped
    output: str = ""  # promtool's report when something failed
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The test file, to keep with the rule version ("" when there is none)."""
        return self.suite.text if self.suite is not None else ""

    def skip(self, reason: str) -> None:
        self.status, self.reason = SKIPPED, reason
        self.cases = [CaseResult(c.name, c.kind, None) for c in self.cases]

    def problems(self) -> list[Problem]:
        if self.status == FAILED:
            failed = [c.name for c in self.cases if c.passed is False]
            which = "; ".join(failed) if failed else "the test file"
            detail = self.output.strip()[:_MAX_MESSAGE]
            return [Problem(
                check="unittest/failed", level=Level.ERROR, rule=self.rule,
                message=f"the rule does not behave as its threshold says: synthesised test "
                        f"failed: {which}" + (f"\n{detail}" if detail else ""),
            )]
        if self.status == NOT_GENERATED:
            return [Problem(check="unittest/not-generated", level=Level.WARNING, rule=self.rule,
                            message=f"no unit tests were synthesised: {self.reason}")]
        return []

    def as_dict(self, *, with_text: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "status": self.status,
            "reason": self.reason,
            "cases": [c.as_dict() for c in self.cases],
            "output": self.output[:_MAX_MESSAGE * 4],
        }
        if self.suite is not None:
            data["rule_file"] = self.suite.rule_file_name
            data["checked_annotations"] = list(self.suite.checked_annotations)
            data["unchecked_annotations"] = list(self.suite.unchecked_annotations)
        if with_text:
            data["text"] = self.text
        return data


def _outcome(rule: AnyRule, synthesis: Synthesis) -> UnitTestOutcome:
    if not isinstance(rule, AlertingRule):
        return UnitTestOutcome(rule.name, SKIPPED, reason=synthesis.reason)
    if synthesis.suite is None:
        return UnitTestOutcome(rule.name, NOT_GENERATED, reason=synthesis.reason)
    cases = [CaseResult(c.name, c.kind, None) for c in synthesis.suite.cases]
    return UnitTestOutcome(rule.name, PASSED, synthesis.suite, cases=cases)


_FAILED_CHECK_RE = re.compile(r"^alertname: [A-Za-z0-9_:]+, time: ([0-9a-z]+),")


def failed_checks(output: str) -> set[tuple[str | None, str]]:
    """(test name, eval time) of every alert check promtool reports as failed."""
    found: set[tuple[str | None, str]] = set()
    test: str | None = None
    for line in output.splitlines():
        text = line.strip()
        if text.startswith("name: ") and text.endswith(","):
            test = text[len("name: "):-1]
        match = _FAILED_CHECK_RE.match(text)
        if match:
            found.add((test, match[1]))
    return found


def _apply(outcome: UnitTestOutcome, result: TestFileResult) -> None:
    if result.ok:
        outcome.cases = [CaseResult(c.name, c.kind, True) for c in outcome.cases]
        return
    outcome.status = FAILED
    outcome.output = result.output
    if outcome.suite is None:  # pragma: no cover - only outcomes with a suite are run
        return
    failed = failed_checks(result.output)
    # A file that did not load at all names no check; then every case counts as failed.
    by_name = {case.name: case for case in outcome.suite.cases}
    outcome.cases = [
        CaseResult(c.name, c.kind, bool(failed) and not any(
            (by_name[c.name].group, check.eval_time) in failed for check in by_name[c.name].checks))
        for c in outcome.cases
    ]


class PendingUnitTests:
    """Unit tests being run by promtool; `results()` waits for them."""

    def __init__(self, outcomes: list[UnitTestOutcome], pending: PendingTests | None,
                 keys: dict[str, int]) -> None:
        self._outcomes = outcomes
        self._pending = pending
        self._keys = keys

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def results(self) -> list[UnitTestOutcome]:
        if self._pending is not None:
            batch = self._pending.result()
            self._pending = None
            for key, index in self._keys.items():
                _apply(self._outcomes[index], batch.files[key])
        return self._outcomes


def start_unit_tests(
    rules: Sequence[AnyRule],
    *,
    catalog: Catalog | None = None,
    scrape_interval: str = "1m",
    promtool: Promtool | None = None,
) -> PendingUnitTests:
    """Synthesise tests for every rule and start one promtool run for all of them."""
    outcomes = [_outcome(rule, synthesize(rule, catalog=catalog, scrape_interval=scrape_interval))
                for rule in rules]
    suites: dict[str, tuple[str, dict[str, str]]] = {}
    keys: dict[str, int] = {}
    for index, outcome in enumerate(outcomes):
        if outcome.suite is not None:
            key = f"rule-{index}"
            suites[key] = (outcome.suite.text, {outcome.suite.rule_file_name: outcome.suite.rule_text})
            keys[key] = index
    pending = (promtool or Promtool()).start_test_rules(suites) if suites else None
    return PendingUnitTests(outcomes, pending, keys)


def run_unit_tests(
    rules: Sequence[AnyRule],
    *,
    catalog: Catalog | None = None,
    scrape_interval: str = "1m",
    promtool: Promtool | None = None,
) -> list[UnitTestOutcome]:
    """Synthesise and run unit tests for rules (one promtool call); one outcome per rule."""
    return start_unit_tests(rules, catalog=catalog, scrape_interval=scrape_interval,
                            promtool=promtool).results()


def version_unit_tests(validation: dict[str, Any], index: int = 0) -> tuple[dict[str, Any], str]:
    """What a saved version keeps of a report that covered several rules: its own unit-test
    record as `validation["unit_tests"]` (without the text), and the test file itself."""
    entries = validation.get("unit_tests")
    if not isinstance(entries, list) or index >= len(entries) or not isinstance(entries[index], dict):
        return {k: v for k, v in validation.items() if k != "unit_tests"}, ""
    entry = dict(entries[index])
    text = str(entry.pop("text", "") or "")
    return {**validation, "unit_tests": entry}, text


__all__ = [
    "FAILED",
    "NOT_GENERATED",
    "PASSED",
    "SKIPPED",
    "CaseResult",
    "failed_checks",
    "PendingUnitTests",
    "UnitTestOutcome",
    "run_unit_tests",
    "start_unit_tests",
    "version_unit_tests",
]
