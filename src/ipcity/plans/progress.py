"""Indicator progress and on-track forecasts; overdue reports. Pure functions over plain values."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Forecast:
    status: str            # 已达标 / 预计达标 / 滞后 / 数据不足
    method: str            # how the forecast was made, shown to the user
    latest_year: int | None
    latest_value: float | None
    projected: float | None
    progress_pct: float | None  # share of the way from baseline to target


def forecast(baseline_year: int | None, baseline: float | None, target_year: int | None, target: float | None,
             actuals: dict[int, float], kind: str = "level") -> Forecast:
    """Project the latest actual value to the target year, linearly and with compound growth, and judge.

    Linear: the average yearly change since the baseline continues. Compound: the average yearly growth rate
    continues (only when baseline and latest are positive). The status uses the more conservative of the two,
    so a plan is never called on track by the optimistic method alone.
    """
    if kind == "qualitative":
        return Forecast("数据不足", "定性指标，由报送材料判断", None, None, None, None)
    if not actuals:
        return Forecast("数据不足", "尚无实际值", None, None, None, None)
    latest_year = max(actuals)
    latest = actuals[latest_year]
    if kind == "breakthrough":
        done = latest > 0
        return Forecast("已达标" if done else "滞后", "实现零的突破即达标", latest_year, latest, None, None)
    if target is None or target_year is None:
        return Forecast("数据不足", "缺少目标值", latest_year, latest, None, None)
    if kind in ("annual_growth_pct", "increase"):
        if baseline is None or baseline_year is None or latest_year <= baseline_year:
            return Forecast("数据不足", "缺少基期值或基期之后的实际值", latest_year, latest, None, None)
        years = latest_year - baseline_year
        if kind == "increase":
            achieved = (latest - baseline) / years
            method = f"{baseline_year}–{latest_year} 年年均新增 {achieved:.2f}"
        elif baseline > 0:
            achieved = 100 * ((latest / baseline) ** (1 / years) - 1)
            method = f"{baseline_year}–{latest_year} 年年均增长 {achieved:.2f}%"
        else:
            return Forecast("数据不足", "基期值为零，无法计算增长率", latest_year, latest, None, None)
        return Forecast("预计达标" if achieved >= target else "滞后", method, latest_year, latest,
                        round(achieved, 4), None)
    progress = None
    if baseline is not None and target != baseline:
        progress = round(100 * (latest - baseline) / (target - baseline), 1)
    if kind in ("level", "cumulative") and latest >= target:
        return Forecast("已达标", "最新实际值已达到目标", latest_year, latest, latest, progress)
    if baseline is None or baseline_year is None or latest_year <= baseline_year:
        return Forecast("数据不足", "缺少基期值或基期之后的实际值", latest_year, latest, None, progress)
    years_done, years_left = latest_year - baseline_year, target_year - latest_year
    linear = latest + (latest - baseline) / years_done * years_left
    projections = {"线性外推": linear}
    if baseline > 0 and latest > 0:
        rate = (latest / baseline) ** (1 / years_done) - 1
        projections["复合增长"] = latest * math.pow(1 + rate, years_left)
    method, projected = min(projections.items(), key=lambda item: item[1])
    status = "预计达标" if projected >= target else "滞后"
    detail = f"{method}（按 {baseline_year}–{latest_year} 年实际值推算至 {target_year} 年）"
    return Forecast(status, detail, latest_year, latest, round(projected, 4), progress)


def is_overdue(due: dt.date | None, done: bool, today: dt.date) -> bool:
    return due is not None and not done and due < today
