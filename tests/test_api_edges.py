"""The Python API behaves like the CLI, and model-output edges (issue 11 §3-4): cleaned text for summarize(),
records in OUT that cannot be rendered, the README's loop over a failed record, empty model outputs, and
multilingual models recognised wherever a model is named."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from scripted_engines import EchoEngine, language_codes

from digest import Article, Digester
from digest.cli import cli
from digest.config import load_config
from digest.engines.base import Hypothesis

HEADLINE = "Storm closes Dover port"
BODY = ("A storm closed the port of Dover on Tuesday morning. Two thousand lorries waited on the motorway for "
        "hours. Ferry companies said crossings would resume on Wednesday.")
README = Path(__file__).resolve().parents[1] / "README.md"


class Silent(EchoEngine):
    """A translation model that answers with nothing (as a broken or mis-set model does)."""

    model_type = "marian"

    def generate_candidates(self, texts, params, *, src_lang=None, tgt_token=None) -> list[list[Hypothesis]]:
        return [[Hypothesis("")] for _ in texts]


class Echo(EchoEngine):
    """A summarizer that returns its input: what reaches the model is what comes out."""

    model_type = "marian"


@pytest.fixture(scope="module")
def extractive() -> Digester:
    return Digester(load_config(None, summary_model="extractive", targets=[]), progress=False)


# -- summarize(text) cleaning as the readers do -----------------------------------------------------------------


def test_summarize_drops_the_headline_line() -> None:
    digester = Digester(load_config(None, summary_model="echo", targets=[]), progress=False,
                        engines={"echo": Echo("echo")})
    summary = digester.summarize(f"{HEADLINE}\n\nRead more: sign up for our newsletter\n\n{BODY}")
    assert summary == BODY  # no headline, no boilerplate line: what `digest summarize a.txt` gives the model


def test_summarize_keeps_a_first_line_that_is_the_lede(extractive: Digester) -> None:
    first, rest = BODY.split(". ", 1)
    assert extractive.summarize(f"{first}.\n{rest}").startswith(first)


def test_module_summarize_cleans_too() -> None:
    from digest import summarize

    assert HEADLINE not in summarize(f"{HEADLINE}\n\n{BODY}", summary_model="extractive", targets=[])


# -- records in OUT that cannot be rendered ---------------------------------------------------------------------


class Collect(logging.Handler):
    """The digest logger's messages, counted here (caplog may see a record twice after a CLI test's setup)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_bad_records_in_out_are_skipped_with_one_warning_each(tmp_path: Path) -> None:
    articles = tmp_path / "out" / "articles"
    articles.mkdir(parents=True)
    bad = {"101.json": '{"id": 101, "summaries": {"en": "x"}}', "cut.json": '{"id": "cut", "summar',
           "foreign.json": "[1, 2, 3]", "old.json": '{"id": "old", "summaries": "not an object", "format": 0}'}
    for name, text in bad.items():
        (articles / name).write_text(text, encoding="utf-8")
    digester = Digester(load_config(None, summary_model="extractive", targets=[]), progress=False)
    collect = Collect()
    logging.getLogger("digest").addHandler(collect)
    try:
        result = digester.run([Article(id="n1", title="Roads", text=BODY, source="db:1", language="en")],
                              tmp_path / "out")
    finally:
        logging.getLogger("digest").removeHandler(collect)
    assert result.exit_code == 0 and (tmp_path / "out" / "digest.en.md").is_file()
    for name in bad:
        assert sum(str(articles / name) in message for message in collect.messages) == 1, (name, collect.messages)
    assert digester.run([], tmp_path / "out").exit_code == 0  # and the next run too


# -- the README's Python loop on a failed record ----------------------------------------------------------------


def test_readme_loop_runs_on_a_failed_translation(tmp_path: Path, capsys) -> None:
    block = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    loop = "\n".join(line for line in block.splitlines()[block.splitlines().index(next(
        line for line in block.splitlines() if line.startswith("for record"))):] if not line.startswith(
        ("digester.", "summarize(")))
    config = load_config(None, summary_model="extractive", targets=["de"], device="cpu",
                         **{"translation.pattern": "silent-{src}-{tgt}"})
    result = Digester(config, progress=False, engines={"silent-en-de": Silent("silent-en-de")}).run(
        [Article(id="a1", title="Roads", text=BODY, source="db:1", language="en")], tmp_path / "out")
    assert result.exit_code == 1 and result.records  # a record without "de": its translation came back empty
    exec(loop, {"result": result})  # noqa: S102 - the README's own code
    assert "(not translated)" in capsys.readouterr().out


