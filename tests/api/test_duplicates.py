"""POST /api/generate/ when the generated rule already exists: link it, save nothing."""

from __future__ import annotations

import pytest

from monitorgen.core.generation.result import GenerationResult, Provenance, Status
from monitorgen.rules import drafting
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import rule_version_approve, rule_version_submit
from tests.api.conftest import new_version
from tests.api.test_generation import REQUEST
from tests.rules.conftest import VALID, latency_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(monkeypatch):
    """The generator answers with `generated.rules` (each test sets them)."""

    class Canned:
        rules = [latency_rule("0.5")]

    def fake(request, generator):
        return GenerationResult(status=Status.OK, rules=list(Canned.rules), validation=VALID,
                                provenance=Provenance(generator="embedded"))

    monkeypatch.setattr(drafting, "_generate", fake)
    return Canned


def test_a_generated_twin_of_a_live_rule_links_it_instead_of_saving_a_draft(
    client_for, team, alice, bob, http_catalog, generated
):
    live = rule_version_approve(
        version=rule_version_submit(version=new_version(team, alice), actor=alice), reviewer=bob
    )
    generated.rules = [latency_rule("0.5").model_copy(update={"alert": "CheckoutP99"})]
    response = client_for(alice).post("/api/generate/", REQUEST, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    link = {
        "rule_id": live.rule_id,
        "version_id": live.pk,
        "number": 1,
        "name": "CheckoutHighLatency",
        "group": "checkout",
        "state": "approved",
        "url": f"/api/versions/{live.pk}/",
    }
    assert body["status"] == "ok" and body["version_ids"] == []
    assert body["duplicate_of"] == [link]
    (rule,) = body["rules"]
    assert (rule["name"], rule["version_id"], rule["duplicate_of"]) == ("CheckoutP99", None, link)
    assert RuleVersion.objects.count() == 1


def test_a_new_rule_has_no_duplicate(client_for, alice, http_catalog, generated):
    body = client_for(alice).post("/api/generate/", REQUEST, format="json").json()
    (rule,) = body["rules"]
    assert body["duplicate_of"] == [] and rule["duplicate_of"] is None
    assert rule["version_id"] == body["version_ids"][0]
