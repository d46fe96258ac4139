"""Summarizer on tiny random models: chunking, map-reduce, T5 prefixes (structure, not words)."""

from __future__ import annotations

import pytest

from digest.engines.base import Hypothesis
from digest.engines.hf import HFEngine
from digest.engines.params import GenerationParams
from digest.nlp.text import split_sentences
from digest.run.summarizer import Summarizer

FAST = GenerationParams(num_beams=1, min_length=3, max_length=10)


@pytest.fixture(scope="module")
def bart(tiny_models):
    return HFEngine(str(tiny_models["bart"]), device="cpu", batch_size=4)


@pytest.fixture(scope="module")
def t5(tiny_models):
    return HFEngine(str(tiny_models["t5"]), device="cpu", batch_size=4)


def test_short_text_is_one_chunk(bart, milley_text):
    short = " ".join(milley_text.split()[:40])
    [summary] = Summarizer(bart, FAST).summarize([short])
    assert summary.chunks == 1 and summary.rounds == 1
    assert summary.text.strip() and summary.text != short  # the model's output, not the input passed through


def test_long_article_is_chunked_at_sentences_within_the_window(bart, milley_text):
    summarizer = Summarizer(bart, FAST)
    assert bart.count_tokens([milley_text])[0] > 3 * bart.max_input_tokens
    chunks = summarizer.chunk(milley_text, "en")
    assert len(chunks) >= 4
    assert all(n <= bart.max_input_tokens for n in bart.count_tokens(chunks))
    assert " ".join(chunks).split() == milley_text.split()  # nothing dropped, nothing truncated
    sentences = split_sentences(milley_text, "en")
    fits = {s.strip() for s, n in zip(sentences, bart.count_tokens(sentences), strict=True)
            if n <= bart.max_input_tokens}
    for sentence in fits:  # cut at sentence ends: a sentence that fits the window is never split
        assert any(sentence in chunk for chunk in chunks), sentence


@pytest.fixture
def calls(bart, monkeypatch) -> list[int]:
    """The number of inputs of each generate call the engine gets during a test."""
    sizes: list[int] = []
    original = bart.generate_candidates

    def spy(inputs, params, **kw):
        sizes.append(len(inputs))
        return original(inputs, params, **kw)

    monkeypatch.setattr(bart, "generate_candidates", spy)
    return sizes


@pytest.mark.slow
def test_map_reduce_records_chunks_and_batches_many_articles(bart, milley_text, calls):
    texts = [milley_text, "A short note about the weather in Berlin today.", milley_text[:600]]
    out = Summarizer(bart, FAST).summarize(texts)
    assert [s.chunks for s in out][1] == 1
    assert out[0].chunks >= 4 and out[0].rounds >= 2
    # round 1 sends the finished texts in one call and every chunk of every other article in another;
    # later rounds only the reductions
    assert calls[:2] == [1, out[0].chunks + out[2].chunks]
    assert max(s.rounds for s in out) <= len(calls) <= 2 * max(s.rounds for s in out)  # at most two calls a round


def test_chunk_summaries_are_capped_at_half_a_window_for_the_next_round(bart):
    summarizer = Summarizer(bart, GenerationParams(num_beams=1, min_length=100, max_length=120,
                                                   num_return_sequences=3))
    cap = summarizer.budget // 2
    assert (summarizer.reduce_params.max_length, summarizer.reduce_params.min_length) == (cap, cap // 2)
    assert summarizer.reduce_params.num_return_sequences == 1 and summarizer.params.max_length == 120
    assert Summarizer(bart, FAST).reduce_params.max_length == FAST.max_length  # a short max_length stays


@pytest.mark.slow
def test_rounds_that_stop_shrinking_fail_at_once_instead_of_multiplying(bart, milley_text, calls):
    """The tiny random model writes chunk summaries that re-tokenize longer than the chunks: rounds once grew
    24 → 45 → 100 → … chunks for minutes. Now the first round that does not shrink ends it, with the reason."""
    with pytest.raises(ValueError, match=r"stopped getting shorter \(\d+ → \d+ characters in round 1\): "
                                         r"summarizer.generation.max_length \(120\)"):
        Summarizer(bart, GenerationParams(num_beams=1, min_length=100, max_length=120)).summarize([milley_text])
    assert len(calls) == 1


def test_max_input_tokens_setting_shrinks_the_window(bart, milley_text):
    small = Summarizer(bart, FAST, max_input_tokens=64)
    assert small.window == 64
    assert all(n <= 64 for n in bart.count_tokens(small.chunk(milley_text)))


def test_t5_uses_its_task_prefix(t5):
    summarizer = Summarizer(t5, FAST)
    assert summarizer.prefix == "summarize: "
    seen = []
    original = t5.generate_candidates
    t5.generate_candidates = lambda inputs, params, **kw: seen.extend(inputs) or original(inputs, params, **kw)
    try:
        summarizer.summarize(["The council met on Tuesday. It approved the budget."])
    finally:
        del t5.generate_candidates
    assert seen and all(s.startswith("summarize: ") for s in seen)


def test_explicit_prefix_overrides_the_model(t5):
    assert Summarizer(t5, FAST, prefix="").prefix == ""


@pytest.mark.slow
def test_chooser_picks_among_candidates(bart):
    def chooser(hyps: list[Hypothesis], source: str, language: str):
        assert len(hyps) == 3
        return 2, {"chosen": 2}

    params = GenerationParams(num_beams=3, num_return_sequences=3, max_length=10)
    [summary] = Summarizer(bart, params, chooser=chooser).summarize(["The mayor opened the new bridge on Monday."])
    assert summary.choice == {"chosen": 2}
