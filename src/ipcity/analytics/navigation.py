"""Patent navigation (专利导航, GB/T 39551): the analyses of one patent set — an industry given as a query in the search
syntax (a saved search), or one enterprise against its competitors — as plain data for the pages' charts, the tables
and the report.

The set's patents are read in chunks (5,000 at a time, by primary key) with only the columns the analyses use, and
counted in Python: the same code on SQLite and PostgreSQL, memory proportional to the set. Applicant names are grouped
by their normalised form (ipdata.enterprises.normalise_company_name: full/half width, brackets, company-form variants)
and shown in their most frequent spelling.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

CHUNK = 5000
TOP = 15
MAX_SET = 200_000  # patents one analysis reads at most (an industry larger than this is narrowed first)
# IPC sections (WIPO's titles in the Chinese edition); classes and subclasses are shown by code.
IPC_SECTIONS = {"A": "人类生活必需", "B": "作业；运输", "C": "化学；冶金", "D": "纺织；造纸", "E": "固定建筑物",
                "F": "机械工程；照明；加热；武器；爆破", "G": "物理", "H": "电学"}
TYPES = ("发明", "实用新型", "外观设计")


@dataclass
class Row:
    pk: int
    number: str
    title: str
    patent_type: str
    legal_status: str
    applied: dt.date | None
    granted: dt.date | None
    ipc: list[str]
    region: str | None
    cited: int
    family_size: int
    family_countries: list[str]
    applicants: list[str] = field(default_factory=list)
    inventors: list[str] = field(default_factory=list)
    high_value_flags: tuple[bool, bool] = (False, False)   # (SEI, overseas grant) from analytics.PatentFlag


def rows_for(numbers: Iterable[str], user) -> Iterator[Row]:
    """The set's patents that `user` may see, with their applicants, inventors and flags, `CHUNK` at a time."""
    from ipcity.analytics.models import PatentFlag
    from ipcity.core.scoping import visible
    from ipcity.ipdata.models import Patent, PatentParty

    numbers = list(numbers)
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start:start + CHUNK]
        rows = {pk: Row(pk, number, title, kind, status, applied, granted, ipc or [], region, cited or 0,
                        size or 0, countries or [])
                for pk, number, title, kind, status, applied, granted, ipc, region, cited, size, countries in
                visible(Patent, user).filter(application_number__in=chunk).values_list(
                    "pk", "application_number", "title", "patent_type", "legal_status", "application_date",
                    "grant_date", "ipc", "region_id", "cited_count", "family_size", "family_countries")}
        for pid, role, name in (PatentParty.objects.filter(patent_id__in=list(rows), role__in=["applicant", "inventor"])
                                .order_by("patent_id", "role", "order").values_list("patent_id", "role", "name")):
            (rows[pid].applicants if role == "applicant" else rows[pid].inventors).append(name)
        for pid, c1, c2 in PatentFlag.objects.filter(patent_id__in=list(rows)).values_list(
                "patent_id", "c1_sei", "c2_overseas"):
            rows[pid].high_value_flags = (c1, c2)
        yield from rows.values()


def matching_numbers(query: str, limit: int = MAX_SET) -> tuple[list[str], int]:
    """(application numbers of the first `limit` matches, total matches) for a query in the search syntax."""
    from ipcity.ipdata import search_index
    from ipcity.search.queries import check_query

    query = check_query(query)
    index = search_index.open_index()
    if index.created:
        search_index.rebuild(index)
    result = index.search(query, limit=limit, sort="date_desc", highlight=False)
    return [hit["id"] for hit in result.hits], result.total


def region_names(rows, city: str) -> dict[str, str]:
    """Names of every province, city and county the rows are attributed to, and of `city`."""
    from ipcity.regions.models import Region

    codes = {city}
    for r in rows:
        if r.region:
            codes |= {r.region[:2] + "0000", r.region[:4] + "00", r.region}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def home_city(user=None) -> str:
    """The city a user's analyses are about: their jurisdiction's city, else the installation's (the city office's
    region; the demo city before one exists)."""
    from django.conf import settings

    from ipcity.orgs.models import Organisation

    region = user.jurisdiction if user is not None and user.is_authenticated else None
    if region is not None and region.level >= 2:
        return region.code if region.level == 2 else region.parent_id
    org = Organisation.objects.filter(kind=Organisation.Kind.CITY_OFFICE).exclude(region=None).order_by("pk").first()
    return org.region_id if org else settings.IPCITY_DEMO_CITY


