"""Every new version keeps its synthesised promtool unit tests and their results.

The generator is canned (it always proposes the same rule); everything after it is real: the
generation service, the validation pipeline, promtool check and promtool test rules.
"""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from monitorgen.adapters.promtool import Promtool
from monitorgen.catalogs.services import catalog_import_file, fixtures_dir
from monitorgen.core.generation.result import (
    GenerationRequest,
    GenerationResult,
    Provenance,
    Status,
)
from monitorgen.core.spec import AlertingRule
from monitorgen.generation import service
from monitorgen.rules import drafting
from monitorgen.rules.models import RuleVersion
from tests.rules.conftest import latency_rule
from validators import unittests as runner

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]

INTENT = "page me if checkout p99 latency is over 500ms for 10 minutes"


class Canned:
    """A generator that proposes one fixed rule and has no other candidate."""

    name = "embedded"

    def __init__(self, rule: AlertingRule) -> None:
        self.rule = rule

    def propose(self, request: GenerationRequest) -> GenerationResult:
        return GenerationResult(status=Status.OK, rules=[self.rule],
                                provenance=Provenance(generator="embedded", catalog=request.catalog.name))

    def repair(self, request: GenerationRequest, previous: GenerationResult,
               problems: list[str]) -> GenerationResult:
        return GenerationResult.error("no other candidate: " + "; ".join(problems),
                                      provenance=previous.provenance)


@pytest.fixture
def catalog(db):
    return catalog_import_file(path=fixtures_dir() / "http-service.yaml", slug="http-service")


@pytest.fixture
def proposes(monkeypatch):
    def use(rule: AlertingRule) -> None:
        monkeypatch.setattr(service, "get_generator", lambda name=None: Canned(rule))

    return use


def draft(team, alice) -> drafting.DraftOutcome:
    return drafting.rule_draft_generate(team=team, group="latency", intent=INTENT,
                                        catalog_slug="http-service", author=alice)


def test_a_generated_draft_keeps_its_unit_tests_and_their_results(team, alice, catalog, proposes):
    proposes(latency_rule())
    [version] = draft(team, alice).versions
    assert version.valid
    results = version.validation["unit_tests"]
    assert results["status"] == "passed" and "text" not in results
    assert [c["kind"] for c in results["cases"]] == ["fires", "quiet", "for"]
    assert all(c["passed"] for c in results["cases"])
    assert results["unchecked_annotations"] == ["description"]  # it shows $value
    assert "unittest" in version.validation["steps"]
    assert version.unit_tests.startswith("# promtool unit tests for CheckoutHighLatency")
    assert all(c["name"] in version.unit_tests for c in results["cases"])
    assert yaml.safe_load(version.unit_tests)["rule_files"] == ["rule.yml"]


def test_the_stored_tests_pass_promtool_against_the_stored_rule(team, alice, catalog, proposes,
                                                                  promtool_path):
    proposes(latency_rule())
    [version] = draft(team, alice).versions
    # The tests read the rule without the annotations they cannot predict.
    rule = yaml.safe_load(version.yaml)
    rule["groups"][0]["rules"][0]["annotations"].pop("description")
    pending = Promtool(promtool_path).start_test_rules(
        {"stored": (version.unit_tests, {"rule.yml": yaml.safe_dump(rule)})})
    assert pending.result().files["stored"].ok


def test_a_refined_version_gets_tests_for_its_new_threshold(team, alice, catalog, proposes):
    proposes(latency_rule())
    [first] = draft(team, alice).versions
    proposes(latency_rule("0.8"))
    [second] = drafting.rule_version_refine(version=first, feedback="only above 800 ms",
                                            author=alice).versions
    assert second.validation["unit_tests"]["status"] == "passed"
    names = [c["name"] for c in second.validation["unit_tests"]["cases"]]
    assert any("above 0.8 s" in name for name in names)
    assert second.unit_tests != first.unit_tests


def test_a_hand_edit_keeps_unit_tests_and_a_shape_without_tests_only_warns(team, alice, catalog,
                                                                           proposes):
    proposes(latency_rule())
    [first] = draft(team, alice).versions
    edited = latency_rule().model_copy(update={"for_": "5m"})
    text = yaml.safe_dump(edited.model_dump(by_alias=True, exclude_none=True))
    second = drafting.rule_version_edit(version=first, text=text, author=alice)
    assert second.validation["unit_tests"]["status"] == "passed"
    assert "for 5m" in second.unit_tests

    guarded = latency_rule().model_copy(update={
        "expr": latency_rule().expr + ' or absent(http_requests_total{service="checkout"})'})
    text = yaml.safe_dump(guarded.model_dump(by_alias=True, exclude_none=True))
    third = drafting.rule_version_edit(version=second, text=text, author=alice)
    assert third.valid and third.unit_tests == ""
    assert third.validation["unit_tests"]["status"] == "not-generated"
    assert [p["check"] for p in third.validation["problems"]
            if p["check"].startswith("unittest")] == ["unittest/not-generated"]


def test_a_rule_failing_its_own_tests_is_not_saved(team, alice, catalog, proposes, monkeypatch):
    real = runner.synthesize

    def expecting_another_threshold(rule, **kwargs):  # type: ignore[no-untyped-def]
        result = real(rule, **kwargs)
        assert result.suite is not None
        wrong = result.suite.rule_text.replace("> 0.5", "> 5")
        return dataclasses.replace(result, suite=dataclasses.replace(result.suite, rule_text=wrong))

    monkeypatch.setattr(runner, "synthesize", expecting_another_threshold)
    proposes(latency_rule())
    outcome = draft(team, alice)
    assert outcome.result.status is not Status.OK and outcome.versions == []
    assert "unittest/failed" in outcome.result.message
    assert RuleVersion.objects.count() == 0


def test_the_api_and_the_version_page_show_the_cases_and_their_results(team, alice, catalog,
                                                                        proposes):
    from rest_framework.test import APIClient

    proposes(latency_rule())
    [version] = draft(team, alice).versions
    api = APIClient()
    api.force_login(alice)
    body = api.get(f"/api/versions/{version.pk}/").json()
    assert body["unit_tests"] == version.unit_tests
    results = body["unit_test_results"]
    assert results["status"] == "passed"
    assert [(c["kind"], c["passed"]) for c in results["cases"]] == [
        ("fires", True), ("quiet", True), ("for", True)]

    client = Client()
    client.force_login(alice)
    page = client.get(reverse("web:version", args=[version.pk])).content.decode()
    assert "Unit tests" in page and 'class="pill pill-ok">passed' in page
    for case in results["cases"]:
        assert escape(case["name"]) in page
    assert page.count('class="level">pass</span>') == 3
    assert "Test file" in page and "rule_files" in page
