"""The validation pipeline: schema → lint → grounding → promtool, one report for all of it.

- `validate_files(paths)`: rule files on disk. promtool starts first, on all files in ONE call,
  and runs while Python does schema, lint and grounding; its findings are then mapped back to
  file, rule and line.
- `validate_rule_file(rule_file)`: a parsed RuleFile (e.g. from the database).
- `validate_rules(rules)`: candidate rules, one report each, all checked by one promtool call
  (one group per rule, so a failure names its rule). The generator calls this per candidate.
- `run_rule_tests(...)`: promtool unit tests for rules.
- `validate_rules(..., unit_tests=True)`: adds synthesised unit tests (validators/unittests.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from yaml.nodes import Node

from monitorgen.adapters.promtool import CheckResult, PendingCheck, Promtool, rules_as_batch_text
from monitorgen.core.catalog import Catalog
from monitorgen.core.durations import DurationError, format_duration_seconds, parse_duration_seconds
from monitorgen.core.errors import ConfigurationError, RuleFileMalformed, SpecInvalid
from monitorgen.core.promql import analyze_expr
from monitorgen.core.rulefile import line_of, load_yaml, parse_rule_file, rule_to_data
from monitorgen.core.spec import AnyRule, RuleFile, rule_file_from_data
from validators.grounding import ground_rule, record_names
from validators.lint import lint_rule
from validators.report import Level, Problem, ValidationReport
from validators.unittests import PendingUnitTests, start_unit_tests

FALLBACK_SCRAPE_INTERVAL = "30s"
LineFor = Callable[[int, int], int | None]


def resolve_scrape_interval(scrape_interval: str | None, catalog: Catalog | None) -> float:
    """Seconds between scrapes: explicit value, else the catalog's, else settings, else 30s."""
    text = scrape_interval or (catalog.scrape_interval if catalog is not None else None)
    if not text:
        text = FALLBACK_SCRAPE_INTERVAL
        try:
            from django.conf import settings

            if settings.configured:
                text = getattr(settings, "DEFAULT_SCRAPE_INTERVAL", text) or text
        except ImportError:  # pragma: no cover - Django ships with monitorgen
            pass
    try:
        seconds = parse_duration_seconds(text)
    except DurationError as exc:
        raise ConfigurationError(f"scrape interval: {exc}") from None
    if seconds <= 0:
        raise ConfigurationError(f"scrape interval must be positive, not {text!r}")
    return seconds


# --- static steps --------------------------------------------------------------------------------
def _static_problems(
    rule_file: RuleFile,
    *,
    catalog: Catalog | None,
    interval: float,
    source: str | None,
    line_for: LineFor | None,
) -> list[Problem]:
    records = record_names(rule for _, rule in rule_file.iter_rules())
    problems: list[Problem] = []
    for group_index, group in enumerate(rule_file.groups):
        for rule_index, rule in enumerate(group.rules):
            problems.extend(
                _rule_problems(rule, catalog=catalog, interval=interval, records=records,
                               group=group.name, source=source,
                               line_for=line_for, position=(group_index, rule_index))
            )
    return problems


def _rule_problems(
    rule: AnyRule,
    *,
    catalog: Catalog | None,
    interval: float,
    records: frozenset[str],
    group: str | None,
    source: str | None,
    line_for: LineFor | None = None,
    position: tuple[int, int] = (0, 0),
) -> list[Problem]:
    analysis = analyze_expr(rule.expr, catalog)
    found = lint_rule(rule, catalog=catalog, scrape_interval_seconds=interval,
                      analysis=analysis, group=group, source=source)
    if catalog is not None:
        found += ground_rule(rule, catalog, records=records, analysis=analysis,
                             group=group, source=source)
    if found and line_for is not None:
        # Lines are looked up only when there is something to report: most rules are clean.
        line = line_for(*position)
        found = [_with(p, line=line) for p in found]
    return found


def _with(problem: Problem, **changes: Any) -> Problem:
    return Problem(**{**problem.as_dict(), "level": problem.level, **changes})


def _steps(catalog: Catalog | None, run_promtool: bool) -> list[str]:
    return ["schema", "lint", *(["grounding"] if catalog else []), *(["promtool"] if run_promtool else [])]


