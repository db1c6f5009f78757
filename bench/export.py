"""Time GitOps exports of 5,000 approved rules across 50 groups.

Builds a throw-away SQLite database (rows made with bulk_create) and a fresh bare repository,
then times `export_run` end to end (render, promtool, git commit and push, marking versions
exported, recording the run):

1. the first export to the empty repository (goal <= 5 s);
2. a re-export after one rule changed (goal <= 1 s);
3. a re-export with nothing changed (no commit).

    .venv/bin/python bench/export.py [--rules 5000] [--groups 50] [--format prometheus]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="monitorgen-bench-export-")
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
from monitorgen.core.rulefile import render_rules, rule_to_data  # noqa: E402
from monitorgen.core.spec import AlertingRule  # noqa: E402
from monitorgen.exports.services import export_run, export_target_create  # noqa: E402
from monitorgen.rules.models import ReviewEvent, Rule, RuleVersion  # noqa: E402
from monitorgen.rules.services import (  # noqa: E402
    _content_sha256,
    rule_version_approve,
    rule_version_create,
    rule_version_submit,
)
from monitorgen.rules.transitions import Action, VersionState  # noqa: E402

GOAL_FIRST, GOAL_CHANGED = 5.0, 1.0
VALID = {"ok": True, "steps": ["schema", "lint", "promtool"], "problems": []}


def spec(index: int, threshold: str = "0.05") -> AlertingRule:
    return AlertingRule.model_validate(
        {
            "alert": f"Service{index}HighErrorRate",
            "expr": f'sum(rate(http_requests_total{{service="svc-{index}",code=~"5.."}}[5m])) '
            f'/ sum(rate(http_requests_total{{service="svc-{index}"}}[5m])) > {threshold}',
            "for": "10m",
            "labels": {"severity": "critical" if index % 3 else "warning"},
            "annotations": {
                "summary": f"svc-{index} answers too many requests with errors.",
                "description": "The 5xx ratio is {{ $value | humanizePercentage }}.",
                "runbook_url": f"https://runbooks.example.com/svc-{index}",
            },
        }
    )


def build(rules: int, groups: int) -> tuple[User, User]:
    call_command("migrate", verbosity=0)
    team = team_create(slug="platform", name="Platform")
    author = User.objects.create_user("author")
    reviewer = User.objects.create_user("reviewer")
    user_role_grant(user=author, role=Role.AUTHOR)
    user_role_grant(user=reviewer, role=Role.REVIEWER)
    for user in (author, reviewer):
        team_member_add(team=team, user=user)
    rows = Rule.objects.bulk_create(
        [Rule(team=team, group=f"group-{i % groups:02d}", name=spec(i).alert, kind="alert",
              created_by=author) for i in range(rules)],
        batch_size=1000,
    )
    versions = []
    for i, rule in enumerate(rows):
        text = render_rules([spec(i)], group=rule.group)
        versions.append(RuleVersion(
            rule=rule, number=1, state=VersionState.APPROVED, spec=rule_to_data(spec(i)),
            yaml=text, content_sha256=_content_sha256(text), valid=True, validation=VALID,
            created_by=author,
        ))
    created = RuleVersion.objects.bulk_create(versions, batch_size=1000)
    ReviewEvent.objects.bulk_create(
        [ReviewEvent(version=v, action=Action.APPROVE, from_state=VersionState.IN_REVIEW,
                     to_state=VersionState.APPROVED, actor=reviewer) for v in created],
        batch_size=1000,
    )
    return author, reviewer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--format", default="prometheus")
    args = parser.parse_args()

    author, reviewer = build(args.rules, args.groups)
    admin = User.objects.create_superuser("admin")
    remote = Path(WORKDIR) / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    target = export_target_create(actor=admin, name="bench", repo_url=str(remote),
                                  format=args.format)
    print(f"{args.rules} approved rules in {args.groups} groups, format {args.format}")

    started = time.perf_counter()
    first = export_run(target=target, actor=admin)
    first_seconds = time.perf_counter() - started
    assert first.status == "committed", first.message

    version = rule_version_create(team=Rule.objects.first().team, group="group-00",  # type: ignore[union-attr]
                                  spec=spec(0, threshold="0.01"), author=author, validation=VALID)
    rule_version_submit(version=version, actor=author)
    rule_version_approve(version=version, reviewer=reviewer)
    started = time.perf_counter()
    second = export_run(target=target, actor=admin)
    changed_seconds = time.perf_counter() - started
    assert second.status == "committed" and second.summary["files_written"] == [
        "rules/platform/group-00.yml"
    ], second.summary

    started = time.perf_counter()
    third = export_run(target=target, actor=admin)
    unchanged_seconds = time.perf_counter() - started
    assert third.status == "unchanged"

    def verdict(seconds: float, goal: float) -> str:
        return "ok" if seconds <= goal else "OVER GOAL"

    print(f"first export to a fresh repository: {first_seconds:6.2f} s "
          f"(goal <= {GOAL_FIRST:g} s: {verdict(first_seconds, GOAL_FIRST)})")
    print(f"re-export with 1 rule changed:      {changed_seconds:6.2f} s "
          f"(goal <= {GOAL_CHANGED:g} s: {verdict(changed_seconds, GOAL_CHANGED)})")
    print(f"re-export with nothing changed:     {unchanged_seconds:6.2f} s (no commit)")


if __name__ == "__main__":
    main()
