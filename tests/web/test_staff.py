"""The staff console in Debian's Chromium against the session's real servers (#16, #22):
sign-in and its refusals; a run's results one line per script, failures first, opened on a
click, each check a sentence in plain words; conversations drawn as patients see them; a run
stopped; past runs in local time, scrolled to and compared whatever their sizes; a script
recorded, edited and deleted, every check kept; what patients ask checked against the stored
data, each unanswered question in one group; axe-core (WCAG 2.1 AA) on each screen.
Screenshots of each screen go to results/staff/."""

import datetime as dt
import json
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from bot.dialogues.script import load_scripts
from bot.records.ratings import FeedbackStore
from bot.records.replies import every_turn
from bot.run.rest_client import RestClient
from bot.staff.accounts import StaffStore
from bot.staff.insights import NOT_PATIENTS, week_of
from bot.staff.plain_words import TOPIC_NAMES
from bot.staff.sessions import COOKIE
from bot.staff.tables import RunRow
from tests.web.conftest import DESKTOP

pytestmark = pytest.mark.e2e
NAME, PASSWORD = "nurse.jo", "correct horse battery staple"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REPLY_TIMEOUT_MS = 60_000
PASSING, FAILING, URGENT = "What SSc is, its causes and cure", "Console check", "Crushing chest pain now"


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


def sign_in(page):
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {NAME}")).to_be_visible()
    return page


@pytest.fixture
def console(open_page, assistant, staff):
    return sign_in(open_page(f"{assistant.config.staff_url}/staff/"))


@pytest.fixture
def script_file(assistant):
    """Writes test scripts into a file of dialogues/ of their own; removed afterwards."""
    path = dialogues(assistant) / f"zz-test-{uuid.uuid4().hex[:6]}.yml"
    yield lambda scripts: path.write_text(yaml.safe_dump(scripts, sort_keys=False, allow_unicode=True))
    path.unlink(missing_ok=True)


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
    request = urllib.request.Request(
        f"{assistant.config.staff_url}/staff/api/login",
        method="POST",
        data=json.dumps({"name": name, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]


def wcag_violations(page, shots, name):
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}}).response
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]


def run(console, *names):
    """Run these scripts from the Run screen, until the run has finished or stopped."""
    console.reload()
    expect(console.locator("#script-list input").first).to_be_visible()
    console.get_by_role("button", name="Select none").click()
    for name in names:
        console.get_by_label(name, exact=True).check()
    console.get_by_role("button", name="Run the selected scripts").click()
    expect(console.locator("#run-progress")).to_contain_text("Finished.", timeout=REPLY_TIMEOUT_MS)


def result_line(console, name):
    return console.locator(f"#run-result .result[data-name='{name}']")


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


def test_results_are_one_line_per_script_failures_first_opened_by_a_click_in_plain_words(console, script_file, shots):
    script_file(
        [
            {"name": FAILING, "turns": [{"user": "what helps calcinosis?", "says": "banana"}]},
            {"name": "Console check, passing", "turns": [{"user": "what helps calcinosis?", "says": "calcium"}]},
        ]
    )
    console.reload()
    expect(console.locator("#script-list input").first).to_be_visible()
    run_button = console.get_by_role("button", name="Run the selected scripts").bounding_box()
    assert run_button["y"] < console.locator("#script-list input").first.bounding_box()["y"]  # the Run button on top
    run(console, PASSING, FAILING, "Console check, passing")

    lines = console.locator("#run-result .result")
    expect(lines).to_have_count(3)
    assert [line.get_attribute("data-name") for line in lines.all()] == [FAILING, "Console check, passing", PASSING]
    expect(console.locator("#run-result article")).to_have_count(0)  # nothing opened yet: one line per script
    expect(result_line(console, FAILING)).to_contain_text("Turn 1: Says “banana” ✗ (the reply does not say it)")
    assert lines.first.bounding_box()["height"] < 60

    result_line(console, PASSING).get_by_text(PASSING).click()
    opened = console.get_by_role("article", name=PASSING)
    expect(opened.locator(".bubble.user").first).to_have_text("whats ssc")
    expect(opened.locator(".bubble.user").nth(1)).to_have_text("What causes systemic sclerosis?")  # the button tapped
    checks = opened.locator(".checks").first
    expect(checks).to_contain_text("Shows the disclaimer ✓")
    expect(checks).to_contain_text("Is about Systemic sclerosis ✓")
    expect(checks).to_contain_text("Gives the answer “What is systemic sclerosis?” ✓")
    expect(checks).to_contain_text("Offers the button “Is there a cure?” ✓")
    expect(checks).not_to_contain_text("content_id")
    assert opened.locator(".checks .failed").count() == 0

    result_line(console, FAILING).get_by_text(FAILING).click()
    failed = console.get_by_role("article", name=FAILING)
    expect(failed.locator(".checks .failed")).to_have_text("Says “banana” ✗ (the reply does not say it)")
    expect(failed.locator(".bubble.bot").last).to_contain_text("Calcinosis")
    assert wcag_violations(console, shots, "1-run-scripts") == []

    console.get_by_label("Show failures only").check()
    expect(result_line(console, PASSING)).to_be_hidden()
    expect(result_line(console, FAILING)).to_be_visible()


