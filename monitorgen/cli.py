"""The one place where errors become command-line output and exit codes."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from monitorgen.core.errors import MonitorgenError


class MonitorgenCommand(BaseCommand):
    """Base for management commands: a MonitorgenError prints its message and exits with its code."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except MonitorgenError as exc:
            self.stderr.write(f"error [{exc.code}]: {exc.message}")
            for problem in exc.details.get("problems", [])[:50]:
                where = f"line {problem['line']}: " if problem.get("line") else ""
                self.stderr.write(
                    f"  {where}{problem.get('path', '')}: {problem.get('message', '')}"
                )
            sys.exit(exc.exit_code)
        except CommandError:
            raise
