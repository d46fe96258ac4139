"""Store: atomic writes, ids that cannot escape OUT, manifest, the run lock."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone

import pytest

from digest.output.store import LockedError, Store, atomic_write
from digest.records import ArticleRecord, ManifestEntry


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "a" / "b.json"
    atomic_write(target, "{}")
    atomic_write(target, '{"x": 1}')
    assert json.loads(target.read_text()) == {"x": 1}
    assert os.listdir(target.parent) == ["b.json"]


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    atomic_write(target, "old")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["f.txt"]


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "a/b", "..", "/abs/path", "x\\..\\y"])
def test_ids_never_escape_the_articles_folder(tmp_path, bad_id):
    store = Store(tmp_path / "out")
    path = store.save(ArticleRecord(id=bad_id, text="t"))
    assert path.parent == (tmp_path / "out" / "articles")
    assert store.load(bad_id).text == "t"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [path.name]


def test_records_skip_unreadable_files(tmp_path):
    store = Store(tmp_path)
    store.save(ArticleRecord(id="b"))
    store.save(ArticleRecord(id="a"))
    (tmp_path / "articles" / "broken.json").write_text("{not json")
    assert [r.id for r in store.records()] == ["a", "b"]


def test_records_pass_over_a_file_that_is_not_a_record_with_one_warning(tmp_path):
    class Collect(logging.Handler):  # on the digest logger itself: counts each warning once, whatever else listens
        def emit(self, record: logging.LogRecord) -> None:
            warnings.append(record)

    warnings: list[logging.LogRecord] = []
    handler = Collect(logging.WARNING)
    logging.getLogger("digest").addHandler(handler)
    store = Store(tmp_path)
    store.save(ArticleRecord(id="a"))
    (tmp_path / "articles" / "other.json").write_text('{"id": "x", "summaries": ["not", "an", "object"]}')
    try:
        assert [r.id for r in store.records()] == ["a"]
    finally:
        logging.getLogger("digest").removeHandler(handler)
    (warning,) = warnings
    assert "other.json" in warning.getMessage() and "summaries" in warning.getMessage()


def test_manifest_is_json_lines(tmp_path):
    store = Store(tmp_path)
    store.write_manifest([ManifestEntry("a", "ok", "a.txt"), ManifestEntry("b", "failed", "b.txt", reason="r")])
    lines = (tmp_path / "manifest.jsonl").read_text().splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["a", "b"]


def test_lock_is_exclusive_and_names_the_holder(tmp_path):
    store = Store(tmp_path)
    with store.lock(), pytest.raises(LockedError, match=f"pid {os.getpid()}"), Store(tmp_path).lock(timeout=0.2):
        pass
    with store.lock(timeout=0):
        pass


def test_a_killed_runs_temporaries_are_removed_and_nothing_else(tmp_path):
    store = Store(tmp_path)
    store.save(ArticleRecord(id="a"))
    store.mark_clean_run(datetime(2026, 1, 1), "settings")
    names = [".manifest.jsonl.x1.tmp", ".digest.en.md.x2.tmp", ".digest-state.json.x3.tmp", "articles/.a.json.x4.tmp"]
    for name in names:
        (tmp_path / name).write_text("half", encoding="utf-8")
    removed = store.remove_stale_temporaries()
    assert sorted(str(p.relative_to(tmp_path)) for p in removed) == sorted(names)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        ".digest-state.json", "articles/a.json"]


def test_the_last_clean_run_counts_only_for_the_same_settings(tmp_path):
    store, when = Store(tmp_path), datetime(2026, 1, 1, tzinfo=timezone.utc)
    store.mark_clean_run(when, "one")
    assert store.last_clean_run("one") == when and store.last_clean_run("two") is None


def test_a_failed_write_names_the_file_not_its_temporary(tmp_path):
    (tmp_path / "manifest.jsonl").mkdir()
    with pytest.raises(OSError) as caught:
        atomic_write(tmp_path / "manifest.jsonl", "{}\n")
    assert caught.value.filename == str(tmp_path / "manifest.jsonl")
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.jsonl"]  # no temporary left behind


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="POSIX only")
def test_lock_pid_file_never_follows_a_symlink_nor_hangs_on_a_fifo(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".digest.lock.pid").symlink_to(victim)
    with pytest.raises(LockedError, match="pid file"), Store(out).lock():
        pass
    assert victim.read_text() == "precious"
    (out / ".digest.lock.pid").unlink(missing_ok=True)
    os.mkfifo(out / ".digest.lock.pid")
    with pytest.raises(LockedError, match="pid file"), Store(out).lock():
        pass


def _entries(n: int, status: str = "ok") -> list[ManifestEntry]:
    return [ManifestEntry(f"id-{i}", status, f"in/{i}.txt") for i in range(n)]


def test_the_manifest_is_appended_per_wave_and_compacted_at_the_end(tmp_path):
    store = Store(tmp_path)
    store.write_manifest(_entries(100))
    inode = (tmp_path / "manifest.jsonl").stat().st_ino
    run = Store(tmp_path)
    previous = run.read_manifest()
    entries: list[ManifestEntry] = []
    for wave in range(3):  # three waves re-doing ten articles each: ten lines appended per wave
        entries += [ManifestEntry(f"id-{i}", "failed", f"in/{i}.txt", reason=f"wave {wave}")
                    for i in range(wave * 10, wave * 10 + 10)]
        run.write_state(previous, entries, "2026-12-01T00:00:00+00:00", final=False)
        assert len((tmp_path / "manifest.jsonl").read_text().splitlines()) == 100 + 10 * (wave + 1)
        assert (tmp_path / "manifest.jsonl").stat().st_ino == inode  # appended, never rewritten
    entries[0].status, entries[0].reason = "ok", None  # changed after the last wave (as a page failure does)
    run.write_state(previous, entries, "2026-12-01T00:00:00+00:00")
    state = Store(tmp_path).read_manifest()
    assert len(state) == 100 and state["id-0", "in/0.txt"].status == "ok"
    assert state["id-25", "in/25.txt"].reason == "wave 2" and state["id-50", "in/50.txt"].status == "ok"
    assert len((tmp_path / "manifest.jsonl").read_text().splitlines()) == 131  # not yet worth compacting
    last = [json.loads(x)["id"] for x in (tmp_path / "last-run.jsonl").read_text().splitlines()]
    assert last == [f"id-{i}" for i in range(30)]

    big = Store(tmp_path)
    previous = big.read_manifest()
    redo = [ManifestEntry(f"id-{i}", "ok", f"in/{i}.txt") for i in range(100)]
    big.write_state(previous, redo, "2026-12-02T00:00:00+00:00")  # 231 lines for 100 articles: compacted
    lines = [json.loads(x) for x in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert [x["id"] for x in lines] == [f"id-{i}" for i in range(100)]
    assert all(x["status"] == "ok" and x["attempted"] == "2026-12-02T00:00:00+00:00" for x in lines)


def test_a_torn_last_manifest_line_is_ignored_and_never_swallows_the_next(tmp_path):
    store = Store(tmp_path)
    store.write_manifest(_entries(2))
    with open(tmp_path / "manifest.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"id": "id-9", "status": "o')  # a kill in the middle of an append
    run = Store(tmp_path)
    previous = run.read_manifest()
    assert set(previous) == {("id-0", "in/0.txt"), ("id-1", "in/1.txt")}
    run.write_state(previous, [ManifestEntry("id-5", "ok", "in/5.txt")], "2026-12-01T00:00:00+00:00", final=False)
    assert set(Store(tmp_path).read_manifest()) == {("id-0", "in/0.txt"), ("id-1", "in/1.txt"), ("id-5", "in/5.txt")}
