"""Strategic emerging industries (战略性新兴产业, SEI) from IPC codes and text: CNIPA's 2021 concordance
(《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》), read from its JSON-lines form.

The table has rules (``sei.jsonl``: id, seiCode such as "1.5", seiName, keywords) and code → rule rows
(``ipc-sei.jsonl``: ipcCode, seiId). A rule without keywords matches on the IPC code alone; a rule with keywords
(the official table's product description) matches only when the patent's text fits them (:class:`KeywordRule`).

How a patent's codes meet the table (every code of the patent, not only the main one):

1. the code itself, then the levels it inherits from (``ipc.lineage``: subgroup → main group → subclass → class) — the
   first level the table lists decides, so a subgroup the table does not list (or that a later edition added under a
   listed main group) takes the main group's rules, and a listed subgroup is never overridden by its group. The rule
   analytics.sei_inherit = "never" reads exact codes only. (Measured against incoPat's own tags in
   docs/benchmarks.md: inheriting agrees best where the export lists every code of a patent.);
2. when no level is listed, the code's spelling in the editions before or after a move (``ipc.EDITION_MOVES``, e.g.
   G06F17/30 → G06F16, G06V → G06K9 and G06T7): the rules of every table code under that prefix.

No Django here: the platform keeps the loaded table in the database (analytics.models.SeiTable) and builds this object
from it; tests and the benchmark build it from the files.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import ipc as ipc_codes

__all__ = ["SeiRule", "SeiMatch", "SeiTable", "TableError", "parse_rules", "parse_mapping"]


class TableError(ValueError):
    """A concordance file that cannot be read: the message is Chinese, with the line number."""


# Words of the product descriptions that say nothing about the technology (kept out of keyword matching).
GENERIC_WORDS = frozenset("""
其他 其它 相关 制造 生产 服务 销售 活动 开发 建设 运营 提供 应用 专用 设备 产品 装置 系统 技术 材料 及其 以及 用于 基于 新型 新一代 高端
高性能 先进 配套 零部件 部件 配件 整机 加工 工程 管理 研究 试验 设计 推广 一体化 集成 平台 工业 行业 领域 产业 项目 用品 器件 元件 组件
""".split())
_PIECE_SPLIT = re.compile(r"[；;，,、。：:（）()\s]+|等(?:其他|其它)?|及(?=[\u4e00-\u9fff])|和(?=[\u4e00-\u9fff])|与")


@dataclass(frozen=True)
class SeiRule:
    id: int
    code: str          # "1.5"
    name: str          # "人工智能"
    keywords: str      # "" when the IPC code alone decides


@dataclass(frozen=True)
class SeiMatch:
    """Why a patent is in an industry: the patent's code, the table entry it met, the rule, and the keyword."""
    code: str
    name: str
    rule_id: int
    patent_ipc: str
    table_ipc: str
    via: str            # 精确, 继承主组, 继承小类 or the edition note
    keyword: str = ""   # the matched product term, for a keyword rule

    def reason(self) -> str:
        text = f"{self.patent_ipc} → {self.code} {self.name}，规则 {self.rule_id}"
        if self.table_ipc != self.patent_ipc:
            text += f"（按 {self.table_ipc}，{self.via}）"
        if self.keyword:
            text += f"，关键词“{self.keyword}”"
        return text


