"""Importing rule files as approved baselines: real validation (promtool), per-rule writes."""

from __future__ import annotations

import textwrap

import pytest

from monitorgen.accounts.models import Role
from monitorgen.core.errors import InvalidInput, PermissionDenied
from monitorgen.rules.importing import ImportSource, rules_import
from monitorgen.rules.models import ReviewEvent, Rule, RuleVersion
from monitorgen.rules.services import rule_version_approve, rule_version_rollback
from monitorgen.rules.transitions import Action, VersionState
from tests.rules.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]

GOOD = textwrap.dedent(
    """\
    groups:
      - name: checkout
        rules:
          - alert: CheckoutDown
            expr: up{job="checkout"} == 0
            for: 5m
            labels:
              severity: critical
            annotations:
              summary: Checkout is down.
              description: "{{ $labels.instance }} has been down for 5 minutes."
          - record: job:http_requests:rate5m
            expr: sum by (job) (rate(http_requests_total[5m]))
    """
)

MIXED = textwrap.dedent(
    """\
    groups:
      - name: payments
        rules:
          - alert: PaymentsErrors
            expr: sum(rate(payment_errors_total[5m])) > 1
            labels:
              severity: warning
          - alert: BrokenSyntax
            expr: sum(rate(payment_errors_total[5m]) > 1
          - alert: AlwaysFires
            expr: up
            labels:
              severity: info
            annotations:
              summary: Always.
              description: Always.
          - alert: BadTemplate
            expr: up == 0
            labels:
              severity: critical
            annotations:
              summary: "{{ humanizeX $value }}"
              description: Down.
          - alert: PaymentsSlow
            expr: histogram_quantile(0.99, sum by (le) (rate(payment_seconds_bucket[5m]))) > 2
            labels:
              severity: critical
            annotations:
              summary: Payments are slow.
              description: p99 is {{ $value }}s.
    """
)


@pytest.fixture
def ivy(team):
    """An engineer who both writes and reviews rules in payments: allowed to import."""
    return make_user("ivy", Role.AUTHOR, Role.REVIEWER, team=team)


def run(team, actor, *sources: ImportSource, **kwargs):
    return rules_import(team=team, sources=list(sources), actor=actor, **kwargs)


def by_name(report):
    return {rule.name: rule for file in report.files for rule in file.rules}


def test_it_records_valid_rules_as_approved_baselines_with_provenance_and_events(team, ivy):
    report = run(team, ivy, ImportSource("rules/checkout.yml", GOOD, commit="a" * 40))
    assert report.ok and report.counts["imported"] == 2
    down = RuleVersion.objects.get(rule__name="CheckoutDown")
    assert (down.state, down.number, down.created_by, down.valid) == (VersionState.APPROVED, 1, ivy, True)
    assert down.rule.group == "checkout" and down.rule.team == team
    assert down.provenance == {
        "generator": "import",
        "file": "rules/checkout.yml",
        "commit": "a" * 40,
        "format": "prometheus",
        "document": 1,
        "line": 4,
        "group_settings": {},
    }
    assert down.validation["ok"] is True and "promtool" in down.validation["steps"]
    events = list(down.events.values_list("action", "from_state", "to_state", "actor__username"))
    assert events == [
        (Action.CREATE, VersionState.DRAFT, VersionState.DRAFT, "ivy"),
        (Action.IMPORT, VersionState.DRAFT, VersionState.APPROVED, "ivy"),
    ]
    assert down.events.get(action=Action.IMPORT).comment == (
        "imported from rules/checkout.yml at aaaaaaaaaaaa, line 4"
    )
    rule_report = by_name(report)["CheckoutDown"]
    assert (rule_report.status, rule_report.version_id, rule_report.line) == ("imported", down.pk, 4)