def enterprise_numbers(org) -> list[str]:
    """The application numbers of the patents the enterprise applied for or holds (its linked parties)."""
    from ipcity.ipdata.models import PatentParty

    return list(PatentParty.objects.filter(organisation=org, role__in=["applicant", "patentee"])
                .values_list("patent__application_number", flat=True).distinct())


def competitors(analysis: dict, own_name: str, user, limit: int = 10) -> tuple[str, list[dict]]:
    """(the query used, the leading other applicants) in the enterprise's three main IPC subclasses."""
    from django.utils import timezone

    subclasses = [code for code, _ in analysis["technology"]["subclasses"][:3]]
    if not subclasses:
        return "", []
    query = " OR ".join(f"IC={code}" for code in subclasses)
    numbers, _ = matching_numbers(query, limit=50_000)
    rows = list(rows_for(numbers, user))
    field = analyse(rows, city_code=home_city(user), regions={}, as_of=timezone.localdate())
    from ipcity.ipdata.enterprises import normalise_company_name

    own = normalise_company_name(own_name)
    others = [a for a in field["applicants"] if normalise_company_name(a["name"]) != own]
    return query, others[:limit]


def _subclass(code: str) -> str:
    return code.replace(" ", "")[:4]


def _main_group(code: str) -> str:
    compact = code.replace(" ", "")
    return compact.split("/")[0] + "/00" if "/" in compact else compact


class Names:
    """Groups spellings of one applicant; the most frequent spelling names the group."""

    def __init__(self):
        from ipcity.ipdata.enterprises import normalise_company_name

        self._key = normalise_company_name
        self.spellings: dict[str, Counter] = defaultdict(Counter)

    def key(self, name: str) -> str:
        k = self._key(name)
        self.spellings[k][name] += 1
        return k

    def label(self, key: str) -> str:
        return self.spellings[key].most_common(1)[0][0]


