"""Benchmark synthesised unit tests on the rules the embedded generator writes for a case set.

For every answered case (static validation only, to collect rules fast) it synthesises a
promtool test suite, runs all suites in ONE `promtool test rules` call, then runs the same
suites against mutated rules (comparator flipped, threshold doubled and halved, `for` doubled
and halved) that they must fail. Prints: suites made, why the others were not, synthesis time
per rule, promtool time, suites passing, mutants killed.

    .venv/bin/python bench/unittests.py [--cases PATH] [--limit N] [--no-mutants]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CASES = Path("/work/shared/benchmarks/awesome/cases.yaml")
_NEGATED = {">": "<=", "<": ">=", ">=": "<", "<=": ">", "==": "!=", "!=": "=="}


def _mutants(rule: Any, suite: Any) -> dict[str, str]:
    """Rule files that differ from the tested one in threshold, comparator or `for`."""
    from monitorgen.core.durations import format_duration_seconds, parse_duration_seconds
    from monitorgen.core.unittests import _Synthesizer, number_text

    shape = _Synthesizer(rule, None, 60.0)
    if shape.shape() != "threshold" or shape.guard is not None or shape.relation is not None:
        return {}
    value, op, c = str(shape.value_node), shape.op, shape.threshold
    exprs = {"comparator flipped": f"({value}) {_NEGATED[op]} {number_text(c)}"}
    if c != 0:
        exprs["threshold x2"] = f"({value}) {op} {number_text(c * 2)}"
        exprs["threshold x0.5"] = f"({value}) {op} {number_text(c / 2)}"
    out: dict[str, str] = {}
    data = yaml.safe_load(suite.rule_text)
    for name, expr in exprs.items():
        changed = json.loads(json.dumps(data))
        changed["groups"][0]["rules"][0]["expr"] = expr
        out[name] = yaml.safe_dump(changed)
    hold = parse_duration_seconds(rule.for_) if rule.for_ else 0.0
    if hold >= 120:
        for name, factor in (("for x2", 2.0), ("for x0.5", 0.5)):
            changed = json.loads(json.dumps(data))
            changed["groups"][0]["rules"][0]["for"] = format_duration_seconds(hold * factor)
            out[name] = yaml.safe_dump(changed)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--catalog-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--no-mutants", action="store_true")
    args = parser.parse_args()

    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monitorgen.settings")
    django.setup()

    from monitorgen.adapters.promtool import Promtool
    from monitorgen.core.catalog_io import load_catalog_file
    from monitorgen.core.generation.result import GenerationRequest, Status
    from monitorgen.core.rulefile import rule_to_data
    from monitorgen.core.unittests import synthesize
    from monitorgen.generation.service import default_validator, generate, get_generator

    cases = yaml.safe_load(args.cases.read_text())
    if args.limit:
        cases = cases[: args.limit]
    catalog_dir = args.catalog_dir or args.cases.parent / "catalogs"
    catalogs: dict[str, Any] = {}
    generator = get_generator("embedded")
    static = default_validator(run_promtool=False)
    rules: dict[str, tuple[Any, Any]] = {}  # distinct rules → (rule, catalog)
    for case in cases:
        slug = case["catalog"]
        if slug not in catalogs:
            catalogs[slug] = load_catalog_file(catalog_dir / f"{slug}.yaml")
        result = generate(GenerationRequest(intent=case["intent"], catalog=catalogs[slug]),
                          generator=generator, validate=static)
        if result.status is Status.OK:
            for rule in result.rules:
                rules.setdefault(json.dumps(rule_to_data(rule), sort_keys=True),
                                 (rule, catalogs[slug]))

    timings: list[float] = []
    reasons: Counter[str] = Counter()
    runs: dict[str, tuple[str, dict[str, str]]] = {}
    mutant_kind: dict[str, str] = {}
    cases_per_suite: Counter[int] = Counter()
    for index, (rule, catalog) in enumerate(rules.values()):
        started = time.perf_counter()
        synthesis = synthesize(rule, catalog=catalog, scrape_interval=catalog.scrape_interval)
        timings.append((time.perf_counter() - started) * 1000)
        suite = synthesis.suite
        if suite is None:
            reasons[synthesis.reason] += 1
            continue
        cases_per_suite[len(suite.cases)] += 1
        runs[f"{index}"] = (suite.text, {suite.rule_file_name: suite.rule_text})
        if not args.no_mutants:
            for name, text in _mutants(rule, suite).items():
                key = f"{index}/{name}"
                runs[key] = (suite.text, {suite.rule_file_name: text})
                mutant_kind[key] = name

    promtool = Promtool(timeout=1800)
    started = time.perf_counter()
    results = promtool.start_test_rules(runs).result().files if runs else {}
    promtool_seconds = time.perf_counter() - started

    suites = [k for k in results if "/" not in k]
    passing = [k for k in suites if results[k].ok]
    killed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for key, kind in mutant_kind.items():
        total[kind] += 1
        killed[kind] += not results[key].ok
    made = len(suites)
    timings.sort()
    print(f"{len(rules)} distinct generated rules from {len(cases)} cases")
    print(f"suites synthesised: {made} ({100.0 * made / max(1, len(rules)):.1f}%), cases per suite "
          + ", ".join(f"{n}: {c}" for n, c in sorted(cases_per_suite.items())))
    print(f"synthesis per rule: median {statistics.median(timings) if timings else 0:.1f} ms, "
          f"p95 {timings[int(0.95 * (len(timings) - 1))] if timings else 0:.1f} ms, "
          f"max {timings[-1] if timings else 0:.1f} ms")
    print(f"suites passing promtool: {len(passing)}/{made}; promtool ran {len(runs)} test files "
          f"in one call, {promtool_seconds:.1f} s")
    for kind in sorted(total):
        print(f"mutants killed ({kind}): {killed[kind]}/{total[kind]}")
    for reason, count in reasons.most_common():
        print(f"not synthesised ({count}): {reason}")
    failing = [k for k in suites if not results[k].ok]
    for key in failing[:5]:
        print(f"FAILED suite {key}:\n{results[key].output[:1500]}")
    return 1 if failing else 0


if __name__ == "__main__":
    raise SystemExit(main())
