"""Read-only helpers that shape domain objects for API responses (no writes, no workflow rules).

`caller_actions` comes from the rules selector `version_actions_for`, shared with the web UI;
the services remain the authority and refuse anything else.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User

from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import MonitorgenError
from monitorgen.core.explain import explain_rule
from monitorgen.core.spec import AnyRule, rule_from_data
from monitorgen.rules.models import ReviewEvent, RuleVersion
from monitorgen.rules.selectors import (
    VersionAction,
    rule_latest_version_number,
    version_actions_for,
)

# The API offers exactly what the rules selector decides, like the web UI's buttons.
CallerAction = VersionAction


def caller_actions(
    user: User, version: RuleVersion, events: Iterable[ReviewEvent]
) -> list[CallerAction]:
    """The actions `user` may take on `version` now (the version is visible to `user`)."""
    return version_actions_for(
        viewer=user,
        version=version,
        events=events,
        latest_number=rule_latest_version_number(rule_id=version.rule_id),
    )


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
