"""GitOps export: the only writers of export targets and runs.

`export_run` writes a target's approved rules to its git repository:

1. An `ExportRun` row is written first (status running), so every attempt is on record even
   when it fails.
2. Inside one transaction the target row is locked (`select_for_update`), held during all the git
   work: two exports of one target never interleave; the second waits, then finds the tree
   up to date. The working copy is also file-locked (`Workspace`), which covers SQLite too.
3. The live versions are rendered into the target's format (`monitorgen.core.formats.render`).
4. The clone is reset to the remote branch; managed files (listed in `.monitorgen-managed.json`,
   see `monitorgen.core.formats.manifest`) are rewritten or deleted, other files are left alone.
   A managed file edited outside monitorgen, or an unmanaged file in the way, is a conflict:
   nothing is pushed and the run says which files and which commit.
5. Files whose content changes are checked by promtool in one batch (through the format's
   `native` form) while the tree is written; unchanged files are byte-identical to files an
   earlier export checked and committed.
6. Nothing staged → no commit. Otherwise one commit listing each added, changed and removed rule
   with its version, author and approvers, pushed without force. If the remote moved, the
   clone is reset to the new remote and steps 4-6 run again (a few times at most).
7. The included versions are marked exported and the run records commit, versions and summary.

A dry run does steps 1-5 and returns the diff without committing.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
import tarfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from monitorgen.accounts.models import Role, Team
from monitorgen.accounts.services import require_role, require_team_access, user_is_admin
from monitorgen.adapters.git import (
    Git,
    Identity,
    Workspace,
    check_branch,
    check_credentials_env,
    check_credentials_file,
    check_remote_url,
    load_credentials,
    redact_url,
)
from monitorgen.adapters.promtool import PendingCheck, Promtool
from monitorgen.core.errors import (
    Conflict,
    GitConflict,
    InvalidInput,
    MonitorgenError,
    PermissionDenied,
    ValidationFailed,
)
from monitorgen.core.formats import manifest as mf
from monitorgen.core.formats.render import (
    DEFAULT_PATH_TEMPLATE,
    ExportRule,
    check_options,
    check_path_template,
    export_rule,
    export_rule_from_file_text,
    native_rule_files,
    render_tree,
)
from monitorgen.core.spec import rule_from_data
from monitorgen.exports.models import ExportFormat, ExportRun, ExportTarget, RunStatus, Trigger
from monitorgen.rules.selectors import (
    rule_live_versions,
    rule_version_approvers,
    rule_version_specs,
)
from monitorgen.rules.services import rule_versions_mark_exported

logger = logging.getLogger(__name__)

SYSTEM_USERNAME = "monitorgen"
COMMITTER = Identity("monitorgen", "monitorgen@localhost")
MAX_PUSH_ATTEMPTS = 4
RESERVED_NAMES = frozenset({"archive", "runs"})  # URL segments next to /exports/<name>/
# Test hook: called as (target, attempt) after the commit and before each push; tests use it to
# move the remote "between fetch and push" or to hold the lock while another export waits.
BEFORE_PUSH: Callable[[ExportTarget, int], None] | None = None


# --- who may do what -----------------------------------------------------------------------------
def _require_admin(actor: User, doing: str) -> None:
    if not user_is_admin(actor):
        raise PermissionDenied(f"{actor.get_username() or 'anonymous'} cannot {doing}: needs the admin role")


def require_can_run(actor: User, target: ExportTarget) -> None:
    """Admins export anywhere; a reviewer exports the targets of their own team."""
    if user_is_admin(actor):
        return
    require_role(actor, Role.REVIEWER, doing=f"export to {target.name}")
    if target.team is None:
        raise PermissionDenied(
            f"{actor.get_username()} cannot export to {target.name}: it exports every team's "
            "rules, which needs the admin role"
        )
    require_team_access(actor, target.team)


def require_can_view(actor: User, target: ExportTarget) -> None:
    if user_is_admin(actor):
        return
    if target.team is None or not target.team.members.filter(pk=actor.pk).exists():
        raise PermissionDenied(
            f"{actor.get_username() or 'anonymous'} cannot see export target {target.name}"
        )


@transaction.atomic
def export_system_user() -> User:
    """The user the command line acts as when no --user is given (cannot sign in)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "monitorgen", "is_superuser": True, "is_staff": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# --- targets -------------------------------------------------------------------------------------
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class _Unset:
    pass


