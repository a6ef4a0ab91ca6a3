"""Bearer tokens of intake clients (e-commerce platforms, trade-fair desks): issue, revoke, authenticate."""
from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from ipcity.core.actions import action, record
from ipcity.protection.models import IntakeClient

TOKEN_PREFIX = "ipt_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@action
def create_intake_client(*, acting_user, organisation, kind: str, name: str) -> tuple[IntakeClient, str]:
    """A new client and its secret, which is shown this once and stored only as a hash."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = IntakeClient.objects.create(organisation=organisation, kind=kind, name=name, prefix=secret[:12],
                                         digest=_hash(secret))
    record("protection.create_intake_client", acting_user=acting_user, obj=client,
           changes={"organisation": organisation.pk, "kind": kind})
    return client, secret


@action
def revoke_intake_client(client: IntakeClient, *, acting_user) -> IntakeClient:
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    record("protection.revoke_intake_client", acting_user=acting_user, obj=client)
    return client


def authenticate_client(secret: str) -> IntakeClient | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    return (IntakeClient.objects.select_related("organisation")
            .filter(digest=_hash(secret), revoked_at__isnull=True).first())
