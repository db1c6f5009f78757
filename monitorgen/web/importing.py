"""The "Import rules" page: upload or paste rule files, see the report per file and rule.

Its own module (form and view) so that the rest of the web UI's files stay untouched by it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from monitorgen.accounts.models import Team
from monitorgen.catalogs.selectors import catalog_list
from monitorgen.core.formats.parse import AUTO, FORMAT_CHOICES, FORMAT_LABELS
from monitorgen.rules.importing import (
    MAX_FILE_BYTES,
    MAX_UPLOAD_FILES,
    ImportSource,
    rules_import,
    uploaded_source,
)
from monitorgen.web.errors import shows_errors
from monitorgen.web.http import is_htmx
from monitorgen.web.pages import teams_for
from monitorgen.web.views import signed_in

if TYPE_CHECKING:
    _TeamField = forms.ModelChoiceField[Team]
else:
    _TeamField = forms.ModelChoiceField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe for `multiple`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".yml,.yaml"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ImportForm(forms.Form):
    team = _TeamField(queryset=Team.objects.none(), label="Team", empty_label=None,
                      to_field_name="slug")
    format = forms.ChoiceField(
        label="Format", initial=AUTO,
        choices=[(value, FORMAT_LABELS[value]) for value in FORMAT_CHOICES],
        help_text="Detect reads each YAML document as whatever it is.",
    )
    uploads = MultipleFileField(
        label="Rule files", required=False,
        help_text=f"Up to {MAX_UPLOAD_FILES} .yml/.yaml files: Prometheus rule files, Kubernetes "
        "manifests with PrometheusRule objects, Mimir namespace files or Thanos ruler files.",
    )
    text = forms.CharField(
        label="Or paste a rule file", required=False, max_length=MAX_FILE_BYTES,
        widget=forms.Textarea(attrs={
            "rows": 10, "spellcheck": "false", "class": "code",
            # The rule editor (static/vendor/editor/), completing names from the chosen catalog.
            "data-editor": "yaml", "data-catalog-select": "id_catalog",
            "data-catalog-url": reverse_lazy("web:catalog-vocabulary", args=["__catalog__"]),
        }),
    )
    name = forms.CharField(label="Name for the pasted text", required=False, max_length=200,
                           initial="pasted.yml")
    catalog = forms.ChoiceField(label="Check against catalog", required=False,
                                help_text="Optional: also check metrics and labels exist.")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)  # noqa: S101 - narrowing for mypy
        team.queryset = teams_for(viewer=user)
        catalog = self.fields["catalog"]
        assert isinstance(catalog, forms.ChoiceField)  # noqa: S101
        catalog.choices = [("", "No catalog"), *((c.slug, c.name) for c in catalog_list())]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        count = len(data.get("uploads") or []) + (1 if (data.get("text") or "").strip() else 0)
        if count == 0:
            raise forms.ValidationError("Choose rule files to upload, or paste one.")
        if count > MAX_UPLOAD_FILES:
            raise forms.ValidationError(f"Import at most {MAX_UPLOAD_FILES} files at once.")
        return data

    def sources(self) -> list[ImportSource]:
        sources = [uploaded_source(f) for f in self.cleaned_data["uploads"]]
        text = self.cleaned_data["text"]
        if text.strip():
            sources.append(ImportSource(name=self.cleaned_data["name"] or "pasted.yml", text=text))
        return sources


@require_http_methods(["GET", "POST"])
@signed_in
@shows_errors
def import_rules(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    template = "web/partials/import_panel.html" if is_htmx(request) else "web/import.html"
    if request.method != "POST":
        return render(request, template, {"form": ImportForm(user=user)})
    form = ImportForm(request.POST, request.FILES, user=user)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    catalog = None
    if form.cleaned_data["catalog"]:
        from monitorgen.catalogs.selectors import catalog_get_spec

        catalog = catalog_get_spec(slug=form.cleaned_data["catalog"])
    report = rules_import(
        team=form.cleaned_data["team"], sources=form.sources(),
        format=form.cleaned_data["format"], actor=user, catalog=catalog,
    )
    status = 200 if report.ok else 422
    return render(request, template, {"form": form, "report": report}, status=status)
