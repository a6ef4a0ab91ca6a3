"""A small builder for DOCX files in the official-document layout of GB/T 9704-2012 (党政机关公文格式).

    doc = OfficialDocument(title="…", author="…")
    doc.title("关于……的通报")
    doc.addressee("各责任单位：")
    doc.heading1("总体情况")          # → 一、总体情况 (黑体)
    doc.heading2("任务推进")          # → （一）任务推进 (楷体_GB2312)
    doc.paragraph("……")               # 3号仿宋_GB2312, first line indented 2 characters
    doc.table(["指标", "目标"], rows)
    doc.image(png_bytes, caption="图1 ……")  # a chart, single-spaced
    doc.attachment_note(["……"])       # 附件：1. ……
    doc.signature("某某局", date)      # 发文机关署名 + 成文日期 (2025年10月9日)
    doc.attachment("……")              # new page headed 附件 / 附件1 (3号黑体)
    data = doc.to_bytes()

Layout (domain reference §8): A4; margins top 37 mm, binding (left) 28 mm, type area 156 × 225 mm (top 2098,
left 1588, right 1474, bottom 1984 DXA); 22 lines × 28 characters: fixed 28 pt line spacing, and a character
spacing of -0.25 pt so that 28 characters of 16 pt fit the 156 mm line; page numbers "— 1 —" in 4号宋体, right
(one character in) on odd pages and left on even pages (w:evenAndOddHeaders).

Fonts: the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) are proprietary and usually not
installed on servers. They are *named* in the file (every rFonts slot, w:eastAsia included, so a Word or WPS
machine with the fonts shows the document exactly), with w:altName fall-backs in the font table; a PDF rendered
without them substitutes other glyphs: convert_to_pdf() runs LibreOffice with a private fontconfig file mapping
each official font to a Noto CJK SC face (PDF_FONT_SUBSTITUTES, from fonts-noto-cjk) so the PDF keeps serif body
text and sans headings. FONT_NOTE says so for screens that offer these downloads.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

# Page geometry in twentieths of a point (DXA / twips).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838          # A4 210 × 297 mm
MARGIN_TOP, MARGIN_BOTTOM = 2098, 1984          # 37 mm; 297 - 37 - 225 = 35 mm
MARGIN_LEFT, MARGIN_RIGHT = 1588, 1474          # 28 mm binding side; 210 - 28 - 156 = 26 mm
FOOTER_DISTANCE = Mm(24)                        # puts the "— 1 —" dashes about 7 mm below the type area

# Font sizes by their Chinese names (号).
SIZE_2 = Pt(22)   # 二号: title
SIZE_3 = Pt(16)   # 三号: body, headings
SIZE_4 = Pt(14)   # 四号: page numbers
SIZE_SMALL_4 = Pt(12)  # 小四: table cells

LINE_PITCH = Pt(28)            # fixed line spacing → 22 lines in the 225 mm type area
CHAR_SPACING_TWIPS = -5        # -0.25 pt per character → 28 characters in the 156 mm line
CHAR_TWIPS = 320               # one 三号 character (16 pt) in twips, for indents

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING1 = "黑体"
FONT_HEADING2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
# Fall-backs Word/WPS use when a named font is missing (w:altName in the font table).
ALT_NAMES = {FONT_TITLE: "宋体", FONT_BODY: "仿宋", FONT_HEADING2: "楷体", FONT_HEADING1: "SimHei",
             FONT_PAGE_NUMBER: "SimSun"}

FONT_NOTE = ("文件按 GB/T 9704—2012 指定方正小标宋简体、仿宋_GB2312、黑体、楷体_GB2312 等字体；"
             "本机未安装这些字体时，显示和转换的 PDF 将使用替代字体（如 Noto CJK），版式不变、字形略有差异。")

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_CHARS_PER_LINE = 20      # 2号 characters in the 156 mm line

# Rendering without the official fonts: which installed family (fonts-noto-cjk) stands in for each, handed to
# LibreOffice through a private fontconfig file by convert_to_pdf(). 楷体 has no Noto counterpart; it falls back
# to the serif face. Without this, fontconfig's generic fall-back picks a sans face (and DejaVu for digits).
PDF_FONT_SUBSTITUTES = {FONT_TITLE: ("Noto Serif CJK SC", "bold"), FONT_BODY: ("Noto Serif CJK SC", None),
                        FONT_HEADING1: ("Noto Sans CJK SC", None), FONT_HEADING2: ("Noto Serif CJK SC", None),
                        FONT_PAGE_NUMBER: ("Noto Serif CJK SC", None)}

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers)."""
    if not 0 < n < 100:
        raise ValueError(f"heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def format_date(day: dt.date) -> str:
    """成文日期 in Arabic numerals without zero padding: 2025年10月9日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _width_in_chars(text: str) -> float:
    """Width of a line in 三号 characters: ASCII (digits, Latin letters) is half width."""
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text)


_NO_LINE_START = set("，。、；：？！）》」』”’%．.,;:)")
_NO_LINE_END = set("（《「『“‘(")


def balance_title(text: str, max_chars: float = TITLE_CHARS_PER_LINE) -> list[str]:
    """Split a long title into lines of nearly equal width (the 梯形/菱形 shapes GB/T 9704 asks for), never inside
    a number or a Latin word nor between a number and its unit (2024年), never at an em dash, never putting closing
    punctuation at a line start or opening punctuation at a line end."""
    width = _width_in_chars(text)
    lines = max(1, math.ceil(width / max_chars))
    if lines == 1:
        return [text]
    target = width / lines

    def allowed(i: int) -> bool:
        before, after = text[i - 1], text[i]
        if before.isascii() and before.isalnum():
            return False  # inside a number or word, or between a number and its unit (2024年)
        if "—" in (before, after):
            return False
        return after not in _NO_LINE_START and before not in _NO_LINE_END

    candidates = [i for i in range(1, len(text)) if allowed(i)]
    if not candidates:
        return [text]
    # The first break: the allowed position whose first line is closest to the target, preferring longer.
    best = min(candidates, key=lambda i: (abs(_width_in_chars(text[:i]) - target),
                                          -_width_in_chars(text[:i])))
    head = text[:best]
    if _width_in_chars(head) > max_chars:
        return [text]
    return [head] + balance_title(text[best:], max_chars)


def _set_fonts(rpr, font: str) -> None:
    """Name the font in every rFonts slot (w:eastAsia included) and drop theme fonts, which would win."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    rfonts.set(qn("w:hint"), "eastAsia")
    _reorder(rpr, _RPR_ORDER)


def _set_run_font(run, font: str, size=None, bold: bool | None = None) -> None:
    _set_fonts(run._r.get_or_add_rPr(), font)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _indent(paragraph, *, first_chars: float = 0, left_chars: float = 0, right_chars: float = 0) -> None:
    """Indents in characters (w:*Chars, what Word shows as 字符) with the twips equivalent for other readers."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for name, chars in (("left", left_chars), ("right", right_chars), ("firstLine", first_chars)):
        ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
        ind.set(qn(f"w:{name}"), str(round(chars * CHAR_TWIPS)))
    # pPr children have a schema order; python-docx keeps it when it inserts, we re-place w:ind ourselves.
    _reorder_ppr(ppr)


_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"]


_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
              "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
              "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


def _reorder(element, order: list[str]) -> None:
    """Put the children of a pPr/rPr back in schema order (Word rejects files with them out of order)."""
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    for child in sorted(element, key=lambda el: rank.get(el.tag, len(rank))):
        element.append(child)


def _reorder_ppr(ppr) -> None:
    _reorder(ppr, _PPR_ORDER)


def _page_number_field(paragraph, font: str, size) -> None:
    """"— N —": a PAGE field between em dashes (一字线), one space either side of the number."""
    def run(text: str | None = None):
        r = paragraph.add_run(text)
        _set_run_font(r, font, size)
        return r

    run("— ")
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run()._r.append(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run()._r.append(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run()._r.append(separate)
    run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run()._r.append(end)
    run(" —")


class OfficialDocument:
    """One official-layout document. Methods append in reading order; `to_bytes()` returns the DOCX."""

    def __init__(self, *, title: str = "", author: str = "", subject: str = "") -> None:
        self.document = Document()
        self._heading1 = 0
        self._heading2 = 0
        self._attachments = 0
        self._setup_page()
        self._setup_styles()
        self._setup_fonts_table()
        self._setup_footers()
        props = self.document.core_properties
        props.title, props.author, props.subject = title, author, subject
        props.language = "zh-CN"
        props.comments = FONT_NOTE
        # python-docx's template starts with one empty paragraph-less body; nothing to remove.

    # -- setup ---------------------------------------------------------------------------------------------
    def _setup_page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
        section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
        section.gutter = Twips(0)
        section.header_distance = Mm(15)
        section.footer_distance = FOOTER_DISTANCE
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))

    def _setup_styles(self) -> None:
        styles = self.document.styles
        # Document defaults: the body font everywhere, Chinese language, no spacing after paragraphs.
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr, FONT_BODY)
        lang = rpr.find(qn("w:lang"))
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        for tag in ("w:sz", "w:szCs"):
            rpr.find(qn(tag)).set(qn("w:val"), str(int(SIZE_3.pt * 2)))
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")

        normal = styles["Normal"]
        self._style_font(normal, FONT_BODY, SIZE_3)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.widow_control = False

        self.style_body = normal
        self.style_title = self._paragraph_style("GB Title", "公文标题", FONT_TITLE, SIZE_2,
                                                 WD_ALIGN_PARAGRAPH.CENTER)
        self.style_heading1 = self._paragraph_style("GB Heading 1", "公文一级标题", FONT_HEADING1, SIZE_3,
                                                    WD_ALIGN_PARAGRAPH.JUSTIFY, outline=0)
        self.style_heading2 = self._paragraph_style("GB Heading 2", "公文二级标题", FONT_HEADING2, SIZE_3,
                                                    WD_ALIGN_PARAGRAPH.JUSTIFY, outline=1)
        self.style_table = self._paragraph_style("GB Table Text", "公文表格文字", FONT_BODY, SIZE_SMALL_4,
                                                 WD_ALIGN_PARAGRAPH.LEFT)
        table_fmt = self.style_table.paragraph_format
        table_fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        table_fmt.space_before = table_fmt.space_after = Pt(2)
        footer = styles["Footer"]
        self._style_font(footer, FONT_PAGE_NUMBER, SIZE_4)
        footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    def _style_font(self, style, font: str, size) -> None:
        _set_fonts(style.element.get_or_add_rPr(), font)
        style.font.size = size
        style.font.bold = False
        rpr = style.element.get_or_add_rPr()
        spacing = rpr.find(qn("w:spacing"))
        if spacing is None:
            spacing = OxmlElement("w:spacing")
            rpr.append(spacing)
        spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
        _reorder(rpr, _RPR_ORDER)

    def _paragraph_style(self, style_id: str, name: str, font: str, size, alignment, outline: int | None = None):
        from docx.enum.style import WD_STYLE_TYPE

        style = self.document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id.replace(" ", ""))
        style.base_style = self.document.styles["Normal"]
        style.quick_style = True
        self._style_font(style, font, size)
        style.paragraph_format.alignment = alignment
        if outline is not None:
            ppr = style.element.get_or_add_pPr()
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            ppr.append(level)
            _reorder_ppr(ppr)
        return style

    def _setup_fonts_table(self) -> None:
        """Declare the official fonts (charset GB2312) with their fall-backs in word/fontTable.xml."""
        part = self.document.part
        font_part = None
        for rel in part.rels.values():
            if rel.reltype.endswith("/fontTable"):
                font_part = rel.target_part
        if font_part is None:
            return
        from lxml import etree

        root = etree.fromstring(font_part.blob)
        present = {el.get(qn("w:name")) for el in root.findall(qn("w:font"))}
        for name, alt in ALT_NAMES.items():
            if name in present:
                continue
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            alt_el = etree.SubElement(font, qn("w:altName"))
            alt_el.set(qn("w:val"), alt)
            charset = etree.SubElement(font, qn("w:charset"))
            charset.set(qn("w:val"), "86")  # GB2312
            family = etree.SubElement(font, qn("w:family"))
            family.set(qn("w:val"), "modern" if name == FONT_HEADING1 else "roman")
            pitch = etree.SubElement(font, qn("w:pitch"))
            pitch.set(qn("w:val"), "variable")
        font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _setup_footers(self) -> None:
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                    (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.style = self.document.styles["Footer"]
            paragraph.alignment = align
            _indent(paragraph, **{f"{side}_chars": 1})
            # The indent of the page number is one 4号 character, not one 3号 character.
            ind = paragraph._p.pPr.find(qn("w:ind"))
            ind.set(qn(f"w:{side}"), str(int(SIZE_4.pt * 20)))
            _page_number_field(paragraph, FONT_PAGE_NUMBER, SIZE_4)
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False

    # -- content -------------------------------------------------------------------------------------------
    def _add(self, text: str, style, *, first_chars: float = 0, left_chars: float = 0, right_chars: float = 0,
             alignment=None):
        paragraph = self.document.add_paragraph(style=style)
        if text:
            paragraph.add_run(text)
        if first_chars or left_chars or right_chars:
            _indent(paragraph, first_chars=first_chars, left_chars=left_chars, right_chars=right_chars)
        if alignment is not None:
            paragraph.alignment = alignment
        return paragraph

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self._add("", self.style_body)

    def title(self, text: str) -> None:
        """公文标题 in 2号方正小标宋简体, centred, followed by one empty line. A title longer than a line is
        broken into balanced lines (see balance_title) with line breaks inside the one paragraph."""
        paragraph = self._add("", self.style_title)
        for i, line in enumerate(balance_title(text)):
            run = paragraph.add_run(line)
            if i:
                run._r.insert(0, OxmlElement("w:br"))
        self.blank()

    def addressee(self, text: str) -> None:
        """主送机关: flush left, ending with a full-width colon."""
        self._add(text if text.endswith("：") else text + "：", self.style_body)

    def heading1(self, text: str, *, numbered: bool = True) -> None:
        """一级标题 "一、……" in 黑体 (numbered automatically; restarts the （一） numbering)."""
        self._heading1 += 1
        self._heading2 = 0
        label = f"{chinese_number(self._heading1)}、" if numbered else ""
        self._add(label + text, self.style_heading1, first_chars=2)

    def heading2(self, text: str, *, numbered: bool = True) -> None:
        """二级标题 "（一）……" in 楷体_GB2312."""
        self._heading2 += 1
        label = f"（{chinese_number(self._heading2)}）" if numbered else ""
        self._add(label + text, self.style_heading2, first_chars=2)

    def paragraph(self, text: str, *, indent: bool = True) -> None:
        """正文 paragraph: 3号仿宋_GB2312, justified, first line indented 2 characters."""
        self._add(text, self.style_body, first_chars=2 if indent else 0)

    def image(self, png: bytes, *, width_mm: float = 150, caption: str = "") -> None:
        """A picture (a chart) centred in the type area, single-spaced so the fixed 28 pt body pitch does not clip it,
        with an optional caption below in the body font."""
        paragraph = self._add("", self.style_body)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
        if caption:
            note = self._add(caption, self.style_body)
            note.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table(self, headers: Sequence[str], rows: Sequence[Sequence], *, widths_mm: Sequence[float] | None = None,
              font_size=SIZE_SMALL_4, align: Sequence[str] | None = None) -> None:
        """A bordered table the width of the type area; header row in 黑体, repeated on every page.
        `align` per column: "left", "center" or "right" (default left for text)."""
        columns = len(headers)
        if widths_mm is None:
            widths_mm = [156 / columns] * columns
        scale = 156 / sum(widths_mm)
        widths = [Mm(w * scale) for w in widths_mm]
        table = self.document.add_table(rows=1, cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        alignments = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                      "right": WD_ALIGN_PARAGRAPH.RIGHT}
        col_align = [alignments[a] for a in (align or ["left"] * columns)]

        def fill(cells, values, header: bool) -> None:
            for i, (cell, value) in enumerate(zip(cells, values)):
                cell.width = widths[i]
                paragraph = cell.paragraphs[0]
                paragraph.style = self.style_table
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else col_align[i]
                run = paragraph.add_run("" if value is None else str(value))
                _set_run_font(run, FONT_HEADING1 if header else FONT_BODY, font_size)

        fill(table.rows[0].cells, headers, True)
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for values in rows:
            fill(table.add_row().cells, values, False)
        for i, column in enumerate(table.columns):
            column.width = widths[i]

    def attachment_note(self, names: Sequence[str]) -> None:
        """附件说明: after one empty line, "附件：名称" indented 2 characters; several attachments are numbered
        "附件：1. ……" with the following lines aligned under the first name."""
        if not names:
            return
        self.blank()
        if len(names) == 1:
            self._add(f"附件：{names[0]}", self.style_body, first_chars=2)
            return
        for i, name in enumerate(names, start=1):
            if i == 1:
                self._add(f"附件：{i}. {name}", self.style_body, first_chars=2)
            else:
                self._add(f"{i}. {name}", self.style_body, left_chars=5)

    def signature(self, issuer: str, day: dt.date) -> None:
        """发文机关署名 and 成文日期 of a document without a seal: after one empty line, the issuer right-aligned
        two characters in, the date on the next line starting two characters to the right of the issuer's first
        character; a date longer than that moves the issuer left so the date keeps two characters in."""
        date_text = format_date(day)
        issuer_w, date_w = _width_in_chars(issuer), _width_in_chars(date_text)
        if issuer_w - date_w >= 2:
            issuer_right, date_right = 2.0, issuer_w - date_w
        else:
            date_right, issuer_right = 2.0, 4 + date_w - issuer_w
        self.blank()
        for text, right in ((issuer, issuer_right), (date_text, date_right)):
            paragraph = self._add(text, self.style_body, right_chars=right, alignment=WD_ALIGN_PARAGRAPH.RIGHT)
            # No extra space between Chinese and digits here: the offsets above count digits as half width.
            ppr = paragraph._p.get_or_add_pPr()
            for name in ("autoSpaceDE", "autoSpaceDN"):
                flag = OxmlElement(f"w:{name}")
                flag.set(qn("w:val"), "0")
                ppr.append(flag)
            _reorder_ppr(ppr)

    def attachment(self, title: str, *, number: int | None = None) -> None:
        """Start an attachment on a new page: "附件" / "附件N" in 3号黑体 flush left, then its title."""
        paragraph = self.document.add_paragraph(style=self.style_heading1)
        paragraph.paragraph_format.page_break_before = True
        paragraph.add_run("附件" if number is None else f"附件{number}")
        self.blank()
        self._add(title, self.style_title)
        self.blank()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _fontconfig(directory: Path) -> Path:
    """A fontconfig file: the system configuration plus the PDF_FONT_SUBSTITUTES aliases."""
    rules = []
    for family, (substitute, weight) in PDF_FONT_SUBSTITUTES.items():
        edit_weight = f'<edit name="weight" mode="assign"><const>{weight}</const></edit>' if weight else ""
        rules.append(f'<match target="pattern"><test name="family"><string>{family}</string></test>'
                     f'<edit name="family" mode="prepend" binding="strong"><string>{substitute}</string></edit>'
                     f"{edit_weight}</match>")
    path = directory / "fonts.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' + "\n".join(rules)
                    + "\n</fontconfig>\n", encoding="utf-8")
    return path


def soffice() -> str | None:
    """The LibreOffice executable, or None (Debian: apt-get install libreoffice-writer-nogui)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: bytes, *, timeout: float = 120, workdir: Path | None = None) -> bytes:
    """Render a DOCX to PDF with LibreOffice (headless, a private profile so parallel runs do not clash, and the
    font substitutions above). Raises FileNotFoundError without LibreOffice, RuntimeError if it fails."""
    executable = soffice()
    if executable is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="gbt9704-", dir=workdir) as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "document.docx"
        source.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(tmp_path)), "HOME": str(tmp_path)}
        command = [executable, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), str(source)]
        completed = subprocess.run(command, env=env, capture_output=True, timeout=timeout, check=False)
        target = tmp_path / "out" / "document.pdf"
        if completed.returncode != 0 or not target.exists():
            raise RuntimeError(f"LibreOffice could not convert the document (exit {completed.returncode}): "
                               f"{completed.stderr.decode(errors='replace')[-500:]}")
        return target.read_bytes()
