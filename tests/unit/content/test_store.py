"""The content store keeps validated content in a real SQLite database."""

import dataclasses
import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.content.store import ContentStore, ItemRow, RelatedRow, TermRow
from bot.records.schema import SchemaError


def test_load_writes_every_item_and_link(tmp_path, library):
    store = ContentStore(f"sqlite:///{tmp_path / 'db' / 'content.db'}")
    store.load(library, "v1")
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ItemRow)).scalar() == len(library.items)
        links = sum(len(i.related) for i in library.items.values())
        assert connection.execute(select(func.count()).select_from(RelatedRow)).scalar() == links
        terms = sum(len(i.terms) for i in library.items.values())
        assert connection.execute(select(func.count()).select_from(TermRow)).scalar() == terms


def test_a_new_store_reads_what_an_earlier_one_wrote(tmp_path, library):
    url = f"sqlite:///{tmp_path / 'content.db'}"
    ContentStore(url).load(library, "v1")
    reopened = ContentStore(url)
    reopened.refresh()
    for original in library.items.values():
        stored = reopened.item(original.id)
        # asked_as and term_sources serve the NLU and the reviewers, which read content/ itself
        assert stored == dataclasses.replace(original, file=Path(original.file).name, asked_as=(), term_sources=())
    assert reopened.setting("source_title") == library.settings["source_title"]


def test_loading_again_replaces_the_content(tmp_path, library):
    store = ContentStore(f"sqlite:///{tmp_path / 'content.db'}")
    store.load(library, "v1")
    assert store.changed is True
    assert store.load(library, "v1") is False  # the same files: nothing written
    assert store.load(library, "v2") is True
    assert len(store.items()) == len(library.items) and store.loaded_digest() == "v2"


def test_find_prefers_the_asked_answer_type_then_the_definition(tmp_path, library):
    store = ContentStore(f"sqlite:///{tmp_path / 'content.db'}")
    store.load(library, "v1")
    assert store.find("calcinosis", "treatments").id == "skin.calcinosis_treatments"
    assert store.find("calcinosis", "definition").id == "glossary.calcinosis"
    rituximab = store.find("rituximab", "treatments")
    assert rituximab.answers == "definition" and rituximab.concept == "rituximab"
    assert store.find("no_such_concept", "definition") is None
    assert [r.id for r in store.related(store.item("glossary.calcinosis"))] == list(
        library.items["glossary.calcinosis"].related
    )


def test_reading_a_store_that_was_never_loaded_names_the_fix(tmp_path):
    store = ContentStore(f"sqlite:///{tmp_path / 'content.db'}")
    with pytest.raises(SchemaError, match="sscbot content load"):
        store.refresh()


def test_loaders_starting_together_leave_one_copy(tmp_path, library):
    """Four processes load at once: one writes, the others find it current."""
    url = f"sqlite:///{tmp_path / 'content.db'}"
    with multiprocessing.get_context("fork").Pool(4) as pool:
        changed = pool.starmap(_load, [(url, library)] * 4)
    assert sorted(changed) == [False, False, False, True]
    with ContentStore(url).engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ItemRow)).scalar() == len(library.items)


def _load(url, library):
    return ContentStore(url).load(library, "v1")
