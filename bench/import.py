"""Import speed: parsing the four formats, twin detection, and a whole import into the database.

Runs against a throw-away SQLite database with the real promtool. Prints numbers; goals:
parsing any format <= 1.5x core's plain `parse_rule_file` on the same rules (which cannot
report per rule); checking a generated rule against 1,000 live rules <= 50 ms once the
server has seen them (cold is printed too); importing 1,000 rules end to end (parse, validate
with one promtool batch, record each rule in its own savepoint) <= 20 s, and re-importing them
(nothing written) <= 3 s.

    .venv/bin/python bench/import.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="monitorgen-bench-import-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["MONITORGEN_VAR_DIR"] = WORKDIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monitorgen.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402

from monitorgen.accounts.models import Role  # noqa: E402
from monitorgen.accounts.services import team_create, team_member_add, user_role_grant  # noqa: E402
from monitorgen.core.equivalence import canonical_promql, find_equivalent  # noqa: E402
from monitorgen.core.formats.parse import parse_rule_documents  # noqa: E402
from monitorgen.core.promql import clear_analysis_cache  # noqa: E402
from monitorgen.core.rulefile import dump_yaml, parse_rule_file, rule_to_data  # noqa: E402
from monitorgen.core.spec import AlertingRule  # noqa: E402
from monitorgen.rules.importing import ImportSource, rules_import  # noqa: E402

PER_GROUP = 10


def make_rules(count: int) -> list[AlertingRule]:
    return [
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


def groups_of(rules: list[AlertingRule], **extra: str) -> list[dict[str, object]]:
    return [
        {"name": f"group-{g}", **extra,
         "rules": [rule_to_data(r) for r in rules[g * PER_GROUP:(g + 1) * PER_GROUP]]}
        for g in range((len(rules) + PER_GROUP - 1) // PER_GROUP)
    ]


def texts(rules: list[AlertingRule]) -> dict[str, str]:
    operator = dump_yaml({
        "apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
        "metadata": {"name": "bench", "namespace": "shop", "labels": {"role": "alert-rules"}},
        "spec": {"groups": groups_of(rules)},
    })
    configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n"
    return {
        "prometheus": dump_yaml({"groups": groups_of(rules)}),
        "thanos": dump_yaml({"groups": groups_of(rules, partial_response_strategy="warn")}),
        "mimir": dump_yaml({"namespace": "shop", "groups": groups_of(rules)}),
        "operator": f"{configmap}---\n{operator}",
    }


def best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        clear_analysis_cache()  # cold PromQL parses, as for a new file
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    count = 1000
    rules = make_rules(count)
    print(f"== parsing {count} rules (median of 5, cold PromQL cache)")
    all_texts = texts(rules)
    plain = best_of(5, lambda: parse_rule_file(all_texts["prometheus"], source="bench.yml"))
    print(f"{'baseline':>12}: {plain * 1000:7.1f} ms  core parse_rule_file, all or nothing")
    for fmt, text in all_texts.items():
        seconds = best_of(5, lambda text=text: parse_rule_documents(text, source="bench.yml"))
        result = parse_rule_documents(text, source="bench.yml")
        assert result.ok and sum(1 for _ in result.rules()) == count, result.problems[:3]
        ratio = seconds / plain
        verdict = "ok" if ratio <= 1.5 else "MISSED"
        print(f"{fmt:>12}: {seconds * 1000:7.1f} ms, {count / seconds:6.0f} rules/s, "
              f"{ratio:4.2f}x baseline (goal <= 1.5x: {verdict})")

    print(f"== twin detection: one generated rule against {count} live rules of one family")
    live = [(i, rule) for i, rule in enumerate(rules)]
    candidate = rules[-1].model_copy(update={"alert": "Renamed"})
    cold = best_of(5, lambda: (canonical_promql.cache_clear(), find_equivalent(candidate, live)))
    warm: list[float] = []
    for _ in range(5):
        start = time.perf_counter()
        found = find_equivalent(candidate, live)
        warm.append(time.perf_counter() - start)
    assert [m.item for m in found] == [count - 1]
    seconds = statistics.median(warm)
    verdict = "ok" if seconds <= 0.05 else "MISSED"
    print(f"{'warm':>12}: {seconds * 1000:7.1f} ms (goal <= 50 ms: {verdict})")
    print(f"{'cold':>12}: {cold * 1000:7.1f} ms (first request after a start: every expr parsed)")

    print(f"== importing {count} rules into SQLite with promtool")
    call_command("migrate", verbosity=0)
    team = team_create(slug="shop", name="Shop")
    user = User.objects.create_user("importer")  # no password: it never signs in
    user_role_grant(user=user, role=Role.AUTHOR)
    user_role_grant(user=user, role=Role.REVIEWER)
    team_member_add(team=team, user=user)
    source = ImportSource("rules.yml", texts(rules)["prometheus"], commit="0" * 40)
    for label, goal, expected in (("first import", 20.0, "imported"), ("re-import", 3.0, "unchanged")):
        clear_analysis_cache()
        start = time.perf_counter()
        report = rules_import(team=team, sources=[source], actor=user)
        seconds = time.perf_counter() - start
        assert report.ok and report.counts[expected] == count, report.summary()
        verdict = "ok" if seconds <= goal else "MISSED"
        print(
            f"{label:>12}: {seconds:6.2f} s, {count / seconds:6.0f} rules/s "
            f"(goal <= {goal:g} s: {verdict}); {report.summary()}"
        )
    shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
