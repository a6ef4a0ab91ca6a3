"""A screening run over the data hub: patents streamed in chunks into detect.Filing records, the detectors, and the
findings turned into flags (actions.record_findings) for the subjects inside the run's jurisdiction."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ipcity.abnormal import detect
from ipcity.abnormal.models import ScreeningRun

CHUNK = 5000
CLAIMS_CHARS = 4000  # the first claims carry the subject matter; a 60-page claim set adds nothing but memory


@dataclass
class Corpus:
    filings: list[detect.Filing] = field(default_factory=list)
    patent_ids: dict[str, int] = field(default_factory=dict)  # application number → Patent pk
    regions: dict[str, str | None] = field(default_factory=dict)  # application number → region code
    applicant_orgs: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    parties: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # number → role → names


def load_corpus(progress=None) -> Corpus:
    """Every patent of the data hub (patents are public data: the screening compares against all of them)."""
    from ipcity.ipdata.models import Patent, PatentParty

    corpus = Corpus()
    total = Patent.objects.count()
    last, done = 0, 0
    while True:
        rows = list(Patent.objects.filter(pk__gt=last).order_by("pk").values_list(
            "pk", "application_number", "application_date", "title", "abstract", "claims", "ipc", "ipc_main",
            "patent_type", "region_id")[:CHUNK])
        if not rows:
            break
        last = rows[-1][0]
        ids = [r[0] for r in rows]
        names: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"applicant": [], "agency": []})
        orgs: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        for patent_id, role, name, org_id in PatentParty.objects.filter(
                patent_id__in=ids, role__in=[PatentParty.Role.APPLICANT, PatentParty.Role.AGENCY]).order_by(
                "patent_id", "role", "order").values_list("patent_id", "role", "name", "organisation_id"):
            names[patent_id][role].append(name)
            if role == PatentParty.Role.APPLICANT:
                orgs[patent_id].append((name, org_id))
        for pk, number, date, title, abstract, claims, ipc, ipc_main, ptype, region in rows:
            symbols = tuple(dict.fromkeys([s for s in [ipc_main, *(ipc or [])] if s]))
            parties = names[pk]
            f = detect.Filing(number, date, title or "", abstract or "", (claims or "")[:CLAIMS_CHARS], symbols,
                              tuple(dict.fromkeys(parties["applicant"])), tuple(dict.fromkeys(parties["agency"])),
                              ptype or "")
            corpus.filings.append(f)
            corpus.patent_ids[number] = pk
            corpus.regions[number] = region
            for name, org_id in orgs[pk]:
                if org_id:
                    corpus.applicant_orgs[name][org_id] += 1
        done += len(rows)
        if progress:
            progress(done, total, f"已读取 {done}/{total} 件专利")
    return corpus


def natural_key(kind: str, role: str, subject: str, numbers) -> str:
    text = "\x1f".join([kind, role, subject, *sorted(numbers)])
    return hashlib.sha256(text.encode()).hexdigest()


def finding_key(finding: detect.Finding) -> str:
    """A burst is one episode of its subject, known by the day it began (a filing added inside it later is the same
    episode); the other kinds by their patents (a rerun matches them to earlier flags by overlap, see
    actions.record_findings)."""
    start = (finding.evidence or {}).get("episode_start") if finding.kind == detect.BURST else None
    if start:
        return natural_key(finding.kind, finding.subject_role, finding.subject, [f"episode:{start}"])
    return natural_key(finding.kind, finding.subject_role, finding.subject, finding.numbers)


def _agency_orgs() -> dict[str, int]:
    from ipcity.ipdata.enterprises import normalise_company_name
    from ipcity.orgs.models import Organisation

    return {normalise_company_name(name): pk for pk, name in Organisation.objects.filter(
        kind=Organisation.Kind.SERVICE_AGENCY).values_list("pk", "name")}


@dataclass
class FlagDraft:
    finding: detect.Finding
    key: str
    region: str
    organisation_id: int | None
    patent_ids: list[int]


def drafts_for(run: ScreeningRun, corpus: Corpus, findings: list[detect.Finding]) -> list[FlagDraft]:
    """The findings about subjects inside the run's jurisdiction, with their region and organisation.

    A flag belongs to the region most of the subject's patents in it are attributed to (else, when none is
    attributed, the region of the subject's organisation); it is raised when that region is inside the run's
    region."""
    from ipcity.ipdata.enterprises import normalise_company_name

    from ipcity.orgs.models import Organisation

    prefix = run.region.prefix
    agencies = _agency_orgs()
    by_number = {f.number: f for f in corpus.filings}
    subjects = []
    for finding in findings:
        if finding.subject_role == detect.APPLICANT:
            orgs = corpus.applicant_orgs.get(finding.subject)
            org_id = orgs.most_common(1)[0][0] if orgs else None
        else:
            org_id = agencies.get(normalise_company_name(finding.subject))
        subjects.append(org_id)
    org_regions = dict(Organisation.objects.filter(pk__in={o for o in subjects if o}).values_list("pk", "region_id"))
    out = []
    for finding, org_id in zip(findings, subjects):
        own = [n for n in finding.numbers if finding.subject in (
            by_number[n].applicants if finding.subject_role == detect.APPLICANT else by_number[n].agencies)]
        regions = Counter(corpus.regions[n] for n in own or finding.numbers if corpus.regions.get(n))
        if not regions and org_id:  # patents not attributed (no address): the organisation's own region
            regions[org_regions[org_id]] = 1
        inside = [(count, code) for code, count in regions.items() if code.startswith(prefix)]
        if not inside:
            continue
        region = max(inside)[1]
        out.append(FlagDraft(finding, finding_key(finding), region, org_id,
                             [corpus.patent_ids[n] for n in finding.numbers]))
    return out


def run_screening(run: ScreeningRun, *, acting_user, progress=None) -> ScreeningRun:
    """Read, detect, record. The reading and detecting happen outside any transaction (the job's progress is
    visible meanwhile); the flags are written in one action."""
    from ipcity.abnormal import actions
    from ipcity.abnormal.rules import current_settings

    def report(done, total, message):
        if progress:
            progress(done, total, message)

    try:
        settings = current_settings()
        corpus = load_corpus(lambda d, t, m: report(d, t * 3, m))
        n = len(corpus.filings)
        stages = {"segment": "正在分词并计算文本指纹", "minhash": "正在计算 MinHash 签名", "verify": "正在核对候选近似专利对",
                  "burst": "正在检测短期集中申请", "off_business": "正在检测偏离主营业务的申请"}

        def detector_progress(stage, done, total):
            if stage == "segment" and total:
                report(n + int(n * done / total), n * 3, f"{stages[stage]}（{done}/{total}）")
            else:
                report(n * 2 + (n // 2 if stage == "off_business" else 0), n * 3, stages.get(stage, stage))

        findings, stats = detect.screen(corpus.filings, settings, detector_progress)
        drafts = drafts_for(run, corpus, findings)
        stats["outside_region"] = len(findings) - len(drafts)
        actions.record_findings(run, drafts, settings=settings, statistics=stats, patents=n, acting_user=acting_user)
        report(n * 3, n * 3, "筛查完成")
    except Exception as exc:
        actions.fail_screening(run, message=str(exc)[:280], acting_user=acting_user)
        raise
    run.refresh_from_db()
    return run
