"""Two reviewers acting at the same moment cannot both win an incompatible transition.

This needs real concurrent transactions, so it runs on PostgreSQL (the PostgreSQL leg of
scripts/test.sh); SQLite serialises all writers and cannot show the race.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from monitorgen.core.errors import MonitorgenError
from monitorgen.rules.models import ReviewEvent, RuleVersion
from monitorgen.rules.services import (
    rule_version_approve,
    rule_version_create,
    rule_version_reject,
    rule_version_submit,
)
from monitorgen.rules.transitions import Action, VersionState
from tests.rules.conftest import VALID, latency_rule

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL (set DATABASE_URL; scripts/test.sh does)")


def _race(*actions):
    """Run the actions in threads released together; return each one's result or error."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except MonitorgenError as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_only_one_of_an_approval_and_a_rejection_at_the_same_moment_wins(team, alice, bob, carol):
    for _ in range(5):
        version = rule_version_submit(
            version=rule_version_create(team=team, group="g", spec=latency_rule(), author=alice,
                                        validation=VALID),
            actor=alice,
        )
        outcomes = _race(
            lambda v=version: rule_version_approve(version=v, reviewer=bob),
            lambda v=version: rule_version_reject(version=v, reviewer=carol, comment="no"),
        )
        errors = [o for o in outcomes if isinstance(o, MonitorgenError)]
        assert len(errors) == 1, outcomes
        final = RuleVersion.objects.get(pk=version.pk).state
        assert final in (VersionState.APPROVED, VersionState.REJECTED)
        moves = ReviewEvent.objects.filter(version=version).exclude(
            action__in=[Action.CREATE, Action.SUBMIT]
        )
        assert moves.count() == 1 and moves.get().to_state == final


def test_two_approvals_at_the_same_moment_record_exactly_one_transition(team, alice, bob, carol):
    version = rule_version_submit(
        version=rule_version_create(team=team, group="g", spec=latency_rule(), author=alice,
                                    validation=VALID),
        actor=alice,
    )
    outcomes = _race(
        lambda: rule_version_approve(version=version, reviewer=bob),
        lambda: rule_version_approve(version=version, reviewer=carol),
    )
    assert sum(isinstance(o, MonitorgenError) for o in outcomes) == 1, outcomes
    assert ReviewEvent.objects.filter(version=version, action=Action.APPROVE).count() == 1
    assert RuleVersion.objects.get(pk=version.pk).state == VersionState.APPROVED
