"""A small client for Rasa's REST webhook, and what one bot turn looks like.

The end-to-end tests use it; so can any tool that talks to a running assistant.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from bot import settings


@dataclass(frozen=True)
class BotTurn:
    """The messages the bot sent back for one user message."""

    messages: List[Dict[str, Any]]

    @property
    def texts(self) -> List[str]:
        return [m["text"] for m in self.messages if m.get("text")]

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)

    @property
    def contracts(self) -> List[Dict[str, Any]]:
        return [m["custom"] for m in self.messages if isinstance(m.get("custom"), dict)]

    @property
    def answer(self) -> Optional[Dict[str, Any]]:
        """The answer contract of this turn (the conversation's welcome left aside)."""
        contracts = [c for c in self.contracts if c.get("content_id") != "welcome"]
        return contracts[-1] if contracts else None

    @property
    def buttons(self) -> List[Dict[str, str]]:
        return [b for m in self.messages for b in m.get("buttons") or []]


class RestClient:
    def __init__(self, base_url: str, timeout: float = 30.0, token: Optional[str] = None):
        """`token`: the webhook's (SSCBOT_WEBHOOK_TOKEN by default), sent when set."""
        self.url = f"{base_url.rstrip('/')}/webhooks/rest/webhook"
        self.timeout = timeout
        token = settings.webhook_token() if token is None else token
        self.headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}

    def send(self, sender: str, message: str) -> BotTurn:
        body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, headers=self.headers)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return BotTurn(json.loads(response.read().decode("utf-8")))
