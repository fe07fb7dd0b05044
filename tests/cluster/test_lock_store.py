"""The lock store with leases on a real Redis: a live holder keeps its conversation locked
beyond the lease, and a dead holder's lock ends with it."""

import asyncio
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_plugins.lock_store import LEASE_S, LeasedRedisLockStore
from bot.run.launcher import free_port
from bot.run.services import Redis

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    server = Redis(free_port(), tmp_path_factory.mktemp("redis") / "redis.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def store(redis):
    return LeasedRedisLockStore(EndpointConfig(url="127.0.0.1", port=redis.port, db=1, key_prefix="test"))


def test_a_live_holder_keeps_the_lock_beyond_its_lease(store):
    conversation, order = uuid.uuid4().hex, []

    async def hold():
        async with store.lock(conversation):
            order.append("first in")
            await asyncio.sleep(LEASE_S * 2)
            order.append("first out")

    async def wait_then_hold():
        await asyncio.sleep(0.5)
        async with store.lock(conversation):
            order.append("second in")

    async def both():
        await asyncio.gather(hold(), wait_then_hold())

    asyncio.run(both())
    assert order == ["first in", "first out", "second in"]


def test_the_lock_of_a_holder_that_died_ends_with_its_lease(store):
    conversation = uuid.uuid4().hex
    store.issue_ticket(conversation, LEASE_S)  # a replica's ticket that nobody renews: it was killed

    async def next_message():
        async with store.lock(conversation):
            return "handled"

    # Rasa's own store keeps the dead ticket for TICKET_LOCK_LIFETIME (60 s)
    assert asyncio.run(asyncio.wait_for(next_message(), LEASE_S * 3)) == "handled"
