"""Editing and deleting saved scripts from the console: the same checks, conflict rule and
folder lock as saving; comments and the other scripts stay as written; messages name
dialogues/, never the scratch folder; a name already taken is said plainly."""

import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.dialogues.script import ScriptFormatError, load_scripts
from bot.staff.script_files import (
    ScriptConflict,
    delete_script,
    edit_script,
    file_hash,
    list_files,
    read_script,
    save_script,
)
from bot.staff.script_text import NoSuchScript

SKIN = textwrap.dedent("""\
    # Skin: calcinosis and thickening.
    - name: First
      description: the first one
      turns:
        - user: hello

    # the second, with a comment of its own
    - name: Second
      turns:
        - user: what helps calcinosis?
          content_id: skin.calcinosis_treatments
          emergency: false
    """)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "skin.yml").write_text(SKIN)
    (tmp_path / "basics.yml").write_text('- name: "Basics"\n  turns:\n    - user: whats ssc\n')
    return tmp_path


def test_an_edit_replaces_only_that_script_and_keeps_the_comments(folder):
    path = folder / "skin.yml"
    edited = {
        "name": "Second, renamed",
        "description": "now with a topic",
        "turns": [{"user": "what helps calcinosis?", "topic": "skin", "offers": ["skin.calcinosis_treatments"]}],
    }
    edit_script(folder, "skin.yml", "Second", edited, file_hash(path))
    text = path.read_text()
    assert text.startswith(SKIN.split("\n# the second")[0])  # the first script and the comments as written
    assert "# the second, with a comment of its own" in text
    scripts = {s.name: s for s in load_scripts([folder])}
    assert set(scripts) == {"First", "Second, renamed", "Basics"}
    assert scripts["Second, renamed"].turns[0].expect == {"topic": "skin", "offers": ["skin.calcinosis_treatments"]}
    assert read_script(folder, "Second, renamed")["script"] == edited


def test_the_first_of_two_scripts_can_be_edited_too(folder):
    edit_script(
        folder,
        "skin.yml",
        "First",
        {"name": "First", "turns": [{"user": "hi", "kind": "smalltalk"}]},
        file_hash(folder / "skin.yml"),
    )
    assert [s.name for s in load_scripts([folder / "skin.yml"])] == ["First", "Second"]


def test_a_delete_removes_the_script_and_the_file_goes_with_its_last_one(folder):
    delete_script(folder, "skin.yml", "First", file_hash(folder / "skin.yml"))
    assert [s.name for s in load_scripts([folder / "skin.yml"])] == ["Second"]
    assert (folder / "skin.yml").read_text().startswith("# Skin: calcinosis and thickening.\n")
    delete_script(folder, "skin.yml", "Second", file_hash(folder / "skin.yml"))
    assert not (folder / "skin.yml").exists()
    assert [f["file"] for f in list_files(folder)] == ["basics.yml"]


def test_edits_and_deletes_follow_the_conflict_rule(folder):
    stale = "0" * 64
    with pytest.raises(ScriptConflict, match="changed on disk"):
        edit_script(folder, "skin.yml", "First", {"name": "First", "turns": [{"user": "hi"}]}, stale)
    with pytest.raises(ScriptConflict, match="changed on disk"):
        delete_script(folder, "skin.yml", "First", stale)
    with pytest.raises(NoSuchScript):
        delete_script(folder, "skin.yml", "Nobody", file_hash(folder / "skin.yml"))
    assert (folder / "skin.yml").read_text() == SKIN


def test_an_edit_is_checked_by_the_scripts_parser(folder):
    with pytest.raises(ScriptFormatError) as error:
        edit_script(
            folder,
            "skin.yml",
            "First",
            {"name": "First", "turns": [{"user": "hi", "kind": "nonsense"}]},
            file_hash(folder / "skin.yml"),
        )
    assert str(error.value).startswith("dialogues/skin.yml:") and "/tmp" not in str(error.value)
    assert (folder / "skin.yml").read_text() == SKIN


def test_a_name_already_taken_is_said_plainly_without_a_temporary_path(folder):
    for change in (
        lambda: save_script(folder, "new.yml", {"name": "Basics", "turns": [{"user": "hi"}]}, None),
        lambda: edit_script(
            folder, "skin.yml", "First", {"name": "Second", "turns": [{"user": "hi"}]}, file_hash(folder / "skin.yml")
        ),
    ):
        with pytest.raises(ScriptConflict) as error:
            change()
        message = str(error.value)
        assert message.startswith("There is already a script called “") and "Please choose another name." in message
        assert str(folder) not in message and "/tmp" not in message
    assert not (folder / "new.yml").exists()


def test_parallel_edits_of_one_file_leave_one_saved_and_the_others_told_to_reload(folder):
    base = file_hash(folder / "skin.yml")

    def edit(n):
        try:
            edit_script(folder, "skin.yml", "Second", {"name": f"Second {n}", "turns": [{"user": "hi"}]}, base)
            return "saved"
        except ScriptConflict:
            return "conflict"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(edit, range(8)))
    names = [s.name for s in load_scripts([folder / "skin.yml"])]
    assert outcomes.count("saved") == 1 and len(names) == 2 and names[0] == "First"
