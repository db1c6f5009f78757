"""Personas and a team for the review workflow tests."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from monitorgen.accounts.models import Role, Team
from monitorgen.accounts.services import team_create, team_member_add, user_role_grant
from monitorgen.core.spec import AlertingRule


def make_user(username: str, *roles: Role, team: Team | None = None) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    for role in roles:
        user_role_grant(user=user, role=role)
    if team is not None:
        team_member_add(team=team, user=user)
    return user


@pytest.fixture
def team(db) -> Team:
    return team_create(slug="payments", name="Payments")


@pytest.fixture
def alice(team) -> User:
    """An author in the payments team."""
    return make_user("alice", Role.AUTHOR, team=team)


@pytest.fixture
def bob(team) -> User:
    """A reviewer in the payments team."""
    return make_user("bob", Role.REVIEWER, team=team)


@pytest.fixture
def carol(team) -> User:
    """A second reviewer in the payments team."""
    return make_user("carol", Role.REVIEWER, team=team)


@pytest.fixture
def dave(db) -> User:
    """A reviewer who is not in the payments team."""
    return make_user("dave", Role.REVIEWER)


def latency_rule(threshold: str = "0.5", for_: str = "10m") -> AlertingRule:
    return AlertingRule.model_validate(
        {
            "alert": "CheckoutHighLatency",
            "expr": "histogram_quantile(0.99, sum by (le) "
            f'(rate(http_request_duration_seconds_bucket{{service="checkout"}}[5m]))) > {threshold}',
            "for": for_,
            "labels": {"severity": "critical"},
            "annotations": {"summary": "Checkout is slow.", "description": "p99 is {{ $value }}s."},
        }
    )


VALID = {"ok": True, "steps": ["schema", "lint", "grounding", "promtool"], "problems": []}
INVALID = {
    "ok": False,
    "steps": ["schema", "promtool"],
    "problems": [{"check": "promtool/check", "level": "error", "message": "bad"}],
}
