"""`manage.py import_rules PATH_OR_REPO --user NAME [--team T] [--format auto|prometheus|operator|mimir|thanos]`

Imports existing rule files as approved baselines of a team: a file, a directory (every *.yml
and *.yaml below it), or a git repository (a local clone, or a URL that is cloned; `--ref`
picks a branch or tag). Thin: resolves the arguments, calls `rules_import`, prints the report
per file and rule. Exits 1 when any file or rule had errors (the good rules are imported anyway).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandParser

from monitorgen.accounts.models import Team
from monitorgen.cli import MonitorgenCommand
from monitorgen.core.errors import InvalidInput, NotFound
from monitorgen.core.formats.parse import AUTO, FORMAT_CHOICES
from monitorgen.rules.importing import ImportReport, rules_import, sources_from_path


def render_text(report: ImportReport) -> str:
    lines: list[str] = []
    for file in report.files:
        commit = f" @ {file.commit[:12]}" if file.commit else ""
        formats = f" ({', '.join(file.formats)})" if file.formats else ""
        lines.append(f"{file.source}{commit}{formats}")
        for problem in file.problems:
            lines.append(f"  {_where(problem)}{problem['level']} {problem['check']}: {problem['message']}")
        for skipped in file.skipped:
            name = f" {skipped['name']}" if skipped["name"] else ""
            lines.append(
                f"  line {skipped['line']}: skipped Kubernetes {skipped['kind']}{name} "
                f"(document {skipped['document']}): not a PrometheusRule"
            )
        for rule in file.rules:
            group = f"{rule.group}/" if rule.group else ""
            lines.append(f"  {_where(rule.as_dict())}{group}{rule.name}: {rule.status}: {rule.message}")
            for problem in rule.problems:
                if problem["level"] == "error" or rule.status not in ("invalid", "conflict"):
                    lines.append(
                        f"      {_where(problem)}{problem['level']} {problem['check']}: "
                        f"{problem['message']}"
                    )
    lines.append(("OK: " if report.ok else "FAILED: ") + report.summary())
    return "\n".join(lines)


def _where(item: dict[str, Any]) -> str:
    return f"line {item['line']}: " if item.get("line") else ""


class Command(MonitorgenCommand):
    help = "Import existing rule files (Prometheus, PrometheusRule, Mimir, Thanos) as approved baselines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path_or_repo", help="a rule file, a directory, or a git repository (path or URL)")
        parser.add_argument("--user", required=True,
                            help="who imports (needs the author and reviewer roles in the team)")
        parser.add_argument("--team", help="team slug (default: the user's only team)")
        parser.add_argument("--format", choices=FORMAT_CHOICES, default=AUTO,
                            help="rule-file format; auto detects it per YAML document")
        parser.add_argument("--ref", help="branch or tag to read from a git repository")
        parser.add_argument("--catalog", help="catalog slug or file: also check rules against it")
        parser.add_argument("--output", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise NotFound(f"no user {options['user']!r}")
        team = self._team(user, options["team"])
        catalog = None
        if options["catalog"]:
            from monitorgen.catalogs.selectors import catalog_resolve

            catalog = catalog_resolve(slug_or_path=options["catalog"])
        sources = sources_from_path(options["path_or_repo"], ref=options["ref"])
        report = rules_import(team=team, sources=sources, format=options["format"], actor=user,
                              catalog=catalog)
        if options["output"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(render_text(report))
        if not report.ok:
            sys.exit(1)

    def _team(self, user: User, slug: str | None) -> Team:
        if slug:
            team = Team.objects.filter(slug=slug).first()
            if team is None:
                raise NotFound(f"no team {slug!r}")
            return team
        teams = list(user.teams.all()[:2])
        if len(teams) != 1:
            raise InvalidInput(
                f"{user.username} is in {'no team' if not teams else 'several teams'}: "
                "name the team with --team"
            )
        return teams[0]
