"""Charts for generated reports, drawn server-side as PNG with Pillow (the same picture goes into the DOCX and the PDF;
the pages draw theirs with ECharts). Chinese labels need a CJK font: Noto Sans CJK from Debian's fonts-noto-cjk, found
through fontconfig (`fc-match`) or its usual path; without one, `ChartFontMissing` says what to install."""
from __future__ import annotations

import io
import math
import shutil
import subprocess
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 640
PALETTE = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#455a64"]
FONT_CANDIDATES = [("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),   # index 2: Simplified Chinese
                   ("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", 0)]


class ChartFontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _font_file() -> tuple[str, int]:
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC:lang=zh-cn"],
                                 capture_output=True, text=True, timeout=10).stdout
            path, _, index = out.rpartition(":")
            if path and "CJK" in path:
                return path, int(index or 0)
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
    for path, index in FONT_CANDIDATES:
        try:
            ImageFont.truetype(path, 10, index=index)
            return path, index
        except OSError:
            continue
    raise ChartFontMissing("未找到中文字体（Noto Sans CJK），无法生成图表：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）")


def font(size: int) -> ImageFont.FreeTypeFont:
    path, index = _font_file()
    return ImageFont.truetype(path, size, index=index)


def _canvas(title: str):
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH // 2, 18), title, font=font(30), fill="#212121", anchor="ma")
    return image, draw


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fit(draw, text: str, width: int, f) -> str:
    if draw.textlength(text, font=f) <= width:
        return text
    while text and draw.textlength(text + "…", font=f) > width:
        text = text[:-1]
    return text + "…"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def hbar(title: str, items: list[tuple[str, float]]) -> bytes:
    """Horizontal bars, largest first (rankings: applicants, IPC subclasses, regions)."""
    image, draw = _canvas(title)
    items = items[:15] or [("（无数据）", 0)]
    label_font, value_font = font(20), font(18)
    left, right, top, bottom = 330, WIDTH - 90, 80, HEIGHT - 30
    row = (bottom - top) / len(items)
    top_value = _nice_max(max(v for _, v in items))
    for i, (label, value) in enumerate(items):
        y = top + i * row
        draw.text((left - 12, y + row / 2), _fit(draw, str(label), left - 30, label_font), font=label_font,
                  fill="#212121", anchor="rm")
        length = (right - left) * (value / top_value)
        draw.rectangle([left, y + row * 0.18, left + max(length, 1), y + row * 0.82], fill=PALETTE[0])
        draw.text((left + length + 8, y + row / 2), f"{value:g}", font=value_font, fill="#424242", anchor="lm")
    return _png(image)


def columns(title: str, categories: list, series: dict[str, list[float]], *, stacked: bool = True,
            line: tuple[str, list[float]] | None = None) -> bytes:
    """Vertical (stacked) columns per category, optionally with one line over them (trends per year)."""
    image, draw = _canvas(title)
    categories = categories or ["—"]
    left, right, top, bottom = 90, WIDTH - 40, 110, HEIGHT - 70
    totals = [sum(values[i] for values in series.values()) if stacked else max((v[i] for v in series.values()),
                                                                                default=0)
              for i in range(len(categories))]
    top_value = _nice_max(max(totals + (line[1] if line else []) + [1]))
    axis_font = font(18)
    for k in range(5):  # grid and axis labels
        v = top_value * k / 4
        y = bottom - (bottom - top) * k / 4
        draw.line([left, y, right, y], fill="#e0e0e0", width=1)
        draw.text((left - 10, y), f"{v:g}", font=axis_font, fill="#616161", anchor="rm")
    slot = (right - left) / len(categories)
    width = slot * 0.6 / (1 if stacked else max(len(series), 1))
    for i, category in enumerate(categories):
        x0 = left + i * slot + slot * 0.2
        base = bottom
        for j, (name, values) in enumerate(series.items()):
            h = (bottom - top) * values[i] / top_value
            x = x0 if stacked else x0 + j * width
            y1 = base - h if stacked else bottom - h
            draw.rectangle([x, y1, x + width, base if stacked else bottom], fill=PALETTE[j % len(PALETTE)])
            if stacked:
                base = y1
        if len(categories) <= 25 or i % 2 == 0:
            draw.text((left + (i + 0.5) * slot, bottom + 8), str(category), font=axis_font, fill="#424242",
                      anchor="ma")
    if line:
        points = [(left + (i + 0.5) * slot, bottom - (bottom - top) * v / top_value) for i, v in enumerate(line[1])]
        if len(points) > 1:
            draw.line(points, fill="#212121", width=3)
        for x, y in points:
            draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill="#212121")
    legend = list(series) + ([line[0]] if line else [])
    x = left
    for j, name in enumerate(legend):
        colour = "#212121" if line and j == len(legend) - 1 else PALETTE[j % len(PALETTE)]
        draw.rectangle([x, 66, x + 22, 84], fill=colour)
        draw.text((x + 30, 75), name, font=axis_font, fill="#212121", anchor="lm")
        x += 40 + draw.textlength(name, font=axis_font) + 20
    return _png(image)


def pie(title: str, items: list[tuple[str, float]]) -> bytes:
    """Shares of a whole (legal status, patent types)."""
    image, draw = _canvas(title)
    items = [(label, value) for label, value in items if value > 0][:8] or [("（无数据）", 1)]
    total = sum(v for _, v in items)
    box = [120, 100, 620, 600]
    start = -90.0
    legend_font = font(22)
    for j, (label, value) in enumerate(items):
        extent = 360 * value / total
        draw.pieslice(box, start, start + extent, fill=PALETTE[j % len(PALETTE)], outline="white")
        start += extent
        y = 150 + j * 48
        draw.rectangle([700, y - 12, 726, y + 12], fill=PALETTE[j % len(PALETTE)])
        draw.text((740, y), f"{label}  {value:g}（{value / total:.1%}）", font=legend_font, fill="#212121",
                  anchor="lm")
    return _png(image)
