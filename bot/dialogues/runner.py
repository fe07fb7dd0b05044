"""Run scripts against a live assistant over the REST webhook, each in its own conversation."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from bot.dialogues.checks import Check, check_reply
from bot.dialogues.script import Script, Turn
from bot.run.rest_client import BotTurn, RestClient

DEFAULT_URL = "http://127.0.0.1:5005"
DEFAULT_TIMEOUT_S = 30.0


class Unreachable(RuntimeError):
    """The assistant does not answer at the given URL."""


@dataclass
class TurnResult:
    turn: Turn
    sent: str = ""
    reply: Optional[BotTurn] = None
    checks: List[Check] = field(default_factory=list)
    error: str = ""  # the turn could not be played: timeout, no such button, server error
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.error and all(c.passed for c in self.checks)


@dataclass
class ScriptResult:
    script: Script
    sender: str
    turns: List[TurnResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return len(self.turns) == len(self.script.turns) and all(t.passed for t in self.turns)

    @property
    def failure(self) -> str:
        """Why the script failed, in one line ('' when it passed)."""
        for number, result in enumerate(self.turns, start=1):
            if result.passed:
                continue
            problem = result.error or next(c.summary for c in result.checks if not c.passed)
            return f"turn {number} (line {result.turn.line}) {result.turn.label!r}: {problem}"
        return ""


def check_reachable(url: str, timeout: float) -> None:
    """Raise Unreachable with the cause unless the Rasa server answers at `url`."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/webhooks/rest/", timeout=timeout) as response:
            if response.status == 200:
                return
            raise Unreachable(f"the assistant at {url} answered HTTP {response.status}")
    except urllib.error.HTTPError as error:
        raise Unreachable(f"the assistant at {url} answered HTTP {error.code}: is the REST channel enabled?") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise Unreachable(f"cannot reach the assistant at {url}: {reason}") from None


def _message_for(turn: Turn, previous: Optional[BotTurn]) -> str:
    """What to send: the typed text, or the payload of the button with the turn's label."""
    if turn.action != "click":
        return turn.text
    buttons = previous.buttons if previous else []
    for button in buttons:
        if button.get("title", "").strip().lower() == turn.text.lower():
            return button["payload"]
    offered = ", ".join(repr(b.get("title")) for b in buttons) or "none"
    raise LookupError(f"no button {turn.text!r} in the previous reply (offered: {offered})")


def _play(client: RestClient, sender: str, turn: Turn, previous: Optional[BotTurn]) -> TurnResult:
    result = TurnResult(turn)
    started = time.monotonic()
    try:
        result.sent = _message_for(turn, previous)
        result.reply = client.send(sender, result.sent)
        result.checks = check_reply(turn.expect, result.reply)
    except LookupError as error:
        result.error = str(error)
    except urllib.error.HTTPError as error:
        result.error = f"the assistant answered HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        result.error = (
            f"no reply within {client.timeout:g} s"
            if isinstance(reason, TimeoutError)
            else f"lost the connection to the assistant: {reason}"
        )
    except ValueError as error:
        result.error = f"the reply was not valid JSON: {error}"
    result.seconds = time.monotonic() - started
    return result


def run_script(script: Script, url: str = DEFAULT_URL, timeout: float = DEFAULT_TIMEOUT_S) -> ScriptResult:
    """Play every turn in a fresh conversation; stop at a turn that could not be played."""
    client = RestClient(url, timeout=timeout)
    result = ScriptResult(script, sender=f"dialogue-{uuid.uuid4().hex}")
    started = time.monotonic()
    previous: Optional[BotTurn] = None
    for turn in script.turns:
        turn_result = _play(client, result.sender, turn, previous)
        result.turns.append(turn_result)
        if turn_result.error:
            break
        previous = turn_result.reply
    result.seconds = time.monotonic() - started
    return result


def run_scripts(
    scripts: List[Script],
    url: str = DEFAULT_URL,
    jobs: int = 4,
    timeout: float = DEFAULT_TIMEOUT_S,
    on_done: Callable[[ScriptResult], None] = lambda result: None,
) -> List[ScriptResult]:
    """Run the scripts, at most `jobs` at a time; results in the scripts' order."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(run_script, script, url, timeout): index for index, script in enumerate(scripts)}
        results: List[Optional[ScriptResult]] = [None] * len(scripts)
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            on_done(future.result())
    return [result for result in results if result is not None]  # every script has its result by now