UNSET = _Unset()


@dataclass(frozen=True)
class TargetFields:
    """Everything that configures a target, as the services check it."""

    name: str
    repo_url: str
    branch: str
    path_template: str
    format: str
    format_options: dict[str, Any]
    team: Team | None
    credentials_env: str
    credentials_file: str
    enabled: bool


def export_target_check(fields: TargetFields) -> TargetFields:
    """The fields, normalised, or InvalidInput naming the first problem (writes nothing)."""
    if not _NAME_RE.match(fields.name) or fields.name in RESERVED_NAMES:
        raise InvalidInput(
            f"target name {fields.name!r} must be lower-case letters, digits, '-' or '_' "
            f"(up to 64), and not {' or '.join(sorted(RESERVED_NAMES))}"
        )
    if fields.format not in ExportFormat.values:
        raise InvalidInput(
            f"unknown export format {fields.format!r} (one of {', '.join(ExportFormat.values)})"
        )
    env = check_credentials_env(fields.credentials_env)
    file = check_credentials_file(fields.credentials_file)
    if env and file:
        raise InvalidInput("name either a credentials variable or a credentials file, not both")
    return TargetFields(
        name=fields.name,
        repo_url=check_remote_url(fields.repo_url),
        branch=check_branch(fields.branch),
        path_template=check_path_template(fields.path_template),
        format=fields.format,
        format_options=check_options(fields.format, fields.format_options),
        team=fields.team,
        credentials_env=env,
        credentials_file=file,
        enabled=fields.enabled,
    )


@transaction.atomic
def export_target_create(
    *,
    actor: User,
    name: str,
    repo_url: str,
    branch: str = "main",
    path_template: str = DEFAULT_PATH_TEMPLATE,
    format: str = ExportFormat.PROMETHEUS,
    format_options: Mapping[str, Any] | None = None,
    team: Team | None = None,
    credentials_env: str = "",
    credentials_file: str = "",
    enabled: bool = True,
) -> ExportTarget:
    """A new export target. Admins only; every field is checked before anything is saved."""
    _require_admin(actor, "configure export targets")
    fields = export_target_check(TargetFields(
        name=name.strip(), repo_url=repo_url, branch=branch, path_template=path_template,
        format=format, format_options=dict(format_options or {}), team=team,
        credentials_env=credentials_env, credentials_file=credentials_file, enabled=enabled,
    ))
    if ExportTarget.objects.filter(name=fields.name).exists():
        raise Conflict(f"an export target named {fields.name!r} already exists")
    return ExportTarget.objects.create(**fields.__dict__)


@transaction.atomic
def export_target_update(
    *,
    actor: User,
    target: ExportTarget,
    repo_url: str | None = None,
    branch: str | None = None,
    path_template: str | None = None,
    format: str | None = None,
    format_options: Mapping[str, Any] | None = None,
    team: Team | None | _Unset = UNSET,
    credentials_env: str | None = None,
    credentials_file: str | None = None,
    enabled: bool | None = None,
) -> ExportTarget:
    """Change some fields of a target (None: keep); the result is checked as a whole."""
    _require_admin(actor, "configure export targets")
    locked = ExportTarget.objects.select_for_update().get(pk=target.pk)
    new_format = format if format is not None else locked.format
    options = format_options if format_options is not None else (
        locked.format_options if new_format == locked.format else {}
    )
    fields = export_target_check(TargetFields(
        name=locked.name,
        repo_url=repo_url if repo_url is not None else locked.repo_url,
        branch=branch if branch is not None else locked.branch,
        path_template=path_template if path_template is not None else locked.path_template,
        format=new_format,
        format_options=dict(options),
        team=locked.team if isinstance(team, _Unset) else team,
        credentials_env=credentials_env if credentials_env is not None else locked.credentials_env,
        credentials_file=(
            credentials_file if credentials_file is not None else locked.credentials_file
        ),
        enabled=enabled if enabled is not None else locked.enabled,
    ))
    for key, value in fields.__dict__.items():
        setattr(locked, key, value)
    locked.save()
    return locked


# --- the tree ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LiveVersion:
    """What an export needs of one live version (read as plain values: thousands, fast)."""

    id: int
    number: int
    team: str
    group: str
    name: str
    kind: str
    author: str
    content_sha256: str
    yaml: str

    @property
    def key(self) -> mf.RuleKey:
        return (self.team, self.group, self.name)


