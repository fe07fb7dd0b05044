"""Two Rasa servers and two action servers on PostgreSQL and Redis behind nginx (#15, #23):
20 conversations of 30 messages at once while one Rasa server is killed. No error reaches
the client, hardly any message gets "please try again" and each of those is answered when
sent again, the killed server is started again, every message is stored once, in order, and
no two messages of one conversation ever ran at once; ratings and "forget me" work across
the replicas."""

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot.access.guard import Guard, Refused, redis_client
from bot.access.origins import OriginPolicy
from bot.access.rate_limits import Rate
from bot.content.repository import content
from bot.content.store import ContentStore
from bot.run.cluster import Cluster, ClusterConfig
from tests.stored import events_of

pytestmark = pytest.mark.cluster
CONVERSATIONS, ROUNDS = 20, 3  # all at once, the questions asked three times: 600 messages
QUESTIONS = [
    "hello",
    "what is systemic sclerosis?",
    "what helps calcinosis?",
    "and raynaud's?",
    "what is that?",
    "what helps digital ulcers?",
    "what is imatinib?",
    "what helps a renal crisis?",
    "what is mycophenolate?",
    "thanks",
]
MESSAGES = len(QUESTIONS) * ROUNDS
TRY_AGAIN = "out_of_scope.try_again"
RESTART_DEADLINE_S = 300


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(ClusterConfig.private(tmp_path_factory.mktemp("cluster"), f"test-{uuid.uuid4().hex[:8]}"))
    running.start()
    yield running
    running.stop(remove_data=True)


@pytest.fixture(scope="module")
def tracker(cluster):
    engine = sa.create_engine(cluster.postgres.url)
    yield engine
    engine.dispose()


def post(url, body, headers=None):
    """(status, JSON reply, the replica that answered) of one request; status 0 if none came."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return response.status, json.loads(response.read()), response.headers.get("X-Upstream")
    except urllib.error.HTTPError as error:
        return error.code, None, error.headers.get("X-Upstream")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None, None


def contracts(messages):
    return [m["custom"] for m in messages or [] if isinstance(m.get("custom"), dict)]


def try_again(messages):
    return TRY_AGAIN in [c.get("content_id") for c in contracts(messages)]


class Load:
    """What the clients saw: every reply, and the requests that failed or were asked again."""

    def __init__(self):
        self.answered = 0
        self.errors, self.try_again, self.sent_again = [], [], []

    def converse(self, url, sender):
        """Send the messages in order; one that gets "please try again" is sent again with its id,
        and the reply it then gets kept."""
        replies = []
        for number in range(MESSAGES):
            body = {
                "sender": sender,
                "message": QUESTIONS[number % len(QUESTIONS)],
                "message_id": f"{sender}-{number:02d}",
            }
            status, messages, upstream = post(f"{url}/webhooks/rest/webhook", body)
            if status == 200 and try_again(messages):
                self.try_again.append(body["message_id"])
                time.sleep(2)
                status, messages, upstream = post(f"{url}/webhooks/rest/webhook", body)
                self.sent_again.append((body["message_id"], status, try_again(messages)))
            if status != 200:
                self.errors.append((body["message_id"], status))
            replies.append((body["message"], upstream, messages))
            self.answered += 1
        return replies


def test_a_killed_replica_is_started_again_and_no_client_sees_it(cluster, tracker):
    senders = [f"cluster-{uuid.uuid4().hex}" for _ in range(CONVERSATIONS)]
    load = Load()
    killed = {}
    killer = threading.Thread(target=kill_first_rasa_server, args=(cluster, load, killed))
    killer.start()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(pool.map(lambda sender: load.converse(cluster.rasa_url, sender), senders))
    killer.join()
    restart = back_again(cluster, killed)

    total = CONVERSATIONS * MESSAGES
    passed_on = [upstream for result in results for _, upstream, _ in result if upstream and ", " in upstream]
    print(
        f"\n{total} messages; HTTP errors {len(load.errors)}; 'please try again' {len(load.try_again)}; "
        f"passed on by nginx {len(passed_on)}; killed replica back after {restart.ready_at - killed['at']:.1f} s"
    )
    assert load.errors == [], "no HTTP error reaches the client"
    assert len(load.try_again) <= total // 100, load.try_again
    assert all(status == 200 and not again for _, status, again in load.sent_again), load.sent_again
    assert passed_on, "nginx passed the killed replica's requests to the other"
    # nginx names every replica it tried; the last one answered
    replicas = Counter(upstream.split(", ")[-1] for result in results for _, upstream, _ in result)
    assert len(replicas) == 2, replicas
    restarted = f"http://127.0.0.1:{cluster.replicas[0].config.rasa_port}/webhooks/rest/webhook"
    assert post(restarted, {"sender": f"cluster-{uuid.uuid4().hex}", "message": "hi"})[0] == 200, "it is back"
    for sender, replies in zip(senders, results, strict=True):
        events = events_of(tracker, sender)
        users = [event for kind, event in events if kind == "user"]
        assert [u["text"] for u in users] == [
            text for text, _, _ in replies
        ], f"{sender}: each message stored once, in order"
        # one turn at a time: each message comes after the previous turn ended (action_listen)
        for index, (kind, _) in enumerate(events):
            if kind == "user":
                previous_kind, previous = events[index - 1]
                assert previous_kind == "action" and previous["name"] == "action_listen", sender
        # the replies stored once each, in order: exactly what the patient was sent
        stored = [event["text"] for kind, event in events if kind == "bot" and event.get("text")]
        sent = [m["text"] for _, _, messages in replies for m in messages if m.get("text")]
        assert stored == sent, sender


def kill_first_rasa_server(cluster, load, killed):
    """SIGKILL the first Rasa server when a fifth of the messages are answered."""
    while load.answered < CONVERSATIONS * MESSAGES // 5:
        time.sleep(0.1)
    process = cluster.replicas[0].processes["rasa"]
    os.killpg(process.pid, signal.SIGKILL)
    killed.update(at=time.monotonic(), pid=process.pid)


def back_again(cluster, killed):
    """The supervisor's restart of the killed server, waited for."""
    deadline = time.monotonic() + RESTART_DEADLINE_S
    while time.monotonic() < deadline:
        restarts = [r for r in cluster.supervisor.restarts if (r.replica, r.server) == (1, "rasa")]
        if restarts:
            assert cluster.replicas[0].processes["rasa"].pid != killed["pid"]
            return restarts[0]
        time.sleep(1)
    pytest.fail(f"the killed Rasa server was not started again within {RESTART_DEADLINE_S} s")


