"""The staff console probed as an attacker would (#21), in its own app in front of the
session's real Rasa server, with the session's real databases: the sign-in's limits,
sessions ended on the server, tries only in staff conversations, odd run ids, and a
patient's "forget me" reaching every copy the staff made of their question."""

import asyncio
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer

from bot.access.client_address import trusted_proxies
from bot.access.guard import Guard
from bot.access.origins import OriginPolicy
from bot.access.rate_limits import Rate
from bot.content.store import ContentStore
from bot.records.ratings import FeedbackStore
from bot.records.staff_copies import StaffCopies
from bot.run.rest_client import RestClient
from bot.staff.accounts import FREE_TRIES, StaffStore
from bot.staff.console import StaffConsole, create_app
from bot.staff.runs import RunStore
from bot.staff.sessions import COOKIE, SessionStore
from tests.conftest import user_texts

pytestmark = pytest.mark.e2e
KEY = b"the staff key of this test, 32 bytes or more"
PASSWORD = "correct horse battery staple"
SITE = "http://console.test"


def console_app(assistant, sign_in_rate=None):
    records = assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"]
    content = ContentStore(assistant.config.env["SSCBOT_DATABASE_URL"])
    content.refresh()
    console = StaffConsole(
        StaffStore(records),
        SessionStore(records, KEY),
        RunStore(records),
        FeedbackStore(records),
        StaffCopies(records),
        content,
        sa.create_engine(f"sqlite:///{assistant.config.tracker_db}"),
        Path(assistant.config.env["SSCBOT_DIALOGUES_DIR"]),
        assistant.config.model,
        assistant.config.rasa_url,
        sign_in_rate=sign_in_rate,
    )
    guard = Guard(OriginPolicy.of([SITE]), trusted_proxies=trusted_proxies(["127.0.0.1"]), name="staff")
    return create_app(console, guard)


def with_console(assistant, scenario, sign_in_rate=None):
    """Run `scenario(client)` against a fresh console app; its result."""

    async def run():
        async with TestClient(TestServer(console_app(assistant, sign_in_rate))) as client:
            return await scenario(client)

    return asyncio.run(run())


async def sign_in(client, name, password=PASSWORD, address="192.0.2.1"):
    response = await client.post(
        "/staff/api/login", json={"name": name, "password": password}, headers={"X-Forwarded-For": address}
    )
    client.session.cookie_jar.clear()  # each request below names its session itself
    return response.status, (await response.json()).get("error", ""), response.cookies.get(COOKIE)


async def get(client, path, cookie):
    response = await client.get(path, headers={"Cookie": f"{COOKIE}={cookie.value if cookie else ''}"})
    return response.status, await response.json()


async def post(client, path, cookie, body):
    response = await client.post(path, json=body, headers={"Cookie": f"{COOKIE}={cookie.value}"})
    return response.status, await response.json()


