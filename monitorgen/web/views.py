"""Pages. Each view parses (a form), calls one service or page read, and renders.

Errors from services and selectors are rendered by `shows_errors` (message + HTTP status).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from monitorgen.core.errors import InvalidInput
from monitorgen.core.generation.result import Status
from monitorgen.rules import drafting, services
from monitorgen.rules.models import ReviewEvent, RuleVersion
from monitorgen.rules.selectors import rule_version_get
from monitorgen.web import pages
from monitorgen.web.errors import shows_errors
from monitorgen.web.forms import (
    CommentForm,
    EditForm,
    FeedbackForm,
    IntentForm,
    MetricSearchForm,
)
from monitorgen.web.http import is_htmx, redirect_to

# settings.LOGIN_URL names "login", but the login page lives in this app's namespace.
signed_in = login_required(login_url="web:login")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - every view is behind login_required
    return user


def _version_url(version: RuleVersion) -> str:
    return reverse("web:version", args=[version.pk])


@require_GET
@signed_in
@shows_errors
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"page": pages.dashboard(viewer=_user(request))})


@require_http_methods(["GET", "POST"])
@signed_in
@shows_errors
def intent_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    template = "web/partials/intent_panel.html" if is_htmx(request) else "web/intent_new.html"
    if request.method != "POST":
        return render(request, template, {"form": IntentForm(user=user)})
    form = IntentForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    outcome = drafting.rule_draft_generate(
        team=form.cleaned_data["team"],
        group=form.cleaned_data["group"],
        intent=form.cleaned_data["intent"],
        catalog_slug=form.cleaned_data["catalog"],
        author=user,
        scope=form.scope(),
        answers=form.answers(),
    )
    context = {
        "form": form,
        "outcome": outcome,
        "results": [(v, pages.explanation_of(v)) for v in outcome.versions],
    }
    status = 422 if outcome.result.status is Status.ERROR else 200
    return render(request, template, context, status=status)


@require_GET
@signed_in
@shows_errors
def queue(request: HttpRequest) -> HttpResponse:
    page = pages.queue_page(viewer=_user(request), page=request.GET.get("page"))
    return render(request, "web/queue.html", {"page_obj": page})


def _vocabulary_url(version: RuleVersion) -> str | None:
    """Where the editor gets completion names: the catalog the version was written against."""
    slug = version.provenance.get("catalog")
    if not isinstance(slug, str) or not slug:
        return None
    try:
        return reverse("web:catalog-vocabulary", args=[slug])
    except NoReverseMatch:  # not a slug, so not a stored catalog: complete without names
        return None


@require_GET
@signed_in
@shows_errors
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = pages.version_page(viewer=_user(request), pk=pk)
    context = {
        "page": page,
        "v": page.version,
        "comment_form": CommentForm(),
        "feedback_form": FeedbackForm(),
        "edit_form": EditForm(
            initial={"text": pages.rule_yaml_of(page.version)},
            vocabulary_url=_vocabulary_url(page.version),
        ),
    }
    return render(request, "web/version.html", context)


Act = Callable[[RuleVersion, User, str], RuleVersion | ReviewEvent]
ACTIONS: dict[str, tuple[Act, str]] = {
    "submit": (
        lambda v, u, c: services.rule_version_submit(version=v, actor=u, comment=c),
        "Submitted v{n} for review.",
    ),
    "approve": (
        lambda v, u, c: services.rule_version_approve(version=v, reviewer=u, comment=c),
        "Approved v{n}.",
    ),
    "request_changes": (
        lambda v, u, c: services.rule_version_request_changes(version=v, reviewer=u, comment=c),
        "Requested changes to v{n}.",
    ),
    "reject": (
        lambda v, u, c: services.rule_version_reject(version=v, reviewer=u, comment=c),
        "Rejected v{n}.",
    ),
    "comment": (
        lambda v, u, c: services.rule_version_comment(version=v, actor=u, comment=c),
        "Comment added to v{n}.",
    ),
    "rollback": (
        lambda v, u, c: services.rule_version_rollback(version=v, author=u, comment=c),
        "Rolled back: v{n} is submitted for review.",
    ),
}


@require_POST
@signed_in
@shows_errors
def version_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404(f"no action {action!r}")
    user = _user(request)
    form = CommentForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("; ".join(str(e) for errors in form.errors.values() for e in errors))
    version = rule_version_get(viewer=user, pk=pk)
    act, done = ACTIONS[action]
    result = act(version, user, form.cleaned_data["comment"])
    target = result if isinstance(result, RuleVersion) else version
    messages.success(request, done.format(n=target.number))
    return redirect_to(request, _version_url(target))


@require_POST
@signed_in
@shows_errors
def version_refine(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("feedback must not be empty: say what should change")
    version = rule_version_get(viewer=user, pk=pk)
    outcome = drafting.rule_version_refine(
        version=version, feedback=form.cleaned_data["feedback"], author=user
    )
    if outcome.versions:
        new = outcome.versions[0]
        messages.success(request, f"Created v{new.number} from your feedback.")
        return redirect_to(request, _version_url(new))
    status = 422 if outcome.result.status is Status.ERROR else 200
    template = "web/partials/refine_result.html" if is_htmx(request) else "web/refine_result.html"
    return render(request, template, {"outcome": outcome, "v": version}, status=status)


@require_POST
@signed_in
@shows_errors
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    form = EditForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("paste the rule's YAML to save an edited version")
    version = rule_version_get(viewer=user, pk=pk)
    new = drafting.rule_version_edit(version=version, text=form.cleaned_data["text"], author=user)
    verdict = "passed validation" if new.valid else "failed validation: see the problems below"
    messages.success(request, f"Saved your edit as v{new.number}; it {verdict}.")
    return redirect_to(request, _version_url(new))


@require_GET
@signed_in
@shows_errors
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    against = request.GET.get("against") or None
    if against is not None and not against.isdigit():
        raise InvalidInput("'against' must be a version number")
    page = pages.diff_page(
        viewer=_user(request), pk=pk, against=int(against) if against else None
    )
    return render(request, "web/diff.html", {"page": page})


@require_GET
@signed_in
@shows_errors
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = pages.rule_page(viewer=_user(request), pk=pk, page=request.GET.get("page"))
    return render(request, "web/rule.html", {"page": page, "page_obj": page.versions})


@require_GET
@signed_in
@shows_errors
def catalogs(request: HttpRequest) -> HttpResponse:
    page = pages.catalogs_page(page=request.GET.get("page"))
    return render(request, "web/catalogs.html", {"page_obj": page})


@require_GET
@signed_in
@shows_errors
def catalog_detail(request: HttpRequest, slug: str) -> HttpResponse:
    form = MetricSearchForm(request.GET)
    query, type_ = "", None
    if form.is_valid():
        query, type_ = form.cleaned_data["q"], form.cleaned_data["type"] or None
    page = pages.catalog_page(slug=slug, query=query, type=type_, page=request.GET.get("page"))
    template = "web/partials/metrics.html" if is_htmx(request) else "web/catalog.html"
    return render(
        request, template, {"page": page, "page_obj": page.metrics, "form": form}
    )


@require_GET
@signed_in
@shows_errors
def catalog_vocabulary(request: HttpRequest, slug: str) -> HttpResponse:
    """JSON for the rule editor's completion: series names, types and label names."""
    response = JsonResponse(
        pages.catalog_vocabulary(slug=slug), json_dumps_params={"separators": (",", ":")}
    )
    # Catalogs change only on import or refresh; a minute's staleness costs nothing here.
    response["Cache-Control"] = "private, max-age=60"
    return response
