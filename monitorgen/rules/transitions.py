"""Workflow states of a rule version and the one table of allowed transitions."""

from __future__ import annotations

from django.db import models

from monitorgen.core.errors import InvalidTransition


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    APPROVED = "approved", "Approved"
    EXPORTED = "exported", "Exported"
    SUPERSEDED = "superseded", "Superseded"


class Action(models.TextChoices):
    CREATE = "create", "Created"
    SUBMIT = "submit", "Submitted for review"
    APPROVE = "approve", "Approved"
    REQUEST_CHANGES = "request_changes", "Requested changes"
    REJECT = "reject", "Rejected"
    EXPORT = "export", "Exported"
    SUPERSEDE = "supersede", "Superseded"
    COMMENT = "comment", "Commented"
    IMPORT = "import", "Imported as approved baseline"


S = VersionState
# action -> {from state: to state}. An approval short of the team's quorum stays in review.
TRANSITIONS: dict[str, dict[str, str]] = {
    Action.SUBMIT: {S.DRAFT: S.IN_REVIEW},
    Action.APPROVE: {S.IN_REVIEW: S.APPROVED},
    Action.REQUEST_CHANGES: {S.IN_REVIEW: S.CHANGES_REQUESTED},
    Action.REJECT: {S.IN_REVIEW: S.REJECTED},
    Action.EXPORT: {S.APPROVED: S.EXPORTED, S.EXPORTED: S.EXPORTED},
    Action.SUPERSEDE: {S.APPROVED: S.SUPERSEDED, S.EXPORTED: S.SUPERSEDED},
    # A rule already running elsewhere, recorded as the baseline new rules are reviewed against.
    # Only `rule_version_import_baseline` takes it, on a version it has just created for a rule
    # with no live version; everything else reaches APPROVED through review.
    Action.IMPORT: {S.DRAFT: S.APPROVED},
}
# States whose versions count as "live" (what an export writes).
LIVE_STATES = (S.APPROVED, S.EXPORTED)


_VERBS: dict[str, str] = {
    Action.SUBMIT: "submit",
    Action.APPROVE: "approve",
    Action.REQUEST_CHANGES: "request changes to",
    Action.REJECT: "reject",
    Action.EXPORT: "export",
    Action.SUPERSEDE: "supersede",
    Action.IMPORT: "import",
}


def target_state(action: str, current: str) -> str:
    """The state `action` moves a version in `current` to, or InvalidTransition naming both."""
    moves = TRANSITIONS.get(action)
    if moves is None or current not in moves:
        allowed = ", ".join(sorted(TRANSITIONS.get(action, {}))) or "none"
        raise InvalidTransition(
            f"cannot {_VERBS.get(action, action)} a version that is {VersionState(current).label.lower()}"
            f" (allowed from: {allowed})",
            details={"action": action, "state": current},
        )
    return moves[current]


def allowed_actions(current: str) -> list[str]:
    return [action for action, moves in TRANSITIONS.items() if current in moves]
