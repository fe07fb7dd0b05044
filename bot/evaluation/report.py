"""Text and HTML reports of an evaluation: figures per part, per-topic table,
confusion table and every miss."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Iterable, List, Sequence

from bot.evaluation.dataset import HELD_OUT
from bot.evaluation.metrics import TARGETS, Outcome, Scores

LEARNT_FROM = "its figures on questions it has not seen are the item cross-validation's, make test-nlu"

LABELS = {
    "topic_accuracy": "topic accuracy",
    "content_top1": "content item, top-1",
    "content_top3": "content item, top-3",
    "ask_back_rate": "asking back",
    "urgent_recall": "urgent recall",
    "false_urgent_rate": "false urgent rate",
    "guardrail_false_rate": "guardrail false rate",
}


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _figure_lines(scores: Scores) -> List[str]:
    lines = []
    for name, bound, target in TARGETS:
        hits, total = scores.counts[name]
        sign = ">=" if bound == "min" else "<="
        lines.append(
            f"  {LABELS[name]:<24} {_pct(scores.figures[name]):>7}  ({hits}/{total}; target {sign} {target:.0%})"
        )
    return lines


def _miss_line(outcome: Outcome) -> str:
    q, r = outcome.question, outcome.reply
    want = ", ".join(q.topics) + (f" | {', '.join(q.content_ids)}" if q.content_ids else "")
    flags = (" URGENT" if q.urgent else "") + (" ADVICE" if q.asks_advice else "")
    text = " ".join(q.text.split())
    got = f"{r.topic or '-'} / {r.kind or '-'} / {r.content_id or ', '.join(r.options) or '-'}"
    return f"  {q.id}{flags}: {text[:160]}\n      wanted {want}\n      got    {got}"


def text_report(parts: Sequence[Scores]) -> str:
    lines: List[str] = []
    for scores in parts:
        lines.append(f"== {scores.part}: {len(scores.outcomes)} questions")
        if scores.part != HELD_OUT:
            lines.append(f"  (the item ranker learns from this part: {LEARNT_FROM})")
        lines += _figure_lines(scores)
        lines.append("  per topic (precision / recall / questions):")
        for topic, (precision, recall, n) in scores.per_topic().items():
            lines.append(f"    {topic:<28} {_pct(precision):>7} {_pct(recall):>7} {n:>4}")
        lines.append("  confusion (expected -> answered: count):")
        for (expected, got), count in sorted(scores.confusion().items()):
            if expected != got:
                lines.append(f"    {expected} -> {got}: {count}")
        misses = scores.misses()
        lines.append(f"  misses ({len(misses)}):")
        lines += [_miss_line(m) for m in misses]
        lines.append("")
    return "\n".join(lines)


def _bars(parts: Sequence[Scores]) -> str:
    """An SVG bar chart: each figure, per part, on a 0-100 % scale."""
    width, row, bar = 560, 26, 10
    rows: List[str] = []
    y = 10
    for name, _, target in TARGETS:
        rows.append(f'<text x="0" y="{y + 12}" font-size="12">{html.escape(LABELS[name])}</text>')
        for index, scores in enumerate(parts):
            value = scores.figures[name] or 0.0
            colour = "#0b5cab" if index == 0 else "#b35900"
            rows.append(
                f'<rect x="190" y="{y + index * (bar + 2)}" width="{value * 300:.1f}" height="{bar}" '
                f'fill="{colour}"><title>{scores.part}: {_pct(scores.figures[name])}</title></rect>'
            )
            rows.append(
                f'<text x="{195 + value * 300:.1f}" y="{y + index * (bar + 2) + 9}" font-size="10">'
                f"{scores.part} {_pct(scores.figures[name])}</text>"
            )
        rows.append(
            f'<line x1="{190 + target * 300:.1f}" x2="{190 + target * 300:.1f}" y1="{y - 2}" '
            f'y2="{y + len(parts) * (bar + 2)}" stroke="#000" stroke-dasharray="3,2"/>'
        )
        y += row + len(parts) * (bar + 2) - bar
    return (
        f'<svg role="img" aria-label="Figures per part; dashed line: target" width="{width}" '
        f'height="{y + 10}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_report(parts: Sequence[Scores]) -> str:
    sections = [f"<h1>Understanding real patients' questions</h1>{_bars(parts)}"]
    for scores in parts:
        figures = _table(
            ("figure", "value", "count", "target"),
            (
                (
                    LABELS[n],
                    _pct(scores.figures[n]),
                    "%d/%d" % scores.counts[n],
                    f"{'≥' if b == 'min' else '≤'} {t:.0%}",
                )
                for n, b, t in TARGETS
            ),
        )
        topics = _table(
            ("topic", "precision", "recall", "questions"),
            ((t, _pct(p), _pct(r), n) for t, (p, r, n) in scores.per_topic().items()),
        )
        confusion = _table(
            ("expected", "answered", "count"), ((e, g, c) for (e, g), c in sorted(scores.confusion().items()))
        )
        misses = _table(
            ("id", "question", "wanted", "got"),
            (
                (
                    m.question.id,
                    m.question.text,
                    ", ".join(m.question.topics + m.question.content_ids) + (" (urgent)" if m.question.urgent else ""),
                    f"{m.reply.topic} / {m.reply.kind} / {m.reply.content_id}",
                )
                for m in scores.misses()
            ),
        )
        sections.append(
            f"<h2>{html.escape(scores.part)}: {len(scores.outcomes)} questions</h2>{figures}"
            f"<h3>Per topic</h3>{topics}<h3>Confusion</h3>{confusion}<h3>Misses</h3>{misses}"
        )
    style = (
        "body{font-family:sans-serif;max-width:70em;margin:auto;padding:1em}table{border-collapse:collapse;"
        "margin:.5em 0}td,th{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Evaluation</title>'
        f"<style>{style}</style></head><body>{''.join(sections)}</body></html>"
    )


def write_reports(parts: Sequence[Scores], folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    text = text_report(parts)
    (folder / "eval.txt").write_text(text, encoding="utf-8")
    (folder / "eval.html").write_text(html_report(parts), encoding="utf-8")
    summary = {s.part: {"figures": s.figures, "counts": s.counts} for s in parts}
    (folder / "eval.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return text
