"""Admin: configure export targets (checked by the services) and browse runs (read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from monitorgen.core.errors import MonitorgenError
from monitorgen.exports.models import ExportRun, ExportTarget
from monitorgen.exports.services import (
    TargetFields,
    export_target_check,
    export_target_create,
    export_target_update,
)


class ExportTargetForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ExportTarget
        fields = (
            "name", "repo_url", "branch", "path_template", "format", "format_options", "team",
            "credentials_env", "credentials_file", "enabled",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The same checks the services apply, so mistakes show on the form next to the fields.
        try:
            export_target_check(TargetFields(
                name=str(data.get("name") or (self.instance.name if self.instance.pk else "")),
                repo_url=str(data.get("repo_url") or ""),
                branch=str(data.get("branch") or ""),
                path_template=str(data.get("path_template") or ""),
                format=str(data.get("format") or ""),
                format_options=dict(data.get("format_options") or {}),
                team=data.get("team"),
                credentials_env=str(data.get("credentials_env") or ""),
                credentials_file=str(data.get("credentials_file") or ""),
                enabled=bool(data.get("enabled")),
            ))
        except MonitorgenError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(ExportTarget)
class ExportTargetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ExportTargetForm
    list_display = ("name", "format", "repo_url", "branch", "team", "enabled")
    list_filter = ("format", "enabled")
    search_fields = ("name", "repo_url")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("name",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: ExportTarget, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {
            key: data[key]
            for key in ("repo_url", "branch", "path_template", "format", "format_options",
                        "team", "credentials_env", "credentials_file", "enabled")
        }
        fields["format_options"] = fields["format_options"] or {}
        user = request.user
        assert user.is_authenticated  # noqa: S101 - the admin requires a signed-in staff user
        if change:
            saved = export_target_update(actor=user, target=obj, **fields)
        else:
            saved = export_target_create(actor=user, name=data["name"], **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(ExportRun)
class ExportRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "target", "status", "dry_run", "triggered_by", "started_at", "commit")
    list_filter = ("status", "dry_run", "target")
    exclude = ("versions",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in ExportRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