def test_conversations_are_drawn_as_patients_see_them(console, script_file):
    script_file(
        [
            {
                "name": "Urgent first, then a restart",
                "turns": [
                    {"user": "i have crushing chest pain right now", "emergency": True},
                    {"restart": True, "content_id": "welcome"},
                ],
            }
        ]
    )
    run(console, "Urgent first, then a restart")
    result_line(console, "Urgent first, then a restart").get_by_text("Urgent first, then a restart").click()
    first_turn = console.get_by_role("article").locator(".turn").first
    expect(first_turn.locator(".bubble.bot", has_text="Hello!")).to_have_count(0)  # no welcome beside urgent advice
    expect(first_turn.locator(".bubble.urgent")).to_have_count(1)
    expect(first_turn.locator(".bubble.urgent")).to_contain_text("Urgent: This may need urgent care.")
    expect(console.locator("#run-result")).not_to_contain_text("Source:")  # the source is part of an answer's text
    restart = console.get_by_role("article").locator(".turn").nth(1)
    expect(restart.locator(".bubble.restart")).to_have_text("The patient starts the chat again.")
    expect(restart.locator(".checks")).to_contain_text("Gives the welcome message ✓")


def test_a_running_run_can_be_stopped_and_is_kept_as_stopped(console):
    expect(console.locator("#script-list input").first).to_be_visible()
    console.get_by_role("button", name="Select all").click()
    console.get_by_role("button", name="Run the selected scripts").click()
    console.get_by_role("button", name="Stop the run").click()
    expect(console.locator("#run-progress")).to_contain_text("Stopped after", timeout=REPLY_TIMEOUT_MS)
    expect(console.get_by_role("button", name="Stop the run")).to_be_hidden()
    console.get_by_role("button", name="Past runs").click()
    expect(console.locator("#runs-table tbody tr").first).to_contain_text("Stopped after")


