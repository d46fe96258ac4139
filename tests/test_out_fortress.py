"""OUT is a fortress: no write, rename or delete follows a link planted below it, and only regular files are read
back (each case: a run refuses with one line naming the path, exit 2, and what the link points to is left exactly
as it was); OUT and the inputs never overlap in a way that hides new articles.

Fast on purpose: the extractive summarizer and `--to en` load no model.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.errors import UnsafePathError
from digest.safeio import OutDir

pytestmark = pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="POSIX only")

STORY = ("Council approves new roads\n\nThe town council met on Monday and approved a plan for new roads. "
         "The mayor said the work would start in the spring. Residents asked for a bigger school as well.\n")


def _run(inp: Path, out: Path):
    result = CliRunner().invoke(cli, ["run", str(inp), "-o", str(out), "--summary-model", "extractive", "--to", "en"])
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An input folder, an OUT, and an unrelated folder holding a file and a dot-temporary (a victim)."""
    inp, out, victim = tmp_path / "in", tmp_path / "out", tmp_path / "victim"
    inp.mkdir()
    (inp / "roads.txt").write_text(STORY, encoding="utf-8")
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me", encoding="utf-8")
    (victim / ".work.json.x1.tmp").write_text("another tool's temporary", encoding="utf-8")
    return inp, out, victim


def _refused(result, path: Path) -> None:
    assert result.exit_code == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"digest: error: {path}: ") and "refusing" in line, line


@pytest.mark.parametrize("folder", ["articles", "editions", "editions/.ids"])
def test_a_linked_folder_of_out_is_refused_before_anything_is_written(setup, folder: str) -> None:
    inp, out, victim = setup
    (out / folder).parent.mkdir(parents=True, exist_ok=True)
    (out / folder).symlink_to(victim, target_is_directory=True)
    before = _snapshot(victim)
    _refused(_run(inp, out), out / folder)
    assert _snapshot(victim) == before  # nothing written there, its temporary not deleted


def test_a_linked_edition_folder_is_refused_and_its_target_untouched(setup) -> None:
    inp, out, victim = setup
    assert _run(inp, out).exit_code == 0
    (key,) = [p for p in (out / "editions").iterdir() if p.is_dir() and not p.name.startswith(".")]
    for path in key.iterdir():
        path.unlink()
    key.rmdir()
    key.symlink_to(victim, target_is_directory=True)
    (inp / "bridges.txt").write_text(STORY.replace("roads", "bridges"), encoding="utf-8")
    before = _snapshot(victim)
    _refused(_run(inp, out), key)
    assert _snapshot(victim) == before


@pytest.mark.parametrize("name", ["manifest.jsonl", "digest.en.md", "feed.en.atom", "index.html",
                                  "articles/roads.json", "last-run.jsonl", ".digest-state.json"])
