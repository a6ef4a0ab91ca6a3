"""Permission matrix for the search module: a saved search is its owner's alone."""
from __future__ import annotations

from ipcity.core.testing import ScopeMatrix
from ipcity.search.models import SavedSearch


def _saved(owner_role: str):
    return lambda world: SavedSearch.objects.create(owner=world.users[owner_role], name=f"{owner_role} 的检索",
                                                    query="TI=锂电池")


class TestSavedSearchScope(ScopeMatrix):
    model = SavedSearch
    objects = {"staff": _saved("city_staff"), "enterprise": _saved("enterprise_user")}
    visible_to = {"city_staff": {"staff"}, "enterprise_user": {"enterprise"}}
