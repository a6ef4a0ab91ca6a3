"""The large-file import path: the search index is fed chunk by chunk by a helper process while the import runs
(search_index.BackgroundIndexer). It must leave the same database and an index that agrees with it, as the
small-file path (index updated after the import) does — after a clean run, a crash and a resume, and a re-import."""
from __future__ import annotations

import pytest

from ipcity.ipdata import importing, search_index
from ipcity.ipdata.models import ImportBatch, Patent
from ipcity.ipdata.tests.test_import_pipeline import number, patentics_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(monkeypatch):
    monkeypatch.setattr(importing, "BACKGROUND_INDEX_BYTES", 0)  # every file takes the large-file path
    started = []
    original = search_index.BackgroundIndexer.start

    def start(self):
        started.append(self)
        return original(self)

    monkeypatch.setattr(search_index.BackgroundIndexer, "start", start)
    return started


@pytest.mark.parametrize("commit_docs", [100_000, 7])  # one commit at the end; a commit every few documents
def test_background_index_agrees_with_the_database(world, tmp_path, background, monkeypatch, commit_docs):
    monkeypatch.setattr(search_index, "HELPER_COMMIT_DOCS", commit_docs)
    batch = importing.import_patents(patentics_csv(tmp_path / "a.csv", 30, bad_rows=(4,)), acting_user=None,
                                     chunk_rows=8)
    assert background and batch.created == 29 and not batch.message
    assert search_index.check() == (set(), set())
    assert search_index.search("PA=测试甲科技").total == 29
    assert number(5) in [hit["id"] for hit in search_index.search("TI=测试装置5").hits]
    # A newer export: updated in the database and in the index; the same file again changes nothing.
    newer = importing.import_patents(patentics_csv(tmp_path / "b.csv", 30, status="有效", bad_rows=(4,)),
                                     acting_user=None, chunk_rows=8)
    assert newer.updated == 29 and search_index.search("LS=有效").total == 29
    again = importing.import_patents(tmp_path / "b.csv", acting_user=None, chunk_rows=8)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 29)
    assert search_index.check() == (set(), set())


def test_background_index_after_a_crash_and_resume(world, tmp_path, background, monkeypatch):
    path = patentics_csv(tmp_path / "crash.csv", 40)
    original = importing.PatentImporter.apply
    calls = {"n": 0}

    def crashing(self, rec, row_hash):
        calls["n"] += 1
        if calls["n"] == 23:
            raise KeyboardInterrupt("simulated kill")
        return original(self, rec, row_hash)

    monkeypatch.setattr(importing.PatentImporter, "apply", crashing)
    with pytest.raises(KeyboardInterrupt):
        importing.import_patents(path, acting_user=None, chunk_rows=10)
    # The committed chunks reached the index (the helper committed what it was sent), nothing else did.
    assert search_index.check() == (set(), set()) and Patent.objects.count() == 20
    monkeypatch.setattr(importing.PatentImporter, "apply", original)
    resumed = importing.import_patents(path, acting_user=None, chunk_rows=10)
    assert resumed.status == ImportBatch.Status.DONE and resumed.created == 40
    assert search_index.check() == (set(), set())


def test_background_index_on_a_new_index_holds_every_patent(world, tmp_path, background, settings):
    importing.import_patents(patentics_csv(tmp_path / "a.csv", 12), acting_user=None)
    settings.IPCITY_SEARCH_DIR = str(tmp_path / "fresh-index")  # a new, empty index: filled from the database too
    importing.import_patents(patentics_csv(tmp_path / "b.csv", 5, status="有效"), acting_user=None, chunk_rows=2)
    assert search_index.check() == (set(), set()) and search_index.open_index().count() == 12
    assert search_index.search("LS=有效").total == 5


def test_a_failed_index_update_is_reported_and_the_import_stands(world, tmp_path, background, monkeypatch):
    def fail(self):
        raise search_index.IndexingFailed("ValueError: writer locked")

    monkeypatch.setattr(search_index.BackgroundIndexer, "finish", fail)
    batch = importing.import_patents(patentics_csv(tmp_path / "a.csv", 6), acting_user=None)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.created == 6
    assert "ipcity search --rebuild" in batch.message
