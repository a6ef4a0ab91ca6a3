"""Input for the 双随机、一公开 pages (Chinese messages; the actions check the rest)."""
from __future__ import annotations

from django import forms

from ipcity.inspections.models import Batch, Draw, InspectionItem, InspectionResult, ObjectKind
from ipcity.inspections.policy import CREDIT_CLASSES

DATE = forms.DateInput(attrs={"type": "date"})


class ItemForm(forms.Form):
    code = forms.CharField(label="事项编号", max_length=30)
    name = forms.CharField(label="抽查事项", max_length=200)
    legal_basis = forms.CharField(label="抽查依据", widget=forms.Textarea(attrs={"rows": 2}))
    object_kinds = forms.MultipleChoiceField(label="抽查对象类型", choices=ObjectKind.choices,
                                             widget=forms.CheckboxSelectMultiple)
    department = forms.CharField(label="检查实施部门", max_length=100)
    method = forms.ChoiceField(label="检查方式", choices=InspectionItem.Method.choices)


class ObjectForm(forms.Form):
    kind = forms.ChoiceField(label="对象类型", choices=[(ObjectKind.MARKET, ObjectKind.MARKET.label),
                                                     (ObjectKind.ONLINE_SHOP, ObjectKind.ONLINE_SHOP.label)])
    name = forms.CharField(label="名称（市场名称或店铺名称）", max_length=200)
    platform = forms.CharField(label="电商平台（网店填写）", max_length=100, required=False)
    shop_id = forms.CharField(label="店铺编号（网店填写）", max_length=100, required=False)
    region = forms.ModelChoiceField(label="所在县区", queryset=None, empty_label=None)
    organisation = forms.ModelChoiceField(label="网店经营者（已在组织机构库的企业，选填）", queryset=None, required=False)

    def __init__(self, *args, regions, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["organisation"].queryset = organisations


class ConflictForm(forms.Form):
    inspector = forms.ModelChoiceField(label="执法检查人员", queryset=None)
    object = forms.ModelChoiceField(label="检查对象", queryset=None)
    reason = forms.CharField(label="回避理由", max_length=200)

    def __init__(self, *args, inspectors, objects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["object"].queryset = objects


class PlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              error_messages={"invalid": "请填写年度", "min_value": "年度无效", "max_value": "年度无效"})
    title = forms.CharField(label="计划名称（可留空）", max_length=200, required=False)


class FileForm(forms.Form):
    filed_on = forms.DateField(label="备案日期", widget=DATE)
    filed_with = forms.CharField(label="备案机关（上级部门）", max_length=100)
    filing_reference = forms.CharField(label="备案文号或回执号", max_length=100, required=False)


class BatchForm(forms.Form):
    item = forms.ModelChoiceField(label="抽查事项", queryset=None)
    name = forms.CharField(label="批次名称（可留空）", max_length=200, required=False)
    object_kinds = forms.MultipleChoiceField(label="抽查对象类型", choices=ObjectKind.choices,
                                             widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label="抽取方式", choices=Batch.Mode.choices)
    count = forms.IntegerField(label="抽取数量（按数量时）", required=False, min_value=1,
                               error_messages={"min_value": "抽取数量不能少于 1"})
    planned_month = forms.IntegerField(label="计划月份", required=False, min_value=1, max_value=12,
                                       error_messages={"min_value": "月份无效", "max_value": "月份无效"})

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        for c in CREDIT_CLASSES:
            self.fields[f"ratio_{c}"] = forms.DecimalField(
                label=f"{c} 级比例（%，留空按规则）", required=False, min_value=0, max_value=100,
                error_messages={"min_value": "比例应在 0 至 100 之间", "max_value": "比例应在 0 至 100 之间",
                                "invalid": "比例应为数字"})

    def ratios(self) -> dict:
        given = {c: self.cleaned_data.get(f"ratio_{c}") for c in CREDIT_CLASSES}
        if all(v is None for v in given.values()):
            return {}
        missing = [c for c, v in given.items() if v is None]
        if missing:
            raise forms.ValidationError(f"请填写全部信用等级的比例（缺 {'、'.join(missing)} 级），或全部留空按规则")
        return {c: int(v) if v == int(v) else float(v) for c, v in given.items()}


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class FreezeForm(forms.Form):
    """The freeze names the beacon up front: which lottery, which period, when it is drawn."""
    beacon_source = forms.ChoiceField(label="开奖来源（冻结后不可更改）", choices=())
    beacon_period = forms.CharField(label="期号（如 2026330）", max_length=12)
    beacon_at = forms.DateTimeField(label="该期开奖时间（须晚于现在）", widget=DATETIME, input_formats=DATETIME_FORMATS)
    seed_mode = forms.ChoiceField(label="随机数来源", choices=Draw.SeedMode.choices, initial=Draw.SeedMode.LOTTERY)
    secret_hash = forms.CharField(label="随机数的 SHA-256 摘要（选“事先提交摘要”时填写）", max_length=64, required=False)
    secret_holder = forms.CharField(label="随机数保管人（独立第三方的姓名及单位，选“事先提交摘要”时填写）", max_length=100,
                                    required=False)

    def __init__(self, *args, **kwargs):
        from ipcity.inspections.policy import BEACON_SOURCES

        super().__init__(*args, **kwargs)
        self.fields["beacon_source"].choices = [(s, s) for s in BEACON_SOURCES.get()]


class AnnounceForm(forms.Form):
    source = forms.CharField(label="开奖来源（核对：须与冻结时公布的一致）", max_length=200)
    period = forms.CharField(label="期号（核对：须与冻结时公布的一致）", max_length=12)
    announced_at = forms.DateTimeField(label="开奖时间", widget=DATETIME, input_formats=DATETIME_FORMATS)
    value = forms.CharField(label="开奖号码", max_length=200)
    revealed = forms.CharField(label="保管人揭示的随机数（事先提交摘要的抽取填写）", max_length=200, required=False)


class RedrawForm(FreezeForm):
    reason = forms.CharField(label="重新抽取原因", max_length=300)

    field_order = ["reason"]


class ResultForm(forms.Form):
    outcome = forms.ChoiceField(label="检查结果", choices=InspectionResult.Outcome.choices)
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    finding = forms.CharField(label="检查情况（发现的问题）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(label="处理情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))

