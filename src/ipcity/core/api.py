from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from ipcity.core import audit
from ipcity.core.actions import record
from ipcity.core.api_schemas import AUTH_ERRORS

router = Router(tags=["平台"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    role_label: str
    organisation_id: int | None
    organisation: str | None
    permissions: list[str]


@router.get("/me", response={200: MeOut, **AUTH_ERRORS}, summary="当前用户")
def me(request):
    user = request.auth
    return MeOut(username=user.username, display_name=user.display_name, role=user.role,
                 role_label=user.get_role_display_safe(), organisation_id=user.organisation_id,
                 organisation=str(user.organisation) if user.organisation_id else None,
                 permissions=sorted(user.get_all_permissions()))


class ChainOut(Schema):
    ok: bool
    checked: int
    problems: list[str]


@router.post("/audit/verify", response={200: ChainOut, **AUTH_ERRORS}, summary="校验审计链（审计管理员）")
def verify_audit(request):
    if not request.auth.has_perm("core.view_auditentry"):
        raise PermissionDenied("只有审计管理员可以校验审计日志")
    report = audit.verify_chain()
    record("audit.verify", acting_user=request.auth, outcome="success" if report.ok else "failure",
           changes={"checked": report.checked, "problems": len(report.problems)})
    return ChainOut(ok=report.ok, checked=report.checked, problems=report.problems)
