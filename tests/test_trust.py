"""Faithfulness checks, glossary, rerank and the extractive summarizer, through the whole pipeline."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from scripted_engines import EchoEngine

from digest import Digester
from digest.cli import cli
from digest.config import ConfigError, load_config
from digest.engines.base import Hypothesis
from digest.engines.params import GenerationParams
from digest.inputs.article import Article

SOURCE = ("General Mark Milley said on Tuesday that 15 missiles hit the region. "
          "The Joint Chiefs of Staff met in Washington to discuss the attack. "
          "NATO officials said two Polish citizens were killed near the border.")


class ScriptedSummarizer(EchoEngine):
    """Beam candidates fixed per test: the first (best-scored) invents a number, the second does not."""

    candidates = [
        Hypothesis("Milley said 40 missiles hit the region.", score=-0.1),
        Hypothesis("Milley said 15 missiles hit the region.", score=-0.5),
    ]

    def generate_candidates(self, texts, params, *, src_lang=None, tgt_token=None) -> list[list[Hypothesis]]:
        k = params.num_return_sequences or 1
        return [self.candidates[:k] for _ in texts]


@pytest.fixture
def echo_config(models_root):
    return load_config(
        None, summary_model="extractive", targets=["de"], device="cpu",
        **{"translation.pattern": "echo-{src}-{tgt}",
           "summarizer.generation": {"min_length": 40, "max_length": 60, "num_beams": 1}},  # all of SOURCE
    )


def _run(config, tmp_path, text=SOURCE, **engines):
    digester = Digester(config, progress=False, engines={"echo-en-de": EchoEngine("echo-en-de"), **engines})
    article = Article(id="a1", title="Strike", text=text, source="test", language="en")
    result = digester.run([article], tmp_path)
    record = json.loads((tmp_path / "articles" / "a1.json").read_text(encoding="utf-8"))
    return result, record


def test_extractive_summary_is_sentences_of_the_cleaned_seed(milley_text, tmp_path):
    config = load_config(None, summary_model="extractive", targets=[], device="cpu")
    digester = Digester(config, progress=False)
    summary = digester.summarize(milley_text, "en")
    assert summary and len(summary.split()) <= 142
    for boilerplate in ("Support our non-profit journalism", "Submit a Comment", "Your email address"):
        assert boilerplate not in summary
    from digest.nlp.text import split_sentences

    assert all(s in milley_text for s in split_sentences(summary, "en"))


def test_records_carry_checks_and_the_review_desk_shows_flags(echo_config, tmp_path):
    invented = "General Mark Milley said 40 missiles hit Kyiv on Tuesday, quoting \"a dark day\"."
    article = Article(id="a1", title="Strike", text=SOURCE, source="test", language="en")
    digester = Digester(echo_config, progress=False, engines={"echo-en-de": EchoEngine("echo-en-de")})
    digester.summarizer.summarize = lambda texts, languages=None: [  # a summary that invents things
        type("S", (), {"text": invented, "chunks": 1, "rounds": 1, "choice": None})() for _ in texts]
    result = digester.run([article], tmp_path)
    record = json.loads((tmp_path / "articles" / "a1.json").read_text(encoding="utf-8"))
    summary_checks = record["checks"]["summary"]
    assert summary_checks["unsupported_numbers"] == ["40"]
    assert "Kyiv" in summary_checks["unsupported_names"]
    assert summary_checks["unsupported_quotes"] == ["a dark day"]
    assert record["checks"]["translations"]["de"]["wrong_language"] is True  # the echo "translation" is English
    assert record["checks"]["flags"] == 4
    assert result.manifest[0]["flags"] == 4 and result.flags == 4
    assert "4 flags on 1 article in" in result.summary_line()
    markdown = (tmp_path / "digest.de.md").read_text(encoding="utf-8")
    assert "Zahl nicht in der Quelle" not in markdown  # reader pages carry no flags: the review desk does
    desk = {e["language"]: e for e in json.loads((tmp_path / "review.json").read_text(encoding="utf-8"))["items"]}
    german = desk["de"]["flags"]
    assert "Zahl nicht in der Quelle: 40" in german and any("nicht Deutsch" in f for f in german)
    assert "name not in the source: Kyiv" in (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "name not in the source: Kyiv" not in (tmp_path / "digest.en.html").read_text(encoding="utf-8")


def test_faithful_summary_has_no_flags(echo_config, tmp_path):
    config = load_config(None, summary_model="extractive", targets=["en"], device="cpu")
    _, record = _run(config, tmp_path)
    assert record["checks"]["flags"] == 0 and record["flags"] == {}
    assert "⚠" not in (tmp_path / "digest.en.md").read_text(encoding="utf-8")


def test_glossary_terms_are_protected_through_translation(echo_config, tmp_path):
    from dataclasses import replace

    glossary = {"keep": ["Milley", "NATO"], "translate": {"Joint Chiefs of Staff": {"de": "Vereinigten Stabschefs"}}}
    digester = Digester(replace(echo_config, glossary=glossary), progress=False,
                        engines={"echo-en-de": EchoEngine("echo-en-de")})
    german = digester.translate(SOURCE, "de", "en")
    assert "Vereinigten Stabschefs" in german and "Joint Chiefs" not in german
    assert "Milley" in german and "NATO" in german and "ZXQ" not in german
    _, record = _run(replace(echo_config, glossary=glossary), tmp_path)
    assert record["checks"]["translations"]["de"]["glossary_missing"] == []


def test_glossary_flags_a_term_the_model_lost(echo_config, tmp_path):
    from dataclasses import replace

    class Dropper(EchoEngine):
        def generate_candidates(self, texts, params, *, src_lang=None, tgt_token=None):
            return [[Hypothesis(" ".join(w for w in t.split() if not w.startswith("ZXQ")))] for t in texts]

    config = replace(echo_config, glossary={"keep": ["NATO"]})
    digester = Digester(config, progress=False, engines={"echo-en-de": Dropper("echo-en-de")})
    digester.run([Article(id="a1", title="t", text=SOURCE, source="test", language="en")], tmp_path)
    record = json.loads((tmp_path / "articles" / "a1.json").read_text(encoding="utf-8"))
    assert record["checks"]["translations"]["de"]["glossary_missing"] == ["NATO"]
    assert "Glossarbegriff fehlt: NATO" in (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "Glossarbegriff fehlt" not in (tmp_path / "digest.de.md").read_text(encoding="utf-8")


def test_rerank_keeps_the_candidate_without_invented_numbers(tmp_path):
    base = {"summary_model": "scripted", "targets": [], "device": "cpu"}
    plain = Digester(load_config(None, **base), progress=False, engines={"scripted": ScriptedSummarizer("scripted")})
    assert "40" in plain.summarize(SOURCE, "en")  # without rerank the best-scored candidate wins
    digester = Digester(load_config(None, rerank=2, **base), progress=False,
                        engines={"scripted": ScriptedSummarizer("scripted")})
    digester.run([Article(id="a1", title="t", text=SOURCE, source="test", language="en")], tmp_path)
    record = json.loads((tmp_path / "articles" / "a1.json").read_text(encoding="utf-8"))
    assert "15 missiles" in record["summaries"]["en"]
    assert record["checks"]["rerank"] == {"candidates": 2, "chosen": 1, "flags": [1, 0]}


@pytest.mark.slow
def test_rerank_works_on_a_real_engine(tiny_config, tmp_path):
    from dataclasses import replace

    config = replace(tiny_config, targets=[], faithfulness=replace(tiny_config.faithfulness, rerank=3))
    digester = Digester(config, progress=False)
    digester.run([Article(id="a1", title="t", text=SOURCE, source="test", language="en")], tmp_path)
    record = json.loads((tmp_path / "articles" / "a1.json").read_text(encoding="utf-8"))
    assert record["checks"]["rerank"]["candidates"] == 3
    assert len(record["checks"]["rerank"]["flags"]) == 3
    hyps = digester.summarizer.engine.generate_candidates(
        [SOURCE], GenerationParams(num_beams=3, num_return_sequences=3, max_length=10))[0]
    assert len(hyps) == 3 and all(h.score is not None for h in hyps)  # ties are broken by these


@pytest.mark.slow
def test_output_length_beyond_the_decoder_positions_is_capped(tiny_models):
    from digest.engines.hf import HFEngine

    engine = HFEngine(str(tiny_models["bart"]), device="cpu")
    out = engine.generate([SOURCE], GenerationParams(num_beams=1, min_length=200, max_length=400))
    assert isinstance(out[0], str)  # 400 > 128 positions of the tiny BART would otherwise raise


@pytest.mark.parametrize("glossary, message", [
    ({"keep": "NATO", "oops": 1}, "oops"),
    ({"translate": {"NATO": {"de": ""}}}, "glossary.translate.NATO.de"),
])
def test_bad_glossary_is_a_config_error(tmp_path, glossary, message):
    path = tmp_path / "c.yaml"
    path.write_text(json.dumps({"glossary": glossary}), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_eval_command_scores_a_run(echo_config, tmp_path):
    pytest.importorskip("rouge_score")
    out = tmp_path / "out"
    _, record = _run(echo_config, out)
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps({"id": "a1", "summary": record["summaries"]["en"],
                                "translations": {"de": record["summaries"]["de"]}}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(out), str(refs)])
    assert result.exit_code == 0, result.output
    scores = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    assert scores["rouge"]["rouge1"] == pytest.approx(1.0)
    assert scores["translation"]["de"]["chrf"] == pytest.approx(100.0)
    assert scores["faithfulness_rate"] == 1.0
    assert "ROUGE-1 100.0" in result.output


def test_eval_command_bad_references_is_one_line(tmp_path):
    (tmp_path / "out").mkdir()
    refs = tmp_path / "refs.json"
    refs.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "out"), str(refs)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "refs.json" in result.output
