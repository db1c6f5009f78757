"""Use cases of the review workflow: the only code that creates versions or moves their state.

Every state change goes through `_move`, which re-reads the version under a row lock
(`select_for_update`), checks the transition table, updates with compare-and-swap on the old
state, and appends a `ReviewEvent`. Two reviewers acting at once therefore cannot both win an
incompatible transition: the second one sees the new state and is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import transaction

from monitorgen.accounts.models import Role, Team
from monitorgen.accounts.services import require_role, require_team_access
from monitorgen.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from monitorgen.core.rulefile import render_rules, rule_to_data
from monitorgen.core.spec import AnyRule, rule_from_data
from monitorgen.rules.models import ReviewEvent, Rule, RuleVersion
from monitorgen.rules.transitions import LIVE_STATES, Action, VersionState, target_state


def _content_sha256(yaml_text: str) -> str:
    return hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()


def version_content_sha256(*, spec: AnyRule, group: str) -> str:
    """The `content_sha256` a version of `spec` in `group` has (to find identical versions)."""
    return _content_sha256(render_rules([spec], group=group))


@transaction.atomic
def rule_version_create(
    *,
    team: Team,
    group: str,
    spec: AnyRule,
    author: User,
    intent: str = "",
    provenance: dict[str, Any] | None = None,
    validation: dict[str, Any] | None = None,
    unit_tests: str = "",
    based_on: RuleVersion | None = None,
) -> RuleVersion:
    """A new draft version of the rule (team, group, spec name), creating the rule if needed.

    `validation` is the report of the validation pipeline for exactly this spec; a version is
    approvable only when it says ok.
    """
    require_role(author, Role.AUTHOR, doing="write rules")
    require_team_access(author, team)
    if not group.strip():
        raise InvalidInput("group name must not be empty")
    rule, _ = Rule.objects.get_or_create(
        team=team,
        group=group,
        name=spec.name,
        defaults={"kind": spec.kind, "created_by": author},
    )
    # Lock the rule row so concurrent edits get consecutive numbers instead of a clash.
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.kind != spec.kind:
        raise InvalidInput(f"rule {spec.name!r} is an {rule.kind} rule; a new version must be too")
    last = rule.versions.order_by("-number").values_list("number", flat=True).first() or 0
    yaml_text = render_rules([spec], group=group)
    report = validation or {}
    version = RuleVersion.objects.create(
        rule=rule,
        number=last + 1,
        state=VersionState.DRAFT,
        spec=rule_to_data(spec),
        yaml=yaml_text,
        content_sha256=_content_sha256(yaml_text),
        intent=intent,
        provenance=provenance or {},
        validation=report,
        valid=bool(report.get("ok")),
        unit_tests=unit_tests,
        based_on=based_on,
        created_by=author,
    )
    if rule.retired:
        Rule.objects.filter(pk=rule.pk).update(retired=False)
    ReviewEvent.objects.create(
        version=version,
        action=Action.CREATE,
        from_state=VersionState.DRAFT,
        to_state=VersionState.DRAFT,
        actor=author,
        comment=f"based on v{based_on.number}" if based_on else "",
    )
    return version


def _locked(version: RuleVersion) -> RuleVersion:
    return RuleVersion.objects.select_for_update().select_related("rule__team").get(pk=version.pk)


def _move(version: RuleVersion, *, action: Action, actor: User, comment: str = "") -> RuleVersion:
    """Apply `action` to a locked, freshly read version; compare-and-swap on its state."""
    current = version.state
    new_state = target_state(action, current)
    updated = RuleVersion.objects.filter(pk=version.pk, state=current).update(state=new_state)
    if updated != 1:
        raise InvalidTransition(
            f"version v{version.number} of {version.rule.name} changed while you acted; reload it",
            details={"action": action, "state": current},
        )
    ReviewEvent.objects.create(
        version=version,
        action=action,
        from_state=current,
        to_state=new_state,
        actor=actor,
        comment=comment,
    )
    version.state = new_state
    return version


def _require_reviewer(version: RuleVersion, reviewer: User, doing: str) -> None:
    require_role(reviewer, Role.REVIEWER, doing=doing)
    require_team_access(reviewer, version.rule.team)
    if version.created_by_id == reviewer.pk:
        raise PermissionDenied(
            f"the author of v{version.number} cannot {doing} it: a second engineer must review"
        )


@transaction.atomic
def rule_version_submit(*, version: RuleVersion, actor: User, comment: str = "") -> RuleVersion:
    locked = _locked(version)
    require_role(actor, Role.AUTHOR, doing="submit rules for review")
    require_team_access(actor, locked.rule.team)
    return _move(locked, action=Action.SUBMIT, actor=actor, comment=comment)


@transaction.atomic
def rule_version_approve(*, version: RuleVersion, reviewer: User, comment: str = "") -> RuleVersion:
    """Record an approval; the version becomes approved once the team's quorum is reached.

    Approving supersedes the rule's previously approved (or exported) version.
    """
    locked = _locked(version)
    _require_reviewer(locked, reviewer, "approve")
    target_state(Action.APPROVE, locked.state)  # refuse early with a clear message
    if not locked.valid:
        raise InvalidTransition(
            f"v{locked.number} of {locked.rule.name} failed validation and cannot be approved; "
            "fix the problems in a new version"
        )
    approvers = set(locked.events.filter(action=Action.APPROVE).values_list("actor_id", flat=True))
    if reviewer.pk in approvers:
        raise Conflict(f"you have already approved v{locked.number} of {locked.rule.name}")
    if len(approvers) + 1 < locked.rule.team.approvals_required:
        ReviewEvent.objects.create(
            version=locked,
            action=Action.APPROVE,
            from_state=locked.state,
            to_state=locked.state,
            actor=reviewer,
            comment=comment,
        )
        return locked
    approved = _move(locked, action=Action.APPROVE, actor=reviewer, comment=comment)
    earlier = (
        RuleVersion.objects.select_for_update()
        .filter(rule_id=approved.rule_id, state__in=LIVE_STATES)
        .exclude(pk=approved.pk)
    )
    for old in earlier:
        _move(
            old,
            action=Action.SUPERSEDE,
            actor=reviewer,
            comment=f"superseded by v{approved.number}",
        )
    return approved


@transaction.atomic
def rule_version_request_changes(
    *, version: RuleVersion, reviewer: User, comment: str
) -> RuleVersion:
    if not comment.strip():
        raise InvalidInput("say what should change: a comment is required")
    locked = _locked(version)
    _require_reviewer(locked, reviewer, "request changes to")
    return _move(locked, action=Action.REQUEST_CHANGES, actor=reviewer, comment=comment)


@transaction.atomic
def rule_version_reject(*, version: RuleVersion, reviewer: User, comment: str) -> RuleVersion:
    if not comment.strip():
        raise InvalidInput("say why: a comment is required to reject")
    locked = _locked(version)
    _require_reviewer(locked, reviewer, "reject")
    return _move(locked, action=Action.REJECT, actor=reviewer, comment=comment)


@transaction.atomic
def rule_version_comment(*, version: RuleVersion, actor: User, comment: str) -> ReviewEvent:
    if not comment.strip():
        raise InvalidInput("a comment must not be empty")
    locked = _locked(version)
    require_team_access(actor, locked.rule.team)
    return ReviewEvent.objects.create(
        version=locked,
        action=Action.COMMENT,
        from_state=locked.state,
        to_state=locked.state,
        actor=actor,
        comment=comment,
    )


@transaction.atomic
def rule_version_mark_exported(
    *, version: RuleVersion, actor: User, comment: str = ""
) -> RuleVersion:
    locked = _locked(version)
    return _move(locked, action=Action.EXPORT, actor=actor, comment=comment)


@transaction.atomic
def rule_version_rollback(*, version: RuleVersion, author: User, comment: str = "") -> RuleVersion:
    """Re-submit an old version's content as a new version (which then goes through review)."""
    # Lenient: an imported baseline may predate the severity/summary conventions.
    spec = rule_from_data(version.spec, lenient=True)
    new = rule_version_create(
        team=version.rule.team,
        group=version.rule.group,
        spec=spec,
        author=author,
        intent=version.intent,
        provenance={**version.provenance, "rollback_of": version.number},
        validation=version.validation,
        unit_tests=version.unit_tests,
        based_on=version,
    )
    return rule_version_submit(
        version=new, actor=author, comment=comment or f"rollback to v{version.number}"
    )


