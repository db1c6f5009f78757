"""Generating, refining and hand-editing rules over HTTP.

Most tests replace the generator (the repair loop behind `rule_draft_generate`) with a canned
result, so they test the API and not the generator; the `promtool` tests run everything for real.
"""

from __future__ import annotations

import pytest

from monitorgen.accounts.models import Role
from monitorgen.core.generation.result import GenerationResult, Provenance, Question, Status
from monitorgen.rules import drafting
from monitorgen.rules.models import RuleVersion
from tests.api.conftest import assert_error, new_version
from tests.rules.conftest import VALID, latency_rule, make_user

pytestmark = pytest.mark.django_db

REQUEST = {
    "intent": "page me if checkout p99 latency is over 500ms for 10 minutes",
    "catalog": "http-service",
    "team": "payments",
    "group": "checkout",
    "scope": {"service": "checkout", "environment": "prod", "matchers": {"namespace": "shop"}},
}


@pytest.fixture
def canned(monkeypatch):
    """Replace the generator: it records what it was asked and answers `canned.result`."""

    class Canned:
        result = GenerationResult(
            status=Status.OK,
            rules=[latency_rule("0.5")],
            rationale="p99 of the request duration histogram",
            provenance=Provenance(
                generator="embedded", metrics_used=["http_request_duration_seconds_bucket"]
            ),
            validation=VALID,
        )
        requests: list = []
        generators: list = []

    def fake(request, generator):
        Canned.requests.append(request)
        Canned.generators.append(generator)
        return Canned.result

    monkeypatch.setattr(drafting, "_generate", fake)
    return Canned


def test_it_generates_and_saves_drafts(client_for, alice, http_catalog, canned):
    response = client_for(alice).post("/api/generate/", REQUEST, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["questions"] == []
    version = RuleVersion.objects.get()
    assert body["version_ids"] == [version.pk]
    (rule,) = body["rules"]
    assert (rule["name"], rule["kind"], rule["version_id"]) == (
        "CheckoutHighLatency",
        "alert",
        version.pk,
    )
    assert rule["yaml"] == version.yaml and "name: checkout" in rule["yaml"]
    assert rule["spec"]["alert"] == "CheckoutHighLatency"
    assert rule["explanation"]
    assert body["provenance"]["generator"] == "embedded"
    assert body["validation"]["ok"] is True
    assert (version.state, version.created_by, version.provenance["catalog"]) == (
        "draft",
        alice,
        "http-service",
    )

    (request,) = canned.requests
    assert request.intent == REQUEST["intent"] and request.catalog.name == "http-service"
    assert (request.scope.team, request.scope.service, request.scope.environment) == (
        "payments",
        "checkout",
        "prod",
    )
    assert request.scope.matchers == {"namespace": "shop"}
    assert canned.generators == [None]


def test_it_returns_clarifying_questions_and_saves_nothing(client_for, alice, http_catalog, canned):
    canned.result = GenerationResult.clarify(
        [Question(field="threshold", text="Above what latency?", candidates=("250ms", "500ms"))],
        provenance=Provenance(generator="embedded"),
        message="the intent does not say which value is a problem",
    )
    request = {**REQUEST, "answers": {"service": "checkout"}, "generator": "embedded"}
    body = client_for(alice).post("/api/generate/", request, format="json").json()
    assert body["status"] == "clarify"
    assert body["questions"] == [
        {"field": "threshold", "text": "Above what latency?", "candidates": ["250ms", "500ms"]}
    ]
    assert body["rules"] == [] and body["version_ids"] == []
    assert canned.requests[0].answers == {"service": "checkout"}
    assert canned.generators == ["embedded"]
    assert not RuleVersion.objects.exists()


def test_a_reviewer_cannot_generate(client_for, bob, http_catalog, canned):
    assert_error(
        client_for(bob).post("/api/generate/", REQUEST, format="json"), 403, "permission_denied"
    )
    assert canned.requests == []


def test_an_author_cannot_generate_for_another_team(client_for, team, http_catalog, canned):
    outsider = make_user("otto", Role.AUTHOR)
    response = client_for(outsider).post("/api/generate/", REQUEST, format="json")
    assert_error(response, 403, "permission_denied")


def test_it_answers_an_unknown_team_or_catalog_with_not_found(
    client_for, alice, http_catalog, canned
):
    client = client_for(alice)
    body = assert_error(
        client.post("/api/generate/", {**REQUEST, "team": "nope"}, format="json"), 404, "not_found"
    )
    assert body["details"] == {"team": "nope"}
    assert_error(
        client.post("/api/generate/", {**REQUEST, "catalog": "nope"}, format="json"),
        404,
        "not_found",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"generator": "gpt"}, "generator"),
        ({"scope": {"matchers": ["namespace"]}}, "scope"),
        ({"answers": "yes"}, "answers"),
        ({"intent": "x" * 4001}, "intent"),
        ({"team": "not a slug"}, "team"),
    ],
)
def test_it_refuses_bad_generation_input(client_for, alice, http_catalog, canned, change, field):
    response = client_for(alice).post("/api/generate/", {**REQUEST, **change}, format="json")
    assert field in assert_error(response, 400, "invalid_input")["details"]["fields"]
    assert canned.requests == []


