"""Rasa's REST channel for a public page: same URL and replies, nothing unanswered.

It turns a request into a `UserMessage` and answers. Compared with
`rasa.core.channels.rest.RestInput` it
- admits a request through the checks it shares with the widget server (bot.access:
  the site, the rate limits, the webhook token SSCBOT_WEBHOOK_TOKEN) and refuses
  malformed requests (not JSON, not UTF-8, nested too deep, no sender, too large) with a
  clear JSON error and one log line instead of a 500 or a shared "default" conversation;
  Sanic's own errors (odd methods, oversized headers) are JSON;
- forgets the conversation, its ratings and the staff's tries of it when the patient asks
  ("forget me", or a typed yes to "Delete this conversation?"), through the tracker store;
- drops control characters and redacts personal details before the assistant, the
  tracker store or a log sees the text (never inside a red-flag phrase);
- has Rasa's NLU read the message once, and hands its parse data to the dialogue with the
  message: the verdict in it (bot.rasa_plugins.safety_override) says whether the message
  is urgent, for the answers the channel gives itself;
- answers empty and over-long messages itself, and asks a sender with several messages
  still waiting for an answer to wait (urgent advice instead, if the verdict is urgent);
- sends urgent advice without a new conversation's welcome (bot.records.replies.as_sent);
- answers a message sent again with the same `message_id` (a client's retry after a lost
  reply or a replica that died) with the replies it got the first time (the tracker
  store keeps them), instead of handling it twice;
- when the assistant produced nothing, failed, or took too long (the action server down
  or slow), still answers: with urgent advice if the verdict is urgent, else with a safe
  fallback (disclaimer, physician pointer, "please try again"). A slow turn is not
  cancelled: it finishes and is stored, so nothing is lost.

Timeouts: the channel waits SSCBOT_REPLY_TIMEOUT_S for the assistant's reply. Sanic's
response timeout is Rasa's `--response-timeout` (bot.run.rasa_server says how); Sanic's
request and keep-alive timeouts, which Rasa has no setting for, are set here.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.access.guard import Guard, Refused, guard_from_settings
from bot.content.files import ContentError
from bot.content.replies import SafetyTexts, item_messages
from bot.content.repository import content
from bot.language.encoder import encoding_ahead
from bot.language.understanding import shared_understanding
from bot.language.verdict import Verdict
from bot.names import URGENT_ITEM, VERDICT
from bot.rasa_plugins import sanic_errors
from bot.rasa_plugins.tracker_store import PreparedSQLTrackerStore
from bot.records.ratings import FeedbackStore
from bot.records.replies import as_sent, turns_of
from bot.records.staff_copies import StaffCopies
from bot.safety.forget_request import FORGET_PAYLOAD, is_plain_forget, says_yes
from bot.safety.incoming import BadRequest, Incoming, parse_body
from bot.safety.redaction import redact

logger = logging.getLogger(__name__)

EMPTY, TOO_LONG, TRY_AGAIN = "out_of_scope.empty_message", "out_of_scope.too_long", "out_of_scope.try_again"
FORGOTTEN, WAIT = "privacy.forgotten", "out_of_scope.wait_for_answer"
# One conversation's messages are answered one at a time (Rasa's lock store polls
# once a second and gives up after 60 s): more than this many waiting are refused.
MAX_IN_FLIGHT = 3
# Sanic's, which Rasa has no setting for (it leaves 60 s and 120 s): headers within 10 s, idle connections 15 s.
SERVER_TIMEOUTS = {"REQUEST_TIMEOUT": 10, "KEEP_ALIVE_TIMEOUT": 15}
RED_FLAG_RULE = "red_flag"  # the verdict's rule for urgent symptoms (bot.rasa_plugins.safety_override)


class ChannelReplies:
    """The channel's own replies, from content/, as the REST webhook returns messages."""

    def __init__(self, max_chars: int):
        read = content()
        self.library = read.library
        self.texts = SafetyTexts.from_settings(self.library.settings.__getitem__)
        self.urgent_items = read.red_flags.replies()
        self.max_chars = max_chars
        for item_id in {EMPTY, TOO_LONG, TRY_AGAIN, FORGOTTEN, WAIT, URGENT_ITEM, *self.urgent_items.values()}:
            if item_id not in self.library.items:
                raise ContentError("content/", "missing: the REST channel sends it", item=item_id)

    def fallback(self, item_id: str, sender: str) -> List[Dict[str, Any]]:
        return self._messages(item_id, "fallback", sender)

    def forgotten(self, sender: str) -> List[Dict[str, Any]]:
        return self._messages(FORGOTTEN, "smalltalk", sender)

    def urgent(self, red_flag: Optional[str], sender: str) -> List[Dict[str, Any]]:
        item_id = self.urgent_items.get(red_flag, URGENT_ITEM) if red_flag else URGENT_ITEM
        return self._messages(item_id, "emergency", sender)

    def _messages(self, item_id: str, kind: str, sender: str) -> List[Dict[str, Any]]:
        text, contract = item_messages(self.library.items[item_id], kind, self.texts)
        text["text"] = text["text"].replace("{limit}", str(self.max_chars))
        return [{"recipient_id": sender, **text}, {"recipient_id": sender, "custom": contract["json_message"]}]


class PatientRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> PatientRestInput:
        return cls()

    def __init__(self) -> None:
        self.max_chars = settings.max_message_chars()
        self.reply_timeout = settings.reply_timeout_s()
        self.replies = ChannelReplies(self.max_chars)
        self.feedback = FeedbackStore(settings.feedback_database_url())
        self.copies = StaffCopies(settings.feedback_database_url())
        self.in_flight: Dict[str, int] = {}
        self.open_requests = 0  # webhook requests being answered now
        self.understanding = shared_understanding()
        self.token = settings.webhook_token()
        self.guard: Guard = guard_from_settings("WEBHOOK", [settings.public_url()] if settings.public_url() else [])

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("patient_rest_webhook", __name__)

        @webhook.listener("before_server_start")
        async def limit_requests(app, _loop) -> None:
            app.config.REQUEST_MAX_SIZE = settings.max_request_bytes()
            sanic_errors.install(app)
            app.config.update(SERVER_TIMEOUTS)

        @webhook.listener("after_server_start")
        async def model_loaded(_app, _loop) -> None:
            freeze_loaded_objects()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            self.open_requests += 1
            try:
                return await answer(request)
            finally:
                self.open_requests -= 1

        async def answer(request: Request) -> HTTPResponse:
            try:
                incoming = self._admit(request)
            except Refused as refused:
                logger.warning("refused a webhook request: %d %s", refused.status, refused.message)
                return response.json({"error": refused.message}, status=refused.status, headers=refused.headers)
            agent, sender, text = request.app.ctx.agent, incoming.sender, incoming.text
            if is_plain_forget(text) or (says_yes(text) and await self._asked_to_forget(agent, sender)):
                return response.json(await self._forget(agent, sender))
            if incoming.is_empty:
                return response.json(self.replies.fallback(EMPTY, sender))
            text = self._redacted(text[: self.max_chars])
            encoding = encoding_ahead().start(text)  # beside the other NLU components
            refusal = TOO_LONG if incoming.too_long(self.max_chars) else None
            refusal = refusal or (WAIT if self.in_flight.get(sender, 0) >= MAX_IN_FLIGHT else None)
            parsed: Optional[Dict[str, Any]] = None  # None: Rasa's processor reads the message in the turn
            if refusal or self.open_requests > 1:
                # Read here: a refusal needs the verdict; and with other requests open, the encoding is awaited
                # off the event loop first, where Rasa's NLU (which runs on the loop) would wait for it.
                try:
                    await asyncio.wrap_future(encoding)
                    parsed = await agent.parse_message(text)
                except Exception:
                    logger.exception("Could not read a message of conversation %s", sender)
                    return response.json(self.replies.fallback(TRY_AGAIN, sender))
            if refusal:
                return response.json(self._urgent(parsed or {}, sender) or self.replies.fallback(refusal, sender))
            collector = CollectingOutputChannel()
            message = UserMessage(
                text,
                collector,
                sender,
                parse_data=parsed,  # read once: Rasa's processor takes it as it is
                input_channel=self.name(),
                message_id=incoming.message_id,
            )
            store = PreparedSQLTrackerStore.inside(agent.tracker_store)
            handle = on_new_message
            if incoming.message_id and store is not None:
                handle = functools.partial(self._handle_once, agent, store)
            messages = await self._answer(handle, message, collector)
            if messages:
                return response.json(messages)
            parsed = parsed or await self._read_in_turn(agent, sender, text)
            return response.json(self._urgent(parsed, sender) or self.replies.fallback(TRY_AGAIN, sender))

        return webhook

    def _admit(self, request: Request) -> Incoming:
        """The request's message, if the guard admits it (bot.access.guard: the site, the
        client's rate limit, the token when one is set), as JSON, and within its
        conversation's limit; else Refused."""
        self.guard.check_origin(request.headers.get("origin"))
        self.guard.admit(
            request.ip, request.headers.get("x-forwarded-for"), request.headers.get("authorization"), self.token
        )
        if request.content_type.split(";")[0].strip().lower() != "application/json":
            raise Refused(415, "send the request as JSON (Content-Type: application/json)")
        try:
            incoming = parse_body(request.body)
        except BadRequest as error:
            raise Refused(400, str(error)) from None
        self.guard.check_conversation(incoming.sender)
        return incoming

    async def _answer(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        message: UserMessage,
        collector: CollectingOutputChannel,
    ) -> List[Dict[str, Any]]:
        """The assistant's messages as sent (urgent advice alone); [] if it has none in time."""
        turn = asyncio.ensure_future(on_new_message(message))
        self._count(message.sender_id, +1)
        turn.add_done_callback(lambda done: self._turn_done(message.sender_id, done))
        try:
            await asyncio.wait_for(asyncio.shield(turn), self.reply_timeout)
        except asyncio.TimeoutError:
            logger.error("No reply within %s s for conversation %s", self.reply_timeout, message.sender_id)
            return []
        except Exception:  # logged by _turn_done
            return []
        if not any(m.get("text") for m in collector.messages):
            logger.error("The assistant sent no text for conversation %s", message.sender_id)
            return []
        return as_sent(collector.messages)

    async def _handle_once(self, agent: Any, store: PreparedSQLTrackerStore, message: UserMessage) -> None:
        """Rasa's Agent.handle_message (under the conversation's lock, the processor handles the
        message), except that a message whose id the conversation has already is answered with
        the replies it got then. Kept beside Rasa's: the look-up must hold the same lock as the
        turn (a retry can come while the first is being answered), Rasa's lock cannot be taken
        twice, and Agent.handle_message has nothing to call between the two."""
        async with agent.lock_store.lock(message.sender_id):
            loop = asyncio.get_running_loop()
            replies = await loop.run_in_executor(None, store.replies_to, message.sender_id, message.message_id)
            if replies is None:
                await agent.processor.handle_message(message)
                return
            logger.info("A message of conversation %s came again: its stored replies were sent", message.sender_id)
            for reply in replies:
                await message.output_channel.send_response(message.sender_id, reply)

    @staticmethod
    async def _read_in_turn(agent: Any, sender: str, text: str) -> Dict[str, Any]:
        """The parse data of a turn that gave no reply: as the turn stored it, or read now if the
        turn never got that far (the tracker store was down, or the turn is still running)."""
        try:
            tracker = await agent.tracker_store.retrieve(sender)
            latest = tracker.latest_message if tracker is not None else None
            if latest is not None and latest.text == text and latest.parse_data.get(VERDICT):
                return latest.parse_data
            return await agent.parse_message(text)
        except Exception:
            logger.exception("Could not read a message of conversation %s", sender)
            return {}

    def _turn_done(self, sender: str, turn: asyncio.Future) -> None:
        self._count(sender, -1)
        if not turn.cancelled() and turn.exception() is not None:  # also after the patient got the fallback
            logger.error("A turn of conversation %s failed: %r", sender, turn.exception())

    def _count(self, sender: str, change: int) -> None:
        count = self.in_flight.get(sender, 0) + change
        if count:
            self.in_flight[sender] = count
        else:
            self.in_flight.pop(sender, None)

    async def _asked_to_forget(self, agent: Any, sender: str) -> bool:
        """Whether the conversation's latest turn asked "Delete this conversation?" (its Yes button)."""
        store = PreparedSQLTrackerStore.inside(agent.tracker_store)
        if store is None:
            return False
        turns = await asyncio.get_running_loop().run_in_executor(None, turns_of, store.engine, sender)
        latest = turns[-1].messages if turns else ()
        return any(b.get("payload") == FORGET_PAYLOAD for m in latest for b in m.get("buttons") or [])

    async def _forget(self, agent: Any, sender: str) -> List[Dict[str, Any]]:
        """Delete the conversation (through the tracker store), its ratings and the staff's tries
        of its questions, holding the conversation's lock."""
        store = PreparedSQLTrackerStore.inside(agent.tracker_store)
        if store is None:
            logger.error("Cannot forget conversation %s: the tracker store is not %s", sender, PreparedSQLTrackerStore)
            return self.replies.fallback(TRY_AGAIN, sender)
        loop = asyncio.get_running_loop()

        async def forget_locked() -> Tuple[int, int, int]:
            async with agent.lock_store.lock(sender):
                ratings = await loop.run_in_executor(None, self.feedback.forget, [sender])
                copies = await loop.run_in_executor(None, self.copies.forget, [sender])
                await loop.run_in_executor(None, store.forget, copies)
                return await loop.run_in_executor(None, store.forget, [sender]), ratings, len(copies)

        try:
            events, ratings, copies = await asyncio.wait_for(forget_locked(), self.reply_timeout)
        except Exception:
            logger.exception("Could not forget conversation %s", sender)
            return self.replies.fallback(TRY_AGAIN, sender)
        logger.info("Forgot a conversation on request: %d events, %d ratings, %d staff tries", events, ratings, copies)
        return self.replies.forgotten(sender)

    def _urgent(self, parsed: Dict[str, Any], sender: str) -> Optional[List[Dict[str, Any]]]:
        """Urgent advice if the NLU verdict on the message is a red flag."""
        verdict = Verdict.read(parsed.get(VERDICT))
        if verdict is None or verdict.rule != RED_FLAG_RULE:
            return None
        return self.replies.urgent(verdict.red_flag, sender)

    def _redacted(self, text: str) -> str:
        """`text` without personal details; a red-flag phrase is left whole, so that
        "took 20 paracetamol on the road" stays urgent. Kept in the channel: what NLU reads is
        stored, so redaction comes before it, and the red flag must be found before redacting
        (only when redaction changes anything)."""
        redacted = redact(text)
        if redacted == text:
            return text
        found = self.understanding.analyse(text).red_flag
        return redact(text, [(found.start, found.end)]) if found.flag else redacted


def freeze_loaded_objects() -> None:
    """After start, the loaded model, Rasa and TensorFlow are hundreds of thousands of objects
    that the garbage collector walked again in every full collection: collect once, then keep
    every object alive now out of later collections (gc.freeze; issue #7)."""
    gc.collect()
    gc.freeze()