@dataclass
class Tree:
    """What a target's repository should hold: files, and the versions and rules behind them."""

    files: dict[str, str]
    versions: list[LiveVersion]
    rules: dict[mf.RuleKey, str]  # (team, group, name) -> content hash
    by_key: dict[mf.RuleKey, LiveVersion]


def live_versions(team: Team | None) -> list[LiveVersion]:
    rows = rule_live_versions(team=team.slug if team else None).values_list(
        "id", "number", "rule__team__slug", "rule__group", "rule__name", "rule__kind",
        "created_by__username", "content_sha256", "yaml",
    )
    return [LiveVersion(*row) for row in rows]


def _export_rules(versions: Sequence[LiveVersion]) -> list[ExportRule]:
    rules: list[ExportRule | None] = [
        export_rule_from_file_text(v.yaml, group=v.group, kind=v.kind, name=v.name)
        for v in versions
    ]
    missing = [v.id for v, rule in zip(versions, rules, strict=True) if rule is None]
    if missing:
        # Older or unusual stored text: render the spec (lenient: imported baselines may predate
        # monitorgen's conventions, and were valid when they were stored).
        specs = rule_version_specs(version_ids=missing)
        rules = [
            rule if rule is not None else export_rule(rule_from_data(specs[v.id], lenient=True))
            for v, rule in zip(versions, rules, strict=True)
        ]
    return [rule for rule in rules if rule is not None]


def build_tree(
    *, format: str, path_template: str, options: Mapping[str, Any], versions: Sequence[LiveVersion]
) -> Tree:
    groups: dict[tuple[str, str], list[ExportRule]] = {}
    for version, rule in zip(versions, _export_rules(versions), strict=True):
        groups.setdefault((version.team, version.group), []).append(rule)
    files = render_tree(format, groups, path_template=path_template, options=options)
    return Tree(
        files=files,
        versions=list(versions),
        rules={v.key: v.content_sha256 for v in versions},
        by_key={v.key: v for v in versions},
    )


def target_tree(target: ExportTarget) -> Tree:
    return build_tree(
        format=target.format, path_template=target.path_template,
        options=target.format_options, versions=live_versions(target.team),
    )


# --- validation ----------------------------------------------------------------------------------
class _Validation:
    """promtool on the files an export changes: one batch per attempt, each text checked once."""

    def __init__(self, format: str) -> None:
        self.format = format
        self.checked: set[tuple[str, str]] = set()
        self.pending: PendingCheck | None = None
        self.names: dict[str, str] = {}
        self._todo: dict[str, str] = {}

    def start(self, files: Mapping[str, str]) -> None:
        todo = {p: t for p, t in files.items() if (p, mf.digest(t)) not in self.checked}
        if not todo:
            return
        native = native_rule_files(self.format, todo)
        self.pending = Promtool().start_check_rule_texts(native)
        self.names = dict(zip(self.pending.files, native, strict=True))
        self._todo = todo

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None

    def finish(self) -> None:
        if self.pending is None:
            return
        pending, self.pending = self.pending, None
        result = pending.result()
        if not result.ok:
            problems = [
                {
                    "path": self.names.get(issue.file or "", issue.file or ""),
                    "group": issue.group,
                    "rule": issue.rule_name,
                    "message": issue.message,
                }
                for issue in result.issues
            ]
            first = "; ".join(
                f"{p['path']}: {p['group'] or ''} {p['rule'] or ''}: {p['message']}"
                for p in problems[:3]
            )
            raise ValidationFailed(
                f"promtool rejected the exported tree, so nothing was committed: {first}",
                details={"problems": problems},
            )
        self.checked.update((p, mf.digest(t)) for p, t in self._todo.items())


# --- applying a tree to a working copy -----------------------------------------------------------
@dataclass
class Applied:
    base: str | None
    written: list[str]
    removed: list[str]
    changes: mf.RuleChanges
    staged: bool


def _rule_row(key: mf.RuleKey) -> str:
    return "/".join(key)


