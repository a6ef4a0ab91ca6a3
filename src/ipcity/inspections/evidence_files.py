"""The files a draw's evidence entries name, for their evidence packages: the frozen pools as published
(`inspections.commitment`) and the draw record that `ipcity inspections replay` reproduces (`inspections.draw`) —
byte for byte what the portal serves."""
from __future__ import annotations

from ipcity.evidence.exporting import provides
from ipcity.inspections.models import Draw


@provides("inspections.commitment")
def _pool(entry) -> dict[str, bytes]:
    draw = Draw.objects.get(pk=entry.subject_id)
    return {f"inspections-{draw.number}-pool.json": draw.pool_json.encode("utf-8")}


@provides("inspections.draw")
def _record(entry) -> dict[str, bytes]:
    draw = Draw.objects.get(pk=entry.subject_id)
    return {f"inspections-{draw.number}-record.json": draw.record_json.encode("utf-8")} if draw.record_json else {}
