"""The review workflow: versions, transitions, four-eyes, quorum, supersession, history."""

from __future__ import annotations

import pytest

from monitorgen.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from monitorgen.rules.models import ImmutableRecord, ReviewEvent, RuleVersion
from monitorgen.rules.services import (
    rule_version_approve,
    rule_version_comment,
    rule_version_create,
    rule_version_mark_exported,
    rule_version_reject,
    rule_version_request_changes,
    rule_version_rollback,
    rule_version_submit,
)
from monitorgen.rules.transitions import Action, VersionState
from tests.rules.conftest import INVALID, VALID, latency_rule

pytestmark = pytest.mark.django_db


def new_version(team, author, *, validation=VALID, threshold="0.5"):
    return rule_version_create(
        team=team, group="checkout", spec=latency_rule(threshold), author=author,
        intent="page me if checkout p99 is over 500ms for 10m", validation=validation,
    )


def submitted(team, author, **kwargs):
    return rule_version_submit(version=new_version(team, author, **kwargs), actor=author)


def test_it_creates_numbered_immutable_versions(team, alice):
    first = new_version(team, alice)
    second = new_version(team, alice, threshold="0.6")
    assert (first.number, second.number) == (1, 2)
    assert first.rule_id == second.rule_id
    assert first.state == VersionState.DRAFT
    assert "CheckoutHighLatency" in first.yaml and len(first.content_sha256) == 64
    first.intent = "changed"
    with pytest.raises(ImmutableRecord):
        first.save()
    with pytest.raises(ImmutableRecord):
        first.delete()


def test_it_records_every_transition_as_an_event(team, alice, bob):
    version = submitted(team, alice)
    rule_version_approve(version=version, reviewer=bob, comment="looks right")
    events = list(ReviewEvent.objects.filter(version=version).values_list("action", "from_state", "to_state"))
    assert events == [
        (Action.CREATE, VersionState.DRAFT, VersionState.DRAFT),
        (Action.SUBMIT, VersionState.DRAFT, VersionState.IN_REVIEW),
        (Action.APPROVE, VersionState.IN_REVIEW, VersionState.APPROVED),
    ]
    event = ReviewEvent.objects.get(version=version, action=Action.APPROVE)
    assert event.actor == bob and event.comment == "looks right"
    with pytest.raises(ImmutableRecord):
        event.save()


def test_it_rejects_approval_by_the_author(team, alice):
    alice_also_reviews = alice
    from monitorgen.accounts.models import Role
    from monitorgen.accounts.services import user_role_grant

    user_role_grant(user=alice_also_reviews, role=Role.REVIEWER)
    version = submitted(team, alice)
    with pytest.raises(PermissionDenied, match="second engineer"):
        rule_version_approve(version=version, reviewer=alice_also_reviews)
    assert RuleVersion.objects.get(pk=version.pk).state == VersionState.IN_REVIEW


def test_it_refuses_approval_by_someone_without_the_reviewer_role(team, alice):
    from monitorgen.accounts.models import Role
    from tests.rules.conftest import make_user

    other_author = make_user("erin", Role.AUTHOR, team=team)
    version = submitted(team, alice)
    with pytest.raises(PermissionDenied, match="reviewer role"):
        rule_version_approve(version=version, reviewer=other_author)


def test_it_refuses_a_reviewer_outside_the_team(team, alice, dave):
    version = submitted(team, alice)
    with pytest.raises(PermissionDenied, match="not a member"):
        rule_version_approve(version=version, reviewer=dave)


def test_it_refuses_to_approve_a_version_that_failed_validation(team, alice, bob):
    version = submitted(team, alice, validation=INVALID)
    with pytest.raises(InvalidTransition, match="failed validation"):
        rule_version_approve(version=version, reviewer=bob)


def test_it_refuses_to_approve_a_draft(team, alice, bob):
    version = new_version(team, alice)
    with pytest.raises(InvalidTransition, match="cannot approve a version that is draft"):
        rule_version_approve(version=version, reviewer=bob)


def test_it_waits_for_the_teams_quorum_of_distinct_reviewers(team, alice, bob, carol):
    team.approvals_required = 2
    team.save()
    version = submitted(team, alice)
    rule_version_approve(version=version, reviewer=bob)
    assert RuleVersion.objects.get(pk=version.pk).state == VersionState.IN_REVIEW
    with pytest.raises(Conflict, match="already approved"):
        rule_version_approve(version=version, reviewer=bob)
    rule_version_approve(version=version, reviewer=carol)
    assert RuleVersion.objects.get(pk=version.pk).state == VersionState.APPROVED


def test_it_supersedes_the_previously_approved_version(team, alice, bob):
    first = submitted(team, alice)
    rule_version_approve(version=first, reviewer=bob)
    rule_version_mark_exported(version=first, actor=bob)
    second = submitted(team, alice, threshold="0.7")
    rule_version_approve(version=second, reviewer=bob)
    assert RuleVersion.objects.get(pk=first.pk).state == VersionState.SUPERSEDED
    assert RuleVersion.objects.get(pk=second.pk).state == VersionState.APPROVED


def test_it_requires_a_comment_to_request_changes_or_reject(team, alice, bob):
    version = submitted(team, alice)
    with pytest.raises(InvalidInput):
        rule_version_request_changes(version=version, reviewer=bob, comment=" ")
    with pytest.raises(InvalidInput):
        rule_version_reject(version=version, reviewer=bob, comment="")
    rule_version_request_changes(version=version, reviewer=bob, comment="use 15m")
    assert RuleVersion.objects.get(pk=version.pk).state == VersionState.CHANGES_REQUESTED


def test_it_does_not_allow_a_rejected_version_to_be_approved(team, alice, bob, carol):
    version = submitted(team, alice)
    rule_version_reject(version=version, reviewer=bob, comment="wrong metric")
    with pytest.raises(InvalidTransition):
        rule_version_approve(version=version, reviewer=carol)


def test_it_rolls_back_by_resubmitting_an_old_version(team, alice, bob):
    first = submitted(team, alice)
    rule_version_approve(version=first, reviewer=bob)
    second = submitted(team, alice, threshold="0.9")
    rule_version_approve(version=second, reviewer=bob)
    rollback = rule_version_rollback(version=first, author=alice)
    assert rollback.number == 3
    assert rollback.state == VersionState.IN_REVIEW
    assert rollback.spec == first.spec and rollback.based_on_id == first.pk
    assert rollback.content_sha256 == first.content_sha256


def test_it_keeps_comments_in_the_history_without_changing_state(team, alice, bob):
    version = submitted(team, alice)
    rule_version_comment(version=version, actor=bob, comment="why 0.5?")
    event = ReviewEvent.objects.filter(version=version).last()
    assert event is not None
    assert (event.action, event.to_state, event.comment) == (Action.COMMENT, VersionState.IN_REVIEW, "why 0.5?")


def test_an_author_outside_the_team_cannot_write_its_rules(team, db):
    from monitorgen.accounts.models import Role
    from tests.rules.conftest import make_user

    outsider = make_user("frank", Role.AUTHOR)
    with pytest.raises(PermissionDenied):
        new_version(team, outsider)
