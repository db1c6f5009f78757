"""Reads of rules, versions and history, filtered by what the viewer may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from monitorgen.accounts.services import user_is_admin
from monitorgen.core.errors import NotFound
from monitorgen.rules.models import ReviewEvent, Rule, RuleVersion
from monitorgen.rules.transitions import VersionState


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
