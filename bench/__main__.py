"""`make bench`: our assistant against Rasa's `rasa init` starter bot, under load.

Trains both (ours into a temporary folder), starts both, measures cold start,
warms each up with its conversations once, then runs each concurrency level
against ours and then the starter, level by level, so the machine's drift hits
both. Writes the table, results/bench/bench.json and results/bench/latency.png.
Exit 0 whatever the times; 1 when a bot cannot be trained or started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.metadata
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench import cluster, commands, report
from bench.bots import Ours, Starter, cold_start, cpu_seconds, create_starter, memory, train_ours
from bench.load import Load, load_conversations
from bot.run.launcher import StartError
from bot.run.services import ServiceError
from bot.settings import PROJECT_DIR

CONVERSATIONS = Path(__file__).with_name("conversations.yml")


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", default="1,20", help="concurrent conversations per level (default 1,20)")
    parser.add_argument("--with-100", action="store_true", help="add a level of 100 concurrent conversations")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="ours on one process with SQLite, and on 1 and 2 replicas with PostgreSQL, Redis and "
        "nginx, at 20 and 100 conversations (results/bench/cluster.json; bench/cluster.py)",
    )
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load per bot and level (default 30)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a message counts as failed")
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT_DIR / "results" / "bench",
        help="where bench.json, latency.png and the servers' logs go (default results/bench)",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="keep the trained bots here and reuse them in later runs (default: a temporary folder)",
    )
    parser.add_argument("--model", type=Path, help="serve this model as ours instead of training one")
    parser.add_argument(
        "--endpoints",
        type=Path,
        help="ours' endpoints file, tracker store included (default endpoints.yml with a temporary " "SQLite tracker)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="environment of ours' servers, e.g. SANIC_WORKERS=2 (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        args.levels = sorted({int(v) for v in args.levels.split(",")} | ({100} if args.with_100 else set()))
        args.env = dict(item.split("=", 1) for item in args.env)
    except ValueError:
        parser.error("--levels takes numbers separated by commas, --env takes KEY=VALUE")
    if min(args.levels) < 1:
        parser.error("--levels must be at least 1")
    return args


def measure(args: argparse.Namespace, work: Path) -> Dict[str, Any]:
    """Train (or reuse), start, warm up and load both bots; each bot's figures."""
    conversations = load_conversations(CONVERSATIONS)
    logs = args.out / "logs"
    shutil.rmtree(logs, ignore_errors=True)  # this run's logs only
    trained = {"ours": None if args.model else train_ours(work, logs), "starter": create_starter(work, logs)}
    bots = [
        Ours(work, logs, args.model or Path(trained["ours"]["model"]), args.endpoints, args.env),
        Starter(work, logs, Path(trained["starter"]["model"])),
    ]
    results = {
        name: {"training_s": t["training_s"] if t else None, "training_reused": bool(t and t["reused"]), "levels": []}
        for name, t in trained.items()
    }
    with contextlib.ExitStack() as running:
        for bot in bots:
            print(f"Starting {bot.name} ...", flush=True)
            running.callback(bot.stop)
            results[bot.name]["cold_start_s"] = round(cold_start(bot, conversations[bot.name][0][0].text), 1)
        loads = [(bot, Load(bot.url, conversations[bot.name], args.timeout)) for bot in bots]
        for _, load in loads:
            asyncio.run(load.play_once())
        for concurrency in args.levels:
            for bot, load in loads:
                results[bot.name]["levels"].append(run_level(bot, load, concurrency, args.duration))
        for bot in bots:
            results[bot.name]["memory"] = memory(bot.pids())
    return results


def run_level(bot: Any, load: Load, concurrency: int, duration_s: float) -> Dict[str, Any]:
    """One bot at one concurrency, with the CPU time its processes used meanwhile."""
    cpu_before = cpu_seconds(bot.pids())
    run = asyncio.run(load.run(concurrency, duration_s))
    cpu = {name: used - cpu_before[name] for name, used in cpu_seconds(bot.pids()).items()}
    summary = report.level_summary(run, cpu)
    print(
        f"  {bot.name:8} {concurrency:>4} conversations: {summary['messages']} messages, {summary['errors']} errors, "
        f"p50 {summary['p50_ms']} ms, {summary['msg_per_s']} msg/s",
        flush=True,
    )
    return summary


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="sscbot-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now().astimezone()
    try:
        if args.cluster:
            return cluster.main(args, work.resolve())
        bots = measure(args, work.resolve())
    except (StartError, ServiceError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    results = {
        "started": started.isoformat(timespec="seconds"),
        "host": {
            "cpus": os.cpu_count(),
            "load_avg_before": load_before,
            "load_avg_after": os.getloadavg(),
            "rasa": importlib.metadata.version("rasa"),
        },
        "settings": {
            "levels": args.levels,
            "duration_s": args.duration,
            "timeout_s": args.timeout,
            "model": str(args.model or "trained by this run"),
            "endpoints": str(args.endpoints or "endpoints.yml, temporary SQLite tracker"),
            "env": args.env,
        },
        "bots": bots,
        "commands": commands.measure(),
    }
    results["ratios"] = report.ratios(results)
    results["targets"] = report.targets(results)
    report.write_json(results, args.out / "bench.json")
    report.plot(results, args.out / "latency.png")
    print("\n" + report.table(results))
    print(f"\nWritten: {args.out / 'bench.json'}, {args.out / 'latency.png'}; server logs in {args.out / 'logs'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
