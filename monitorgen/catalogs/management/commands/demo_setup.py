"""Load demo data: every fixture catalog and the demo users. Safe to run again; never in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from monitorgen.accounts.services import DEMO_TEAM, demo_accounts_ensure
from monitorgen.catalogs import services
from monitorgen.cli import MonitorgenCommand
from monitorgen.core.errors import ConfigurationError

DEMO_PASSWORD = "monitorgen-demo"  # noqa: S105 - a published demo password, development only


class Command(MonitorgenCommand):
    help = "Import the fixture catalogs and create demo users (development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise ConfigurationError(
                "demo_setup refuses to run in production (MONITORGEN_ENV=production): "
                "it would create users with a published password"
            )
        catalogs = services.catalog_import_fixtures()
        for catalog in catalogs:
            self.stdout.write(f"catalog {catalog.slug}: {catalog.metric_count} metrics")
        users = demo_accounts_ensure(password=DEMO_PASSWORD)
        self.stdout.write(f"demo team {DEMO_TEAM}: {', '.join(u.username for u in users)}")
        for user in users:
            role = "superuser" if user.is_superuser else "user"
            self.stdout.write(f"demo {role} {user.username} / password {DEMO_PASSWORD}")