# --- promtool mapping ----------------------------------------------------------------------------
def _promtool_problems(
    result: CheckResult,
    *,
    rule_files: dict[str, RuleFile | None],
    sources: dict[str, str],
    line_fors: dict[str, LineFor | None],
) -> list[Problem]:
    """promtool issues as Problems; `rule_files`/`sources`/`line_fors` are keyed by promtool path."""
    problems: list[Problem] = []
    for issue in result.issues:
        rule_file = rule_files.get(issue.file or "")
        rule_name, group_name, line = issue.rule_name, issue.group, issue.line
        if rule_file is not None and issue.group is not None and issue.rule_index is not None:
            index = next((i for i, g in enumerate(rule_file.groups) if g.name == issue.group), None)
            if index is not None and 0 < issue.rule_index <= len(rule_file.groups[index].rules):
                rule_name = rule_file.groups[index].rules[issue.rule_index - 1].name
                line_for = line_fors.get(issue.file or "")
                if line is None and line_for is not None:
                    line = line_for(index, issue.rule_index - 1)
        problems.append(
            Problem(check="promtool/check", level=Level.ERROR, message=issue.message,
                    rule=rule_name, group=group_name,
                    source=sources.get(issue.file or "", issue.file), line=line)
        )
    return problems


def _batch_text(rule_file: RuleFile) -> str:
    return rules_as_batch_text([(g.name, [rule_to_data(r) for r in g.rules]) for g in rule_file.groups])


# --- public entry points -------------------------------------------------------------------------
def validate_rule_file(
    rule_file: RuleFile,
    *,
    catalog: Catalog | None = None,
    scrape_interval: str | None = None,
    run_promtool: bool = True,
    source: str | None = None,
    promtool: Promtool | None = None,
) -> ValidationReport:
    """Validate a parsed rule file (its schema already holds, being a RuleFile)."""
    interval = resolve_scrape_interval(scrape_interval, catalog)
    pending: PendingCheck | None = None
    if run_promtool and rule_file.groups:
        pending = (promtool or Promtool()).start_check_rule_texts({source or "rules.yml": _batch_text(rule_file)})
    report = ValidationReport(steps=_steps(catalog, run_promtool))
    report.problems += _static_problems(rule_file, catalog=catalog, interval=interval,
                                        source=source, line_for=None)
    if pending is not None:
        path = pending.files[0]
        report.problems += _promtool_problems(
            pending.result(), rule_files={path: rule_file}, sources={path: source or "rules.yml"},
            line_fors={path: None},
        )
    return report


def validate_rules(
    rules: Sequence[AnyRule],
    *,
    catalog: Catalog | None = None,
    scrape_interval: str | None = None,
    run_promtool: bool = True,
    promtool: Promtool | None = None,
    unit_tests: bool = False,
) -> list[ValidationReport]:
    """One report per rule, in order; one promtool call for all of them.

    Each rule goes into its own group (`candidate-<n>`), so promtool's `group "candidate-7",
    rule 1` names the rule even when several candidates share an alert name. With
    `unit_tests` (and promtool), every alerting rule also gets synthesised unit tests, run by
    ONE more promtool process alongside the check (step `unittest`, validators/unittests.py);
    each report's `unit_tests` then holds that rule's record.
    """
    interval = resolve_scrape_interval(scrape_interval, catalog)
    pending: PendingCheck | None = None
    tests: PendingUnitTests | None = None
    if run_promtool and rules:
        text = rules_as_batch_text([(f"candidate-{i}", [rule_to_data(r)]) for i, r in enumerate(rules)])
        pending = (promtool or Promtool()).start_check_rule_texts({"candidates.yml": text})
    try:
        if pending is not None and unit_tests:
            tests = start_unit_tests(rules, catalog=catalog, promtool=promtool,
                                     scrape_interval=format_duration_seconds(interval))
        records = record_names(rules)
        reports = []
        for rule in rules:
            report = ValidationReport(steps=_steps(catalog, run_promtool))
            report.problems += _rule_problems(rule, catalog=catalog, interval=interval,
                                              records=records, group=None, source=None)
            reports.append(report)
    except BaseException:
        for running in (pending, tests):
            if running is not None:
                running.cancel()  # do not leave promtool running behind an error
        raise
    if pending is not None:
        for issue in pending.result().issues:
            index = _candidate_index(issue.group, len(rules))
            targets = [reports[index]] if index is not None else reports
            for report in targets:
                report.problems.append(Problem(
                    check="promtool/check", level=Level.ERROR, message=issue.message,
                    rule=rules[index].name if index is not None else issue.rule_name,
                ))
    if tests is not None:
        for report, outcome in zip(reports, tests.results(), strict=True):
            if any(p.check == "promtool/check" for p in report.problems):
                outcome.skip("the rule does not load in promtool (see promtool/check)")
            report.problems += outcome.problems()
            report.steps.append("unittest")
            report.unit_tests = [outcome.as_dict()]
    return reports


def _candidate_index(group: str | None, count: int) -> int | None:
    if group and group.startswith("candidate-") and group[10:].isdigit():
        index = int(group[10:])
        return index if index < count else None
    return None


