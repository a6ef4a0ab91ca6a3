from ipcity.core.actions import action, record
from ipcity.regions.loader import load_regions


@action
def load_region_table(*, acting_user, province_prefixes: tuple[str, ...] | None = None) -> int:
    """Seed or refresh the GB/T 2260 table from the bundled data; audited as one row."""
    touched = load_regions(province_prefixes)
    record("regions.load", acting_user=acting_user, changes={"provinces": list(province_prefixes or ["全部"]),
                                                             "rows": touched})
    return touched
