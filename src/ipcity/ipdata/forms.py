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