def past_runs(assistant, count):
    """`count` finished runs of no script, made directly in the database (a long list)."""
    engine = sa.create_engine(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"])
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    with engine.begin() as connection:
        for _ in range(count):
            connection.execute(
                sa.insert(RunRow.__table__).values(
                    started_by="aide.sam",
                    started_at=now,
                    finished_at=now,
                    model="ssc.tar.gz 0123456789ab",
                    content_version="abcdef012345",
                    total=0,
                    results="[]",
                )
            )
    engine.dispose()


def test_past_runs_in_local_time_open_scrolled_to_and_compare_runs_of_different_sizes(
    browser, assistant, staff, script_file, shots
):
    context, errors = browser.new_context(viewport=DESKTOP, locale="de-DE", timezone_id="Asia/Tokyo"), []
    try:
        console = context.new_page()
        console.on("pageerror", lambda error: errors.append(error))
        console.goto(f"{assistant.config.staff_url}/staff/")
        sign_in(console)
        script_file([{"name": FAILING, "turns": [{"user": "what helps calcinosis?", "says": "banana"}]}])
        run(console, PASSING, FAILING)
        script_file([{"name": FAILING, "turns": [{"user": "what helps calcinosis?", "says": "calcium"}]}])
        run(console, FAILING, URGENT)
        past_runs(assistant, 15)

        console.get_by_role("button", name="Past runs").click()
        rows = console.locator("#runs-table tbody tr")
        expect(rows.first).to_contain_text("aide.sam")
        ours = rows.filter(has_text=NAME).first
        started = ours.locator("time").get_attribute("datetime")
        local = dt.datetime.fromisoformat(started.replace("Z", "+00:00")).astimezone(ZoneInfo("Asia/Tokyo"))
        expect(ours.locator("time")).to_have_text(f"{local:%d.%m.%Y}, {local:%H:%M}")  # the browser's locale and zone
        expect(console.locator("#runs-table")).not_to_contain_text("UTC")
        expect(console.locator("#runs-table")).not_to_contain_text("0123456789ab")  # no hash in the list

        run_id = ours.locator("td").first.inner_text().split()[-1]
        ours.get_by_role("button", name=f"Show run {run_id}").click()
        heading = console.get_by_role("heading", name=f"Run {run_id}", exact=True)
        expect(heading).to_be_in_viewport()  # scrolled to, below the long list
        expect(heading).to_be_focused()
        versions = console.locator("#run-detail details.versions")
        expect(versions.locator("dd").first).to_be_hidden()  # hashes folded away
        versions.locator("summary").click()
        expect(versions).to_contain_text("ssc.tar.gz")

        first, second = int(run_id) - 1, int(run_id)
        console.get_by_label("Compare the earlier run").select_option(str(first))
        console.get_by_label("with the later run").select_option(str(second))
        console.get_by_role("button", name="Compare").click()
        result = console.locator("#compare-result")
        expect(result).to_contain_text(f"Run {second} (2 scripts) compared with run {first} (2 scripts):")
        expect(result).to_contain_text("Newly passing (1)" + FAILING)
        expect(result).to_contain_text("Newly failing (0)")
        expect(result).to_contain_text(f"New scripts: in run {second}, not in run {first} (1){URGENT}")
        expect(result).to_contain_text(f"Missing scripts: in run {first}, not in run {second} (1){PASSING}")
        expect(result).not_to_contain_text("None")
        assert wcag_violations(console, shots, "2-past-runs") == []
    finally:
        context.close()
    assert errors == []


def open_for_editing(console, name):
    console.get_by_role("button", name="Record or edit a script").click()
    console.get_by_label("Edit or delete a saved script").select_option(name)
    console.get_by_role("button", name="Open the script").click()
    expect(console.get_by_role("heading", name=f"Edit the script “{name}”")).to_be_visible()


def test_a_recorded_script_is_saved_by_titles_and_names_and_passes_the_command_line_runner(console, assistant, shots):
    console.get_by_role("button", name="Record or edit a script").click()
    console.get_by_label("Message", exact=True).fill("can I get pregnant?")
    console.get_by_role("button", name="Send", exact=True).click()
    expect(console.locator("#try-log .bubble.bot").last).to_contain_text("pregnancy", timeout=REPLY_TIMEOUT_MS)
    console.get_by_role("button", name="Save as script").click()
    turn = console.locator(".draft-turn").first
    expect(turn.get_by_label("Expected answer")).to_have_value("out_of_scope.pregnancy")
    expect(turn.get_by_label("Expected answer").locator("option:checked")).to_have_text(
        "What about pregnancy and children?"
    )
    expect(turn.get_by_label("Topic").locator("option:checked")).to_have_text("Not covered by the article")
    expect(turn.get_by_label("Disclaimer").locator("option:checked")).to_have_text("Shown")
    expect(turn.get_by_label("Urgent-care advice").locator("option:checked")).to_have_text("No")
    turn.get_by_label("Must say (one per line)").fill("pregnancy")
    name = f"Recorded {uuid.uuid4().hex[:6]}"
    console.get_by_label("Script name", exact=True).fill(name)
    console.get_by_label("What the script checks").fill("Pregnancy is not covered; the doctor is named.")
    console.get_by_label("File in dialogues/").select_option(label="A new file ...")
    console.get_by_label("Name of the new file").fill("Bad Name")
    console.get_by_label("I checked: no name", exact=False).check()
    console.get_by_role("button", name="Save the script").click()
    expect(console.locator("#draft-status")).to_have_text(
        'A file name is lower-case letters, digits, "-" or "_", ending in .yml, for example skin-extra.yml.'
    )
    file = f"recorded-{uuid.uuid4().hex[:6]}"
    console.get_by_label("Name of the new file").fill(file)
    console.get_by_role("button", name="Save the script").click()
    expect(console.locator("#draft-status")).to_have_text(f"Saved “{name}” in dialogues/{file}.yml.")
    assert wcag_violations(console, shots, "3-record") == []

    saved = dialogues(assistant) / f"{file}.yml"
    script = load_scripts([saved])[0]
    assert script.name == name and script.description == "Pregnancy is not covered; the doctor is named."
    assert (
        script.turns[0].expect.items()
        >= {
            "topic": "out_of_scope",
            "kind": "out_of_scope",
            "content_id": "out_of_scope.pregnancy",
            "says": ["pregnancy"],
            "disclaimer": True,
            "emergency": False,
        }.items()
    )
    runner = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.run.cli",
            "dialogues",
            "run",
            "--url",
            assistant.config.rasa_url,
            "--report",
            str(saved.parent / "report"),
            str(saved),
        ],
        capture_output=True,
        text=True,
    )
    assert runner.returncode == 0, runner.stdout + runner.stderr  # the command-line runner passes it

    console.get_by_role("button", name="Save the script").click()  # the same name again
    expect(console.locator("#draft-status")).to_have_text(
        f"There is already a script called “{name}” (in dialogues/{file}.yml). Please choose another name."
    )
    stale = {
        "file": f"{file}.yml",
        "script": {"name": "Another", "turns": [{"user": "hello"}]},
        "base_hash": "0" * 64,
        "no_personal_details": True,
    }
    status, reply = staff_api(assistant, "/scripts", signed_in(assistant), stale)
    assert status == 409 and "changed on disk" in reply["error"]
    saved.unlink()


