"""Account actions: users, roles, tokens."""
from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipcity.accounts.models import APIToken, User
from ipcity.accounts.roles import ROLE_PERMISSIONS, Role
from ipcity.core.actions import action, record


@action
def sync_role_groups(*, acting_user, quiet: bool = False) -> None:
    """One Django group per role holding exactly the role's permissions (run after every migrate)."""
    changed = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.label)
        wanted = set()
        for perm in ROLE_PERMISSIONS.get(role, []):
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None:
                raise RuntimeError(f"role {role} names unknown permission {perm}")
            wanted.add(found.pk)
        current = set(group.permissions.values_list("pk", flat=True))
        if current != wanted:
            group.permissions.set(wanted)
            changed[role.value] = len(wanted)
    if changed or not quiet:
        record("accounts.sync_role_groups", acting_user=acting_user, changes={"groups": changed})


def _apply_role(user: User) -> None:
    user.groups.set([Group.objects.get(name=Role(user.role).label)] if user.role else [])


@action
def create_user(*, acting_user, username: str, role: str, organisation=None, password: str | None = None,
                display_name: str = "", phone: str = "", is_demo: bool = False, is_superuser: bool = False) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该用户名已存在"})
    role = Role(role)
    user = User(username=username, role=role, organisation=organisation, display_name=display_name,
                phone=phone, is_demo=is_demo, is_superuser=is_superuser)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _apply_role(user)
    record("accounts.create_user", acting_user=acting_user, obj=user,
           changes={"role": role.value, "organisation": str(organisation) if organisation else None})
    return user


@action
def set_role(user: User, role: str, *, acting_user) -> User:
    old = user.role
    user.role = Role(role)
    user.save()
    _apply_role(user)
    record("accounts.set_role", acting_user=acting_user, obj=user, changes={"role": [old, user.role]})
    return user


@action
def set_password(user: User, password: str, *, acting_user) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record("accounts.set_password", acting_user=acting_user, obj=user)


@action
def set_active(user: User, active: bool, *, acting_user) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])
    record("accounts.activate" if active else "accounts.deactivate", acting_user=acting_user, obj=user)


@action
def create_api_token(user: User, name: str, *, acting_user, expires_at=None) -> tuple[APIToken, str]:
    """Returns the token row and the secret, which is shown once and never stored."""
    secret = APIToken.new_secret()
    token = APIToken.objects.create(user=user, name=name, prefix=secret[:10], digest=APIToken.hash_secret(secret),
                                    expires_at=expires_at)
    record("accounts.create_api_token", acting_user=acting_user, obj=token, changes={"user": user.username})
    return token, secret


@action
def revoke_api_token(token: APIToken, *, acting_user) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("accounts.revoke_api_token", acting_user=acting_user, obj=token)


def authenticate_token(secret: str) -> User | None:
    """The active user behind a bearer token, or None. Not an action: it only stamps last use."""
    if not secret:
        return None
    token = (APIToken.objects.select_related("user").filter(digest=APIToken.hash_secret(secret),
                                                            revoked_at__isnull=True).first())
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@action
def save_user_from_admin(user: User, change: bool, *, acting_user) -> User:
    before = {}
    if change:
        old = User.objects.get(pk=user.pk)
        before = {"role": old.role, "organisation": old.organisation_id, "is_active": old.is_active,
                  "password_changed": False}
        password_changed = old.password != user.password
    else:
        password_changed = True
    user.save()
    _apply_role(user)
    after = {"role": user.role, "organisation": user.organisation_id, "is_active": user.is_active,
             "password_changed": password_changed}
    from ipcity.core.actions import model_changes

    record("accounts.change_user" if change else "accounts.create_user", acting_user=acting_user, obj=user,
           changes=model_changes(before, after))
    return user
