from django import forms

from ipcity.core.validators import mobile_validator, resident_id_validator
from ipcity.orgs.models import Organisation
from ipcity.regions.models import Region


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "uscc", "region", "parent", "in_leading_group", "address", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from ipcity.core.scoping import visible

        region = user.jurisdiction if user is not None else None
        regions = Region.objects.all()
        if region is not None:
            regions = regions.filter(code__startswith=region.prefix)
        self.fields["region"].queryset = regions
        self.fields["parent"].queryset = visible(Organisation, user).filter(kind__in=Organisation.GOVERNMENT_KINDS)
        self.fields["uscc"].required = False

    def clean_uscc(self):
        value = (self.cleaned_data.get("uscc") or "").strip().upper()
        return value or None


class ContactForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=50, required=False)
    phone = forms.CharField(label="手机号码", required=False, validators=[mobile_validator])
    id_number = forms.CharField(label="身份证号码", required=False, validators=[resident_id_validator])
    address = forms.CharField(label="住址", max_length=200, required=False)

    def clean_phone(self):
        from ipcity.core.validators import validate_mobile

        value = self.cleaned_data.get("phone", "").strip()
        return validate_mobile(value) if value else ""

    def clean_id_number(self):
        from ipcity.core.validators import validate_resident_id

        value = self.cleaned_data.get("id_number", "").strip()
        return validate_resident_id(value) if value else ""
