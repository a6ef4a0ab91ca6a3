"""The random draw of 双随机、一公开, made so that anyone can replay it from the published record.

A draw runs on frozen pools: the objects (enterprises, agencies, markets, online shops) and the inspectors (officers
with enforcement credentials), each an id plus the attributes the draw published, and the recusal pairs (an
inspector who may not inspect an object). Eligibility and recusal are applied before the draw, by whoever builds the
pools; the draw itself only refuses an object that has fewer eligible inspectors than it needs.

1. `commitment(record)`: SHA-256 over the canonical JSON of the pools, the recusal pairs and the draw's parameters —
   published (and put in the evidence log) before the value the seed depends on is known.
2. `derive_seed(commitment, announced)`: SHA-256 over a domain tag, the commitment and a value announced after it
   (a published lottery result entered by staff), or a secret whose hash was committed before and which is revealed
   after (`check_reveal`).
3. A deterministic byte stream (SHA-256 of seed ‖ counter) drives the selection; `uniform_below` draws an integer
   below n by rejection (no modulo bias); objects are chosen by a partial Fisher–Yates shuffle (of each stratum in
   turn when the record has `strata`: {"by": attribute, "counts": {value: n}}, e.g. per credit class), then each chosen
   object gets `per_object` inspectors among those not recused, preferring the least loaded so far (work spread
   evenly), at random among equals.

`replay(record)` recomputes the commitment and the selection from a published record and raises ReplayMismatch when
either differs. Pure Python (hashlib, json): the replay needs nothing of the platform.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from ipcity.evidence.standalone import canonical

__all__ = ["DrawError", "ReplayMismatch", "canonical", "commitment", "derive_seed", "check_reveal", "Stream",
           "uniform_below", "run_draw", "replay", "VERSION"]

VERSION = 1
_SEED_TAG = b"ipcity/inspections/draw/v1\x00"


class DrawError(ValueError):
    """A draw that cannot be made as asked (message in Chinese, for the user)."""


class ReplayMismatch(ValueError):
    """A published record whose commitment or selection does not follow from its own content."""


def _ids(items: Iterable[dict], what: str) -> list[str]:
    ids = [str(item["id"]) for item in items]
    if len(set(ids)) != len(ids):
        raise DrawError(f"{what}中有重复的编号")
    return ids


def _committed_part(record: dict) -> dict:
    """What the commitment covers: the pools sorted by id, the recusal pairs sorted, the parameters (and, for a
    stratified draw, the attribute it stratifies by and the count per stratum)."""
    part = {
        "version": record.get("version", VERSION),
        "objects": sorted(record["objects"], key=lambda o: str(o["id"])),
        "inspectors": sorted(record["inspectors"], key=lambda i: str(i["id"])),
        "recusals": sorted([str(a), str(b)] for a, b in record.get("recusals", [])),
        "count": int(record["count"]),
        "per_object": int(record.get("per_object", 2)),
        "secret_hash": record.get("secret_hash") or "",
    }
    if record.get("strata"):  # only when stratified, so unstratified records keep their commitment
        strata = record["strata"]
        part["strata"] = {"by": str(strata["by"]),
                          "counts": {str(k): int(v) for k, v in sorted(strata["counts"].items())}}
    return part


def commitment(record: dict) -> str:
    """SHA-256 (hex) of the canonical pools and parameters."""
    return hashlib.sha256(canonical(_committed_part(record))).hexdigest()


def derive_seed(commitment_hex: str, announced: str) -> bytes:
    if not announced:
        raise DrawError("请填写开奖结果或揭示的随机数")
    return hashlib.sha256(_SEED_TAG + commitment_hex.encode() + b"\x00" + announced.encode("utf-8")).digest()


def check_reveal(secret: str, secret_hash: str) -> None:
    """A revealed secret must be the one whose hash was committed."""
    if hashlib.sha256(secret.encode("utf-8")).hexdigest() != secret_hash:
        raise DrawError("揭示的随机数与事先公布的摘要不符")


class Stream:
    """Deterministic random bytes: SHA-256(seed ‖ counter), counter from 0, 8 bytes big-endian."""

    def __init__(self, seed: bytes):
        self.seed = seed
        self.counter = 0
        self.buffer = b""

    def read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self.buffer += hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out


def uniform_below(stream: Stream, n: int) -> int:
    """An integer in [0, n), every value equally likely: draw k bytes, reject values at or above the largest
    multiple of n that fits (at most half the draws are rejected)."""
    if n <= 0:
        raise ValueError("n must be positive")
    if n == 1:
        return 0
    k = (n.bit_length() + 7) // 8 + 1  # one byte more than needed keeps rejections rare
    span = 1 << (8 * k)
    limit = span - span % n
    while True:
        value = int.from_bytes(stream.read(k), "big")
        if value < limit:
            return value % n


def _shuffle_prefix(stream: Stream, pool: list[str], count: int) -> list[str]:
    """The first `count` items of a partial Fisher–Yates shuffle of `pool` (sorted by id)."""
    for i in range(count):
        j = i + uniform_below(stream, len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]


def run_draw(record: dict, announced: str) -> dict:
    """Draw `count` objects and `per_object` inspectors for each. -> the record completed with commitment, announced
    value and selection [{"object": id, "inspectors": [ids]}], in draw order."""
    part = _committed_part(record)
    objects = _ids(part["objects"], "检查对象名录")
    inspectors = _ids(part["inspectors"], "执法检查人员名录")
    count, per_object = part["count"], part["per_object"]
    if per_object < 2:
        raise DrawError("每个检查对象至少需要 2 名执法检查人员")
    if not 0 < count <= len(objects):
        raise DrawError(f"抽取数量应在 1 至 {len(objects)} 之间")
    if part["secret_hash"]:
        check_reveal(announced, part["secret_hash"])
    committed = commitment(record)
    stream = Stream(derive_seed(committed, announced))
    recused = {(a, b) for a, b in part["recusals"]}
    chosen = []
    if "strata" in part:
        by, counts = part["strata"]["by"], part["strata"]["counts"]
        if sum(counts.values()) != count:
            raise DrawError("各层抽取数量之和应等于抽取数量")
        for value, wanted in counts.items():  # strata in sorted order, each pool sorted by id
            stratum = [str(o["id"]) for o in part["objects"] if str(o.get(by, "")) == value]
            if not 0 <= wanted <= len(stratum):
                raise DrawError(f"「{value}」层抽取数量应在 0 至 {len(stratum)} 之间")
            chosen += _shuffle_prefix(stream, stratum, wanted)
    else:
        chosen = _shuffle_prefix(stream, list(objects), count)
    load = {inspector: 0 for inspector in inspectors}
    selection = []
    for obj in chosen:
        eligible = [p for p in inspectors if (p, obj) not in recused]
        if len(eligible) < per_object:
            raise DrawError(f"检查对象 {obj} 回避后可选执法检查人员不足 {per_object} 名")
        team = []
        for _ in range(per_object):
            least = min(load[p] for p in eligible)
            candidates = [p for p in eligible if load[p] == least]
            pick = candidates[uniform_below(stream, len(candidates))]
            team.append(pick)
            eligible.remove(pick)
            load[pick] += 1
        selection.append({"object": obj, "inspectors": team})
    return {**part, "commitment": committed, "announced": announced, "selection": selection}


def replay(published: dict) -> dict:
    """Recompute a published draw; raises ReplayMismatch where the record does not follow from its content."""
    if int(published.get("version", VERSION)) != VERSION:
        raise ReplayMismatch(f"不支持的抽查记录版本：{published.get('version')}")
    expected = commitment(published)
    if published.get("commitment") != expected:
        raise ReplayMismatch(f"名录摘要不符：记录为 {published.get('commitment')}，按记录内容计算为 {expected}")
    try:
        again = run_draw(published, published.get("announced") or "")
    except DrawError as exc:
        raise ReplayMismatch(f"无法重现抽取：{exc}") from exc
    if again["selection"] != published.get("selection"):
        raise ReplayMismatch("抽取结果与按记录内容重现的结果不一致")
    return again
