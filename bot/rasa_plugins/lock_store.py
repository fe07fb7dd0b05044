"""Rasa's Redis lock store, with leases: a conversation's ticket lives `LEASE_S` and is
renewed while the replica that holds it (or waits with it) is alive.

Rasa gives each ticket a fixed lifetime (TICKET_LOCK_LIFETIME), which must outlast the
longest turn; a replica that dies keeps its conversations locked that long, and the
messages sent again to another replica wait for it, past the reply timeout ("please try
again"). A lease outlasts a turn as long as its holder lives, and a dead holder's
lease ends within `LEASE_S`.

Use it in endpoints.yml with Rasa's Redis settings:
    lock_store:
      type: bot.rasa_plugins.lock_store.LeasedRedisLockStore
      url: localhost
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from typing import Any, AsyncIterator

from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
LEASE_S = 5.0  # under the channel's reply timeout (10 s), with a turn's time to spare
RENEW_EVERY_S = 1.0


class LeasedRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @contextlib.asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LEASE_S, wait_time_in_seconds: float = 1
    ) -> AsyncIterator[TicketLock]:
        """Rasa's `lock`, with the ticket renewed from its issue (a waiting one too) to its end."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        renewing = asyncio.ensure_future(self._renew(conversation_id, ticket, lock_lifetime))
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            renewing.cancel()
            self.cleanup(conversation_id, ticket)

    async def _renew(self, conversation_id: str, ticket: int, lifetime: float) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY_S)
            try:
                extend = functools.partial(
                    self._extend, conversation_id=conversation_id, ticket=ticket, lifetime=lifetime
                )
                self.red.transaction(extend, self._key(conversation_id))
            except Exception:  # Redis unreachable: the lease runs out, as Rasa's ticket would
                logger.exception("Could not renew the lock of conversation %s", conversation_id)

    def _extend(self, pipe: Any, conversation_id: str, ticket: int, lifetime: float) -> None:
        """In one Redis transaction (watched key), the ticket's end moved to `lifetime` from now."""
        stored = pipe.get(self._key(conversation_id))
        if not stored:
            return
        lock = TicketLock.from_dict(json.loads(stored))
        for held in lock.tickets:
            if held.number == ticket:
                held.expires = time.time() + lifetime
        pipe.multi()
        pipe.set(self._key(conversation_id), lock.dumps())

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id
