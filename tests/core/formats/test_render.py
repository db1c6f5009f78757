"""Export renderers: canonical files per format, checked options and paths, and the round trip
through the import parsers (render → parse gives the same rules back)."""

from __future__ import annotations

import json

import pytest
import yaml

from monitorgen.core.errors import InvalidInput, RuleFileMalformed
from monitorgen.core.formats.parse import parse_rule_documents
from monitorgen.core.formats.render import (
    FORMATS,
    HEADER,
    check_options,
    check_path_template,
    export_rule,
    export_rule_from_file_text,
    kubernetes_name,
    native_rule_files,
    path_component,
    render_tree,
)
from monitorgen.core.rulefile import render_rule_file, render_rules
from monitorgen.core.spec import AlertingRule, RecordingRule, RuleFile, RuleGroup, rule_from_data

TRICKY = rule_from_data(
    {
        "alert": "CheckoutErrors",
        "expr": 'sum(rate(http_requests_total{code=~"5.."}[5m]))\n  /\n\n'
        "sum(rate(http_requests_total[5m])) > 0.05",
        "for": "10m",
        "keep_firing_for": "5m",
        "labels": {"severity": "critical", "team": "payments: core", "page": "true"},
        "annotations": {
            "summary": "It's \"bad\": {{ $labels.job }}",
            "description": "Line one\n\n  indented line\nunicode: é ✓",
            "runbook_url": "https://runbooks.example.com/checkout#errors",
        },
    }
)
RECORD = rule_from_data(
    {"record": "job:http_requests:rate5m", "expr": "sum by (job) (rate(http_requests_total[5m]))"}
)
SIMPLE = rule_from_data(
    {"alert": "InstanceDown", "expr": "up == 0", "for": "5m", "labels": {"severity": "warning"},
     "annotations": {"summary": "Down.", "description": "{{ $labels.instance }} is down."}}
)
RULES = [TRICKY, RECORD, SIMPLE]


def groups(*names: str, team: str = "payments") -> dict[tuple[str, str], list]:
    return {(team, name): [export_rule(r) for r in RULES] for name in names}


def canonical(rules):
    return sorted(rules, key=lambda r: (0 if r.kind == "record" else 1, r.name))


# --- the Prometheus format ------------------------------------------------------------------------
def test_the_prometheus_file_is_the_canonical_rule_file_under_a_header():
    tree = render_tree("prometheus", groups("checkout"))
    assert list(tree) == ["rules/payments/checkout.yml"]
    expected = render_rule_file(RuleFile(groups=[RuleGroup(name="checkout", rules=canonical(RULES))]))
    assert tree["rules/payments/checkout.yml"] == HEADER + expected


def test_rendering_does_not_depend_on_the_order_rules_and_groups_come_in():
    shuffled = {}
    keys = list(groups("a", "b", "c").items())
    for key, rules in keys[1:] + keys[:1]:
        shuffled[key] = list(reversed(rules))
    assert render_tree("prometheus", shuffled) == render_tree("prometheus", groups("a", "b", "c"))


def test_recording_rules_come_first_in_a_group_so_alerts_can_use_them():
    text = render_tree("prometheus", groups("checkout"))["rules/payments/checkout.yml"]
    assert text.index("record: job:http_requests:rate5m") < text.index("alert: CheckoutErrors")


def test_a_stored_one_rule_file_gives_the_same_item_as_rendering_the_spec():
    for rule in RULES:
        for group in ("checkout", "a group: with 'quotes'", "ünï"):
            reused = export_rule_from_file_text(
                render_rules([rule], group=group), group=group, kind=rule.kind, name=rule.name
            )
            assert reused == export_rule(rule)


def test_text_that_is_not_a_one_rule_file_of_that_group_is_not_reused():
    text = render_rules([SIMPLE], group="checkout")
    assert export_rule_from_file_text(text, group="other", kind="alert", name="x") is None
    two = render_rules([SIMPLE, TRICKY], group="checkout")
    assert export_rule_from_file_text(two, group="checkout", kind="alert", name="x") is None