@pytest.fixture(scope="module")
def accounts(assistant):
    return StaffStore(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"])


def test_sign_in_has_a_limit_per_address_and_an_ipv6_64_is_one_address(assistant):
    async def scenario(client):
        name = f"nobody.{uuid.uuid4().hex[:8]}"
        first = [(await sign_in(client, f"{name}{n}", address="198.51.100.7"))[:2] for n in range(4)]
        other = (await sign_in(client, name, address="198.51.100.8"))[:2]
        six = [(await sign_in(client, f"{name}{n}", address=f"2001:db8:1:2::{n + 1}"))[0] for n in range(4)]
        apart = (await sign_in(client, name, address="2001:db8:1:3::1"))[0]
        return first, other, six, apart

    first, other, six, apart = with_console(assistant, scenario, Rate(3, 60))
    assert [s for s, _ in first] == [401, 401, 401, 429] and "from your network" in first[3][1]
    assert other[0] == 401  # another address is not held up
    assert six == [401, 401, 401, 429] and apart == 401


@pytest.mark.parametrize("known", [True, False])
def test_a_hundred_guesses_at_once_check_at_most_five_passwords(assistant, accounts, known):
    name = f"guessed.{uuid.uuid4().hex[:8]}"
    if known:
        accounts.add(name, PASSWORD)

    async def scenario(client):
        return await asyncio.gather(*(sign_in(client, name, f"guess {n}") for n in range(100)))

    results = with_console(assistant, scenario)
    statuses = [status for status, _, _ in results]
    assert statuses.count(401) <= FREE_TRIES and statuses.count(429) >= 100 - FREE_TRIES
    assert all("for this name" in error for status, error, _ in results if status == 429)


def test_sign_out_a_new_password_and_removal_end_sessions_on_the_server(assistant, accounts):
    name = f"aide.{uuid.uuid4().hex[:8]}"
    accounts.add(name, PASSWORD)
    env = {**assistant.env, "SSCBOT_FEEDBACK_DATABASE_URL": assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"]}

    def sscbot(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "bot.run.cli", "staff", *args],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    async def scenario(client):
        statuses = []
        _, _, cookie = await sign_in(client, name)
        statuses.append((await get(client, "/staff/api/me", cookie))[0])
        await post(client, "/staff/api/logout", cookie, {})
        statuses.append((await get(client, "/staff/api/me", cookie))[0])  # a copied cookie is no use after sign-out
        _, _, first = await sign_in(client, name)
        _, _, second = await sign_in(client, name)
        assert sscbot("add", name, "--password-stdin", stdin="another long password\n").returncode == 0
        statuses += [(await get(client, "/staff/api/me", c))[0] for c in (first, second)]
        _, _, third = await sign_in(client, name, "another long password")
        listed = sscbot("list").stdout
        assert sscbot("remove", name).returncode == 0
        statuses.append((await get(client, "/staff/api/me", third))[0])
        return statuses, listed

    statuses, listed = with_console(assistant, scenario)
    assert statuses == [200, 401, 401, 401, 401]
    line = next(line for line in listed.splitlines() if line.startswith(name))
    assert re.search(r"last sign-in: \d{4}-\d\d-\d\d \d\d:\d\d UTC", line) and "no failed sign-ins" in line


def test_tries_use_staff_conversations_only_and_odd_run_ids_are_refused(assistant, accounts):
    patient = str(uuid.uuid4())
    RestClient(assistant.config.rasa_url).send(patient, "what helps calcinosis?")
    before = user_texts(assistant, patient)
    name = f"tester.{uuid.uuid4().hex[:8]}"
    accounts.add(name, PASSWORD)

    async def scenario(client):
        _, _, cookie = await sign_in(client, name)
        refused = [
            (await post(client, "/staff/api/try", cookie, {"sender": s, "message": "forget me"}))[0]
            for s in (patient, "staff-", "staff-" + "z" * 24, "default")
        ]
        status, tried = await post(client, "/staff/api/try", cookie, {"message": "what helps Raynaud's?"})
        again = (await post(client, "/staff/api/try", cookie, {"sender": tried["sender"], "message": "thanks"}))[0]
        runs = [
            (await get(client, f"/staff/api/runs/{run}", cookie))[0]
            for run in ("99999999999999999999", "%D9%A1", "%C2%B2", "-1", "1e3")
        ]
        compared = (await get(client, "/staff/api/compare?base=%C2%B2&other=99999999999999999999", cookie))[0]
        return refused, status, tried["sender"], again, runs, compared

    refused, status, staff_sender, again, runs, compared = with_console(assistant, scenario)
    assert refused == [400] * 4 and user_texts(assistant, patient) == before  # the patient's conversation untouched
    assert status == 200 and re.fullmatch(r"staff-[0-9a-f]{24}", staff_sender) and again == 200
    assert runs == [400] * 5 and compared == 400


def test_forget_me_removes_every_copy_staff_made_and_a_saved_script_holds_the_redacted_text(assistant, accounts):
    patient, word = str(uuid.uuid4()), f"zorblax{uuid.uuid4().hex[:6]}"
    client = RestClient(assistant.config.rasa_url)
    client.send(patient, f"I'm Odile Brasseur, can I eat {word} with this illness?")
    name = f"copier.{uuid.uuid4().hex[:8]}"
    accounts.add(name, PASSWORD)
    folder = Path(assistant.config.env["SSCBOT_DIALOGUES_DIR"])
    file = f"from-patient-{uuid.uuid4().hex[:6]}.yml"

    async def scenario(client):
        _, _, cookie = await sign_in(client, name)
        _, insights = await get(client, f"/staff/api/insights?find={word}", cookie)
        question = insights["unanswered"][0]["questions"][0]
        assert "Odile" not in question["text"] and patient not in json.dumps(insights)
        _, tried = await post(client, "/staff/api/try", cookie, {"message": question["text"], "from": question["ref"]})
        _, draft = await get(client, f"/staff/api/draft?sender={tried['sender']}", cookie)
        script = {"name": f"From a patient {word}", "turns": draft["turns"]}
        script["turns"][0]["user"] = f"I'm Odile Brasseur, can I eat {word} with this illness?"  # typed back in
        unchecked = await post(
            client, "/staff/api/scripts", cookie, {"file": file, "script": script, "base_hash": None}
        )
        saved = await post(
            client,
            "/staff/api/scripts",
            cookie,
            {"file": file, "script": script, "base_hash": None, "no_personal_details": True},
        )
        return tried["sender"], unchecked, saved

    staff_sender, unchecked, saved = with_console(assistant, scenario)
    assert unchecked[0] == 400 and "confirm" in unchecked[1]["error"] and saved[0] == 200
    kept = (folder / file).read_text(encoding="utf-8")
    assert word in kept and "Odile" not in kept and "Brasseur" not in kept  # the script: redacted text only
    assert user_texts(assistant, staff_sender)

    client.send(patient, "forget me")
    assert user_texts(assistant, staff_sender) == [] and user_texts(assistant, patient) == []
    stores = [
        p
        for p in Path(assistant.config.tracker_db).parent.rglob("*")
        if p.is_file() and p.parent != folder and folder not in p.parents
    ]
    holding = [str(p) for p in stores if word.encode() in p.read_bytes() or b"Brasseur" in p.read_bytes()]
    (folder / file).unlink()
    assert len(stores) > 5 and holding == []


def test_the_widget_server_has_no_staff_routes_and_the_console_takes_writes_from_its_own_site_only(assistant):
    def status(url, origin=None):
        headers = {"Content-Type": "application/json", **({"Origin": origin} if origin else {})}
        request = urllib.request.Request(url, data=b'{"name": "x.y", "password": "nothing"}', headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert status(f"{assistant.config.web_url}/staff/api/login") == 404
    assert urllib.request.urlopen(f"{assistant.config.staff_url}/staff/", timeout=30).status == 200
    assert status(f"{assistant.config.staff_url}/staff/api/login", "https://charity.example") == 403
    assert status(f"{assistant.config.staff_url}/staff/api/login", assistant.config.staff_url) == 401
