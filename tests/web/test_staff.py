"""The staff console in Debian's Chromium against the session's real servers (#16): sign-in
and its refusals, running scripts as chat bubbles with each expectation ticked or crossed,
past runs compared, a recorded script saved that the command-line runner passes, what
patients ask checked against the stored data, and axe-core (WCAG 2.1 AA) on each screen.
Screenshots of each screen go to results/staff/."""
import json
import subprocess
import sys
import uuid
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from bot.dialogues.script import load_scripts
from bot.records.conversations import EVENTS
from bot.records.ratings import FeedbackStore
from bot.run.rest_client import RestClient
from bot.staff.accounts import StaffStore
from bot.staff.insights import NOT_PATIENTS, week_of
from bot.staff.sessions import COOKIE

pytestmark = pytest.mark.e2e
NAME, PASSWORD = "nurse.jo", "correct horse battery staple"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REPLY_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def staff(assistant):
    accounts = StaffStore.create(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"])
    accounts.add(NAME, PASSWORD)
    return accounts


@pytest.fixture(scope="module")
def shots(results_dir):
    folder = results_dir / "staff"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def console(open_page, assistant, staff):
    page = open_page(f"{assistant.config.staff_url}/staff/")
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {NAME}")).to_be_visible()
    return page


def dialogues(assistant) -> Path:
    return Path(assistant.config.env["SSCBOT_DIALOGUES_DIR"])


def staff_api(assistant, path, cookie=None, body=None):
    """(status, JSON) of a console API call with this cookie (or none)."""
    headers = {"Content-Type": "application/json", **({"Cookie": f"{COOKIE}={cookie}"} if cookie else {})}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{assistant.config.staff_url}/staff/api{path}", data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def signed_in(assistant, name=NAME, password=PASSWORD):
    """A new session's cookie, from the console's sign-in."""
    request = urllib.request.Request(f"{assistant.config.staff_url}/staff/api/login", method="POST",
                                     data=json.dumps({"name": name, "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]


def wcag_violations(page, shots, name):
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}}).response
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]


def test_a_wrong_password_a_missing_cookie_and_a_forged_cookie_are_refused(open_page, assistant, staff, shots):
    page = open_page(f"{assistant.config.staff_url}/staff/")
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("The name or the password is wrong.")
    expect(page.get_by_role("button", name="Run the selected scripts")).to_be_hidden()
    assert wcag_violations(page, shots, "0-sign-in") == []

    assert staff_api(assistant, "/runs")[0] == 401
    genuine = signed_in(assistant)
    assert staff_api(assistant, "/runs", genuine)[0] == 200
    assert staff_api(assistant, "/runs", genuine[:-1] + ("A" if genuine[-1] != "A" else "B"))[0] == 401  # forged
    assert staff_api(assistant, "/logout", genuine, {})[0] == 200
    assert staff_api(assistant, "/runs", genuine)[0] == 401  # signed out: ended on the server, not only in the browser


def test_repeated_failures_slow_the_name_down_rather_than_lock_it(assistant, staff):
    staff.add("slowed.down", PASSWORD)
    wrong = [staff_api(assistant, "/login", body={"name": "slowed.down", "password": "wrong"})[0] for _ in range(5)]
    status, reply = staff_api(assistant, "/login", body={"name": "slowed.down", "password": PASSWORD})
    assert wrong == [401] * 5 and status == 429 and "try again in 1 s" in reply["error"]


def run_two_scripts(console):
    console.reload()
    console.get_by_role("button", name="Select none").click()
    console.get_by_label("Console check", exact=True).check()
    console.get_by_label("What SSc is, its causes and cure", exact=True).check()
    console.get_by_role("button", name="Run the selected scripts").click()
    expect(console.get_by_role("status").first).to_contain_text("Finished.", timeout=REPLY_TIMEOUT_MS)


def test_runs_show_the_conversation_with_each_expectation_and_compare(console, assistant, shots):
    failing = dialogues(assistant) / "zz_console_test.yml"
    failing.write_text('- name: "Console check"\n  turns:\n    - user: what helps calcinosis?\n      says: banana\n')
    try:
        run_two_scripts(console)
        passed = console.get_by_role("article", name="What SSc is, its causes and cure")
        expect(passed.locator(".verdict")).to_have_text("Passed (basics.yml)")
        expect(passed.locator(".bubble.user").first).to_have_text("user: whats ssc")
        assert passed.locator(".checks .failed").count() == 0 and passed.locator(".checks .passed").count() > 3
        failed = console.get_by_role("article", name="Console check")
        expect(failed.locator(".verdict")).to_contain_text("Failed: turn 1")
        expect(failed.locator(".checks .failed")).to_contain_text("not met: says: expected 'banana', got ")
        expect(failed.locator(".bubble.bot").last).to_contain_text("Calcinosis")
        assert wcag_violations(console, shots, "1-run-scripts") == []

        failing.write_text('- name: "Console check"\n  turns:\n    - user: what helps calcinosis?\n      says: calcium\n')
        run_two_scripts(console)
        console.get_by_role("button", name="Past runs").click()
        expect(console.locator("#runs-table tbody tr").first).to_contain_text(NAME)
        console.get_by_role("button", name="Compare").click()
        expect(console.locator("#compare-result")).to_contain_text("Newly passing (1)")
        expect(console.locator("#compare-result")).to_contain_text("Console check")
        expect(console.locator("#compare-result")).to_contain_text("Newly failing (0)")
        assert wcag_violations(console, shots, "2-past-runs") == []
    finally:
        failing.unlink()


