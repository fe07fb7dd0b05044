"""The patches (bot.rasa_plugins.patches) change how fast Rasa works, never what it answers,
and training runs them too (through the entry point, bot.run.rasa_server)."""

import json
import os
import subprocess
import sys

from bot.settings import PROJECT_DIR
from tests.unit.rasa_plugins.test_patches import ALL

# Loads the trained model and prints, as JSON, its NLU result for every training
# example and its next-action prediction after a few of them: "plain" on Rasa as it is,
# "patched" as the entry point runs it (bot.run.rasa_server: skops first, then the patches).
UNDERSTAND = r"""
import asyncio, json, sys
import bot.rasa_plugins.patches as patches
if sys.argv[1] == "patched":
    from bot.run.rasa_server import patch_rasa
    patch_rasa()
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.nlu.training_data.loading import load_data

texts = sorted({m.get("text") for m in load_data("data/nlu").training_examples})
agent = Agent.load("models/ssc.tar.gz")

def run_nlu(inputs):  # the graph runner's answer to unusual calls
    try:
        agent.processor.graph_runner.run(inputs=inputs, targets=[agent.processor.model_metadata.nlu_target])
        return "ran"
    except Exception as error:
        return f"{type(error).__name__}: {error}"

async def main():
    parsed = [await agent.parse_message(text) for text in texts]
    predicted = []
    for number, text in enumerate(texts[::25]):
        await agent.processor.log_message(UserMessage(text, sender_id=f"s{number}"))
        predicted.append(await agent.processor.predict_next_for_sender_id(f"s{number}"))
    unusual = [run_nlu({}), run_nlu({"__message__": [UserMessage("hi")],
                                     "other": agent.processor.model_metadata.core_target})]
    return {"parsed": parsed, "predicted": [{k: p[k] for k in ("scores", "policy", "confidence")} for p in predicted],
            "unusual": unusual}

result = asyncio.run(main())
result["patches"] = patches.active()
with open(sys.argv[2], "w") as out:  # a file: the log lines of Rasa's threads share stdout
    json.dump(result, out, sort_keys=True)
"""


def understand(tmp_path, *variants):
    """UNDERSTAND's result for each variant, run at the same time."""
    runs = [
        (
            subprocess.Popen(
                [sys.executable, "-c", UNDERSTAND, variant, str(tmp_path / f"{variant}.json")],
                cwd=PROJECT_DIR,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"},
            ),
            variant,
        )
        for variant in variants
    ]
    results = []
    for run, variant in runs:
        _, err = run.communicate()
        assert run.returncode == 0, err[-3000:]
        results.append(json.loads((tmp_path / f"{variant}.json").read_text()))
    return results


def test_the_trained_model_understands_and_predicts_exactly_as_without_the_fixes(tmp_path):
    """The graph runner without dask, the other patches and skops imported first give
    Rasa's results to the last digit, for every training example."""
    plain, patched = understand(tmp_path, "plain", "patched")
    assert plain.pop("patches") == [] and patched.pop("patches") == ALL
    assert len(patched["parsed"]) > 400 and len(patched["predicted"]) > 15
    assert patched["unusual"][0].startswith("GraphRunError") and patched["unusual"][1] == "ran"
    assert patched == plain


def test_training_runs_the_patched_rasa(tmp_path):
    """`rasa train nlu` through the entry point with our pipeline, on a few examples: patched."""
    nlu = tmp_path / "nlu.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n    - hi there\n'
        "- intent: ask_treatment\n  examples: |\n    - what helps calcinosis\n    - what helps raynauds\n"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.run.rasa_server",
            "train",
            "nlu",
            "--config",
            "config.yml",
            "--nlu",
            str(nlu),
            "--out",
            str(tmp_path),
            "--fixed-model-name",
            "patched",
        ],
        cwd=PROJECT_DIR,
        text=True,
        capture_output=True,
        env={
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONWARNINGS": "ignore",
            "RASA_CACHE_DIRECTORY": str(tmp_path / "cache"),
        },
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"Rasa 3.6.21 patches active: {', '.join(ALL)}" in run.stdout + run.stderr
