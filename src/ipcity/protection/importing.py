"""Bulk import of complaints and reports (a platform's or a trade-fair desk's monthly list, an office's old ledger)
from the platform's CSV/XLSX template, on the data hub's batch machinery: chunked, checkpointed and resumable; every
rejected row kept with its reasons; the same file again changes nothing (each row's idempotency key is the file's
hash and the row number)."""
from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File

from ipcity.core.files import store_file
from ipcity.core.validators import validate_resident_id
from ipcity.ipdata.models import ImportBatch
from ipcity.ipdata.queries import PERSONAL_DATA_KINDS
from ipcity.ipdata.registers import RegisterRow, RegisterRowError, run_template_import
from ipcity.protection import registration
from ipcity.protection.actions import jurisdiction_region, request_digest
from ipcity.protection.intake import (
    RightInput,
    SubmissionInput,
    normalise_phone,
    normalise_right,
    normalise_uscc,
)
from ipcity.protection.models import IpType, Matter, Submission

KIND = "submissions"
PERSONAL_DATA_KINDS.add(KIND)  # rejected rows keep the submitters' names and phones: the importing office only
# header, SubmissionInput field, required, example
COLUMNS = [
    ("类别", "kinds", True, "投诉；举报"),
    ("知识产权类型", "ip_type", True, "专利侵权"),
    ("提交人类型", "submitter_type", True, "自然人"),
    ("提交人姓名", "submitter_name", False, "张三"),
    ("联系电话", "submitter_phone", False, "13800000000"),
    ("身份证号码", "submitter_id_number", False, ""),
    ("提交单位", "submitter_org_name", False, ""),
    ("被投诉（举报）对象类型", "respondent_kind", True, "企业或其他组织"),
    ("被投诉（举报）对象", "respondent_name", True, "某某贸易有限公司"),
    ("统一社会信用代码", "respondent_uscc", False, ""),
    ("电商平台", "respondent_platform", False, ""),
    ("店铺编号", "respondent_shop_id", False, ""),
    ("区划代码", "region_code", False, "371702"),
    ("专利号", "patents", False, "ZL201310123456.2"),
    ("商标注册号", "trademarks", False, ""),
    ("事实与理由", "facts", True, "被投诉人销售的产品落入我方专利保护范围。"),
    ("请求事项", "demands", False, ""),
    ("原编号", "external_reference", False, "PLAT-2026-0001"),
]
_LABELS = {
    "kinds": dict((label, value) for value, label in Matter.Kind.choices),
    "ip_type": dict((label, value) for value, label in IpType.choices),
    "submitter_type": dict((label, value) for value, label in Submission.SubmitterType.choices),
    "respondent_kind": dict((label, value) for value, label in Submission.RespondentKind.choices),
}


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("；", ";").replace("，", ";").replace(",", ";").split(";") if p.strip()]


def parse(number: int, raw: dict) -> RegisterRow | RegisterRowError:
    """One row → a checked SubmissionInput (in RegisterRow.values) or the row's reasons, in Chinese."""
    values, reasons = {}, []
    for header, key, required, _example in COLUMNS:
        text = str(raw.get(header) or "").strip()
        if required and not text:
            reasons.append(f"「{header}」为必填")
            continue
        try:
            if key == "kinds":
                unknown = [k for k in _split(text) if k not in _LABELS["kinds"]]
                if unknown:
                    raise ValidationError(f"「{header}」只能是“投诉”或“举报”：{'、'.join(unknown)}")
                values[key] = sorted({_LABELS["kinds"][k] for k in _split(text)})
            elif key in _LABELS:
                if text not in _LABELS[key]:
                    raise ValidationError(f"「{header}」应为 {'、'.join(_LABELS[key])} 之一，实际为「{text}」")
                values[key] = _LABELS[key][text]
            elif key == "submitter_phone":
                values[key] = normalise_phone(text)
            elif key == "submitter_id_number":
                values[key] = validate_resident_id(text) if text else ""
            elif key == "respondent_uscc":
                values[key] = normalise_uscc(text)
            elif key in ("patents", "trademarks"):
                kind = "patent" if key == "patents" else "trademark"
                values.setdefault("rights", []).extend(RightInput(kind, normalise_right(kind, n), n)
                                                       for n in _split(text))
            else:
                values[key] = text
        except ValidationError as exc:
            reasons.extend(exc.messages)
    if reasons:
        return RegisterRowError(number, reasons, raw)
    data = SubmissionInput(**{k: v for k, v in values.items() if k not in ("patents", "trademarks")})
    problems = list(data.problems().values())
    try:
        region = jurisdiction_region(data.region_code, data.respondent_uscc)
    except ValidationError as exc:
        problems += exc.messages
    if problems:
        return RegisterRowError(number, problems, raw)
    return RegisterRow(number, {"data": data, "region": region}, raw)


def import_submissions(path, *, acting_user, progress=None) -> ImportBatch:
    """Import a file on disk (the CLI): stored first, so the batch keeps the original."""
    path = Path(path)
    with path.open("rb") as f:
        stored = store_file(File(f, name=path.name), acting_user=acting_user)
    return import_stored(stored, acting_user=acting_user, progress=progress)


def import_stored(stored, *, acting_user, progress=None) -> ImportBatch:
    """Import a stored upload (the web page's background job, or the CLI)."""

    def apply(row: RegisterRow) -> str:
        _submission, created = registration.submit(
            row.values["data"], acting_user=acting_user, channel="import", region=row.values["region"],
            on_behalf=True,
            idempotency_key=f"import:{stored.sha256[:20]}:{row.row_number}", digest=request_digest(row.raw))
        return "created" if created else "unchanged"

    return run_template_import(stored, kind=KIND, label="投诉举报", parse=parse, apply=apply,
                               required=[h for h, _k, required, _e in COLUMNS if required],
                               acting_user=acting_user, progress=progress)


def template_csv() -> bytes:
    """The import template: the headers and one example row (UTF-8 with BOM, so Excel opens it as Chinese)."""
    out = io.StringIO()
    out.write(",".join(h for h, *_ in COLUMNS) + "\n")
    out.write(",".join(e for *_, e in COLUMNS) + "\n")
    return ("\ufeff" + out.getvalue()).encode("utf-8")