def test_it_refines_a_version_from_feedback(client_for, team, alice, http_catalog, canned):
    version = new_version(team, alice, provenance={"catalog": "http-service"})
    canned.result = GenerationResult(
        status=Status.OK,
        rules=[latency_rule("0.5", for_="15m")],
        provenance=Provenance(generator="embedded"),
        validation=VALID,
    )
    response = client_for(alice).post(
        f"/api/versions/{version.pk}/refine/",
        {"feedback": "only page after 15 minutes"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    new = RuleVersion.objects.get(pk=body["version_ids"][0])
    assert (new.number, new.based_on_id, new.spec["for"]) == (2, version.pk, "15m")
    assert canned.requests[0].feedback == "only page after 15 minutes"


def test_it_refuses_to_refine_without_feedback(client_for, team, alice, canned):
    version = new_version(team, alice, provenance={"catalog": "http-service"})
    response = client_for(alice).post(
        f"/api/versions/{version.pk}/refine/", {"feedback": ""}, format="json"
    )
    assert "feedback" in assert_error(response, 400, "invalid_input")["details"]["fields"]


def test_it_refuses_to_refine_a_version_without_a_catalog(client_for, team, alice, canned):
    version = new_version(team, alice)
    response = client_for(alice).post(
        f"/api/versions/{version.pk}/refine/", {"feedback": "slower"}, format="json"
    )
    assert "catalog" in assert_error(response, 400, "invalid_input")["message"]


def test_an_outsider_cannot_refine(client_for, team, alice, dave, canned):
    version = new_version(team, alice, provenance={"catalog": "http-service"})
    response = client_for(dave).post(
        f"/api/versions/{version.pk}/refine/", {"feedback": "x"}, format="json"
    )
    assert_error(response, 404, "not_found")


EDITED = """\
alert: CheckoutHighLatency
expr: >-
  histogram_quantile(0.99, sum by (le)
  (rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))) > 0.8
for: 15m
labels:
  severity: critical
annotations:
  summary: Checkout is slow.
  description: p99 is {{ $value }}s.
  runbook_url: https://runbooks.example.com/checkout-latency
"""


@pytest.mark.promtool
def test_it_saves_a_hand_edit_as_a_new_validated_version(client_for, team, alice, http_catalog):
    version = new_version(team, alice, provenance={"catalog": "http-service"})
    response = client_for(alice).post(
        f"/api/versions/{version.pk}/edit/", {"text": EDITED}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["based_on"], body["state"]) == (2, version.pk, "draft")
    assert body["spec"]["for"] == "15m" and "> 0.8" in body["yaml"]
    assert body["provenance"]["generator"] == "manual"
    assert "promtool" in str(body["validation"])


@pytest.mark.parametrize(
    ("text", "code", "says"),
    [
        ("alert: [unclosed", "rule_file_malformed", ""),
        ("groups:\n  - name: x\n    rules: []\n", "invalid_input", "one rule"),
        (EDITED.replace("CheckoutHighLatency", "SomethingElse"), "invalid_input", "renaming"),
        ("alert: CheckoutHighLatency\nexpr: 'rate(x[5m]'\n", "spec_invalid", "expr"),
    ],
)
def test_it_refuses_a_hand_edit_that_is_not_one_rule_and_saves_nothing(
    client_for, team, alice, text, code, says
):
    version = new_version(team, alice)
    response = client_for(alice).post(
        f"/api/versions/{version.pk}/edit/", {"text": text}, format="json"
    )
    assert says in assert_error(response, 400, code)["message"]
    assert RuleVersion.objects.count() == 1


def test_a_reviewer_cannot_edit(client_for, team, alice, bob):
    version = new_version(team, alice)
    response = client_for(bob).post(
        f"/api/versions/{version.pk}/edit/", {"text": EDITED}, format="json"
    )
    assert_error(response, 403, "permission_denied")


@pytest.mark.promtool
def test_it_generates_real_rules_from_an_intent(client_for, alice, http_catalog):
    response = client_for(alice).post(
        "/api/generate/", {**REQUEST, "generator": "embedded"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok", body
    assert body["validation"]["ok"] is True
    versions = RuleVersion.objects.filter(pk__in=body["version_ids"])
    assert versions.count() == len(body["rules"]) >= 1
    assert all(version.valid and version.state == "draft" for version in versions)
    assert all("http_request_duration_seconds" in rule["yaml"] for rule in body["rules"])


@pytest.mark.promtool
def test_it_asks_which_metric_when_the_intent_is_vague(client_for, alice, http_catalog):
    request = {**REQUEST, "intent": "alert when things are bad", "generator": "embedded"}
    body = client_for(alice).post("/api/generate/", request, format="json").json()
    assert body["status"] in {"clarify", "error"}, body
    assert body["version_ids"] == [] and not RuleVersion.objects.exists()
