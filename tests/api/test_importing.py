"""POST /api/import/: rule files uploaded or sent as JSON, imported as approved baselines."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitorgen.accounts.models import Role
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.transitions import VersionState
from tests.api.conftest import assert_error
from tests.rules.conftest import make_user
from tests.rules.test_importing import GOOD, MIXED

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]


@pytest.fixture
def ivy(team):
    return make_user("ivy", Role.AUTHOR, Role.REVIEWER, team=team)


def test_it_imports_sources_sent_as_json_and_answers_the_report(client_for, ivy):
    response = client_for(ivy).post(
        "/api/import/",
        {"team": "payments", "sources": [{"name": "checkout.yml", "text": GOOD, "commit": "ab" * 20}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is True and body["counts"]["imported"] == 2 and body["format"] == "auto"
    (file,) = body["files"]
    assert (file["source"], file["commit"], file["formats"]) == ("checkout.yml", "ab" * 20, ["prometheus"])
    down = next(r for r in file["rules"] if r["name"] == "CheckoutDown")
    version = RuleVersion.objects.get(pk=down["version_id"])
    assert (down["status"], down["line"], version.state) == ("imported", 4, VersionState.APPROVED)
    assert version.provenance["commit"] == "ab" * 20


def test_it_imports_uploaded_files_and_reports_bad_rules_with_lines(client_for, ivy):
    response = client_for(ivy).post(
        "/api/import/",
        {
            "team": "payments",
            "format": "prometheus",
            "files": [
                SimpleUploadedFile("payments.yml", MIXED.encode()),
                SimpleUploadedFile("latin1.yml", "groups: [] # caf\xe9".encode("latin-1")),
            ],
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is False
    payments, latin1 = body["files"]
    statuses = {r["name"]: (r["status"], r["line"]) for r in payments["rules"]}
    assert statuses["BrokenSyntax"] == ("invalid", 8)
    assert statuses["PaymentsSlow"][0] == "imported"
    broken = next(r for r in payments["rules"] if r["name"] == "BrokenSyntax")
    assert broken["problems"][0]["line"] == 9
    assert latin1["problems"][0]["message"] == "latin1.yml: not UTF-8 text"
    assert RuleVersion.objects.count() == 2


def test_it_refuses_a_request_without_files(client_for, ivy):
    body = assert_error(
        client_for(ivy).post("/api/import/", {"team": "payments"}, format="json"), 400, "invalid_input"
    )
    assert "send at least one file or source" in str(body["details"]["fields"])


def test_it_refuses_an_unknown_format_and_team(client_for, ivy):
    source = [{"name": "a.yml", "text": GOOD}]
    body = assert_error(
        client_for(ivy).post("/api/import/", {"team": "payments", "format": "helm", "sources": source},
                             format="json"),
        400, "invalid_input",
    )
    assert "format" in body["details"]["fields"]
    assert_error(
        client_for(ivy).post("/api/import/", {"team": "nope", "sources": source}, format="json"),
        404, "not_found",
    )


def test_it_lets_only_engineers_who_write_and_review_in_the_team_import(client_for, alice, bob, dave):
    source = {"team": "payments", "sources": [{"name": "a.yml", "text": GOOD}]}
    for user in (alice, bob, dave):
        assert_error(client_for(user).post("/api/import/", source, format="json"), 403, "permission_denied")
    assert not RuleVersion.objects.exists()


def test_it_needs_authentication(anonymous):
    response = anonymous.post("/api/import/", {"team": "payments"}, format="json")
    assert_error(response, 401, "not_authenticated")
