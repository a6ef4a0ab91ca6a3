from ipcity.core import scoping
from ipcity.regions.models import Population, Region


@scoping.register(Region)
def scope_regions(qs, user):
    # Region codes are public reference data.
    return qs


def within(region: Region | None, field: str = "region") -> dict:
    """A filter for rows whose `field` (a Region FK) lies inside `region`."""
    if region is None:
        return {f"{field}__isnull": False, "pk__in": []}
    return {f"{field}__code__startswith": region.prefix}


@scoping.register(Population)
def scope_population(qs, user):
    # Population figures come from the published statistical yearbooks and bulletins.
    return qs
