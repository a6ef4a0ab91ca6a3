"""Reading files: .txt encodings, .docx round trip, text-layer and scanned PDFs, empty and unreadable files."""

import zlib

import docx
import pytest

from ipcity.plans.parser import ParseError, normalize, parse_file, parse_text, read_text

PLAN = [
    "某市人民政府办公室关于印发某市知识产权强市建设工作方案（2024—2026年）的通知",
    "某政办发〔2024〕7号",
    "某市人民政府办公室",
    "2024年3月5日",
    "一、总体要求",
    "（一）工作目标。到2026年，每万人口高价值发明专利拥有量达到5件。",
    "二、主要任务",
    "1.加强行政保护。开展专项执法行动。（责任单位：市市场监管局、市公安局）",
    "2.促进专利转化。推动高校专利开放许可。（牵头单位：市科技局；配合单位：市教育局）",
]


def check_plan(result):
    assert result["title"] == "某市知识产权强市建设工作方案（2024—2026年）"
    assert result["doc_number"] == "某政办发〔2024〕7号"
    assert result["date"] == "2024-03-05"
    assert result["issuer"] == ["某市人民政府办公室"]
    assert result["period"] == {"start": 2024, "end": 2026}
    assert [(t["id"], t["responsible"]) for t in result["tasks"]] == [
        ("2.1", ["市市场监管局", "市公安局"]), ("2.2", ["市科技局", "市教育局"])]
    assert result["tasks"][1]["lead"] == ["市科技局"]


def test_txt_utf8_and_gb18030(tmp_path):
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "utf-16"):
        path = tmp_path / f"plan-{encoding}.txt"
        path.write_bytes("\r\n".join(PLAN).encode(encoding))
        check_plan(parse_file(path))


def test_source_span_indexes_read_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("\ufeff" + "\r\n".join(PLAN).replace("1.加强", "\u00a0\u30001.加强"), encoding="utf-8")
    text = read_text(path)
    result = parse_file(path)
    start, end = result["tasks"][0]["source_span"]
    assert text[start:end] == "1.加强行政保护。开展专项执法行动。（责任单位：市市场监管局、市公安局）"
    assert normalize(text) == text  # idempotent: parse_text(read_text(p)) uses the same offsets
    assert parse_text(text)["tasks"] == result["tasks"]


def test_docx_round_trip(tmp_path):
    document = docx.Document()
    for line in PLAN:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=4)
    for cell, value in zip(table.rows[0].cells, ["指标", "2023年基期值", "2026年目标值", "属性"]):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ["有效注册商标量（件）", "5000", "8000", "预期性"]):
        cell.text = value
    path = tmp_path / "plan.docx"
    document.save(path)
    result = parse_file(path)
    check_plan(result)
    table_rows = [i for i in result["indicators"] if "|" in i["source_text"]]
    assert [(i["name"], i["unit"], i["baseline"], i["target"], i["nature"]) for i in table_rows] == [
        ("有效注册商标量", "件", {"year": 2023, "value": 5000.0}, {"year": 2026, "value": 8000.0}, "预期性")]


# ----------------------------------------------------------------------------- hand-built PDFs

def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_PAGE_TREE = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def text_layer_pdf(lines: list[str]) -> bytes:
    """A PDF whose text layer is Chinese: a Type0 font (Identity-H, not embedded) with a ToUnicode CMap."""
    chars = sorted({c for line in lines for c in line})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    content = b"BT /F1 12 Tf 14 TL 40 800 Td\n" + b"".join(
        b"<" + "".join("%04X" % cid[c] for c in line).encode() + b"> Tj T*\n" for line in lines) + b"ET"
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n" + "".join("<%04X> <%04X>\n" % (cid[c], ord(c)) for c in chars)
            + "endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end").encode()
    return _pdf(_PAGE_TREE + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        _stream(content),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
        _stream(cmap),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ])


def image_only_pdf() -> bytes:
    pixels = zlib.compress(bytes([0x80] * 16 * 16))
    return _pdf(_PAGE_TREE + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        _stream(pixels, b"/Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                        b"/BitsPerComponent 8 /Filter /FlateDecode "),
        _stream(b"q 200 0 0 200 100 500 cm /Im1 Do Q"),
    ])


def _wrap(lines: list[str], width: int = 20) -> list[str]:
    """Hard-wrap every line at ``width`` characters, as a PDF's text layer comes out."""
    return [line[i:i + width] for line in lines for i in range(0, len(line), width)]


def test_text_layer_pdf_with_wrapped_lines(tmp_path):
    plan = list(PLAN)
    plan[7] = ("1.加强行政保护。开展专项执法行动，重点查处假冒专利、商标侵权违法行为，加强跨区域执法协作。"
               "（责任单位：市市场监管局、市公安局）")
    lines = _wrap(plan[:8]) + ["— 2 —"] + _wrap(plan[8:])
    path = tmp_path / "plan.pdf"
    path.write_bytes(text_layer_pdf(lines))
    text = read_text(path)
    assert text.split("\n") == plan
    result = parse_file(path)
    check_plan(result)
    start, end = result["tasks"][0]["source_span"]
    assert text[start:end] == plan[7]


def test_scanned_pdf_is_refused(tmp_path):
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(image_only_pdf())
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert str(info.value) == "扫描件.pdf 是扫描件（没有文字层），暂不支持 OCR，请提供文字版 PDF、Word 或 TXT 文件"


def test_empty_files_are_refused(tmp_path):
    for name, data in [("空.txt", b""), ("空白.txt", " \r\n\u3000\n".encode()), ("empty.pdf", _pdf(_PAGE_TREE + [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]))]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ParseError) as info:
            parse_file(path)
        assert str(info.value) == f"文件 {name} 没有文字内容"


def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(ParseError) as info:
        read_text(tmp_path / "missing.txt")
    assert str(info.value).startswith("无法读取文件 missing.txt：")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ParseError, match=r"^无法读取文件 broken\.docx："):
        parse_file(broken)
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(ParseError, match=r"^无法读取文件 old\.doc：暂不支持旧版 Word"):
        parse_file(old)
    sheet = tmp_path / "指标.xlsx"
    sheet.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(ParseError, match=r"^无法读取文件 指标\.xlsx：不支持的文件类型 \.xlsx"):
        parse_file(sheet)
    bad_pdf = tmp_path / "bad.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(ParseError, match=r"bad\.pdf"):
        parse_file(bad_pdf)


def test_display_name_in_messages(tmp_path):
    path = tmp_path / "upload-1234.tmp"
    path.write_bytes(b"")
    with pytest.raises(ParseError) as info:
        parse_file(path, name="朝阳市方案.txt")
    assert str(info.value) == "文件 朝阳市方案.txt 没有文字内容"
    assert info.value.name == "朝阳市方案.txt"
