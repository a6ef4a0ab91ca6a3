"""The 双随机 draw: deterministic from the published record, unbiased, recusal honoured, replayable by anyone."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from ipcity.inspections.draw import (
    DrawError,
    ReplayMismatch,
    Stream,
    commitment,
    derive_seed,
    replay,
    run_draw,
    uniform_below,
)


def record(objects=30, inspectors=8, count=10, recusals=()):
    return {"version": 1,
            "objects": [{"id": f"E{i:03d}", "name": f"企业{i}", "credit_class": "ABCD"[i % 4]} for i in range(objects)],
            "inspectors": [{"id": f"P{i:02d}", "name": f"执法员{i}"} for i in range(inspectors)],
            "recusals": [list(pair) for pair in recusals], "count": count, "per_object": 2}


def test_the_same_record_and_value_give_the_same_draw_whatever_the_order_of_the_pools():
    a = run_draw(record(), "2026-11-22 福彩3D 第2026311期 517")
    shuffled = record()
    shuffled["objects"].reverse()
    shuffled["inspectors"].reverse()
    b = run_draw(shuffled, "2026-11-22 福彩3D 第2026311期 517")
    assert a["commitment"] == b["commitment"] and a["selection"] == b["selection"]
    assert len({s["object"] for s in a["selection"]}) == 10
    assert run_draw(record(), "另一个开奖结果")["selection"] != a["selection"]


def test_every_object_gets_two_distinct_inspectors_none_recused_and_work_spreads_evenly():
    recusals = [("P00", f"E{i:03d}") for i in range(30)] + [("P01", "E005")]
    result = run_draw(record(count=12, recusals=recusals), "517")
    load = Counter()
    for item in result["selection"]:
        team = item["inspectors"]
        assert len(team) == 2 and len(set(team)) == 2
        assert "P00" not in team and (item["object"] != "E005" or "P01" not in team)
        load.update(team)
    assert sum(load.values()) == 24 and max(load.values()) - min(load.values()) <= 1


def test_refusals_in_chinese():
    with pytest.raises(DrawError, match="至少需要 2 名"):
        run_draw({**record(), "per_object": 1}, "517")
    with pytest.raises(DrawError, match="抽取数量"):
        run_draw(record(count=31), "517")
    with pytest.raises(DrawError, match="回避后可选执法检查人员不足"):
        run_draw(record(inspectors=3, count=30, recusals=[("P00", "E001"), ("P01", "E001")]), "517")
    with pytest.raises(DrawError, match="重复"):
        run_draw({**record(), "objects": record()["objects"] + record()["objects"][:1]}, "517")
    with pytest.raises(DrawError, match="开奖结果"):
        run_draw(record(), "")


def test_a_committed_secret_must_be_revealed_unchanged():
    import hashlib

    secret = "d3f1a9c0-局长办公会当场生成"
    rec = {**record(), "secret_hash": hashlib.sha256(secret.encode()).hexdigest()}
    assert run_draw(rec, secret)["selection"]
    with pytest.raises(DrawError, match="不符"):
        run_draw(rec, secret + "x")


class Scripted(Stream):
    def __init__(self, chunks):
        super().__init__(b"")
        self.chunks = list(chunks)

    def read(self, n):
        return self.chunks.pop(0).to_bytes(n, "big")


def test_uniform_below_rejects_the_biased_tail():
    # n = 3 draws 2 bytes (65,536 values); 65,535 would make 0 one value more likely than 1 and 2: it is rejected.
    assert uniform_below(Scripted([65535, 7]), 3) == 1
    assert uniform_below(Scripted([65534]), 3) == 65534 % 3
    stream = Stream(b"seed")
    counts = Counter(uniform_below(stream, 6) for _ in range(6000))
    assert set(counts) == set(range(6)) and min(counts.values()) > 850


def test_replay_reproduces_and_detects_tampering(tmp_path):
    published = run_draw(record(), "517")
    assert replay(json.loads(json.dumps(published)))["selection"] == published["selection"]
    changed_pool = {**published, "objects": published["objects"][:-1]}
    with pytest.raises(ReplayMismatch, match="名录摘要不符"):
        replay(changed_pool)
    swapped = json.loads(json.dumps(published))
    swapped["selection"][0]["inspectors"].reverse()
    with pytest.raises(ReplayMismatch, match="不一致"):
        replay(swapped)
    with pytest.raises(ReplayMismatch):
        replay({**published, "announced": "518"})
    assert commitment(published) == published["commitment"]


def test_the_replay_command_needs_only_the_record(tmp_path):
    good = tmp_path / "draw.json"
    good.write_text(json.dumps(run_draw(record(), "517"), ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "tampered.json"
    data = json.loads(good.read_text(encoding="utf-8"))
    data["selection"][0]["object"] = "E999"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "ipcity", "inspections", "replay", str(good)], capture_output=True,
                        text=True)
    assert ok.returncode == 0 and "重现成功" in ok.stdout, ok.stderr
    no = subprocess.run([sys.executable, "-m", "ipcity", "inspections", "replay", str(bad)], capture_output=True,
                        text=True)
    assert no.returncode == 1 and "不一致" in no.stderr


def test_a_stratified_draw_takes_the_committed_count_from_each_stratum():
    strata = {"by": "credit_class", "counts": {"A": 1, "B": 2, "C": 0, "D": 7}}
    rec = {**record(count=10), "strata": strata}
    result = run_draw(rec, "517")
    classes = {o["id"]: o["credit_class"] for o in rec["objects"]}
    assert Counter(classes[s["object"]] for s in result["selection"]) == {"A": 1, "B": 2, "D": 7}
    assert replay(json.loads(json.dumps(result)))["selection"] == result["selection"]
    # the strata are committed: another split of the same count is another commitment
    assert commitment(rec) != commitment({**rec, "strata": {**strata, "counts": {"A": 2, "B": 1, "C": 0, "D": 7}}})
    assert commitment(record()) == commitment({**record(), "strata": None})  # unstratified records unchanged
    with pytest.raises(DrawError, match="之和"):
        run_draw({**rec, "count": 9}, "517")
    with pytest.raises(DrawError, match="「D」层"):
        run_draw({**rec, "count": 11, "strata": {**strata, "counts": {**strata["counts"], "D": 8}}}, "517")


BEACON = {"source": "中国福利彩票3D", "period": "2026330", "expected_at": "2026-11-26T21:15+08:00"}


def test_a_committed_beacon_binds_the_announced_value_and_old_records_keep_their_commitment():
    # the commitments of records made before beacons, as computed at 6d67149: byte for byte unchanged
    assert commitment(record()) == "5905dbf05326f386b8483c4fd198863e82187797fdb65b45161897ed71ab66e4"
    assert commitment({**record(), "beacon": None, "secret_holder": ""}) == commitment(record())
    rec = {**record(), "beacon": BEACON}
    assert commitment(rec) != commitment(record())
    assert commitment({**rec, "beacon": {**BEACON, "period": "2026331"}}) != commitment(rec)
    done = run_draw(rec, "中国福利彩票3D 第2026330期 517")
    assert done["beacon"] == BEACON and replay(json.loads(json.dumps(done)))["selection"] == done["selection"]
    for other in ("中国福利彩票3D 第2026331期 517", "中国体育彩票排列3 第2026330期 517", "517",
                  "中国福利彩票3D 第2026330期 "):
        with pytest.raises(DrawError, match="事先公布"):
            run_draw(rec, other)
    # a record whose announced value is not the committed beacon's does not replay
    with pytest.raises(ReplayMismatch, match="事先公布"):
        replay({**done, "announced": "中国福利彩票3D 第2026329期 517"})
    # nor one whose recorded draw time precedes the committed one
    with pytest.raises(ReplayMismatch, match="早于"):
        replay({**done, "meta": {"announced_at": "2026-11-26T20:00:00+08:00"}})
    timed = {**done, "meta": {"announced_at": "2026-11-26T21:16:00+08:00", "commitment_entry": 7,
                              "checkpoint": {"size": 8, "root": "ab" * 32}}}
    assert replay(timed)["evidence"] == {"entry": 7, "checkpoint": {"size": 8, "root": "ab" * 32}}


def test_secret_mode_with_a_beacon_seeds_from_both_and_commits_the_holder():
    import hashlib

    secret = "公证处现场生成 7f3a"
    rec = {**record(), "beacon": BEACON, "secret_hash": hashlib.sha256(secret.encode()).hexdigest(),
           "secret_holder": "李公证员（测试市公证处）"}
    assert commitment(rec) != commitment({**rec, "secret_holder": "别人"})
    announced = "中国福利彩票3D 第2026330期 517"
    done = run_draw(rec, announced, secret)
    assert done["revealed"] == secret and replay(json.loads(json.dumps(done)))["selection"] == done["selection"]
    with pytest.raises(DrawError, match="不符"):
        run_draw(rec, announced, secret + "x")
    with pytest.raises(DrawError, match="事先公布"):  # the secret alone no longer seeds the draw
        run_draw(rec, secret)
    # the beacon's number changes the seed even with the same secret: the holder alone cannot know the selection
    seeds = {derive_seed(done["commitment"], f"中国福利彩票3D 第2026330期 {n:03d}", secret) for n in range(20)}
    assert len(seeds) == 20
