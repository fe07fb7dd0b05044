"""Staff accounts, session cookies and saving scripts, on real SQLite files and folders."""
import pytest

from bot.dialogues.script import ScriptFormatError, load_scripts
from bot.staff.accounts import AccountError, StaffStore, hash_password, password_matches
from bot.staff.runs import compare, one_line
from bot.staff.script_files import ScriptConflict, file_hash, save_script
from bot.staff.sessions import LIFETIME_S, make_cookie, staff_name

KEY = b"k" * 32


@pytest.fixture
def accounts(tmp_path):
    store = StaffStore.create(f"sqlite:///{tmp_path / 'feedback.db'}")
    store.add("nurse.jo", "a long enough password")
    return store


def test_passwords_are_salted_scrypt_hashes():
    first, second = hash_password("a long enough password"), hash_password("a long enough password")
    assert first != second and first.startswith("scrypt$")
    assert password_matches("a long enough password", first) and not password_matches("another one", first)


def test_sign_in_and_the_lock_after_five_failures(accounts):
    assert accounts.sign_in("nurse.jo", "a long enough password").ok
    assert not accounts.sign_in("nobody", "a long enough password").ok
    results = [accounts.sign_in("nurse.jo", "wrong") for _ in range(5)]
    assert [r.locked_minutes for r in results] == [0, 0, 0, 0, 15]
    assert accounts.sign_in("nurse.jo", "a long enough password").locked_minutes == 15  # right, but locked
    accounts.add("nurse.jo", "a new long password")  # a new password lifts the lock
    assert accounts.sign_in("nurse.jo", "a new long password").ok


@pytest.mark.parametrize("name, password", [("x", "a long enough password"), ("a b", "a long enough password"),
                                            ("nurse.jo", "short")])
def test_bad_names_and_short_passwords_are_refused(accounts, name, password):
    with pytest.raises(AccountError):
        accounts.add(name, password)


def test_a_cookie_names_its_staff_member_until_it_expires_and_cannot_be_forged():
    cookie = make_cookie(KEY, "nurse.jo", now=1000)
    assert staff_name(KEY, cookie, now=1000 + LIFETIME_S - 1) == "nurse.jo"
    assert staff_name(KEY, cookie, now=1000 + LIFETIME_S) is None
    assert staff_name(b"o" * 32, cookie, now=1000) is None
    assert staff_name(KEY, cookie.replace("nurse.jo", "admin"), now=1000) is None
    assert staff_name(KEY, None) is None and staff_name(KEY, "garbage") is None


def test_a_saved_script_joins_its_file_and_a_file_changed_meanwhile_is_not_overwritten(tmp_path):
    (tmp_path / "basics.yml").write_text('- name: "First"\n  turns:\n    - user: hello\n')
    base = file_hash(tmp_path / "basics.yml")
    save_script(tmp_path, "basics.yml", {"name": "Second", "turns": [{"user": "hi", "kind": "smalltalk"}]}, base)
    assert [s.name for s in load_scripts([tmp_path])] == ["First", "Second"]
    with pytest.raises(ScriptConflict, match="changed on disk"):
        save_script(tmp_path, "basics.yml", {"name": "Third", "turns": [{"user": "hi"}]}, base)
    with pytest.raises(ScriptFormatError, match="already used"):
        save_script(tmp_path, "new.yml", {"name": "First", "turns": [{"user": "hi"}]}, None)
    with pytest.raises(ScriptFormatError):
        save_script(tmp_path, "new.yml", {"name": "Bad", "turns": [{"user": "hi", "kind": "nonsense"}]}, None)
    with pytest.raises(ValueError, match="file name"):
        save_script(tmp_path, "../escape.yml", {"name": "X", "turns": [{"user": "hi"}]}, None)
    assert not (tmp_path / "new.yml").exists()


def test_compare_names_what_newly_fails_and_newly_passes():
    base = {"results": [{"name": "a", "passed": True}, {"name": "b", "passed": False}, {"name": "c", "passed": True}]}
    other = {"results": [{"name": "a", "passed": False}, {"name": "b", "passed": True}, {"name": "d", "passed": True}]}
    assert compare(base, other) == {"newly_failing": ["a"], "newly_passing": ["b"],
                                    "only_in_base": ["c"], "only_in_other": ["d"]}


def test_a_reason_fits_on_one_line():
    assert one_line("says: expected 'x',\\n got " + "y" * 300).count("\n") == 0
    assert len(one_line("z" * 300)) == 160
