"""`manage.py export_rules [--target NAME] [--dry-run] [--user NAME] [--archive FILE]`

Exports approved rules to every enabled target (or one, with --target): commit and push, or
with --dry-run print the diff the export would commit. --archive writes the target's tree as a
tar.gz (or .zip) instead of touching git. Thin: resolves the arguments, calls the export
services, prints one line per target. A failing target does not stop the others; the command
then exits with the first failure's exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandParser

from monitorgen.cli import MonitorgenCommand
from monitorgen.core.errors import InvalidInput, MonitorgenError, NotFound
from monitorgen.exports.models import ExportRun, ExportTarget, RunStatus, Trigger
from monitorgen.exports.selectors import export_target_get, export_targets_enabled
from monitorgen.exports.services import export_archive, export_run, export_system_user


def describe(run: ExportRun) -> str:
    """One line: what a finished run did."""
    summary = run.summary or {}
    counts = ", ".join(
        f"{len(summary.get(key, []))} {key}" for key in ("added", "changed", "removed")
    )
    files = (
        f"{len(summary.get('files_written', []))} file(s) written, "
        f"{len(summary.get('files_removed', []))} removed"
    )
    if run.status == RunStatus.COMMITTED:
        return f"{run.target.name}: committed {run.commit[:12]} ({counts}; {files})"
    if run.status == RunStatus.UNCHANGED:
        at = f" at {run.commit[:12]}" if run.commit else ""
        return f"{run.target.name}: nothing changed{at} ({summary.get('rules', 0)} rules)"
    if run.status == RunStatus.PREVIEWED:
        return f"{run.target.name}: dry run, nothing committed ({counts}; {files})"
    return f"{run.target.name}: {run.get_status_display().lower()}: {run.message}"


class Command(MonitorgenCommand):
    help = "Export approved rules to git (every enabled target, or --target NAME)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--target", help="export target name (default: every enabled target)")
        parser.add_argument("--dry-run", action="store_true",
                            help="print the diff an export would commit; change nothing")
        parser.add_argument("--user", help="who exports (default: the monitorgen system user)")
        parser.add_argument("--archive", metavar="FILE",
                            help="write the target's tree to FILE (.tar.gz or .zip) instead")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["user"])
        if options["archive"]:
            self._archive(actor, options["target"], Path(options["archive"]))
            return
        if options["target"]:
            targets = [export_target_get(viewer=actor, name=options["target"])]
        else:
            targets = list(export_targets_enabled())
            if not targets:
                raise NotFound("no enabled export targets: create one in the admin or the API")
        first_failure: MonitorgenError | None = None
        for target in targets:
            try:
                run = export_run(target=target, actor=actor, dry_run=options["dry_run"],
                                 trigger=Trigger.CLI)
            except MonitorgenError as exc:
                self.stderr.write(f"{target.name}: error [{exc.code}]: {exc.message}")
                first_failure = first_failure or exc
                continue
            self.stdout.write(describe(run))
            if options["dry_run"]:
                self.stdout.write(run.diff or "(no changes)\n", ending="")
        if first_failure is not None:
            sys.exit(first_failure.exit_code)

    def _actor(self, username: str | None) -> User:
        if not username:
            return export_system_user()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise NotFound(f"no user {username!r}")
        return user

    def _archive(self, actor: User, name: str | None, path: Path) -> None:
        if not name:
            raise InvalidInput("--archive needs --target NAME")
        target: ExportTarget = export_target_get(viewer=actor, name=name)
        kind = "zip" if path.suffix == ".zip" else "tar.gz"
        archive = export_archive(actor=actor, target=target, kind=kind)
        path.write_bytes(archive.data)
        self.stdout.write(f"{target.name}: wrote {len(archive.files)} file(s) to {path}")