@dataclass(frozen=True)
class BaselineImport:
    """What importing one rule did: `imported` (a new approved baseline), `unchanged` (a version
    with this exact content exists: nothing written), or `submitted` (the rule's live version
    differs, so the imported content went to review as a new version)."""

    version: RuleVersion
    outcome: Literal["imported", "unchanged", "submitted"]


@transaction.atomic
def rule_version_import_baseline(
    *,
    team: Team,
    group: str,
    spec: AnyRule,
    actor: User,
    provenance: dict[str, Any],
    validation: dict[str, Any],
    comment: str = "",
) -> BaselineImport:
    """Record a rule that already runs elsewhere (read from a rule file) as an approved baseline.

    Importing writes and approves at once, so it needs both the author and the reviewer role.
    It bypasses review only where there is nothing reviewed to compare with: a rule whose live
    (approved or exported) version differs gets the imported content as a new version *in
    review*, so changing a reviewed rule still takes a second engineer. Content identical to any
    existing version of the rule writes nothing, which makes re-importing a file idempotent.
    """
    require_role(actor, Role.REVIEWER, doing="import rules as approved baselines")
    require_team_access(actor, team)
    if not validation.get("ok"):
        raise InvalidInput(f"rule {spec.name!r} failed validation and cannot be imported")
    # Create the rule if needed, then lock it before looking at its versions: two imports of
    # the same new rule at once then run one after the other, and the second finds the first's
    # version ("unchanged") instead of adding a twin baseline. Rolled back with the rest on error.
    rule, _ = Rule.objects.get_or_create(
        team=team, group=group, name=spec.name, defaults={"kind": spec.kind, "created_by": actor}
    )
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    live: RuleVersion | None = None
    if rule.kind == spec.kind:
        sha = version_content_sha256(spec=spec, group=group)
        same = rule.versions.filter(content_sha256=sha).order_by("-number").first()
        if same is not None:
            return BaselineImport(version=same, outcome="unchanged")
    if not rule.retired:
        live = rule.versions.filter(state__in=LIVE_STATES).order_by("-number").first()
    version = rule_version_create(
        team=team, group=group, spec=spec, author=actor, provenance=provenance,
        validation=validation, based_on=live,
    )
    # No re-read under lock: this transaction created the version and holds its rule's lock.
    if live is not None:
        note = f"imported content differs from the live v{live.number}; review it"
        submitted = _move(version, action=Action.SUBMIT, actor=actor,
                          comment="; ".join(filter(None, [comment, note])))
        return BaselineImport(version=submitted, outcome="submitted")
    imported = _move(version, action=Action.IMPORT, actor=actor, comment=comment)
    if rule.retired:
        # A retired rule may still hold an approved version; the baseline takes its place.
        for old in (
            RuleVersion.objects.select_for_update()
            .filter(rule_id=imported.rule_id, state__in=LIVE_STATES)
            .exclude(pk=imported.pk)
        ):
            _move(old, action=Action.SUPERSEDE, actor=actor,
                  comment=f"superseded by v{imported.number}")
    return BaselineImport(version=imported, outcome="imported")


