"""Keeping analytics.PatentFlag current: the per-patent facts SQL cannot compute, derived with the active SEI table
and the rules in force. `ensure_flags()` recomputes exactly the rows that are missing or stale (a patent changed by an
import, another SEI table activated, a rule changed) — cheap when nothing changed, which is the usual case."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import transaction
from django.db.models import F

from ipcity.analytics.evaluate import patent_facts
from ipcity.analytics.high_value import Settings, overseas_grant
from ipcity.analytics.models import PatentFlag
from ipcity.analytics.queries import active_sei_table

CHUNK = 5000


def signature(settings: Settings, sei) -> str:
    """What the flags depend on besides the patent: the SEI table version and the reading rules."""
    data = {"sei": sei.version_key if sei is not None else None, "mode": settings.sei_mode,
            "inherit": settings.sei_inherit, "kinds": list(settings.overseas_grant_kinds)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _is_pct(members: list[str]) -> bool:
    return any(m.strip().upper().startswith("WO") for m in members)


def stale_patents(sig: str):
    from ipcity.ipdata.models import Patent

    current = PatentFlag.objects.filter(signature=sig, content_hash=F("patent__content_hash")).values("patent_id")
    return Patent.objects.exclude(pk__in=current)


def current_signature() -> str:
    return signature(Settings.current(), active_sei_table())


def flags_current() -> bool:
    """A quick check (two counts) that every patent has a flag row of the current signature. Content changes are
    picked up when they happen (after each import batch), so this is what page views ask."""
    from ipcity.ipdata.models import Patent

    return PatentFlag.objects.filter(signature=current_signature()).count() == Patent.objects.count()


def ensure_flags(progress: Callable[[int], None] | None = None) -> int:
    """Recompute missing and stale flags; returns how many rows were written."""
    settings = Settings.current()
    sei = active_sei_table()
    sig = signature(settings, sei)
    stale = stale_patents(sig)
    done = 0
    hashes = dict(stale.values_list("application_number", "content_hash")) if stale.exists() else {}
    if not hashes:
        return 0
    ids = dict(stale.values_list("application_number", "pk"))
    batch: list[PatentFlag] = []

    def flush():
        with transaction.atomic():
            PatentFlag.objects.filter(patent_id__in=[f.patent_id for f in batch]).delete()
            PatentFlag.objects.bulk_create(batch)
        batch.clear()

    for facts in patent_facts(stale, inventions_only=False):
        matches = sei.classify(facts.ipc, facts.text if settings.sei_mode == "text" else None,
                               settings.sei_inherit) if sei is not None and facts.ipc else []
        batch.append(PatentFlag(patent_id=ids[facts.application_number], sei_codes=";".join(sei.codes(matches))
                                if matches else "", c1_sei=bool(matches),
                                c2_overseas=bool(overseas_grant(facts, settings.overseas_grant_kinds)),
                                pct=_is_pct(facts.family_members), content_hash=hashes[facts.application_number],
                                signature=sig))
        done += 1
        if len(batch) >= CHUNK:
            flush()
            if progress:
                progress(done)
    if batch:
        flush()
    return done


INLINE_LIMIT = 20_000  # stale rows a page view recomputes itself (about a second); more go to a background job


def refresh_for_view(user) -> str:
    """Before a page computes indicators: bring the flags up to date, inline when few rows are stale, else through a
    background job (one at a time). Returns a notice for the page ("" when the flags are current)."""
    from ipcity.ipdata.models import Patent

    missing = Patent.objects.count() - PatentFlag.objects.filter(signature=current_signature()).count()
    if missing <= 0:
        return ""
    if missing <= INLINE_LIMIT:
        ensure_flags()
        return ""
    queue_refresh(acting_user=user)
    return (f"有 {missing} 件专利的统计标记（战略性新兴产业、海外同族）正在后台更新，"
            "完成前涉及这些标记的指标（高价值发明专利、PCT、海外授权）可能偏低。")


def queue_refresh(*, acting_user) -> None:
    """Queue the background refresh unless one is already waiting or running."""
    from ipcity.jobs.actions import submit_job
    from ipcity.jobs.models import Job

    if not Job.objects.filter(kind="analytics.refresh_flags").exclude(status__in=Job.FINISHED).exists():
        submit_job("analytics.refresh_flags", acting_user=acting_user)