def test_a_saved_script_is_shown_with_every_check_edited_and_deleted(console, assistant, script_file, shots):
    every_check = {
        "name": "Every check",
        "description": "All nine expectations.",
        "turns": [
            {
                "user": "my insides",
                "topic": "vascular",
                "kind": "clarify",
                "content_id": "glossary.raynauds",
                "offers": ["vascular.raynauds_treatments"],
                "says": ["Do you mean"],
                "not_says": ["mg"],
                "buttons": ["Something else"],
                "disclaimer": False,
                "emergency": False,
            }
        ],
    }
    script_file([every_check])
    open_for_editing(console, "Every check")
    turn = console.locator(".draft-turn").first
    expect(turn.get_by_label("Expected answer").locator("option:checked")).to_have_text("What is Raynaud's phenomenon?")
    expect(turn.get_by_label("Topic").locator("option:checked")).to_have_text("Blood vessels")
    expect(turn.get_by_label("Disclaimer").locator("option:checked")).to_have_text("Not shown")
    expect(turn.get_by_label("Urgent-care advice").locator("option:checked")).to_have_text("No")
    expect(turn.get_by_role("group", name="It asks back, offering").get_by_role("checkbox")).to_be_checked()
    expect(console.get_by_label("What the script checks")).to_have_value("All nine expectations.")
    console.get_by_label("I checked: no name", exact=False).check()
    console.get_by_role("button", name="Save the changes").click()
    expect(console.locator("#draft-status")).to_have_text(
        f"Saved the changes to “Every check” in dialogues/{every_check_file(assistant)}."
    )
    cookie = signed_in(assistant)
    assert staff_api(assistant, "/scripts/one?name=Every%20check", cookie)[1]["script"] == every_check  # all kept

    turn.get_by_label("Expected answer").select_option(label="What helps Raynaud's?")
    console.get_by_label("Script name", exact=True).fill("Every check, edited")
    console.get_by_role("button", name="Save the changes").click()
    expect(console.locator("#draft-status")).to_contain_text("Saved the changes to “Every check, edited”")
    edited = staff_api(assistant, "/scripts/one?name=Every%20check%2C%20edited", cookie)[1]
    assert edited["script"]["turns"][0]["content_id"] == "vascular.raynauds_treatments"
    stale = {"file": edited["file"], "name": "Every check, edited", "base_hash": "0" * 64}
    assert staff_api(assistant, "/scripts/delete", cookie, stale)[0] == 409
    assert (
        staff_api(assistant, "/scripts/edit", cookie, {**stale, "script": every_check, "no_personal_details": True})[0]
        == 409
    )

    console.get_by_role("button", name="Delete this script").click()
    expect(console.locator("#delete-confirm")).to_contain_text("Delete “Every check, edited”")
    assert wcag_violations(console, shots, "5-edit-script") == []
    console.get_by_role("button", name="Yes, delete it").click()
    expect(console.locator("#draft-status")).to_have_text(
        f"Deleted “Every check, edited” from dialogues/{edited['file']}."
    )
    assert not (dialogues(assistant) / edited["file"]).exists()


def every_check_file(assistant):
    return next(p.name for p in dialogues(assistant).glob("zz-test-*.yml"))


