"""The benchmark's pure parts: conversations, reply checks, percentiles, ratios and
target verdicts, and the JSON and PNG it writes. No servers: `make bench` runs those."""

import json

import pytest
from PIL import Image

from bench import report
from bench.__main__ import CONVERSATIONS, parse_args
from bench.load import TRY_AGAIN, LevelRun, Sample, Turn, button_payload, load_conversations, reply_error
from bench.report import level


def test_the_conversations_of_both_bots_parse_with_their_button_clicks():
    conversations = load_conversations(CONVERSATIONS)
    assert set(conversations) == {"ours", "starter"}
    assert all(len(c) >= 4 for bot in conversations.values() for c in bot)
    assert Turn("What helps Raynaud's?", click=True) in conversations["ours"][0]
    assert conversations["starter"][1][2] == Turn("yes")  # quoted: not YAML's true


@pytest.mark.parametrize(
    "status, reply, error",
    [
        (200, [{"recipient_id": "a", "text": "Hello"}], None),
        (500, None, "HTTP 500"),
        (200, [], "empty reply"),
        (200, [{"recipient_id": "a", "custom": {"kind": "answer"}}], "empty reply"),
        (
            200,
            [{"text": "Please try again"}, {"custom": {"kind": "fallback", "content_id": TRY_AGAIN}}],
            "try-again fallback",
        ),
    ],
)
def test_a_reply_is_an_error_when_it_is_not_a_real_answer(status, reply, error):
    assert reply_error(status, reply) == error


def test_a_click_sends_the_payload_of_the_button_with_that_label():
    reply = [
        {"text": "Calcinosis ...", "buttons": [{"title": "What is calcinosis?", "payload": '/ask{"id": 1}'}]},
        {"custom": {"kind": "answer"}},
    ]
    assert button_payload(reply, "What is calcinosis?") == '/ask{"id": 1}'
    assert button_payload(reply, "What is that?") is None
    assert button_payload(None, "What is calcinosis?") is None


def test_percentiles_interpolate_between_ranks():
    values = list(range(1, 101))
    assert report.percentile(values, 50) == pytest.approx(50.5)
    assert report.percentile(values, 95) == pytest.approx(95.05)
    assert report.percentile(values, 99) == pytest.approx(99.01)
    assert report.percentile([3.0], 99) == 3.0
    assert report.percentile([], 50) is None


def test_a_level_summary_counts_errors_and_only_good_answers_in_throughput():
    run = LevelRun(
        concurrency=20,
        elapsed_s=2.0,
        conversations=3,
        samples=[Sample(0.1), Sample(0.2), Sample(0.3), Sample(30.0, "TimeoutError")],
    )
    summary = report.level_summary(run, {"rasa": 0.2, "actions": 0.02})
    assert summary["messages"] == 4
    assert summary["errors"] == 1 and summary["error_kinds"] == {"TimeoutError": 1}
    assert summary["msg_per_s"] == 1.5
    assert summary["p50_ms"] == 250.0
    assert summary["cpu_ms_per_msg"] == {"rasa": 50.0, "actions": 5.0}


def _level(concurrency, p50, p95, msg_per_s, errors=0):
    return {
        "concurrency": concurrency,
        "messages": 100,
        "errors": errors,
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p95,
        "msg_per_s": msg_per_s,
        "cpu_ms_per_msg": {"rasa": 20.0},
    }


def _results(ours_levels, starter_levels, cold_start=12.0, rss=700.0, command_s=0.6):
    def bot(levels, processes):
        return {
            "levels": levels,
            "cold_start_s": cold_start,
            "training_s": 60.0,
            "training_reused": False,
            "memory": {name: [{"pid": 1, "rss_mb": rss, "peak_mb": rss}] for name in processes},
        }

    return {
        "settings": {"levels": [1, 20]},
        "bots": {"ours": bot(ours_levels, ("rasa", "actions")), "starter": bot(starter_levels, ("rasa",))},
        "commands": [
            {"command": "--help", "median_s": 0.5, "rss_mb": 61},
            {"command": "purge", "median_s": command_s, "rss_mb": 62},
        ],
    }


def test_every_target_is_met_when_ours_is_fast_enough():
    results = _results(
        [_level(1, 30, 50, 30), _level(20, 200, 400, 100)], [_level(1, 60, 80, 15), _level(20, 800, 1200, 40)]
    )
    assert report.ratios(results) == {"throughput_at_20": 2.5, "p50_at_1": 0.5}
    assert all(t["met"] for t in report.targets(results))


def test_targets_missed_are_marked_not_met():
    results = _results(
        [_level(1, 50, 60, 20), _level(20, 400, 600, 60, errors=2)],
        [_level(1, 60, 80, 15), _level(20, 800, 1200, 40)],
        cold_start=25.0,
        rss=1100.0,
        command_s=1.2,
    )
    verdicts = [t["met"] for t in report.targets(results)]
    assert verdicts == [False, False, False, False, False, False, False]


def test_a_level_not_run_is_not_measured_rather_than_failed():
    results = _results([_level(1, 30, 50, 30)], [_level(1, 60, 80, 15)])
    results["settings"]["levels"] = [1]
    met = [t["met"] for t in report.targets(results)]
    assert met[0] is None and met[2] is None and met[1] is True


def test_the_report_writes_valid_json_a_png_plot_and_a_table(tmp_path):
    results = _results(
        [_level(1, 30, 50, 30), _level(20, 200, 400, 100)], [_level(1, 60, 80, 15), _level(20, 800, 1200, 40)]
    )
    results["ratios"], results["targets"] = report.ratios(results), report.targets(results)
    report.write_json(results, tmp_path / "out" / "bench.json")
    report.plot(results, tmp_path / "out" / "latency.png")
    assert json.loads((tmp_path / "out" / "bench.json").read_text())["ratios"]["p50_at_1"] == 0.5
    with Image.open(tmp_path / "out" / "latency.png") as image:
        assert image.format == "PNG" and image.size == (800, 500)
    text = report.table(results)
    assert "throughput at 20 2.50" in text and "NOT met" not in text
    assert "sscbot purge                   0.60 s    62 MB" in text


def test_the_table_names_the_kinds_of_errors():
    results = _results(
        [_level(1, 30, 50, 30), _level(20, 200, 400, 100, errors=2)], [_level(1, 60, 80, 15), _level(20, 800, 1200, 40)]
    )
    level(results, "ours", 20)["error_kinds"] = {"TimeoutError": 2}
    results["targets"] = report.targets(results)
    assert "errors: TimeoutError x2" in report.table(results)
    assert "[  NOT met   ] no errors (ours: 2)" in report.table(results)


def test_the_levels_are_1_and_20_and_100_on_demand():
    assert parse_args([]).levels == [1, 20]
    assert parse_args(["--with-100"]).levels == [1, 20, 100]
    assert parse_args(["--levels", "20,1,5", "--env", "SANIC_WORKERS=2"]).env == {"SANIC_WORKERS": "2"}
    with pytest.raises(SystemExit):
        parse_args(["--levels", "1,x"])
