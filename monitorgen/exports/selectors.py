"""Reads of export targets and runs, filtered by what the viewer may see.

Admins see every target; other users see the targets of their teams (a target without a team
filter exports every team's rules, so only admins see it).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from monitorgen.accounts.services import user_is_admin
from monitorgen.core.errors import NotFound
from monitorgen.exports.models import ExportRun, ExportTarget
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.selectors import rule_version_list

Viewer = User | AnonymousUser


def export_target_list(*, viewer: Viewer) -> QuerySet[ExportTarget]:
    qs = ExportTarget.objects.select_related("team")
    if not user_is_admin(viewer):
        qs = qs.filter(team__members=viewer.pk)
    return qs.order_by("name")


def export_target_get(*, viewer: Viewer, name: str) -> ExportTarget:
    target = export_target_list(viewer=viewer).filter(name=name).first()
    if target is None:
        raise NotFound(f"export target {name!r} does not exist or is not visible to you")
    return target


def export_targets_enabled() -> QuerySet[ExportTarget]:
    """Every enabled target (for the command line, which acts for the operator)."""
    return ExportTarget.objects.filter(enabled=True).select_related("team").order_by("name")


def export_run_list(
    *, viewer: Viewer, target: ExportTarget | None = None
) -> QuerySet[ExportRun]:
    qs = ExportRun.objects.select_related("target", "triggered_by").defer("diff")
    if target is not None:
        qs = qs.filter(target=target)
    if not user_is_admin(viewer):
        qs = qs.filter(target__team__members=viewer.pk)
    return qs.order_by("-started_at", "-id")


def export_run_get(*, viewer: Viewer, pk: int) -> ExportRun:
    qs = ExportRun.objects.select_related("target__team", "triggered_by")
    if not user_is_admin(viewer):
        qs = qs.filter(target__team__members=viewer.pk)
    run = qs.filter(pk=pk).first()
    if run is None:
        raise NotFound(f"export run {pk} does not exist or is not visible to you")
    return run


def export_run_versions(*, viewer: Viewer, run: ExportRun) -> QuerySet[RuleVersion]:
    """The versions a run included (those the viewer may see), by team, group and rule."""
    ids = [pair[0] for pair in run.versions]
    return (
        rule_version_list(viewer=viewer)
        .filter(pk__in=ids)
        .order_by("rule__team__slug", "rule__group", "rule__name")
    )
