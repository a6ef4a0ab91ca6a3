"""Patents for the search pages: varied titles, applicants, years, types and statuses, imported through the real
pipeline (which also fills the search index)."""
from __future__ import annotations

import csv

import pytest

from ipcity.ipdata.importing import import_patents
from ipcity.core.validators import compute_application_check_digit
from ipcity.ipdata.tests.test_import_pipeline import HEADER

APPLICANTS = ["测试甲科技有限公司", "菏泽乙生物有限公司"]
LITHIUM = 25  # patents whose title has 锂电池 (more than one page of 20)


def number(i: int) -> str:
    """Every fifth one a utility model (type digit 2), the rest inventions."""
    body = f"2021{2 if i % 5 == 0 else 1}05{i:05d}"
    return f"CN{body}.{compute_application_check_digit(body)}"


def _row(i: int, title: str, applicant: str, year: int, status: str, ipc: str) -> list[str]:
    return [f"CN12{i:07d}A", number(i), title, f"{year}0105", f"{year}0601", "", ipc, ipc[:4], "", "", "8",
            applicant, applicant, "张三 | 李四", "张三", "0", "0", "0", "0", "0", "0", status, "1", "10"]


@pytest.fixture
def search_patents(world, tmp_path):
    rows = [_row(i, f"一种锂电池管理系统{i}", APPLICANTS[i % 2], 2015 + i % 8, "有效" if i % 3 else "公开",
                 "H01M  10/42") for i in range(LITHIUM)]
    rows += [_row(100 + i, f"一种牡丹籽油的提取方法{i}", APPLICANTS[1], 2020, "公开", "C11B  1/10") for i in range(5)]
    rows.append(_row(200, "=SUM(1,2) 一种锂电池外壳", APPLICANTS[0], 2024, "公开", "H01M  50/10"))
    path = tmp_path / "search.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(HEADER)
        writer.writerows(rows)
    batch = import_patents(path, acting_user=None)
    assert batch.rejected == 0, batch.summary()
    return batch
