"""The intent page when the generated rule already exists: it links the live rule instead."""

from __future__ import annotations

import pytest
from django.test import Client

from monitorgen.core.generation.result import GenerationResult, Provenance, Status
from monitorgen.rules import drafting
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import rule_version_approve, rule_version_create, rule_version_submit
from tests.web.conftest import VALID, latency_rule, login

pytestmark = pytest.mark.django_db


def test_the_result_names_the_live_rule_with_a_link_and_saves_no_twin(
    client: Client, team, alice, bob, catalog, monkeypatch
):
    live = rule_version_approve(
        version=rule_version_submit(
            version=rule_version_create(team=team, group="checkout", spec=latency_rule(),
                                        author=alice, validation=VALID),
            actor=alice,
        ),
        reviewer=bob,
    )
    twin = latency_rule().model_copy(update={"alert": "CheckoutP99"})
    monkeypatch.setattr(
        drafting, "_generate",
        lambda request, generator: GenerationResult(
            status=Status.OK, rules=[twin], validation=VALID, provenance=Provenance(generator="embedded")
        ),
    )
    login(client, alice)
    response = client.post(
        "/intents/new/",
        {"intent": "page me if checkout p99 latency is over 500ms for 10 minutes",
         "catalog": "http-service", "team": "payments", "group": "latency"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-duplicate-of="{live.pk}"' in body
    assert "<strong>CheckoutP99</strong> was not saved" in body
    assert f'<a href="/versions/{live.pk}/">checkout / CheckoutHighLatency v1</a>' in body
    assert "(approved)" in body
    assert RuleVersion.objects.count() == 1
