"""Export targets (where approved rules go) and export runs (what each export did).

A target stores a *reference* to its credentials (an environment variable name or a secrets file
path), never the secret: see `monitorgen.adapters.git`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from monitorgen.accounts.models import Team
from monitorgen.core.formats.render import DEFAULT_PATH_TEMPLATE, FORMATS


class ExportFormat(models.TextChoices):
    PROMETHEUS = "prometheus", FORMATS["prometheus"].label
    OPERATOR = "operator", FORMATS["operator"].label
    MIMIR = "mimir", FORMATS["mimir"].label
    THANOS = "thanos", FORMATS["thanos"].label


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    COMMITTED = "committed", "Committed and pushed"
    UNCHANGED = "unchanged", "Nothing changed"
    PREVIEWED = "previewed", "Dry run"
    FAILED = "failed", "Failed"


class Trigger(models.TextChoices):
    WEB = "web", "Web UI"
    API = "api", "API"
    CLI = "cli", "Command line"


class ExportTarget(models.Model):
    name = models.SlugField(max_length=64, unique=True)
    repo_url = models.CharField(
        max_length=500, help_text="Local path, file://, https://, ssh:// or user@host:path."
    )
    branch = models.CharField(max_length=200, default="main")
    path_template = models.CharField(max_length=300, default=DEFAULT_PATH_TEMPLATE)
    format = models.CharField(
        max_length=20, choices=ExportFormat.choices, default=ExportFormat.PROMETHEUS
    )
    format_options: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        default=dict, blank=True
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="export_targets",
        help_text="Export only this team's rules (empty: every team).",
    )
    credentials_env = models.CharField(
        max_length=100, blank=True,
        help_text="Name of the environment variable holding the token (MONITORGEN_GIT_...).",
    )
    credentials_file = models.CharField(
        max_length=500, blank=True, help_text="Path of a secrets file holding the token or key."
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExportRun(models.Model):
    target = models.ForeignKey(ExportTarget, on_delete=models.PROTECT, related_name="runs")
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.WEB)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING, db_index=True
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    base_commit = models.CharField(max_length=64, blank=True)
    commit = models.CharField(max_length=64, blank=True, help_text="The commit the run pushed.")
    # [[version id, version number], ...] of every version in the exported tree. JSON, not a
    # many-to-many table: a run of thousands of rules records them in one row, in no time.
    versions: models.JSONField[list[list[int]], list[list[int]]] = models.JSONField(
        default=list, blank=True
    )
    # {"added"|"changed"|"removed": [rule rows], "files_written"|"files_removed": [paths]}
    summary: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        default=dict, blank=True
    )
    diff = models.TextField(blank=True)
    message = models.TextField(blank=True, help_text="The commit message, or what went wrong.")
    error_code = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["target", "-started_at"], name="export_run_target_idx")]

    def __str__(self) -> str:
        return f"{self.target_id} run {self.pk} ({self.status})"
