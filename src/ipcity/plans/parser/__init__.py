"""Plan parser: turns the text of a municipal IP plan (规划/方案/意见/要点) into structured data.

Pure Python (no Django). Public API::

    parse_file(path, name=None) -> dict   # .txt (UTF-8/GB18030/UTF-16) / .docx / text-layer .pdf
    parse_text(text) -> dict              # never raises on text; offsets index into normalize(text)
    read_text(path, name=None) -> str     # the normalised text that ``source_span`` offsets index into
    ParseError                            # str() is a Chinese message naming the file (``name`` or its file name)

The result has exactly the keys in ``KEYS``: title, issuer, doc_number, date, period, sections, indicators,
tasks, groups, warnings. How each part is decided is documented where it is done: headings.py (heading tree and
main text), tasks.py (what a task is), indicators.py, responsibility.py (责任单位), groups.py (领导小组),
meta.py (title, issuer, 发文字号, date, period), text.py (reading and normalisation), numbers.py, docnumber.py.
"""

from .errors import ParseError
from .parse import KEYS, parse_file, parse_text
from .text import normalize, read_text

__all__ = ["KEYS", "ParseError", "normalize", "parse_file", "parse_text", "read_text"]
