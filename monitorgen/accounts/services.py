"""Roles and team membership: who may do what, and the writes that change it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import transaction

from monitorgen.accounts.models import Role, Team
from monitorgen.core.errors import ConfigurationError, PermissionDenied

UserLike = User | AnonymousUser


def user_has_role(user: UserLike, role: Role) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = _group_names(user)
    return role.value in names or Role.ADMIN.value in names


def user_is_admin(user: UserLike) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or Role.ADMIN.value in _group_names(user)


def _group_names(user: UserLike) -> set[str]:
    cached: set[str] | None = getattr(user, "_monitorgen_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        # Per-request cache: role checks run several times per action.
        setattr(user, "_monitorgen_groups", cached)  # noqa: B010
    return cached


def require_role(user: UserLike, role: Role, *, doing: str) -> None:
    if not user_has_role(user, role):
        raise PermissionDenied(
            f"{getattr(user, 'username', 'anonymous') or 'anonymous'} cannot {doing}: "
            f"needs the {role.label.lower()} role"
        )


def user_can_see_team(user: UserLike, team: Team) -> bool:
    if user_is_admin(user):
        return True
    if not user.is_authenticated:
        return False
    return team.members.filter(pk=user.pk).exists()


def require_team_access(user: UserLike, team: Team) -> None:
    if not user_can_see_team(user, team):
        raise PermissionDenied(
            f"{getattr(user, 'username', 'anonymous') or 'anonymous'} is not a member of team {team.slug}"
        )


@transaction.atomic
def roles_ensure() -> list[Group]:
    """Create the role groups (idempotent)."""
    return [Group.objects.get_or_create(name=role.value)[0] for role in Role]


@transaction.atomic
def user_role_grant(*, user: User, role: Role) -> None:
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if hasattr(user, "_monitorgen_groups"):
        del user._monitorgen_groups


@transaction.atomic
def team_create(*, slug: str, name: str, approvals_required: int = 1) -> Team:
    team, _ = Team.objects.get_or_create(
        slug=slug, defaults={"name": name, "approvals_required": approvals_required}
    )
    return team


@transaction.atomic
def team_member_add(*, team: Team, user: User) -> None:
    team.members.add(user)


DEMO_TEAM = "demo"
DEMO_USERS: tuple[tuple[str, Role | None], ...] = (
    ("author", Role.AUTHOR),
    ("reviewer", Role.REVIEWER),
    ("admin", None),  # a superuser: every role
)


@transaction.atomic
def demo_accounts_ensure(*, password: str) -> list[User]:
    """The demo users (author, reviewer, admin) in a demo team; refuses in production."""
    if settings.PRODUCTION:
        raise ConfigurationError("demo users are never created in production (MONITORGEN_ENV=production)")
    roles_ensure()
    team = team_create(slug=DEMO_TEAM, name="Demo team")
    users: list[User] = []
    for username, role in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        superuser = role is None
        changed = user.is_superuser != superuser or user.is_staff != superuser
        user.is_superuser = user.is_staff = superuser
        if not user.check_password(password):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
        if role is not None:
            user_role_grant(user=user, role=role)
        team_member_add(team=team, user=user)
        users.append(user)
    return users
