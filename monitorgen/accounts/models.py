"""Teams own rules. Roles are Django groups (authors, reviewers, admins); visibility is per team."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models


class Role(models.TextChoices):
    AUTHOR = "authors", "Author"
    REVIEWER = "reviewers", "Reviewer"
    ADMIN = "admins", "Admin"


class Team(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    # Four-eyes: how many distinct reviewers (other than the author) must approve a version.
    approvals_required = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)]
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug
