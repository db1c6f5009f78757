"""Import existing rule files as approved baselines: `rules_import`, and where files come from.

Files in any of the four formats (`monitorgen.core.formats.parse`) are read rule by rule,
validated together (schema, lint, grounding when a catalog is given, ONE promtool batch), and
every valid rule is recorded on its own through `rule_version_import_baseline`, each write in its
own transaction. So a bad rule or file is reported (per file and rule, with lines) and never
stops the good ones, and a failure half-way leaves every rule either fully recorded or absent.

Sources come from the caller (the API and the web page upload texts) or from
`sources_from_path`: a file, a directory (every *.yml / *.yaml below it), or a git repository
(a local clone, or a URL cloned with git), with the commit each file was read at.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from monitorgen.accounts.models import Role, Team
from monitorgen.accounts.services import require_role, require_team_access
from monitorgen.adapters.git import Git, redact_url
from monitorgen.adapters.promtool import Promtool
from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import InvalidInput, MonitorgenError, NotFound, PermissionDenied
from monitorgen.core.formats.parse import (
    AUTO,
    FormatProblem,
    ParsedDocument,
    ParsedRule,
    check_format,
    parse_rule_documents,
)
from monitorgen.core.rulefile import render_rules
from monitorgen.core.spec import AnyRule
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.selectors import rule_versions_with_content
from monitorgen.rules.services import rule_version_import_baseline, version_content_sha256
from validators.report import Level, Problem, ValidationReport

RuleStatus = Literal["imported", "unchanged", "submitted", "invalid", "conflict"]
RULE_FILE_SUFFIXES = (".yml", ".yaml")
MAX_FILE_BYTES = 10 * 1024 * 1024  # a rule file larger than this is almost surely not one
MAX_UPLOAD_FILES = 200  # per request of the API and the web page
WRITE_CHUNK = 50  # rules recorded per database transaction


# --- inputs and results --------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportSource:
    """One file's text. `error` is set instead when the file could not be read at all."""

    name: str
    text: str
    commit: str | None = None
    error: str | None = None
    notes: tuple[str, ...] = ()  # warnings about where the text came from


@dataclass
class RuleReport:
    source: str
    document: int | None
    line: int | None
    group: str | None
    name: str
    kind: str | None
    status: RuleStatus
    message: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    version_id: int | None = None
    version_number: int | None = None
    rule_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": self.document,
            "line": self.line,
            "group": self.group,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "message": self.message,
            "problems": self.problems,
            "version_id": self.version_id,
            "version_number": self.version_number,
            "rule_id": self.rule_id,
        }


@dataclass
class FileReport:
    source: str
    commit: str | None
    formats: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)  # the file's own, not its rules'
    skipped: list[dict[str, Any]] = field(default_factory=list)  # other Kubernetes objects
    rules: list[RuleReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p["level"] == "error" for p in self.problems) and all(
            r.status not in ("invalid", "conflict") for r in self.rules
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "commit": self.commit,
            "ok": self.ok,
            "formats": self.formats,
            "problems": self.problems,
            "skipped": self.skipped,
            "rules": [r.as_dict() for r in self.rules],
        }


@dataclass
class ImportReport:
    team: str
    format: str
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("imported", "unchanged", "submitted", "invalid", "conflict"), 0)
        for file in self.files:
            for rule in file.rules:
                counts[rule.status] += 1
        counts["files"] = len(self.files)
        counts["files_with_errors"] = sum(1 for f in self.files if not f.ok)
        return counts

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['files']} file(s): {c['imported']} imported, {c['unchanged']} unchanged, "
            f"{c['submitted']} submitted for review (changed), {c['invalid']} invalid, "
            f"{c['conflict']} in conflict; {c['files_with_errors']} file(s) with errors"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "team": self.team,
            "format": self.format,
            "counts": self.counts,
            "summary": self.summary(),
            "files": [f.as_dict() for f in self.files],
        }


# --- the use case --------------------------------------------------------------------------------
@dataclass
class _Candidate:
    file: FileReport
    document: ParsedDocument
    parsed: ParsedRule
    rule: AnyRule  # with its group's labels folded in
    notes: list[Problem]
    report: RuleReport
    sha: str = ""  # the content hash its version would have