def _apply(ws: Workspace, target: ExportTarget, tree: Tree, validation: _Validation) -> Applied:
    base = ws.fetch(target.branch)
    if base is None:
        base = ws.fetch_default_head()  # a new branch starts from the default branch, if any
    ws.checkout(target.branch, base)
    entries = mf.parse_manifest(ws.read(mf.MANIFEST_PATH))
    mine = entries.get(target.name, mf.TargetEntry(format=target.format))
    others = {path: name for name, e in entries.items() if name != target.name for path in e.files}

    drifted: list[str] = []
    for path, sha in sorted(mine.files.items()):
        current = ws.read(path)
        if current is None or mf.digest(current) == sha:
            continue
        wanted = tree.files.get(path)
        if wanted is None or wanted.encode("utf-8") != current:
            drifted.append(path)
    if drifted:
        lines = [f"{path} (last changed by {ws.last_change(path) or 'unknown'})" for path in drifted]
        raise GitConflict(
            f"{len(drifted)} file(s) that monitorgen manages were edited in the repository "
            f"outside monitorgen: {'; '.join(lines[:5])}. Revert those edits (or make them in "
            "monitorgen as new rule versions), then export again; nothing was pushed",
            details={"files": drifted},
        )
    blocked: list[str] = []
    for path in tree.files:
        if path in mine.files:
            continue
        if path in others:
            blocked.append(f"{path} is managed by export target {others[path]}")
        elif ws.read(path) is not None or ws.exists(path):
            blocked.append(f"{path} exists in the repository but was not written by monitorgen")
    if blocked:
        raise GitConflict(
            f"the export would overwrite files it does not manage: {'; '.join(blocked[:5])}. "
            "Move or delete those files, or change the target's path template; nothing was pushed",
            details={"files": blocked},
        )

    written = [p for p, text in tree.files.items() if ws.read(p) != text.encode("utf-8")]
    validation.start({p: tree.files[p] for p in written})
    try:
        removed = [p for p in sorted(mine.files) if p not in tree.files]
        for path in written:
            ws.write(path, tree.files[path])
        for path in removed:
            ws.remove(path)
        new_entry = mf.TargetEntry(
            format=target.format,
            files={p: mf.digest(t) for p, t in tree.files.items()},
            rules=mf.rule_index(tree.rules),
        )
        entries = {**entries, target.name: new_entry}
        if not tree.files:
            entries.pop(target.name)
        manifest_text = mf.render_manifest(entries) if entries else None
        current_manifest = ws.read(mf.MANIFEST_PATH)
        if manifest_text is None:
            if current_manifest is not None:
                ws.remove(mf.MANIFEST_PATH)
        elif current_manifest != manifest_text.encode("utf-8"):
            ws.write(mf.MANIFEST_PATH, manifest_text)
        ws.stage([*written, *removed, mf.MANIFEST_PATH])
        staged = bool(ws.staged_changes())
    except BaseException:
        validation.cancel()
        raise
    validation.finish()
    return Applied(
        base=base, written=written, removed=[p for p in removed],
        changes=mf.rule_changes(mine.rules, new_entry.rules), staged=staged,
    )


def _identity(user: User) -> Identity:
    name = user.get_full_name() or user.get_username()
    email = user.email or f"{user.get_username()}@monitorgen.invalid"
    clean = re.compile(r"[<>\n\r\x00]")
    return Identity(clean.sub("", name) or "monitorgen", clean.sub("", email))


def _commit_message(
    target: ExportTarget, tree: Tree, applied: Applied, actor: User, run: ExportRun
) -> str:
    changes = applied.changes
    parts = []
    for label, keys in (("added", changes.added), ("changed", changes.changed),
                        ("removed", changes.removed)):
        if keys:
            parts.append(f"{len(keys)} {label}")
    headline = f"monitorgen export to {target.name}: " + (
        ", ".join(parts) if parts else f"re-rendered {len(applied.written) + len(applied.removed)} file(s)"
    )
    changed_versions = [tree.by_key[k] for k in [*changes.added, *changes.changed]]
    approvers = rule_version_approvers(version_ids=[v.id for v in changed_versions])
    lines = [headline, ""]
    for label, keys in (("Added", changes.added), ("Changed", changes.changed)):
        if not keys:
            continue
        lines.append(f"{label}:")
        for key in keys:
            version = tree.by_key[key]
            names = ", ".join(approvers.get(version.id, [])) or "nobody recorded"
            lines.append(
                f"- {_rule_row(key)} v{version.number} (author {version.author}; approved by {names})"
            )
        lines.append("")
    if changes.removed:
        lines.append("Removed (retired or deleted in monitorgen):")
        lines += [f"- {_rule_row(key)}" for key in changes.removed]
        lines.append("")
    if not parts:
        lines.append(f"Format or layout changed ({target.format}, {target.path_template}).")
        lines.append("")
    lines.append(f"Exported by {actor.get_username()} (export run {run.pk}).")
    return "\n".join(lines) + "\n"


