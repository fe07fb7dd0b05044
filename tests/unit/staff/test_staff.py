"""Staff accounts, sign-in slow-down, server-side sessions and saving scripts, on real
SQLite files and folders."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot.dialogues.script import ScriptFormatError, load_scripts
from bot.records.schema import SCHEMA
from bot.staff import accounts as accounts_module
from bot.staff.accounts import FREE_TRIES, AccountError, StaffStore, hash_password, password_matches, wait_after
from bot.staff.runs import compare, one_line
from bot.staff.script_files import ScriptConflict, file_hash, save_script
from bot.staff.sessions import SessionStore

KEY = b"k" * 32
PASSWORD = "a long enough password"


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'feedback.db'}"


@pytest.fixture
def accounts(url):
    store = StaffStore.create(url)
    store.add("nurse.jo", PASSWORD)
    return store


@pytest.fixture
def sessions(accounts, url):
    return SessionStore(url, KEY)


def test_passwords_are_salted_scrypt_hashes():
    first, second = hash_password("a long enough password"), hash_password("a long enough password")
    assert first != second and first.startswith("scrypt$")
    assert password_matches("a long enough password", first) and not password_matches("another one", first)


def test_sign_in_slows_down_after_five_failures_and_a_new_password_lifts_it(accounts):
    assert accounts.sign_in("nurse.jo", PASSWORD).ok
    results = [accounts.sign_in("nurse.jo", "wrong") for _ in range(FREE_TRIES)]
    assert [(r.ok, r.wait_s) for r in results] == [(False, 0)] * FREE_TRIES
    assert accounts.sign_in("nurse.jo", PASSWORD).wait_s == 1  # right, but not checked yet
    assert [wait_after(n) for n in (4, 5, 6, 7, 30)] == [0, 1, 2, 4, 300]  # slower and slower, never a long lock
    accounts.add("nurse.jo", "a new long password")
    assert accounts.sign_in("nurse.jo", "a new long password").ok


def test_a_hundred_guesses_at_once_check_at_most_five_passwords(accounts, monkeypatch):
    checked = []
    real = accounts_module.password_matches
    monkeypatch.setattr(accounts_module, "password_matches", lambda p, h: checked.append(p) or real(p, h))
    barrier = threading.Barrier(20)

    def guess(n):
        if n < 20:
            barrier.wait()
        return accounts.sign_in("nurse.jo", f"guess {n}")

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(guess, range(100)))
    assert len(checked) <= FREE_TRIES and sum(r.wait_s > 0 for r in results) >= 100 - FREE_TRIES


def test_an_unknown_name_answers_and_slows_down_like_a_known_one_without_a_row(accounts, url):
    def tries(name):
        return [(r.ok, r.wait_s) for r in (accounts.sign_in(name, "wrong") for _ in range(FREE_TRIES + 1))]

    assert tries("nobody") == tries("nurse.jo")
    with sa.create_engine(url).connect() as connection:
        assert connection.execute(sa.text("SELECT name FROM staff_users")).scalars().all() == ["nurse.jo"]


def test_sessions_end_on_sign_out_a_new_password_and_removal(accounts, sessions):
    first, second = sessions.start("nurse.jo"), sessions.start("nurse.jo")
    assert sessions.name_of(first) == sessions.name_of(second) == "nurse.jo"
    sessions.end(first)
    assert sessions.name_of(first) is None and sessions.name_of(second) == "nurse.jo"
    accounts.add("nurse.jo", "a new long password")
    assert sessions.name_of(second) is None
    third = sessions.start("nurse.jo")
    assert accounts.remove("nurse.jo") and sessions.name_of(third) is None
    assert not accounts.remove("nurse.jo")
    assert (
        sessions.name_of(None) is None
        and sessions.name_of("garbage") is None
        and sessions.name_of("x" * 10_000) is None
    )


def test_a_session_is_kept_as_its_hmac_and_expires(sessions, url):
    cookie = sessions.start("nurse.jo")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        assert cookie not in str(connection.execute(sa.text("SELECT * FROM staff_sessions")).all())
        connection.execute(sa.text("UPDATE staff_sessions SET expires_at = :past"), {"past": dt.datetime(2000, 1, 1)})
    assert sessions.name_of(cookie) is None
    assert SessionStore(url, b"another key, also 32 bytes long!").name_of(sessions.start("nurse.jo")) is None


def test_the_list_shows_last_sign_in_and_slow_down(accounts):
    accounts.add("aide.sam", PASSWORD)
    accounts.sign_in("nurse.jo", PASSWORD)
    for _ in range(FREE_TRIES):
        accounts.sign_in("aide.sam", "wrong")
    listed = {a.name: a for a in accounts.accounts()}
    assert listed["nurse.jo"].last_sign_in is not None and listed["nurse.jo"].slowed_until is None
    assert listed["aide.sam"].last_sign_in is None and listed["aide.sam"].failures == FREE_TRIES
    assert listed["aide.sam"].slowed_until is not None


def test_version_1_staff_tables_are_upgraded_in_place(url):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE staff_users (name VARCHAR(64) PRIMARY KEY, password_hash VARCHAR(200) "
                "NOT NULL, failures INTEGER NOT NULL, locked_until DATETIME)"
            )
        )
        connection.execute(
            sa.text(
                "CREATE TABLE staff_runs (id INTEGER PRIMARY KEY, started_by VARCHAR(64) NOT NULL, "
                "started_at DATETIME NOT NULL, finished_at DATETIME, model VARCHAR(200) NOT NULL, "
                "content_version VARCHAR(64) NOT NULL, total INTEGER NOT NULL, results TEXT NOT NULL)"
            )
        )
        SCHEMA.create(connection)
        connection.execute(SCHEMA.insert().values(part="staff", version=1))
        connection.execute(
            sa.text("INSERT INTO staff_users VALUES ('old.hand', :h, 0, NULL)"), {"h": hash_password(PASSWORD)}
        )
    store = StaffStore.create(url)
    assert store.sign_in("old.hand", PASSWORD).ok
    assert SessionStore(url, KEY).name_of(SessionStore(url, KEY).start("old.hand")) == "old.hand"


@pytest.mark.parametrize(
    "name, password", [("x", "a long enough password"), ("a b", "a long enough password"), ("nurse.jo", "short")]
)
def test_bad_names_and_short_passwords_are_refused(accounts, name, password):
    with pytest.raises(AccountError):
        accounts.add(name, password)


def test_a_saved_script_joins_its_file_and_a_file_changed_meanwhile_is_not_overwritten(tmp_path):
    (tmp_path / "basics.yml").write_text('- name: "First"\n  turns:\n    - user: hello\n')
    base = file_hash(tmp_path / "basics.yml")
    save_script(tmp_path, "basics.yml", {"name": "Second", "turns": [{"user": "hi", "kind": "smalltalk"}]}, base)
    assert [s.name for s in load_scripts([tmp_path])] == ["First", "Second"]
    with pytest.raises(ScriptConflict, match="changed on disk"):
        save_script(tmp_path, "basics.yml", {"name": "Third", "turns": [{"user": "hi"}]}, base)
    with pytest.raises(ScriptConflict, match="already a script called “First”"):
        save_script(tmp_path, "new.yml", {"name": "First", "turns": [{"user": "hi"}]}, None)
    with pytest.raises(ScriptFormatError):
        save_script(tmp_path, "new.yml", {"name": "Bad", "turns": [{"user": "hi", "kind": "nonsense"}]}, None)
    with pytest.raises(ValueError, match="file name"):
        save_script(tmp_path, "../escape.yml", {"name": "X", "turns": [{"user": "hi"}]}, None)
    assert not (tmp_path / "new.yml").exists()


def test_two_saves_at_once_into_one_file_never_lose_a_script(tmp_path):
    (tmp_path / "basics.yml").write_text('- name: "First"\n  turns:\n    - user: hello\n')
    base = file_hash(tmp_path / "basics.yml")

    def save(name):
        try:
            save_script(tmp_path, "basics.yml", {"name": name, "turns": [{"user": "hi"}]}, base)
            return "saved"
        except ScriptConflict:
            return "conflict"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(save, [f"Script {n}" for n in range(8)]))
    saved = [s.name for s in load_scripts([tmp_path])]
    assert outcomes.count("saved") == 1 and len(saved) == 2  # one saved, the others told to reload


def test_compare_names_what_newly_fails_and_newly_passes():
    base = {"results": [{"name": "a", "passed": True}, {"name": "b", "passed": False}, {"name": "c", "passed": True}]}
    other = {"results": [{"name": "a", "passed": False}, {"name": "b", "passed": True}, {"name": "d", "passed": True}]}
    assert compare(base, other) == {
        "newly_failing": ["a"],
        "newly_passing": ["b"],
        "only_in_base": ["c"],
        "only_in_other": ["d"],
    }


def test_a_reason_fits_on_one_line():
    assert one_line("says: expected 'x',\\n got " + "y" * 300).count("\n") == 0
    assert len(one_line("z" * 300)) == 160
