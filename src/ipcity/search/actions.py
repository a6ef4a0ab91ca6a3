"""State changes of the search module: saving and deleting saved searches, starting a result export."""
from __future__ import annotations

from django.core.exceptions import ValidationError

from ipcity.core.actions import action, record, require_permission
from ipcity.search.models import SavedSearch
from ipcity.search.queries import MAX_EXPORT_ROWS, check_query
from ipcity.search.query import QuerySyntaxError


def _valid_query(query: str) -> str:
    try:
        return check_query(query)
    except QuerySyntaxError as exc:
        raise ValidationError({"query": [str(exc)]}, code="query_syntax") from exc


@action
def save_search(*, acting_user, name: str, query: str, sort: str = SavedSearch.Sort.RELEVANCE,
                last_total: int | None = None) -> SavedSearch:
    """Save (or, under the same name, replace) one of the user's searches."""
    if not acting_user.is_authenticated:
        raise ValidationError("请先登录", code="login_required")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["请填写名称"]}, code="required")
    if len(name) > 100:
        raise ValidationError({"name": ["名称不超过 100 个字符"]}, code="too_long")
    if sort not in SavedSearch.Sort.values:
        raise ValidationError({"sort": [f"未知的排序方式：{sort}"]}, code="invalid")
    query = _valid_query(query)
    saved, created = SavedSearch.objects.update_or_create(
        owner=acting_user, name=name, defaults={"query": query, "sort": sort, "last_total": last_total})
    record("search.save" if created else "search.replace", acting_user=acting_user, obj=saved,
           changes={"name": name, "query": query, "sort": sort})
    return saved


@action
def delete_search(saved: SavedSearch, *, acting_user) -> None:
    if saved.owner_id != acting_user.pk:
        raise ValidationError("只能删除自己保存的检索式", code="not_owner")
    record("search.delete", acting_user=acting_user, obj=saved, changes={"name": saved.name, "query": saved.query})
    saved.delete()


@action
def start_export(*, acting_user, query: str, sort: str = "relevance"):
    """Queue an XLSX export of a result set (the first MAX_EXPORT_ROWS hits) as a background job."""
    from ipcity.jobs.actions import submit_job

    require_permission(acting_user, "search.export_patents")
    if sort not in SavedSearch.Sort.values:
        raise ValidationError({"sort": [f"未知的排序方式：{sort}"]}, code="invalid")
    query = _valid_query(query)
    return submit_job("search.export", acting_user=acting_user, title=f"导出检索结果：{query[:60]}",
                      params={"query": query, "sort": sort, "max_rows": MAX_EXPORT_ROWS})
