"""Validation speed beside bare `promtool check rules` on the same file.

Run: .venv/bin/python bench/validate.py [--runs N]
Goals: one rule end to end ≤ 2× bare promtool; 1,000 rules in one batch ≤ 1.5×.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitorgen.adapters.promtool import Promtool  # noqa: E402
from monitorgen.core.promql import clear_analysis_cache  # noqa: E402
from monitorgen.core.rulefile import render_rule_file  # noqa: E402
from monitorgen.core.spec import AlertingRule, RuleFile, RuleGroup  # noqa: E402
from validators.pipeline import validate_files  # noqa: E402


def make_rules(count: int) -> RuleFile:
    rules = [
        AlertingRule.model_validate({
            "alert": f"HighErrorRatio{i}",
            "expr": (
                f'sum by (job) (rate(http_requests_total{{code=~"5..", job="svc{i}"}}[5m])) / '
                f'sum by (job) (rate(http_requests_total{{job="svc{i}"}}[5m])) > 0.05'
            ),
            "for": "10m",
            "labels": {"severity": "warning", "team": "shop"},
            "annotations": {
                "summary": "High error ratio on {{ $labels.job }}",
                "description": "{{ $value | humanizePercentage }} of requests fail",
            },
        })
        for i in range(count)
    ]
    per_group = 10
    groups = [
        RuleGroup(name=f"group-{g}", rules=rules[g * per_group : (g + 1) * per_group])
        for g in range((count + per_group - 1) // per_group)
    ]
    return RuleFile(groups=groups)


def cpu_now() -> tuple[float, float]:
    """CPU seconds used so far by this process and by its finished children (promtool)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), children.ru_utime + children.ru_stime


def medians(
    bare: Callable[[], object], ours: Callable[[], object], runs: int
) -> dict[str, float]:
    """Median wall and CPU seconds of each, runs interleaved so machine load hits both alike."""
    bare()
    ours()  # warm up: imports, version check, page cache
    samples: dict[str, list[float]] = {k: [] for k in ("bare", "ours", "ours_py", "ours_child")}
    for _ in range(runs):
        start = time.perf_counter()
        bare()
        samples["bare"].append(time.perf_counter() - start)
        py0, child0 = cpu_now()
        start = time.perf_counter()
        ours()
        samples["ours"].append(time.perf_counter() - start)
        py1, child1 = cpu_now()
        samples["ours_py"].append(py1 - py0)
        samples["ours_child"].append(child1 - child0)
    return {k: statistics.median(v) for k, v in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    binary = shutil.which("promtool")
    if not binary:
        sys.exit("promtool is not installed")
    promtool = Promtool(binary, timeout=60)
    print(promtool.version())
    with tempfile.TemporaryDirectory() as tmp:
        for label, count, runs, goal in (
            ("1 rule", 1, args.runs, 2.0),
            ("1,000 rules, one batch", 1000, max(5, args.runs // 3), 1.5),
        ):
            path = Path(tmp) / f"rules-{count}.yml"
            path.write_text(render_rule_file(make_rules(count)))

            def bare(path: Path = path) -> object:
                return subprocess.run(
                    [binary, "check", "rules", "--lint=none", str(path)],
                    capture_output=True, check=True,
                )

            def ours(path: Path = path) -> object:
                clear_analysis_cache()  # measure cold analysis, as for a new file
                report = validate_files([path], promtool=promtool)
                assert report.ok, report.problems[:3]
                return report

            result = medians(bare, ours, runs)
            bare_s, ours_s = result["bare"], result["ours"]
            ratio = ours_s / bare_s
            verdict = "ok" if ratio <= goal else "MISSED"
            print(
                f"{label:>24}: validate {ours_s * 1000:8.1f} ms | bare promtool "
                f"{bare_s * 1000:8.1f} ms | ratio {ratio:4.2f}x (goal <= {goal}x: {verdict})"
            )
            print(
                f"{'':>24}  CPU: our Python {result['ours_py'] * 1000:.1f} ms, promtool child "
                f"{result['ours_child'] * 1000:.1f} ms (they overlap; load avg "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
            )


if __name__ == "__main__":
    main()
