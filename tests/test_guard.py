"""Fault injection: a bug in any stage, hit by one article of several, costs that article (or page) alone.

Each test makes one stage raise an unexpected exception (a TypeError: a bug, not bad input) for article `b` only,
then checks that the others are written, the manifest is complete and truthful, pages and feeds exist, the exit
code is 4, and that the next run, with the bug gone, is clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from scripted_engines import EchoEngine

from digest import Digester
from digest.config import load_config
from digest.errors import EXIT_INTERNAL
from digest.inputs.article import Article

TEXTS = {
    "a": ("Harbour", "The harbour reopened on Monday after a two-week strike by dock workers ended. Ships queued "
          "outside the port for days. Officials said 40 vessels would be unloaded by Friday."),
    "b": ("Schools", "BOOM The city will build three new schools in the northern district, the council said. "
          "Construction starts in spring. Parents had asked for more places for years."),
    "c": ("Rail", "A new rail line between the two largest cities opened on Sunday. The trip now takes 90 minutes. "
          "Tickets sold out within hours of the first announcement."),
}


class Echo(EchoEngine):
    """A translation model that copies its input, and breaks (a bug) on the text marked BOOM when told to."""

    broken = False

    def generate_candidates(self, texts, params, *, src_lang=None, tgt_token=None):
        if self.broken and any("BOOM" in text for text in texts):
            raise TypeError("the translation engine broke")
        return super().generate_candidates(texts, params, src_lang=src_lang, tgt_token=tgt_token)


@pytest.fixture
def digester() -> Digester:
    config = load_config(None, summary_model="extractive", targets=["de"], device="cpu",
                         **{"translation.pattern": "echo-{src}-{tgt}"})
    return Digester(config, progress=False, engines={"echo-en-de": Echo("echo-en-de")})


def _articles(language: str | None = "en") -> list[Article]:
    return [Article(id=key, title=title, text=text, source=f"db:{key}", language=language)
            for key, (title, text) in TEXTS.items()]


def _boom(exc_type: type[BaseException] = TypeError):
    def fail(*_args, **_kwargs):
        raise exc_type("injected bug")
    return fail


def _inject(stage: str, monkeypatch: pytest.MonkeyPatch, digester: Digester) -> None:
    """Make `stage` raise for article b only."""
    import digest.api
    import digest.output.editions
    import digest.run.batch
    from digest.output.store import Store

    if stage == "language":
        import digest.sources.base

        real = digest.sources.base.article_language
        monkeypatch.setattr(digest.sources.base, "article_language", lambda declared, text, *a: _boom()() if (
            "BOOM" in text) else real(declared, text, *a))
    elif stage == "summarize":
        summarizer = digester.summarizer
        real = summarizer.summarize
        monkeypatch.setattr(summarizer, "summarize", lambda texts, langs: _boom()() if any(
            "BOOM" in t for t in texts) else real(texts, langs))
    elif stage == "translate":
        monkeypatch.setattr(Echo, "broken", True)
    elif stage == "checks":
        real = digest.run.batch.check_record
        monkeypatch.setattr(digest.run.batch, "check_record", lambda record, glossary: _boom()() if (
            record.id == "b") else real(record, glossary))
    elif stage == "write":
        real = Store.save
        monkeypatch.setattr(Store, "save", lambda self, record: _boom()() if record.id == "b" else real(self, record))
    elif stage == "render":
        real = digest.output.editions.render_atom
        monkeypatch.setattr(digest.output.editions, "render_atom", lambda records, *a, **k: _boom()() if any(
            (r.get("id") if isinstance(r, dict) else r.id) == "b" for r in records) else real(records, *a, **k))


def _manifest(out: Path) -> dict[str, dict]:
    return {e["id"]: e for e in map(json.loads, (out / "manifest.jsonl").read_text().splitlines())}


@pytest.mark.parametrize("stage", ["language", "summarize", "translate", "checks", "write", "render"])
def test_a_bug_in_one_stage_costs_one_article(stage, digester, monkeypatch, tmp_path) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        _inject(stage, patch, digester)
        result = digester.run(_articles(None if stage == "language" else "en"), out)
    assert result.exit_code == EXIT_INTERNAL == 4
    manifest = _manifest(out)
    assert set(manifest) == {"a", "b", "c"}
    assert manifest["a"]["status"] == manifest["c"]["status"] == "ok"
    assert manifest["b"]["status"] == "failed" and manifest["b"]["internal"] is True
    assert f"internal error in {stage}: TypeError: " in manifest["b"]["reason"], manifest["b"]
    kept = stage in ("translate", "checks")  # its summaries are kept, without a cache key: redone next run
    for lang in ("en", "de"):
        page = (out / f"digest.{lang}.html").read_text(encoding="utf-8")
        assert "Harbour" in page and "Rail" in page and (kept or "Schools" not in page)
        assert (out / f"feed.{lang}.atom").is_file()
    if kept:
        record = json.loads((out / "articles" / "b.json").read_text(encoding="utf-8"))
        assert "cache_key" not in record and record["errors"] == [manifest["b"]["reason"]]
    assert (out / "articles" / "a.json").is_file() and (out / "articles" / "c.json").is_file()

    again = digester.run(_articles(None if stage == "language" else "en"), out)  # the bug fixed: b is redone
    assert again.exit_code == 0, again.manifest
    assert _manifest(out)["b"]["status"] == "ok"
    assert "Schools" in (out / "digest.en.html").read_text(encoding="utf-8")


def test_a_bug_reading_one_file_costs_that_file(digester, monkeypatch, tmp_path) -> None:
    import digest.inputs.discover as discover

    src = tmp_path / "in"
    src.mkdir()
    for key, (title, text) in TEXTS.items():
        (src / f"{key}.json").write_text(json.dumps({"id": key, "title": title, "text": text, "language": "en"}))
    real = discover.parse_text
    with monkeypatch.context() as patch:
        patch.setattr(discover, "parse_text", lambda text, **kw: _boom()() if "BOOM" in text else real(text, **kw))
        result = digester.run([src], tmp_path / "out")
    assert result.exit_code == 4
    manifest = _manifest(tmp_path / "out")
    assert {e["status"] for key, e in manifest.items() if key != str(src / "b.json")} == {"ok"}
    assert manifest[str(src / "b.json")]["reason"] == "internal error in read: TypeError: injected bug"
    assert digester.run([src], tmp_path / "out").exit_code == 0  # retried, not "unchanged"


def test_a_bug_in_clustering_turns_clustering_off_for_the_run(digester, monkeypatch, tmp_path) -> None:
    import digest.api

    monkeypatch.setattr(digest.api, "plan_stories", _boom())
    result = digester.run(_articles(), tmp_path / "out")
    assert result.exit_code == 4 and result.counts["ok"] == 3
    assert result.incidents == ["internal error in cluster: TypeError: injected bug; this run digests every "
                                "article on its own"]


def test_a_page_bug_not_of_one_story_skips_the_page_and_is_rendered_next_run(digester, monkeypatch,
                                                                              tmp_path) -> None:
    import digest.output.editions

    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(digest.output.editions, "render_atom", _boom())
        result = digester.run(_articles(), out)
        assert result.exit_code == 4 and result.counts["ok"] == 3
        assert any(line.startswith("digest.en: internal error in render") for line in result.incidents)
        assert not (out / "feed.en.atom").exists()
    assert digester.run(_articles(), out).exit_code == 0  # nothing new, but the pending pages are rendered
    assert (out / "feed.en.atom").is_file() and (out / "feed.de.atom").is_file()


def test_the_terminal_gets_one_line_the_log_file_the_traceback(tmp_path, monkeypatch) -> None:
    """A control character in one article used to break the Atom feed of every run: it is now dropped at the
    border; and a bug that still breaks a page costs that story, said in one line, its traceback in the log."""
    import digest.output.editions
    from digest.cli import cli

    src = tmp_path / "in"
    src.mkdir()
    for key, (title, text) in TEXTS.items():
        (src / f"{key}.json").write_text(json.dumps({"id": key, "title": title, "language": "en",
                                                     "text": text.replace("BOOM", "Bad\u0001")}))
    config = tmp_path / "c.yaml"
    config.write_text("targets: []\nsummarizer: {model: extractive}\n")
    args = ["run", str(src), "-c", str(config), "-q"]
    clean = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "clean")])
    assert clean.exit_code == 0, clean.output
    assert "\u0001" not in (tmp_path / "clean" / "articles" / "b.json").read_text()

    real = digest.output.editions.render_atom
    monkeypatch.setattr(digest.output.editions, "render_atom", lambda records, *a, **k: _boom()() if any(
        (r.get("id") if isinstance(r, dict) else r.id) == "b" for r in records) else real(records, *a, **k))
    log = tmp_path / "log.txt"
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "out"), "--log-file", str(log)])
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output and "internal error in render: TypeError: injected bug" in result.output
    assert "Traceback (most recent call last)" in log.read_text()
    manifest = _manifest(tmp_path / "out")
    assert manifest["b"]["status"] == "failed" and manifest["a"]["status"] == manifest["c"]["status"] == "ok"
    assert "Harbour" in (tmp_path / "out" / "digest.en.html").read_text()


def test_digest_streams_records_and_writes_nothing_publish_writes_them(digester, tmp_path, monkeypatch) -> None:
    from digest import ArticleRecord, DigestError  # noqa: F401 - the public names

    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.rglob("*"))
    with digester:
        records = list(digester.digest(_articles() + [Article(id="e", title="Empty", text=" ", language="en")]))
        assert set(tmp_path.rglob("*")) == before  # nothing written anywhere
        assert [r.id for r in records] == ["a", "b", "c", "e"]
        assert all(r.summaries["de"] for r in records[:3]) and records[3].errors == ["no text"]
        result = digester.publish(records, tmp_path / "out")
    assert result.exit_code == 1 and result.counts == {"ok": 3, "failed": 1, "skipped": 0, "unchanged": 0}
    assert sorted(p.name for p in (tmp_path / "out" / "articles").iterdir()) == ["a.json", "b.json", "c.json"]
    assert "Harbour" in (tmp_path / "out" / "digest.de.html").read_text(encoding="utf-8")
    assert _manifest(tmp_path / "out")["e"]["reason"] == "no text"


def test_a_bug_placing_one_story_in_its_edition_costs_that_story(digester, monkeypatch, tmp_path) -> None:
    import digest.output.editions

    real = digest.output.editions.edition_key
    monkeypatch.setattr(digest.output.editions, "edition_key", lambda record, *a: _boom()() if (
        record["id"] == "b") else real(record, *a))
    result = digester.run(_articles(), tmp_path / "out")
    assert result.exit_code == 4
    manifest = _manifest(tmp_path / "out")
    assert manifest["b"]["status"] == "failed" and "internal error in render: TypeError" in manifest["b"]["reason"]
    assert "Harbour" in (tmp_path / "out" / "digest.en.html").read_text(encoding="utf-8")
