from django import forms

from ipcity.plans.models import Cadence, ProgressReport


class UploadForm(forms.Form):
    file = forms.FileField(label="规划文件", help_text="支持 .txt、.docx 和带文字层的 .pdf")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".txt", ".docx", ".pdf")):
            raise forms.ValidationError("只支持 .txt、.docx、.pdf 文件")
        return upload


class PlanHeaderForm(forms.Form):
    title = forms.CharField(label="标题", max_length=300)
    doc_number = forms.CharField(label="发文字号", max_length=100, required=False)
    date = forms.DateField(label="成文日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    period_start = forms.IntegerField(label="起始年", required=False, min_value=1990, max_value=2100)
    period_end = forms.IntegerField(label="截止年", required=False, min_value=1990, max_value=2100)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            raise forms.ValidationError("起始年不能晚于截止年")
        return cleaned


class TaskEditForm(forms.Form):
    number = forms.CharField(label="序号", max_length=20, required=False)
    title = forms.CharField(label="任务", max_length=300)
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lead = forms.CharField(label="牵头单位", required=False, help_text="多个单位用顿号或逗号分隔")
    support = forms.CharField(label="配合单位", required=False)
    responsible = forms.CharField(label="责任单位", required=False)
    deadline = forms.DateField(label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PublishForm(forms.Form):
    cadence = forms.ChoiceField(label="报送周期", choices=Cadence.choices, initial=Cadence.QUARTERLY)
    report_due_working_days = forms.IntegerField(label="周期结束后几个工作日内报送", min_value=1, max_value=60,
                                                 initial=10)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ProgressReport.Kind.choices)
    period = forms.CharField(label="报送期", max_length=10, required=False, help_text="如 2025Q3；速报、即报可不填")
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 6}))
    figures = forms.CharField(label="数据", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="每行一项，如：立案数=3；培训人次=120（数值不带单位和千分位逗号）")
    attachment = forms.FileField(label="附件", required=False)

    def clean_figures(self):
        """"名称=数值" lines into {name: number}; every bad line is reported, none silently dropped or fixed."""
        figures, errors = {}, []
        for number, line in enumerate((self.cleaned_data.get("figures") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, sep, value = line.replace("＝", "=").partition("=")
            name, value = name.strip(), value.strip()
            if not sep or not name:
                errors.append(f"第 {number} 行应为“名称=数值”：{line}")
                continue
            try:
                figures[name] = float(value)
            except ValueError:
                errors.append(f"第 {number} 行的数值无效：{value or '（空）'}")
        if errors:
            raise forms.ValidationError(errors)
        return figures

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ProgressReport.Kind.REGULAR and not cleaned.get("period"):
            self.add_error("period", "定期报送须填写报送期")
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "采纳"), ("return", "退回")])
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorValueForm(forms.Form):
    region = forms.ChoiceField(label="区划")
    period = forms.CharField(label="期间", max_length=10, help_text="如 2025、2025Q3")
    value = forms.FloatField(label="数值", error_messages={"invalid": "请输入数字（不要带单位或逗号）"})
    source = forms.CharField(label="数据来源", max_length=300)
    attachment = forms.FileField(label="佐证材料", required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=200)
    due_date = forms.DateField(label="计划完成日期", widget=forms.DateInput(attrs={"type": "date"}))