def rules_import(
    *,
    team: Team,
    sources: Sequence[ImportSource],
    format: str = AUTO,
    actor: User,
    catalog: Catalog | None = None,
    promtool: Promtool | None = None,
) -> ImportReport:
    """Import rule files into `team` as approved baselines; report per file and rule.

    Needs the author and reviewer roles and membership of the team (checked before any work).
    Rules keep their group name; a rule already recorded with the same content is left alone.
    """
    require_role(actor, Role.AUTHOR, doing="import rules")
    require_role(actor, Role.REVIEWER, doing="import rules as approved baselines")
    require_team_access(actor, team)
    check_format(format)
    if not sources:
        raise InvalidInput("nothing to import: give at least one rule file")
    report = ImportReport(team=team.slug, format=format)
    candidates: list[_Candidate] = []
    for source in sources:
        file = FileReport(source=source.name, commit=source.commit)
        report.files.append(file)
        if source.error is not None:
            file.problems.append(_file_problem(source.name, source.error))
            continue
        candidates += _read(source, file, format)
        file.problems[:0] = [_file_problem(source.name, n, level="warning") for n in source.notes]
    _refuse_clashes(candidates)
    pending = _skip_recorded([c for c in candidates if c.report.status != "conflict"], team=team)
    if pending:
        from validators.pipeline import validate_rules

        reports = validate_rules([c.rule for c in pending], catalog=catalog, promtool=promtool)
        work = list(zip(pending, reports, strict=True))
        for start in range(0, len(work), WRITE_CHUNK):
            # One commit per chunk, not per rule: the commit is most of a rule's write time.
            # Each rule still writes in its own savepoint, so a rule that fails takes none of
            # the others with it, and the chunk keeps locks for a fraction of a second.
            with transaction.atomic():
                for candidate, validation in work[start : start + WRITE_CHUNK]:
                    _record(candidate, validation, team=team, actor=actor)
    return report


def _skip_recorded(candidates: list[_Candidate], *, team: Team) -> list[_Candidate]:
    """Report rules already recorded with exactly this content as unchanged (one query), and
    return the others. Versions are never edited or deleted, so what this finds stays true;
    `rule_version_import_baseline` checks again under a lock for rules recorded meanwhile."""
    for candidate in candidates:
        candidate.sha = version_content_sha256(spec=candidate.rule, group=candidate.parsed.group.name)
    newest: dict[tuple[str, str, str, str], RuleVersion] = {}
    for version in rule_versions_with_content(team=team, shas=[c.sha for c in candidates]):
        key = (version.rule.group, version.rule.name, version.rule.kind, version.content_sha256)
        if key not in newest or version.number > newest[key].number:
            newest[key] = version
    rest: list[_Candidate] = []
    for candidate in candidates:
        key = (candidate.parsed.group.name, candidate.rule.name, candidate.rule.kind, candidate.sha)
        if key in newest:
            candidate.report.problems = [p.as_dict() for p in candidate.notes]
            _done(candidate.report, newest[key], "unchanged")
        else:
            rest.append(candidate)
    return rest


def _read(source: ImportSource, file: FileReport, format: str) -> list[_Candidate]:
    parsed = parse_rule_documents(source.text, source=source.name, format=format)
    file.formats = parsed.formats
    file.skipped = [s.as_dict() for s in parsed.skipped]
    file.problems = [p.as_dict() for p in parsed.problems]
    candidates: list[_Candidate] = []
    for rejected in parsed.rejected:
        file.rules.append(
            RuleReport(
                source=source.name, document=rejected.document, line=rejected.line,
                group=rejected.group, name=rejected.name, kind=None, status="invalid",
                message=f"could not be read ({_count(rejected.problems, 'error')})",
                problems=[_as_problem(p).as_dict() for p in rejected.problems],
            )
        )
    for document, rule in parsed.rules():
        spec, notes = _with_group_labels(rule)
        rule_report = RuleReport(
            source=source.name, document=document.index, line=rule.line, group=rule.group.name,
            name=spec.name, kind=spec.kind, status="invalid",
        )
        file.rules.append(rule_report)
        notes += [_as_problem(w) for w in rule.warnings]
        candidates.append(
            _Candidate(file=file, document=document, parsed=rule, rule=spec, notes=notes,
                       report=rule_report)
        )
    file.rules.sort(key=lambda r: (r.document or 0, r.line or 0))
    return candidates


