"""Extractive (TextRank) engine on the real Milley briefing: only input sentences, in order, within length."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from digest.engines.base import Engine
from digest.engines.extractive import ExtractiveEngine, pagerank, similarity_matrix
from digest.engines.params import GenerationParams
from digest.nlp.checks import rerank
from digest.nlp.text import split_sentences
from digest.run.summarizer import Summarizer

DATA = Path(__file__).parent / "data"
BOILERPLATE = ("Support our non-profit journalism", "Submit a Comment", "Your email address",
               "Required fields are marked", "Image by Getty Images")


@pytest.fixture(scope="module")
def raw() -> str:
    return (DATA / "corpus" / "milley-briefing.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned(raw: str) -> str:
    """The article body by hand: headline, image credit and the comment-form footer cut off."""
    return raw[raw.index("A top U.S. military officer"):raw.index("Support our non-profit journalism")].strip()


@pytest.fixture(scope="module")
def engine() -> ExtractiveEngine:
    return ExtractiveEngine(language_hint="en")


def source_sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in split_sentences(text, "en")]


def as_source_sentences(summary: str, text: str) -> list[int]:
    """Indices of the source sentences that make up `summary`, in order; fails if it is anything else."""
    rest, used = summary, []
    for i, sentence in enumerate(source_sentences(text)):
        if rest.startswith(sentence):
            used.append(i)
            rest = rest[len(sentence):].lstrip()
    assert rest == "", f"not made of source sentences in source order: {rest[:80]!r}"
    return used


def test_engine_interface(engine):
    assert isinstance(engine, Engine)
    assert (engine.model_id, engine.model_type, engine.max_input_tokens) == ("extractive", "extractive", 4000)
    assert engine.task_prefixes == {}
    assert engine.default_params == GenerationParams(max_length=85, min_length=40)
    assert engine.count_tokens(["one two  three", "", "a\nb"]) == [3, 0, 2]


def test_summary_is_input_sentences_in_order_within_limits(engine, cleaned):
    [summary] = engine.generate([cleaned], GenerationParams())
    used = as_source_sentences(summary, cleaned)
    assert len(used) >= 2 and used == sorted(used)
    assert 56 <= len(summary.split()) <= 142


@pytest.mark.parametrize(("min_words", "max_words"), [(0, 30), (40, 60), (100, 130), (150, 400)])
def test_length_limits_in_words(engine, cleaned, min_words, max_words):
    params = GenerationParams(min_length=min_words, max_length=max_words)
    [summary] = engine.generate([cleaned], params)
    as_source_sentences(summary, cleaned)
    assert min_words <= len(summary.split()) <= max_words


def test_new_token_settings_take_precedence(engine, cleaned):
    params = GenerationParams(min_length=100, max_length=400, min_new_tokens=10, max_new_tokens=45)
    [summary] = engine.generate([cleaned], params)
    assert 10 <= len(summary.split()) <= 45


def test_top_sentence_taken_even_when_longer_than_max(engine):
    text = ("This single sentence about the missile strike in Poland is clearly longer than the tiny limit. "
            "Another sentence about the missile strike in Poland is also longer than that limit.")
    [summary] = engine.generate([text], GenerationParams(min_length=1, max_length=5))
    assert summary in source_sentences(text)


def test_short_and_empty_inputs(engine):
    assert engine.generate(["Only one sentence here, and it is short."], GenerationParams()) == [
        "Only one sentence here, and it is short."]
    assert engine.generate([""], GenerationParams()) == [""]


def test_redundant_sentences_are_skipped(engine):
    text = ("Russia launched missiles at Ukraine on Tuesday morning. "
            "Russia launched missiles at Ukraine on Tuesday morning again. "
            "Poland said its air defences tracked several objects near the border.")
    [summary] = engine.generate([text], GenerationParams(min_length=30, max_length=60))
    assert summary.count("Russia launched missiles") == 1


def test_k_candidates_are_distinct_valid_and_start_with_the_plain_pick(engine, cleaned):
    params = GenerationParams(num_return_sequences=4)
    [hyps] = engine.generate_candidates([cleaned], params)
    assert len(hyps) == 4
    assert len({h.text for h in hyps}) == 4
    assert hyps[0].text == engine.generate([cleaned], params)[0]
    for hyp in hyps:
        as_source_sentences(hyp.text, cleaned)
        assert len(hyp.text.split()) <= 142 and 0 < hyp.score <= 1
    assert [h.score for h in hyps[1:]] == sorted((h.score for h in hyps[1:]), reverse=True)


def test_batch_gives_one_list_per_text(engine, cleaned):
    out = engine.generate_candidates([cleaned, "A lone sentence that is long enough to count."],
                                     GenerationParams(num_return_sequences=2))
    assert len(out) == 2 and len(out[0]) == 2 and len(out[1]) == 1


def test_raw_text_never_yields_boilerplate(engine, raw):
    for params in (GenerationParams(), GenerationParams(min_length=100, max_length=142)):
        for hyp in engine.generate_candidates([raw], params.merged({"num_return_sequences": 3}))[0]:
            as_source_sentences(hyp.text, raw)
            for line in BOILERPLATE:
                assert line not in hyp.text


def test_through_the_summarizer_with_rerank(engine, cleaned):
    summarizer = Summarizer(engine, GenerationParams(num_return_sequences=3), chooser=rerank)
    [summary] = summarizer.summarize([cleaned], ["en"])
    assert summary.chunks == 1
    assert summary.choice is not None and summary.choice["candidates"] == 3
    as_source_sentences(summary.text, cleaned)


def test_pagerank_favours_the_hub():
    sim = np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]], dtype=float)
    rank = pagerank(sim)
    assert rank.sum() == pytest.approx(1.0)
    assert rank.argmax() == 0 and rank[1] == pytest.approx(rank[2])
    isolated = pagerank(np.zeros((3, 3)))
    assert isolated == pytest.approx(np.full(3, 1 / 3))


def test_similarity_is_tfidf_cosine():
    sim = similarity_matrix(["red apples fall", "red apples fall", "blue sky above"])
    assert sim[0, 1] == pytest.approx(1.0) and sim[0, 2] == 0.0 and sim[0, 0] == 0.0


def test_a_huge_article_is_summarized_in_bounded_time_and_memory():
    """6,000 sentences: chunked to the 4,000-word window and reduced, instead of a 6,000² similarity matrix."""
    sentence = "Sentence {} tells of the council, the budget and the {} schools in town."
    text = " ".join(sentence.format(i, i % 97) for i in range(6000))
    summary = Summarizer(ExtractiveEngine(), GenerationParams(min_length=40, max_length=120)).summarize([text])[0]
    assert summary.chunks > 1 and summary.rounds >= 2
    assert 0 < len(summary.text.split()) <= 120
