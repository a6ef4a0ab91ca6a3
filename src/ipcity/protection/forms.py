"""The public complaint/report form and the staff decision forms (Chinese messages; the same checks as the API)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ipcity.core.validators import validate_resident_id
from ipcity.protection.actions import NOT_ACCEPTED_GROUNDS
from ipcity.protection.intake import (
    MAX_ATTACHMENTS,
    AttachmentInput,
    RightInput,
    SubmissionInput,
    check_attachment,
    normalise_email,
    normalise_phone,
    normalise_right,
    normalise_uscc,
)
from ipcity.protection.models import IpType, Matter, Submission

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _checked(func, value):
    try:
        return func(value)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages) from None


# SubmissionInput.problems() keys → this form's fields
PROBLEM_FIELDS = {"kinds": "kinds", "rights": "patents", "submitter.type": "submitter_type",
                  "submitter.name": "submitter_name", "submitter.phone": "submitter_phone",
                  "submitter.organisation_name": "submitter_org_name", "respondent.shop_id": "respondent_shop_id",
                  "respondent.booth": "respondent_booth"}


class SubmissionForm(forms.Form):
    kinds = forms.MultipleChoiceField(label="类别", choices=Matter.Kind.choices, widget=forms.CheckboxSelectMultiple,
                                      help_text="投诉：请求处理您与被投诉人之间的侵权纠纷（可调解）；举报：提供违法线索。"
                                                "两者皆选时分别办理。")
    ip_type = forms.ChoiceField(label="知识产权类型", choices=IpType.choices)
    submitter_type = forms.ChoiceField(label="提交人类型", choices=Submission.SubmitterType.choices, initial="person")
    submitter_name = forms.CharField(label="姓名（单位提交为联系人）", max_length=50, required=False)
    submitter_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    submitter_id_number = forms.CharField(label="身份证号码（选填）", max_length=30, required=False)
    submitter_email = forms.CharField(label="电子邮箱（选填）", max_length=100, required=False)
    submitter_address = forms.CharField(label="通讯地址", max_length=200, required=False)
    submitter_org_name = forms.CharField(label="单位名称（单位提交时填写）", max_length=200, required=False)
    submitter_uscc = forms.CharField(label="单位统一社会信用代码（选填）", max_length=30, required=False)
    respondent_kind = forms.ChoiceField(label="被投诉（举报）对象类型", choices=Submission.RespondentKind.choices)
    respondent_name = forms.CharField(label="被投诉（举报）对象名称", max_length=200)
    respondent_uscc = forms.CharField(label="统一社会信用代码（已知时填写）", max_length=30, required=False)
    respondent_platform = forms.CharField(label="电商平台（网店填写）", max_length=100, required=False)
    respondent_shop_id = forms.CharField(label="店铺编号（网店填写）", max_length=100, required=False)
    respondent_shop_url = forms.URLField(label="店铺或商品链接（选填）", max_length=500, required=False,
                                         assume_scheme="https")
    respondent_fair = forms.CharField(label="展会名称（展位填写）", max_length=200, required=False)
    respondent_booth = forms.CharField(label="展位号（展位填写）", max_length=50, required=False)
    respondent_address = forms.CharField(label="被投诉（举报）对象地址", max_length=300, required=False)
    region_code = forms.ChoiceField(label="被投诉（举报）对象所在县区", required=False)
    patents = forms.CharField(label="专利号（每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="如 ZL201310123456.2，校验位须正确")
    trademarks = forms.CharField(label="商标注册号（每行一个）", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    other_rights = forms.CharField(label="其他权利（著作权登记号、地理标志名称等，每行一个）", required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    facts = forms.CharField(label="事实与理由", min_length=10, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    demands = forms.CharField(label="请求事项", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=f"证据材料（最多 {MAX_ATTACHMENTS} 个，每个不超过 10 MB）", required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = [("", "不清楚（由市局分办）")] + [(r.code, r.name) for r in regions]

    def clean_submitter_phone(self):
        return _checked(normalise_phone, self.cleaned_data["submitter_phone"])

    def clean_submitter_id_number(self):
        value = self.cleaned_data["submitter_id_number"].strip()
        return _checked(validate_resident_id, value) if value else ""

    def clean_submitter_email(self):
        return _checked(normalise_email, self.cleaned_data["submitter_email"])

    def clean_submitter_uscc(self):
        return _checked(normalise_uscc, self.cleaned_data["submitter_uscc"])

    def clean_respondent_uscc(self):
        return _checked(normalise_uscc, self.cleaned_data["respondent_uscc"])

    def _rights(self, field: str, kind: str) -> list[RightInput]:
        rights, errors = [], []
        for line in self.cleaned_data.get(field, "").splitlines():
            if not line.strip():
                continue
            try:
                rights.append(RightInput(kind, normalise_right(kind, line), line.strip()))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            self.add_error(field, errors)
        return rights

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"证据材料最多 {MAX_ATTACHMENTS} 个")
        items = []
        for upload in files:
            if upload.size > ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(f"附件「{upload.name}」超过大小上限 10 MB")
            content = upload.read()
            items.append(AttachmentInput(upload.name, content,
                                         _checked(lambda c: check_attachment(upload.name, c, ATTACHMENT_MAX_BYTES),
                                                  content)))
        return items

    def to_input(self) -> SubmissionInput | None:
        """The checked submission, or None with the errors added to the form."""
        if not self.is_valid():
            return None
        d = self.cleaned_data
        rights = (self._rights("patents", "patent") + self._rights("trademarks", "trademark")
                  + self._rights("other_rights", "other"))
        data = SubmissionInput(
            kinds=d["kinds"], ip_type=d["ip_type"], submitter_type=d["submitter_type"],
            respondent_kind=d["respondent_kind"], respondent_name=d["respondent_name"].strip(),
            facts=d["facts"].strip(), region_code=d.get("region_code") or "",
            submitter_name=d["submitter_name"].strip(), submitter_phone=d["submitter_phone"],
            submitter_id_number=d["submitter_id_number"], submitter_email=d["submitter_email"],
            submitter_address=d["submitter_address"].strip(), submitter_org_name=d["submitter_org_name"].strip(),
            submitter_uscc=d["submitter_uscc"], respondent_uscc=d["respondent_uscc"],
            respondent_platform=d["respondent_platform"].strip(), respondent_shop_id=d["respondent_shop_id"].strip(),
            respondent_shop_url=d["respondent_shop_url"], respondent_fair=d["respondent_fair"].strip(),
            respondent_booth=d["respondent_booth"].strip(), respondent_address=d["respondent_address"].strip(),
            demands=d["demands"].strip(), rights=rights, attachments=d["attachments"])
        for key, message in data.problems().items():
            self.add_error(PROBLEM_FIELDS.get(key), message)
        return None if self.errors else data


class StaffEntryForm(SubmissionForm):
    """A complaint or report received by phone, in person or by letter, recorded by staff."""

    channel = forms.ChoiceField(label="收到方式", choices=[("phone", "电话"), ("walk_in", "来访"), ("letter", "信函")])
    received_on = forms.DateTimeField(label="收到时间（不填为现在）", required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    field_order = ["channel", "received_on"]

    def clean_received_on(self):
        from django.utils import timezone

        value = self.cleaned_data.get("received_on")
        if value is not None and value > timezone.now():
            raise forms.ValidationError("收到时间不能晚于现在")
        return value


class LookupForm(forms.Form):
    tracking_number = forms.CharField(label="受理编号", max_length=24)
    code = forms.CharField(label="查询码", max_length=20)


class ComplaintDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=[("accept", "受理"), ("refuse", "不予受理")],
                                 widget=forms.RadioSelect)
    track = forms.ChoiceField(label="繁简分流", choices=Matter.Track.choices, required=False)
    ground = forms.ChoiceField(label="不予受理理由（第十五条）", required=False,
                               choices=[("", "—")] + list(NOT_ACCEPTED_GROUNDS.items()))
    note = forms.CharField(label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not cleaned.get("ground"):
            self.add_error("ground", "不予受理须选择一项法定理由")
        return cleaned


class CloseForm(forms.Form):
    outcome = forms.CharField(label="办理结果", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    """交办: the office and the person. Choices are what the acting user may assign to; whether the person belongs
    to the office chosen is the action's check (assignment.assign_matter)."""
    prefix = "assign"  # the matter page holds several forms: keep field ids (id_assign-note) unique
    office = forms.ModelChoiceField(label="承办单位", queryset=None, empty_label=None)
    assignee = forms.ModelChoiceField(label="承办人", queryset=None, required=False, empty_label="（暂不指定）")
    note = forms.CharField(label="交办说明", max_length=500, required=False)

    def __init__(self, *args, user, matter, **kwargs):
        from ipcity.protection.assignment import assignable_offices, assignable_people

        super().__init__(*args, initial={"office": matter.assigned_org_id, "assignee": matter.assignee_id}, **kwargs)
        offices = assignable_offices(user)
        self.fields["office"].queryset = offices
        self.fields["office"].label_from_instance = lambda o: o.name
        self.fields["assignee"].queryset = assignable_people(offices)
        self.fields["assignee"].label_from_instance = (
            lambda u: f"{u}（{u.organisation.short_name or u.organisation.name}）")




