"""The search index follows the database: updated per import batch, rebuilt, checked. This file runs under SQLite
and under PostgreSQL in CI with the same exact expectations — the parity test for the two databases."""
from __future__ import annotations

import pytest

from ipcity.ipdata import search_index
from ipcity.ipdata.importing import import_patents
from ipcity.ipdata.models import Patent
from ipcity.ipdata.tests.test_import_pipeline import number, patentics_csv

pytestmark = pytest.mark.django_db


def ids(result):
    return [hit["id"] for hit in result.hits]


def test_import_updates_the_index_and_queries_agree_on_any_database(world, tmp_path):
    import_patents(patentics_csv(tmp_path / "a.csv", 12), acting_user=None)
    assert search_index.check() == (set(), set())
    assert search_index.search("TI=测试装置3").total >= 1 and number(3) in ids(search_index.search("TI=测试装置3"))
    assert search_index.search("PA=测试甲科技").total == 12
    assert search_index.search("IC=G06F AND AD=[20230101 TO 20231231]").total == 12
    assert search_index.search("IC=H01M").total == 0
    hit = search_index.search("装置", limit=1).hits[0]
    assert "<em>" in hit["highlights"]["title"]


def test_check_finds_drift_and_rebuild_repairs_it(world, tmp_path):
    import_patents(patentics_csv(tmp_path / "a.csv", 5), acting_user=None)
    Patent.objects.filter(application_number=number(0)).delete()  # behind the index's back
    missing, extra = search_index.check()
    assert missing == set() and extra == {number(0)}
    assert search_index.rebuild() == 4
    assert search_index.check() == (set(), set())


def test_cli_search_json(world, tmp_path, capsys):
    from ipcity.cli import cmd_search

    import_patents(patentics_csv(tmp_path / "a.csv", 3), acting_user=None)

    class Args:
        query, limit, json, rebuild, check = "PA=测试甲科技有限公司", 2, True, False, False

    assert cmd_search(Args) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 3 and len(out["hits"]) == 2
    assert set(out["hits"][0]) == {"application_number", "application_date", "title", "applicants", "score"}
    Args.query = "TI=(虚拟"
    assert cmd_search(Args) == 2
