"""Resolving applicant names to enterprises: by USCC when known, else by normalised name."""
from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_FORMS = [("有限责任公司", "有限公司"), ("股份有限公司", "股份公司")]


def normalise_company_name(name: str) -> str:
    """Full/half width, brackets, whitespace and company-form variants folded, for matching only (never shown)."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _SPACE.sub("", text).replace("(", "（").replace(")", "）")
    for long, short in _FORMS:
        if text.endswith(long):
            text = text[: -len(long)] + short
    return text


class EnterpriseMatcher:
    """Caches the enterprise table once per import."""

    def __init__(self):
        from ipcity.orgs.models import Organisation

        rows = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE).values_list("pk", "name", "uscc")
        self.by_name = {}
        self.by_uscc = {}
        for pk, name, uscc in rows:
            self.by_name.setdefault(normalise_company_name(name), pk)
            if uscc:
                self.by_uscc[uscc] = pk

    def match(self, name: str, uscc: str | None = None) -> int | None:
        if uscc and uscc in self.by_uscc:
            return self.by_uscc[uscc]
        return self.by_name.get(normalise_company_name(name))
