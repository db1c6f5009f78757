"""Reads of rules, versions and history, filtered by what the viewer may see."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from monitorgen.accounts.models import Role, Team
from monitorgen.accounts.services import user_has_role, user_is_admin
from monitorgen.core.errors import NotFound
from monitorgen.rules.models import ReviewEvent, Rule, RuleVersion
from monitorgen.rules.transitions import Action, VersionState, allowed_actions


def _visible_versions(viewer: User | AnonymousUser) -> QuerySet[RuleVersion]:
    qs = RuleVersion.objects.all()
    if not user_is_admin(viewer):
        qs = qs.filter(rule__team__members=viewer.pk)
    return qs


def rule_version_list(
    *, viewer: User | AnonymousUser, state: str | None = None, team: str | None = None
) -> QuerySet[RuleVersion]:
    qs = _visible_versions(viewer).select_related("rule__team", "created_by")
    if state:
        qs = qs.filter(state=state)
    if team:
        qs = qs.filter(rule__team__slug=team)
    return qs.order_by("-created_at", "-id")


def review_queue(*, viewer: User | AnonymousUser) -> QuerySet[RuleVersion]:
    """Versions waiting for review, oldest first, excluding the viewer's own."""
    return (
        rule_version_list(viewer=viewer, state=VersionState.IN_REVIEW)
        .exclude(created_by_id=viewer.pk)
        .order_by("created_at", "id")
    )


def rule_version_get(*, viewer: User | AnonymousUser, pk: int) -> RuleVersion:
    version = (
        _visible_versions(viewer).select_related("rule__team", "created_by").filter(pk=pk).first()
    )
    if version is None:
        raise NotFound(f"rule version {pk} does not exist or is not visible to you")
    return version


def rule_get(*, viewer: User | AnonymousUser, pk: int) -> Rule:
    qs = Rule.objects.select_related("team")
    if not user_is_admin(viewer):
        qs = qs.filter(team__members=viewer.pk)
    rule = qs.filter(pk=pk).first()
    if rule is None:
        raise NotFound(f"rule {pk} does not exist or is not visible to you")
    return rule


def rule_history(*, rule: Rule) -> QuerySet[ReviewEvent]:
    return (
        ReviewEvent.objects.filter(version__rule=rule)
        .select_related("actor", "version")
        .order_by("created_at", "id")
    )


def rule_live_versions(*, team: str | None = None) -> QuerySet[RuleVersion]:
    """The approved or exported version of every non-retired rule (what an export writes)."""
    qs = RuleVersion.objects.filter(
        state__in=[VersionState.APPROVED, VersionState.EXPORTED], rule__retired=False
    ).select_related("rule__team", "created_by")
    if team:
        qs = qs.filter(rule__team__slug=team)
    return qs.order_by("rule__team__slug", "rule__group", "rule__name")


class VersionAction(StrEnum):
    """What a viewer may do with a version now, as offered by the UI and the API."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    COMMENT = "comment"
    EDIT = "edit"
    REFINE = "refine"
    ROLLBACK = "rollback"


_REVIEW_ACTIONS = {Action.APPROVE, Action.REQUEST_CHANGES, Action.REJECT}
_ROLLBACK_FROM = {VersionState.APPROVED, VersionState.EXPORTED, VersionState.SUPERSEDED}


def version_actions_for(
    *, viewer: User, version: RuleVersion, events: Iterable[ReviewEvent], latest_number: int
) -> list[VersionAction]:
    """The actions `viewer` may take on a version visible to them, mirroring the services' guards.

    The services stay the authority (they refuse anything not allowed); this only decides which
    buttons and `allowed_actions` to offer, once, for both the web UI and the API.
    """
    is_author = user_has_role(viewer, Role.AUTHOR)
    is_reviewer = user_has_role(viewer, Role.REVIEWER)
    own = version.created_by_id == viewer.pk
    approvers = {event.actor_id for event in events if event.action == Action.APPROVE}
    latest = version.number == latest_number
    actions: list[VersionAction] = []
    for action in allowed_actions(version.state):
        if action == Action.SUBMIT and is_author:
            actions.append(VersionAction.SUBMIT)
        elif action in _REVIEW_ACTIONS and is_reviewer and not own:
            if action == Action.APPROVE and (not version.valid or viewer.pk in approvers):
                continue
            actions.append(VersionAction(action))
    actions.append(VersionAction.COMMENT)
    if is_author and latest:
        actions.append(VersionAction.EDIT)
        if version.rule.kind == "alert" and version.provenance.get("catalog"):
            actions.append(VersionAction.REFINE)
    if is_author and not latest and version.state in _ROLLBACK_FROM:
        actions.append(VersionAction.ROLLBACK)
    return actions


def rule_latest_version_number(*, rule_id: int) -> int:
    number = (
        RuleVersion.objects.filter(rule_id=rule_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return number or 0


def rule_version_approvers(*, version_ids: Iterable[int]) -> dict[int, list[str]]:
    """Who approved (or imported as a baseline) each version: usernames in approval order."""
    found: dict[int, list[str]] = {}
    rows = (
        ReviewEvent.objects.filter(
            version_id__in=list(version_ids), action__in=[Action.APPROVE, Action.IMPORT]
        )
        .order_by("created_at", "id")
        .values_list("version_id", "actor__username")
    )
    for version_id, username in rows:
        names = found.setdefault(version_id, [])
        if username not in names:
            names.append(username)
    return found


def rule_versions_with_content(*, team: Team, shas: Iterable[str]) -> list[RuleVersion]:
    """The team's versions whose content hash is one of `shas` (any state), with their rule."""
    wanted = sorted(set(shas))
    found: list[RuleVersion] = []
    for start in range(0, len(wanted), 500):  # bounded IN lists, whatever the database
        found += RuleVersion.objects.filter(
            rule__team=team, content_sha256__in=wanted[start : start + 500]
        ).select_related("rule").defer("yaml", "spec", "validation", "provenance", "unit_tests")
    return found


def rule_version_specs(*, version_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The stored spec of each version, by id (for callers that read versions as plain values)."""
    rows = RuleVersion.objects.filter(pk__in=list(version_ids)).values_list("pk", "spec")
    return dict(rows)