def analyse(rows: Iterable[Row], *, city_code: str, regions: dict[str, str], as_of: dt.date) -> dict:
    """Every section of a navigation analysis. `regions`: code → name for the region labels."""
    names = Names()
    filings: dict[str, Counter] = {t: Counter() for t in TYPES}
    grants: Counter = Counter()
    subclasses, groups, sections = Counter(), Counter(), Counter()
    applicants: dict[str, Counter] = defaultdict(Counter)
    provinces, cities, districts = Counter(), Counter(), Counter()
    legal, types, countries = Counter(), Counter(), Counter()
    inventors, inventor_pairs, pairs = Counter(), Counter(), Counter()
    applicants_by_year: dict[int, set] = defaultdict(set)
    city_by_year, all_by_year = Counter(), Counter()
    city_subclasses = Counter()
    overseas = 0
    key_candidates = []
    total = 0
    for r in rows:
        total += 1
        year = r.applied.year if r.applied else None
        in_city = bool(r.region and r.region.startswith(city_code[:4]))
        if year:
            filings.setdefault(r.patent_type, Counter())[year] += 1
            all_by_year[year] += 1
            city_by_year[year] += in_city
        if r.granted:
            grants[r.granted.year] += 1
        codes = list(dict.fromkeys(_subclass(c) for c in r.ipc if c))
        subclasses.update(codes)
        sections.update({c[:1] for c in codes})
        groups.update(list(dict.fromkeys(_main_group(c) for c in r.ipc if c)))
        if in_city:
            city_subclasses.update(codes)
        keys = list(dict.fromkeys(names.key(a) for a in r.applicants))
        for k in keys:
            stats = applicants[k]
            stats["total"] += 1
            stats["invention"] += r.patent_type == "发明"
            stats["valid"] += r.legal_status == "有效"
            if year:
                applicants_by_year[year].add(k)
        pairs.update(combinations(sorted(keys), 2))
        if r.region:
            provinces[r.region[:2] + "0000"] += 1
            cities[r.region[:4] + "00"] += 1
            if in_city:
                districts[r.region] += 1
        legal[r.legal_status or "未知"] += 1
        types[r.patent_type or "未知"] += 1
        abroad = [c for c in r.family_countries if c not in ("CN", "WO")]
        countries.update(abroad)
        overseas += bool(abroad) or r.high_value_flags[1]
        people = list(dict.fromkeys(r.inventors))
        inventors.update(people)
        inventor_pairs.update(combinations(sorted(people), 2))
        key_candidates.append((r.cited, r.family_size, len(abroad), r))
    years = sorted(set(all_by_year) | set(grants))
    ranked = sorted(applicants.items(), key=lambda kv: (-kv[1]["total"], names.label(kv[0])))
    top_applicants = [k for k, _ in ranked[:20]]
    network_nodes = set(top_applicants[:30])
    key_candidates.sort(key=lambda t: (-t[0], -t[1], -t[2], t[3].number))
    return {
        "total": total,
        "as_of": as_of.isoformat(),
        "years": years,
        "trend": {"years": years, "filings": {t: [filings.get(t, Counter())[y] for y in years] for t in TYPES},
                  "grants": [grants[y] for y in years]},
        "technology": {"sections": [(s, IPC_SECTIONS.get(s, ""), n) for s, n in sorted(sections.items())],
                       "subclasses": subclasses.most_common(TOP), "groups": groups.most_common(TOP)},
        "applicants": [{"name": names.label(k), "total": applicants[k]["total"],
                        "invention": applicants[k]["invention"], "valid": applicants[k]["valid"]}
                       for k in top_applicants],
        "regions": {"provinces": [(regions.get(c, c), n) for c, n in provinces.most_common(TOP)],
                    "cities": [(regions.get(c, c), n) for c, n in cities.most_common(TOP)],
                    "districts": [(regions.get(c, c), n) for c, n in districts.most_common()]},
        "legal": legal.most_common(), "types": types.most_common(),
        "family": {"with_overseas": overseas, "countries": countries.most_common(TOP)},
        "key_patents": [{"number": r.number, "title": r.title, "cited": cited, "family_size": size,
                         "countries": abroad, "sei": r.high_value_flags[0], "overseas": r.high_value_flags[1],
                         "legal_status": r.legal_status}
                        for cited, size, abroad, r in key_candidates[:20]],
        "network": {"nodes": [{"name": names.label(k), "value": applicants[k]["total"]} for k in top_applicants[:30]],
                    "links": [{"source": names.label(a), "target": names.label(b), "value": n}
                              for (a, b), n in pairs.most_common() if a in network_nodes and b in network_nodes][:60]},
        "inventors": {"top": inventors.most_common(20), "teams": [(a, b, n) for (a, b), n in
                                                                   inventor_pairs.most_common(10)]},
        "lifecycle": [{"year": y, "applicants": len(applicants_by_year[y]), "filings": all_by_year[y]} for y in years],
        "position": {"city": regions.get(city_code, city_code),
                     "share_by_year": [{"year": y, "city": city_by_year[y], "all": all_by_year[y],
                                        "share": round(city_by_year[y] / all_by_year[y], 4) if all_by_year[y] else 0}
                                       for y in years],
                     "city_total": sum(city_by_year.values()),
                     "city_subclasses": city_subclasses.most_common(10),
                     "strengths": _strengths(city_subclasses, subclasses)},
    }


def _strengths(city: Counter, everyone: Counter) -> list[dict]:
    """Subclasses where the city's share of the set is highest (at least 5 city patents): the 定位 step's
    specialisation index (city share in the subclass ÷ city share overall)."""
    city_total, all_total = sum(city.values()), sum(everyone.values())
    if not city_total or not all_total:
        return []
    overall = city_total / all_total
    rows = [{"subclass": code, "city": n, "all": everyone[code], "index": round((n / everyone[code]) / overall, 2)}
            for code, n in city.items() if n >= 5 and everyone[code]]
    return sorted(rows, key=lambda r: (-r["index"], r["subclass"]))[:10]
