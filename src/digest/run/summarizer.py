"""Summarizer: task prefix, chunk → map → reduce for articles longer than the model's window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..engines.base import Engine, Hypothesis
from ..engines.params import GenerationParams
from ..nlp.repetition import looping, regenerate
from ..nlp.text import pack_chunks, split_sentences

#: a safety net: every round must shrink the text, and with a summarizing model it halves (see `_reduce_params`)
MAX_ROUNDS = 20

#: picks one hypothesis among candidates: (candidates, source text, language) -> index, record
Chooser = Callable[[list[Hypothesis], str, str], tuple[int, dict]]


class EmptyOutput(ValueError):
    """The model generated nothing: the article fails with this one reason, never as ok with an empty text."""


@dataclass
class Summary:
    """A summary and how it was made."""

    text: str
    chunks: int
    rounds: int
    choice: dict | None = None
    #: a repetition loop survived the retry and was cut: the article is flagged for review
    looped: bool = False


class Summarizer:
    """Summarizes many texts at once; every model call is batched across all of them."""

    def __init__(
        self,
        engine: Engine,
        params: GenerationParams | None = None,
        *,
        prefix: str | None = None,
        max_input_tokens: int | None = None,
        chooser: Chooser | None = None,
        loops: bool = True,
    ) -> None:
        self.engine = engine
        self.loops = loops  # faithfulness.loops: a looping summary is made again (see `_unlooped`)
        self.params = params or GenerationParams()
        self.prefix = prefix if prefix is not None else engine.task_prefixes.get("summarization", "")
        window = engine.max_input_tokens
        self.window = min(window, max_input_tokens) if max_input_tokens else window
        self.chooser = chooser
        prefix_cost = engine.count_tokens([self.prefix])[0] if self.prefix else 0
        self.budget = self.window - prefix_cost
        if self.budget < 16:
            raise ValueError(f"input window of {self.window} tokens leaves no room after the task prefix")
        self.reduce_params = _reduce_params(self.params, self.budget)

    def chunk(self, text: str, language: str | None = None) -> list[str]:
        """Split `text` at sentence boundaries into pieces that each fit the window with the prefix."""
        if self.engine.count_tokens([self.prefix + text])[0] <= self.window:
            return [text]
        sentences = split_sentences(text, language)
        counts = self.engine.count_tokens(sentences)
        return pack_chunks(sentences, counts, self.budget, count=self.engine.count_tokens)

    def summarize(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[Summary]:
        """One summary per text; long texts are summarized by chunks, then the chunk summaries again."""
        languages = list(languages) if languages is not None else [None] * len(texts)
        if any(not text or not text.strip() for text in texts):  # never a tokenizer's message about no input
            raise ValueError("no text to summarize")
        pending = dict(enumerate(texts))
        chunks: dict[int, int] = {}
        rounds: dict[int, int] = {}
        done: dict[int, Summary] = {}
        for round_no in range(1, MAX_ROUNDS + 1):
            if not pending:
                break
            pieces = {i: self.chunk(text, languages[i]) for i, text in pending.items()}
            for i, parts in pieces.items():
                chunks.setdefault(i, len(parts))
                rounds[i] = round_no
            finals = {i for i, parts in pieces.items() if len(parts) == 1}
            merged: dict[int, list[tuple[str, dict | None]]] = {}
            for final in (True, False):  # chunk summaries are kept short enough to shrink the text each round
                flat = [(i, part) for i, parts in pieces.items() if (i in finals) == final for part in parts]
                outputs = self._generate([self.prefix + part for _, part in flat], final,
                                         [texts[i] for i, _ in flat], [languages[i] for i, _ in flat])
                for (i, _), out in zip(flat, outputs, strict=True):
                    merged.setdefault(i, []).append(out)
            previous, pending = pending, {}
            for i, outs in merged.items():
                if i in finals:
                    text, choice = outs[0]
                    text, looped = self._unlooped(text, pieces[i][0])
                    if not text.strip():
                        raise EmptyOutput("summarizer produced an empty summary")
                    done[i] = Summary(text=text, chunks=chunks[i], rounds=rounds[i], choice=choice, looped=looped)
                    continue
                pending[i] = " ".join(text for text, _ in outs if text)
                if not pending[i].strip():
                    raise EmptyOutput("summarizer produced an empty summary")
                if len(pending[i]) >= len(previous[i]):  # another round would only repeat (or multiply) the work
                    raise ValueError(
                        f"chunk summaries stopped getting shorter ({len(previous[i])} → {len(pending[i])} characters "
                        f"in round {round_no}): summarizer.generation.max_length ({self.params.max_length}) leaves "
                        f"too little room in the {self.window}-token window, or the model does not summarize")
        if pending:
            raise RuntimeError(f"chunk summaries did not fit the {self.window}-token window after {MAX_ROUNDS} "
                               "reduce rounds")
        return [done[i] for i in range(len(texts))]

    def _unlooped(self, summary: str, source: str) -> tuple[str, bool]:
        """A summary stuck in a repetition loop its source does not have is made again on its own with repeated
        3-grams blocked; a loop that survives is cut back to its first copy and reported (True)."""
        if not self.loops or not looping(summary, source):
            return summary, False
        return regenerate(lambda blocked: self.engine.generate([self.prefix + source], self.params.merged(blocked))[0],
                          source)

    def _generate(
        self, inputs: list[str], final: bool, sources: list[str], languages: list[str | None]
    ) -> list[tuple[str, dict | None]]:
        """Generate every piece; final summaries go through the chooser when candidates are asked for."""
        if not inputs:
            return []
        if not final:
            return [(text, None) for text in self.engine.generate(inputs, self.reduce_params)]
        k = self.params.num_return_sequences or 1
        if self.chooser is None or k <= 1:
            return [(text, None) for text in self.engine.generate(inputs, self.params)]
        candidates = self.engine.generate_candidates(inputs, self.params)
        out: list[tuple[str, dict | None]] = []
        for hyps, source, language in zip(candidates, sources, languages, strict=True):
            index, record = self.chooser(hyps, source, language or "en")
            out.append((hyps[index].text, record))
        return out


def _reduce_params(params: GenerationParams, budget: int) -> GenerationParams:
    """Settings for chunk summaries that are summarized again: at most half a window each, one candidate.

    Two of them then fit one window, so every reduce round at least halves the text. A max_length close to the
    window (or a model that rambles) would otherwise make each round's joined summaries as long as its input,
    and the rounds would multiply the work instead of ending.
    """
    cap = max(8, budget // 2)
    return params.merged({
        "max_length": min(params.max_length or cap, cap),
        "max_new_tokens": min(params.max_new_tokens, cap) if params.max_new_tokens else None,
        "min_length": min(params.min_length, cap // 2) if params.min_length else None,
        "min_new_tokens": min(params.min_new_tokens, cap // 2) if params.min_new_tokens else None,
        "num_return_sequences": 1 if params.num_return_sequences else None,
    })
