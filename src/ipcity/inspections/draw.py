"""The random draw of 双随机、一公开, made so that anyone can replay it from the published record.

A draw runs on frozen pools: the objects (enterprises, agencies, markets, online shops) and the inspectors (officers
with enforcement credentials), each an id plus the attributes the draw published, and the recusal pairs (an
inspector who may not inspect an object). Eligibility and recusal are applied before the draw, by whoever builds the
pools; the draw itself only refuses an object that has fewer eligible inspectors than it needs.

1. `commitment(record)`: SHA-256 over the canonical JSON of the pools, the recusal pairs and the draw's parameters —
   published (and put in the evidence log) before the value the seed depends on is known.
2. `derive_seed(commitment, announced, revealed)`: SHA-256 over a domain tag, the commitment and a value announced
   after it (a published lottery result entered by staff), and — in secret mode — a secret whose hash was committed
   before and which is revealed after (`check_reveal`). A record made since the fix of the "value chosen after the
   commitment" defect commits its random beacon up front (`beacon`: lottery, period, expected draw time) and its
   `announced` must be `announcement(beacon, number)` — the committed lottery and period, nothing else; in secret mode
   it also commits who holds the secret (`secret_holder`) and the seed takes both the beacon and the revealed secret
   (`revealed`), so neither the office nor the secret's holder knows the selection before the beacon is drawn. Older
   records (no `beacon`, the secret alone as `announced`) keep their commitment byte for byte and replay as before.
3. A deterministic byte stream (SHA-256 of seed ‖ counter) drives the selection; `uniform_below` draws an integer
   below n by rejection (no modulo bias); objects are chosen by a partial Fisher–Yates shuffle (of each stratum in
   turn when the record has `strata`: {"by": attribute, "counts": {value: n}}, e.g. per credit class), then each chosen
   object gets `per_object` inspectors among those not recused, preferring the least loaded so far (work spread
   evenly), at random among equals.

`replay(record)` recomputes the commitment and the selection from a published record and raises ReplayMismatch when
either differs. Pure Python (hashlib, json): the replay needs nothing of the platform.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from ipcity.evidence.standalone import canonical

__all__ = ["DrawError", "ReplayMismatch", "canonical", "commitment", "derive_seed", "check_reveal", "Stream",
           "uniform_below", "run_draw", "replay", "announcement", "check_announced", "VERSION"]

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
    if record.get("beacon"):  # only when present, so records made before beacons keep their commitment
        beacon = record["beacon"]
        part["beacon"] = {"source": str(beacon["source"]), "period": str(beacon["period"]),
                          "expected_at": str(beacon["expected_at"])}
    if record.get("secret_holder"):  # likewise
        part["secret_holder"] = str(record["secret_holder"])
    return part


def announcement(beacon: dict, number: str) -> str:
    """The seed input of a beacon draw: the committed lottery and period and the number it drew."""
    return f"{beacon['source']} 第{beacon['period']}期 {number.strip()}"


def check_announced(beacon: dict, announced: str) -> None:
    """`announced` must be the committed lottery's result for the committed period (a number after the prefix)."""
    prefix = announcement(beacon, "")
    if not announced.startswith(prefix) or not announced[len(prefix):].strip():
        raise DrawError(f"开奖结果应为事先公布的「{beacon['source']}」第 {beacon['period']} 期的开奖号码"
                        f"（记录为「{announced}」）")


def commitment(record: dict) -> str:
    """SHA-256 (hex) of the canonical pools and parameters."""
    return hashlib.sha256(canonical(_committed_part(record))).hexdigest()


def derive_seed(commitment_hex: str, announced: str, revealed: str = "") -> bytes:
    if not announced:
        raise DrawError("请填写开奖结果或揭示的随机数")
    data = _SEED_TAG + commitment_hex.encode() + b"\x00" + announced.encode("utf-8")
    if revealed:  # secret mode with a beacon: both go into the seed
        data += b"\x00" + revealed.encode("utf-8")
    return hashlib.sha256(data).digest()


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


def run_draw(record: dict, announced: str, revealed: str = "") -> dict:
    """Draw `count` objects and `per_object` inspectors for each. -> the record completed with commitment, announced
    value (and revealed secret) and selection [{"object": id, "inspectors": [ids]}], in draw order."""
    part = _committed_part(record)
    objects = _ids(part["objects"], "检查对象名录")
    inspectors = _ids(part["inspectors"], "执法检查人员名录")
    count, per_object = part["count"], part["per_object"]
    if per_object < 2:
        raise DrawError("每个检查对象至少需要 2 名执法检查人员")
    if not 0 < count <= len(objects):
        raise DrawError(f"抽取数量应在 1 至 {len(objects)} 之间")
    if "beacon" in part:
        check_announced(part["beacon"], announced)
    if part["secret_hash"]:
        check_reveal(revealed if "beacon" in part else announced, part["secret_hash"])
    elif revealed:
        raise DrawError("该抽取未事先提交随机数摘要，不应揭示随机数")
    committed = commitment(record)
    stream = Stream(derive_seed(committed, announced, revealed if "beacon" in part else ""))
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
    done = {**part, "commitment": committed, "announced": announced, "selection": selection}
    if revealed:
        done["revealed"] = revealed
    return done


def replay(published: dict) -> dict:
    """Recompute a published draw; raises ReplayMismatch where the record does not follow from its content."""
    if int(published.get("version", VERSION)) != VERSION:
        raise ReplayMismatch(f"不支持的抽查记录版本：{published.get('version')}")
    expected = commitment(published)
    if published.get("commitment") != expected:
        raise ReplayMismatch(f"名录摘要不符：记录为 {published.get('commitment')}，按记录内容计算为 {expected}")
    try:
        again = run_draw(published, published.get("announced") or "", published.get("revealed") or "")
    except DrawError as exc:
        raise ReplayMismatch(f"无法重现抽取：{exc}") from exc
    if again["selection"] != published.get("selection"):
        raise ReplayMismatch("抽取结果与按记录内容重现的结果不一致")
    meta = published.get("meta") or {}
    if "beacon" in again and meta.get("announced_at"):  # the time entered may not precede the committed one
        try:
            early = dt.datetime.fromisoformat(meta["announced_at"]) < dt.datetime.fromisoformat(
                again["beacon"]["expected_at"])
        except (TypeError, ValueError) as exc:
            raise ReplayMismatch(f"开奖时间格式无效：{exc}") from exc
        if early:
            raise ReplayMismatch(f"记录的开奖时间 {meta['announced_at']} 早于事先公布的开奖时间 "
                                 f"{again['beacon']['expected_at']}")
    # where the record says so, the evidence that fixes the commitment's time (entry number, signed checkpoint)
    if meta.get("commitment_entry") is not None:
        again["evidence"] = {"entry": meta["commitment_entry"], "checkpoint": meta.get("checkpoint") or {}}
    return again