def parse_rules(lines: Iterable[str], source: str = "sei.jsonl") -> list[SeiRule]:
    rules, seen = [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rule = SeiRule(id=int(row["id"]), code=str(row["seiCode"]).strip(), name=str(row["seiName"]).strip(),
                           keywords=(row.get("keywords") or "").strip())
        except (ValueError, KeyError, TypeError) as exc:
            raise TableError(f"{source} 第 {number} 行无法读取（需要 id、seiCode、seiName、keywords）：{exc}") from exc
        if not re.fullmatch(r"[0-9]+\.[0-9]+", rule.code):
            raise TableError(f"{source} 第 {number} 行产业代码“{rule.code}”不是“1.5”这样的格式")
        if rule.id in seen:
            raise TableError(f"{source} 第 {number} 行规则编号 {rule.id} 重复")
        seen.add(rule.id)
        rules.append(rule)
    if not rules:
        raise TableError(f"{source} 中没有规则")
    return rules


def parse_mapping(lines: Iterable[str], rule_ids: set[int], source: str = "ipc-sei.jsonl") -> list[tuple[str, int]]:
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            raw, rule_id = str(row["ipcCode"]), int(row["seiId"])
        except (ValueError, KeyError, TypeError) as exc:
            raise TableError(f"{source} 第 {number} 行无法读取（需要 ipcCode、seiId）：{exc}") from exc
        code = ipc_codes.compact(raw)
        significant = re.sub(r"\s|\(.*", "", raw)  # without spaces and an edition suffix "(2006.01)"
        # A code without a group must be all there is ("G06F 16" is not the subclass G06F).
        if code is None or ("/" not in code and len(significant) > len(code)):
            raise TableError(f"{source} 第 {number} 行“{raw}”不是 IPC 分类号")
        if rule_id not in rule_ids:
            raise TableError(f"{source} 第 {number} 行引用了不存在的规则 {rule_id}")
        out.append((code, rule_id))
    if not out:
        raise TableError(f"{source} 中没有分类号对应关系")
    return out


class KeywordRule:
    """Does a patent's text fit a rule's product description?

    The description lists products ("高端路由器、单槽位处理路由器等其他计算机制造；新一代移动通信基站设备…"). It is cut into
    product terms at 、；，。 and 等/及/和/与; each term keeps its significant words (dictionary words of two or more
    characters that are not GENERIC_WORDS: 路由器, 基站, 移动通信). The text fits when, for some term, all of its
    significant words occur in it, or its last significant word (the product: 路由器, 操作系统, 中间件) does and the term
    has no more than two; the first such word is the reason shown.
    """

    def __init__(self, keywords: str, segment):
        self.terms: list[tuple[str, tuple[str, ...]]] = []
        for piece in _PIECE_SPLIT.split(keywords):
            piece = piece.strip()
            if len(piece) < 2:
                continue
            words = tuple(dict.fromkeys(w for w in segment(piece) if len(w) > 1 and w not in GENERIC_WORDS
                                        and not w.isascii()))
            if words:
                self.terms.append((piece, words))

    def match(self, text: str) -> str:
        for piece, words in self.terms:
            if all(w in text for w in words):
                return piece
        for piece, words in self.terms:
            if len(words) <= 2 and words[-1] in text:
                return piece
        return ""


def _segmenter():
    from ipcity.search.segment import _rjieba

    cut = _rjieba().cut
    return lambda text: cut(text)


@dataclass
class SeiTable:
    rules: dict[int, SeiRule]
    mapping: dict[str, tuple[int, ...]]          # compact IPC code -> rule ids
    version: str = ""
    _keyword_rules: dict[int, KeywordRule] = field(default_factory=dict, repr=False)
    _prefix_cache: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict, repr=False)
    _version_key: str = field(default="", repr=False)

    @classmethod
    def from_lines(cls, rule_lines: Iterable[str], mapping_lines: Iterable[str], version: str = "") -> "SeiTable":
        rules = {r.id: r for r in parse_rules(rule_lines)}
        mapping: dict[str, list[int]] = {}
        for code, rule_id in parse_mapping(mapping_lines, set(rules)):
            ids = mapping.setdefault(code, [])
            if rule_id not in ids:
                ids.append(rule_id)
        return cls(rules=rules, mapping={c: tuple(ids) for c, ids in mapping.items()}, version=version)

    @classmethod
    def from_stored(cls, rules: list[dict], mapping: dict[str, list[int]], version: str = "") -> "SeiTable":
        """From the form analytics.models.SeiTable keeps (see :meth:`stored`)."""
        return cls(rules={int(r["id"]): SeiRule(id=int(r["id"]), code=r["seiCode"], name=r["seiName"],
                                                 keywords=r.get("keywords") or "") for r in rules},
                   mapping={code: tuple(ids) for code, ids in mapping.items()}, version=version)

    def stored(self) -> tuple[list[dict], dict[str, list[int]]]:
        """(rules, mapping) as JSON-ready values: the mapping keyed by compact IPC code."""
        rules = [{"id": r.id, "seiCode": r.code, "seiName": r.name, "keywords": r.keywords or None}
                 for r in self.rules.values()]
        return rules, {code: list(ids) for code, ids in sorted(self.mapping.items())}

    @classmethod
    def from_directory(cls, directory: str | Path, version: str = "") -> "SeiTable":
        directory = Path(directory)
        with (directory / "sei.jsonl").open(encoding="utf-8") as rules, \
                (directory / "ipc-sei.jsonl").open(encoding="utf-8") as mapping:
            return cls.from_lines(rules, mapping, version=version)

    def keyword_rule(self, rule_id: int) -> KeywordRule:
        found = self._keyword_rules.get(rule_id)
        if found is None:
            found = self._keyword_rules[rule_id] = KeywordRule(self.rules[rule_id].keywords, _segmenter())
        return found

    def _under(self, prefix: str) -> tuple[tuple[str, int], ...]:
        """(table code, rule id) for every table code that starts with `prefix` (an edition move's range)."""
        found = self._prefix_cache.get(prefix)
        if found is None:
            found = tuple((code, rule_id) for code, ids in self.mapping.items() if code.startswith(prefix)
                          for rule_id in ids)
            self._prefix_cache[prefix] = found
        return found

    def candidates(self, code: str, inherit: str = "always") -> list[tuple[str, int, str]]:
        """(table code, rule id, how) for one patent code, before any keyword test. `inherit`: "always" — a code the
        table does not list takes the rules of the nearest level above it that the table lists; "never" — exact
        codes only (edition moves still apply)."""
        for level in ipc_codes.lineage(code) if inherit == "always" else [code]:
            ids = self.mapping.get(level)
            if ids:
                how = "精确" if level == code else ("继承主组" if "/" in level else "继承上级分类")
                return [(level, rule_id, how) for rule_id in ids]
        out = []
        for prefix, note in ipc_codes.other_editions(code):
            out += [(table_code, rule_id, note) for table_code, rule_id in self._under(prefix)]
        return out

    def classify(self, ipcs: Iterable[str], text: str | None = "", inherit: str = "always") -> list[SeiMatch]:
        """Every SEI match of a patent: its codes (any spelling), its text (title, abstract, claims) for keyword rules
        — None reads the table by IPC alone (keyword rules match without a text test). One match per rule (the first
        code that reaches it), in the order of the patent's codes."""
        matches, seen_rules = [], set()
        for raw in ipcs:
            code = ipc_codes.compact(raw)
            if code is None:
                continue
            for table_code, rule_id, how in self.candidates(code, inherit):
                if rule_id in seen_rules:
                    continue
                rule = self.rules[rule_id]
                keyword = ""
                if rule.keywords and text is not None:
                    keyword = self.keyword_rule(rule_id).match(text)
                    if not keyword:
                        continue
                seen_rules.add(rule_id)
                matches.append(SeiMatch(code=rule.code, name=rule.name, rule_id=rule_id, patent_ipc=code,
                                        table_ipc=table_code, via=how, keyword=keyword))
        return matches

    @property
    def version_key(self) -> str:
        """Identifies the table's content (for derived data computed with it)."""
        if not self._version_key:
            rules, mapping = self.stored()
            self._version_key = hashlib.sha256(json.dumps([rules, mapping], sort_keys=True, ensure_ascii=False)
                                               .encode()).hexdigest()
        return self._version_key

    @staticmethod
    def codes(matches: list[SeiMatch]) -> list[str]:
        """The industry codes of the matches, once each, sorted: ['1.4', '1.5']."""
        return sorted({m.code for m in matches}, key=lambda c: tuple(int(p) for p in c.split(".")))