def test_the_staff_console_runs_beside_the_replicas(cluster):
    with urllib.request.urlopen(f"{cluster.staff_url}/staff/health", timeout=10) as response:
        assert response.status == 200


def test_ratings_and_forget_me_work_across_replicas(cluster, tracker):
    web = cluster.web_url
    _, conversation, _ = post(f"{web}/api/conversation", {})
    auth = {"Authorization": f"Bearer {conversation['token']}"}
    sender = conversation["sender"]
    status, messages, _ = post(f"{web}/api/chat", {"sender": sender, "message": "what helps calcinosis?"}, auth)
    assert status == 200 and "skin.calcinosis_treatments" in [c["content_id"] for c in contracts(messages)]
    rating = {"sender": sender, "content_id": "skin.calcinosis_treatments", "rating": "helpful"}
    assert post(f"{web}/api/feedback", rating, auth)[0] == 200
    with tracker.connect() as connection:
        count = "SELECT count(*) FROM feedback WHERE conversation_id = :s"
        assert connection.execute(sa.text(count), {"s": sender}).scalar() == 1
    served_by = {post(f"{web}/api/chat", {"sender": sender, "message": text}, auth)[0] for text in ("hi", "thanks")}
    assert served_by == {200}
    status, messages, _ = post(f"{web}/api/chat", {"sender": sender, "message": "forget me"}, auth)
    assert status == 200 and contracts(messages)[-1]["content_id"] == "privacy.forgotten"
    assert events_of(tracker, sender) == []
    with tracker.connect() as connection:
        assert connection.execute(sa.text(count), {"s": sender}).scalar() == 0


def test_loaders_starting_together_on_postgresql_leave_one_copy_and_readers_never_see_half(cluster, tracker):
    """Four loads at once (each a new version, so each replaces the content) while a reader
    counts the items: the reader always sees the whole content, and one copy remains."""
    expected = len(content().library.items)
    counts, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            with tracker.connect() as connection:
                counts.append(connection.execute(sa.text("SELECT count(*) FROM content_items")).scalar())

    reader = threading.Thread(target=read)
    reader.start()
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        changed = pool.starmap(load_version, [(cluster.postgres.url, f"test-{uuid.uuid4().hex}") for _ in range(4)])
        again = pool.starmap(load_version, [(cluster.postgres.url, "same-version")] * 4)
    stop.set()
    reader.join()
    assert changed == [True] * 4 and sorted(again) == [False, False, False, True]
    assert counts and set(counts) == {expected}, "a reader saw the content half loaded"


def load_version(url, digest):
    store = ContentStore(url)
    return store.load(content().library, digest)


def test_rate_limits_are_shared_by_the_replicas_through_redis(cluster):
    """Two replicas' guards on one Redis keep one limit together; without Redis, requests pass."""
    name = f"test-{uuid.uuid4().hex}"
    replicas = [
        Guard(OriginPolicy.of([]), per_conversation=Rate(3, 60), redis=redis_client(cluster.redis.url), name=name)
        for _ in range(2)
    ]
    for guard in (replicas[0], replicas[1], replicas[0]):
        guard.check_conversation("one-conversation")
    with pytest.raises(Refused) as refused:
        replicas[1].check_conversation("one-conversation")
    assert refused.value.status == 429 and refused.value.headers == {"Retry-After": "20"}
    replicas[1].check_conversation("another-conversation")
    unreachable = Guard(OriginPolicy.of([]), per_conversation=Rate(1, 60), redis=redis_client("redis://127.0.0.1:1/1"))
    for _ in range(3):
        unreachable.check_conversation("one-conversation")  # let through, and logged


def dead_rows(tracker):
    with tracker.begin() as connection:
        connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pgstattuple"))
        return connection.execute(sa.text("SELECT dead_tuple_count FROM pgstattuple('events')")).scalar()


def test_the_purge_on_postgresql_leaves_no_deleted_rows_in_the_table(cluster, tracker):
    """Run last: it purges every conversation of this module."""
    sender = f"purged-{uuid.uuid4().hex}"
    post(f"{cluster.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": "what helps calcinosis?"})
    with tracker.begin() as connection:  # the deletes alone leave the old rows in the table's files
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
    assert dead_rows(tracker) > 0
    env = {
        **os.environ,
        "SSCBOT_TRACKER_URL": cluster.postgres.url,
        "SSCBOT_FEEDBACK_DATABASE_URL": cluster.postgres.url,
    }
    purged = subprocess.run(
        [sys.executable, "-m", "bot.run.cli", "purge", "--days", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert purged.returncode == 0 and "Deleted" in purged.stdout, purged.stdout + purged.stderr
    assert dead_rows(tracker) == 0
    with tracker.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 0
