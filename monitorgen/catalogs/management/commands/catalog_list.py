"""List stored catalogs."""

from __future__ import annotations

from typing import Any

from monitorgen.catalogs import selectors
from monitorgen.cli import MonitorgenCommand


class Command(MonitorgenCommand):
    help = "List the stored metric catalogs."

    def handle(self, *args: Any, **options: Any) -> None:
        catalogs = list(selectors.catalog_list())
        if not catalogs:
            self.stdout.write("no catalogs (import one with catalog_import or run demo_setup)")
            return
        width = max(len(c.slug) for c in catalogs)
        for catalog in catalogs:
            refreshed = catalog.refreshed_at.strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{catalog.slug:<{width}}  {catalog.metric_count:>5} metrics  "
                f"{catalog.source_kind:<10}  {refreshed}  {catalog.name}"
            )