def _with_group_labels(parsed: ParsedRule) -> tuple[AnyRule, list[Problem]]:
    """The rule with its group's labels (Prometheus 3) folded in, the rule's own winning.

    monitorgen stores rules one by one, so labels set on the group would otherwise be lost and
    the rule would fire without them.
    """
    group_labels = dict(parsed.group_meta.labels)
    if not group_labels:
        return parsed.rule, []
    merged = {**group_labels, **parsed.rule.labels}
    rule = parsed.rule.model_copy(update={"labels": dict(sorted(merged.items()))})
    note = Problem(
        check="import/group-labels", level=Level.WARNING, rule=rule.name, group=parsed.group.name,
        message="the group's labels " + ", ".join(sorted(group_labels)) + " were copied into the "
        "rule (monitorgen keeps rules one by one)",
    )
    return rule, [note]


def _refuse_clashes(candidates: list[_Candidate]) -> None:
    """Two rules of one import with the same group and name are one rule to monitorgen.

    The same content twice (a file given twice) is harmless and recorded once; different
    content is ambiguous, so neither is imported and both are reported.
    """
    by_identity: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_identity[(candidate.parsed.group.name, candidate.rule.name)].append(candidate)
    for (group, name), clashing in by_identity.items():
        if len(clashing) < 2:
            continue
        if len({render_rules([c.rule], group=group) for c in clashing}) == 1:
            continue  # the later copies find the first one recorded: "unchanged"
        places = ", ".join(f"{c.report.source}:{c.report.line}" for c in clashing)
        for candidate in clashing:
            candidate.report.status = "conflict"
            candidate.report.message = (
                f"group {group!r} has more than one rule named {name!r} ({places}); monitorgen "
                "keeps one rule per group and name: rename one, or import them into different "
                "groups"
            )


def _record(candidate: _Candidate, validation: ValidationReport, *, team: Team, actor: User) -> None:
    report = candidate.report
    validation.problems = [
        replace(p, source=p.source or report.source, line=p.line or report.line,
                group=p.group or report.group)
        for p in [*validation.problems, *candidate.notes]
    ]
    report.problems = [p.as_dict() for p in validation.problems]
    if not validation.ok:
        report.status = "invalid"
        checks = ", ".join(dict.fromkeys(p.check for p in validation.errors))
        report.message = f"failed validation ({_count(validation.errors, 'error')}: {checks})"
        return
    source = candidate.file
    provenance: dict[str, Any] = {
        "generator": "import",
        "file": source.source,
        "commit": source.commit,
        **candidate.document.metadata(),
        "line": report.line,
        "group_settings": _group_settings(candidate.parsed),
    }
    at = f" at {source.commit[:12]}" if source.commit else ""
    try:
        result = rule_version_import_baseline(
            team=team, group=candidate.parsed.group.name, spec=candidate.rule, actor=actor,
            provenance=provenance, validation=validation.as_dict(),
            comment=f"imported from {source.source}{at}, line {report.line}",
        )
    except PermissionDenied:
        raise  # checked up front; a change of roles mid-import stops it
    except MonitorgenError as exc:  # e.g. the name belongs to a recording rule
        report.status = "conflict"
        report.message = exc.message
        return
    _done(report, result.version, result.outcome)


def _done(
    report: RuleReport, version: RuleVersion, outcome: Literal["imported", "unchanged", "submitted"]
) -> None:
    report.status = outcome
    report.version_id, report.version_number, report.rule_id = (
        version.pk, version.number, version.rule_id,
    )
    report.message = {
        "imported": f"recorded as approved baseline v{version.number}",
        "unchanged": f"already recorded as v{version.number} ({version.state}); nothing written",
        "submitted": f"differs from the live version: v{version.number} is submitted for review",
    }[outcome]


