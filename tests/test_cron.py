"""Cron-grade guarantees of `digest run`: resume, kill -9, the lock, one failing article, --since, logs.

Every run here goes through the CLI on the tiny random models, so only structure is asserted, never words.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import tiny_settings

from digest.cli import cli
from digest.output.store import Store

SUMMARY_LINE = re.compile(r"\d+ ok, \d+ failed, \d+ skipped, .* in \d+\.\d s")


def _story(n: int, extra: str = "") -> str:
    return (f"Council meeting number {n}\n\nThe town council met on Monday and approved plan {n} for new roads "
            f"and a bigger school.{extra} The mayor said the work would start in the spring.\n")


def _config(path: Path, models_root: Path, **changes: object) -> Path:
    """A tiny-model config file with one target (de) and `changes` on top ("a.b" keys reach into sections)."""
    settings = tiny_settings(models_root)
    settings["targets"] = ["de"]
    # _story(n) texts differ in one number: near-duplicates that story clustering rightly merges into one; these
    # tests count articles through writes, kills and failures, so each must reach the models on its own
    settings["cluster"] = {"enabled": False}
    for dotted, value in changes.items():
        *parents, key = dotted.split(".")
        section = settings
        for name in parents:
            section = section.setdefault(name, {})
        section[key] = value
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def _invoke(*args: object):
    result = CliRunner().invoke(cli, ["run", *map(str, args)])
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _manifest(out: Path) -> dict[str, dict]:
    """What the last run did to each input (manifest.jsonl is the state of every article, see test_cron_state)."""
    entries = [json.loads(line) for line in (out / "last-run.jsonl").read_text(encoding="utf-8").splitlines()]
    return {e["id"]: e for e in entries}


def _statuses(out: Path) -> dict[str, tuple[str, str | None]]:
    return {i: (e["status"], e.get("reason")) for i, e in _manifest(out).items()}


def _record(out: Path, article_id: str) -> dict:
    return json.loads((out / "articles" / f"{article_id}.json").read_text(encoding="utf-8"))


def _stamp(path: Path) -> tuple[int, int]:
    """Identity of a written file: atomic_write replaces it, so a rewrite changes the inode."""
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}


# -- resume --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_resume_redoes_only_what_changed(models_root, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for n in (1, 2, 3):
        (inp / f"s{n}.txt").write_text(_story(n), encoding="utf-8")
    config = _config(tmp_path / "tiny.yaml", models_root)
    ids = {"s1", "s2", "s3"}

    first = _invoke(inp, "-o", out, "-c", config, "-q")
    assert first.exit_code == 0, first.output
    assert _statuses(out) == dict.fromkeys(ids, ("ok", None))
    keys = {i: _record(out, i)["cache_key"] for i in ids}
    assert all(isinstance(k, str) and len(k) >= 16 for k in keys.values()) and len(set(keys.values())) == 3
    stamps = {i: _stamp(out / "articles" / f"{i}.json") for i in ids}

    again = _invoke(inp, "-o", out, "-c", config, "-q")
    assert again.exit_code == 0, again.output
    assert _statuses(out) == dict.fromkeys(ids, ("skipped", "up to date"))
    assert {i: _stamp(out / "articles" / f"{i}.json") for i in ids} == stamps  # not even rewritten

    (inp / "s2.txt").write_text(_story(2, " The budget was cut by half."), encoding="utf-8")
    changed = _invoke(inp, "-o", out, "-c", config, "-q")
    assert changed.exit_code == 0, changed.output
    assert _statuses(out) == {"s1": ("skipped", "up to date"), "s2": ("ok", None), "s3": ("skipped", "up to date")}
    assert _record(out, "s2")["cache_key"] != keys["s2"]
    assert "budget was cut" in _record(out, "s2")["text"]
    keys["s2"] = _record(out, "s2")["cache_key"]

    longer = _config(tmp_path / "longer.yaml", models_root, **{"translation.generation.max_length": 20})
    settings = _invoke(inp, "-o", out, "-c", longer, "-q")
    assert settings.exit_code == 0, settings.output
    assert _statuses(out) == dict.fromkeys(ids, ("ok", None))
    new_keys = {i: _record(out, i)["cache_key"] for i in ids}
    assert all(new_keys[i] != keys[i] for i in ids)

    forced = _invoke(inp, "-o", out, "-c", longer, "-q", "--force")
    assert forced.exit_code == 0, forced.output
    assert _statuses(out) == dict.fromkeys(ids, ("ok", None))
    assert {i: _record(out, i)["cache_key"] for i in ids} == new_keys  # same text + settings: same key


# -- kill -9 ---------------------------------------------------------------------------------------------------

N_KILLED = 12


def _progress(out: Path) -> tuple[int, int]:
    """(article records written, manifest entries) as a reader sees them at this instant."""
    written = len(list((out / "articles").glob("*.json"))) if (out / "articles").is_dir() else 0
    try:
        entries = len((out / "manifest.jsonl").read_text(encoding="utf-8").splitlines())
    except FileNotFoundError:
        entries = 0
    return written, entries


def _check_every_file_parses(out: Path) -> list[Path]:
    """Each output file is whole; returns the atomic_write temporaries (the only partial files allowed)."""
    temporaries = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.name.endswith(".tmp"):
            assert path.name.startswith("."), path
            temporaries.append(path)
        elif path.suffix == ".json":
            assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict), path
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                json.loads(line)
        elif path.name.startswith(".digest.lock"):
            continue
        else:
            assert path.suffix in (".md", ".html", ".atom"), path  # .atom: the editions' feeds
            path.read_text(encoding="utf-8")
    return temporaries


@pytest.mark.slow
def test_kill_9_mid_batch_loses_nothing_finished(models_root, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for n in range(N_KILLED):
        (inp / f"story-{n:02d}.txt").write_text(_story(n), encoding="utf-8")
    config = _config(tmp_path / "tiny.yaml", models_root, batch_size=1)  # waves of 4 articles
    log = (tmp_path / "killed.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "digest", "run", str(inp), "-o", str(out), "-c", str(config),
                             "-q"], stdout=log, stderr=subprocess.STDOUT, env=_env())
    try:
        deadline = time.monotonic() + 180  # model loading on a busy 2-core machine can take a while
        while True:
            assert proc.poll() is None, (f"run ended ({proc.returncode}) before it could be killed mid-batch; "
                                         f"{_progress(out)}; {(tmp_path / 'killed.log').read_text()}")
            assert time.monotonic() < deadline, "no article was written in time"
            # the first wave is written and in the manifest, the run is not finished: it is mid-batch
            written, entries = _progress(out)
            if written >= 1 and 1 <= entries < N_KILLED:
                os.kill(proc.pid, signal.SIGSTOP)  # frozen: what we see now is what the kill leaves behind
                written, entries = _progress(out)
                if entries < N_KILLED:
                    break
                os.kill(proc.pid, signal.SIGCONT)
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
        log.close()

    temporaries = _check_every_file_parses(out)
    finished = {p.stem: _stamp(p) for p in (out / "articles").glob("*.json")}
    assert 1 <= len(finished) < N_KILLED
    created = {i: _record(out, i)["created"] for i in finished}
    # a half-written record as a kill between write and rename leaves it: never read as a record
    ghost = out / "articles" / ".ghost.json.k1ll3d.tmp"
    ghost.write_text(json.dumps({"id": "ghost", "title": "Ghost", "summaries": {"en": "boo", "de": "buh"}}))
    (out / ".manifest.jsonl.k1ll3d.tmp").write_text('{"id": "half')
    assert {r.id for r in Store(out).records()} == set(finished)

    rerun = _invoke(inp, "-o", out, "-c", config, "-q")
    assert rerun.exit_code == 0, rerun.output
    statuses = _statuses(out)
    assert len(statuses) == N_KILLED
    assert {i for i, s in statuses.items() if s == ("skipped", "up to date")} == set(finished)
    assert {i for i, s in statuses.items() if s == ("ok", None)} == set(statuses) - set(finished)
    assert {p.stem: _stamp(p) for p in (out / "articles").glob("*.json") if p.stem in finished} == finished
    assert {i: _record(out, i)["created"] for i in finished} == created
    assert len(list((out / "articles").glob("*.json"))) == N_KILLED
    # the rerun holds the lock, so it tidies what the killed run (and we) left
    assert [p for p in out.rglob("*") if p.name.endswith(".tmp")] == [], temporaries
    assert "Ghost" not in (out / "digest.de.html").read_text(encoding="utf-8")
    assert _check_every_file_parses(out) == []


# -- the lock ---------------------------------------------------------------------------------------------------


def test_second_run_on_the_same_out_exits_3_naming_the_holder(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text(_story(1), encoding="utf-8")
    with Store(tmp_path / "out").lock():
        started = time.monotonic()
        result = _invoke(inp, "-o", tmp_path / "out", "--lock-timeout", "0.5", "-q")
        waited = time.monotonic() - started
    assert result.exit_code == 3, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert f"pid {os.getpid()}" in lines[0] and "locked" in lines[0]
    assert waited >= 0.5


def _hold_lock(out: Path) -> subprocess.Popen:
    """Another process holding OUT's lock; returns once it holds it."""
    code = ("import sys, time\nfrom digest.output.store import Store\n"
            "with Store(sys.argv[1]).lock():\n    print('locked', flush=True)\n    time.sleep(300)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE, text=True, env=_env())
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    if not ready or proc.stdout.readline().strip() != "locked":
        proc.kill()
        pytest.fail("the lock holder did not start")
    return proc


@pytest.mark.slow
def test_lock_of_a_killed_process_never_blocks(models_root, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text(_story(1), encoding="utf-8")
    config = _config(tmp_path / "tiny.yaml", models_root)
    holder = _hold_lock(out)
    try:
        blocked = _invoke(inp, "-o", out, "-c", config, "--lock-timeout", "0.5", "-q")
        assert blocked.exit_code == 3, blocked.output
        assert len(blocked.stderr.splitlines()) == 1 and f"pid {holder.pid}" in blocked.stderr
        holder.send_signal(signal.SIGKILL)
        assert holder.wait(timeout=60) == -signal.SIGKILL
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(timeout=60)
    assert (out / ".digest.lock.pid").read_text().strip() == str(holder.pid)  # stale, and harmless
    result = _invoke(inp, "-o", out, "-c", config, "-q")
    assert result.exit_code == 0, result.output
    assert _statuses(out) == {"a": ("ok", None)}
    assert not (out / ".digest.lock.pid").exists()


# -- one failing article ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_model_failing_on_one_article_fails_only_that_one(models_root, tmp_path, monkeypatch):
    from digest.engines.hf import HFEngine

    original = HFEngine.generate_candidates

    def flaky(self, texts, params, **kwargs):
        if any("BOOM" in text for text in texts):
            raise RuntimeError("CUDA error: device-side assert\ntriggered")
        return original(self, texts, params, **kwargs)

    monkeypatch.setattr(HFEngine, "generate_candidates", flaky)
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for n in (1, 2, 3):
        (inp / f"s{n}.txt").write_text(_story(n, " BOOM went the model." if n == 2 else ""), encoding="utf-8")
    result = _invoke(inp, "-o", out, "-c", _config(tmp_path / "tiny.yaml", models_root), "-q")
    assert result.exit_code == 1, result.output
    assert _statuses(out) == {"s1": ("ok", None), "s3": ("ok", None),
                              "s2": ("failed", "summarize: CUDA error: device-side assert triggered")}
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["s1.json", "s3.json"]
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "s2.txt" in lines[0] and "CUDA error" in lines[0], result.stderr
    assert (out / "digest.de.md").exists()


# -- --since and --changed-only ------------------------------------------------------------------------------------


def _at(path: Path, when: datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.mark.slow
def test_since_reads_only_files_modified_at_or_after(models_root, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for n, name in enumerate(("old", "edge", "new")):
        (inp / f"{name}.txt").write_text(_story(n), encoding="utf-8")
    _at(inp / "old.txt", datetime(2025, 6, 1, 12, 0))
    _at(inp / "edge.txt", datetime(2026, 1, 1, 0, 0, 0))  # exactly the boundary: "at or after" reads it
    config = _config(tmp_path / "tiny.yaml", models_root)

    result = _invoke(inp, "-o", out, "-c", config, "-q", "--since", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert _statuses(out) == {"edge": ("ok", None), "new": ("ok", None)}
    assert sorted(p.stem for p in (out / "articles").glob("*.json")) == ["edge", "new"]

    later = _invoke(inp, "-o", out, "-c", config, "-q", "--since", "2026-01-01T00:00:01")
    assert later.exit_code == 0, later.output
    assert _statuses(out) == {"new": ("skipped", "up to date")}

    bad = _invoke(inp, "-o", out, "-c", config, "-q", "--since", "yesterday")
    assert bad.exit_code == 2 and "--since" in bad.output


@pytest.mark.slow
def test_changed_only_reads_files_changed_since_the_last_clean_run(models_root, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for name in ("a", "b", "c"):
        (inp / f"{name}.txt").write_text(_story(ord(name)), encoding="utf-8")
        _at(inp / f"{name}.txt", datetime(2025, 6, 1))
    config = _config(tmp_path / "tiny.yaml", models_root)
    run = ("-o", out, "-c", config, "-q", "--changed-only")

    first = _invoke(inp, *run)  # no earlier run on OUT: everything
    assert first.exit_code == 0, first.output
    assert _statuses(out) == dict.fromkeys("abc", ("ok", None))

    (inp / "b.txt").write_text(_story(ord("b"), " The budget was cut by half."), encoding="utf-8")
    second = _invoke(inp, *run)
    assert second.exit_code == 0, second.output
    assert _statuses(out) == {"b": ("ok", None)}

    (inp / "c.txt").touch()  # same text, newer file: read again, and found up to date
    (inp / "empty.txt").write_text("")
    third = _invoke(inp, *run)
    assert third.exit_code == 1
    assert _statuses(out) == {"c": ("skipped", "up to date"), str(inp / "empty.txt"): ("failed", "empty file")}

    # a run with a failure does not count as clean: the next one looks at the same files again, and counts the
    # unchanged failure without reporting it again (exit 0)
    fourth = _invoke(inp, *run)
    assert fourth.exit_code == 0
    assert set(_statuses(out)) == {"c", str(inp / "empty.txt")}
    assert _manifest(out)[str(inp / "empty.txt")]["unchanged"] is True

    # that run was clean (nothing new failed): cron stops re-reading the folder for one broken file, which stays
    # failed in the manifest's state
    fifth = _invoke(inp, *run)
    assert fifth.exit_code == 0 and _statuses(out) == {}
    state = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["status"] for e in state if e["id"] == str(inp / "empty.txt")] == ["failed"]


@pytest.mark.slow
def test_changed_only_reads_everything_again_after_a_settings_change(models_root, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for name in ("a", "b"):
        (inp / f"{name}.txt").write_text(_story(ord(name)), encoding="utf-8")
        _at(inp / f"{name}.txt", datetime(2025, 6, 1))
    config = _config(tmp_path / "tiny.yaml", models_root)
    run = ("-o", out, "-c", config, "-q", "--changed-only")
    assert _invoke(inp, *run).exit_code == 0
    assert _invoke(inp, *run, "--batch-size", "1").exit_code == 0  # how fast it runs is no change
    assert _statuses(out) == {}

    wider = _invoke(inp, *run, "--to", "de,fr,es")  # a new target: every article is redone, not only new files
    assert wider.exit_code == 0, wider.output
    assert _statuses(out) == {"a": ("ok", None), "b": ("ok", None)}
    assert all("es" in json.loads(p.read_text(encoding="utf-8"))["summaries"] for p in (out / "articles").iterdir())
    assert (out / "digest.es.md").exists()


# -- logging ------------------------------------------------------------------------------------------------------


def test_skipped_inputs_and_an_empty_run_say_so_on_a_terminal_not_under_quiet(models_root, tmp_path):
    inp, out, config = tmp_path / "in", tmp_path / "out", _config(tmp_path / "tiny.yaml", models_root)
    inp.mkdir()
    (inp / "notes.rst").write_text("Not an article format.", encoding="utf-8")
    shown = _invoke(inp, "-o", out, "-c", config)
    assert shown.exit_code == 0, shown.output
    assert shown.stderr.splitlines()[0] == f"digest: {inp / 'notes.rst'}: skipped: unsupported file type .rst"
    assert _invoke(inp, "-o", out, "-c", config, "-q").stderr == ""
    (inp / "notes.rst").unlink()
    empty = _invoke(inp, "-o", out, "-c", config)
    assert empty.exit_code == 0 and empty.stderr.splitlines()[0] == "digest: no input to read"
    (inp / "a.txt").write_text(_story(1), encoding="utf-8")
    some = _invoke(inp, "-o", out, "-c", config)
    assert some.exit_code == 0 and "no input" not in some.stderr and "1 ok, 0 failed" in some.stderr


def test_json_logs_on_stderr_and_appended_to_a_log_file(models_root, tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text(_story(1), encoding="utf-8")
    (inp / "empty.txt").write_text("")
    config, log_file = _config(tmp_path / "tiny.yaml", models_root), tmp_path / "digest.log"

    result = _invoke(inp, "-o", out, "-c", config, "--log-format", "json", "--log-file", log_file)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert lines and all({"level", "message", "time"} <= set(line) for line in lines)
    assert [line["level"] for line in lines if "empty.txt" in line["message"]] == ["warning"]
    (summary,) = [line for line in lines if SUMMARY_LINE.search(line["message"])]
    assert summary["level"] == "info" and "1 ok, 1 failed, 0 skipped" in summary["message"]
    first = log_file.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in first] == lines

    # cron: quiet on stderr (problems only, and an unchanged failure was reported already), the full story in
    # the file, appended run after run
    quiet = _invoke(inp, "-o", out, "-c", config, "-q", "--log-file", log_file)
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    logged = log_file.read_text(encoding="utf-8").splitlines()
    assert logged[: len(first)] == first
    added = logged[len(first):]
    assert not any(" WARNING " in line for line in added)
    (summary_line,) = [line for line in added if SUMMARY_LINE.search(line)]
    assert " INFO " in summary_line and "0 ok, 0 failed, 1 skipped, 1 still failing, unchanged" in summary_line

    retried = _invoke(inp, "-o", out, "-c", config, "-q", "--retry-failed", "--log-file", log_file)
    assert retried.exit_code == 1
    assert len(retried.stderr.splitlines()) == 1 and "empty.txt" in retried.stderr
