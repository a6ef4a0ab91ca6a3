"""分类监管: a transparent credit score and the class (A/B/C/D) it gives.

score = base + Σ points(kind) × 0.5^(age / half-life) over the subject's active records dated in the window
(a commitment counts once it is found kept), capped to [0, max]; the class is the first of A, B, C whose threshold
the score reaches, else D; an organisation on the 严重违法失信名单 on that day gets the listed class. Every number
is a rule (`credit.score_*`, `credit.class_thresholds`, `credit.listed_class`); `score()` returns each item with
its points and reason, `credit_classes()` serves the inspection ratios in two queries for any number of ids."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from ipcity.core.rules import declare
from ipcity.credit.models import CreditRecord, SeriousListing
from ipcity.credit.policy import KINDS, PolicyError

BASE = declare("credit.score_base", 90, "信用评分的基础分（无任何信用记录的主体得分）")
MAXIMUM = declare("credit.score_max", 100, "信用评分的上限")
POINTS = declare("credit.score_points", {
    "penalty": -15, "adjudication": -10, "judgment": -15, "repeat_infringement": -25, "wilful_infringement": -30,
    "refusal_to_comply": -20, "abnormal_filing": -10, "bad_faith_trademark": -15, "agency_violation": -15,
    "commitment": 2, "commitment_broken": -20, "inspection_problem": -10, "inspection_pass": 3,
}, "每类信用记录的分值（负数扣分，正数加分；信用承诺在核实履行后计分）")
HALF_LIFE = declare("credit.score_half_life_days", 365, "信用记录分值的半衰期（日）：记录每经过该天数，分值减半")
WINDOW = declare("credit.score_window_days", 1095, "计入评分的信用记录的最长时间（日），更早的记录不再计分")
THRESHOLDS = declare("credit.class_thresholds", {"A": 95, "B": 80, "C": 60},
                     "信用等级的分数线：达到 A 线为 A 类，依次为 B、C 类，低于 C 线为 D 类")
LISTED_CLASS = declare("credit.listed_class", "D", "列入严重违法失信名单期间的信用等级", choices=("A", "B", "C", "D"))

CLASS_LABELS = {"A": "A 类（守信）", "B": "B 类（基本守信）", "C": "C 类（失信）", "D": "D 类（严重失信）"}


@dataclass(frozen=True)
class ScoreItem:
    record: CreditRecord
    base_points: float
    factor: float
    points: float
    note: str


@dataclass
class Score:
    organisation_id: int
    as_of: dt.date
    base: float
    items: list[ScoreItem] = field(default_factory=list)
    total: float = 0.0
    credit_class: str = ""
    listed: bool = False
    thresholds: dict = field(default_factory=dict)

    @property
    def class_label(self) -> str:
        return CLASS_LABELS[self.credit_class]


def _number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PolicyError(f"{what}应为数字，当前为 {value!r}")
    return float(value)


def points_table() -> dict[str, float]:
    raw = POINTS.get()
    if not isinstance(raw, dict):
        raise PolicyError("规则 credit.score_points 应为「记录类型: 分值」的对象")
    unknown = sorted(set(raw) - set(KINDS))
    if unknown:
        raise PolicyError(f"规则 credit.score_points 含未知的记录类型：{'、'.join(unknown)}")
    return {kind: _number(raw.get(kind, 0), f"记录类型 {kind} 的分值") for kind in KINDS}


def thresholds() -> dict[str, float]:
    raw = THRESHOLDS.get()
    if not isinstance(raw, dict) or set(raw) != {"A", "B", "C"}:
        raise PolicyError("规则 credit.class_thresholds 应恰好写明 A、B、C 三条分数线")
    t = {k: _number(raw[k], f"{k} 类分数线") for k in "ABC"}
    if not t["A"] >= t["B"] >= t["C"]:
        raise PolicyError(f"分数线应满足 A ≥ B ≥ C，当前为 {t}")
    return t


def classify(total: float, *, listed: bool, lines: dict[str, float] | None = None) -> str:
    if listed:
        return LISTED_CLASS.get()
    lines = lines or thresholds()
    return next((k for k in "ABC" if total >= lines[k]), "D")


class _Settings:
    def __init__(self):
        self.base = _number(BASE.get(), "基础分")
        self.maximum = _number(MAXIMUM.get(), "评分上限")
        self.points = points_table()
        self.half_life = _number(HALF_LIFE.get(), "半衰期")
        self.window = int(_number(WINDOW.get(), "计分期限"))
        if self.half_life <= 0 or self.window <= 0:
            raise PolicyError("半衰期和计分期限应为正数")
        self.lines = thresholds()


def _item(rec: CreditRecord, as_of: dt.date, s: _Settings) -> ScoreItem:
    base_points = s.points[rec.kind]
    age = (as_of - rec.dated_on).days
    if rec.kind == CreditRecord.Kind.COMMITMENT and rec.commitment_kept is not True:
        return ScoreItem(rec, base_points, 0.0, 0.0,
                         "承诺未履行，不加分（另计违反承诺记录）" if rec.commitment_kept is False else "承诺尚待核实，暂不计分")
    factor = round(0.5 ** (age / s.half_life), 4)
    points = round(base_points * factor, 2)
    return ScoreItem(rec, base_points, factor, points,
                     f"{rec.get_kind_display()} {base_points:+g} 分 × 0.5^({age}/{s.half_life:g}) = {points:+g}")


def _records(org_ids: list[int], as_of: dt.date, window: int):
    return (CreditRecord.objects.filter(subject_id__in=org_ids, status=CreditRecord.Status.ACTIVE)
            .filter(Q(effective_on__isnull=False, effective_on__lte=as_of,
                      effective_on__gt=as_of - dt.timedelta(days=window))
                    | Q(effective_on__isnull=True, occurred_on__lte=as_of,
                        occurred_on__gt=as_of - dt.timedelta(days=window)))
            .order_by("subject_id", "-occurred_on", "-pk"))


def listed_on_q(as_of: dt.date) -> Q:
    decided = (SeriousListing.Status.LISTED, SeriousListing.Status.REMOVED, SeriousListing.Status.EXPIRED)
    return (Q(status__in=decided, listed_from__lte=as_of, listed_until__gt=as_of)
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)))


def _listed(org_ids: list[int], as_of: dt.date) -> set[int]:
    return set(SeriousListing.objects.filter(listed_on_q(as_of), subject_id__in=org_ids)
               .values_list("subject_id", flat=True))


def _total(base: float, items: list[ScoreItem], maximum: float) -> float:
    return round(min(maximum, max(0.0, base + sum(i.points for i in items))), 1)


def score(org, *, as_of: dt.date | None = None) -> Score:
    """The organisation's score on `as_of` (default today) with every item that makes it."""
    as_of = as_of or timezone.localdate()
    s = _Settings()
    items = [_item(r, as_of, s) for r in _records([org.pk], as_of, s.window)]
    listed = org.pk in _listed([org.pk], as_of)
    total = _total(s.base, items, s.maximum)
    return Score(org.pk, as_of, s.base, items, total, classify(total, listed=listed, lines=s.lines), listed,
                 s.lines)


def credit_classes(organisation_ids: Iterable[int], *, as_of: dt.date | None = None) -> dict[int, str]:
    """One of "A".."D" for every id asked for (a clean record gets the class of the base score)."""
    as_of = as_of or timezone.localdate()
    ids = sorted({int(i) for i in organisation_ids})
    if not ids:
        return {}
    s = _Settings()
    items: dict[int, list[ScoreItem]] = {}
    for chunk in range(0, len(ids), 900):  # SQLite's variable limit
        part = ids[chunk:chunk + 900]
        for rec in _records(part, as_of, s.window):
            items.setdefault(rec.subject_id, []).append(_item(rec, as_of, s))
    listed = set()
    for chunk in range(0, len(ids), 900):
        listed |= _listed(ids[chunk:chunk + 900], as_of)
    return {i: classify(_total(s.base, items.get(i, []), s.maximum), listed=i in listed, lines=s.lines) for i in ids}