# --- handling steps ------------------------------------------------------------------------------------------------

class MediationStartForm(forms.Form):
    mediator = forms.CharField(label="调解人员或调解组织", max_length=100)


class MediationEndForm(forms.Form):
    result = forms.ChoiceField(label="调解结果", choices=[("agreed", "达成调解协议"), ("failed", "调解不成"),
                                                      ("withdrawn", "撤回投诉")])
    agreement = forms.CharField(label="调解协议主要内容", required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmationForm(forms.Form):
    stage = forms.ChoiceField(label="司法确认进展", choices=[("applied", "已申请"), ("accepted", "法院已受理"),
                                                        ("confirmed", "裁定确认有效"), ("rejected", "裁定驳回申请")])
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    court = forms.CharField(label="受理法院", required=False, max_length=100)
    number = forms.CharField(label="案号", required=False, max_length=60)


class ReferralForm(forms.Form):
    to_org = forms.ModelChoiceField(label="移送至", queryset=None)
    reason = forms.CharField(label="移送理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    transfer = forms.BooleanField(label="整件移交（对方反馈后本件办结）", required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = organisations


class ReplyForm(forms.Form):
    reply = forms.CharField(label="办理情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class LeadDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=[("file", "立案"), ("not_file", "不予立案")],
                                 widget=forms.RadioSelect)
    officers = forms.ModelMultipleChoiceField(label="承办执法人员（至少两名，持有效执法证）", queryset=None,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    cause = forms.CharField(label="案由", max_length=200, required=False)
    major = forms.BooleanField(label="重大执法决定（须法制审核）", required=False)
    ground = forms.ChoiceField(label="不予立案理由", required=False, choices=[("", "—")])
    note = forms.CharField(label="说明", required=False, max_length=1000)

    def __init__(self, *args, officers=None, grounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        self.fields["ground"].choices = [("", "—"), *grounds]


class ClockForm(forms.Form):
    action = forms.ChoiceField(choices=[("stop", "中止计时"), ("restart", "恢复计时"), ("extend", "延长期限")])
    reason = forms.CharField(label="原因", required=False, max_length=200)
    days = forms.IntegerField(label="延长", required=False, min_value=1, max_value=365)
    approved_by = forms.CharField(label="批准人", required=False, max_length=100)
    collective_decision = forms.CharField(label="集体讨论决定（超出可延长期限时填写会议及结论）", required=False,
                                          max_length=200)


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label="环节", choices=[("investigation", "调查取证"), ("inquiry", "询问笔录"),
                                                  ("inspection", "现场检查"), ("technical", "技术调查官/专家意见"),
                                                  ("notice", "告知")])
    text = forms.CharField(label="内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="附件（选填）", required=False)


class LegalReviewForm(forms.Form):
    passed = forms.TypedChoiceField(label="审核结论", choices=[("1", "通过"), ("0", "不通过，退回补充调查")],
                                    coerce=lambda v: v == "1")
    opinion = forms.CharField(label="审核意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    document_number = forms.CharField(label="决定书文号", max_length=60)
    party_kind = forms.ChoiceField(label="当事人类型", choices=[("legal_person", "法人或其他组织"),
                                                          ("natural_person", "自然人"),
                                                          ("individual_business", "个体工商户")])
    party_name = forms.CharField(label="当事人名称（姓名）", max_length=200)
    party_uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    party_id_number = forms.CharField(label="身份证件号码（自然人）", max_length=30, required=False)
    violation = forms.CharField(label="违法行为类型", max_length=200)
    basis = forms.CharField(label="处罚依据", max_length=300)
    penalty = forms.CharField(label="处罚内容", max_length=300)
    fine = forms.DecimalField(label="罚没款（元）", min_value=0, max_digits=14, decimal_places=2, initial=0)
    warning_only = forms.BooleanField(label="仅警告（不公示）", required=False)
    text = forms.CharField(label="决定书全文", widget=forms.Textarea(attrs={"rows": 8}))

    def clean_party_uscc(self):
        return _checked(normalise_uscc, self.cleaned_data["party_uscc"])

    def clean_party_id_number(self):
        value = self.cleaned_data["party_id_number"].strip()
        return _checked(validate_resident_id, value) if value else ""


class DateStepForm(forms.Form):
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    how = forms.CharField(label="方式", max_length=200)


class DisclosureForm(forms.Form):
    extra_names = forms.CharField(label="另需遮蔽的自然人姓名（当事人以外，逗号分隔）", required=False, max_length=300)
    period = forms.ChoiceField(label="公示期限", choices=[("3y", "3 年"), ("3m", "3 个月（通报批评或较低数额罚款）")])


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


# --- 维权援助 ------------------------------------------------------------------------------------------------------

class AssistanceRequestForm(forms.Form):
    kind = forms.ChoiceField(label="援助类型", choices=[("domestic", "国内侵权纠纷"), ("overseas", "海外知识产权纠纷"),
                                                    ("litigation", "诉讼、仲裁应对"), ("exhibition", "展会知识产权纠纷"),
                                                    ("other", "其他")])
    country = forms.CharField(label="涉及国家或地区（海外纠纷必填）", max_length=50, required=False)
    rights = forms.CharField(label="涉及的知识产权（专利号、商标注册号等）", max_length=300, required=False)
    description = forms.CharField(label="情况说明", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class AssignOfficerForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="企业", queryset=None)
    officer = forms.ModelChoiceField(label="维权援助专员", queryset=None)

    def __init__(self, *args, enterprises=None, officers=None, **kwargs):
        super().__init__(*args, auto_id="assign_%s", **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["officer"].queryset = officers


class AssistanceStepForm(forms.Form):
    action = forms.ChoiceField(choices=[("take", "由我承办"), ("note", "记录进展"), ("close", "办结")])
    text = forms.CharField(label="援助记录或结果", max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DisputeStepForm(forms.Form):
    """The steps of a 行政裁决 on one form: which step, and the fields that step needs."""

    step = forms.ChoiceField(label="环节", choices=[("serve", "已送达请求书副本"), ("answer", "收到答辩"),
                                                  ("investigator", "指派技术调查官"), ("decide", "作出裁决")])
    name = forms.CharField(label="技术调查官", max_length=100, required=False)
    text = forms.CharField(label="答辩要点、技术问题或裁决理由", max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label="裁决结果", required=False, choices=[
        ("", "—"), ("infringement", "认定侵权，责令立即停止侵权行为"), ("no_infringement", "侵权不成立，驳回请求"),
        ("withdrawn", "请求人撤回请求"), ("settled", "调解结案")])
    document_number = forms.CharField(label="裁决书文号", max_length=60, required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="导入文件（平台模板，CSV 或 XLSX）")
