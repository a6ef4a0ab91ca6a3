"""Review form (Chinese messages)."""
from __future__ import annotations

from django import forms

from ipcity.abnormal.actions import REASON_MIN_CHARS


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="复核结论", choices=[("confirm", "确认为非正常申请"), ("exclude", "排除")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择复核结论",
                                                                           "invalid_choice": "复核结论无效"})
    reason = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": "请填写复核意见",
                                             "max_length": "复核意见不能超过 2000 字"})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        minimum = int(REASON_MIN_CHARS.get())
        if len(reason) < minimum:
            raise forms.ValidationError(f"复核意见至少 {minimum} 个字")
        return reason
