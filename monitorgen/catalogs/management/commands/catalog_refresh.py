"""Re-read a stored catalog from its source (its file or its live Prometheus server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from monitorgen.catalogs import selectors, services
from monitorgen.cli import MonitorgenCommand


class Command(MonitorgenCommand):
    help = "Refresh a catalog from the file or server it was imported from."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--bearer-token-file", metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        catalog = selectors.catalog_get(slug=options["slug"])
        token = None
        if options["bearer_token_file"]:
            token = Path(options["bearer_token_file"]).read_text(encoding="utf-8").strip()
        catalog = services.catalog_refresh(catalog=catalog, bearer_token=token)
        self.stdout.write(f"refreshed catalog {catalog.slug}: {catalog.metric_count} metrics")
