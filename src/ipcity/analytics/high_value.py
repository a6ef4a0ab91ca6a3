"""High-value invention patents (高价值发明专利, CNIPA): valid invention patents in at least one of five categories,
each decided with its evidence.

1. 战略性新兴产业 — the active SEI concordance (analytics.sei) over every IPC code of the patent; keyword rules need
   the title/abstract/claims to fit (rule analytics.sei_mode: "text", the official reading, or "ipc", IPC alone as
   commercial databases tag it); analytics.sei_inherit says whether unlisted codes inherit from listed groups.
2. 在海外有同族专利权 — a family member granted by an office other than CN (WO is an application, never a grant): the
   member's kind code starts with a grant kind (rule analytics.overseas_grant_kinds, default B and C: US B1/B2,
   EP B1, JP B2, KR B1, RU C…). A family listed by country only (no publication numbers) is not enough: the reason
   says so.
3. 维持年限超过10年 — our reading: the patent is in force on the as-of date and more than
   analytics.maintained_years (10) full years have passed since its filing date (the patent term and the annual fees
   run from the filing date); analytics.maintained_from = "grant" counts from the grant date instead.
4. 实现较高质押融资金额 — the pledges registered (ipdata.PatentPledge) on or before the as-of date add up to at least
   analytics.pledge_threshold (万元; CNIPA publishes no figure, so each office sets its own).
5. 获得国家科学技术奖或中国专利奖 — an award (ipdata.PatentAward) of the as-of year or earlier.

In force on the as-of date (有效): an invention patent granted on or before it (a patent without a grant date counts as
granted when its legal status is 有效), whose current legal status is 有效, and whose 20-year term from filing has not
ended. The data hub keeps the current legal status, not the date a patent lapsed: for a past as-of date, a patent that
has lapsed since is not counted (the reports say so).

A patent in several categories counts once. Every criterion is computed for every invention patent, valid or not, so
criterion 1 can be checked on applications too; `high_value` needs validity.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Iterator

from ipcity.core.rules import declare

MAINTAINED_YEARS = declare("analytics.maintained_years", 10, "高价值发明专利：维持年限超过多少年（整年）")
MAINTAINED_FROM = declare("analytics.maintained_from", "application", "高价值发明专利：维持年限起算日（申请日或授权日）",
                          choices=("application", "grant"))
PLEDGE_THRESHOLD = declare("analytics.pledge_threshold", 1000,
                           "高价值发明专利：“较高质押融资金额”的门槛（万元，累计登记金额达到即计入；国家未公布统一标准）")
SEI_MODE = declare("analytics.sei_mode", "text",
                   "战略性新兴产业判定：text＝带关键词的规则须文本相符（官方口径）；ipc＝仅按分类号（商业数据库常用口径）",
                   choices=("text", "ipc"))
SEI_INHERIT = declare("analytics.sei_inherit", "always",
                      "战略性新兴产业判定：对照表未列出的分类号，always＝沿用最近的已列出上级（主组、小类）；never＝只认精确分类号",
                      choices=("always", "never"))
OVERSEAS_GRANT_KINDS = declare("analytics.overseas_grant_kinds", ["B", "C"],
                               "海外同族授权：文献种类代码以这些字母开头即视为授权（如 US B1/B2、EP B1、JP B2）")

INVENTION = "发明"
VALID = "有效"
TERM_YEARS = 20
_MEMBER = re.compile(r"^([A-Z]{2})[0-9A-Z]*?([A-Z][0-9]?)$")

CRITERIA = ("c1_sei", "c2_overseas", "c3_maintained", "c4_pledge", "c5_award")
CRITERION_LABELS = {"c1_sei": "战略性新兴产业", "c2_overseas": "海外同族授权", "c3_maintained": "维持超过10年",
                    "c4_pledge": "较高质押融资金额", "c5_award": "获国家科学技术奖或中国专利奖"}


@dataclass(frozen=True)
class Settings:
    as_of: dt.date
    maintained_years: int = 10
    maintained_from: str = "application"
    pledge_threshold: Decimal = Decimal(1000)
    sei_mode: str = "text"
    sei_inherit: str = "always"
    overseas_grant_kinds: tuple[str, ...] = ("B", "C")

    @classmethod
    def current(cls, as_of: dt.date | None = None) -> "Settings":
        """The rules as the administrator set them (defaults otherwise)."""
        from django.utils import timezone

        return cls(as_of=as_of or timezone.localdate(), maintained_years=int(MAINTAINED_YEARS.get()),
                   maintained_from=MAINTAINED_FROM.get(), pledge_threshold=Decimal(str(PLEDGE_THRESHOLD.get())),
                   sei_mode=SEI_MODE.get(), sei_inherit=SEI_INHERIT.get(),
                   overseas_grant_kinds=tuple(OVERSEAS_GRANT_KINDS.get()))

    def describe(self) -> dict:
        """The rules a report used, in Chinese, for its 口径说明."""
        return {
            "截止日期": self.as_of.isoformat(),
            "有效专利": "发明专利，截止日前已授权、当前法律状态为有效且未满20年保护期",
            "战略性新兴产业": ("分类号命中对照表规则；带关键词的规则须标题、摘要或权利要求与关键词相符" if self.sei_mode == "text"
                        else "仅按分类号命中对照表规则（不核对关键词）") + (
                "；对照表未列出的分类号沿用最近的已列出上级" if self.sei_inherit == "always" else "；只认精确分类号"),
            "海外同族授权": f"同族中有中国以外专利局的授权文献（文献种类以 {'/'.join(self.overseas_grant_kinds)} 开头）",
            "维持年限": f"截止日有效且自{'申请日' if self.maintained_from == 'application' else '授权日'}起已满 "
                    f"{self.maintained_years} 年以上",
            "质押融资": f"截止日前登记的质押金额累计不低于 {self.pledge_threshold} 万元",
            "获奖": "截止年度及以前获中国专利奖或国家科学技术奖",
        }


@dataclass
class PatentFacts:
    """What the criteria read about one patent (from ipdata.Patent, a Parquet row or a test)."""
    application_number: str
    patent_type: str = ""
    legal_status: str = ""
    application_date: dt.date | None = None
    grant_date: dt.date | None = None
    ipc: list[str] = field(default_factory=list)
    text: str = ""                                     # title, abstract and claims, for keyword rules
    family_members: list[str] = field(default_factory=list)
    family_countries: list[str] = field(default_factory=list)
    region: str | None = None


@dataclass
class Evaluation:
    application_number: str
    is_invention: bool
    valid: bool
    sei_codes: list[str]
    flags: dict[str, bool]
    reasons: list[str]
    region: str | None = None

    @property
    def high_value(self) -> bool:
        return self.valid and any(self.flags.values())

    def row(self) -> dict:
        """One export row: the columns `ipcity analytics high-value --export` writes."""
        return {"application_number": self.application_number, "valid": self.valid,
                "sei_codes": ";".join(self.sei_codes), **self.flags, "high_value": self.high_value,
                "reasons": "；".join(self.reasons)}


def _years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end` (the anniversary counts on its day)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def in_force(facts: PatentFacts, as_of: dt.date) -> tuple[bool, str]:
    """(valid on `as_of`, why not — empty when valid)."""
    if facts.patent_type != INVENTION:
        return False, "非发明专利"
    if facts.grant_date is not None and facts.grant_date > as_of:
        return False, f"截止日后授权（{facts.grant_date:%Y-%m-%d}）"
    if facts.legal_status != VALID:
        return False, f"法律状态为{facts.legal_status or '空'}"
    if facts.application_date is not None and _add_years(facts.application_date, TERM_YEARS) <= as_of:
        return False, "保护期已满"
    return True, ""


def overseas_grant(facts: PatentFacts, kinds: tuple[str, ...]) -> str:
    """The first family member granted outside China ("US10234567B2"), or ""."""
    for member in facts.family_members:
        number = re.sub(r"[^0-9A-Z]", "", member.upper())
        m = _MEMBER.match(number)
        if not m:
            continue
        office, kind = m.groups()
        if office in ("CN", "WO") or not kind.startswith(tuple(kinds)):
            continue
        return number
    return ""


class Evaluator:
    """Evaluates patents for one as-of date: `evaluate(facts)`; pledge sums and awards are loaded once."""

    def __init__(self, settings: Settings, sei_table, pledges: dict[str, Decimal] | None = None,
                 awards: dict[str, list[tuple[int, str]]] | None = None):
        self.settings = settings
        self.sei = sei_table
        self.pledges = pledges or {}
        self.awards = awards or {}

    def evaluate(self, facts: PatentFacts) -> Evaluation:
        s = self.settings
        reasons: list[str] = []
        valid, why_not = in_force(facts, s.as_of)
        flags = dict.fromkeys(CRITERIA, False)
        sei_codes: list[str] = []
        if self.sei is not None and facts.ipc:
            matches = self.sei.classify(facts.ipc, facts.text if s.sei_mode == "text" else None, s.sei_inherit)
            if matches:
                sei_codes = self.sei.codes(matches)
                flags["c1_sei"] = True
                reasons += [m.reason() for m in matches]
        member = overseas_grant(facts, s.overseas_grant_kinds)
        if member:
            flags["c2_overseas"] = True
            reasons.append(f"海外同族授权 {member}")
        elif not facts.family_members and any(c not in ("CN", "WO") for c in facts.family_countries):
            reasons.append(f"同族国家含 {'、'.join(c for c in facts.family_countries if c not in ('CN', 'WO'))}"
                           "（无同族文献号，无法确认授权，未计入）")
        start = facts.application_date if s.maintained_from == "application" else facts.grant_date
        if valid and start is not None and _add_years(start, s.maintained_years) < s.as_of:  # "超过": past the day
            flags["c3_maintained"] = True
            since = "申请日" if s.maintained_from == "application" else "授权日"
            reasons.append(f"维持 {_years_between(start, s.as_of)} 年（自{since} {start:%Y-%m-%d}）")
        pledged = self.pledges.get(facts.application_number)
        if pledged is not None and pledged >= s.pledge_threshold:
            flags["c4_pledge"] = True
            reasons.append(f"质押登记金额累计 {pledged:g} 万元（门槛 {s.pledge_threshold:g} 万元）")
        for year, award in self.awards.get(facts.application_number, ()):
            if year <= s.as_of.year:
                flags["c5_award"] = True
                reasons.append(f"{year} 年{award}")
        if not valid:
            reasons.append(f"不计入：{why_not}")
        return Evaluation(application_number=facts.application_number, is_invention=facts.patent_type == INVENTION,
                          valid=valid, sei_codes=sei_codes, flags=flags, reasons=reasons, region=facts.region)

    def evaluate_all(self, facts: Iterable[PatentFacts]) -> Iterator[Evaluation]:
        for one in facts:
            yield self.evaluate(one)


def summarise(evaluations: Iterable[Evaluation]) -> dict:
    """Counts per criterion among valid invention patents, the high-value total (each patent once), and the
    criterion-1 count among all invention patents (applications included)."""
    counts = {"invention_patents": 0, "valid": 0, **dict.fromkeys(CRITERIA, 0), "high_value": 0, "sei_all": 0}
    for e in evaluations:
        counts["invention_patents"] += 1
        counts["sei_all"] += e.flags["c1_sei"]
        if not e.valid:
            continue
        counts["valid"] += 1
        for c in CRITERIA:
            counts[c] += e.flags[c]
        counts["high_value"] += e.high_value
    return counts