def test_edit_from_a_result_line_opens_the_script(console, script_file):
    script_file([{"name": FAILING, "turns": [{"user": "what helps calcinosis?", "says": "banana"}]}])
    run(console, FAILING)
    result_line(console, FAILING).get_by_text(FAILING).click()
    console.get_by_role("article", name=FAILING).get_by_role("button", name="Edit this script").click()
    expect(console.get_by_role("heading", name=f"Edit the script “{FAILING}”")).to_be_visible()
    expect(console.get_by_label("Must say (one per line)")).to_have_value("banana")


def boxes_overlap(a, b):
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_what_patients_ask_matches_the_stored_data(console, assistant, shots):
    client, patient = RestClient(assistant.config.rasa_url), f"patient-{uuid.uuid4().hex}"
    client.send(patient, "what helps calcinosis?")
    client.send(patient, "can I eat chocolate with this illness?")
    client.send(f"patient-{uuid.uuid4().hex}", "my name is Jane Doe, is it ok to eat sushi with this illness?")
    forgotten = f"patient-{uuid.uuid4().hex}"
    client.send(forgotten, "can I drink red wine with this illness?")
    client.send(forgotten, "forget me")
    FeedbackStore(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"]).rate(
        patient, "skin.calcinosis_treatments", "not_helpful"
    )
    console.get_by_role("button", name="What patients ask").click()
    expect(console.locator("#per-week-table tbody tr").first).to_be_visible()

    engine = sa.create_engine(f"sqlite:///{assistant.config.tracker_db}")
    expected = Counter(
        (week_of(turn.timestamp), TOPIC_NAMES[contract["topic"]])
        for turn in every_turn(engine)
        if not turn.sender_id.startswith(NOT_PATIENTS)
        for contract in turn.contracts
        if contract.get("topic") and contract.get("content_id") != "welcome"
    )
    engine.dispose()
    shown = {
        (row.locator("time").get_attribute("datetime"), row.locator("td").nth(1).inner_text()): int(
            row.locator("td").nth(2).inner_text()
        )
        for row in console.locator("#per-week-table tbody tr").all()
    }
    assert shown == dict(expected) and sum(shown.values()) > 0
    expect(console.locator("#least-table")).to_contain_text("What helps calcinosis?")
    expect(console.locator("#least-table")).not_to_contain_text("skin.calcinosis_treatments")

    labels = [label.bounding_box() for label in console.locator("#per-week-chart .chart-label").all()]
    assert len(labels) > 2 and not any(boxes_overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :])

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


def test_unanswered_questions_stand_once_under_their_most_specific_term_here_and_in_the_gaps_report(console, assistant):
    client, tag = RestClient(assistant.config.rasa_url), f"zq{uuid.uuid4().int % 10**8:08d}"  # not a word: no group
    asked = {
        f"can I get pregnant next month with raynauds? ref {tag}": "raynauds (a subject the content covers)",
        f"next week can I safely eat gorgonzola? ref {tag}": "gorgonzola",
        f"is it safe to eat gorgonzola with marzipan next week? ref {tag}": "gorgonzola",
        f"is it safe to have a baby next year on rituximab? ref {tag}": "rituximab (a subject the content covers)",
    }
    for text in asked:
        client.send(f"patient-{uuid.uuid4().hex}", text)
    console.get_by_role("button", name="What patients ask").click()
    console.get_by_label("Only questions with these words").fill(tag)
    console.get_by_role("button", name="Find").click()
    expect(console.locator("#unanswered li")).to_have_count(len(asked))  # each question once
    shown = {}
    for group in console.locator("#unanswered .group").all():
        term = group.locator("h4").inner_text().rsplit(":", 1)[0]
        for question in group.locator("li").all():
            shown.setdefault(question.inner_text().split(" Try it")[0], []).append(term)
    assert shown == {text: [term] for text, term in asked.items()}  # each once, under its most specific term

    report = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.run.cli",
            "gaps",
            "report",
            "--most",
            "1000",
            "--tracker-db",
            f"sqlite:///{assistant.config.tracker_db}",
        ],
        capture_output=True,
        text=True,
    )
    assert report.returncode == 0, report.stderr
    groups, term = {}, None
    for line in report.stdout.splitlines()[1:]:
        if line.startswith("    - "):
            groups.setdefault(line[6:].rsplit("  [", 1)[0], []).append(term)
        else:
            term = line.rsplit(":", 1)[0]
    listed = {text: groups[text] for text in asked if text in groups}  # a group lists its first 5 questions
    assert listed and listed == {
        text: [asked[text].replace(" (a subject the content covers)", " (named)")] for text in listed
    }
    assert not {"next", "safe", "safely", "week"} & {line.rsplit(":", 1)[0] for line in report.stdout.splitlines()}
