"""The benchmark's figures: latency percentiles, ratios ours/starter, the issue's
targets met or not, and the table, JSON and PNG plot that show them."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence

from PIL import Image, ImageDraw, ImageFont

from bench.load import LevelRun

BOTS = ("ours", "starter")
# The targets of issue #7.
THROUGHPUT_RATIO_MIN = 2.0  # messages/s at 20 conversations, ours / starter
P50_RATIO_MAX = 0.6  # p50 latency at 1 conversation, ours / starter
P95_MAX_MS = 500.0  # ours, at 20 conversations
COLD_START_MAX_S = 20.0
RSS_MAX_MB = 1024.0  # each Rasa server process


def percentile(values: Sequence[float], q: float) -> Optional[float]:
    """The q-th percentile (0-100) with linear interpolation between ranks; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def level_summary(run: LevelRun, cpu_s: Dict[str, float]) -> Dict[str, Any]:
    """One bot at one concurrency. Latencies are of every message, errors included;
    `cpu_s`: the CPU seconds each of the bot's processes used meanwhile."""
    latencies = [s.latency_s * 1000 for s in run.samples]
    errors: Dict[str, int] = {}
    for sample in run.samples:
        if sample.error:
            errors[sample.error] = errors.get(sample.error, 0) + 1
    ok = len(latencies) - sum(errors.values())
    return {
        "concurrency": run.concurrency,
        "seconds": round(run.elapsed_s, 2),
        "conversations": run.conversations,
        "messages": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        **{f"p{q}_ms": _round(percentile(latencies, q)) for q in (50, 95, 99)},
        "msg_per_s": round(ok / run.elapsed_s, 2) if run.elapsed_s else 0.0,
        "cpu_ms_per_msg": {name: round(1000 * seconds / len(latencies), 1) if latencies else None
                           for name, seconds in cpu_s.items()},
    }


def _round(value: Optional[float], digits: int = 1) -> Optional[float]:
    return None if value is None else round(value, digits)


def level(results: Dict[str, Any], bot: str, concurrency: int) -> Optional[Dict[str, Any]]:
    return next((lv for lv in results["bots"][bot]["levels"] if lv["concurrency"] == concurrency), None)


def _ratio(results: Dict[str, Any], concurrency: int, key: str) -> Optional[float]:
    ours, starter = (level(results, bot, concurrency) for bot in BOTS)
    if not ours or not starter or not ours[key] or not starter[key]:
        return None
    return round(ours[key] / starter[key], 3)


def ratios(results: Dict[str, Any]) -> Dict[str, Optional[float]]:
    return {"throughput_at_20": _ratio(results, 20, "msg_per_s"), "p50_at_1": _ratio(results, 1, "p50_ms")}


def max_rss_mb(results: Dict[str, Any], bot: str, process: str) -> float:
    return max(p["rss_mb"] for p in results["bots"][bot]["memory"][process])


