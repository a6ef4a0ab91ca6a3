"""The staff search page (facets, sorting, paging, syntax errors) and the public search (bibliographic only)."""
from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from ipcity.accounts.roles import Role
from ipcity.search.tests.conftest import LITHIUM, number

pytestmark = pytest.mark.django_db


def _get(client, path, **params):
    response = client.get(f"{path}?{urlencode(params)}")
    assert response.status_code == 200
    return response.content.decode()


def _total(html: str) -> int:
    return int(re.search(r'data-testid="total">(\d+)<', html).group(1))


def _hits(html: str) -> list[str]:
    return re.findall(r'data-testid="hit">\s*<h3><a href="/(?:data|portal)/patents/([^/]+)/', html)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_signed_in_role_can_search(client, world, role):
    client.force_login(world.users[role])
    assert client.get("/search/").status_code == 200


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get("/search/?q=锂电池")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_hits_highlights_facets_and_paging(client, world, search_patents, django_assert_max_num_queries):
    client.force_login(world.users["city_staff"])
    _get(client, "/search/", q="锂电池")  # warm the per-process caches (permissions, the once-a-minute demo check)
    with django_assert_max_num_queries(12):  # a fixed number of queries, whatever the page size (no N+1)
        html = _get(client, "/search/", q="锂电池")
    assert _total(html) == LITHIUM + 1
    assert len(_hits(html)) == 20
    assert "<em>锂电池</em>" in html
    assert 'data-facet="applicant"' in html and 'data-facet="legal_status"' in html and "菏泽乙生物有限公司" in html
    page2 = _get(client, "/search/", q="锂电池", page=2)
    assert len(_hits(page2)) == LITHIUM + 1 - 20
    assert not set(_hits(page2)) & set(_hits(html))
    assert "上一页" in page2 and "下一页" not in page2


def test_facet_link_narrows_the_query_to_its_count(client, world, search_patents):
    client.force_login(world.users["city_staff"])
    html = _get(client, "/search/", q="锂电池")
    facet = re.search(r'data-facet="patent_type">.*?<a href="\?([^"]+)"[^>]*>实用新型</a> <span class="muted">(\d+)',
                      html, re.S)
    narrowed = client.get("/search/?" + facet.group(1).replace("&amp;", "&")).content.decode()
    assert _total(narrowed) == int(facet.group(2)) == 6  # numbers 0, 5, 10, 15, 20 and 200
    assert "PT=实用新型" in narrowed or "PT=&quot;实用新型&quot;" in narrowed


def test_sort_by_application_date(client, world, search_patents):
    client.force_login(world.users["city_staff"])
    newest = _hits(_get(client, "/search/", q="锂电池", sort="date_desc"))
    oldest = _hits(_get(client, "/search/", q="锂电池", sort="date_asc"))
    assert newest[0] == number(200)  # 2024
    assert oldest[0] in {number(i) for i in range(0, LITHIUM, 8)}  # 2015


def test_a_syntax_error_shows_its_position_in_chinese(client, world, search_patents):
    client.force_login(world.users["city_staff"])
    html = _get(client, "/search/", q="TI=(锂电池")
    assert 'data-testid="query-error"' in html and "检索式有误" in html and "个字符处" in html
    assert 'data-testid="hits"' not in html


def test_public_search_shows_bibliographic_data_only(client, world, search_patents):
    html = _get(client, "/portal/patents/", q="锂电池")
    assert _total(html) == LITHIUM + 1
    assert 'data-facet="legal_status"' not in html and 'data-facet="applicant"' not in html
    assert "有效" not in re.sub(r"<option.*?</option>", "", html)  # no legal status on the public page
    first = _hits(html)[0]
    detail = _get(client, f"/portal/patents/{first}/")
    assert first in detail and "申请人" in detail
    assert "张三" not in detail and "李四" not in detail  # inventors (natural persons) are not shown publicly
    assert client.get("/portal/patents/CN000000000000.0/").status_code == 404


def test_public_paging_is_capped(client, world, search_patents):
    html = _get(client, "/portal/patents/", q="锂电池", page=10_000)
    assert 'data-testid="hits"' in html  # clamped to the last page allowed, not an error


def test_portal_links_to_the_public_search(client, world):
    html = client.get("/portal/").content.decode()
    assert 'action="/portal/patents/"' in html
