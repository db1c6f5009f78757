"""The rule editor's server side: the vocabulary it completes from, the edit form that hosts it,
and the committed bundle (built from frontend/, served without Node)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import rule_version_create
from monitorgen.web import pages
from tests.web.conftest import VALID, import_http_catalog, latency_rule, login

FRONTEND = Path(settings.BASE_DIR) / "frontend"
BUNDLE = "vendor/editor/editor.min.js"
LICENSES = "vendor/editor/THIRD_PARTY_LICENSES.txt"


def vocabulary_url(slug: str = "http-service") -> str:
    return reverse("web:catalog-vocabulary", args=[slug])


def textarea_of(body: str) -> str:
    match = re.search(r"<textarea[^>]*name=\"text\"[^>]*>(.*?)</textarea>", body, re.S)
    assert match, "the edit form has no textarea"
    return match.group(0)


# --- the vocabulary ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_vocabulary_needs_a_signed_in_user(client: Client, catalog):
    response = client.get(vocabulary_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_the_vocabulary_lists_series_with_their_type_and_label_names(client: Client, alice, catalog):
    login(client, alice)
    response = client.get(vocabulary_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["catalog"] == "http-service"
    assert data["truncated"] is False
    labels_of = {entry["name"]: data["label_sets"][entry["labels"]] for entry in data["metrics"]}
    by_name = {entry["name"]: entry for entry in data["metrics"]}
    assert list(by_name) == [
        "http_request_duration_seconds_bucket",
        "http_request_duration_seconds_count",
        "http_request_duration_seconds_sum",
        "http_requests_total",
    ]
    assert by_name["http_requests_total"]["type"] == "counter"
    assert "family" not in by_name["http_requests_total"]
    assert labels_of["http_requests_total"] == ["code", "instance", "job", "method", "route", "service"]
    # Only the bucket series has `le`; series with the same labels share one label set.
    assert "le" in labels_of["http_request_duration_seconds_bucket"]
    assert "le" not in labels_of["http_request_duration_seconds_sum"]
    assert len(data["label_sets"]) == 2
    assert by_name["http_request_duration_seconds_sum"]["family"] == "http_request_duration_seconds"


@pytest.mark.django_db
def test_the_vocabulary_leaves_out_help_text_and_label_values(client: Client, alice):
    import_http_catalog(
        metrics=[
            {
                "name": "http_requests_total",
                "type": "counter",
                "help": "<img src=x onerror=alert(1)> requests",
                "labels": ["service"],
                "label_values": {"service": ["<script>alert(1)</script>"]},
            }
        ]
    )
    login(client, alice)
    body = client.get(vocabulary_url()).content.decode()
    assert "onerror" not in body
    assert "script" not in body
    assert "requests\"" not in body and "help" not in body


@pytest.mark.django_db
def test_a_large_catalog_is_cut_off_and_says_so(client: Client, alice, catalog, monkeypatch):
    monkeypatch.setattr(pages, "EDITOR_VOCABULARY_LIMIT", 2)
    login(client, alice)
    data = client.get(vocabulary_url()).json()
    assert data["truncated"] is True
    assert [entry["name"] for entry in data["metrics"]] == [
        "http_request_duration_seconds_bucket",
        "http_request_duration_seconds_count",
    ]


@pytest.mark.django_db
def test_the_vocabulary_of_an_unknown_catalog_is_not_found(client: Client, alice, catalog):
    login(client, alice)
    response = client.get(vocabulary_url("no-such-catalog"))
    assert response.status_code == 404
    assert "no catalog 'no-such-catalog'" in html.unescape(response.content.decode())


# --- the edit form -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_edit_form_asks_for_the_editor_and_names_the_rules_catalog(client: Client, draft, alice):
    login(client, alice)
    body = client.get(reverse("web:version", args=[draft.pk])).content.decode()
    textarea = textarea_of(body)
    assert 'data-editor="yaml"' in textarea
    assert f'data-catalog-url="{vocabulary_url()}"' in textarea
    assert 'aria-describedby="edit-help"' in textarea
    assert '<p class="muted" id="edit-help">' in body
    assert f'src="/static/{BUNDLE}" defer' in body
    # The editor's key help says nothing until the editor exists to make it true.
    assert '<p class="help editor-keys" data-editor-help="" hidden>' in body


@pytest.mark.django_db
def test_a_version_without_a_catalog_gets_an_editor_without_names(client: Client, alice):
    version = rule_version_create(
        team=alice.teams.get(), group="checkout", spec=latency_rule(), author=alice,
        provenance={"generator": "manual"}, validation=VALID,
    )
    login(client, alice)
    textarea = textarea_of(client.get(reverse("web:version", args=[version.pk])).content.decode())
    assert 'data-editor="yaml"' in textarea
    assert "data-catalog-url" not in textarea


@pytest.mark.django_db
def test_the_edit_form_holds_the_one_rule_the_edit_service_takes(
    client: Client, draft, alice, catalog
):
    login(client, alice)
    textarea = textarea_of(client.get(reverse("web:version", args=[draft.pk])).content.decode())
    text = html.unescape(re.sub(r"^<textarea[^>]*>\n?|</textarea>$", "", textarea))
    assert text.startswith("alert: CheckoutHighLatency\nexpr: histogram_quantile(")
    assert "groups:" not in text
    response = client.post(
        reverse("web:version-edit", args=[draft.pk]), {"text": text.replace("for: 10m", "for: 15m")}
    )
    assert response.status_code == 302
    assert RuleVersion.objects.get(rule=draft.rule, number=2).spec["for"] == "15m"


# --- the bundle ----------------------------------------------------------------------------------
def test_the_bundle_and_its_licenses_are_served_as_static_files():
    bundle = finders.find(BUNDLE)
    licenses = finders.find(LICENSES)
    assert bundle and licenses
    assert Path(bundle).read_text(encoding="utf-8").startswith("/* monitorgen rule editor")


def test_every_dependency_is_pinned_exactly_and_locked_at_that_version():
    manifest = json.loads((FRONTEND / "package.json").read_text())
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    pinned = {**manifest["dependencies"], **manifest["devDependencies"]}
    for name, version in pinned.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_the_licenses_cover_every_bundled_dependency_at_its_locked_version():
    manifest = json.loads((FRONTEND / "package.json").read_text())
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    licenses = Path(finders.find(LICENSES) or "").read_text(encoding="utf-8")
    for name in manifest["dependencies"]:
        version = lock["packages"][f"node_modules/{name}"]["version"]
        assert f"\n  {name} {version} (" in licenses, f"{name} {version} missing from the licenses"
    assert "Apache License" in licenses  # codemirror-promql's own text, not just its name
