"""Demo saved searches: the demo city staff account starts with a few searches a city analyst keeps."""
from __future__ import annotations

from ipcity.demo.generator import DemoContext, demo_step
from ipcity.search.actions import save_search
from ipcity.search.models import SavedSearch


def demo_searches(city_code: str) -> list[tuple[str, str, str]]:
    return [
        ("本市有效发明专利", f"RG={city_code} AND PT=发明 AND LS=有效", "date_desc"),
        ("牡丹深加工", "牡丹 OR 芍药", "relevance"),
        ("近三年人工智能相关申请", "IC=G06N* OR IC=G06V* OR IC=G10L*", "date_desc"),
    ]


@demo_step(90, "保存的检索式")
def saved_searches(ctx: DemoContext) -> None:
    owner = ctx.users.get("staff")
    if owner is None or SavedSearch.objects.filter(owner=owner).exists():
        return  # a rerun changes nothing
    for name, query, sort in demo_searches(ctx.city.code):
        save_search(acting_user=owner, name=name, query=query, sort=sort)
        ctx.count("saved_searches")