def targets(results: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Each target of the issue with ours' figure and whether it is met (None: not measured)."""
    ours = results["bots"]["ours"]
    found = ratios(results)
    at_20 = level(results, "ours", 20)
    p95 = at_20["p95_ms"] if at_20 else None
    rss = max_rss_mb(results, "ours", "rasa")
    checks = [
        (f"throughput at 20, ours/starter >= {THROUGHPUT_RATIO_MIN}", found["throughput_at_20"],
         lambda v: v >= THROUGHPUT_RATIO_MIN),
        (f"p50 at 1, ours/starter <= {P50_RATIO_MAX}", found["p50_at_1"], lambda v: v <= P50_RATIO_MAX),
        (f"p95 at 20 < {P95_MAX_MS:.0f} ms", p95, lambda v: v < P95_MAX_MS),
        ("no errors", sum(lv["errors"] for lv in ours["levels"]), lambda v: v == 0),
        (f"cold start < {COLD_START_MAX_S:.0f} s", ours["cold_start_s"], lambda v: v < COLD_START_MAX_S),
        (f"each Rasa server process < {RSS_MAX_MB:.0f} MB RSS", round(rss), lambda v: v < RSS_MAX_MB),
    ]
    return [{"target": name, "value": value, "met": None if value is None else bool(test(value))}
            for name, value, test in checks]


def table(results: Dict[str, Any]) -> str:
    """The terminal report."""
    bots = results["bots"]
    lines = [f"{'bot':8} {'conc':>5} {'msgs':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'msg/s':>7}"
             f" {'CPU ms/msg':>18}"]
    for concurrency in results["settings"]["levels"]:
        for bot in BOTS:
            lv = level(results, bot, concurrency)
            lines.append(f"{bot:8} {concurrency:>5} {lv['messages']:>6} {lv['errors']:>6} "
                         + " ".join(_cell(lv[f"p{q}_ms"], 8) for q in (50, 95, 99)) + f" {lv['msg_per_s']:>7} "
                         + f"{_cpu(lv['cpu_ms_per_msg']):>18}")
    lines.append("")
    lines.append(f"{'':26} {'ours':>10} {'starter':>10}")
    rows = [
        ("training (s)", lambda b: _cell(bots[b]["training_s"], 10) + ("*" if bots[b]["training_reused"] else " ")),
        ("cold start (s)", lambda b: _cell(bots[b]["cold_start_s"], 10) + " "),
        ("Rasa server RSS (MB)", lambda b: _cell(max_rss_mb(results, b, "rasa"), 10, 0) + " "),
        ("action server RSS (MB)", lambda b: _cell(max_rss_mb(results, b, "actions") if "actions" in bots[b]["memory"]
                                                   else None, 10, 0) + " "),
    ]
    lines += [f"{name:26} {cell('ours')}{cell('starter')}" for name, cell in rows]
    if any(bots[b]["training_reused"] for b in BOTS):
        lines.append("* measured by an earlier run in the same work folder")
    found = ratios(results)
    lines += ["", f"ours/starter: throughput at 20 {_cell(found['throughput_at_20'], 0, 2)}, "
                  f"p50 at 1 {_cell(found['p50_at_1'], 0, 2)}", "targets:"]
    verdict = {True: "met", False: "NOT met", None: "not measured"}
    lines += [f"  [{verdict[t['met']]:^12}] {t['target']} (ours: {t['value']})" for t in results["targets"]]
    return "\n".join(lines)


def _cpu(per_process: Dict[str, Optional[float]]) -> str:
    return " + ".join(f"{name} {value}" for name, value in per_process.items())


def _cell(value: Optional[float], width: int, digits: int = 1) -> str:
    return f"{'-' if value is None else f'{value:.{digits}f}':>{width}}"


def write_json(results: Dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


# The plot: p50 (thick, dots) and p95 (thin, squares) latency against concurrency,
# one colour per bot, latency on a log scale.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 900, 560, 90, 30, 60, 70
COLOURS = {"ours": (31, 119, 180), "starter": (255, 127, 14)}


def plot(results: Dict[str, Any], path: Path) -> None:
    levels = results["settings"]["levels"]
    series = {(bot, q): [level(results, bot, c)[f"p{q}_ms"] for c in levels] for bot in BOTS for q in (50, 95)}
    values = [v for points in series.values() for v in points if v]
    low = 10 ** math.floor(math.log10(min(values, default=1)))
    high = 10 ** math.ceil(math.log10(max(values, default=10)))
    high = high * 10 if high <= low else high

    def xy(index: int, ms: float):
        x = LEFT + (WIDTH - LEFT - RIGHT) * (index + 0.5) / len(levels)
        y = HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * math.log10(ms / low) / math.log10(high / low)
        return x, y

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font, small = ImageFont.load_default(size=16), ImageFont.load_default(size=13)
    draw.text((LEFT, 20), "Latency against concurrent conversations (REST webhook)", fill="black", font=font)
    for tick in _log_ticks(low, high):
        _, y = xy(0, tick)
        draw.line([(LEFT, y), (WIDTH - RIGHT, y)], fill=(225, 225, 225))
        draw.text((LEFT - 8, y), f"{tick:g}", fill="black", font=small, anchor="rm")
    for index, concurrency in enumerate(levels):
        x, _ = xy(index, low)
        draw.text((x, HEIGHT - BOTTOM + 10), str(concurrency), fill="black", font=small, anchor="mt")
    draw.rectangle([(LEFT, TOP), (WIDTH - RIGHT, HEIGHT - BOTTOM)], outline="black")
    draw.text(((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 25), "concurrent conversations", fill="black", font=small,
              anchor="mm")
    draw.text((15, TOP - 25), "latency (ms, log scale)", fill="black", font=small)
    for row, ((bot, q), points) in enumerate(series.items()):
        colour, thick = COLOURS[bot], q == 50
        line = [xy(i, v) for i, v in enumerate(points) if v]
        if len(line) > 1:
            draw.line(line, fill=colour, width=4 if thick else 2)
        for x, y in line:
            _marker(draw, x, y, colour, thick)
        lx, ly = LEFT + 15, TOP + 15 + row * 20
        draw.line([(lx, ly), (lx + 30, ly)], fill=colour, width=4 if thick else 2)
        _marker(draw, lx + 15, ly, colour, thick)
        draw.text((lx + 40, ly), f"{bot} p{q}", fill="black", font=small, anchor="lm")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def _marker(draw: ImageDraw.ImageDraw, x: float, y: float, colour, dot: bool) -> None:
    box = [(x - 5, y - 5), (x + 5, y + 5)]
    (draw.ellipse if dot else draw.rectangle)(box, fill=colour)


def _log_ticks(low: float, high: float) -> Iterable[float]:
    decade = low
    while decade <= high:
        yield from (decade * m for m in (1, 2, 5) if decade * m <= high)
        decade *= 10