def _count(items: Sequence[object], noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def _group_settings(parsed: ParsedRule) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if parsed.group.interval is not None:
        settings["interval"] = parsed.group.interval
    if parsed.group.limit is not None:
        settings["limit"] = parsed.group.limit
    settings.update(parsed.group_meta.as_dict())
    return settings


def _as_problem(problem: FormatProblem) -> Problem:
    return Problem(
        check=problem.check,
        level=Level(problem.level), message=problem.message, rule=problem.rule,
        group=problem.group, source=problem.source, line=problem.line,
    )


def uploaded_source(upload: UploadedFile[bytes]) -> ImportSource:
    """An uploaded file as a source; too large or not UTF-8 becomes that file's error."""
    name = upload.name or "upload.yml"
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return ImportSource(name=name, text="", error=f"{name}: larger than {MAX_FILE_BYTES} bytes")
    try:
        return ImportSource(name=name, text=data.decode("utf-8"))
    except UnicodeDecodeError:
        return ImportSource(name=name, text="", error=f"{name}: not UTF-8 text")


def _file_problem(
    source: str, message: str, *, level: Literal["error", "warning"] = "error"
) -> dict[str, Any]:
    return FormatProblem(level=level, check="file", message=message, source=source).as_dict()


# --- where files come from -----------------------------------------------------------------------
def sources_from_path(path_or_repo: str, *, ref: str | None = None) -> list[ImportSource]:
    """The rule files at a path: a file, a directory (recursively), or a git repository.

    A URL is cloned (shallow, `ref` picks a branch or tag) into a temporary directory and every
    file records the commit it was read at; so is a local repository when `ref` is given. A
    local working tree is otherwise read as it is: its files record HEAD's commit, except files
    with uncommitted changes, which record none and say so. Names are relative to the
    repository's top (or to the directory given), so `file` + `commit` point at the exact text.
    """
    git = Git()
    path = Path(path_or_repo)
    if not path.exists():
        if "://" not in path_or_repo and not _SCP_LIKE_RE.match(path_or_repo):
            raise NotFound(f"{path_or_repo}: no such file, directory or repository")
        return _cloned_sources(git, path_or_repo, ref=ref)
    if ref is not None:
        return _cloned_sources(git, str(path.resolve()), ref=ref)
    top = _toplevel(git, path if path.is_dir() else path.parent)
    files = [path] if path.is_file() else list(_rule_files(path))
    if not files:
        raise InvalidInput(f"no rule files (*.yml, *.yaml) under {path_or_repo}")
    if top is None:
        root = path if path.is_dir() else path.parent
        return [_read_file(f, name=_relative(f, root), commit=None) for f in files]
    head = git.run(["rev-parse", "--verify", "--quiet", "HEAD"], cwd=top, check=False).stdout.strip()
    changed = _changed_paths(git, top)
    sources = []
    for file in files:
        name = _relative(file, top)
        if not head:
            sources.append(_read_file(file, name=name, commit=None,
                                      note="the repository has no commit yet; no commit recorded"))
        elif name in changed:
            sources.append(_read_file(file, name=name, commit=None,
                                      note="uncommitted changes: the working tree's text is "
                                      "imported and no commit is recorded"))
        else:
            sources.append(_read_file(file, name=name, commit=head))
    return sources


_SCP_LIKE_RE = re.compile(r"^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+:(?!//)\S+$")


def _cloned_sources(git: Git, url: str, *, ref: str | None) -> list[ImportSource]:
    with tempfile.TemporaryDirectory(prefix="monitorgen-import-") as tmp:
        clone = git.clone(url, Path(tmp) / "repo", branch=ref, depth=1)
        commit = git.run(["rev-parse", "HEAD"], cwd=clone).stdout.strip()
        files = list(_rule_files(clone))
        if not files:
            raise InvalidInput(f"no rule files (*.yml, *.yaml) in {redact_url(url)}")
        return [_read_file(f, name=_relative(f, clone), commit=commit) for f in files]


def _toplevel(git: Git, directory: Path) -> Path | None:
    result = git.run(["rev-parse", "--show-toplevel"], cwd=directory, check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None


def _changed_paths(git: Git, top: Path) -> set[str]:
    """Paths (relative to `top`) that differ from HEAD: modified, staged or untracked."""
    output = git.run(["status", "--porcelain", "-z", "--untracked-files=all"], cwd=top).stdout
    paths: set[str] = set()
    entries = output.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        if len(entry) > 3:
            paths.add(entry[3:])
            if entry[0] in "RC":  # a rename is followed by its old path
                index += 1
        index += 1
    return paths


def _relative(file: Path, root: Path) -> str:
    return file.resolve().relative_to(root.resolve()).as_posix()


def _rule_files(root: Path) -> Iterator[Path]:
    for file in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in file.relative_to(root).parts)
        if not hidden and file.is_file() and file.suffix.lower() in RULE_FILE_SUFFIXES:
            yield file


def _read_file(path: Path, *, name: str, commit: str | None, note: str | None = None) -> ImportSource:
    notes = (note,) if note else ()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return ImportSource(name=name, text="", commit=commit,
                                error=f"{name}: {size} bytes is too large for a rule file")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ImportSource(name=name, text="", commit=commit, error=f"{name}: not UTF-8 text")
    except OSError as exc:
        return ImportSource(name=name, text="", commit=commit,
                            error=f"{name}: cannot read: {exc.strerror or exc}")
    return ImportSource(name=name, text=text, commit=commit, notes=notes)


__all__ = [
    "FileReport",
    "ImportReport",
    "ImportSource",
    "RuleReport",
    "rules_import",
    "sources_from_path",
    "uploaded_source",
]
