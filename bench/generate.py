"""Benchmark the embedded generator on a labelled case set (development set by default).

Runs every case through `monitorgen.generation.service.generate` (the same loop the CLI uses,
full validation including promtool) and prints answered %, promtool-valid % of answered,
metric-family match vs the reference, and latency per intent, on the core subset and overall.

    .venv/bin/python bench/generate.py [--cases PATH] [--limit N] [--split even|odd]
                                       [--failures FAMILY] [--show N] [--dump FILE]

Tune on one half of the development set and check on the other: a case belongs to the `even`
half when `zlib.crc32(id) % 2 == 0`, else to `odd`. Figures are printed for both halves;
`--split` runs one half only.

Metric-family match (the correctness measure): the set of metric families on the *value side*
of the generated expression equals that of the reference. The value side skips the right-hand
operand of `and`/`unless` (filters and guards such as `and x_max > 0`); families are catalog
families (`x_bucket` -> `x`) with a trailing `_total` ignored (OpenMetrics counter names);
`*_info` families used only as metadata joins are ignored when other families remain.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import promql_parser
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CASES = Path("/work/shared/benchmarks/awesome/cases.yaml")

DEFINITION = (
    "metric-family match = the families on the value side of the generated expr (left of "
    "and/unless; x_bucket->x; _total ignored; *_info joins ignored) equal the reference's"
)


def _selectors(node: Any, out: set[str]) -> None:
    kind = type(node).__name__
    if kind == "VectorSelector":
        if node.name:
            out.add(node.name)
    elif kind == "MatrixSelector":
        _selectors(node.vector_selector, out)
    elif kind == "BinaryExpr":
        _selectors(node.lhs, out)
        if str(node.op) not in ("and", "unless"):
            _selectors(node.rhs, out)
    elif kind == "Call":
        for arg in node.args:
            _selectors(arg, out)
    elif kind in ("AggregateExpr", "ParenExpr", "UnaryExpr", "SubqueryExpr"):
        _selectors(node.expr, out)


def families(expr: str, catalog: Any) -> frozenset[str]:
    try:
        tree = promql_parser.parse(expr)
    except (ValueError, RuntimeError):
        return frozenset()
    names: set[str] = set()
    _selectors(tree, names)
    result: set[str] = set()
    for name in names:
        metric = catalog.family(name) if catalog is not None else None
        family = metric.name if metric is not None else name
        result.add(family.removesuffix("_total"))
    non_info = {f for f in result if not f.endswith("_info")}
    return frozenset(non_info or result)


def half_of(case_id: str) -> str:
    """The split a case belongs to: `even` (tune on it) or `odd` (check on it)."""
    return "even" if zlib.crc32(case_id.encode()) % 2 == 0 else "odd"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--catalog-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--split", choices=("even", "odd"), default=None,
                        help="run one half only (even: tuning half, odd: check half)")
    parser.add_argument("--no-promtool", action="store_true", help="static validation only")
    parser.add_argument("--failures", default=None,
                        help="print wrong answers ('wrong'), questions ('clarify') or a family")
    parser.add_argument("--show", type=int, default=30)
    parser.add_argument("--dump", default=None, help="write per-case rows as JSON here")
    args = parser.parse_args()

    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monitorgen.settings")
    django.setup()

    from monitorgen.core.catalog_io import load_catalog_file
    from monitorgen.core.generation.result import GenerationRequest, Status
    from monitorgen.generation.service import default_validator, generate, get_generator

    cases = yaml.safe_load(args.cases.read_text())
    if args.split:
        cases = [c for c in cases if half_of(c["id"]) == args.split]
    if args.limit:
        cases = cases[: args.limit]
    catalog_dir = args.catalog_dir or args.cases.parent / "catalogs"
    catalogs: dict[str, Any] = {}
    generator = get_generator("embedded")
    validate = default_validator(run_promtool=not args.no_promtool)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for case in cases:
        slug = case["catalog"]
        if slug not in catalogs:
            catalogs[slug] = load_catalog_file(catalog_dir / f"{slug}.yaml")
        catalog = catalogs[slug]
        t0 = time.perf_counter()
        result = generate(GenerationRequest(intent=case["intent"], catalog=catalog),
                          generator=generator, validate=validate)
        elapsed = time.perf_counter() - t0
        meta = case.get("meta") or {}
        core = not meta.get("threshold_not_in_intent") and not meta.get("description_repeats_name")
        row: dict[str, Any] = {"id": case["id"], "intent": case["intent"], "core": core,
                               "half": half_of(case["id"]),
                               "status": result.status.value, "ms": elapsed * 1000,
                               "family": result.provenance.intent_family}
        if result.status is Status.OK:
            expr = result.rules[0].expr
            ref = (case.get("reference") or {}).get("expr", "")
            got, want = families(expr, catalog), families(ref, catalog)
            row.update(evidence=result.provenance.parameters.get("evidence"))
            row.update(expr=expr, ref=ref, correct=bool(got) and got == want,
                       valid=bool(result.validation.get("ok")))
        else:
            row.update(message=result.message,
                       questions=[q.text for q in result.questions])
        rows.append(row)
    total_s = time.perf_counter() - started

    print(DEFINITION)
    print(f"{len(rows)} cases in {total_s:.1f}s (promtool {'off' if args.no_promtool else 'on'})")
    for label, subset in (("core", [r for r in rows if r["core"]]), ("all", rows)):
        _report(label, subset)
    for half in ("even", "odd"):
        for label, subset in (("core", [r for r in rows if r["core"]]), ("all", rows)):
            picked = [r for r in subset if r["half"] == half]
            if picked:
                _report(f"{label} {half}", picked)
    _by_family("by family (answered)", rows)
    for half in ("even", "odd"):
        _by_family(f"by family, {half} half", [r for r in rows if r["half"] == half])
    if args.dump:
        import json

        Path(args.dump).write_text(json.dumps(rows, indent=1))
    if args.failures:
        _show_failures(rows, args.failures, args.show)
    return 0


def _by_family(title: str, rows: list[dict[str, Any]]) -> None:
    by_family: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row["status"] == "ok":
            by_family[row["family"] or "?"]["correct" if row["correct"] else "wrong"] += 1
    if by_family:
        print(f"{title}:", ", ".join(
            f"{f} {c['correct']}/{c['correct'] + c['wrong']}" for f, c in sorted(by_family.items())))


def _report(label: str, rows: list[dict[str, Any]]) -> None:
    n = len(rows)
    answered = [r for r in rows if r["status"] == "ok"]
    valid = [r for r in answered if r["valid"]]
    correct = [r for r in answered if r["correct"]]
    latencies = sorted(r["ms"] for r in rows)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    pct = lambda a, b: 100.0 * a / b if b else 0.0  # noqa: E731
    print(
        f"[{label}] n={n} answered {pct(len(answered), n):.1f}% | promtool-valid of answered "
        f"{pct(len(valid), len(answered)):.1f}% | answered-and-correct "
        f"{pct(len(correct), n):.1f}% | correct-when-answered "
        f"{pct(len(correct), len(answered)):.1f}% | latency median "
        f"{statistics.median(latencies) if latencies else 0:.1f} ms, p95 {p95:.1f} ms"
    )


def _show_failures(rows: list[dict[str, Any]], which: str, limit: int) -> None:
    if which == "wrong":
        picked = [r for r in rows if r["status"] == "ok" and not r["correct"]]
    elif which == "clarify":
        picked = [r for r in rows if r["status"] != "ok" and r["core"]]
    else:
        picked = [r for r in rows if r["status"] == "ok" and not r["correct"]
                  and r["family"] == which]
    for row in picked[:limit]:
        print("-", row["intent"][:150])
        if row["status"] == "ok":
            print("   got:", row["expr"][:160])
            print("   ref:", row["ref"][:160])
        else:
            print("   ", row["status"], row.get("message", ""), row.get("questions"))


if __name__ == "__main__":
    raise SystemExit(main())
