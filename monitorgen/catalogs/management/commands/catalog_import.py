"""Import a metric catalog from a catalog file, `/metrics` output, or a live Prometheus server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.text import slugify

from monitorgen.catalogs import services
from monitorgen.cli import MonitorgenCommand
from monitorgen.core.errors import InvalidInput


class Command(MonitorgenCommand):
    help = "Import (or replace) a metric catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--file", metavar="PATH", help="catalog YAML file")
        source.add_argument("--exposition", metavar="PATH", help="saved /metrics output")
        source.add_argument("--prometheus", metavar="URL", help="base URL of a Prometheus server")
        parser.add_argument("--slug", help="catalog slug (default: from the file name or --name)")
        parser.add_argument("--name", help="catalog name (exposition and Prometheus sources)")
        parser.add_argument(
            "--bearer-token-file",
            metavar="PATH",
            help="file holding a bearer token for --prometheus (never stored)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str | None = options["slug"]
        name: str | None = options["name"]
        if options["file"]:
            catalog = services.catalog_import_file(path=options["file"], slug=slug)
        elif options["exposition"]:
            path = Path(options["exposition"]).resolve()
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(f"{path}: cannot read the exposition file: {exc}") from None
            slug = slug or slugify(name or path.stem)
            catalog = services.catalog_import_exposition(
                text=text, slug=slug, name=name or slug, source_location=str(path)
            )
        else:
            if not (slug or name):
                raise InvalidInput("--prometheus needs --slug (or --name)")
            token = None
            if options["bearer_token_file"]:
                token = Path(options["bearer_token_file"]).read_text(encoding="utf-8").strip()
            catalog = services.catalog_import_prometheus(
                url=options["prometheus"],
                slug=slug or slugify(str(name)),
                name=name,
                bearer_token=token,
            )
        self.stdout.write(
            f"imported catalog {catalog.slug}: {catalog.metric_count} metrics "
            f"from {catalog.source_kind} {catalog.source_location}".rstrip()
        )
