"""Page-level reads: each page's view calls one function here, which composes the selectors.

Everything a template needs is fetched here with a constant number of queries (select_related,
deferred big columns, pagination), so templates never trigger lazy loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from monitorgen.accounts.models import Team
from monitorgen.accounts.services import user_is_admin
from monitorgen.catalogs.models import Catalog, CatalogMetric
from monitorgen.catalogs.selectors import (
    catalog_get,
    catalog_get_spec,
    catalog_list,
    catalog_metric_search,
)
from monitorgen.core import catalog as core_catalog
from monitorgen.core.diff import VersionDiff, diff_versions
from monitorgen.core.errors import InvalidInput, NotFound
from monitorgen.core.explain import explain_rule
from monitorgen.core.rulefile import render_rule
from monitorgen.core.spec import rule_from_data
from monitorgen.rules.models import ReviewEvent, Rule, RuleVersion
from monitorgen.rules.selectors import (
    VersionAction,
    review_queue,
    rule_get,
    rule_latest_version_number,
    rule_version_get,
    rule_version_list,
    version_actions_for,
)
from monitorgen.rules.transitions import Action, VersionState

Viewer = User | AnonymousUser
PAGE_SIZE = 25
# Columns a list of versions never shows: leave them in the database.
_BIG_COLUMNS = ("spec", "yaml", "intent", "provenance", "validation", "unit_tests")


def paginate(items: QuerySet[Any], page: str | int | None, per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(items, per_page).get_page(page)


# --- dashboard -----------------------------------------------------------------------------------
@dataclass
class Dashboard:
    my_drafts: list[RuleVersion]
    queue_count: int
    activity: list[ReviewEvent]


def dashboard(*, viewer: User) -> Dashboard:
    mine = (
        rule_version_list(viewer=viewer)
        .filter(
            created_by_id=viewer.pk,
            state__in=[VersionState.DRAFT, VersionState.CHANGES_REQUESTED],
        )
        .defer(*_BIG_COLUMNS)
    )
    events = ReviewEvent.objects.select_related("actor", "version__rule").defer(
        *(f"version__{name}" for name in _BIG_COLUMNS)
    )
    if not user_is_admin(viewer):
        events = events.filter(version__rule__team__members=viewer.pk)
    return Dashboard(
        my_drafts=list(mine[:10]),
        queue_count=review_queue(viewer=viewer).count(),
        activity=list(events.order_by("-created_at", "-id")[:12]),
    )


def queue_page(*, viewer: User, page: str | None) -> Page[RuleVersion]:
    return paginate(review_queue(viewer=viewer).defer(*_BIG_COLUMNS), page)


def teams_for(*, viewer: User) -> QuerySet[Team]:
    """The teams the viewer may write rules for."""
    if user_is_admin(viewer):
        return Team.objects.order_by("slug")
    return Team.objects.filter(members=viewer.pk).order_by("slug")


# --- one version ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Buttons:
    """Which workflow actions the viewer may take on a version, as shown on its page."""

    submit: bool = False
    review: bool = False  # approve, request changes, reject
    approve: bool = False  # review minus versions that failed validation
    rollback: bool = False
    revise: bool = False  # refine with feedback, hand edit
    comment: bool = False

    @property
    def any_workflow(self) -> bool:
        return self.submit or self.review or self.rollback


def buttons_for(
    *, viewer: User, version: RuleVersion, events: list[ReviewEvent], latest_number: int
) -> Buttons:
    actions = set(
        version_actions_for(
            viewer=viewer, version=version, events=events, latest_number=latest_number
        )
    )
    review = bool(actions & {VersionAction.REQUEST_CHANGES, VersionAction.REJECT})
    return Buttons(
        submit=VersionAction.SUBMIT in actions,
        review=review,
        approve=VersionAction.APPROVE in actions,
        rollback=VersionAction.ROLLBACK in actions,
        revise=VersionAction.EDIT in actions,
        comment=VersionAction.COMMENT in actions,
    )


def _catalog_spec(version: RuleVersion) -> core_catalog.Catalog | None:
    slug = version.provenance.get("catalog")
    if not slug:
        return None
    try:
        return catalog_get_spec(slug=str(slug))
    except NotFound:
        return None


def explanation_of(version: RuleVersion, catalog: core_catalog.Catalog | None = None) -> str:
    return explain_rule(rule_from_data(version.spec, lenient=True), catalog=catalog)


@dataclass
class VersionPage:
    version: RuleVersion
    explanation: str
    events: list[ReviewEvent]
    latest_number: int
    buttons: Buttons
    approvals: int
    problems: list[dict[str, Any]] = field(default_factory=list)


def version_page(*, viewer: User, pk: int) -> VersionPage:
    version = rule_version_get(viewer=viewer, pk=pk)
    latest = rule_latest_version_number(rule_id=version.rule_id) or version.number
    events = list(version.events.select_related("actor").order_by("created_at", "id"))
    return VersionPage(
        version=version,
        explanation=explanation_of(version, _catalog_spec(version)),
        events=events,
        latest_number=latest,
        buttons=buttons_for(viewer=viewer, version=version, events=events, latest_number=latest),
        approvals=sum(1 for event in events if event.action == Action.APPROVE),
        problems=list(version.validation.get("problems") or []),
    )


# --- diff ----------------------------------------------------------------------------------------
@dataclass
class DiffPage:
    old: RuleVersion
    new: RuleVersion
    diff: VersionDiff
    old_explanation: str
    new_explanation: str
    choices: list[int]  # version numbers of the rule, for the "compare with" picker


def diff_page(*, viewer: User, pk: int, against: int | None) -> DiffPage:
    """`pk` against the version numbered `against` of the same rule (default: the one before)."""
    new = rule_version_get(viewer=viewer, pk=pk)
    siblings = RuleVersion.objects.filter(rule_id=new.rule_id).select_related(
        "rule__team", "created_by"
    )
    if against is None:
        old = siblings.filter(number__lt=new.number).order_by("-number").first()
        if old is None:
            raise InvalidInput(f"v{new.number} is the first version of {new.rule.name}: nothing to compare")
    else:
        old = siblings.filter(number=against).first()
        if old is None:
            raise NotFound(f"{new.rule.name} has no version v{against}")
    catalog = _catalog_spec(new)
    old_explanation = explanation_of(old, catalog)
    new_explanation = explanation_of(new, catalog)
    diff = diff_versions(
        old_spec=old.spec,
        new_spec=new.spec,
        old_yaml=old.yaml,
        new_yaml=new.yaml,
        old_explanation=old_explanation,
        new_explanation=new_explanation,
        old_label=f"v{old.number}",
        new_label=f"v{new.number}",
    )
    numbers = list(
        RuleVersion.objects.filter(rule_id=new.rule_id)
        .exclude(pk=new.pk)
        .order_by("-number")
        .values_list("number", flat=True)[:200]
    )
    return DiffPage(
        old=old,
        new=new,
        diff=diff,
        old_explanation=old_explanation,
        new_explanation=new_explanation,
        choices=numbers,
    )


# --- one rule ------------------------------------------------------------------------------------
@dataclass
class RulePage:
    rule: Rule
    versions: Page[RuleVersion]


def rule_page(*, viewer: User, pk: int, page: str | None) -> RulePage:
    rule = rule_get(viewer=viewer, pk=pk)
    versions = (
        RuleVersion.objects.filter(rule_id=rule.pk)
        .select_related("created_by")
        .defer(*_BIG_COLUMNS)
        .order_by("-number")
    )
    return RulePage(rule=rule, versions=paginate(versions, page))


# --- catalogs ------------------------------------------------------------------------------------
def catalogs_page(*, page: str | None) -> Page[Catalog]:
    return paginate(catalog_list(), page)


@dataclass
class CatalogPage:
    catalog: Catalog
    metrics: Page[CatalogMetric]


def catalog_page(*, slug: str, query: str, type: str | None, page: str | None) -> CatalogPage:
    catalog = catalog_get(slug=slug)
    metrics = catalog_metric_search(catalog=catalog, query=query, type=type or None)
    return CatalogPage(catalog=catalog, metrics=paginate(metrics, page, per_page=50))


# --- the rule editor's completion vocabulary -----------------------------------------------------
# Enough for any real catalog; a larger one is cut off (and says so) rather than slowing the page.
EDITOR_VOCABULARY_LIMIT = 20_000


def catalog_vocabulary(*, slug: str) -> dict[str, Any]:
    """The names the rule editor completes from a catalog: each series, its type and labels.

    Series share few distinct label sets, so each names its set by index into `label_sets`
    (which halves a 10,000-family catalog's response). Help text and label values are
    left out: they come from the monitored systems (untrusted) and completion needs neither.
    Names are safe to send: the catalog model accepts only valid metric and label names.
    """
    catalog = catalog_get(slug=slug)
    rows = catalog.metrics.order_by("name").values_list("name", "type", "labels")
    label_sets: dict[tuple[str, ...], int] = {}
    series: list[dict[str, Any]] = []
    for name, type_, labels in rows.iterator(chunk_size=2000):
        metric = core_catalog.Metric.model_validate({"name": name, "type": type_, "labels": labels})
        for series_name in metric.series_names():
            names = tuple(sorted(metric.label_names_for(series_name)))
            entry: dict[str, Any] = {
                "name": series_name,
                "type": metric.type.value,
                "labels": label_sets.setdefault(names, len(label_sets)),
            }
            if series_name != metric.name:  # only histogram and summary parts name a family
                entry["family"] = metric.name
            series.append(entry)
    series.sort(key=lambda entry: entry["name"])
    return {
        "catalog": catalog.slug,
        "label_sets": [list(names) for names in label_sets],
        "metrics": series[:EDITOR_VOCABULARY_LIMIT],
        "truncated": len(series) > EDITOR_VOCABULARY_LIMIT,
    }


def rule_yaml_of(version: RuleVersion) -> str:
    """One rule's YAML, as the hand-edit form takes it (`version.yaml` is the whole rule file)."""
    return render_rule(rule_from_data(version.spec, lenient=True))
