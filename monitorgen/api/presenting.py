"""Read-only helpers that shape domain objects for API responses (no writes, no workflow rules).

`caller_actions` mirrors the guards of `monitorgen.rules.services` so the UI can show only the
buttons that will work; the services remain the authority and refuse anything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.contrib.auth.models import User

from monitorgen.accounts.models import Role
from monitorgen.accounts.services import user_has_role
from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import MonitorgenError
from monitorgen.core.explain import explain_rule
from monitorgen.core.spec import AnyRule, rule_from_data
from monitorgen.rules.models import ReviewEvent, RuleVersion
from monitorgen.rules.transitions import Action, allowed_actions


class CallerAction(StrEnum):
    """What the caller may do with a version, as offered by the API."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    COMMENT = "comment"
    EDIT = "edit"
    REFINE = "refine"
    ROLLBACK = "rollback"


_REVIEW_ACTIONS = {Action.APPROVE, Action.REQUEST_CHANGES, Action.REJECT}


def caller_actions(
    user: User, version: RuleVersion, events: Iterable[ReviewEvent]
) -> list[CallerAction]:
    """The actions `user` may take on `version` now (the version is visible to `user`)."""
    is_author = user_has_role(user, Role.AUTHOR)
    is_reviewer = user_has_role(user, Role.REVIEWER)
    approvers = {event.actor_id for event in events if event.action == Action.APPROVE}
    actions: list[CallerAction] = []
    for action in allowed_actions(version.state):
        if action == Action.SUBMIT and is_author:
            actions.append(CallerAction.SUBMIT)
        elif action in _REVIEW_ACTIONS and is_reviewer and version.created_by_id != user.pk:
            if action == Action.APPROVE and (not version.valid or user.pk in approvers):
                continue
            actions.append(CallerAction(action))
    actions.append(CallerAction.COMMENT)
    if is_author:
        actions.append(CallerAction.EDIT)
        if version.rule.kind == "alert" and version.provenance.get("catalog"):
            actions.append(CallerAction.REFINE)
        actions.append(CallerAction.ROLLBACK)
    return actions


def catalog_for(slug: object) -> Catalog | None:
    """The stored catalog `slug` as a core catalog, or None when there is none (any more)."""
    if not slug:
        return None
    from monitorgen.catalogs.selectors import catalog_get_spec

    try:
        return catalog_get_spec(slug=str(slug))
    except MonitorgenError:
        return None


def explain(rule: AnyRule, catalog: Catalog | None) -> str:
    return explain_rule(rule, catalog=catalog)


def version_rule(version: RuleVersion) -> AnyRule:
    return rule_from_data(version.spec, lenient=True)


def version_explanation(version: RuleVersion, catalog: Catalog | None = None) -> str:
    """Plain English for a stored version; '' if its spec can no longer be read."""
    try:
        rule = version_rule(version)
    except MonitorgenError:
        return ""
    if catalog is None:
        catalog = catalog_for(version.provenance.get("catalog"))
    return explain(rule, catalog)
