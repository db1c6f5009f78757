"""Personas, approved rules and real git remotes for the export tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from monitorgen.accounts.models import Role, Team
from monitorgen.core.spec import AlertingRule, AnyRule, rule_from_data
from monitorgen.exports import services as export_services
from monitorgen.exports.models import ExportTarget
from monitorgen.exports.services import export_target_create
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import (
    rule_version_approve,
    rule_version_create,
    rule_version_submit,
)
from tests.git_repos import bare_repo
from tests.rules import conftest as personas
from tests.rules.conftest import VALID, make_user

# alice (author), bob and carol (reviewers) in team "payments"; dave (reviewer) outside it.
team = personas.team
alice = personas.alice
bob = personas.bob
carol = personas.carol
dave = personas.dave


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path: Path) -> None:
    # Each test gets its own working copies (they live under VAR_DIR).
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def _no_hook(monkeypatch) -> None:
    monkeypatch.setattr(export_services, "BEFORE_PUSH", None)


@pytest.fixture
def admin(db) -> User:
    return make_user("root", Role.ADMIN)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_repo(tmp_path / "remote.git")


def alert(name: str, threshold: str = "0.5", **extra) -> AnyRule:
    return AlertingRule.model_validate(
        {
            "alert": name,
            "expr": f'sum(rate(http_requests_total{{code=~"5..",service="{name.lower()}"}}[5m])) '
            f"/ sum(rate(http_requests_total[5m])) > {threshold}",
            "for": "10m",
            "labels": {"severity": "critical"},
            "annotations": {"summary": f"{name} errors.", "description": "Ratio is {{ $value }}."},
            **extra,
        }
    )


def record(name: str) -> AnyRule:
    return rule_from_data({"record": name, "expr": "sum by (job) (rate(http_requests_total[5m]))"})


def approved(
    team: Team, author: User, reviewer: User, spec: AnyRule, group: str = "checkout"
) -> RuleVersion:
    version = rule_version_create(team=team, group=group, spec=spec, author=author, validation=VALID)
    rule_version_submit(version=version, actor=author)
    return rule_version_approve(version=version, reviewer=reviewer)


@pytest.fixture
def target(admin, remote, team) -> ExportTarget:
    """A Prometheus-format target for the payments team, writing rules/{team}/{group}.yml."""
    return export_target_create(actor=admin, name="prod", repo_url=str(remote), team=team)
