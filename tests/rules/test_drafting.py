"""Generating drafts: a rule equivalent to a live rule of the team is linked, not duplicated."""

from __future__ import annotations

import pytest

from monitorgen.accounts.services import team_create, team_member_add
from monitorgen.catalogs.services import catalog_import_file, fixtures_dir
from monitorgen.core.generation.result import GenerationResult, Provenance, Status
from monitorgen.core.spec import AlertingRule
from monitorgen.rules import drafting
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import rule_version_approve, rule_version_create, rule_version_submit
from tests.rules.conftest import VALID, latency_rule

pytestmark = pytest.mark.django_db

INTENT = "page me if checkout p99 latency is over 500ms for 10 minutes"


@pytest.fixture
def catalog(db):
    return catalog_import_file(path=fixtures_dir() / "http-service.yaml", slug="http-service")


@pytest.fixture
def generated(monkeypatch):
    """The generator answers `generated.rules` (set by each test) instead of generating."""

    class Canned:
        rules: list = []

    def fake(request, generator):
        return GenerationResult(
            status=Status.OK, rules=list(Canned.rules), validation=VALID,
            provenance=Provenance(generator="embedded"),
        )

    monkeypatch.setattr(drafting, "_generate", fake)
    return Canned


def approved(team, author, reviewer, rule, group="checkout"):
    version = rule_version_create(team=team, group=group, spec=rule, author=author, validation=VALID)
    return rule_version_approve(version=rule_version_submit(version=version, actor=author), reviewer=reviewer)


def generate(team, author):
    return drafting.rule_draft_generate(
        team=team, group="latency", intent=INTENT, catalog_slug="http-service", author=author
    )


def rewritten(rule: AlertingRule, **changes) -> AlertingRule:
    return rule.model_copy(update=changes)


def test_a_generated_twin_of_a_live_rule_is_not_saved_and_links_the_live_version(
    team, alice, bob, catalog, generated
):
    live = approved(team, alice, bob, latency_rule())
    # The same condition, written differently and named differently.
    generated.rules = [
        rewritten(
            latency_rule(),
            alert="CheckoutP99Slow",
            expr="0.5 < histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket"
            '{service="checkout"}[300s])) by (le))',
        )
    ]
    outcome = generate(team, alice)
    assert outcome.versions == []
    assert outcome.duplicate_of == {"CheckoutP99Slow": live}
    assert RuleVersion.objects.count() == 1


def test_a_rule_that_differs_in_threshold_is_saved_as_a_draft(team, alice, bob, catalog, generated):
    approved(team, alice, bob, latency_rule("0.5"))
    generated.rules = [latency_rule("0.8")]
    outcome = generate(team, alice)
    assert outcome.duplicate_of == {}
    (version,) = outcome.versions
    assert (version.state, version.rule.group, version.spec["expr"].endswith("> 0.8")) == (
        "draft", "latency", True,
    )


def test_only_the_twins_of_several_generated_rules_are_left_out(team, alice, bob, catalog, generated):
    live = approved(team, alice, bob, latency_rule("0.5"))
    warning = rewritten(latency_rule("0.3"), alert="CheckoutLatencyWarning",
                        labels={"severity": "warning"})
    generated.rules = [rewritten(latency_rule("0.5"), alert="CheckoutLatencyPage"), warning]
    outcome = generate(team, alice)
    assert outcome.duplicate_of == {"CheckoutLatencyPage": live}
    assert [v.rule.name for v in outcome.versions] == ["CheckoutLatencyWarning"]


def test_drafts_and_other_teams_rules_are_not_twins(team, alice, bob, catalog, generated):
    rule_version_create(team=team, group="checkout", spec=latency_rule(), author=alice, validation=VALID)
    other = team_create(slug="search", name="Search")
    team_member_add(team=other, user=alice)
    team_member_add(team=other, user=bob)
    approved(other, alice, bob, latency_rule())
    generated.rules = [latency_rule()]
    outcome = generate(team, alice)
    assert outcome.duplicate_of == {} and len(outcome.versions) == 1


@pytest.mark.promtool
def test_an_imported_baseline_counts_as_live(team, alice, catalog, generated):
    from monitorgen.accounts.models import Role
    from monitorgen.rules.importing import ImportSource, rules_import
    from tests.rules.conftest import make_user

    ivy = make_user("ivy", Role.AUTHOR, Role.REVIEWER, team=team)
    text = (
        "groups:\n  - name: imported\n    rules:\n      - alert: Legacy\n        expr: >-\n"
        "          histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket"
        '{service="checkout"}[5m]))) > 0.5\n        for: 10m\n        labels: {severity: critical}\n'
    )
    rules_import(team=team, sources=[ImportSource("legacy.yml", text)], actor=ivy)
    generated.rules = [latency_rule()]
    outcome = generate(team, alice)
    legacy = RuleVersion.objects.get(rule__name="Legacy")
    assert outcome.duplicate_of == {"CheckoutHighLatency": legacy} and outcome.versions == []