@transaction.atomic
def rule_versions_mark_exported(
    *, version_ids: Sequence[int], actor: User, comment: str = ""
) -> int:
    """Mark many approved versions exported at once (an export writes thousands of rules).

    Same rules as `rule_version_mark_exported`, in a few queries: rows are locked, moved with
    compare-and-swap on their state, and each move gets its `ReviewEvent`. Versions that are no
    longer approved (exported already, or superseded while the export ran) are left as they are.
    Returns how many versions moved.
    """
    ids = list(version_ids)
    new_state = target_state(Action.EXPORT, VersionState.APPROVED)
    moved = 0
    for start in range(0, len(ids), 500):  # stay under every database's parameter limit
        locked = list(
            RuleVersion.objects.select_for_update()
            .filter(pk__in=ids[start : start + 500], state=VersionState.APPROVED)
            .values_list("pk", flat=True)
        )
        if not locked:
            continue
        RuleVersion.objects.filter(pk__in=locked, state=VersionState.APPROVED).update(
            state=new_state
        )
        ReviewEvent.objects.bulk_create(
            ReviewEvent(
                version_id=pk, action=Action.EXPORT, from_state=VersionState.APPROVED,
                to_state=new_state, actor=actor, comment=comment,
            )
            for pk in locked
        )
        moved += len(locked)
    return moved
