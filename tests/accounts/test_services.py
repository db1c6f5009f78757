"""Roles are Django groups; admins see every team, everyone else only their own."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User

from monitorgen.accounts.models import Role
from monitorgen.accounts.services import (
    DEMO_TEAM,
    demo_accounts_ensure,
    require_role,
    team_create,
    team_member_add,
    user_can_see_team,
    user_has_role,
    user_role_grant,
)
from monitorgen.core.errors import ConfigurationError, PermissionDenied

pytestmark = pytest.mark.django_db


def test_a_role_is_membership_of_its_group():
    user = User.objects.create_user("erin")
    assert not user_has_role(user, Role.REVIEWER)
    user_role_grant(user=user, role=Role.REVIEWER)
    assert user_has_role(user, Role.REVIEWER)
    assert not user_has_role(user, Role.AUTHOR)


def test_admins_and_superusers_have_every_role():
    admin = User.objects.create_user("ada")
    user_role_grant(user=admin, role=Role.ADMIN)
    root = User.objects.create_superuser("root")
    for role in (Role.AUTHOR, Role.REVIEWER):
        assert user_has_role(admin, role) and user_has_role(root, role)


def test_inactive_and_anonymous_users_have_no_role():
    user = User.objects.create_user("gone", is_active=False)
    user_role_grant(user=user, role=Role.AUTHOR)
    assert not user_has_role(user, Role.AUTHOR)
    assert not user_has_role(AnonymousUser(), Role.AUTHOR)
    with pytest.raises(PermissionDenied, match="needs the author role"):
        require_role(AnonymousUser(), Role.AUTHOR, doing="write rules")


def test_a_team_is_visible_to_its_members_and_admins_only():
    team = team_create(slug="search", name="Search")
    member, outsider = User.objects.create_user("m"), User.objects.create_user("o")
    admin = User.objects.create_user("a")
    user_role_grant(user=admin, role=Role.ADMIN)
    team_member_add(team=team, user=member)
    assert user_can_see_team(member, team)
    assert not user_can_see_team(outsider, team)
    assert user_can_see_team(admin, team)


def test_demo_accounts_are_idempotent_and_share_the_demo_team():
    first = demo_accounts_ensure(password="demo-pass-1")
    second = demo_accounts_ensure(password="demo-pass-1")
    assert [u.pk for u in first] == [u.pk for u in second]
    author, reviewer, admin = second
    assert user_has_role(author, Role.AUTHOR) and not user_has_role(author, Role.REVIEWER)
    assert user_has_role(reviewer, Role.REVIEWER) and admin.is_superuser
    assert all(u.teams.filter(slug=DEMO_TEAM).exists() for u in second)


def test_demo_accounts_are_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(ConfigurationError, match="production"):
        demo_accounts_ensure(password="x")
    assert not User.objects.filter(username="author").exists()