# --- paths ----------------------------------------------------------------------------------------
def test_group_names_become_safe_path_components():
    assert path_component("Checkout / API: v2") == "Checkout-API-v2"
    assert path_component("../../etc") == "etc"
    assert path_component("...") == "group"


@pytest.mark.parametrize(
    "template",
    ["/abs/{group}.yml", "rules/../{group}.yml", "rules/{group}.json", "rules/{name}.yml",
     ".git/hooks/{group}.yml", "rules/{group!r}.yml", "rules/*/{group}.yml", "", "r//{group}.yml"],
)
def test_unsafe_or_unknown_path_templates_are_refused(template: str):
    with pytest.raises(InvalidInput):
        check_path_template(template)


def test_groups_may_share_a_file_when_the_template_leaves_the_group_out():
    tree = render_tree("prometheus", groups("a", "b"), path_template="rules/{team}.yml")
    assert list(tree) == ["rules/payments.yml"]
    parsed = yaml.safe_load(tree["rules/payments.yml"])
    assert [g["name"] for g in parsed["groups"]] == ["a", "b"]


def test_two_teams_groups_of_one_name_cannot_share_a_file():
    both = {**groups("checkout", team="payments"), **groups("checkout", team="search")}
    with pytest.raises(InvalidInput, match="put {team} in the path template"):
        render_tree("prometheus", both, path_template="rules/{group}.yml")


# --- options --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("format_name", "options", "words"),
    [
        ("prometheus", {"labels": {}}, "takes no options"),
        ("thanos", {"partial_response_strategy": "ignore"}, "abort, warn"),
        ("operator", {"labels": {"bad key!": "x"}}, "not a Kubernetes label key"),
        ("operator", {"namespace": "Monitoring"}, "namespace"),
        ("operator", {"selector": {}}, "unknown option"),
        ("mimir", {"namespace": "{tenant}"}, "only {team}, {group}"),
        ("nagios", {}, "unknown export format"),
    ],
)
def test_bad_format_options_are_refused_with_the_reason(format_name, options, words):
    with pytest.raises(InvalidInput, match=words.replace("{", r"\{").replace("}", r"\}")):
        check_options(format_name, options)


def test_options_get_their_defaults():
    assert check_options("thanos", {}) == {"partial_response_strategy": "abort"}
    assert check_options("mimir", None) == {"namespace": "{team}"}
    assert check_options("operator", {}) == {"labels": {}}


# --- the other formats ----------------------------------------------------------------------------
def test_the_operator_file_is_a_prometheusrule_with_the_selector_labels():
    options = {"labels": {"role": "alert-rules", "prometheus": "k8s"}, "namespace": "monitoring"}
    tree = render_tree("operator", groups("checkout"), options=options)
    data = yaml.safe_load(tree["rules/payments/checkout.yml"])
    assert data["apiVersion"] == "monitoring.coreos.com/v1"
    assert data["kind"] == "PrometheusRule"
    assert data["metadata"] == {
        "name": "rules-payments-checkout",
        "namespace": "monitoring",
        "labels": {"app.kubernetes.io/managed-by": "monitorgen", "prometheus": "k8s",
                   "role": "alert-rules"},
    }
    assert [g["name"] for g in data["spec"]["groups"]] == ["checkout"]


def test_operator_object_names_are_dns_names_and_unique_per_file():
    assert kubernetes_name("rules/Payments/Check_Out.yml", "mg") == "mg-rules-payments-check-out"
    assert len(kubernetes_name("x/" + "a" * 400 + ".yml")) <= 253
    clash = groups("Checkout", "checkout", team="x")  # two files, one lower-case object name
    with pytest.raises(InvalidInput, match="would both be PrometheusRule"):
        render_tree("operator", clash, path_template="{team}/{group}.yml")


def test_the_mimir_file_names_its_namespace():
    tree = render_tree("mimir", groups("checkout", "search"), path_template="{team}.yml",
                       options={"namespace": "prod-{team}"})
    data = yaml.safe_load(tree["payments.yml"])
    assert data["namespace"] == "prod-payments"
    assert [g["name"] for g in data["groups"]] == ["checkout", "search"]


