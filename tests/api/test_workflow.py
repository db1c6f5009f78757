"""The review workflow over HTTP: who may do what, and what state a version can be in."""

from __future__ import annotations

import pytest

from monitorgen.accounts.models import Role
from monitorgen.rules.models import ReviewEvent, RuleVersion
from monitorgen.rules.transitions import Action, VersionState
from tests.api.conftest import assert_error, make_user, new_version, submitted
from tests.rules.conftest import INVALID

pytestmark = pytest.mark.django_db


def post(client, version, action, **body):
    return client.post(f"/api/versions/{version.pk}/{action}/", body, format="json")


def test_an_author_submits_a_draft_for_review(client_for, team, alice):
    version = new_version(team, alice)
    response = post(client_for(alice), version, "submit", comment="ready")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "in_review"
    assert body["events"][-1] | {"created_at": None, "id": None} == {
        "id": None,
        "version": version.pk,
        "action": "submit",
        "from_state": "draft",
        "to_state": "in_review",
        "actor": "alice",
        "comment": "ready",
        "created_at": None,
    }
    assert RuleVersion.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


def test_a_reviewer_cannot_submit(client_for, team, alice, bob):
    version = new_version(team, alice)
    body = assert_error(post(client_for(bob), version, "submit"), 403, "permission_denied")
    assert "author" in body["message"]


def test_a_second_engineer_approves(client_for, team, alice, bob):
    version = submitted(team, alice)
    response = post(client_for(bob), version, "approve", comment="lgtm")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    assert response.json()["approvals"] == {"needed": 1, "received": 1}


def test_it_refuses_approval_by_the_author(client_for, team):
    author_and_reviewer = make_user("rita", Role.AUTHOR, Role.REVIEWER, team=team)
    version = submitted(team, author_and_reviewer)
    body = assert_error(
        post(client_for(author_and_reviewer), version, "approve"), 403, "permission_denied"
    )
    assert "second engineer" in body["message"]
    assert RuleVersion.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


def test_it_refuses_approval_by_an_author_without_the_reviewer_role(client_for, team, alice, erin):
    version = submitted(team, alice)
    assert_error(post(client_for(erin), version, "approve"), 403, "permission_denied")


def test_it_hides_versions_from_a_reviewer_of_another_team(client_for, team, alice, dave):
    version = submitted(team, alice)
    for action in ("approve", "reject", "comment"):
        assert_error(post(client_for(dave), version, action, comment="x"), 404, "not_found")
    assert not ReviewEvent.objects.filter(actor=dave).exists()


def test_it_refuses_to_approve_a_draft_as_an_invalid_transition(client_for, team, alice, bob):
    version = new_version(team, alice)
    body = assert_error(post(client_for(bob), version, "approve"), 409, "invalid_transition")
    assert body["details"] == {"action": "approve", "state": "draft"}


def test_it_refuses_to_submit_twice(client_for, team, alice):
    version = submitted(team, alice)
    assert_error(post(client_for(alice), version, "submit"), 409, "invalid_transition")


def test_it_refuses_to_approve_a_version_that_failed_validation(client_for, team, alice, bob):
    version = submitted(team, alice, validation=INVALID)
    body = assert_error(post(client_for(bob), version, "approve"), 409, "invalid_transition")
    assert "failed validation" in body["message"]


def test_a_reviewer_requests_changes_with_a_comment(client_for, team, alice, bob):
    version = submitted(team, alice)
    response = post(client_for(bob), version, "request-changes", comment="page after 15m")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "changes_requested"
    assert response.json()["events"][-1]["comment"] == "page after 15m"


@pytest.mark.parametrize("action", ["request-changes", "reject", "comment"])
@pytest.mark.parametrize("body", [{}, {"comment": ""}, {"comment": "   "}])
def test_it_requires_a_comment(client_for, team, alice, bob, action, body):
    version = submitted(team, alice)
    response = client_for(bob).post(f"/api/versions/{version.pk}/{action}/", body, format="json")
    errors = assert_error(response, 400, "invalid_input")
    assert "comment" in errors["details"]["fields"]
    assert RuleVersion.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


def test_a_reviewer_rejects_with_a_reason(client_for, team, alice, bob):
    version = submitted(team, alice)
    response = post(client_for(bob), version, "reject", comment="duplicate of the SLO alert")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "rejected"
    assert "approve" not in response.json()["allowed_actions"]


def test_any_team_member_comments(client_for, team, alice, bob):
    version = submitted(team, alice)
    response = post(client_for(alice), version, "comment", comment="see the runbook")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["action"], body["actor"], body["comment"]) == (
        "comment",
        "alice",
        "see the runbook",
    )
    assert body["from_state"] == body["to_state"] == "in_review"


def test_rolling_back_resubmits_an_old_version_as_a_new_one(client_for, team, alice, bob):
    old = submitted(team, alice)
    post(client_for(bob), old, "approve")
    newer = submitted(team, alice, threshold="0.9")
    post(client_for(bob), newer, "approve")

    response = post(client_for(alice), old, "rollback")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["state"], body["based_on"]) == (3, "in_review", old.pk)
    assert body["spec"] == RuleVersion.objects.get(pk=old.pk).spec
    assert body["provenance"]["rollback_of"] == 1


def test_a_reviewer_without_the_author_role_cannot_roll_back(client_for, team, alice, bob):
    version = submitted(team, alice)
    assert_error(post(client_for(bob), version, "rollback"), 403, "permission_denied")
    assert RuleVersion.objects.count() == 1


def test_the_approval_is_recorded_once_per_reviewer(client_for, team, alice, bob):
    team.approvals_required = 2
    team.save()
    version = submitted(team, alice)
    assert post(client_for(bob), version, "approve").json()["state"] == "in_review"
    assert_error(post(client_for(bob), version, "approve"), 409, "conflict")
    assert ReviewEvent.objects.filter(version=version, action=Action.APPROVE).count() == 1
