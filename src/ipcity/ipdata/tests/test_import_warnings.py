"""What a reader notices without rejecting the row is kept with the row and shown with the batch."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from ipcity.ipdata.importing import import_patents
from ipcity.ipdata.models import SourceRow
from ipcity.ipdata.tests.test_import_pipeline import HEADER, number

pytestmark = pytest.mark.django_db


def test_warnings_are_stored_shown_and_exported(client, world, tmp_path):
    path = tmp_path / "warn.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(HEADER)
        for i, ipc in enumerate(["G06F  3/01 | 不是分类号", "G06F  3/01"]):
            writer.writerow([f"CN13{i:07d}A", number(i), f"一种提示装置{i}", "20230105", "20230601", "", ipc, "G06F", "",
                             "", "8", "测试甲科技有限公司", "测试甲科技有限公司", "张三", "张三", "0", "0", "0", "0", "0",
                             "0", "公开", "1", "10"])
    batch = import_patents(path, acting_user=world.users["city_staff"])
    assert (batch.created, batch.rejected) == (2, 0)
    warned = SourceRow.objects.get(batch=batch, row_number=1)  # readers number data rows from 1
    assert any("不是分类号" in w for w in warned.warnings)
    assert SourceRow.objects.get(batch=batch, row_number=2).warnings == []
    client.force_login(world.users["city_staff"])
    html = client.get(f"/data/batches/{batch.pk}/").content.decode()
    assert 'data-testid="warnings"' in html and "不是分类号" in html
    report = load_workbook(io.BytesIO(client.get(f"/data/batches/{batch.pk}/errors.xlsx").content))
    rows = list(report["导入提示"].iter_rows(values_only=True))
    assert rows[1][:2] == (1, number(0)) and "不是分类号" in rows[1][2]
