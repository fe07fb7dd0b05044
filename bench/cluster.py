"""`make bench-cluster` (`python -m bench --cluster`): our assistant on one process with
SQLite next to one and two Rasa replicas on PostgreSQL and Redis behind nginx (issue #15).

For each set-up and level (20 and 100 conversations at once): messages per second,
p50/p95, errors, CPU per message in each process (Rasa, action server, PostgreSQL,
Redis, nginx), and PostgreSQL's commits, rows written and WAL bytes per message.
Writes results/bench/cluster.json and prints a table. Never fails on a time.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import sqlalchemy as sa

from bench import report
from bench.bots import Ours, cold_start, cpu_seconds
from bench.load import Load, load_conversations
from bot.run.cluster import Cluster, ClusterConfig

LEVELS = (20, 100)
STATS = sa.text(
    "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted, pg_current_wal_lsn() "
    "FROM pg_stat_database WHERE datname = current_database()"
)


def database_counters(engine: Optional[sa.engine.Engine]) -> Optional[Dict[str, Any]]:
    if engine is None:
        return None
    time.sleep(1.5)  # PostgreSQL's backends publish their statistics about once a second
    with engine.connect() as connection:
        commits, rows, lsn = connection.execute(STATS).one()
    return {"commits": commits, "rows": rows, "lsn": lsn}


def per_message(before: Optional[Dict], after: Optional[Dict], messages: int, engine) -> Optional[Dict[str, float]]:
    if not (before and after and messages):
        return None
    with engine.connect() as connection:
        wal = connection.execute(sa.text("SELECT pg_wal_lsn_diff(:a, :b)"), {"a": after["lsn"], "b": before["lsn"]})
        wal_bytes = float(wal.scalar())
    return {
        "commits": round((after["commits"] - before["commits"]) / messages, 2),
        "rows_written": round((after["rows"] - before["rows"]) / messages, 2),
        "wal_bytes": round(wal_bytes / messages),
    }


def run_levels(
    name: str, url: str, pids: Callable[[], Dict[str, int]], engine, duration_s: float, timeout_s: float, conversations
) -> List[Dict[str, Any]]:
    load = Load(url, conversations, timeout_s)
    asyncio.run(load.play_once())
    levels = []
    for concurrency in LEVELS:
        cpu_before, db_before = cpu_seconds(pids()), database_counters(engine)
        run = asyncio.run(load.run(concurrency, duration_s))
        cpu = {process: used - cpu_before[process] for process, used in cpu_seconds(pids()).items()}
        summary = report.level_summary(run, cpu)
        summary["database_per_msg"] = per_message(db_before, database_counters(engine), summary["messages"], engine)
        print(
            f"  {name:22} {concurrency:>4} conversations: {summary['messages']} messages, "
            f"{summary['errors']} errors, {summary['msg_per_s']} msg/s, p95 {summary['p95_ms']} ms",
            flush=True,
        )
        levels.append(summary)
    return levels


def cluster_pids(cluster: Cluster) -> Dict[str, int]:
    pids = {}
    for index, replica in enumerate(cluster.replicas, 1):
        pids.update(
            {f"rasa-{index}": replica.processes["rasa"].pid, f"actions-{index}": replica.processes["actions"].pid}
        )
    for service in (cluster.postgres, cluster.redis, cluster.nginx):
        if service is not None and service.process is not None:
            pids[service.name] = service.process.pid
    return pids


def measure_cluster(replicas: int, model: Path, work: Path, args) -> Dict[str, Any]:
    conversations = load_conversations(Path(__file__).with_name("conversations.yml"))["ours"]
    config = ClusterConfig.private(work / f"cluster-{replicas}", f"bench-{uuid.uuid4().hex[:8]}", replicas)
    config.model = model
    cluster = Cluster(config)
    begin = time.monotonic()
    try:
        cluster.start()
        started = round(time.monotonic() - begin, 1)
        engine = sa.create_engine(cluster.postgres.url)
        try:
            levels = run_levels(
                f"{replicas} replica(s), PostgreSQL",
                cluster.rasa_url,
                lambda: cluster_pids(cluster),
                engine,
                args.duration,
                args.timeout,
                conversations,
            )
        finally:
            engine.dispose()
    finally:
        cluster.stop(remove_data=True)
    return {
        "setup": f"{replicas} Rasa + {replicas} action servers, PostgreSQL, Redis, nginx",
        "start_s": started,
        "levels": levels,
    }


def measure_single(model: Path, work: Path, logs: Path, args) -> Dict[str, Any]:
    conversations = load_conversations(Path(__file__).with_name("conversations.yml"))["ours"]
    bot = Ours(work, logs, model, None, {})
    try:
        started = round(cold_start(bot, conversations[0][0].text), 1)
        levels = run_levels("1 process, SQLite", bot.url, bot.pids, None, args.duration, args.timeout, conversations)
    finally:
        bot.stop()
    return {"setup": "1 Rasa + 1 action server, SQLite (make run)", "start_s": started, "levels": levels}


def table(results: Dict[str, Any]) -> str:
    rows = [
        "| set-up | conversations | msg/s | p95 ms | errors | CPU ms per message | PostgreSQL per message |",
        "|---|---|---|---|---|---|---|",
    ]
    for setup in results["setups"]:
        for level in setup["levels"]:
            cpu = ", ".join(f"{name} {ms}" for name, ms in level["cpu_ms_per_msg"].items())
            db = level.get("database_per_msg")
            db_text = f"{db['commits']} commits, {db['rows_written']} rows, {db['wal_bytes']} WAL bytes" if db else "-"
            rows.append(
                f"| {setup['setup']} | {level['concurrency']} | {level['msg_per_s']} | {level['p95_ms']} | "
                f"{level['errors']} | {cpu} | {db_text} |"
            )
    rows.append(
        f"\nTwo replicas / one replica at 100 conversations: {results['two_over_one_at_100']}x "
        "(issue #15 asks for at least 1.5x)"
    )
    return "\n".join(rows)


def main(args, work: Path) -> int:
    model = args.model or Path("models/ssc.tar.gz")
    logs = args.out / "logs"
    setups = [
        measure_single(model, work, logs, args),
        measure_cluster(1, model, work, args),
        measure_cluster(2, model, work, args),
    ]

    def at_100(setup):
        return next(level["msg_per_s"] for level in setup["levels"] if level["concurrency"] == 100)

    results = {
        "setups": setups,
        "duration_s": args.duration,
        "two_over_one_at_100": round(at_100(setups[2]) / at_100(setups[1]), 2) if at_100(setups[1]) else None,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cluster.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("\n" + table(results) + f"\n\nWritten: {args.out / 'cluster.json'}")
    return 0
