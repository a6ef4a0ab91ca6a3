"""Reading .txt/.docx/.pdf files into one normalised text, and the line model the rules work on.

Normalisation keeps the text recognisable (the review screen shows it beside the extraction) and is
idempotent, so offsets computed by ``parse_text(read_text(path))`` index into ``read_text(path)``:

* line breaks become ``\\n``; zero-width characters, BOMs and control characters are dropped;
* every other whitespace character (NBSP, U+3000, en/em spaces, tabs) becomes an ASCII space;
* full-width digits and Latin letters become ASCII (``２０２２`` → ``2022``);
* trailing spaces are removed from every line.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ParseError

_DROP = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\ufffe"), None)
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]")
_TRAILING = re.compile(r" +$", re.M)
_FULLWIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def normalize(text: str) -> str:
    """Return the normalised form of ``text`` (idempotent)."""
    text = _NEWLINES.sub("\n", text).translate(_DROP)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text).translate(_FULLWIDTH)
    return _TRAILING.sub("", text)


@dataclass(frozen=True)
class Line:
    """One line of the normalised text: ``text == source[start:end]`` (no newline)."""

    index: int
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def content_start(self) -> int:
        """Offset of the first non-space character (``end`` for a blank line)."""
        return self.start + (len(self.text) - len(self.text.lstrip())) if self.text.strip() else self.end


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for i, chunk in enumerate(text.split("\n")):
        lines.append(Line(i, pos, pos + len(chunk), chunk))
        pos += len(chunk) + 1
    return lines


# --------------------------------------------------------------------------- file readers

def read_text(path, name: str | None = None) -> str:
    """Read a .txt, .docx or text-layer .pdf file and return its normalised text.

    ``name`` is how the file is called in error messages (default: the file name).
    Raises ParseError (Chinese message naming the file) when there is no usable text.
    """
    path = Path(path)
    name = name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError.unreadable(name, exc.strerror or str(exc)) from exc
    if not data.strip():
        raise ParseError.empty(name)
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        raw = _read_pdf(path, name)
    elif suffix == ".docx" or data.startswith(b"PK") and suffix in {"", ".tmp", ".upload"}:
        raw = _read_docx(path, name)
    elif data.startswith(b"\xd0\xcf\x11\xe0") or suffix in {".doc", ".wps"}:
        raise ParseError.unreadable(name, "暂不支持旧版 Word（.doc/.wps）格式，请另存为 .docx、PDF 或 TXT 后上传")
    elif suffix in {"", ".txt", ".text", ".md"} or not data.startswith(b"PK") and _looks_like_text(data):
        raw = _decode(data, name)
    else:
        raise ParseError.unreadable(name, f"不支持的文件类型 {suffix}，请提供 PDF、Word（.docx）或 TXT 文件")
    text = normalize(raw).rstrip()
    if not text.strip():
        raise ParseError.empty(name)
    return text


def _looks_like_text(data: bytes) -> bool:
    return b"\x00" not in data[:4096] or data[:2] in (b"\xff\xfe", b"\xfe\xff")


def _decode(data: bytes, name: str) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError.unreadable(name, "文字编码无法识别（请保存为 UTF-8 或 GB18030 编码）")


def _read_docx(path: Path, name: str) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ParseError.unreadable(name, "不是有效的 Word（.docx）文件") from exc
    except Exception as exc:  # python-docx raises assorted errors on damaged packages
        raise ParseError.unreadable(name, f"Word 文件已损坏（{type(exc).__name__}）") from exc
    out: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            out.extend(_docx_table_rows(Table(child, document)))
    return "\n".join(out)


def _docx_table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # horizontally merged cells repeat
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        rows.append(" | ".join(cells) + " |")
    return rows


def _read_pdf(path: Path, name: str) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = list(reader.pages)
    except Exception as exc:  # pypdf raises many types on damaged files
        raise ParseError.unreadable(name, f"PDF 文件无法打开（{type(exc).__name__}）") from exc
    texts, has_images = [], False
    for page in pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception:
            texts.append("")
        has_images = has_images or _page_has_images(page)
    visible = sum(len("".join(t.split())) for t in texts)
    if visible < 5 * max(1, len(pages)) and visible < 40:
        if has_images:
            raise ParseError.scanned(name)
        raise ParseError.empty(name)
    return reflow_pdf_lines("\n".join(texts))


def _page_has_images(page) -> bool:
    try:
        resources = page.get("/Resources") or {}
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        xobjects = resources.get("/XObject") or {}
        xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
        return any(xobjects[key].get_object().get("/Subtype") == "/Image" for key in xobjects)
    except Exception:
        return False


_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)\s*$")
_SENTENCE_END = tuple("。！？；：:;!?）)」”》】")
_LINE_START_FORBIDDEN = tuple("，。、；：？！）》」”,.;:?!)")
_NOTE_START = re.compile(r"^[（(]\s*(?:责任单位|责任部门|牵头单位|牵头部门|主责单位|配合单位)")
_TITLE_LIKE = re.compile(r"(?:方案|规划|意见|办法|通知|计划|纲要|细则|要点|措施)$")


def _continues(previous: str, line: str, full: int, match_heading) -> bool:
    if line.startswith(_LINE_START_FORBIDDEN) or _NOTE_START.match(line):
        return True  # Chinese typesetting never starts a line with these; a note belongs to its task
    return (
        len(previous.strip()) >= full * 0.85
        and not previous.endswith(_SENTENCE_END)
        and not _TITLE_LIKE.search(previous)
        and match_heading(line) is None
        and not line.startswith(("——", "|"))
    )


def reflow_pdf_lines(text: str) -> str:
    """Undo the hard line wrapping of PDF text: join a full-width line with the next one.

    A line is a wrapped continuation when it is about as long as the page's typical full line, does not
    end a sentence, and the next line does not start a heading.
    """
    from .headings import match_heading  # local import: headings does not depend on this module

    lines = [line.rstrip() for line in normalize(text).split("\n") if not _PAGE_NUMBER.match(line)]
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return ""
    full = lengths[int(0.9 * (len(lengths) - 1))]
    if full < 12:
        return "\n".join(lines)
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and line.strip() and _continues(out[-1], line.strip(), full, match_heading):
            out[-1] += line.strip()
        else:
            out.append(line)
    return "\n".join(out)
