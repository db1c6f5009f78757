"""Diffs between versions, and a rule with its versions and history."""

from __future__ import annotations

import pytest

from monitorgen.accounts.models import Role
from monitorgen.accounts.services import team_create
from monitorgen.rules.services import rule_version_approve
from tests.api.conftest import assert_error, make_user, new_version, submitted

pytestmark = pytest.mark.django_db


def test_it_diffs_a_version_against_the_previous_one_by_default(client_for, team, alice):
    new_version(team, alice, threshold="0.5")
    second = new_version(team, alice, threshold="0.7")
    response = client_for(alice).get(f"/api/versions/{second.pk}/diff/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == second.pk and body["changed"] is True
    assert [change["path"] for change in body["field_changes"]] == ["expr"]
    assert {line["kind"] for line in body["yaml"]} == {"same", "added", "removed"}
    assert "> 0.7" in body["unified"] and "> 0.5" in body["unified"]
    assert body["explanation"]


def test_it_diffs_against_the_version_asked_for(client_for, team, alice):
    first = new_version(team, alice, threshold="0.5")
    new_version(team, alice, threshold="0.7")
    third = new_version(team, alice, threshold="0.5")
    body = client_for(alice).get(f"/api/versions/{third.pk}/diff/?against={first.pk}").json()
    assert body["against"] == first.pk
    assert body["changed"] is False and body["field_changes"] == []


def test_a_first_version_is_diffed_against_nothing(client_for, team, alice):
    first = new_version(team, alice)
    body = client_for(alice).get(f"/api/versions/{first.pk}/diff/").json()
    assert body["against"] is None
    assert body["yaml"] and {line["kind"] for line in body["yaml"]} == {"added"}


def test_it_refuses_to_diff_against_a_version_the_caller_cannot_see(client_for, team, alice):
    other = team_create(slug="search", name="Search")
    hidden = new_version(other, make_user("sue", Role.AUTHOR, team=other))
    mine = new_version(team, alice)
    response = client_for(alice).get(f"/api/versions/{mine.pk}/diff/?against={hidden.pk}")
    assert_error(response, 404, "not_found")


def test_it_refuses_a_bad_against_parameter(client_for, team, alice):
    version = new_version(team, alice)
    body = assert_error(
        client_for(alice).get(f"/api/versions/{version.pk}/diff/?against=latest"),
        400,
        "invalid_input",
    )
    assert "against" in body["details"]["fields"]


def test_it_shows_a_rule_with_its_versions_newest_first(client_for, team, alice):
    first = new_version(team, alice)
    second = new_version(team, alice, threshold="0.7")
    response = client_for(alice).get(f"/api/rules/{first.rule_id}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["team"], body["group"], body["name"], body["kind"]) == (
        "payments",
        "checkout",
        "CheckoutHighLatency",
        "alert",
    )
    assert [(v["id"], v["number"]) for v in body["versions"]] == [(second.pk, 2), (first.pk, 1)]
    assert body["versions"][0]["created_by"] == "alice"


def test_it_shows_a_rules_history_across_versions(client_for, team, alice, bob):
    first = submitted(team, alice)
    rule_version_approve(version=first, reviewer=bob)
    second = submitted(team, alice, threshold="0.7")
    rule_version_approve(version=second, reviewer=bob)
    body = client_for(alice).get(f"/api/rules/{first.rule_id}/history/").json()
    assert [(e["version_number"], e["action"], e["actor"]) for e in body] == [
        (1, "create", "alice"),
        (1, "submit", "alice"),
        (1, "approve", "bob"),
        (2, "create", "alice"),
        (2, "submit", "alice"),
        (2, "approve", "bob"),
        (1, "supersede", "bob"),
    ]


def test_it_hides_rules_from_outsiders(client_for, team, alice, dave):
    version = new_version(team, alice)
    assert_error(client_for(dave).get(f"/api/rules/{version.rule_id}/"), 404, "not_found")
    assert_error(client_for(dave).get(f"/api/rules/{version.rule_id}/history/"), 404, "not_found")