def _summary(applied: Applied, tree: Tree) -> dict[str, Any]:
    def rows(keys: list[mf.RuleKey]) -> list[dict[str, Any]]:
        out = []
        for key in keys:
            version = tree.by_key.get(key)
            row: dict[str, Any] = {"team": key[0], "group": key[1], "name": key[2]}
            if version is not None:
                row |= {"version": version.id, "number": version.number}
            out.append(row)
        return out

    return {
        "added": rows(applied.changes.added),
        "changed": rows(applied.changes.changed),
        "removed": rows(applied.changes.removed),
        "files_written": applied.written,
        "files_removed": applied.removed,
        "rules": len(tree.rules),
        "files": len(tree.files),
    }


def workspace_path(target: ExportTarget) -> Path:
    key = mf.digest(f"{target.repo_url}\n{target.branch}")[:12]
    return Path(settings.VAR_DIR) / "exports" / "work" / f"{target.pk}-{key}"


@dataclass
class _Outcome:
    status: str
    base: str | None
    commit: str | None
    applied: Applied | None
    diff: str = ""
    message: str = ""


def _export(target: ExportTarget, run: ExportRun, actor: User, dry_run: bool) -> tuple[Tree, _Outcome]:
    credentials = load_credentials(
        env=target.credentials_env, file=target.credentials_file, url=target.repo_url
    )
    tree = target_tree(target)
    validation = _Validation(target.format)
    with Git().workspace(target.repo_url, workspace_path(target), credentials=credentials) as ws:
        pushed_clean = False
        try:
            for attempt in range(1, MAX_PUSH_ATTEMPTS + 1):
                applied = _apply(ws, target, tree, validation)
                if dry_run:
                    return tree, _Outcome(RunStatus.PREVIEWED, applied.base, None, applied,
                                          diff=ws.staged_diff())
                if not applied.staged:
                    return tree, _Outcome(RunStatus.UNCHANGED, applied.base, applied.base, applied)
                message = _commit_message(target, tree, applied, actor, run)
                commit = ws.commit(message, author=_identity(actor), committer=COMMITTER)
                if BEFORE_PUSH is not None:
                    BEFORE_PUSH(target, attempt)
                if ws.push(target.branch).ok:
                    pushed_clean = True
                    stat = ws.git.run(["show", "--stat", "--format=", commit], cwd=ws.path).stdout
                    return tree, _Outcome(RunStatus.COMMITTED, applied.base, commit, applied,
                                          diff=stat, message=message)
                logger.info("export %s: the remote moved (attempt %d); re-applying",
                            target.name, attempt)
            raise GitConflict(
                f"the branch {target.branch} of {redact_url(target.repo_url)} kept moving while "
                f"monitorgen pushed; gave up after {MAX_PUSH_ATTEMPTS} attempts. Export again",
            )
        finally:
            if not pushed_clean:
                _discard_local_changes(ws, target.branch)


def _discard_local_changes(ws: Workspace, branch: str) -> None:
    """Back to the fetched remote state: nothing written or committed locally survives."""
    try:
        ws.checkout(branch, ws.rev_parse(f"refs/remotes/origin/{branch}"))
    except MonitorgenError:
        # The next export starts by resetting anyway; do not hide the error being raised.
        logger.warning("could not reset the export working copy at %s", ws.path, exc_info=True)


def _record_failure(run: ExportRun, exc: BaseException) -> None:
    if isinstance(exc, MonitorgenError):
        message, code = exc.message, exc.code
    else:
        message, code = f"internal error: {type(exc).__name__}", "internal_error"
    ExportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), message=message[:10_000],
        error_code=code,
    )
    run.refresh_from_db()


