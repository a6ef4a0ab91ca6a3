"""The fielded patent search syntax: a tokenizer and a recursive-descent parser into a small AST.

The syntax is close to what CNIPA's and incoPat's users type::

    TI=商标 AND (AB=图像识别 OR CL="特征 向量") NOT PA=华为
    IC=G06F* AND AD=[20200101 TO 20231231] AND RG=371700
    锂电池 管理 系统                      (implicit AND; a bare term searches all text fields)

Precedence: NOT > AND > OR; ``A NOT B`` means ``A AND NOT B``; a leading ``NOT A`` is allowed.
Operators and field names are case-insensitive; full-width characters (``ＡＮＤ``, ``＝``, ``（）``,
``“”``) are accepted and mapped one-to-one onto ASCII, so error positions stay positions in the
text the user typed. Errors raise :class:`QuerySyntaxError` with a Chinese message and the
0-based character position.

Semantics the index gives to the AST (see ``index.py``): a text term, quoted or not, is a phrase
of its segmented words (punctuation and spaces between words are ignored); ``IC`` is an IPC prefix;
``AD``/``PD`` take 8-digit dates or inclusive ranges with ``*`` for an open end; ``RG`` matches a
region and everything inside it; ``LS``, ``PT`` and ``AN`` match the stored value exactly.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterator, Union

__all__ = [
    "FIELDS", "TEXT_FIELDS", "QuerySyntaxError", "Term", "Range", "And", "Or", "Not", "Node",
    "parse", "to_query", "and_", "or_", "normalize", "positive_terms", "ipc_query_prefix", "region_code",
]

# Field code -> (kind, Chinese label). Kinds: text (segmented full text), ipc, date, region, keyword.
FIELDS: dict[str, tuple[str, str]] = {
    "TI": ("text", "名称"),
    "AB": ("text", "摘要"),
    "CL": ("text", "权利要求"),
    "PA": ("text", "申请人/专利权人"),
    "IN": ("text", "发明人"),
    "IC": ("ipc", "IPC分类号"),
    "AD": ("date", "申请日"),
    "PD": ("date", "公开日"),
    "LS": ("keyword", "法律状态"),
    "PT": ("keyword", "专利类型"),
    "RG": ("region", "地区代码"),
    "AN": ("keyword", "申请号"),
}
TEXT_FIELDS = tuple(code for code, (kind, _) in FIELDS.items() if kind == "text")
OPERATORS = ("AND", "OR", "NOT")
MAX_DEPTH = 40  # nested parentheses and NOTs; deeper is surely a mistake (and would exhaust the stack)

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, the ideographic space -> space, curly double quotes -> '"'.
# Every mapping is one character to one character, so positions survive normalization.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0x201C: 0x22, 0x201D: 0x22, 0x201E: 0x22, 0x201F: 0x22, 0x2033: 0x22})


def normalize(text: str) -> str:
    """Map full-width characters onto ASCII one to one (the result has the same length)."""
    return text.translate(_FULLWIDTH)


class QuerySyntaxError(ValueError):
    """A syntax error: `message` is Chinese for the user, `position` the 0-based character offset."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message}（第 {position + 1} 个字符处）")
        self.message = message
        self.position = position


