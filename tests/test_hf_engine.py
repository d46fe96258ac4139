"""The transformers engine's own duties: batches shrink to fit device memory, outputs stay in input order."""

from __future__ import annotations

import threading

import pytest

from digest.engines.hf import HFEngine
from digest.engines.params import GenerationParams

GREEDY = GenerationParams(num_beams=1, min_length=2, max_length=8)


def _memory_for(engine, monkeypatch, torch, rows: int) -> list[int]:
    """Make `engine.model.generate` run out of memory above `rows` inputs; returns the batch sizes it was given."""
    real, sizes = engine.model.generate, []

    def tight_memory(**kwargs):
        sizes.append(kwargs["input_ids"].shape[0])
        if sizes[-1] > rows:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return real(**kwargs)

    monkeypatch.setattr(engine.model, "generate", tight_memory)
    return sizes

@pytest.mark.slow
def test_out_of_memory_halves_the_batch_and_keeps_order(tiny_models, monkeypatch):
    torch = pytest.importorskip("torch")
    engine = HFEngine(str(tiny_models["opus-mt-en-de"]), device="cpu", batch_size=8)
    texts = [f"Sentence number {i} about the council and its {'long ' * i}budget." for i in range(7)]
    expected = engine.generate(texts, GREEDY)
    sizes = _memory_for(engine, monkeypatch, torch, 2)
    engine.batch_size = 8
    assert engine.generate(texts, GREEDY) == expected
    assert sizes[:3] == [7, 4, 2] and engine.batch_size == 2


def test_a_single_text_that_does_not_fit_still_raises(tiny_models, monkeypatch):
    torch = pytest.importorskip("torch")
    engine = HFEngine(str(tiny_models["opus-mt-en-de"]), device="cpu", batch_size=1)

    def no_memory(**kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory (simulated)")

    monkeypatch.setattr(engine.model, "generate", no_memory)
    with pytest.raises(torch.OutOfMemoryError):
        engine.generate(["One sentence."], GREEDY)


def test_prefetching_the_next_batch_changes_no_output(tiny_models):
    """The next batch is tokenized and moved while one generates: same texts, scores and order either way."""
    engine = HFEngine(str(tiny_models["opus-mt-en-de"]), device="cpu", batch_size=2)
    texts = [f"Report {i}: the council {'voted ' * (i % 4)}on the budget of the city." for i in range(9)]
    params = GenerationParams(num_beams=2, num_return_sequences=2, min_length=2, max_length=10)
    assert engine.prefetch is None  # on a GPU only, unless set
    prepare, threads = engine._prepare, []

    def watched(batch):
        threads.append(threading.current_thread().name)
        return prepare(batch)

    engine._prepare = watched
    engine.prefetch = True
    with_prefetch = engine.generate_candidates(texts, params)
    assert len(threads) == 5 and sum(name.startswith("digest-prefetch") for name in threads) == 4
    engine.prefetch, threads[:] = False, []
    without = engine.generate_candidates(texts, params)
    assert len(threads) == 5 and not any(name.startswith("digest-prefetch") for name in threads)
    assert with_prefetch == without and len(with_prefetch) == 9 and all(len(h) == 2 for h in without)


def test_prefetch_survives_out_of_memory_and_keeps_order(tiny_models, monkeypatch):
    torch = pytest.importorskip("torch")
    engine = HFEngine(str(tiny_models["opus-mt-en-de"]), device="cpu", batch_size=2)
    texts = [f"Line {i} says {'more ' * i}about the vote." for i in range(11)]
    engine.prefetch = False
    expected = engine.generate(texts, GREEDY)
    engine.prefetch, engine.batch_size = True, 8
    sizes = _memory_for(engine, monkeypatch, torch, 3)
    assert engine.generate(texts, GREEDY) == expected
    assert sizes[:3] == [8, 4, 2] and engine.batch_size == 2 and sum(sizes[2:]) == 11


def test_auto_batch_size_starts_large_on_a_gpu_and_keeps_what_fit(tiny_models, monkeypatch):
    """`batch_size: auto`: 64 for the HF engine on a GPU, halved on out-of-memory; the size that fit is the one
    the next call starts with.  8 (today's default) on a CPU and for CT2, which cannot halve."""
    from digest.engines.pool import Runtime, batch_size_for

    torch = pytest.importorskip("torch")
    assert batch_size_for("auto", "hf", "cuda") == batch_size_for("auto", "hf", "cuda:1") == 64
    assert batch_size_for("auto", "hf", "cpu") == batch_size_for("auto", "ct2", "cuda") == 8
    assert batch_size_for(16, "hf", "cuda") == 16
    assert Runtime(device="cpu", batch_size="auto").batch_limit() == 8
    engine = HFEngine(str(tiny_models["opus-mt-en-de"]), device="cpu", batch_size="auto")
    assert engine.batch_size == 8
    engine.batch_size = batch_size_for("auto", "hf", "cuda")  # what the same engine starts with on a GPU
    real, sizes = engine.model.generate, []

    def memory_for_20(**kwargs):  # a card that holds 20 texts of this length at once
        sizes.append(kwargs["input_ids"].shape[0])
        if sizes[-1] > 20:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return real(**kwargs)

    monkeypatch.setattr(engine.model, "generate", memory_for_20)
    texts = [f"Item {i} of the agenda." for i in range(70)]
    first = engine.generate(texts, GREEDY)
    assert sizes[:3] == [64, 32, 16] and engine.batch_size == 16
    sizes.clear()
    assert engine.generate(texts, GREEDY) == first
    assert sizes == [16, 16, 16, 16, 6]  # remembered: no out-of-memory round trip again
