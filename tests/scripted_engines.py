"""Engines whose output a test can predict, injected with `Digester(config, engines={...})`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from digest.engines.base import Engine, Hypothesis
from digest.engines.params import GenerationParams


class EchoEngine(Engine):
    """Copies its input: a translation model whose output we can predict, to test what wraps the model."""

    model_type = "echo"
    task_prefixes: dict[str, str] = {}
    default_params = GenerationParams()
    max_input_tokens = 512

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 1 for t in texts]

    def generate_candidates(self, texts, params, *, src_lang=None, tgt_token=None) -> list[list[Hypothesis]]:
        return [[Hypothesis(t)] for t in texts]


@contextmanager
def language_codes(engine: Engine) -> Iterator[dict]:
    """Record the source language and forced target token a multilingual engine is called with (the last call)."""
    seen: dict = {}
    original = engine.generate_candidates

    def spy(texts, params, *, src_lang=None, tgt_token=None):
        seen.update(src_lang=src_lang, tgt_token=tgt_token)
        return original(texts, params, src_lang=src_lang, tgt_token=tgt_token)

    engine.generate_candidates = spy
    try:
        yield seen
    finally:
        del engine.generate_candidates


class TableEngine(EchoEngine):
    """A translator that knows its sentences by heart: each text comes out as `table` says (else unchanged), and
    every text it is given is counted, so a test can tell how many model calls a run made."""

    model_type = "table"

    def __init__(self, model_id: str, table: dict[str, str]) -> None:
        super().__init__(model_id)
        self.table = table
        self.seen: list[str] = []

    def generate_candidates(self, texts, params, *, src_lang=None, tgt_token=None) -> list[list[Hypothesis]]:
        self.seen.extend(texts)
        return [[Hypothesis(self.table.get(t.strip(), t))] for t in texts]