def validate_files(
    paths: Iterable[str | Path],
    *,
    catalog: Catalog | None = None,
    scrape_interval: str | None = None,
    run_promtool: bool = True,
    lenient: bool = False,
    promtool: Promtool | None = None,
) -> ValidationReport:
    """Validate rule files on disk; problems carry the file and line they concern.

    `lenient` applies the structural schema only (for rules imported from elsewhere). Even
    when the strict schema fails, a file that passes the lenient one is still linted.
    """
    interval = resolve_scrape_interval(scrape_interval, catalog)
    report = ValidationReport(steps=_steps(catalog, run_promtool))
    texts: dict[str, str] = {}
    for raw in paths:
        path = str(raw)
        try:
            texts[path] = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            report.problems.append(Problem(check="schema", level=Level.ERROR,
                                           message=f"cannot read the file: {exc}", source=path))
    pending: PendingCheck | None = None
    if run_promtool and texts:
        # Started first so promtool runs while Python does the other steps.
        pending = (promtool or Promtool()).start_check_rules(list(texts))
    rule_files: dict[str, RuleFile | None] = {}
    line_fors: dict[str, LineFor | None] = {}
    schema_failed: set[str] = set()
    try:
        for path, text in texts.items():
            rule_file, node, problems = _parse(text, source=path, lenient=lenient)
            report.problems += problems
            if problems:
                schema_failed.add(path)
            rule_files[path] = rule_file
            line_fors[path] = _line_finder(node)
            if rule_file is not None:
                report.problems += _static_problems(rule_file, catalog=catalog, interval=interval,
                                                    source=path, line_for=line_fors[path])
    except BaseException:
        if pending is not None:
            pending.cancel()  # do not leave promtool running behind an error
        raise
    if pending is not None:
        found = _promtool_problems(pending.result(), rule_files=rule_files,
                                   sources={p: p for p in texts}, line_fors=line_fors)
        # Where our schema step already failed a file, promtool only repeats it less clearly.
        report.problems += [p for p in found if p.source not in schema_failed]
    return report


def run_rule_tests(
    rule_file: RuleFile | str,
    test_yaml: str,
    *,
    rule_file_name: str = "rules.yml",
    promtool: Promtool | None = None,
) -> ValidationReport:
    """Run promtool unit tests; the test YAML's `rule_files` should list `rule_file_name`."""
    text = rule_file if isinstance(rule_file, str) else _batch_text(rule_file)
    result = (promtool or Promtool()).test_rules(test_yaml, {rule_file_name: text})
    report = ValidationReport(steps=["promtool/test"])
    if not result.ok:
        report.problems.append(Problem(check="promtool/test", level=Level.ERROR,
                                       message=result.output.strip(), source=rule_file_name))
    return report


# --- parsing with line numbers -------------------------------------------------------------------
def _line_finder(node: Node | None) -> LineFor | None:
    if node is None:
        return None

    def find(group_index: int, rule_index: int) -> int | None:
        return line_of(node, ["groups", group_index, "rules", rule_index])

    return find


def _parse(text: str, *, source: str, lenient: bool) -> tuple[RuleFile | None, Node | None, list[Problem]]:
    """RuleFile, YAML node tree and schema problems (with lines) of one file's text."""
    try:
        data, node = load_yaml(text, source=source)
        if not isinstance(data, dict) or "groups" not in data:
            parse_rule_file(text, source=source, lenient=lenient)  # raises the canonical message
    except RuleFileMalformed as exc:
        line = exc.details.get("line")
        return None, None, [Problem(check="schema", level=Level.ERROR, message=exc.message,
                                    source=source, line=line if isinstance(line, int) else None)]
    try:
        return rule_file_from_data(data, lenient=lenient), node, []
    except SpecInvalid as exc:
        problems = [_schema_problem(p, data, node, source) for p in exc.details.get("problems", [])]
    rule_file: RuleFile | None = None
    if not lenient:
        try:
            rule_file = rule_file_from_data(data, lenient=True)
        except SpecInvalid:
            rule_file = None
    return rule_file, node, problems


def _schema_problem(problem: dict[str, Any], data: Any, node: Node | None, source: str) -> Problem:
    loc = list(problem.get("loc", []))
    group = rule = None
    try:
        if len(loc) >= 2 and loc[0] == "groups":
            group_data = data["groups"][loc[1]]
            group = str(group_data.get("name"))
            if len(loc) >= 4 and loc[2] == "rules":
                rule_data = group_data["rules"][loc[3]]
                rule = str(rule_data.get("alert") or rule_data.get("record"))
    except (KeyError, IndexError, TypeError, AttributeError):
        pass
    return Problem(check="schema", level=Level.ERROR,
                   message=f"{problem.get('path', '')}: {problem.get('message', '')}",
                   rule=rule, group=group, source=source, line=line_of(node, loc))


__all__ = [
    "resolve_scrape_interval",
    "run_rule_tests",
    "validate_files",
    "validate_rule_file",
    "validate_rules",
]
