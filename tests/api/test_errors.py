"""Every error the API returns has one shape: {"code", "message", "details"}."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error, new_version

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/api/versions/", "/api/review-queue/", "/api/catalogs/", "/api/versions/1/"]
)
def test_it_refuses_anonymous_callers_with_the_error_shape(anonymous, url):
    response = anonymous.get(url)
    body = assert_error(response, 401, "not_authenticated")
    assert "credentials" in body["message"]
    assert response["WWW-Authenticate"] == "Token"


def test_it_refuses_anonymous_writes_with_the_error_shape(anonymous, team, alice):
    version = new_version(team, alice)
    response = anonymous.post(f"/api/versions/{version.pk}/submit/", {}, format="json")
    assert_error(response, 401, "not_authenticated")


def test_it_answers_an_unknown_version_with_not_found(client_for, alice):
    body = assert_error(client_for(alice).get("/api/versions/999999/"), 404, "not_found")
    assert "999999" in body["message"]


def test_it_answers_an_unknown_api_url_with_a_json_not_found(client_for, alice, anonymous):
    assert_error(client_for(alice).get("/api/no-such-thing/"), 404, "not_found")
    assert_error(anonymous.post("/api/versions/1/no-such-action/"), 404, "not_found")


def test_it_answers_a_wrong_method_with_method_not_allowed(client_for, team, alice):
    version = new_version(team, alice)
    response = client_for(alice).get(f"/api/versions/{version.pk}/approve/")
    body = assert_error(response, 405, "method_not_allowed")
    assert "GET" in body["message"]
    assert_error(
        client_for(alice).delete(f"/api/versions/{version.pk}/"), 405, "method_not_allowed"
    )


def test_it_lists_each_bad_field_in_the_details(client_for, alice):
    response = client_for(alice).post("/api/generate/", {"intent": ""}, format="json")
    body = assert_error(response, 400, "invalid_input")
    fields = body["details"]["fields"]
    assert set(fields) >= {"intent", "catalog", "team", "group"}
    assert all(isinstance(messages, list) and messages for messages in fields.values())


def test_it_refuses_a_malformed_json_body_with_parse_error(client_for, alice):
    response = client_for(alice).post(
        "/api/generate/", data="{not json", content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_it_refuses_a_bad_page_number_with_not_found(client_for, alice):
    assert_error(client_for(alice).get("/api/versions/?page=99"), 404, "not_found")