# --- AST ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A value for one field, or for all text fields when `field` is None.

    `quoted` only records how the user typed it (the index treats both alike); it takes no part in
    equality. Values are normalized: IC upper-case without spaces, RG a 6-digit code.
    """
    field: str | None
    text: str
    quoted: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Range:
    """An inclusive date range over AD or PD; dates are ints yyyymmdd, None for an open end."""
    field: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: "Node"


Node = Union[Term, Range, And, Or, Not]


def and_(*children: Node) -> Node:
    """Conjunction in canonical (flattened) form."""
    flat: list = []
    for child in children:
        flat.extend(child.children if isinstance(child, And) else (child,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def or_(*children: Node) -> Node:
    """Disjunction in canonical (flattened) form."""
    flat: list = []
    for child in children:
        flat.extend(child.children if isinstance(child, Or) else (child,))
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


# --- tokenizer -----------------------------------------------------------------------------------

_SPECIAL = set('()"[]=')
_FIELD_NAME = re.compile(r"[A-Za-z]+")
_RANGE_BODY = re.compile(r"\s*(\S+)\s+(?i:TO)\s+(\S+)\s*")


@dataclass
class _Tok:
    kind: str  # LP RP OP FIELD WORD PHRASE RANGE EOF
    value: str
    pos: int
    extra: tuple = ()


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            toks.append(_Tok("LP", ch, i))
            i += 1
        elif ch == ")":
            toks.append(_Tok("RP", ch, i))
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError("引号不匹配：缺少右引号", i)
            body = text[i + 1:end]
            if not body.strip():
                raise QuerySyntaxError("引号内缺少检索词", i)
            toks.append(_Tok("PHRASE", body.strip(), i, (i + 1 + len(body) - len(body.lstrip()),)))
            i = end + 1
        elif ch == "[":
            end = text.find("]", i + 1)
            if end < 0:
                raise QuerySyntaxError("范围缺少右方括号“]”", i)
            body = text[i + 1:end]
            match = _RANGE_BODY.fullmatch(body)
            if not match:
                raise QuerySyntaxError("范围格式错误：应为 [起始日期 TO 结束日期]", i)
            toks.append(_Tok("RANGE", body, i, (match.group(1), i + 1 + match.start(1),
                                                match.group(2), i + 1 + match.start(2))))
            i = end + 1
        elif ch == "]":
            raise QuerySyntaxError("多余的右方括号“]”", i)
        elif ch == "=":
            raise QuerySyntaxError("“=”前缺少字段名", i)
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in _SPECIAL:
                i += 1
            word = text[start:i]
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] == "=":
                if not _FIELD_NAME.fullmatch(word):
                    raise QuerySyntaxError("“=”前应为字段名，如 TI=", j)
                name = word.upper()
                if name not in FIELDS:
                    raise QuerySyntaxError(f"未知字段“{word}”，可用字段：{' '.join(FIELDS)}", start)
                toks.append(_Tok("FIELD", name, start, (j + 1,)))
                i = j + 1
            elif word.isascii() and word.upper() in OPERATORS:
                toks.append(_Tok("OP", word.upper(), start))
            else:
                toks.append(_Tok("WORD", word, start))
    toks.append(_Tok("EOF", "", n))
    return toks


# --- parser --------------------------------------------------------------------------------------

_IPC = re.compile(r"[A-H]([0-9]{2}([A-Z]([0-9]{1,4}(/[0-9]{1,6})?)?)?)?")
_IPC_STAR = re.compile(r"[A-H]([0-9]{1,2}([A-Z]([0-9]{1,4}(/[0-9]{0,6})?)?)?)?")
_DATE = re.compile(r"[0-9]{8}")
_REGION = re.compile(r"[0-9]{2}|[0-9]{4}|[0-9]{6}")


def region_code(value: str) -> str | None:
    """'37' / '3717' / '371702' -> the 6-digit code, or None when the value is not a region code."""
    if not _REGION.fullmatch(value):
        return None
    return value.ljust(6, "0")


def ipc_query_prefix(value: str) -> tuple[str, bool] | None:
    """Normalize an IC value: -> (prefix, is_wildcard) or None when it is not IPC-like.

    'g06f 16/35' -> ('G06F16/35', False); 'G06F*' -> ('G06F', True).
    """
    code = "".join(value.split()).upper()
    star = code.endswith("*")
    if star:
        code = code[:-1]
        return (code, True) if code and _IPC_STAR.fullmatch(code) else None
    return (code, False) if _IPC.fullmatch(code) else None


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    def nest(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"检索式嵌套过深（括号和 NOT 最多 {MAX_DEPTH} 层）", tok.pos)

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def next(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_expr(None)
        tok = self.tok
        if tok.kind == "RP":
            raise QuerySyntaxError("括号不匹配：多余的右括号“)”", tok.pos)
        assert tok.kind == "EOF", tok
        return node

    def or_expr(self, fld: str | None) -> Node:
        children = [self.and_expr(fld)]
        while self.tok.kind == "OP" and self.tok.value == "OR":
            op = self.next()
            children.append(self.operand(fld, op))
        return or_(*children)

    def and_expr(self, fld: str | None) -> Node:
        children = [self.not_expr(fld)]
        while True:
            tok = self.tok
            if tok.kind == "OP" and tok.value == "AND":
                op = self.next()
                children.append(self.operand(fld, op, level="not"))
            elif tok.kind in ("WORD", "PHRASE", "LP", "FIELD", "RANGE") or (tok.kind == "OP" and tok.value == "NOT"):
                children.append(self.not_expr(fld))  # implicit AND
            else:
                return and_(*children)

    def not_expr(self, fld: str | None) -> Node:
        node = self.unary(fld)
        while self.tok.kind == "OP" and self.tok.value == "NOT":  # binary: A NOT B == A AND NOT B
            op = self.next()
            node = and_(node, Not(self.operand(fld, op, level="unary")))
        return node

    def operand(self, fld: str | None, op: _Tok, level: str = "and") -> Node:
        """The right-hand side of an operator, with a precise error when it is missing."""
        tok = self.tok
        if tok.kind == "EOF" or tok.kind == "RP" or (tok.kind == "OP" and tok.value in ("AND", "OR")):
            raise QuerySyntaxError(f"“{op.value}”后缺少检索词", op.pos)
        if level == "unary":
            return self.unary(fld)
        if level == "not":
            return self.not_expr(fld)
        return self.and_expr(fld)

    def unary(self, fld: str | None) -> Node:
        tok = self.tok
        if tok.kind == "OP" and tok.value == "NOT":
            op = self.next()
            self.nest(op)
            node = Not(self.operand(fld, op, level="unary"))
            self.depth -= 1
            return node
        return self.primary(fld)

    def primary(self, fld: str | None) -> Node:
        tok = self.tok
        if tok.kind == "LP":
            self.next()
            if self.tok.kind == "RP":
                raise QuerySyntaxError("括号内缺少检索词", tok.pos)
            if self.tok.kind == "EOF":
                raise QuerySyntaxError("括号不匹配：缺少右括号“)”", tok.pos)
            self.nest(tok)
            node = self.or_expr(fld)
            if self.tok.kind != "RP":
                raise QuerySyntaxError("括号不匹配：缺少右括号“)”", tok.pos)
            self.next()
            self.depth -= 1
            return node
        if tok.kind == "RP":
            raise QuerySyntaxError("括号不匹配：多余的右括号“)”", tok.pos)
        if tok.kind == "OP":  # AND / OR where an operand should start
            raise QuerySyntaxError(f"“{tok.value}”前缺少检索词", tok.pos)
        if tok.kind == "EOF":  # only reachable on an empty query
            raise QuerySyntaxError("检索式为空", 0)
        if tok.kind == "FIELD":
            self.next()
            if fld is not None:
                raise QuerySyntaxError(f"字段“{fld}”的括号内不能再指定字段“{tok.value}”", tok.pos)
            value = self.tok
            if value.kind not in ("LP", "WORD", "PHRASE", "RANGE"):
                raise QuerySyntaxError(f"字段“{tok.value}”缺少检索值", tok.extra[0])
            if value.kind == "LP":
                return self.primary(tok.value)
            return self.value(tok.value)
        return self.value(fld)

    def value(self, fld: str | None) -> Node:
        tok = self.next()
        kind = FIELDS[fld][0] if fld else "text"
        if tok.kind == "RANGE":
            if kind != "date":
                if fld is None:
                    raise QuerySyntaxError("范围检索须指定日期字段，如 AD=[20200101 TO 20231231]", tok.pos)
                raise QuerySyntaxError(f"字段“{fld}”不支持范围检索", tok.pos)
            lo_text, lo_pos, hi_text, hi_pos = tok.extra
            lo = None if lo_text == "*" else _date(lo_text, lo_pos)
            hi = None if hi_text == "*" else _date(hi_text, hi_pos)
            if lo is not None and hi is not None and lo > hi:
                raise QuerySyntaxError("日期范围的起始日期晚于结束日期", tok.pos)
            return Range(fld, lo, hi)
        text = tok.value
        pos = tok.extra[0] if tok.kind == "PHRASE" else tok.pos
        quoted = tok.kind == "PHRASE"
        if kind == "date":
            day = _date(text, pos)
            return Range(fld, day, day)
        if kind == "ipc":
            norm = ipc_query_prefix(text)
            if norm is None:
                star = text.find("*")
                if 0 <= star < len(text.rstrip()) - 1:
                    raise QuerySyntaxError("通配符“*”只能用在 IPC 分类号末尾", pos + star)
                raise QuerySyntaxError(f"IPC分类号格式错误“{text}”，应如 G06F、G06F16/35 或 G06F*", pos)
            return Term(fld, norm[0] + ("*" if norm[1] else ""), quoted)
        star = text.find("*")
        if star >= 0:
            raise QuerySyntaxError("只有 IC 字段支持通配符“*”", pos + star)
        if kind == "region":
            code = region_code(text.strip())
            if code is None:
                raise QuerySyntaxError(f"地区代码格式错误“{text}”：应为2、4或6位数字", pos)
            return Term(fld, code, quoted)
        return Term(fld, text, quoted)


def _date(text: str, pos: int) -> int:
    if not _DATE.fullmatch(text):
        raise QuerySyntaxError(f"日期格式错误“{text}”：应为8位数字，如 20200101", pos)
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise QuerySyntaxError(f"日期无效“{text}”", pos) from None
    return int(text)


def parse(text: str) -> Node:
    """Parse a query into an AST; raises QuerySyntaxError(message_zh, position).

    Positions are 0-based offsets in code points of `text` (full-width normalization keeps them).
    """
    if not isinstance(text, str):
        raise TypeError("query must be a str")
    norm = normalize(text)
    if not norm.strip():
        raise QuerySyntaxError("检索式为空", 0)
    return _Parser(norm).parse()


# --- printing ------------------------------------------------------------------------------------

def _needs_quotes(text: str) -> bool:
    return (not text or any(ch.isspace() or ch in _SPECIAL for ch in text)
            or (text.isascii() and text.upper() in OPERATORS))


def _value(node: Term) -> str:
    if node.quoted or _needs_quotes(node.text):
        return f'"{node.text}"'
    return node.text


def to_query(node: Node) -> str:
    """Print an AST in the syntax `parse` reads back (parse(to_query(ast)) == ast for canonical ASTs)."""
    if isinstance(node, Term):
        return (f"{node.field}=" if node.field else "") + _value(node)
    if isinstance(node, Range):
        if node.start is not None and node.start == node.end:
            return f"{node.field}={node.start}"
        lo = "*" if node.start is None else str(node.start)
        hi = "*" if node.end is None else str(node.end)
        return f"{node.field}=[{lo} TO {hi}]"
    if isinstance(node, Or):
        return " OR ".join(f"({to_query(c)})" if isinstance(c, Or) else to_query(c) for c in node.children)
    if isinstance(node, And):
        return " AND ".join(f"({to_query(c)})" if isinstance(c, (Or, And)) else to_query(c)
                            for c in node.children)
    if isinstance(node, Not):
        inner = to_query(node.child)
        return f"NOT ({inner})" if isinstance(node.child, (And, Or)) else f"NOT {inner}"
    raise TypeError(f"not a query node: {node!r}")


def positive_terms(node: Node, negated: bool = False) -> Iterator[Term]:
    """The terms that contribute matches (those under an odd number of NOTs are left out)."""
    if isinstance(node, Term):
        if not negated:
            yield node
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from positive_terms(child, negated)
    elif isinstance(node, Not):
        yield from positive_terms(node.child, not negated)
