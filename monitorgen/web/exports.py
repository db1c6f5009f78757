"""The export pages: targets, "export now", dry-run diffs, run history, and archive downloads.

Its own module (forms, page reads and views) so the rest of the web UI's files stay untouched.
Each view parses, calls one service or page read, and renders; errors go through `shows_errors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from monitorgen.accounts.models import Team
from monitorgen.adapters.git import redact_url
from monitorgen.core.errors import InvalidInput, MonitorgenError
from monitorgen.core.formats.render import DEFAULT_PATH_TEMPLATE
from monitorgen.exports.models import ExportFormat, ExportRun, ExportTarget, Trigger
from monitorgen.exports.selectors import (
    export_run_get,
    export_run_list,
    export_target_get,
    export_target_list,
)
from monitorgen.exports.services import (
    ARCHIVE_KINDS,
    ExportArchive,
    export_archive,
    export_run,
    require_can_run,
)
from monitorgen.web.errors import shows_errors
from monitorgen.web.http import redirect_to
from monitorgen.web.pages import paginate, teams_for
from monitorgen.web.views import signed_in

if TYPE_CHECKING:
    _TeamField = forms.ModelChoiceField[Team]
else:
    _TeamField = forms.ModelChoiceField

RECENT_RUNS = 10


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - every view is behind login_required
    return user


class TeamArchiveForm(forms.Form):
    team = _TeamField(queryset=Team.objects.none(), empty_label=None, to_field_name="slug")
    rule_format = forms.ChoiceField(label="Format", choices=ExportFormat.choices,
                                    initial=ExportFormat.PROMETHEUS)
    kind = forms.ChoiceField(label="Archive", choices=[(k, k) for k in ARCHIVE_KINDS],
                             initial="tar.gz")

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = teams_for(viewer=user)


# --- page reads ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiffLine:
    kind: str  # added | removed | context | file | hunk
    text: str


def diff_lines(diff: str) -> list[DiffLine]:
    """A unified diff as lines marked for display."""
    lines: list[DiffLine] = []
    for text in diff.splitlines():
        if text.startswith(("diff --git", "index ", "--- ", "+++ ", "new file", "deleted file")):
            kind = "file"
        elif text.startswith("@@"):
            kind = "hunk"
        elif text.startswith("+"):
            kind = "added"
        elif text.startswith("-"):
            kind = "removed"
        else:
            kind = "context"
        lines.append(DiffLine(kind, text))
    return lines


@dataclass(frozen=True)
class TargetPage:
    target: ExportTarget
    repo_url: str
    can_run: bool
    runs: Page[ExportRun]


def _can_run(user: User, target: ExportTarget) -> bool:
    try:
        require_can_run(user, target)
    except MonitorgenError:
        return False
    return True


# --- views ---------------------------------------------------------------------------------------
@require_GET
@signed_in
@shows_errors
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    targets = [(t, redact_url(t.repo_url)) for t in export_target_list(viewer=user)]
    runs = list(export_run_list(viewer=user)[:RECENT_RUNS])
    form = TeamArchiveForm(user=user)
    return render(request, "web/exports/index.html",
                  {"targets": targets, "runs": runs, "archive_form": form})


@require_GET
@signed_in
@shows_errors
def target_detail(request: HttpRequest, name: str) -> HttpResponse:
    user = _user(request)
    target = export_target_get(viewer=user, name=name)
    page = TargetPage(
        target=target,
        repo_url=redact_url(target.repo_url),
        can_run=_can_run(user, target),
        runs=paginate(export_run_list(viewer=user, target=target), request.GET.get("page")),
    )
    return render(request, "web/exports/target.html", {"page": page, "page_obj": page.runs})


@require_POST
@signed_in
@shows_errors
def target_run(request: HttpRequest, name: str) -> HttpResponse:
    user = _user(request)
    dry_run = request.POST.get("dry_run") == "1"
    target = export_target_get(viewer=user, name=name)
    try:
        run = export_run(target=target, actor=user, dry_run=dry_run, trigger=Trigger.WEB)
    except MonitorgenError as exc:
        failed = exc.details.get("run")
        if not isinstance(failed, int):
            raise
        # The failed run is on record: show it, with what went wrong.
        messages.error(request, f"The export failed: {exc.message}")
        return redirect_to(request, reverse("web:export-run", args=[failed]))
    done = {
        "committed": f"Exported: pushed commit {run.commit[:12]}.",
        "unchanged": "Nothing changed: the repository already holds these rules.",
        "previewed": "Dry run: this is what an export would commit. Nothing was pushed.",
    }
    messages.success(request, done.get(run.status, run.get_status_display()))
    return redirect_to(request, reverse("web:export-run", args=[run.pk]))


@require_GET
@signed_in
@shows_errors
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = export_run_get(viewer=_user(request), pk=pk)
    context = {
        "run": run,
        "repo_url": redact_url(run.target.repo_url),
        "lines": diff_lines(run.diff) if run.dry_run else [],
        "summary": run.summary or {},
    }
    return render(request, "web/exports/run.html", context)


def _download(archive: ExportArchive) -> HttpResponse:
    response = HttpResponse(archive.data, content_type=archive.content_type)
    response["Content-Disposition"] = f'attachment; filename="{archive.filename}"'
    return response


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind") or "tar.gz"
    if kind not in ARCHIVE_KINDS:
        raise InvalidInput(f"archive kind {kind!r} must be one of {', '.join(ARCHIVE_KINDS)}")
    return kind


@require_GET
@signed_in
@shows_errors
def target_archive(request: HttpRequest, name: str) -> HttpResponse:
    user = _user(request)
    target = export_target_get(viewer=user, name=name)
    return _download(export_archive(actor=user, target=target, kind=_kind(request)))


@require_GET
@signed_in
@shows_errors
def team_archive(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TeamArchiveForm(request.GET, user=user)
    if not form.is_valid():
        raise InvalidInput(
            "; ".join(f"{name}: {' '.join(str(e) for e in errors)}"
                      for name, errors in form.errors.items())
        )
    archive = export_archive(
        actor=user, team=form.cleaned_data["team"], format=form.cleaned_data["rule_format"],
        path_template=DEFAULT_PATH_TEMPLATE, kind=form.cleaned_data["kind"],
    )
    return _download(archive)
