"""Django system checks for monitorgen's configuration (ids `monitorgen.E0xx`)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from monitorgen.adapters.promtool import INSTALL_HINT, Promtool
from monitorgen.core.errors import MonitorgenError


@register()
def promtool_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E001: promtool must run, since every rule is validated with it."""
    try:
        Promtool().version()
    except MonitorgenError as exc:
        return [Error(f"promtool is not usable: {exc.message}", hint=INSTALL_HINT,
                      id="monitorgen.E001")]
    return []
