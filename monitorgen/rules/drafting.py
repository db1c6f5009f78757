"""Use cases that produce new versions from an intent, a hand edit, or reviewer feedback.

They run generation and validation (promtool included) *before* opening a transaction, then
hand the result to `rule_version_create`. A failed generation creates nothing and returns the
generator's questions or error, so the author's intent is never lost.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from monitorgen.accounts.models import Role, Team
from monitorgen.accounts.services import require_role, require_team_access
from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import InvalidInput
from monitorgen.core.generation.result import GenerationRequest, GenerationResult, Scope, Status
from monitorgen.core.rulefile import load_yaml
from monitorgen.core.spec import AlertingRule, AnyRule, rule_from_data
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.selectors import rule_live_versions
from monitorgen.rules.services import rule_version_create

MAX_EXAMPLES = 200


@dataclass
class DraftOutcome:
    result: GenerationResult
    versions: list[RuleVersion] = field(default_factory=list)
    # Generated rules that were NOT saved because a live rule of the team already does the same
    # (`monitorgen.core.equivalence`): generated rule name -> that rule's live version.
    duplicate_of: dict[str, RuleVersion] = field(default_factory=dict)


def _catalog(slug: str) -> Catalog:
    from monitorgen.catalogs.selectors import catalog_get_spec

    return catalog_get_spec(slug=slug)


def _team_examples(team: Team) -> tuple[AlertingRule, ...]:
    examples: list[AlertingRule] = []
    for version in rule_live_versions(team=team.slug)[:MAX_EXAMPLES]:
        spec = rule_from_data(version.spec, lenient=True)
        if isinstance(spec, AlertingRule):
            examples.append(spec)
    return tuple(examples)


def _validate(spec: AnyRule, catalog: Catalog | None) -> tuple[dict[str, Any], str]:
    """The validation record of one spec (with its unit tests' results) and its test file."""
    from validators.pipeline import validate_rules
    from validators.unittests import version_unit_tests

    return version_unit_tests(validate_rules([spec], catalog=catalog, unit_tests=True)[0].as_dict())


def _generate(request: GenerationRequest, generator: str | None) -> GenerationResult:
    from monitorgen.generation.service import generate, get_generator

    return generate(request, generator=get_generator(generator) if generator else None)


def _versions_from(
    result: GenerationResult,
    *,
    team: Team,
    group: str,
    author: User,
    intent: str,
    catalog_slug: str,
    based_on: RuleVersion | None = None,
    skip: Collection[str] = (),
) -> list[RuleVersion]:
    if result.status is not Status.OK:
        return []
    from validators.unittests import version_unit_tests

    provenance = {**result.provenance.as_dict(), "catalog": catalog_slug, "rationale": result.rationale}
    versions = []
    for index, rule in enumerate(result.rules):
        if rule.name in skip:
            continue
        # The report lists one unit-test record per generated rule; each version keeps its own
        # (results in validation["unit_tests"], the promtool test file in unit_tests).
        validation, tests = version_unit_tests(result.validation, index)
        versions.append(rule_version_create(
            team=team, group=group, spec=rule, author=author, intent=intent,
            provenance=provenance, validation=validation, unit_tests=tests, based_on=based_on,
        ))
    return versions


def _live_twins(result: GenerationResult, *, team: Team, catalog: Catalog) -> dict[str, RuleVersion]:
    """Generated rules equivalent to a live rule of the team: name -> the live version."""
    from monitorgen.core.equivalence import find_equivalent

    if result.status is not Status.OK or not result.rules:
        return {}
    live = [(v, rule_from_data(v.spec, lenient=True)) for v in rule_live_versions(team=team.slug)]
    twins: dict[str, RuleVersion] = {}
    for rule in result.rules:
        found = find_equivalent(rule, live, catalog=catalog)
        if found:
            twins[rule.name] = found[0].item
    return twins


def rule_draft_generate(
    *,
    team: Team,
    group: str,
    intent: str,
    catalog_slug: str,
    author: User,
    scope: Scope | None = None,
    answers: dict[str, str] | None = None,
    generator: str | None = None,
) -> DraftOutcome:
    """Generate rules for an intent and save each as a draft version of the team's rules."""
    require_role(author, Role.AUTHOR, doing="write rules")
    require_team_access(author, team)
    if not group.strip():
        raise InvalidInput("group name must not be empty")
    request = GenerationRequest(
        intent=intent,
        catalog=_catalog(catalog_slug),
        scope=scope or Scope(team=team.slug),
        approved_rules=_team_examples(team),
        answers=dict(answers or {}),
    )
    result = _generate(request, generator)
    # A twin of a live rule would page twice for one problem: link the existing rule instead.
    twins = _live_twins(result, team=team, catalog=request.catalog)
    versions = _versions_from(
        result, team=team, group=group, author=author, intent=intent, catalog_slug=catalog_slug,
        skip=twins,
    )
    return DraftOutcome(result=result, versions=versions, duplicate_of=twins)


def rule_version_refine(
    *, version: RuleVersion, feedback: str, author: User, generator: str | None = None
) -> DraftOutcome:
    """Revise a version from plain-language feedback ("only page after 15 minutes")."""
    team = version.rule.team
    require_role(author, Role.AUTHOR, doing="revise rules")
    require_team_access(author, team)
    if not feedback.strip():
        raise InvalidInput("feedback must not be empty: say what should change")
    previous = rule_from_data(version.spec, lenient=True)
    if not isinstance(previous, AlertingRule):
        raise InvalidInput("only alerting rules can be refined from feedback; edit recording rules by hand")
    catalog_slug = str(version.provenance.get("catalog") or "")
    if not catalog_slug:
        raise InvalidInput(f"v{version.number} does not say which catalog it was written for")
    request = GenerationRequest(
        intent=version.intent or previous.annotations.get("summary", previous.alert),
        catalog=_catalog(catalog_slug),
        scope=Scope(team=team.slug),
        approved_rules=_team_examples(team),
        previous=previous,
        feedback=feedback,
    )
    result = _generate(request, generator)
    versions = _versions_from(
        result, team=team, group=version.rule.group, author=author, intent=version.intent,
        catalog_slug=catalog_slug, based_on=version,
    )
    return DraftOutcome(result=result, versions=versions)


def rule_version_edit(*, version: RuleVersion, text: str, author: User) -> RuleVersion:
    """A hand-edited rule (YAML of one rule) becomes a new version, validated like any other.

    Structural errors are refused with line numbers and nothing is saved; a rule that parses but
    fails lint, grounding or promtool is saved with its report, and cannot be approved.
    """
    data, _ = load_yaml(text, source=f"v{version.number} edit")
    if isinstance(data, dict) and "groups" in data:
        raise InvalidInput("paste one rule (alert, expr, for, labels, annotations), not a whole rule file")
    spec = rule_from_data(data)
    if spec.name != version.rule.name:
        raise InvalidInput(
            f"the rule is named {spec.name!r} but this is {version.rule.name!r}: "
            "renaming makes a different rule; generate or create it separately"
        )
    catalog_slug = str(version.provenance.get("catalog") or "")
    validation, tests = _validate(spec, _catalog(catalog_slug) if catalog_slug else None)
    return rule_version_create(
        team=version.rule.team, group=version.rule.group, spec=spec, author=author,
        intent=version.intent,
        provenance={"generator": "manual", "edited_from": version.number, "catalog": catalog_slug or None},
        validation=validation, unit_tests=tests, based_on=version,
    )

