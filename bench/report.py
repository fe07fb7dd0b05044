"""The benchmark's figures: latency percentiles, ratios ours/starter, the issue's
targets met or not, and the table, JSON and PNG plot that show them."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter

from bench.load import LevelRun

BOTS = ("ours", "starter")
# The targets of issue #7.
THROUGHPUT_RATIO_MIN = 2.0  # messages/s at 20 conversations, ours / starter
P50_RATIO_MAX = 0.6  # p50 latency at 1 conversation, ours / starter
P95_MAX_MS = 500.0  # ours, at 20 conversations
COLD_START_MAX_S = 20.0
RSS_MAX_MB = 1000.0  # MiB, each Rasa server process, sentence encoder included (issue #23)
COMMAND_MAX_S = 1.0  # each sscbot command that needs no model (issue #23)


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
        "cpu_ms_per_msg": {
            name: round(1000 * seconds / len(latencies), 1) if latencies else None for name, seconds in cpu_s.items()
        },
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
    """The RSS of the largest of a bot's `process` (a server and its worker processes)."""
    return max(p["rss_mb"] for p in results["bots"][bot]["memory"][process])


def targets(results: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Each target of the issue with ours' figure and whether it is met (None: not measured)."""
    ours = results["bots"]["ours"]
    found = ratios(results)
    at_20 = level(results, "ours", 20)
    p95 = at_20["p95_ms"] if at_20 else None
    rss = max_rss_mb(results, "ours", "rasa")
    checks = [
        (
            f"throughput at 20, ours/starter >= {THROUGHPUT_RATIO_MIN}",
            found["throughput_at_20"],
            lambda v: v >= THROUGHPUT_RATIO_MIN,
        ),
        (f"p50 at 1, ours/starter <= {P50_RATIO_MAX}", found["p50_at_1"], lambda v: v <= P50_RATIO_MAX),
        (f"p95 at 20 < {P95_MAX_MS:.0f} ms", p95, lambda v: v < P95_MAX_MS),
        ("no errors", sum(lv["errors"] for lv in ours["levels"]), lambda v: v == 0),
        (f"cold start < {COLD_START_MAX_S:.0f} s", ours["cold_start_s"], lambda v: v < COLD_START_MAX_S),
        (f"each Rasa server process < {RSS_MAX_MB:.0f} MB RSS", round(rss), lambda v: v < RSS_MAX_MB),
        (
            f"every sscbot command that needs no model < {COMMAND_MAX_S:.0f} s",
            max((c["median_s"] for c in results.get("commands", [])), default=None),
            lambda v: v < COMMAND_MAX_S,
        ),
    ]
    return [
        {"target": name, "value": value, "met": None if value is None else bool(test(value))}
        for name, value, test in checks
    ]


def table(results: Dict[str, Any]) -> str:
    """The terminal report."""
    lines = [
        f"{'bot':8} {'conc':>5} {'msgs':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'msg/s':>7}"
        f"  CPU ms/msg"
    ]
    for concurrency in results["settings"]["levels"]:
        for bot in BOTS:
            lv = level(results, bot, concurrency)
            lines.append(
                f"{bot:8} {concurrency:>5} {lv['messages']:>6} {lv['errors']:>6} "
                + " ".join(_cell(lv[f"p{q}_ms"], 8) for q in (50, 95, 99))
                + f" {lv['msg_per_s']:>7}  {_cpu(lv['cpu_ms_per_msg'])}"
            )
            if lv["errors"]:
                lines.append(f"{'':15} errors: " + ", ".join(f"{kind} x{n}" for kind, n in lv["error_kinds"].items()))
    lines += ["", f"{'':24} {'ours':>10} {'starter':>10}"]
    lines += [f"{label:24} " + " ".join(f"{cell:>10}" for cell in cells) for label, cells in _bot_rows(results)]
    lines += [
        f"sscbot {c['command']:22} {c['median_s']:>5.2f} s {c['rss_mb']:>5} MB" for c in results.get("commands", [])
    ]
    if any(results["bots"][bot]["training_reused"] for bot in BOTS):
        lines.append("* measured by an earlier run in the same work folder (--work-dir)")
    found = ratios(results)
    lines += [
        "",
        f"ours/starter: throughput at 20 {_cell(found['throughput_at_20'], 0, 2)}, "
        f"p50 at 1 {_cell(found['p50_at_1'], 0, 2)}",
        "targets:",
    ]
    verdict = {True: "met", False: "NOT met", None: "not measured"}
    lines += [f"  [{verdict[t['met']]:^12}] {t['target']} (ours: {t['value']})" for t in results["targets"]]
    return "\n".join(lines)


def _bot_rows(results: Dict[str, Any]) -> List[Tuple[str, List[str]]]:
    """Training, cold start and memory of each bot, as table cells."""
    bots = results["bots"]

    def rss(bot: str, process: str) -> str:
        processes = bots[bot]["memory"].get(process)
        if not processes:
            return "-"
        count = f" x{len(processes)}" if len(processes) > 1 else ""
        return f"{max_rss_mb(results, bot, process):.0f}{count}"

    return [
        ("training (s)", [_cell(bots[b]["training_s"], 0) + ("*" if bots[b]["training_reused"] else "") for b in BOTS]),
        ("cold start (s)", [_cell(bots[b]["cold_start_s"], 0) for b in BOTS]),
        ("Rasa server RSS (MB)", [rss(b, "rasa") for b in BOTS]),
        ("action server RSS (MB)", [rss(b, "actions") for b in BOTS]),
        ("widget server RSS (MB)", [rss(b, "web") for b in BOTS]),
        ("staff console RSS (MB)", [rss(b, "staff") for b in BOTS]),
    ]


def _cpu(per_process: Dict[str, Optional[float]]) -> str:
    return " + ".join(f"{name} {value}" for name, value in per_process.items())


def _cell(value: Optional[float], width: int, digits: int = 1) -> str:
    return f"{'-' if value is None else f'{value:.{digits}f}':>{width}}"


def write_json(results: Dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def plot(results: Dict[str, Any], path: Path) -> None:
    """p50 (solid) and p95 (dashed) latency against concurrency, one colour per bot, log scales."""
    levels = results["settings"]["levels"]
    figure = Figure(figsize=(8, 5), dpi=100)
    axes = figure.subplots()
    for bot, colour in (("ours", "tab:blue"), ("starter", "tab:orange")):
        for q, style in ((50, "-o"), (95, "--s")):
            latencies = [level(results, bot, c)[f"p{q}_ms"] for c in levels]
            axes.plot(
                levels, [math.nan if ms is None else ms for ms in latencies], style, color=colour, label=f"{bot} p{q}"
            )
    axes.axhline(P95_MAX_MS, color="grey", linestyle=":", label=f"target: p95 at 20 < {P95_MAX_MS:.0f} ms")
    axes.set(
        xscale="log",
        yscale="log",
        xlabel="concurrent conversations",
        ylabel="latency (ms)",
        title="Latency against concurrent conversations (REST webhook)",
    )
    axes.set_xticks(levels)
    axes.set_xticklabels([str(c) for c in levels])
    axes.yaxis.set_major_formatter(ScalarFormatter())
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
