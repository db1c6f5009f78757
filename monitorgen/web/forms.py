"""Forms: they parse and check what the browser sent; services decide what it means."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User

from monitorgen.accounts.models import Team
from monitorgen.catalogs.selectors import catalog_list
from monitorgen.core.catalog import MetricType
from monitorgen.core.generation.result import Scope
from monitorgen.web.pages import teams_for

ANSWER_PREFIX = "answer-"


if TYPE_CHECKING:
    _TeamField = forms.ModelChoiceField[Team]
else:
    _TeamField = forms.ModelChoiceField


class TeamChoiceField(_TeamField):
    def label_from_instance(self, obj: Team) -> str:
        return obj.name


class IntentForm(forms.Form):
    intent = forms.CharField(
        label="What should page or notify you?",
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "placeholder": "Page me if checkout p99 latency is over 500 ms for 10 minutes",
            }
        ),
        help_text="Plain language. Name the service, the signal and the threshold if you know them.",
    )
    catalog = forms.ChoiceField(
        label="Metric catalog", help_text="The metrics your Prometheus really has."
    )
    team = TeamChoiceField(
        queryset=Team.objects.none(), label="Team", empty_label=None, to_field_name="slug"
    )
    group = forms.CharField(label="Rule group", max_length=200, initial="alerts")
    service = forms.CharField(label="Service", required=False, max_length=200)
    environment = forms.CharField(label="Environment", required=False, max_length=200)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        intent = self.fields["intent"]
        assert isinstance(intent, forms.CharField)  # noqa: S101 - narrowing for the type checker
        intent.max_length = settings.INTENT_MAX_CHARS
        intent.widget.attrs["maxlength"] = str(settings.INTENT_MAX_CHARS)
        catalog = self.fields["catalog"]
        assert isinstance(catalog, forms.ChoiceField)  # noqa: S101
        catalog.choices = [(c.slug, f"{c.name} ({c.slug})") for c in catalog_list()]
        team = self.fields["team"]
        assert isinstance(team, TeamChoiceField)  # noqa: S101
        team.queryset = teams_for(viewer=user)

    def answers(self) -> dict[str, str]:
        """Answers to clarifying questions, posted as `answer-<field>` (free text wins)."""
        answers: dict[str, str] = {}
        for key in self.data:
            if not key.startswith(ANSWER_PREFIX) or key.endswith("-other"):
                continue
            field_name = key.removeprefix(ANSWER_PREFIX)
            value = str(self.data.get(f"{key}-other") or self.data.get(key) or "").strip()
            if field_name and value:
                answers[field_name] = value[:200]
        return answers

    def scope(self) -> Scope:
        team: Team = self.cleaned_data["team"]
        return Scope(
            team=team.slug,
            service=self.cleaned_data["service"].strip() or None,
            environment=self.cleaned_data["environment"].strip() or None,
        )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Comment", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label="What should change?",
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Only page after 15 minutes; warn instead of page"}
        ),
    )


class EditForm(forms.Form):
    text = forms.CharField(
        label="Rule YAML",
        max_length=20000,
        widget=forms.Textarea(
            attrs={
                "rows": 14,
                "spellcheck": "false",
                "class": "code",
                # Upgraded to the rule editor by static/vendor/editor/editor.min.js when it loads.
                "data-editor": "yaml",
                "aria-describedby": "edit-help",
            }
        ),
    )

    def __init__(self, *args: Any, vocabulary_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if vocabulary_url:
            self.fields["text"].widget.attrs["data-catalog-url"] = vocabulary_url


class MetricSearchForm(forms.Form):
    q = forms.CharField(label="Search metrics", required=False, max_length=200)
    type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Any type"), *((t.value, t.value) for t in MetricType)],
    )
