"""bot/rasa_speedups.py changes how fast Rasa works, never what it answers."""
import gc
import json
import os
import subprocess
import sys

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain

from bot import rasa_speedups
from bot.settings import PROJECT_DIR

# Loads the trained model and prints, as JSON, its NLU result for every training
# example and its next-action prediction after a few of them; "patched" imports
# what our Rasa server imports first: bot.rasa_server (skops before Rasa) and
# bot.rasa_speedups (which bot/channel.py imports).
UNDERSTAND = r"""
import asyncio, json, sys
if sys.argv[1] == "patched":
    import bot.rasa_server, bot.rasa_speedups
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

print("RESULT " + json.dumps(asyncio.run(main()), sort_keys=True))
"""


def understand(*variants):
    """UNDERSTAND's result for each variant, run at the same time."""
    runs = [subprocess.Popen([sys.executable, "-c", UNDERSTAND, variant], cwd=PROJECT_DIR, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"})
            for variant in variants]
    results = []
    for run in runs:
        out, err = run.communicate()
        assert run.returncode == 0, err[-3000:]
        results.append(json.loads(out.split("RESULT ", 1)[1]))
    return results


def test_the_trained_model_understands_and_predicts_exactly_as_without_the_fixes():
    """The graph runner without dask, the classifier's sentence features and skops
    imported first give Rasa's results to the last digit, for every training example."""
    plain, patched = understand("plain", "patched")
    assert len(patched["parsed"]) > 400 and len(patched["predicted"]) > 15
    assert patched["unusual"][0].startswith("GraphRunError") and patched["unusual"][1] == "ran"
    assert patched == plain


GOOD = {"events": [{"event": "slot", "name": "concept", "value": "calcinosis"}],
        "responses": [{"text": "Calcinosis ...", "buttons": [{"title": "What is it?", "payload": "/ask"}]}]}


def _rasa_verdict(result):
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        return None
    except jsonschema.ValidationError as error:
        return error.message


@pytest.mark.parametrize("result", [GOOD, {"events": [{"event": 5}]}, {"responses": "text"},
                                    {"events": [{"event": "slot"}], "responses": []}, {}])
def test_action_replies_get_rasas_verdict(result):
    expected = _rasa_verdict(result)
    if expected is None:
        assert RemoteAction("action_x", None)._validate_action_result(result) is True
    else:
        with pytest.raises(jsonschema.ValidationError) as raised:
            RemoteAction("action_x", None)._validate_action_result(result)
        assert raised.value.message.startswith(expected)
        assert "Failed to validate Action server response" in raised.value.message


def test_only_an_empty_domain_is_empty():
    assert Domain.empty().is_empty()
    assert not Domain.load(PROJECT_DIR / "domain.yml").is_empty()


def test_objects_alive_after_start_are_frozen_out_of_collections():
    try:
        rasa_speedups.freeze_loaded_objects()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
