"""Rules, their immutable versions, and the append-only review history.

A version's content (spec, YAML, intent, provenance, validation, unit tests) never changes once
written; only its workflow `state` moves, and only through `services.py`, which records every move
as a `ReviewEvent`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from monitorgen.accounts.models import Team
from monitorgen.core.errors import Conflict
from monitorgen.rules.transitions import Action, VersionState


class ImmutableRecord(Conflict):
    code = "immutable_record"


class Rule(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="rules")
    group = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, default="alert")  # alert | record
    retired = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "group", "name"], name="rule_identity_unique")
        ]
        ordering = ["team_id", "group", "name"]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.group}/{self.name}"


class RuleVersion(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=VersionState.choices, default=VersionState.DRAFT, db_index=True
    )
    # Content: immutable after creation.
    spec: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField()
    yaml = models.TextField()
    content_sha256 = models.CharField(max_length=64, db_index=True)
    intent = models.TextField(blank=True)
    provenance: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(default=dict)
    validation: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(default=dict)
    valid = models.BooleanField(default=False)
    unit_tests = models.TextField(blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_number_unique")
        ]
        ordering = ["rule_id", "-number"]
        indexes = [models.Index(fields=["state", "-created_at"], name="version_queue_idx")]

    def __str__(self) -> str:
        return f"{self.rule} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Content is immutable: an edit is a new version, a state change goes through services.
        if not self._state.adding:
            raise ImmutableRecord("rule versions are immutable; create a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecord("rule versions are kept forever; retire the rule instead")


class ReviewEvent(models.Model):
    """Append-only: one row per action on a version. Never updated, never deleted."""

    version = models.ForeignKey(RuleVersion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_state = models.CharField(max_length=20, choices=VersionState.choices)
    to_state = models.CharField(max_length=20, choices=VersionState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.version} {self.action} {self.from_state}->{self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecord("review events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecord("review events are append-only")