def export_run(
    *,
    target: ExportTarget,
    actor: User,
    dry_run: bool = False,
    trigger: str = Trigger.WEB,
) -> ExportRun:
    """Export the target's approved rules to its repository (see the module docstring).

    Returns the finished run (committed, unchanged or previewed). On failure the run is recorded
    as failed with the error's message, and the error is raised with `details['run']`.
    """
    require_can_run(actor, target)
    if not target.enabled and not dry_run:
        raise Conflict(f"export target {target.name} is disabled; enable it to export")
    run = ExportRun.objects.create(
        target=target, triggered_by=actor, trigger=trigger, dry_run=dry_run
    )
    try:
        with transaction.atomic():
            # Held until the git work is done: concurrent exports of this target queue up here.
            # NO KEY: the lock must not block inserting runs that point at the target.
            locked = (
                ExportTarget.objects.select_for_update(of=("self",), no_key=True)
                .select_related("team")
                .get(pk=target.pk)
            )
            if not locked.enabled and not dry_run:
                raise Conflict(f"export target {locked.name} was disabled; enable it to export")
            tree, outcome = _export(locked, run, actor, dry_run)
            if outcome.status in (RunStatus.COMMITTED, RunStatus.UNCHANGED):
                rule_versions_mark_exported(
                    version_ids=[v.id for v in tree.versions], actor=actor,
                    comment=f"export run {run.pk} to {locked.name}",
                )
            run.versions = [[v.id, v.number] for v in tree.versions]
            run.status = outcome.status
            run.base_commit = outcome.base or ""
            run.commit = outcome.commit or ""
            run.summary = _summary(outcome.applied, tree) if outcome.applied else {}
            run.diff = outcome.diff
            run.message = outcome.message
            run.finished_at = timezone.now()
            run.save()
    except BaseException as exc:
        _record_failure(run, exc)
        if isinstance(exc, MonitorgenError):
            exc.details.setdefault("run", run.pk)
        raise
    return run


# --- archives ------------------------------------------------------------------------------------
ARCHIVE_KINDS = ("tar.gz", "zip")


@dataclass(frozen=True)
class ExportArchive:
    filename: str
    content_type: str
    data: bytes
    files: tuple[str, ...]


def _tar_gz(root: str, files: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    # mtime 0 everywhere: the same tree always gives byte-identical archives.
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for path, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(f"{root}/{path}")
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(root: str, files: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, text in files.items():
            info = zipfile.ZipInfo(f"{root}/{path}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def export_archive(
    *,
    actor: User,
    target: ExportTarget | None = None,
    team: Team | None = None,
    format: str = ExportFormat.PROMETHEUS,
    path_template: str = DEFAULT_PATH_TEMPLATE,
    format_options: Mapping[str, Any] | None = None,
    kind: str = "tar.gz",
) -> ExportArchive:
    """The tree an export would write, as a tar.gz or zip, checked by promtool first.

    For a target, its tree; otherwise a team's rules (or, for admins, every team's) in `format`.
    """
    if kind not in ARCHIVE_KINDS:
        raise InvalidInput(f"archive kind {kind!r} must be one of {', '.join(ARCHIVE_KINDS)}")
    if target is not None:
        require_can_view(actor, target)
        tree, root, fmt = target_tree(target), f"monitorgen-{target.name}", target.format
    else:
        if team is not None:
            require_team_access(actor, team)
        else:
            _require_admin(actor, "download every team's rules")
        tree = build_tree(
            format=format, path_template=path_template,
            options=check_options(format, format_options), versions=live_versions(team),
        )
        root, fmt = f"monitorgen-{team.slug if team else 'all'}-{format}", format
    if not tree.files:
        raise InvalidInput("there are no approved rules to put in an archive")
    validation = _Validation(fmt)
    validation.start(tree.files)
    validation.finish()
    data = _tar_gz(root, tree.files) if kind == "tar.gz" else _zip(root, tree.files)
    content_type = "application/gzip" if kind == "tar.gz" else "application/zip"
    return ExportArchive(
        filename=f"{root}.{kind}", content_type=content_type, data=data, files=tuple(tree.files)
    )


__all__ = [
    "ARCHIVE_KINDS",
    "UNSET",
    "ExportArchive",
    "Tree",
    "TargetFields",
    "build_tree",
    "export_archive",
    "export_run",
    "export_system_user",
    "export_target_check",
    "export_target_create",
    "export_target_update",
    "require_can_run",
    "require_can_view",
    "target_tree",
]