def test_it_imports_the_good_rules_and_reports_each_bad_one_with_its_line(team, ivy):
    report = run(team, ivy, ImportSource("payments.yml", MIXED))
    rules = by_name(report)
    assert {n: r.status for n, r in rules.items()} == {
        "PaymentsErrors": "imported",
        "BrokenSyntax": "invalid",
        "AlwaysFires": "invalid",
        "BadTemplate": "invalid",
        "PaymentsSlow": "imported",
    }
    assert not report.ok and report.counts["invalid"] == 3
    assert set(Rule.objects.values_list("name", flat=True)) == {"PaymentsErrors", "PaymentsSlow"}
    assert (rules["BrokenSyntax"].line, rules["AlwaysFires"].line, rules["BadTemplate"].line) == (8, 10, 17)
    assert rules["BrokenSyntax"].message == "could not be read (1 error)"
    (problem,) = rules["BrokenSyntax"].problems
    assert problem["line"] == 9 and "expr is not valid PromQL" in problem["message"]
    assert "lint/no-comparison" in rules["AlwaysFires"].message
    bad_template = rules["BadTemplate"].problems
    assert any(p["check"] == "promtool/check" and "humanizeX" in p["message"] for p in bad_template)
    assert all(p["source"] == "payments.yml" for p in bad_template)
    # Rules missing monitorgen's conventions are imported; the gaps are warnings with lines.
    errors_rule = RuleVersion.objects.get(rule__name="PaymentsErrors")
    warnings = [p for p in errors_rule.validation["problems"] if p["check"] == "policy"]
    assert warnings and all(p["level"] == "warning" and p["line"] == 4 for p in warnings)
    assert errors_rule.valid and errors_rule.state == VersionState.APPROVED


def test_reimporting_the_same_content_writes_nothing(team, ivy):
    run(team, ivy, ImportSource("checkout.yml", GOOD))
    before = (RuleVersion.objects.count(), ReviewEvent.objects.count())
    again = run(team, ivy, ImportSource("checkout.yml", GOOD, commit="b" * 40))
    assert (RuleVersion.objects.count(), ReviewEvent.objects.count()) == before
    assert again.ok and again.counts["unchanged"] == 2
    assert "nothing written" in by_name(again)["CheckoutDown"].message


def test_a_changed_rule_of_a_live_baseline_goes_to_review_instead_of_replacing_it(team, ivy, bob):
    run(team, ivy, ImportSource("checkout.yml", GOOD))
    changed = GOOD.replace("for: 5m", "for: 15m")
    report = run(team, ivy, ImportSource("checkout.yml", changed))
    rule_report = by_name(report)["CheckoutDown"]
    assert rule_report.status == "submitted" and rule_report.version_number == 2
    v1, v2 = RuleVersion.objects.filter(rule__name="CheckoutDown").order_by("number")
    assert (v1.state, v2.state, v2.based_on) == (VersionState.APPROVED, VersionState.IN_REVIEW, v1)
    # ... and the importer is its author, so a second engineer approves it.
    with pytest.raises(PermissionDenied):
        rule_version_approve(version=v2, reviewer=ivy)
    rule_version_approve(version=v2, reviewer=bob)
    v1.refresh_from_db()
    assert v1.state == VersionState.SUPERSEDED


def test_it_folds_group_labels_into_each_rule_and_keeps_group_settings_in_provenance(team, ivy):
    text = textwrap.dedent(
        """\
        groups:
          - name: shop
            interval: 1m
            partial_response_strategy: warn
            labels:
              team: payments
              severity: warning
            rules:
              - alert: ShopDown
                expr: up{job="shop"} == 0
                labels:
                  severity: critical
                annotations:
                  summary: Shop is down.
                  description: Down.
        """
    )
    report = run(team, ivy, ImportSource("thanos.yml", text))
    assert report.ok
    version = RuleVersion.objects.get()
    assert version.spec["labels"] == {"severity": "critical", "team": "payments"}
    assert version.provenance["format"] == "thanos"
    assert version.provenance["group_settings"] == {
        "interval": "1m",
        "labels": {"severity": "warning", "team": "payments"},
        "partial_response_strategy": "warn",
    }
    assert any(p["check"] == "import/group-labels" for p in version.validation["problems"])


