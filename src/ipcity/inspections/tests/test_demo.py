"""The demo step: items, pools, a filed plan, a published draw that replays, results, a redraw; idempotent."""
from __future__ import annotations

import json

from ipcity.demo import generator
from ipcity.inspections import demo, draw
from ipcity.inspections.models import AnnualPlan, Draw, InspectionResult
from ipcity.regions.models import Region


def _run():
    city = Region.objects.get(code="371700")
    districts = list(Region.objects.filter(parent=city).order_by("code"))
    ctx = generator.DemoContext(seed=2026, city=city, districts=districts, acting_user=None,
                                enterprises_per_district=2)
    for order, _title, step in generator._steps:
        if order <= 50:  # the foundation: offices, enterprises, accounts
            step(ctx)
    demo.inspections(ctx)
    return ctx


def test_the_demo_fills_the_module_and_a_second_run_changes_nothing(world, client):
    _run()
    plan = AnnualPlan.objects.get(is_demo=True)
    assert plan.state == AnnualPlan.State.FILED and plan.batches.count() == 2
    draws = Draw.objects.filter(batch__plan=plan)
    assert draws.count() == 3 and draws.filter(state=Draw.State.DRAWN).count() == 3
    redone = draws.get(supersedes__isnull=False)
    assert redone.redraw_reason and redone.supersedes.is_superseded
    ratio_draw = draws.get(batch__mode="ratio")
    record = json.loads(client.get(f"/portal/inspections/draws/{ratio_draw.pk}/record.json").content)
    assert draw.replay(record)["selection"] == record["selection"] and "strata" in record
    results = InspectionResult.objects.filter(assignment__draw=ratio_draw)
    assert results.filter(published_at__isnull=False).exists() and results.filter(published_at__isnull=True).exists()
    snapshot = (draws.count(), results.count(), ratio_draw.commitment)
    _run()
    assert (Draw.objects.filter(batch__plan=plan).count(), results.count(),
            Draw.objects.get(pk=ratio_draw.pk).commitment) == snapshot
