"""Two imports of the same new rule at the same moment record one baseline, not two.

Needs real concurrent transactions, so it runs on PostgreSQL (scripts/test.sh's second leg).
"""

from __future__ import annotations

import pytest
from django.db import connection

from monitorgen.accounts.models import Role
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import rule_version_import_baseline
from monitorgen.rules.transitions import VersionState
from tests.rules.conftest import VALID, latency_rule, make_user
from tests.rules.test_concurrency import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL (set DATABASE_URL; scripts/test.sh does)")


def test_simultaneous_imports_of_one_new_rule_record_it_once(team):
    ivy = make_user("ivy", Role.AUTHOR, Role.REVIEWER, team=team)
    for round_ in range(5):

        def importing(round_=round_):
            return rule_version_import_baseline(
                team=team, group=f"g{round_}", spec=latency_rule(), actor=ivy,
                provenance={"generator": "import"}, validation=VALID,
            ).outcome

        outcomes = _race(importing, importing)
        assert sorted(outcomes) == ["imported", "unchanged"], outcomes
        versions = RuleVersion.objects.filter(rule__group=f"g{round_}")
        assert [(v.number, v.state) for v in versions] == [(1, VersionState.APPROVED)]
