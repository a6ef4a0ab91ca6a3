"""Which reader a file needs, from its headers or XML root (never from the file name alone).

- a table (.csv/.txt/.tsv/.xlsx/.xlsm/.xls) whose header row (within the first 20 rows) has 公开号, 申请号, 标题 and a
  Patentics-only column (国际主分类, 标准化申请人, 第一发明人, 价值1 …) → "patentics";
  one with 申请号, 公开（公告）号 and an incoPat-only column (链接到incoPat, 标题 (中文), 公开国别, 专利有效性 …)
  → "incopat"; any other table needs a column mapping ("generic") — detect_format says so;
- an .xml file, a directory, or a .zip/.tar whose first XML document's root is PatentDocumentAndRelated or
  cn-patent-document → "cnipa-xml".
"""
from __future__ import annotations

from pathlib import Path

from .cnipa_xml import ARCHIVE_SUFFIXES, ROOTS, iter_xml_entries, xml_root_name
from .cnipa_xml import FORMAT as CNIPA_XML
from .incopat import FORMAT as INCOPAT
from .incopat import is_incopat_header
from .patentics import FORMAT as PATENTICS
from .patentics import is_patentics_header
from .record import ReaderError
from .tabular import HEADER_SCAN_ROWS, open_table, read_sample, table_kind

__all__ = ["detect_format"]


def _known_header(cells: list[str]) -> bool:
    return is_patentics_header(cells) or is_incopat_header(cells)


def _detect_table(path: Path) -> str:
    try:
        with open_table(path, _known_header) as table:
            headers = table.headers
    except ReaderError as exc:
        if "找不到表头行" not in exc.detail:
            raise
        try:
            with open_table(path) as table:
                first = table.headers
        except ReaderError:
            raise ReaderError(path, "文件为空，或前 20 行中没有内容") from None
        shown = "、".join(first[:12]) + ("…" if len(first) > 12 else "")
        raise ReaderError(path, f"无法识别的专利导出格式（前 {HEADER_SCAN_ROWS} 行中没有 Patentics 或 incoPat 的表头；"
                                f"第一行为：{shown}）。请选择“通用表格”并提供列映射") from None
    return PATENTICS if is_patentics_header(headers) else INCOPAT


def _detect_xml(path: Path) -> str:
    try:
        for name, opener, _size in iter_xml_entries(path):
            with opener() as stream:
                root = xml_root_name(stream)
            if root in ROOTS:
                return CNIPA_XML
            raise ReaderError(path, f"XML 文件「{name}」不是 CNIPA 专利文献（根元素：{root or '无法解析'}）")
    except (OSError, EOFError) as exc:
        raise ReaderError(path, f"无法读取（{exc}）") from None
    raise ReaderError(path, "其中没有 XML 文件")


def detect_format(path) -> str:
    """"patentics" | "incopat" | "cnipa-xml"; ReaderError (Chinese, naming the file) when unknown or unreadable."""
    path = Path(path)
    if not path.exists():
        raise ReaderError(path, "文件或目录不存在")
    if path.is_dir() or path.name.lower().endswith(ARCHIVE_SUFFIXES) or path.suffix.lower() == ".xml":
        return _detect_xml(path)
    if table_kind(path):
        return _detect_table(path)
    sample = read_sample(path, 512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if sample.startswith(b"<"):
        return _detect_xml(path)
    raise ReaderError(path, f"不支持的文件类型「{path.suffix or '无扩展名'}」：请上传 CSV、XLSX、XLS、XML、ZIP 或 TAR 文件")
