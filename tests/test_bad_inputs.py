"""End to end: one folder of every kind of bad input plus good articles, through `digest run`.

The guarantee: the good articles are written, every bad input is one manifest line with a one-line reason
(and, when it failed, one line on stderr naming it), exit code 1, no traceback, nothing written outside OUT.
The readers are unit-tested in test_articles.py; this is the whole path, in one run.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import tiny_settings

from digest.cli import cli
from digest.inputs import discover

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
CP1252 = ("Café talks resume\n\nThe mayor said: \u201cThe café will reopen on Monday.\u201d Tickets cost 5 € "
          "and the owner, Mr Núñez, welcomed the news.\n")
MAX_BYTES = 4000
ROOT_CAN_READ_ANYTHING = hasattr(os, "geteuid") and os.geteuid() == 0


def _story(title: str, n: int) -> str:
    return (f"{title}\n\nThe town council met on Monday and approved plan {n} for new roads and a bigger "
            "school. The mayor said the work would start in the spring.\n")


def _json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def _make_inputs(inp: Path) -> None:
    inp.mkdir()
    (inp / "good-1.txt").write_text(_story("Port strike ends", 1), encoding="utf-8")
    (inp / "good-2.md").write_text("# Council vote\n\nThe council approved the budget on Tuesday. The mayor said "
                                   "the vote was historic.\n", encoding="utf-8")
    (inp / "empty.txt").write_bytes(b"")
    (inp / "blank.txt").write_text("   \n\t\n   \n", encoding="utf-8")
    (inp / "image.txt").write_bytes(PNG)
    (inp / "legacy.txt").write_bytes(CP1252.encode("cp1252"))
    (inp / "utf16.txt").write_bytes(_story("Bridge reopens", 2).encode("utf-16"))  # with a BOM
    (inp / "big.txt").write_text("Big\n\n" + "The council met again. " * 200, encoding="utf-8")
    (inp / "shell.html").write_text("<!DOCTYPE html><html><head><title>App</title><script>start()</script></head>"
                                    "<body><div id=app></div></body></html>", encoding="utf-8")
    (inp / "broken.json").write_text('{"title": "Cut off", "text": ', encoding="utf-8")
    (inp / "feed.jsonl").write_text(
        json.dumps({"id": "line-1", "text": "The river rose two meters overnight and the police closed roads."})
        + "\n{not json\n"
        + json.dumps({"id": "line-3", "text": "The school will open a new library next spring, the head said."})
        + "\n", encoding="utf-8")
    _json(inp / "no-text.json", {"id": "title-only", "title": "Only a title"})
    _json(inp / "swahili.json", {"id": "sw-1", "language": "sw", "title": "Habari",
                                 "text": "Serikali imetangaza mpango mpya wa elimu kwa shule zote za msingi."})
    (inp / "numbers.txt").write_text("12345\n\n12345 67890 !!! 4242 ???\n", encoding="utf-8")
    _json(inp / "dup-a.json", {"id": "same", "text": "The first article is about the weather in the north."})
    _json(inp / "dup-b.json", {"id": "same", "text": "The second article is about a football match on Sunday."})
    (inp / "my article ü.txt").write_text(_story("Spaces in names", 3), encoding="utf-8")
    with open(os.fsencode(inp) + b"/caf\xe9.txt", "wb") as handle:  # a Latin-1 file name, not UTF-8
        handle.write(_story("Latin-1 name", 4).encode())
    (inp / "locked.txt").write_text(_story("Locked", 5), encoding="utf-8")
    (inp / "locked.txt").chmod(0)
    os.mkfifo(inp / "pipe.txt")  # unreadable in another way, even for root: opening it would block
    (inp / "loop").mkdir()
    (inp / "loop" / "again").symlink_to(inp / "loop", target_is_directory=True)
    (inp / "self.txt").symlink_to(inp / "self.txt")
    _json(inp / "traversal.json", {"id": "../../etc/passwd", "text": "An id that tries to climb out of OUT."})
    _json(inp / "slash.json", {"id": "a/b", "text": "An id with a slash in the middle, which is not a file name."})


def _deny(locked: Path):
    def guarded(file, *args, **kwargs):
        if os.fspath(file) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return open(file, *args, **kwargs)

    return guarded


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture(scope="module")
def run(models_root, tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-inputs")
    settings = tiny_settings(models_root)
    settings["input"] = {"max_bytes": MAX_BYTES}
    config = root / "tiny.yaml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    inp, out = root / "in", root / "out"
    _make_inputs(inp)
    before = _files(root)
    try:
        with pytest.MonkeyPatch.context() as patch:
            if ROOT_CAN_READ_ANYTHING:  # chmod 000 does not stop root: refuse that one file the way the OS would
                patch.setattr(discover, "open", _deny(inp / "locked.txt"), raising=False)
            result = CliRunner().invoke(cli, ["run", str(inp), "-o", str(out), "-c", str(config), "--to", "de", "-q"])
    finally:
        (inp / "locked.txt").chmod(0o644)  # let pytest clean up
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {Path(e["source"]).name: e for e in manifest}
    assert len(by_name) == len(manifest), manifest  # one line per input (JSONL lines are named file:line)
    return {"result": result, "out": out, "inp": inp, "root": root, "before": before, "after": _files(root),
            "manifest": manifest, "by_name": by_name}


def _record(run, article_id: str) -> dict:
    return json.loads((run["out"] / "articles" / f"{article_id}.json").read_text(encoding="utf-8"))


def test_exit_code_one_and_no_traceback(run):
    result = run["result"]
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and result.stdout == ""


def test_each_failure_is_one_stderr_line_naming_the_input(run):
    lines = run["result"].stderr.splitlines()
    failed = [e for e in run["manifest"] if e["status"] == "failed"]
    assert len(lines) == len(failed)
    for entry in failed:
        (line,) = [x for x in lines if x.startswith(f"digest: {entry['source']}: ")]
        assert line.endswith(entry["reason"]), line


def test_every_reason_is_one_human_line(run):
    for entry in run["manifest"]:
        assert entry["status"] in ("ok", "skipped", "failed"), entry
        if entry["status"] != "ok":
            reason = entry.get("reason", "")
            assert reason and "\n" not in reason and len(reason) <= 400, entry  # cut at 300, plus "translate xx: "
            assert "Traceback" not in reason and not re.search(r"\bFile \"", reason), entry


def test_good_articles_are_written(run):
    for name, article_id, title in (("good-1.txt", "good-1", "Port strike ends"),
                                    ("good-2.md", "good-2", "Council vote")):
        assert run["by_name"][name]["status"] == "ok"
        record = _record(run, article_id)
        assert record["title"] == title and record["language"] == "en"
        assert set(record["summaries"]) == {"en", "de"} and all(record["summaries"].values())
    assert (run["out"] / "digest.de.md").exists() and (run["out"] / "digest.en.html").exists()


@pytest.mark.parametrize(("name", "reason"), [
    ("empty.txt", "empty file"),
    ("blank.txt", "empty file"),
    ("image.txt", "binary file, not text"),
    ("big.txt", "over the 4.0 kB limit (input.max_bytes)"),
    ("shell.html", "no article text found in HTML"),
    ("broken.json", "invalid JSON (Expecting value: line 1 column 30)"),
    ("feed.jsonl:2", "invalid JSON"),
    ("no-text.json", "no text field (text, body or content)"),
    ("numbers.txt", "language could not be detected"),
    ("pipe.txt", "not a regular file"),
    ("self.txt", "broken symbolic link"),
])
def test_bad_input_fails_with_its_reason(run, name, reason):
    entry = run["by_name"][name]
    assert entry["status"] == "failed" and reason in entry["reason"], entry


def test_symlinked_folder_loop_is_skipped_without_hanging(run):
    entry = run["by_name"]["again"]
    assert (entry["status"], entry["reason"]) == ("skipped", "symbolic link to a folder, not followed")


def test_legacy_and_utf16_encodings_are_decoded(run):
    legacy = _record(run, "legacy")
    assert legacy["title"] == "Café talks resume"
    for fragment in ("\u201cThe café will reopen on Monday.\u201d", "5 €", "Núñez"):
        assert fragment in legacy["text"], legacy["text"]
    assert legacy["meta"]["encoding"].startswith("cp125")
    utf16 = _record(run, "utf16")
    assert utf16["title"] == "Bridge reopens" and utf16["text"].startswith("The town council met")
    assert "\ufeff" not in utf16["title"] + utf16["text"]


def test_good_jsonl_lines_survive_the_bad_one(run):
    assert run["by_name"]["feed.jsonl:1"]["status"] == run["by_name"]["feed.jsonl:3"]["status"] == "ok"
    assert _record(run, "line-1")["source"].endswith("feed.jsonl:1")
    assert _record(run, "line-3")["source"].endswith("feed.jsonl:3")


def test_language_without_a_route_is_a_failed_but_kept_record(run):
    entry = run["by_name"]["swahili.json"]
    assert entry["status"] == "failed" and entry["reason"].startswith("translate de: no translation route sw→de")
    record = _record(run, "sw-1")  # the summary in its own language is kept and shown; retried next run
    assert set(record["summaries"]) == {"sw"} and record["errors"] and "cache_key" not in record
    assert "Habari" in (run["out"] / "digest.sw.md").read_text(encoding="utf-8")


def test_duplicate_ids_are_reported_not_overwritten(run):
    assert run["by_name"]["dup-a.json"]["status"] == "ok"
    entry = run["by_name"]["dup-b.json"]
    assert entry["status"] == "failed"
    assert entry["reason"] == f"duplicate id 'same' (already read from {run['inp'] / 'dup-a.json'})"
    assert "weather" in _record(run, "same")["text"]


def test_file_names_with_spaces_and_non_ascii(run):
    assert run["by_name"]["my article ü.txt"]["status"] == "ok"
    assert _record(run, "my-article-ü")["title"] == "Spaces in names"
    entry = run["by_name"]["caf\ufffd.txt"]  # undecodable byte shown as U+FFFD, still written everywhere
    assert entry["status"] == "ok"
    assert _record(run, entry["id"])["title"] == "Latin-1 name"


def test_unreadable_file(run):
    entry = run["by_name"]["locked.txt"]
    assert (entry["status"], entry["reason"]) == ("failed", "cannot read: permission denied")
    assert not (run["out"] / "articles" / "locked.json").exists()


def test_ids_are_sanitized_and_nothing_lands_outside_out(run):
    out = run["out"]
    assert {p.relative_to(run["root"]).parts[0] for p in run["after"] - run["before"]} == {"out"}
    assert run["before"] <= run["after"]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in run["after"] - run["before"])
    for name, article_id, original in (("traversal.json", "etc-passwd", "../../etc/passwd"),
                                       ("slash.json", "a-b", "a/b")):
        entry = run["by_name"][name]
        assert (entry["status"], entry["id"]) == ("ok", article_id)
        assert _record(run, article_id)["meta"]["original_id"] == original


def test_the_default_size_limit_is_documented_and_used():
    from digest.config import load_config
    from digest.inputs.article import DEFAULT_MAX_BYTES

    default_yaml = Path(__file__).resolve().parents[1] / "configs" / "default.yaml"
    documented = yaml.safe_load(default_yaml.read_text(encoding="utf-8"))["input"]["max_bytes"]
    assert documented == DEFAULT_MAX_BYTES == load_config(None).input.max_bytes
    assert 1_000_000 <= DEFAULT_MAX_BYTES <= 50_000_000
