"""Input for the credit pages (Chinese messages)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ipcity.core.scoping import visible
from ipcity.core.validators import validate_resident_id
from ipcity.credit.models import CreditRecord
from ipcity.orgs.models import Organisation
from ipcity.orgs.queries import jurisdiction_q

SUBJECT_KINDS = (Organisation.Kind.ENTERPRISE, Organisation.Kind.SERVICE_AGENCY, Organisation.Kind.RESEARCH_INSTITUTE,
                 Organisation.Kind.OTHER)
DATE = forms.DateInput(attrs={"type": "date"})


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label="记录类型", choices=[(k, CreditRecord.Kind(k).label)
                                                     for k in CreditRecord.MANUAL_KINDS])
    subject = forms.ModelChoiceField(label="信用主体（企业、服务机构等）", queryset=Organisation.objects.none(),
                                     required=False, empty_label="（自然人，填写下方姓名）")
    person_name = forms.CharField(label="自然人姓名", max_length=50, required=False,
                                  help_text="仅当主体为自然人时填写；加密存储、脱敏显示")
    person_id_number = forms.CharField(label="自然人身份证件号码", max_length=18, required=False)
    issuer = forms.ModelChoiceField(label="认定（作出）单位", queryset=Organisation.objects.none(), required=False,
                                    empty_label="（本单位）", help_text="法院判决选择作出判决的法院")
    document_number = forms.CharField(label="文书编号（判决书、决定书、承诺书编号）", max_length=80, required=False)
    occurred_on = forms.DateField(label="行为（事实）发生日期", widget=DATE)
    decided_on = forms.DateField(label="判决（决定）日期", required=False, widget=DATE)
    effective_on = forms.DateField(label="生效日期", required=False, widget=DATE)
    commitment_due_on = forms.DateField(label="承诺履行期限（信用承诺）", required=False, widget=DATE)
    rights = forms.CharField(label="涉及权利号（专利号、商标注册号，每行一个；用于重复侵权认定）", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label="事实摘要（内部）", widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label="向社会公开（仅限组织机构）", required=False)
    public_summary = forms.CharField(label="公开摘要（不得含个人信息）", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = (visible(Organisation, user).filter(kind__in=SUBJECT_KINDS)
                                           .filter(jurisdiction_q(user)).order_by("name"))
        self.fields["issuer"].queryset = (visible(Organisation, user).filter(
            kind__in=(Organisation.Kind.COURT, *Organisation.GOVERNMENT_KINDS)).order_by("kind", "name"))

    def clean_person_id_number(self):
        value = self.cleaned_data["person_id_number"].strip().upper()
        if value:
            validate_resident_id(value)
        return value

    def clean_rights(self):
        from ipcity.protection.intake import normalise_right

        out = []
        for line in (x.strip() for x in self.cleaned_data["rights"].splitlines()):
            if not line:
                continue
            for kind in ("patent", "trademark"):
                try:
                    out.append(f"{kind}:{normalise_right(kind, line)}")
                    break
                except ValidationError:
                    continue
            else:
                raise ValidationError(f"无法识别的权利号：「{line}」，应为专利申请号（含校验位）或商标注册号")
        return out

    def clean(self):
        data = super().clean()
        subject, name = data.get("subject"), (data.get("person_name") or "").strip()
        if subject is None and not name:
            raise ValidationError("请选择信用主体，或填写自然人姓名")
        if subject is not None and (name or data.get("person_id_number")):
            raise ValidationError("选择了组织机构时不要填写自然人信息")
        if subject is None and data.get("is_public"):
            raise ValidationError("自然人的信用记录不向社会公开")
        return data


class CommitmentForm(forms.Form):
    kept = forms.TypedChoiceField(label="履行情况", choices=[("1", "已履行"), ("0", "未履行")],
                                  coerce=lambda v: v == "1")
    on = forms.DateField(label="核实日期", widget=DATE)
    note = forms.CharField(label="核实情况", widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(forms.Form):
    proposal = forms.CharField(label="提请列入意见", widget=forms.Textarea(attrs={"rows": 3}))


class StepForm(forms.Form):
    approve = forms.TypedChoiceField(label="审批结果", choices=[("1", "同意"), ("0", "不同意")],
                                     coerce=lambda v: v == "1")
    opinion = forms.CharField(label="审批意见", widget=forms.Textarea(attrs={"rows": 2}))


class RemoveForm(forms.Form):
    reason = forms.CharField(label="移出原因", widget=forms.Textarea(attrs={"rows": 2}))


class RepairForm(forms.Form):
    reason = forms.CharField(label="申请理由（已履行法定义务、纠正违法行为的情况）", widget=forms.Textarea(attrs={"rows": 3}))
    pledge = forms.CharField(label="信用承诺", widget=forms.Textarea(attrs={"rows": 2}),
                             initial="本单位承诺所提交材料真实有效，今后依法诚信经营，如有违反，愿意承担相应责任。")


class RepairDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label="审核结果", choices=[("1", "准予修复"), ("0", "不予修复")],
                                     coerce=lambda v: v == "1")
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}))
