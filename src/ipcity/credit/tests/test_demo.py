"""The demo step lists an enterprise through the whole approval chain and leaves a repair application to review; a
rerun creates nothing."""
from __future__ import annotations

from ipcity.core.models import AuditEntry
from ipcity.credit import demo
from ipcity.credit.models import CreditRecord, RepairApplication, SeriousListing
from ipcity.demo import generator
from ipcity.regions.models import Region


def _run():
    city = Region.objects.get(code="371700")
    districts = list(Region.objects.filter(parent=city).order_by("code"))
    ctx = generator.DemoContext(seed=2026, city=city, districts=districts, acting_user=None, enterprises_per_district=2)
    for order, _title, step in generator._steps:
        if order <= 50:  # the foundation: offices, enterprises, accounts
            step(ctx)
    demo.credit(ctx)
    return ctx


def test_demo_lists_an_enterprise_leaves_a_repair_and_reruns_cleanly(world):
    _run()
    listed = SeriousListing.objects.filter(is_demo=True, status=SeriousListing.Status.LISTED)
    assert listed.count() == 1 and listed.get().subject.kind == "enterprise"
    assert listed.get().steps.filter(approved=True).count() == listed.get().steps.count() == 3
    assert RepairApplication.objects.filter(is_demo=True, status=RepairApplication.Status.PENDING).count() == 1
    snapshot = (CreditRecord.objects.count(), SeriousListing.objects.count(), RepairApplication.objects.count(),
                AuditEntry.objects.count())
    assert _run().created == {}
    assert (CreditRecord.objects.count(), SeriousListing.objects.count(), RepairApplication.objects.count(),
            AuditEntry.objects.count()) == snapshot
