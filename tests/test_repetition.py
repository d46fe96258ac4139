"""No runaway generation: a translation or summary stuck in a repetition loop, or running far past its source's
length, is made again on its own with repeats blocked and a length bound; a loop that survives is cut and
flagged for review."""

from __future__ import annotations

import json

import pytest
from scripted_engines import EchoEngine

from digest import Digester
from digest.config import load_config
from digest.engines.base import Hypothesis
from digest.engines.params import GenerationParams
from digest.engines.pool import EnginePool, Runtime
from digest.inputs.article import Article
from digest.nlp.repetition import cut_loops, find_loop, looping
from digest.run.translator import LENGTH_RATIO, SLACK, Translator

SORRY = "I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry, I'm sorry"


@pytest.mark.parametrize(("text", "cut"), [
    (SORRY + ".", "I'm sorry."),
    ("Der Rat tagte. Der Rat tagte. Der Rat tagte. Der Rat tagte. Dann ging er.", "Der Rat tagte. Dann ging er."),
    ("我很抱歉我很抱歉我很抱歉我很抱歉我很抱歉。", "我很抱歉。"),  # a character is a token where words have no spaces
    ("ขอโทษขอโทษขอโทษขอโทษ", "ขอโทษ"),
])
def test_a_loop_is_found_and_cut_back_to_its_first_copy(text, cut) -> None:
    assert find_loop(text) is not None and looping(text, "The source.")
    assert cut_loops(text) == cut


@pytest.mark.parametrize("text", [
    "The council met on Monday and voted on the budget.",
    "It was a very, very, very long night.",  # three copies are style, not a loop
    "They won 3-3, 4-4 and 5-5 on three days.",
    "会议周一举行，预算获得通过。",
])
def test_ordinary_text_has_no_loop(text) -> None:
    assert find_loop(text) is None and cut_loops(text) == text


def test_a_loop_the_source_has_too_is_not_the_models() -> None:
    assert not looping("Ha ha ha ha, he said.", 'He laughed: "ha ha ha ha".')


def test_a_loop_of_another_unit_in_the_source_excuses_nothing() -> None:
    """A score table's "0 0 0 0" in the article does not make the summary's own loop the source's."""
    output = "Die Mannschaft gewann das Spiel das Spiel das Spiel das Spiel das Spiel."
    assert looping(output, "Tabelle: 0 0 0 0 Tore. Die Mannschaft gewann.")
    assert not looping(output, "Sie riefen: das Spiel das Spiel das Spiel das Spiel!")
    assert not looping("ha ha ha ha ha, he said", "They chanted ha ha ha ha ha.")


class Looping(EchoEngine):
    """Loops on every sentence unless repeated 3-grams are blocked (or always, when `stubborn`); logs its calls."""

    stubborn = False
    rambles = False

    def __init__(self, model_id: str) -> None:
        super().__init__(model_id)
        self.calls: list[tuple[list[str], GenerationParams]] = []

    def generate_candidates(self, texts, params, *, src_lang=None, tgt_token=None) -> list[list[Hypothesis]]:
        self.calls.append((list(texts), params))
        blocked = bool(params.no_repeat_ngram_size)
        out = []
        for text in texts:
            if self.rambles and not params.max_new_tokens:  # ever-new words, no loop: only a bound stops it
                out.append(text + " " + " ".join(f"w{n}" for n in range(200)))
            elif self.stubborn or not blocked:
                out.append(text + " " + SORRY)
            else:
                out.append(text)
        return [[Hypothesis(t)] for t in out]


def _translator(engine: Looping) -> Translator:
    config = load_config(None, **{"translation.pattern": "loop-{src}-{tgt}"}).translation
    return Translator(config, EnginePool(Runtime(device="cpu"), engines={"loop-en-de": engine}))


def test_a_looping_sentence_is_translated_again_alone_with_repeats_blocked_and_a_length_bound() -> None:
    engine = Looping("loop-en-de")
    done = _translator(engine).translation(["The vote passed. Everyone went home."], "en", "de")
    assert done.texts == ["The vote passed. Everyone went home."] and done.looped == [False]
    first, *retries = engine.calls
    assert first[0] == ["The vote passed.", "Everyone went home."]
    assert [texts for texts, _ in retries] == [["The vote passed."], ["Everyone went home."]]  # each alone
    assert all(p.no_repeat_ngram_size == 3 for _, p in retries)
    assert [p.max_new_tokens for _, p in retries] == [LENGTH_RATIO * 4 + SLACK] * 2  # 3 words + 1, as it counts


def test_a_translation_running_far_past_its_source_is_cut_at_the_bound_by_the_retry() -> None:
    engine = Looping("loop-en-de")
    engine.rambles = True
    done = _translator(engine).translation(["The vote passed."], "en", "de")
    assert done.texts == ["The vote passed."] and len(engine.calls) == 2
    assert engine.calls[1][1].max_new_tokens == LENGTH_RATIO * 4 + SLACK


def test_a_loop_that_survives_the_retry_is_cut_and_the_article_flagged(tmp_path) -> None:
    engine = Looping("loop-en-de")
    engine.stubborn = True
    config = load_config(None, summary_model="extractive", targets=["de"], device="cpu",
                         **{"translation.pattern": "loop-{src}-{tgt}"})
    digester = Digester(config, progress=False, engines={"loop-en-de": engine})
    article = Article(id="a", title="", language="en",
                      text="The harbour reopened on Monday after a strike. Ships queued for days.")
    result = digester.run([article], tmp_path)
    assert result.exit_code == 0
    record = json.loads((tmp_path / "articles" / "a.json").read_text(encoding="utf-8"))
    assert record["summaries"]["de"] == record["summaries"]["en"] + " I'm sorry"  # the loop cut to its first copy
    assert record["checks"]["translations"]["de"]["repetition"] is True
    assert "das Modell hat sich wiederholt; die Wiederholungen wurden gekürzt" in record["flags"]["de"]  # its page's
    assert record["checks"]["flags"] >= 1


class LoopingSummarizer(Looping):
    """A summarization model that loops unless repeated 3-grams are blocked."""

    task_prefixes: dict[str, str] = {}


def test_a_looping_summary_is_made_again_with_repeats_blocked() -> None:
    from digest.run.summarizer import Summarizer

    engine = LoopingSummarizer("sum")
    summary = Summarizer(engine).summarize(["The harbour reopened on Monday."], ["en"])[0]
    assert summary.text == "The harbour reopened on Monday." and not summary.looped
    assert engine.calls[-1][1].no_repeat_ngram_size == 3
    engine.stubborn = True
    summary = Summarizer(engine).summarize(["The harbour reopened on Monday."], ["en"])[0]
    assert summary.looped and summary.text.count("sorry") == 1


def test_faithfulness_loops_off_leaves_the_models_output_alone() -> None:
    from digest.run.factory import build_translator

    engine = Looping("loop-en-de")
    config = load_config(None, **{"translation.pattern": "loop-{src}-{tgt}", "faithfulness.loops": False})
    translator = build_translator(config, EnginePool(Runtime(device="cpu"), engines={"loop-en-de": engine}))
    done = translator.translation(["The vote passed."], "en", "de")
    assert done.texts == ["The vote passed. " + SORRY] and len(engine.calls) == 1 and done.looped == [False]
