from django import forms

from ipcity.ipdata.registers import SPECS

KIND_CHOICES = [("patents", "专利（incoPat、Patentics、CNIPA XML 或通用 CSV/XLSX）")] + [
    (name, spec.label) for name, spec in SPECS.items()]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=KIND_CHOICES)
    file = forms.FileField(label="文件")
    source_format = forms.ChoiceField(label="专利数据格式", choices=[
        ("auto", "自动识别"), ("incopat", "incoPat"), ("patentics", "Patentics"), ("cnipa-xml", "CNIPA XML"),
        ("generic", "通用 CSV/XLSX（需选择字段对应方案）")], initial="auto", required=False)
    mapping = forms.ModelChoiceField(label="字段对应方案", queryset=None, required=False)

    def __init__(self, *args, mappings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = mappings

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source_format") == "generic" and not cleaned.get("mapping"):
            self.add_error("mapping", "通用格式须选择字段对应方案")
        return cleaned


# --- column mappings ---------------------------------------------------------------------------------------------

def _generic_fields() -> dict[str, str]:
    from ipcity.ipdata.readers.generic import GENERIC_FIELDS

    return GENERIC_FIELDS


REQUIRED_MAPPING_FIELDS = ("application_number",)  # readers.generic.validate_mapping refuses a mapping without it
FIELD_PREFIX = "col_"
# Column headers other databases use for a field, beyond its own label (for suggestions from a sample file).
HEADER_ALIASES = {
    "application_number": ["申请号", "申请号码"],
    "publication_number": ["公开号", "公告号", "公开(公告)号", "公开公告号"],
    "publication_date": ["公开日", "公告日", "公开(公告)日"],
    "grant_date": ["授权日", "授权公告日"],
    "title": ["标题", "发明名称", "专利名称", "名称"],
    "ipc": ["IPC", "国际分类", "IPC分类号", "分类号"],
    "ipc_main": ["主分类号", "IPC主分类号", "国际主分类"],
    "applicants": ["申请人", "申请(专利权)人", "申请人名称"],
    "patentees": ["专利权人", "当前权利人"],
    "inventors": ["发明人", "发明(设计)人"],
    "agencies": ["代理机构", "专利代理机构"],
    "applicant_address": ["申请人地址", "地址"],
    "applicant_uscc": ["统一社会信用代码"],
    "family_id": ["同族ID", "简单同族"],
}


class ColumnMappingForm(forms.Form):
    """A saved mapping: each generic field gets the header of the source column that holds it (blank: not in the
    file). Field inputs are named col_<field>."""

    name = forms.CharField(label="方案名称", max_length=100,
                           error_messages={"required": "请填写方案名称", "max_length": "方案名称不能超过 100 个字"})
    note = forms.CharField(label="说明", max_length=300, required=False,
                           error_messages={"max_length": "说明不能超过 300 个字"})

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        for field, label in _generic_fields().items():
            required = field in REQUIRED_MAPPING_FIELDS
            self.fields[FIELD_PREFIX + field] = forms.CharField(
                label=label, max_length=200, required=required,
                widget=forms.TextInput(attrs={"list": "sample-headers", "autocomplete": "off"}),
                error_messages={"required": f"「{label}」必须指定文件中的列名：通用表格按申请号识别每一件专利",
                                "max_length": "列名不能超过 200 个字"})

    @staticmethod
    def initial_for(obj) -> dict:
        if obj is None:
            return {}
        initial = {"name": obj.name, "note": obj.note}
        initial.update({FIELD_PREFIX + k: v for k, v in (obj.mapping or {}).items()})
        return initial

    def column_fields(self):
        return [self[FIELD_PREFIX + f] for f in _generic_fields()]

    def clean_name(self):
        from ipcity.ipdata.models import ColumnMapping

        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写方案名称")
        others = ColumnMapping.objects.filter(name=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"已有名为「{name}」的字段对应方案，请换一个名称")
        return name

    def clean(self):
        cleaned = super().clean()
        mapping = {}
        for field in _generic_fields():
            value = (cleaned.get(FIELD_PREFIX + field) or "").strip()
            if value:
                mapping[field] = value
        cleaned["mapping"] = mapping
        return cleaned


class SampleFileForm(forms.Form):
    sample = forms.FileField(label="样例文件（CSV/XLSX/XLS，只读取表头，不保存）",
                             error_messages={"required": "请选择样例文件"})


def suggest_columns(headers: list[str], current: dict[str, str]) -> dict[str, str]:
    """For each generic field without a column yet, the sample file's header that is its label or a known alias."""
    from ipcity.ipdata.readers.tabular import canon

    by_canon = {canon(h): h for h in headers}
    suggestions = {}
    used = {canon(v) for v in current.values() if v}
    for field, label in _generic_fields().items():
        if current.get(field):
            continue
        for candidate in [label, *HEADER_ALIASES.get(field, [])]:
            key = canon(candidate)
            if key in by_canon and key not in used:
                suggestions[field] = by_canon[key]
                used.add(key)
                break
    return suggestions


# --- merge list --------------------------------------------------------------------------------------------------

class LinkNameForm(forms.Form):
    name = forms.CharField(label="申请人名称", max_length=300, error_messages={"required": "请填写申请人名称"})
    organisation = forms.CharField(label="企业名称或统一社会信用代码", max_length=200,
                                   error_messages={"required": "请填写要关联的企业名称或统一社会信用代码"})
