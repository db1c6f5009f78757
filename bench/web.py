"""Server time and query count of the busiest web pages, with 10,000 versions in the database.

Runs against a throw-away SQLite database (data made with bulk_create), through Django's test
client, counting queries with CaptureQueriesContext. Goals: <= 150 ms per page and the same
number of queries with 100 versions as with 10,000.

    .venv/bin/python bench/web.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="monitorgen-bench-web-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["MONITORGEN_VAR_DIR"] = WORKDIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monitorgen.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from monitorgen.accounts.models import Role, Team  # noqa: E402
from monitorgen.accounts.services import team_create, team_member_add, user_role_grant  # noqa: E402
from monitorgen.core.rulefile import render_rules, rule_to_data  # noqa: E402
from monitorgen.core.spec import AlertingRule  # noqa: E402
from monitorgen.rules.models import ReviewEvent, Rule, RuleVersion  # noqa: E402
from monitorgen.rules.transitions import Action, VersionState  # noqa: E402

TOTAL = 10_000
SMALL = 100
GOAL_MS = 150.0
RUNS = 15

SPEC = AlertingRule.model_validate(
    {
        "alert": "CheckoutHighLatency",
        "expr": "histogram_quantile(0.99, sum by (le) "
        '(rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))) > 0.5',
        "for": "10m",
        "labels": {"severity": "critical"},
        "annotations": {"summary": "Checkout is slow.", "description": "p99 is {{ $value }}s."},
    }
)
VALID = {"ok": True, "steps": ["schema", "lint", "grounding", "promtool"], "problems": []}


def add_versions(rule: Rule, author: User, start: int, count: int) -> None:
    data, yaml_text = rule_to_data(SPEC), render_rules([SPEC], group=rule.group)
    versions = [
        RuleVersion(
            rule=rule, number=n, state=VersionState.IN_REVIEW, spec=data, yaml=yaml_text,
            content_sha256=f"{n:064d}", intent="page me if checkout is slow",
            provenance={"generator": "embedded"}, validation=VALID, valid=True, created_by=author,
        )
        for n in range(start, start + count)
    ]
    created = RuleVersion.objects.bulk_create(versions, batch_size=1000)
    ReviewEvent.objects.bulk_create(
        [
            ReviewEvent(version=v, action=Action.SUBMIT, from_state=VersionState.DRAFT,
                        to_state=VersionState.IN_REVIEW, actor=author)
            for v in created
        ],
        batch_size=1000,
    )


def measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm caches (templates, sessions)
    times = []
    queries = 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(times), queries


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    team: Team = team_create(slug="payments", name="Payments")
    author = User.objects.create_user("author")
    reviewer = User.objects.create_user("reviewer")
    user_role_grant(user=author, role=Role.AUTHOR)
    user_role_grant(user=reviewer, role=Role.REVIEWER)
    for user in (author, reviewer):
        team_member_add(team=team, user=user)
    rule = Rule.objects.create(team=team, group="checkout", name=SPEC.name, created_by=author)

    client = Client()
    client.force_login(reviewer)
    add_versions(rule, author, 1, SMALL)
    last = RuleVersion.objects.order_by("-number").first()
    assert last is not None
    pages = {
        "review queue": "/queue/",
        "review queue, last page": "/queue/?page=last",
        "rule page": f"/rules/{rule.pk}/",
        "rule page, last page": f"/rules/{rule.pk}/?page=last",
        "version page": f"/versions/{last.pk}/",
        "dashboard": "/",
    }
    small = {name: measure(client, url) for name, url in pages.items()}
    add_versions(rule, author, SMALL + 1, TOTAL - SMALL)
    count = RuleVersion.objects.count()
    large = {name: measure(client, url) for name, url in pages.items()}

    print(f"web pages, median of {RUNS} requests (SQLite, Django test client)")
    print(f"{'page':<26}{'ms @' + str(SMALL):>10}{'q @' + str(SMALL):>8}"
          f"{'ms @' + str(count):>12}{'q @' + str(count):>10}  verdict")
    failed = False
    for name in pages:
        (ms_small, q_small), (ms_large, q_large) = small[name], large[name]
        ok = ms_large <= GOAL_MS and q_large == q_small
        failed |= not ok
        print(f"{name:<26}{ms_small:>10.1f}{q_small:>8}{ms_large:>12.1f}{q_large:>10}  "
              f"{'ok' if ok else 'MISSED'}")
    print(f"goal: <= {GOAL_MS:.0f} ms at {count} versions, constant query count")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