def test_a_mimir_file_cannot_hold_two_namespaces():
    with pytest.raises(InvalidInput, match="one namespace"):
        render_tree("mimir", groups("a", "b"), path_template="{team}.yml",
                    options={"namespace": "{group}"})


def test_the_thanos_file_sets_the_partial_response_strategy_on_each_group():
    tree = render_tree("thanos", groups("a", "b"), path_template="{team}.yml",
                       options={"partial_response_strategy": "warn"})
    data = yaml.safe_load(tree["payments.yml"])
    assert [g["partial_response_strategy"] for g in data["groups"]] == ["warn", "warn"]


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_format_gives_plain_prometheus_text_for_promtool(format_name):
    tree = render_tree(format_name, groups("checkout"))
    native = native_rule_files(format_name, tree)
    data = yaml.safe_load(native["rules/payments/checkout.yml"])
    assert set(data) == {"groups"}
    assert "partial_response_strategy" not in data["groups"][0]
    assert [r.get("alert") or r.get("record") for r in data["groups"][0]["rules"]] == [
        r.name for r in canonical(RULES)
    ]


def test_a_thanos_strategy_promtool_would_not_know_is_checked_by_monitorgen():
    text = "groups:\n  - name: g\n    partial_response_strategy: sometimes\n    rules: []\n"
    with pytest.raises(RuleFileMalformed, match="must be one of abort, warn"):
        native_rule_files("thanos", {"x.yml": text})


@pytest.mark.parametrize(
    ("format_name", "text", "words"),
    [
        ("operator", "apiVersion: v1\nkind: ConfigMap\n", "not a PrometheusRule"),
        ("operator", "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\n",
         "'spec'"),
        ("mimir", "groups: []\n", "namespace"),
        ("thanos", "groups: 3\n", "'groups' list"),
        ("mimir", "namespace: [\n", "x.yml"),
    ],
)
def test_malformed_files_are_refused_before_promtool(format_name, text, words):
    with pytest.raises(RuleFileMalformed, match=words):
        native_rule_files(format_name, {"x.yml": text})


# --- round trip through the import parsers --------------------------------------------------------
@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_render_then_parse_gives_the_same_rules_back(format_name):
    options = {"labels": {"prometheus": "k8s"}} if format_name == "operator" else None
    tree = render_tree(format_name, groups("checkout", "search"), path_template="{team}.yml",
                       options=options)
    parsed = parse_rule_documents(tree["payments.yml"], source="payments.yml", format=format_name)
    assert parsed.ok, parsed.errors
    assert [p for p in parsed.all_problems() if p.level == "warning"] == []
    by_group: dict[str, list] = {}
    for _, rule in parsed.rules():
        by_group.setdefault(rule.group.name, []).append(rule.rule)
    assert by_group == {"checkout": canonical(RULES), "search": canonical(RULES)}
    document = parsed.documents[0]
    if format_name == "thanos":
        assert {m.partial_response_strategy for m in document.group_meta} == {"abort"}
    if format_name == "mimir":
        assert document.namespace == "payments"
    if format_name == "operator":
        assert document.labels["prometheus"] == "k8s"


def test_rendered_json_escapes_survive_the_round_trip():
    weird = AlertingRule.model_validate(
        {"alert": "Weird", "expr": 'up{job="a\\"b"} == 0', "labels": {"severity": "info"},
         "annotations": {"summary": "tab\there", "description": "nel\x85line"}}
    )
    tree = render_tree("prometheus", {("t", "g"): [export_rule(weird)]})
    parsed = parse_rule_documents(tree["rules/t/g.yml"], format="prometheus")
    assert [r.rule for _, r in parsed.rules()] == [weird]
    native = json.loads(native_rule_files("operator", render_tree(
        "operator", {("t", "g"): [export_rule(weird)]}))["rules/t/g.yml"])
    assert native["groups"][0]["rules"][0]["annotations"]["description"] == "nel\x85line"


def test_recording_rules_only_files_render_too():
    rule = RecordingRule(record="a:b:c", expr="sum(x)")
    tree = render_tree("prometheus", {("t", "g"): [export_rule(rule)]})
    assert "record: a:b:c" in tree["rules/t/g.yml"]
