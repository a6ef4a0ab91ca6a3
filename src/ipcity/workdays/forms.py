from django import forms

from ipcity.workdays.engine import Unit


class DeadlineCalculatorForm(forms.Form):
    start = forms.DateTimeField(label="起算时间（收到之日）", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    amount = forms.IntegerField(label="期限", min_value=0, max_value=3650,
                                error_messages={"min_value": "期限不能为负数", "max_value": "期限不能超过 3650"})
    unit = forms.ChoiceField(label="单位", choices=Unit.choices())