def test_it_reports_two_different_rules_with_one_name_in_one_group_and_imports_neither(team, ivy):
    first = GOOD
    second = GOOD.replace("for: 5m", "for: 1m")
    report = run(team, ivy, ImportSource("a.yml", first), ImportSource("b.yml", second))
    statuses = [(f.source, r.name, r.status) for f in report.files for r in f.rules]
    assert ("a.yml", "CheckoutDown", "conflict") in statuses
    assert ("b.yml", "CheckoutDown", "conflict") in statuses
    assert not Rule.objects.filter(name="CheckoutDown").exists()
    conflict = by_name(report)["CheckoutDown"].message
    assert "a.yml:4" in conflict and "b.yml:4" in conflict
    # The same file twice is harmless: recorded once.
    again = run(team, ivy, ImportSource("a.yml", first), ImportSource("copy.yml", first))
    assert again.ok and [r.status for f in again.files for r in f.rules if r.name == "CheckoutDown"] == [
        "imported",
        "unchanged",
    ]


def test_it_reports_a_file_it_cannot_read_and_still_imports_the_others(team, ivy):
    report = run(
        team, ivy,
        ImportSource("broken.yml", "groups:\n  - name: [\n"),
        ImportSource("unreadable.yml", "", error="unreadable.yml: not UTF-8 text"),
        ImportSource("good.yml", GOOD),
    )
    files = {f.source: f for f in report.files}
    assert not files["broken.yml"].ok and files["broken.yml"].problems[0]["line"] == 3
    assert files["unreadable.yml"].problems[0]["message"] == "unreadable.yml: not UTF-8 text"
    assert files["good.yml"].ok and report.counts["imported"] == 2


def test_it_imports_prometheus_rules_from_kubernetes_manifests_and_lists_skipped_objects(team, ivy):
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\n"
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n"
        "  name: checkout\n  namespace: shop\nspec:\n"
        + textwrap.indent(GOOD, "  ")
    )
    report = run(team, ivy, ImportSource("k8s.yaml", manifest), format="operator")
    assert report.ok and report.counts["imported"] == 2
    (file,) = report.files
    assert file.formats == ["operator"] and file.skipped[0]["kind"] == "ConfigMap"
    provenance = RuleVersion.objects.get(rule__name="CheckoutDown").provenance
    assert (provenance["format"], provenance["object"], provenance["namespace"], provenance["line"]) == (
        "operator", "checkout", "shop", 15,
    )


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_only_team_members_who_write_and_review_may_import(team, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        run(team, actor, ImportSource("checkout.yml", GOOD))
    assert not RuleVersion.objects.exists()


def test_it_refuses_an_empty_import_and_an_unknown_format(team, ivy):
    with pytest.raises(InvalidInput, match="nothing to import"):
        run(team, ivy)
    with pytest.raises(InvalidInput, match="unknown rule-file format"):
        run(team, ivy, ImportSource("a.yml", GOOD), format="helm")


def test_an_imported_baseline_without_conventions_can_be_rolled_back_to(team, ivy):
    lax = GOOD.replace("            labels:\n              severity: critical\n", "")
    run(team, ivy, ImportSource("checkout.yml", lax))
    run(team, ivy, ImportSource("checkout.yml", lax.replace("5m", "6m")))
    first = RuleVersion.objects.get(rule__name="CheckoutDown", number=1)
    again = rule_version_rollback(version=first, author=ivy)
    assert again.state == VersionState.IN_REVIEW and again.spec == first.spec


def test_importing_into_a_retired_rule_makes_a_new_baseline_and_supersedes_the_old(team, ivy):
    run(team, ivy, ImportSource("checkout.yml", GOOD))
    Rule.objects.filter(name="CheckoutDown").update(retired=True)
    report = run(team, ivy, ImportSource("checkout.yml", GOOD.replace("for: 5m", "for: 15m")))
    assert by_name(report)["CheckoutDown"].status == "imported"
    v1, v2 = RuleVersion.objects.filter(rule__name="CheckoutDown").order_by("number")
    assert (v1.state, v2.state) == (VersionState.SUPERSEDED, VersionState.APPROVED)
    assert not Rule.objects.get(name="CheckoutDown").retired


def test_reimporting_many_unchanged_rules_takes_a_fixed_number_of_queries(
    team, ivy, django_assert_max_num_queries
):
    many = "groups:\n  - name: many\n    rules:\n" + "".join(
        f"      - record: job:x{i}:sum\n        expr: sum by (job) (x{i})\n" for i in range(30)
    )
    run(team, ivy, ImportSource("many.yml", many))
    with django_assert_max_num_queries(4):
        again = run(team, ivy, ImportSource("many.yml", many))
    assert again.counts["unchanged"] == 30
