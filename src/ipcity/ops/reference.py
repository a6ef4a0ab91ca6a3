"""Reference data every installation needs: GB/T 2260 regions and the holiday schedule."""
from __future__ import annotations

from ipcity.regions.models import Region
from ipcity.workdays.models import CalendarYear


def ensure_reference_data() -> None:
    from ipcity.regions.actions import load_region_table
    from ipcity.workdays.actions import seed_from_chinese_calendar

    if not Region.objects.exists():
        load_region_table(acting_user=None)
    if not CalendarYear.objects.exists():
        seed_from_chinese_calendar(acting_user=None)
