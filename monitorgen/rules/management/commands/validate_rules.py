"""`manage.py validate_rules FILE... [--catalog slug|path] [--format text|json] [--scrape-interval 30s]`

Thin: parses arguments, runs the validation pipeline, renders the report. Exits 1 when any
problem is an error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from monitorgen.cli import MonitorgenCommand
from monitorgen.core.catalog import Catalog
from validators.pipeline import validate_files
from validators.report import ValidationReport


def load_catalog(value: str) -> Catalog:
    """A catalog from a file path, else from the database by slug (raises NotFound)."""
    if Path(value).is_file():
        from monitorgen.core.catalog_io import load_catalog_file

        return load_catalog_file(value)
    from monitorgen.catalogs.selectors import catalog_get_spec

    return catalog_get_spec(slug=value)


def render_text(report: ValidationReport) -> str:
    lines = []
    for p in report.problems:
        where = f"{p.source or '<rules>'}:{p.line}" if p.line else (p.source or "<rules>")
        rule = f" [{p.group + '/' if p.group else ''}{p.rule}]" if p.rule else ""
        lines.append(f"{where}:{rule} {p.level.value} {p.check}: {p.message}")
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "FAILED" if errors else "OK"
    lines.append(f"{verdict}: {errors} error(s), {warnings} warning(s); steps: {', '.join(report.steps)}")
    return "\n".join(lines)


class Command(MonitorgenCommand):
    help = "Validate Prometheus rule files: schema, lint, catalog grounding and promtool."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="rule files to validate")
        parser.add_argument("--catalog", help="catalog slug, or path to a catalog YAML file")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--scrape-interval", dest="scrape_interval", default=None,
                            help="scrape interval assumed by lint (default: catalog's or settings)")
        parser.add_argument("--lenient", action="store_true",
                            help="skip product policy (severity, summary...) for imported rules")
        parser.add_argument("--no-promtool", dest="promtool", action="store_false",
                            help="skip the promtool step")

    def handle(self, *args: Any, **options: Any) -> None:
        catalog = load_catalog(options["catalog"]) if options["catalog"] else None
        report = validate_files(
            options["files"], catalog=catalog, scrape_interval=options["scrape_interval"],
            run_promtool=options["promtool"], lenient=options["lenient"],
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(render_text(report))
        if not report.ok:
            sys.exit(1)
