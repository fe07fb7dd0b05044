"""Reports of a dialogue run: terminal lines, a self-contained HTML page, JUnit XML for CI."""

from __future__ import annotations

import datetime as dt
import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import List

from bot.dialogues.runner import ScriptResult, TurnResult

BAR_WIDTH = 20


def progress_line(result: ScriptResult, done: int, total: int) -> str:
    """`[#####-----] 12/30 PASS name (file:line) 1.2 s`, and why it failed."""
    filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    status = "PASS" if result.passed else "FAIL"
    script = result.script
    line = f"[{bar}] {done:>{len(str(total))}}/{total} {status} {script.name} ({script.where}) {result.seconds:.1f} s"
    return line if result.passed else f"{line}\n      {result.failure}"


def summary_line(results: List[ScriptResult], seconds: float) -> str:
    failed = sum(not r.passed for r in results)
    verdict = "all passed" if not failed else f"{failed} failed"
    return f"{len(results)} scripts, {verdict}, in {seconds:.1f} s"


def write_reports(results: List[ScriptResult], folder: Path, url: str, seconds: float) -> List[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "dialogues.html"
    junit = folder / "dialogues.junit.xml"
    page.write_text(html_report(results, url, seconds), encoding="utf-8")
    ET.ElementTree(junit_report(results, seconds)).write(junit, encoding="utf-8", xml_declaration=True)
    return [page, junit]


def junit_report(results: List[ScriptResult], seconds: float) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        name="dialogues",
        tests=str(len(results)),
        time=f"{seconds:.3f}",
        failures=str(sum(not r.passed for r in results)),
        errors="0",
    )
    for result in results:
        case = ET.SubElement(
            suite, "testcase", classname=str(result.script.file), name=result.script.name, time=f"{result.seconds:.3f}"
        )
        if not result.passed:
            failure = ET.SubElement(case, "failure", message=result.failure)
            failure.text = "\n".join(_turn_lines(result))
    return suite


def _turn_lines(result: ScriptResult) -> List[str]:
    lines = [f"sender id: {result.sender}"]
    for number, turn in enumerate(result.turns, start=1):
        lines.append(f"turn {number} (line {turn.turn.line}) {turn.turn.label}: {'ok' if turn.passed else 'FAILED'}")
        lines.extend(f"  {'ok  ' if c.passed else 'FAIL'} {c.summary}" for c in turn.checks)
        if turn.error:
            lines.append(f"  FAIL {turn.error}")
    return lines


STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:70rem}
h1{font-size:1.5rem}.pass{color:#0a6b2d}.fail{color:#b00020}
details{border:1px solid #ccc;border-radius:6px;margin:.5rem 0;padding:.25rem .75rem}
details.failed{border-color:#b00020}summary{cursor:pointer;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.3rem;
vertical-align:top;text-align:left}pre{white-space:pre-wrap;margin:0;font:14px/1.4 ui-monospace,monospace}
.turn{margin:.75rem 0}.muted{color:#555}
"""


def html_report(results: List[ScriptResult], url: str, seconds: float) -> str:
    e = html.escape
    failed = sum(not r.passed for r in results)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Dialogue report</title><style>",
        STYLE,
        "</style></head><body>",
        "<h1>Dialogue report</h1>",
        f"<p>Assistant: {e(url)} &middot; {dt.datetime.now():%Y-%m-%d %H:%M} &middot; "
        f"{len(results)} scripts, <span class='{'fail' if failed else 'pass'}'>"
        f"{'all passed' if not failed else f'{failed} failed'}</span>, {seconds:.1f} s</p>",
    ]
    for result in results:
        status = "pass" if result.passed else "fail"
        parts.append(
            f"<details class='{'' if result.passed else 'failed'}'{'' if result.passed else ' open'}>"
            f"<summary><span class='{status}'>{status.upper()}</span> {e(result.script.name)} "
            f"<span class='muted'>({e(result.script.where)}, {result.seconds:.1f} s)</span></summary>"
        )
        if result.script.description:
            parts.append(f"<p>{e(result.script.description)}</p>")
        parts.append(f"<p class='muted'>Conversation id: {e(result.sender)}</p>")
        parts.extend(_turn_html(number, turn) for number, turn in enumerate(result.turns, start=1))
        not_run = result.script.turns[len(result.turns) :]
        parts.extend(
            f"<p class='muted'>Turn {len(result.turns) + i} (line {t.line}) {e(t.label)}: not run</p>"
            for i, t in enumerate(not_run, start=1)
        )
        parts.append("</details>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _turn_html(number: int, turn: TurnResult) -> str:
    e = html.escape
    status = "pass" if turn.passed else "fail"
    sent = turn.turn.label if turn.sent == turn.turn.text else f"{turn.turn.label} (sent {turn.sent})"
    reply = turn.reply.messages if turn.reply else []
    rows = "".join(
        f"<tr><td class='{'pass' if c.passed else 'fail'}'>{'passed' if c.passed else 'FAILED'}</td>"
        f"<td>{e(c.name)}</td><td><pre>{e(_shown(c.expected))}</pre></td>"
        f"<td><pre>{e(c.diff or ('' if c.passed else _shown(c.actual)))}</pre></td></tr>"
        for c in turn.checks
    )
    error = f"<p class='fail'>{e(turn.error)}</p>" if turn.error else ""
    return (
        f"<div class='turn'><h3 class='{status}'>Turn {number} (line {turn.turn.line}, {turn.seconds:.2f} s)</h3>"
        f"<p><strong>Sent:</strong> {e(sent)}</p>{error}"
        f"<p><strong>Bot replied:</strong></p><pre>{e(_shown_reply(reply))}</pre>"
        + (
            f"<table><tr><th>result</th><th>expectation</th><th>expected</th><th>got / diff</th></tr>{rows}</table>"
            if rows
            else ""
        )
        + "</div>"
    )


def _shown(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _shown_reply(messages) -> str:
    lines = []
    for message in messages:
        if message.get("text"):
            lines.append(message["text"])
        for button in message.get("buttons") or []:
            lines.append(f"[button] {button.get('title')}")
        if isinstance(message.get("custom"), dict):
            lines.append(f"[contract] {json.dumps(message['custom'], ensure_ascii=False)}")
    return "\n".join(lines) or "(nothing)"
