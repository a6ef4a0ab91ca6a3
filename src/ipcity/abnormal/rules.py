"""The screening thresholds as business rules (core.rules): one rule per field of detect.Settings, same defaults."""
from __future__ import annotations

import dataclasses

from ipcity.abnormal.detect import Settings
from ipcity.core.rules import declare

DESCRIPTIONS = {
    "burst_window_days": "集中申请：统计窗口（天）",
    "burst_min_count": "集中申请：窗口内至少多少件才可能构成集中申请",
    "burst_ratio": "集中申请：窗口申请量至少为该主体历史基线（中位数、往年同期）的多少倍",
    "burst_z": "集中申请：高出基线至少多少个稳健标准差（MAD，不低于泊松波动）",
    "burst_history_days": "集中申请：基线取窗口之前多少天的历史",
    "burst_min_baseline_windows": "集中申请：数据至少覆盖窗口之前多少个窗口才作判断",
    "burst_seasonal": "集中申请：基线是否计入往年同期（如年底集中申请的习惯）",
    "dup_threshold": "近似重复：确认为近似的最低 Jaccard 相似度（去除套话后的相邻词对）",
    "dup_num_perm": "近似重复：MinHash 签名长度（哈希函数个数）",
    "dup_bands": "近似重复：LSH 分段数（须整除签名长度）",
    "dup_min_shingles": "近似重复：去除套话后至少多少个词对才参与比对",
    "dup_boilerplate_share": "近似重复：出现在多大比例的专利中的词对视为套话",
    "dup_boilerplate_min_docs": "近似重复：视为套话的词对至少出现在多少件专利中",
    "dup_max_bucket": "近似重复：LSH 桶超过多少件即视为套话桶不展开",
    "dup_ignore_dual_filing": "近似重复：同一申请人同日申请发明和实用新型（一案双申）不视为重复",
    "dup_evidence_pairs": "近似重复：每个疑点展示的最相似专利对数",
    "off_min_history": "偏离主业：申请人至少有多少件既往申请才建立业务画像",
    "off_lag_days": "偏离主业：业务画像只计入早于该申请多少天的申请",
    "off_min_level": "偏离主业：与画像最近距离至少为（0 同小类，1 同大类，2 同部，3 不同部）",
    "off_min_share": "偏离主业：小类在画像中的占比至少多少才算既往业务",
    "off_min_filings": "偏离主业：同一大类内至少多少件偏离申请才提出疑点",
    "off_cluster_days": "偏离主业：上述偏离申请须在多少天之内",
}

RULES = {f.name: declare(f"abnormal.{f.name}", f.default, DESCRIPTIONS[f.name])
         for f in dataclasses.fields(Settings) if f.name in DESCRIPTIONS}


def current_settings() -> Settings:
    """The detectors' settings from the rules in force, checked (a bad override is reported, never fixed)."""
    from django.core.exceptions import ValidationError

    values = {name: rule.get() for name, rule in RULES.items()}
    s = Settings(**values)
    problems = []
    if s.dup_bands <= 0 or s.dup_num_perm % s.dup_bands:
        problems.append(f"近似重复的签名长度 {s.dup_num_perm} 须能被分段数 {s.dup_bands} 整除")
    if not 0 < s.dup_threshold <= 1:
        problems.append(f"近似重复的相似度阈值 {s.dup_threshold} 须在 0 到 1 之间")
    if s.burst_window_days <= 0 or s.burst_history_days < s.burst_window_days:
        problems.append("集中申请的统计窗口须大于 0 且不长于历史期")
    if s.off_min_level not in (1, 2, 3):
        problems.append(f"偏离主业的最近距离 {s.off_min_level} 须为 1、2 或 3")
    if problems:
        raise ValidationError(problems)
    return s
