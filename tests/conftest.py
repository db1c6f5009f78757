"""Shared test fixtures. Suites keep their own fixtures in their folder's conftest.py."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def promtool_path() -> str:
    """The real promtool; the suite requires it (scripts/setup.sh installs it)."""
    from django.conf import settings

    path = settings.PROMTOOL or shutil.which("promtool")
    if not path:
        pytest.fail("promtool is not installed: run scripts/setup.sh (or set PROMTOOL)")
    return path