# -- empty model output -----------------------------------------------------------------------------------------


def test_empty_summary_fails_the_article_with_one_line(models_root: Path, tmp_path: Path) -> None:
    config = tmp_path / "tiny.yaml"
    config.write_text(json.dumps({"device": "cpu", "summarizer": {
        "model": str(models_root / "bart"),
        "generation": {"num_beams": 1, "min_length": 0, "max_length": 2, "no_repeat_ngram_size": 0}}}))
    (tmp_path / "a.txt").write_text(f"{HEADLINE}\n\n{BODY}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["summarize", "-c", str(config), str(tmp_path / "a.txt")])
    assert result.exit_code == 1
    assert result.stderr == f"digest: {tmp_path / 'a.txt'}: summarizer produced an empty summary\n"
    assert result.stdout == ""


def test_empty_translation_fails_the_article(tmp_path: Path) -> None:
    config = load_config(None, summary_model="extractive", targets=["de"], device="cpu",
                         **{"translation.pattern": "silent-{src}-{tgt}"})
    digester = Digester(config, progress=False, engines={"silent-en-de": Silent("silent-en-de")})
    result = digester.run([Article(id="a1", title="Roads", text=BODY, source="db:1", language="en")],
                          tmp_path / "out")
    assert result.manifest[0]["status"] == "failed"
    assert result.manifest[0]["reason"] == "translate de: translator produced an empty translation for de"


def test_empty_text_never_reaches_a_tokenizer(models_root: Path) -> None:
    from digest.engines.pool import EnginePool, Runtime
    from digest.run.translator import Translator

    config = load_config(None, **{"translation.pattern": str(models_root / "opus-mt-{src}-{tgt}")})
    translator = Translator(config.translation, EnginePool(Runtime(device="cpu")))
    with pytest.raises(ValueError, match="^no text to translate into de$"):
        translator.translate(["", "The council met."], "en", "de")


# -- multilingual models wherever a model can be named ----------------------------------------------------------


def _forced(digester: Digester, model: str, src: str, tgt: str) -> dict:
    with language_codes(digester.pool.get(model)) as seen:
        digester.translator.translate(["Le conseil a voté le budget."], src, tgt)
    return seen


@pytest.mark.parametrize(("key", "token"), [("m2m100", "__de__"), ("nllb", "deu_Latn")])
def test_a_multilingual_model_named_for_one_target_gets_its_token(tiny_models, key: str, token: str) -> None:
    model = str(tiny_models[key])
    config = load_config(None, targets=["de"], device="cpu", translation_models={"fr-de": model},
                         **{"translation.pattern": None, "translation.generation": {"num_beams": 1,
                                                                                    "max_length": 8}})
    seen = _forced(Digester(config, progress=False), model, "fr", "de")
    assert seen["tgt_token"] == token and seen["src_lang"] in ("fr", "fra_Latn")


def test_multilingual_model_setting_serves_every_target(tiny_models) -> None:
    model = str(tiny_models["nllb"])
    config = load_config(None, targets=["de", "es"], device="cpu", multilingual_model=model,
                         **{"translation.pattern": None, "translation.generation": {"num_beams": 1,
                                                                                    "max_length": 8}})
    digester = Digester(config, progress=False)
    assert _forced(digester, model, "fr", "es")["tgt_token"] == "spa_Latn"
    assert [hop.model for hop in digester.translator.route("en", "de")] == [model]


@pytest.mark.parametrize(("key", "scheme"), [("m2m100", "m2m100"), ("nllb", "nllb"), ("opus-mt-en-de", None)])
def test_both_engines_detect_the_code_family(tiny_models, tmp_path_factory, monkeypatch, key, scheme) -> None:
    pytest.importorskip("ctranslate2")  # the optional ct2 extra
    from digest.engines.ct2 import CT2Engine
    from digest.engines.hf import HFEngine

    monkeypatch.setenv("DIGEST_CACHE", str(tmp_path_factory.mktemp("ct2")))
    path = str(tiny_models[key])
    assert HFEngine(path, batch_size=1).code_scheme() == scheme
    assert CT2Engine(path, compute_type="float32", batch_size=1, threads=1).code_scheme() == scheme
