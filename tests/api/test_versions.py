"""Reading versions: lists, the review queue, and one version with what the caller may do."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.pagination import PageNumberPagination

from monitorgen.accounts.models import Role
from monitorgen.accounts.services import team_create
from monitorgen.rules.services import rule_version_approve, rule_version_comment
from tests.api.conftest import INTENT, assert_error, make_user, new_version, submitted
from tests.rules.conftest import INVALID

pytestmark = pytest.mark.django_db


def test_it_lists_the_versions_the_caller_can_see_newest_first(client_for, team, alice, dave):
    first = new_version(team, alice)
    second = new_version(team, alice, threshold="0.6")
    other_team = team_create(slug="search", name="Search")
    make_user("sam", Role.AUTHOR, team=other_team)
    hidden = new_version(other_team, make_user("sue", Role.AUTHOR, team=other_team))

    body = client_for(alice).get("/api/versions/").json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk]
    row = body["results"][1]
    assert row["rule"] == {
        "id": first.rule_id,
        "team": "payments",
        "group": "checkout",
        "name": "CheckoutHighLatency",
        "kind": "alert",
    }
    assert (row["number"], row["state"], row["valid"], row["created_by"]) == (
        1,
        "draft",
        True,
        "alice",
    )
    assert row["intent"] == INTENT
    assert hidden.pk not in [r["id"] for r in body["results"]]
    assert client_for(dave).get("/api/versions/").json()["count"] == 0


def test_it_filters_versions_by_state_and_team(client_for, team, alice):
    draft = new_version(team, alice)
    in_review = submitted(team, alice, threshold="0.6")
    client = client_for(alice)
    assert [r["id"] for r in client.get("/api/versions/?state=in_review").json()["results"]] == [
        in_review.pk
    ]
    assert [r["id"] for r in client.get("/api/versions/?state=draft").json()["results"]] == [
        draft.pk
    ]
    assert client.get("/api/versions/?team=payments").json()["count"] == 2
    assert client.get("/api/versions/?team=search").json()["count"] == 0


def test_it_refuses_an_unknown_state_filter(client_for, alice):
    body = assert_error(client_for(alice).get("/api/versions/?state=shipped"), 400, "invalid_input")
    assert "state" in body["details"]["fields"]


def test_it_paginates_the_version_list(client_for, team, alice, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for threshold in ("0.1", "0.2", "0.3"):
        new_version(team, alice, threshold=threshold)
    client = client_for(alice)
    first = client.get("/api/versions/").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    assert first["next"].endswith("/api/versions/?page=2")
    second = client.get("/api/versions/?page=2").json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_the_version_list_costs_the_same_queries_for_many_rows(
    client_for, team, alice, django_assert_num_queries
):
    client = client_for(alice)
    new_version(team, alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/versions/")
    for threshold in ("0.1", "0.2", "0.3", "0.4", "0.6", "0.7"):
        new_version(team, alice, threshold=threshold)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/api/versions/").json()
    assert body["count"] == 7


def test_the_review_queue_costs_the_same_queries_for_many_rows(
    client_for, team, alice, bob, django_assert_num_queries
):
    client = client_for(bob)
    submitted(team, alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/review-queue/")
    for threshold in ("0.1", "0.2", "0.3", "0.4"):
        submitted(team, alice, threshold=threshold)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/api/review-queue/").json()
    assert body["count"] == 5


def test_the_review_queue_shows_others_versions_in_review_oldest_first(
    client_for, team, alice, bob, erin
):
    older = submitted(team, alice)
    newer = submitted(team, erin, threshold="0.7")
    new_version(team, alice, threshold="0.9")  # a draft: not waiting for review

    for_bob = client_for(bob).get("/api/review-queue/").json()
    assert [r["id"] for r in for_bob["results"]] == [older.pk, newer.pk]
    for_alice = client_for(alice).get("/api/review-queue/").json()
    assert [r["id"] for r in for_alice["results"]] == [newer.pk]


def test_it_shows_a_version_with_content_explanation_and_history(client_for, team, alice, bob):
    version = submitted(team, alice, provenance={"generator": "manual"})
    rule_version_comment(version=version, actor=bob, comment="why 500ms?")

    body = client_for(bob).get(f"/api/versions/{version.pk}/").json()
    assert body["id"] == version.pk and body["state"] == "in_review"
    assert body["spec"]["alert"] == "CheckoutHighLatency"
    assert "alert: CheckoutHighLatency" in body["yaml"]
    assert body["explanation"]  # plain English, written by monitorgen.core.explain
    assert body["intent"] == INTENT
    assert body["provenance"] == {"generator": "manual"}
    assert body["validation"]["ok"] is True
    assert body["approvals"] == {"needed": 1, "received": 0}
    assert [(e["action"], e["actor"], e["comment"]) for e in body["events"]] == [
        ("create", "alice", ""),
        ("submit", "alice", ""),
        ("comment", "bob", "why 500ms?"),
    ]


def test_it_offers_the_reviewer_the_review_actions(client_for, team, alice, bob):
    version = submitted(team, alice)
    actions = client_for(bob).get(f"/api/versions/{version.pk}/").json()["allowed_actions"]
    assert actions == ["approve", "request_changes", "reject", "comment"]


def test_it_offers_the_author_no_review_actions_on_their_own_version(client_for, team, alice):
    version = submitted(team, alice)
    actions = client_for(alice).get(f"/api/versions/{version.pk}/").json()["allowed_actions"]
    assert actions == ["comment", "edit"]


def test_it_offers_the_author_submit_on_a_draft(client_for, team, alice):
    version = new_version(team, alice, provenance={"catalog": "http-service"})
    actions = client_for(alice).get(f"/api/versions/{version.pk}/").json()["allowed_actions"]
    assert actions == ["submit", "comment", "edit", "refine"]


def test_it_offers_rollback_only_on_an_earlier_approved_version(client_for, team, alice, bob):
    from monitorgen.rules.services import rule_version_approve

    first = submitted(team, alice)
    rule_version_approve(version=first, reviewer=bob)
    second = submitted(team, alice)
    rule_version_approve(version=second, reviewer=bob)
    on_first = client_for(alice).get(f"/api/versions/{first.pk}/").json()["allowed_actions"]
    on_second = client_for(alice).get(f"/api/versions/{second.pk}/").json()["allowed_actions"]
    assert "rollback" in on_first and "edit" not in on_first
    assert "rollback" not in on_second and "edit" in on_second


def test_it_does_not_offer_approval_of_an_invalid_version(client_for, team, alice, bob):
    version = submitted(team, alice, validation=INVALID)
    actions = client_for(bob).get(f"/api/versions/{version.pk}/").json()["allowed_actions"]
    assert "approve" not in actions and "request_changes" in actions


def test_it_does_not_offer_a_second_approval_by_the_same_reviewer(
    client_for, team, alice, bob, carol
):
    team.approvals_required = 2
    team.save()
    version = submitted(team, alice)
    rule_version_approve(version=version, reviewer=bob)
    body = client_for(bob).get(f"/api/versions/{version.pk}/").json()
    assert body["approvals"] == {"needed": 2, "received": 1}
    assert "approve" not in body["allowed_actions"]
    assert (
        "approve" in client_for(carol).get(f"/api/versions/{version.pk}/").json()["allowed_actions"]
    )


def test_it_hides_other_teams_versions_from_outsiders(client_for, team, alice, dave):
    version = new_version(team, alice)
    assert_error(client_for(dave).get(f"/api/versions/{version.pk}/"), 404, "not_found")


def test_admins_see_every_team(client_for, team, alice):
    admin = make_user("ada", Role.ADMIN)
    version = new_version(team, alice)
    assert client_for(admin).get(f"/api/versions/{version.pk}/").status_code == 200
    assert client_for(admin).get("/api/versions/").json()["count"] == 1
