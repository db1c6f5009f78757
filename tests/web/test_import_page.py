"""The "Import rules" page: upload or paste rule files, read the report per file and rule."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from monitorgen.accounts.models import Role
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.transitions import VersionState
from tests.rules.test_importing import GOOD, MIXED
from tests.web.conftest import login, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]

HTMX = {"HX-Request": "true"}


@pytest.fixture
def ivy(team):
    return make_user("ivy", Role.AUTHOR, Role.REVIEWER, team=team)


def test_the_page_is_in_the_navigation_and_offers_upload_paste_team_and_format(client: Client, ivy):
    login(client, ivy)
    body = client.get("/import/").content.decode()
    assert '<a href="/import/" aria-current="page">Import rules</a>' in body
    assert 'enctype="multipart/form-data"' in body and 'hx-encoding="multipart/form-data"' in body
    assert 'type="file" name="uploads"' in body and "multiple" in body
    assert '<option value="payments">' in body
    assert '<option value="operator">prometheus-operator PrometheusRule</option>' in body
    for name in ("team", "format", "uploads", "text", "catalog"):
        assert f'for="id_{name}"' in body


def test_uploaded_files_are_imported_and_the_report_shows_each_rule_with_its_line(client: Client, ivy):
    login(client, ivy)
    response = client.post(
        "/import/",
        {
            "team": "payments",
            "format": "auto",
            "uploads": [
                SimpleUploadedFile("checkout.yml", GOOD.encode()),
                SimpleUploadedFile("payments.yml", MIXED.encode()),
            ],
        },
    )
    assert response.status_code == 422  # some rules failed; the good ones are in
    body = response.content.decode()
    assert "4 imported" in body and "3 invalid" in body
    down = RuleVersion.objects.get(rule__name="CheckoutDown")
    assert down.state == VersionState.APPROVED
    assert f'<a href="/versions/{down.pk}/">CheckoutDown</a>' in body
    assert 'data-rule="BrokenSyntax"' in body and "(line 9)" in body
    assert "expr is not valid PromQL" in body
    assert 'function &quot;humanizeX&quot; not defined' in body


def test_pasted_text_is_imported_under_its_name_and_htmx_gets_the_panel_only(client: Client, ivy):
    login(client, ivy)
    response = client.post(
        "/import/", {"team": "payments", "format": "auto", "text": GOOD, "name": "pasted.yml"},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="import-panel"' in body
    assert "<code>pasted.yml</code>" in body and "2 imported" in body
    version = RuleVersion.objects.get(rule__name="CheckoutDown")
    assert version.provenance["file"] == "pasted.yml"
    # The version page says where the rule came from.
    page = client.get(f"/versions/{version.pk}/").content.decode()
    assert "Imported from</dt><dd><code>pasted.yml</code>, line 4" in page


def test_nothing_to_import_is_a_form_error_with_status_400(client: Client, ivy):
    login(client, ivy)
    response = client.post("/import/", {"team": "payments", "format": "auto"})
    assert response.status_code == 400
    assert "Choose rule files to upload, or paste one." in response.content.decode()


def test_an_author_without_the_reviewer_role_is_told_why_they_cannot_import(client: Client, alice):
    login(client, alice)
    response = client.post("/import/", {"team": "payments", "format": "auto", "text": GOOD})
    assert response.status_code == 403
    assert "alice cannot import rules as approved baselines: needs the reviewer role" in (
        response.content.decode()
    )
    assert not RuleVersion.objects.exists()


def test_rule_text_is_shown_escaped(client: Client, ivy):
    login(client, ivy)
    evil = GOOD.replace("Checkout is down.", "<script>alert(1)</script>").replace(
        "CheckoutDown", "Checkout<b>Down"
    )
    body = client.post("/import/", {"team": "payments", "format": "auto", "text": evil}).content.decode()
    assert "<script>alert(1)</script>" not in body and "<b>Down" not in body