def test_a_linked_file_in_out_is_never_written_through(setup, name: str) -> None:
    inp, out, victim = setup
    assert _run(inp, out).exit_code == 0
    (out / name).unlink()
    (out / name).symlink_to(victim / "precious.txt")
    (inp / "bridges.txt").write_text(STORY.replace("roads", "bridges"), encoding="utf-8")
    _refused(_run(inp, out), out / name)
    assert (victim / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_a_planted_lock_file_link_is_refused_and_its_target_not_truncated(setup) -> None:
    inp, out, victim = setup
    out.mkdir()
    (out / ".digest.lock").symlink_to(victim / "precious.txt")
    result = _run(inp, out)
    assert result.exit_code == 3 and "refusing the lock file" in result.stderr
    assert (victim / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_a_fifo_in_out_is_never_read_nor_waited_on(setup) -> None:
    inp, out, _ = setup
    assert _run(inp, out).exit_code == 0
    (out / "articles" / "roads.json").unlink()
    os.mkfifo(out / "articles" / "roads.json")  # read back as a record, it would hang the run
    _refused(_run(inp, out), out / "articles" / "roads.json")


def test_out_dir_reads_only_regular_files_and_refuses_links_below_it(tmp_path: Path) -> None:
    fs = OutDir(tmp_path / "out")
    fs.write("a/b.txt", "one")
    assert fs.read_text("a/b.txt") == "one" and fs.names("a") == ["b.txt"]
    (tmp_path / "secret").write_text("secret", encoding="utf-8")
    (tmp_path / "out" / "a" / "link.txt").symlink_to(tmp_path / "secret")
    with pytest.raises(OSError):
        fs.read_text("a/link.txt")
    with pytest.raises(UnsafePathError, match="link.txt: a symbolic link"):
        fs.write("a/link.txt", "overwritten")
    with pytest.raises(UnsafePathError, match="link.txt: a symbolic link"):
        fs.append("a/link.txt", "appended\n")
    (tmp_path / "out" / "c").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(UnsafePathError, match="c: a symbolic link, not a folder"):
        fs.write("c/x.txt", "x")
    with pytest.raises(UnsafePathError):
        fs.remove_tree("c")
    assert fs.unlink("c") and (tmp_path / "secret").read_text(encoding="utf-8") == "secret"
    with pytest.raises(UnsafePathError, match="leaves the output folder"):
        fs.write("../escape.txt", "x")


def test_out_equal_to_the_input_folder_is_a_usage_error(setup) -> None:
    inp, _, _ = setup
    before = _snapshot(inp)
    result = _run(inp, inp)
    assert result.exit_code == 2
    assert result.stderr == (f"digest: error: {inp}: the input folder is also the output folder; give the digests "
                             "a folder of their own (-o), e.g. one beside it\n")
    assert _snapshot(inp) == before


def test_an_input_inside_out_is_a_usage_error(setup) -> None:
    inp, out, _ = setup
    assert _run(inp, out).exit_code == 0
    result = _run(out / "articles", out)
    assert result.exit_code == 2 and "inside the output folder" in result.stderr


def test_out_inside_the_input_folder_is_passed_over_and_new_articles_are_read(setup) -> None:
    inp, _, _ = setup
    out = inp / "digests"
    first = _run(inp, out)
    assert first.exit_code == 0 and "1 ok" in first.stderr
    (inp / "bridges.txt").write_text(STORY.replace("roads", "bridges"), encoding="utf-8")
    again = _run(inp, out)
    assert again.exit_code == 0 and "1 ok, 0 failed, 1 skipped" in again.stderr, again.stderr
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["bridges.json", "roads.json"]


OTHER = {"bridges": ("Council approves new bridges\n\nTwo bridges over the river will be replaced next year, the "
                     "engineers told the council. Traffic will use a ferry while the old spans come down.\n"),
         "tunnels": ("Council approves new tunnels\n\nA tunnel under the old market will carry the tram line, "
                     "officials said on Friday. Shops near the site expect three years of noise and dust.\n")}


def _titles_on_page(out: Path) -> set[str]:
    page = (out / "digest.en.md").read_text(encoding="utf-8")
    return {word for word in ("roads", "bridges", "tunnels") if f"Council approves new {word}" in page}


def test_records_saved_by_a_run_killed_before_rendering_reach_the_pages_next_run(setup, monkeypatch) -> None:
    from digest.api import Digester
    from digest.config import load_config

    inp, out, _ = setup
    assert _run(inp, out).exit_code == 0 and _titles_on_page(out) == {"roads"}
    for word, text in OTHER.items():
        (inp / f"{word}.txt").write_text(text, encoding="utf-8")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # what kill -9 leaves: records saved, nothing rendered after them

    with monkeypatch.context() as patch:
        patch.setattr(Digester, "_render", killed)
        with pytest.raises(KeyboardInterrupt):
            Digester(load_config(None, summary_model="extractive", targets=["en"]), progress=False).run([inp], out)
    assert {p.name for p in (out / "articles").iterdir()} == {"roads.json", "bridges.json", "tunnels.json"}
    assert _titles_on_page(out) == {"roads"}

    again = _run(inp, out)  # every article is up to date now: the pages are still completed
    assert again.exit_code == 0 and "0 ok, 0 failed, 3 skipped" in again.stderr, again.stderr
    assert _titles_on_page(out) == {"roads", "bridges", "tunnels"}


def test_an_edition_item_lost_is_put_back_and_a_clean_rerun_rewrites_nothing(setup) -> None:
    inp, out, _ = setup
    (inp / "bridges.txt").write_text(OTHER["bridges"], encoding="utf-8")
    assert _run(inp, out).exit_code == 0
    (items,) = (out / "editions").glob("*/items.jsonl")
    lines = items.read_text(encoding="utf-8").splitlines()
    items.write_text("".join(line + "\n" for line in lines if '"bridges"' not in line), encoding="utf-8")
    (out / "digest.en.md").unlink()
    assert _run(inp, out).exit_code == 0
    assert _titles_on_page(out) == {"roads", "bridges"}
    assert items.read_text(encoding="utf-8").splitlines() == lines
    stamp = (out / "digest.en.md").stat().st_ino
    assert _run(inp, out).exit_code == 0 and (out / "digest.en.md").stat().st_ino == stamp  # nothing left to do


def _json_article(path: Path, article_id: str, word: str) -> None:
    text = OTHER[word].split("\n\n", 1)[1]
    path.write_text(json.dumps({"id": article_id, "title": f"Council approves new {word}", "text": text,
                                "language": "en"}), encoding="utf-8")


def _manifest(out: Path) -> dict[str, dict]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["source"]: json.loads(line) for line in lines if line.strip()}


def _cli(*args: object):
    result = CliRunner().invoke(cli, ["run", *map(str, args), "--summary-model", "extractive", "--to", "en"])
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.mark.parametrize("changed_only", [True, False])
def test_an_id_stays_with_its_source_when_a_new_file_reuses_it(tmp_path: Path, changed_only: bool) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    _json_article(inp / "b-first.json", "same", "bridges")
    assert _cli(inp, "-o", out).exit_code == 0
    _json_article(inp / "a-later.json", "same", "tunnels")  # sorts first: a full run reads it before the owner
    flags = ["--changed-only"] if changed_only else []
    again = _cli(inp, "-o", out, *flags)
    assert again.exit_code == 1
    owner, newcomer = str(inp / "b-first.json"), str(inp / "a-later.json")
    (line,) = [line for line in again.stderr.splitlines() if "duplicate id" in line]
    assert line == f"digest: {newcomer}: duplicate id 'same' (already in the output folder from {owner})"
    record = json.loads((out / "articles" / "same.json").read_text(encoding="utf-8"))
    assert record["source"] == owner and "bridges" in record["title"]
    state = _manifest(out)
    assert state[owner]["status"] == "ok" and state[newcomer]["status"] == "failed"
    assert _titles_on_page(out) == {"bridges"}
    third = _cli(inp, "-o", out)  # reported once; whichever files are read, the owner keeps its id
    assert third.exit_code == 0 and "1 still failing, unchanged" in third.stderr, third.stderr
    assert json.loads((out / "articles" / "same.json").read_text(encoding="utf-8"))["source"] == owner


def test_an_id_passes_to_a_new_file_once_its_owner_is_gone(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    _json_article(inp / "old-name.json", "same", "bridges")
    assert _cli(inp, "-o", out).exit_code == 0
    (inp / "old-name.json").unlink()  # moved and edited: the article now lives in another file
    _json_article(inp / "new-name.json", "same", "tunnels")
    again = _cli(inp, "-o", out)
    assert again.exit_code == 0 and "duplicate" not in again.stderr, again.stderr
    record = json.loads((out / "articles" / "same.json").read_text(encoding="utf-8"))
    assert record["source"] == str(inp / "new-name.json")


def test_eval_reads_no_record_through_a_link(tmp_path: Path) -> None:
    pytest.importorskip("rouge_score")
    from digest.output.evaluate import evaluate

    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps({"id": "x", "summaries": {"en": "The council approved roads."}}), encoding="utf-8")
    (out / "articles" / "x.json").symlink_to(outside)
    with pytest.raises(ValueError, match="no reference id matches"):
        evaluate(out, {"x": {"summary": "The council approved roads."}})


def test_a_run_killed_while_rendering_leaves_its_editions_pending(setup, monkeypatch) -> None:
    from digest.api import Digester
    from digest.config import load_config
    from digest.output.editions import Editions

    inp, out, _ = setup
    assert _run(inp, out).exit_code == 0
    (inp / "bridges.txt").write_text(OTHER["bridges"], encoding="utf-8")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # items.jsonl already holds the new story, no page does yet

    with monkeypatch.context() as patch:
        patch.setattr(Editions, "_pages", killed)
        with pytest.raises(KeyboardInterrupt):
            Digester(load_config(None, summary_model="extractive", targets=["en"]), progress=False).run([inp], out)
    assert '"bridges"' in next((out / "editions").glob("*/items.jsonl")).read_text(encoding="utf-8")
    assert _titles_on_page(out) == {"roads"}
    assert _run(inp, out).exit_code == 0
    assert _titles_on_page(out) == {"roads", "bridges"}


def test_the_web_state_file_is_never_read_or_written_through_a_link(tmp_path: Path) -> None:
    from digest.sources.fetch import Fetcher, FetchSettings

    out = tmp_path / "out"
    out.mkdir()
    secret = tmp_path / "elsewhere.json"
    planted = {"validators": {"https://example.org/feed.xml": {"etag": "planted"}}}
    secret.write_text(json.dumps(planted), encoding="utf-8")
    (out / ".digest-web.json").symlink_to(secret)
    fetcher = Fetcher(FetchSettings(), state_file=out / ".digest-web.json")
    assert fetcher.state["validators"] == {}  # not read through the link
    with pytest.raises(UnsafePathError, match="digest-web.json: a symbolic link"):
        fetcher.save()
    assert json.loads(secret.read_text(encoding="utf-8")) == planted
