"""Token auth for automation, and the OpenAPI schema that documents every endpoint."""

from __future__ import annotations

import pytest
import yaml
from rest_framework.test import APIClient

from tests.api.conftest import assert_error, new_version

pytestmark = pytest.mark.django_db


def test_it_gives_a_token_for_good_credentials_and_the_token_works(anonymous, team, alice):
    response = anonymous.post(
        "/api/token/", {"username": "alice", "password": "pw-alice"}, format="json"
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert response.json() == {"token": token}

    new_version(team, alice)
    automation = APIClient()
    automation.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert automation.get("/api/versions/").json()["count"] == 1
    again = anonymous.post(
        "/api/token/", {"username": "alice", "password": "pw-alice"}, format="json"
    )
    assert again.json()["token"] == token


def test_it_refuses_a_token_for_a_wrong_password(anonymous, alice):
    response = anonymous.post(
        "/api/token/", {"username": "alice", "password": "nope"}, format="json"
    )
    body = assert_error(response, 400, "invalid_input")
    assert "non_field_errors" in body["details"]["fields"]


def test_it_refuses_a_token_request_without_fields(anonymous):
    body = assert_error(anonymous.post("/api/token/", {}, format="json"), 400, "invalid_input")
    assert set(body["details"]["fields"]) == {"username", "password"}


def test_it_refuses_a_bad_token(anonymous, alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert_error(client.get("/api/versions/"), 401, "authentication_failed")


@pytest.fixture
def schema(anonymous):
    response = anonymous.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


ENDPOINTS = {
    "/api/generate/": {"post"},
    "/api/import/": {"post"},
    "/api/versions/": {"get"},
    "/api/versions/{id}/": {"get"},
    "/api/review-queue/": {"get"},
    "/api/versions/{id}/submit/": {"post"},
    "/api/versions/{id}/approve/": {"post"},
    "/api/versions/{id}/request-changes/": {"post"},
    "/api/versions/{id}/reject/": {"post"},
    "/api/versions/{id}/comment/": {"post"},
    "/api/versions/{id}/rollback/": {"post"},
    "/api/versions/{id}/refine/": {"post"},
    "/api/versions/{id}/edit/": {"post"},
    "/api/versions/{id}/diff/": {"get"},
    "/api/rules/{id}/": {"get"},
    "/api/rules/{id}/history/": {"get"},
    "/api/catalogs/": {"get"},
    "/api/catalogs/{slug}/": {"get"},
    "/api/catalogs/{slug}/metrics/": {"get"},
    "/api/token/": {"post"},
    "/api/exports/": {"get", "post"},
    "/api/exports/archive/": {"get"},
    "/api/exports/runs/{id}/": {"get"},
    "/api/exports/{name}/": {"get", "patch"},
    "/api/exports/{name}/run/": {"post"},
    "/api/exports/{name}/runs/": {"get"},
    "/api/exports/{name}/archive/": {"get"},
}


def test_the_schema_is_openapi_3_and_documents_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "monitorgen API"
    assert {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()} == ENDPOINTS


def test_the_schema_passes_the_openapi_validator(schema):
    from drf_spectacular.validation import validate_schema

    validate_schema(schema)


def test_every_operation_documents_its_success_and_error_bodies(schema):
    components = schema["components"]["schemas"]
    assert set(components["Error"]["properties"]) == {"code", "message", "details"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, f"{method} {path} documents no success response"
            assert "content" in responses[success[0]], f"{method} {path} has no success body"
            errors = [code for code in responses if code[0] in "45"]
            assert errors, f"{method} {path} documents no error response"
            for code in errors:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, code)
            assert operation.get("summary"), f"{method} {path} has no summary"


def test_lists_are_documented_as_pages(schema):
    for path in (
        "/api/versions/",
        "/api/review-queue/",
        "/api/catalogs/",
        "/api/catalogs/{slug}/metrics/",
    ):
        operation = schema["paths"][path]["get"]
        assert "page" in {p["name"] for p in operation["parameters"]}, path
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.split("/")[-1].startswith("Paginated"), path


def test_the_schema_documents_inputs_and_outputs_precisely(schema):
    components = schema["components"]["schemas"]
    assert set(components["GenerateInput"]["required"]) == {"intent", "catalog", "team", "group"}
    assert {"allowed_actions", "events", "explanation", "yaml", "spec"} <= set(
        components["VersionDetail"]["properties"]
    )
    version_filters = {p["name"] for p in schema["paths"]["/api/versions/"]["get"]["parameters"]}
    assert version_filters == {"page", "state", "team"}
    assert "against" in {
        p["name"] for p in schema["paths"]["/api/versions/{id}/diff/"]["get"]["parameters"]
    }
    assert schema["paths"]["/api/token/"]["post"].get("security") in (None, [], [{}])


def test_the_docs_page_is_served(client_for, alice):
    assert client_for(alice).get("/api/docs/").status_code == 200


def test_the_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    components = yaml.safe_load(out.read_text())["components"]["schemas"]
    assert components["VersionState"]["enum"][:2] == ["draft", "in_review"]
    assert "submit" in components["CallerAction"]["enum"]


def test_it_slows_down_password_guessing_on_the_token_endpoint(anonymous, alice, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    api_settings.reload()
    ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [
            anonymous.post("/api/token/", {"username": "alice", "password": f"guess{i}"},
                           format="json").status_code
            for i in range(4)
        ]
    finally:
        api_settings.reload()
        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes[:3] == [400, 400, 400]
    assert codes[3] == 429
