"""The transformers engine's own duties: batches shrink to fit device memory, outputs stay in input order."""

from __future__ import annotations

import pytest

from digest.engines.hf import HFEngine
from digest.engines.params import GenerationParams

GREEDY = GenerationParams(num_beams=1, min_length=2, max_length=8)


@pytest.mark.slow
def test_out_of_memory_halves_the_batch_and_keeps_order(tiny_models, monkeypatch):
    torch = pytest.importorskip("torch")
    engine = HFEngine(str(tiny_models["opus-mt-en-de"]), device="cpu", batch_size=8)
    texts = [f"Sentence number {i} about the council and its {'long ' * i}budget." for i in range(7)]
    expected = engine.generate(texts, GREEDY)
    real = engine.model.generate
    sizes = []

    def tight_memory(**kwargs):
        sizes.append(kwargs["input_ids"].shape[0])
        if sizes[-1] > 2:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return real(**kwargs)

    monkeypatch.setattr(engine.model, "generate", tight_memory)
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
