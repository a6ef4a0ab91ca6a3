"""Register imports (trademarks, GIs, copyright, plant varieties, layout designs, enterprise recognitions, patent
pledges, patent and science awards, population) from the CSV/XLSX templates the platform provides. One declarative
spec per register; rows are validated field by field, every bad row is rejected with all its reasons (nothing
silently fixed), good rows are upserted by their natural key (the same file twice changes nothing), in checkpointed
chunks like patent imports."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File

from ipcity.core.files import file_path, store_file
from ipcity.core.validators import normalize_application_number
from ipcity.ipdata.enterprises import EnterpriseMatcher
from ipcity.ipdata.models import (
    CopyrightRegistration,
    EnterpriseFlag,
    GeographicalIndication,
    ImportBatch,
    LayoutDesign,
    Patent,
    PatentAward,
    PatentPledge,
    PlantVariety,
    Trademark,
)
from ipcity.regions.models import Population


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text | date | bool | classes | choice | region | organisation | application_number | amount | year
    required: bool = False
    help: str = ""
    example: str = ""


@dataclass(frozen=True)
class RegisterSpec:
    name: str
    label: str
    model: type
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    owner_field: str | None = "owner"   # resolved from the *_name column to an enterprise when it matches
    owner_name_field: str | None = "owner_name"
    extra: dict = field(default_factory=dict)
    link_patent: bool = False   # set `patent` from `application_number` when the patent is in the data hub


def _choices(model, name):
    return {label: value for value, label in model._meta.get_field(name).choices}


SPECS: dict[str, RegisterSpec] = {spec.name: spec for spec in [
    RegisterSpec("trademarks", "商标", Trademark, ("registration_number",), (
        Column("注册号", "registration_number", required=True, example="12345678"),
        Column("商标名称", "name", required=True, example="牡丹花开"),
        Column("尼斯分类", "nice_classes", "classes", required=True, help="1–45，多个用分号分隔", example="29;30"),
        Column("注册人", "owner_name", required=True, example="菏泽某某食品有限公司"),
        Column("状态", "status", "choice", help="申请中/已注册/已失效/已无效", example="已注册"),
        Column("商标类型", "mark_type", "choice", help="普通商标/集体商标/证明商标", example="普通商标"),
        Column("地理标志商标", "is_geographical_indication", "bool", help="是/否", example="否"),
        Column("驰名商标", "well_known", "bool", help="是/否", example="否"),
        Column("马德里国际注册", "madrid", "bool", help="是/否", example="否"),
        Column("申请日", "application_date", "date", example="2020-05-06"),
        Column("注册日", "registration_date", "date", example="2021-03-14"),
        Column("专用权期限至", "expiry_date", "date", example="2031-03-13"),
        Column("所在区划代码", "region", "region", example="371702"),
    )),
    RegisterSpec("gis", "地理标志", GeographicalIndication, ("approval_number",), (
        Column("产品名称", "name", required=True, example="曹县芦笋"),
        Column("类型", "kind", "choice", required=True, help="地理标志产品/地理标志证明商标/地理标志集体商标/农产品地理标志",
               example="地理标志证明商标"),
        Column("批准文号/注册号", "approval_number", required=True, example="12345679"),
        Column("批准日期", "approval_date", "date", example="2015-08-20"),
        Column("保护区域代码", "region", "region", required=True, example="371721"),
    ), owner_field=None, owner_name_field=None),
    RegisterSpec("copyrights", "著作权登记", CopyrightRegistration, ("registration_number",), (
        Column("登记号", "registration_number", required=True, example="2024SR0123456"),
        Column("作品/软件名称", "title", required=True, example="某某管理系统V1.0"),
        Column("登记类型", "kind", "choice", required=True, help="作品登记/计算机软件著作权登记",
               example="计算机软件著作权登记"),
        Column("作品类别", "work_category", example=""),
        Column("著作权人", "owner_name", required=True, example="菏泽某某科技有限公司"),
        Column("登记日期", "registration_date", "date", example="2024-01-15"),
        Column("所在区划代码", "region", "region", example="371702"),
    )),
    RegisterSpec("plant_varieties", "植物新品种", PlantVariety, ("right_number",), (
        Column("品种权号", "right_number", required=True, example="CNA20200123.4"),
        Column("品种名称", "name", required=True, example="菏牡1号"),
        Column("属或种", "species", example="牡丹"),
        Column("品种权人", "owner_name", required=True, example="菏泽某某农业科技有限公司"),
        Column("授权日", "grant_date", "date", example="2022-06-30"),
        Column("所在区划代码", "region", "region", example="371702"),
    )),
    RegisterSpec("layout_designs", "集成电路布图设计", LayoutDesign, ("registration_number",), (
        Column("登记号", "registration_number", required=True, example="BS.205012345"),
        Column("布图设计名称", "name", required=True, example="某某芯片"),
        Column("权利人", "owner_name", required=True, example="菏泽某某电子有限公司"),
        Column("申请日", "application_date", "date", example="2020-09-01"),
        Column("所在区划代码", "region", "region", example="371702"),
    )),
    RegisterSpec("enterprise_flags", "企业认定", EnterpriseFlag, ("organisation", "flag", "valid_from"), (
        Column("企业名称或统一社会信用代码", "organisation", "organisation", required=True,
               example="91371702MA3C000011"),
        Column("认定", "flag", "choice", required=True, help="高新技术企业/专精特新企业/规模以上工业企业/国家知识产权优势企业/国家知识产权示范企业",
               example="高新技术企业"),
        Column("有效期自", "valid_from", "date", required=True, example="2023-12-01"),
        Column("有效期至", "valid_to", "date", example="2026-11-30"),
        Column("证书编号", "certificate", example="GR202337000123"),
    ), owner_field=None, owner_name_field=None),
    RegisterSpec("pledges", "专利权质押登记", PatentPledge, ("registration_number",), (
        Column("登记号", "registration_number", required=True, example="Y2024370000123"),
        Column("申请号", "application_number", "application_number", required=True, help="含校验位，如 CN202110123456.7",
               example="CN202110123456.7"),
        Column("出质人", "pledgor_name", required=True, example="菏泽某某科技有限公司"),
        Column("质权人", "pledgee_name", required=True, example="某某银行菏泽分行"),
        Column("质押金额（万元）", "amount", "amount", required=True, help="被担保主债权数额，单位万元，如 1500 或 1500.5",
               example="1500"),
        Column("登记日", "registered_on", "date", required=True, example="2024-03-18"),
        Column("注销日", "released_on", "date", example=""),
        Column("所在区划代码", "region", "region", example="371702"),
    ), owner_field="pledgor", owner_name_field="pledgor_name", link_patent=True),
    RegisterSpec("awards", "专利奖与科技奖", PatentAward, ("application_number", "award", "year"), (
        Column("申请号", "application_number", "application_number", required=True, example="CN201510123456.7"),
        Column("奖项", "award", "choice", required=True,
               help="中国专利金奖/中国专利银奖/中国专利优秀奖/中国外观设计金奖/中国外观设计银奖/中国外观设计优秀奖/"
                    "国家自然科学奖/国家技术发明奖/国家科学技术进步奖", example="中国专利优秀奖"),
        Column("年份", "year", "year", required=True, help="届次年份，如 2023", example="2023"),
        Column("项目名称", "project", example="一种某某装置"),
        Column("获奖单位", "holder_name", example="菏泽某某科技有限公司"),
    ), owner_field=None, owner_name_field=None, link_patent=True),
    RegisterSpec("population", "人口", Population, ("region", "year", "kind"), (
        Column("区划代码", "region", "region", required=True, example="371702"),
        Column("年份", "year", "year", required=True, help="年末人口所属年份", example="2024"),
        Column("口径", "kind", "choice", required=True, help="常住人口/户籍人口", example="常住人口"),
        Column("人口（万人）", "value", "amount", required=True, help="单位万人，如 96.52", example="96.52"),
        Column("来源", "source", example="2024 年统计公报"),
    ), owner_field=None, owner_name_field=None),
]}


@dataclass
class RegisterRow:
    row_number: int
    values: dict
    raw: dict


@dataclass
class RegisterRowError:
    row_number: int
    reasons: list[str]
    raw: dict


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"日期格式错误：{text}（应为 2024-01-31）")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"日期不存在：{text}") from None


_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,2})?")


def _parse_amount(header: str, text: str) -> Decimal:
    """A non-negative amount with at most two decimals, written plainly: "1500", "1500.5". Thousands separators,
    units and signs are reported, not guessed at (a "1,500" might be 1.5 or 1500 in a hand-made sheet)."""
    if not _AMOUNT.fullmatch(text):
        raise ValueError(f"「{header}」应为不带单位和千分位的数字（最多两位小数），如 1500 或 96.52：{text}")
    return Decimal(text)


def parse_row(spec: RegisterSpec, number: int, raw: dict, context) -> RegisterRow | RegisterRowError:
    values, reasons = {}, []
    for col in spec.columns:
        text = str(raw.get(col.header) or "").strip()
        if not text:
            if col.required:
                reasons.append(f"「{col.header}」不能为空")
            continue
        try:
            if col.kind == "date":
                values[col.field] = _parse_date(text)
            elif col.kind == "bool":
                if text not in ("是", "否", "Y", "N", "y", "n", "1", "0"):
                    raise ValueError(f"「{col.header}」应填“是”或“否”：{text}")
                values[col.field] = text in ("是", "Y", "y", "1")
            elif col.kind == "classes":
                parts = [p for p in re.split(r"[;；,，、\s]+", text) if p]
                classes = []
                for part in parts:
                    if not part.isdigit() or not 1 <= int(part) <= 45:
                        raise ValueError(f"尼斯分类应为 1–45 的整数：{part}")
                    classes.append(int(part))
                values[col.field] = sorted(set(classes))
            elif col.kind == "choice":
                choices = _choices(spec.model, col.field)
                if text not in choices:
                    raise ValueError(f"「{col.header}」应为 {'/'.join(choices)} 之一：{text}")
                values[col.field] = choices[text]
            elif col.kind == "region":
                region = context.region(text)
                if region is None:
                    raise ValueError(f"行政区划代码不存在：{text}")
                values[col.field] = region
            elif col.kind == "application_number":
                try:
                    values[col.field] = normalize_application_number(text)
                except ValidationError as exc:
                    raise ValueError(f"「{col.header}」{'；'.join(exc.messages)}") from None
            elif col.kind == "amount":
                values[col.field] = _parse_amount(col.header, text)
            elif col.kind == "year":
                if not re.fullmatch(r"(19|20)\d{2}", text):
                    raise ValueError(f"「{col.header}」应为四位年份，如 2024：{text}")
                values[col.field] = int(text)
            elif col.kind == "organisation":
                org = context.organisation(text)
                if org is None:
                    raise ValueError(f"未找到企业：{text}（请先在组织机构中登记，或填写统一社会信用代码）")
                values[col.field] = org
            else:
                values[col.field] = text
        except ValueError as exc:
            reasons.append(str(exc))
    if reasons:
        return RegisterRowError(number, reasons, raw)
    return RegisterRow(number, values, raw)


class _Context:
    def __init__(self):
        from ipcity.orgs.models import Organisation
        from ipcity.regions.models import Region

        self.regions = {r.code: r for r in Region.objects.all()}
        self.orgs = {}
        for org in Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE):
            self.orgs[org.name] = org
            if org.uscc:
                self.orgs[org.uscc] = org
        self.matcher = EnterpriseMatcher()

    def region(self, code):
        return self.regions.get(code)

    def organisation(self, text):
        return self.orgs.get(text)

    def patent_id(self, application_number: str) -> int | None:
        return Patent.objects.filter(application_number=application_number).values_list("pk", flat=True).first()


def read_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """(row number, header → text) from a template filled in as CSV (UTF-8, with or without BOM) or XLSX.
    Stored files have no extension, so the format is told by content (an XLSX is a ZIP archive)."""
    with path.open("rb") as probe:
        is_xlsx = probe.read(4) == b"PK\x03\x04"
    if is_xlsx:
        import openpyxl

        handle = path.open("rb")  # a file object: openpyxl refuses paths without an .xlsx suffix
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
            for number, row in enumerate(rows, start=1):
                if row is None or all(v in (None, "") for v in row):
                    continue
                yield number, {h: ("" if v is None else (v.isoformat()[:10] if isinstance(v, (dt.date, dt.datetime))
                                                         else str(v))) for h, v in zip(header, row) if h}
        finally:
            book.close()
            handle.close()
    else:
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                for number, row in enumerate(csv.DictReader(f), start=1):
                    yield number, {k.strip(): (v or "") for k, v in row.items() if k}
        except UnicodeDecodeError as exc:
            raise ValidationError("文件不是 UTF-8 编码的 CSV，也不是 XLSX：请用平台提供的模板另存为 XLSX 或 UTF-8 CSV") from exc


def run_template_import(stored, *, kind: str, label: str, required: list[str], parse: Callable, apply: Callable,
                        acting_user, progress: Callable | None = None) -> ImportBatch:
    """A stored file filled in from one of the platform's templates into a batch (registers here, complaints and
    reports in protection.importing): the required columns checked on the first row, each row parsed by `parse(number,
    raw)` and applied by `apply(row)` in checkpointed chunks, the batch finished — failed, with the reason, when the
    file itself is wrong."""
    from ipcity.ipdata.importing import finish, run_batch, start_or_resume

    batch = start_or_resume(stored, acting_user=acting_user, source_format="template", mapping=None, kind=kind)
    headers_checked = False

    def items():
        nonlocal headers_checked
        for number, raw in read_rows(file_path(stored)):
            if not headers_checked:
                missing = [h for h in required if h not in raw]
                if missing:
                    raise ValidationError(f"文件缺少必填列：{'、'.join(missing)}（请使用平台提供的{label}导入模板）")
                headers_checked = True
            yield parse(number, raw)

    try:
        run_batch(batch, items(), apply, progress=progress)
    except ValidationError as exc:
        finish(batch, ImportBatch.Status.FAILED, "；".join(exc.messages), acting_user)
        raise
    finish(batch, ImportBatch.Status.DONE, "", acting_user)
    return batch


def import_register(name: str, path, *, acting_user, progress: Callable | None = None) -> ImportBatch:
    spec = SPECS.get(name)
    if spec is None:
        raise ValidationError(f"未知的登记簿：{name}（可选：{'、'.join(SPECS)}）")
    path = Path(path)
    with path.open("rb") as f:
        stored = store_file(File(f, name=path.name), acting_user=acting_user)
    context = _Context()

    def apply(row: RegisterRow) -> str:
        values = dict(row.values)
        if spec.owner_field and spec.owner_name_field and values.get(spec.owner_name_field):
            values[spec.owner_field + "_id"] = context.matcher.match(values[spec.owner_name_field])
        if spec.link_patent:
            values["patent_id"] = context.patent_id(values["application_number"])
        key = {k: values.pop(k) for k in spec.key}
        obj = spec.model.objects.filter(**key).first()
        if obj is None:
            spec.model.objects.create(**key, **values)
            return "created"
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if not changed:
            return "unchanged"
        for k, v in changed.items():
            setattr(obj, k, v)
        obj.save()
        return "updated"

    return run_template_import(stored, kind=name, label=spec.label,
                               required=[c.header for c in spec.columns if c.required],
                               parse=lambda number, raw: parse_row(spec, number, raw, context), apply=apply,
                               acting_user=acting_user, progress=progress)


def template_xlsx(name: str) -> bytes:
    """The import template: the header row, one example row, and a sheet explaining each column."""
    import openpyxl
    from openpyxl.styles import Font

    spec = SPECS[name]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec.label
    sheet.append([c.header for c in spec.columns])
    sheet.append([c.example for c in spec.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, col in enumerate(spec.columns, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = max(12, len(col.header) * 2 + 4)
    notes = book.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for col in spec.columns:
        notes.append([col.header, "是" if col.required else "否", col.help or {"date": "日期，如 2024-01-31"}.get(
            col.kind, "")])
    notes.append([])
    notes.append(["第二行为示例，导入前请删除。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def error_report_xlsx(batch: ImportBatch) -> bytes:
    """Every rejected row of a batch with its reasons and its raw values, as XLSX."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "拒收记录"
    rows = list(batch.rejected_rows.all())
    headers = []
    for row in rows:
        for key in row.raw:
            if key not in headers:
                headers.append(key)
    sheet.append(["行号", "原因", *headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.row_number, "；".join(row.reasons), *[str(row.raw.get(h, "")) for h in headers]])
    warned = batch.source_rows.exclude(warnings=[]).select_related("patent").order_by("row_number")
    if warned.exists():
        notes = book.create_sheet("导入提示")
        notes.append(["行号", "申请号", "提示（已导入）"])
        for cell in notes[1]:
            cell.font = Font(bold=True)
        for row in warned.iterator(chunk_size=2000):
            notes.append([row.row_number, row.patent.application_number, "；".join(row.warnings)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