def test_a_recorded_script_is_saved_and_passes_the_command_line_runner(console, assistant, shots):
    console.get_by_role("button", name="Record a script").click()
    console.get_by_label("Message", exact=True).fill("what helps calcinosis?")
    console.get_by_role("button", name="Send", exact=True).click()
    expect(console.locator("#try-log .bubble.bot").last).to_contain_text("Calcinosis", timeout=REPLY_TIMEOUT_MS)
    console.get_by_role("button", name="Save as script").click()
    expect(console.get_by_label("Topic", exact=True).first).to_have_value("skin")
    console.get_by_label("Must say (one per line)", exact=True).first.fill("calcium")
    name, file = f"Recorded {uuid.uuid4().hex[:6]}", f"recorded-{uuid.uuid4().hex[:6]}.yml"
    console.get_by_label("Script name", exact=True).fill(name)
    console.get_by_label("File in dialogues/", exact=True).fill(file)
    console.get_by_label("I checked: no name", exact=False).check()
    console.get_by_role("button", name="Save the script").click()
    expect(console.locator("#draft-status")).to_have_text(f'Saved "{name}" in dialogues/{file}.')
    assert wcag_violations(console, shots, "3-record") == []

    saved = dialogues(assistant) / file
    scripts = load_scripts([saved])
    assert [s.name for s in scripts] == [name] and scripts[0].turns[0].expect["says"] == ["calcium"]
    runner = subprocess.run([sys.executable, "-m", "bot.run.cli", "dialogues", "run", "--url", assistant.config.rasa_url,
                             "--report", str(saved.parent / "report"), str(saved)], capture_output=True, text=True)
    assert runner.returncode == 0, runner.stdout + runner.stderr  # the command-line runner passes it
    stale = {"file": file, "script": {"name": "Another", "turns": [{"user": "hello"}]}, "base_hash": "0" * 64,
             "no_personal_details": True}
    status, reply = staff_api(assistant, "/scripts", signed_in(assistant), stale)
    assert status == 409 and "changed on disk" in reply["error"]
    saved.unlink()


def test_what_patients_ask_matches_the_stored_data(console, assistant, shots):
    client, patient = RestClient(assistant.config.rasa_url), f"patient-{uuid.uuid4().hex}"
    client.send(patient, "what helps calcinosis?")
    client.send(patient, "can I eat chocolate with this illness?")
    client.send(f"patient-{uuid.uuid4().hex}", "my name is Jane Doe, is it ok to eat sushi with this illness?")
    forgotten = f"patient-{uuid.uuid4().hex}"
    client.send(forgotten, "can I drink red wine with this illness?")
    client.send(forgotten, "forget me")
    FeedbackStore(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"]).rate(
        patient, "skin.calcinosis_treatments", "not_helpful")
    console.get_by_role("button", name="What patients ask").click()
    expect(console.locator("#per-week-table tbody tr").first).to_be_visible()

    engine = sa.create_engine(f"sqlite:///{assistant.config.tracker_db}")
    expected = Counter()
    with engine.connect() as connection:
        rows = connection.execute(sa.select(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.data)
                                  .where(EVENTS.c.type_name == "bot"))
        for sender, timestamp, data in rows:
            contract = (json.loads(data).get("data") or {}).get("custom") or {}
            if contract.get("topic") and contract.get("content_id") != "welcome" \
                    and not sender.startswith(NOT_PATIENTS):
                expected[(week_of(timestamp), contract["topic"])] += 1
    engine.dispose()
    shown = {(cells[0], cells[1]): int(cells[2]) for cells in
             (row.locator("td").all_inner_texts() for row in console.locator("#per-week-table tbody tr").all())}
    assert shown == dict(expected) and sum(shown.values()) > 0
    expect(console.locator("#least-table")).to_contain_text("skin.calcinosis_treatments")

    def find(words):
        console.get_by_label("Only questions with these words").fill(words)
        console.get_by_role("button", name="Find").click()

    find("chocolate this illness")
    expect(console.locator("#unanswered")).to_contain_text("can I eat chocolate with this illness?")
    find("sushi")
    expect(console.locator("#unanswered")).to_contain_text("my name is [name], is it ok to eat sushi")  # redacted
    expect(console.locator("#unanswered")).not_to_contain_text("Jane Doe")
    find("red wine")
    expect(console.locator("#unanswered")).to_have_text("No unanswered questions.")  # forgotten: gone
    assert wcag_violations(console, shots, "4-what-patients-ask") == []
