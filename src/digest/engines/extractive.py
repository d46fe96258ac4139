"""`summary-model: extractive` — TextRank over sentences; no model, no download, nothing invented.

Useful as a baseline, on machines without a model cache, and when an editor wants only sentences the reporter
actually wrote. Graph: sentences are nodes, edges are TF-IDF cosine similarities (bounded in [0, 1], so the same
measure drives redundancy removal); PageRank with damping 0.85 by power iteration (Mihalcea & Tarau 2004).
Selected sentences come out in source order. "Tokens" are words here, so length settings read as word counts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from ..nlp.language import normalize
from .base import Engine, Hypothesis
from .params import GenerationParams

DAMPING = 0.85
#: a sentence this similar to an already chosen one adds nothing
REDUNDANCY = 0.5
#: shorter sentences ("Submit a Comment") are never picked: datelines, credits and buttons, not content
MIN_WORDS = 6
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class ExtractiveEngine(Engine):
    """TextRank summarizer behind the same interface as the neural engines."""

    def __init__(self, language_hint: str | None = None) -> None:
        self.language_hint = language_hint
        self.model_id = "extractive"
        self.model_type = "extractive"
        # TextRank builds sentence x sentence matrices: a window of 4,000 words (~200 sentences) keeps them small,
        # and longer texts go through the summarizer's map-reduce like on any model
        self.max_input_tokens = 4000
        self.task_prefixes: dict[str, str] = {}
        self.default_params = GenerationParams(max_length=142, min_length=56)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Words per text (whitespace-separated)."""
        return [len(text.split()) for text in texts]

    def generate_candidates(
        self,
        texts: Sequence[str],
        params: GenerationParams,
        *,
        src_lang: str | None = None,
        tgt_token: str | None = None,
    ) -> list[list[Hypothesis]]:
        """Up to `num_return_sequences` distinct sentence selections per text, the plain TextRank pick first.

        Lengths are in words: sentences are added by rank until `min_*` is reached, never beyond `max_*` (unless
        no sentence fits at all: then the top one alone). Variants swap the weakest chosen sentence for the next
        ranked one. `score` is the mean PageRank of the chosen sentences relative to the top sentence (0..1].
        """
        merged = self.default_params.merged(params)
        max_words = merged.max_new_tokens or merged.max_length or 142
        min_words = min(merged.min_new_tokens or merged.min_length or 0, max_words)
        k = max(1, merged.num_return_sequences or 1)
        language = self.language_hint or (normalize(src_lang) if src_lang else None)
        return [self._summarize(text, min_words, max_words, k, language) for text in texts]

    def _summarize(self, text: str, min_words: int, max_words: int, k: int, language: str | None) -> list[Hypothesis]:
        sentences = _sentences(text, language)
        if not sentences:
            return [Hypothesis(text=" ".join(text.split()), score=0.0)]
        lengths = [len(s.split()) for s in sentences]
        candidates = [i for i, n in enumerate(lengths) if n >= MIN_WORDS] or list(range(len(sentences)))
        sim = similarity_matrix([sentences[i] for i in candidates])
        rank = pagerank(sim)
        scores = dict(zip(candidates, rank.tolist(), strict=True))
        position = {c: n for n, c in enumerate(candidates)}
        ranked = sorted(candidates, key=lambda i: (-scores[i], i))
        top = max(scores.values()) or 1.0

        def select(excluded: frozenset[int]) -> tuple[int, ...]:
            chosen: list[int] = []
            total = 0
            for i in ranked:
                if i in excluded or total + lengths[i] > max_words:
                    continue
                if any(sim[position[i]][position[j]] > REDUNDANCY for j in chosen):
                    continue
                chosen.append(i)
                total += lengths[i]
                if total >= min_words:
                    break
            if not chosen:  # every sentence alone is longer than max_words: the best one anyway
                chosen = [next((i for i in ranked if i not in excluded), ranked[0])]
            return tuple(sorted(chosen))

        def texts(pick: tuple[int, ...]) -> list[str]:
            return [sentences[i] for i in pick]

        picks: list[tuple[int, ...]] = []
        queue: list[frozenset[int]] = [frozenset()]
        seen: set[frozenset[int]] = set()
        while queue and len(picks) < k and len(seen) < 64 * k:
            excluded = queue.pop(0)
            if excluded in seen:
                continue
            seen.add(excluded)
            pick = select(excluded)
            if all(texts(pick) != texts(p) for p in picks):  # the same sentence may occur twice in a text
                picks.append(pick)
            # variants: drop one chosen sentence (weakest first) so the next-ranked one moves in
            for i in sorted(pick, key=lambda i: scores[i]):
                queue.append(excluded | {i})

        def score(pick: tuple[int, ...]) -> float:
            return sum(scores[i] for i in pick) / (len(pick) * top)

        best, rest = picks[0], sorted(picks[1:], key=score, reverse=True)
        return [Hypothesis(text=" ".join(sentences[i] for i in pick), score=round(score(pick), 6))
                for pick in [best, *rest]]


def _sentences(text: str, language: str | None) -> list[str]:
    """Sentences (whitespace collapsed) by the project's splitter; language detected when not given."""
    from ..nlp.language import detect
    from ..nlp.text import split_sentences

    language = language or detect(text)
    return [" ".join(s.split()) for s in split_sentences(text, language) if s.strip()]


def similarity_matrix(sentences: Sequence[str]):
    """TF-IDF cosine similarity between sentences (numpy array, zero diagonal)."""
    import numpy as np

    bags = [Counter(w.lower() for w in _WORD.findall(s)) for s in sentences]
    df = Counter(w for bag in bags for w in bag)
    n = len(sentences)
    vocab = {w: i for i, w in enumerate(df)}
    matrix = np.zeros((n, max(1, len(vocab))))
    for row, bag in enumerate(bags):
        for w, tf in bag.items():
            matrix[row, vocab[w]] = (1 + math.log(tf)) * math.log((1 + n) / df[w])
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    unit = matrix / norms[:, None]
    sim = unit @ unit.T
    np.fill_diagonal(sim, 0.0)
    return np.clip(sim, 0.0, 1.0)


def pagerank(sim, damping: float = DAMPING, tol: float = 1e-8, max_iter: int = 200):
    """Weighted PageRank by power iteration; sentences with no edges spread their weight evenly."""
    import numpy as np

    n = sim.shape[0]
    if n == 0:
        return np.zeros(0)
    out_weight = sim.sum(axis=1)
    transition = np.where(out_weight[:, None] > 0, sim / np.where(out_weight > 0, out_weight, 1)[:, None], 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = (1 - damping) / n + damping * transition.T @ rank
        if np.abs(new - rank).sum() < tol:
            return new
        rank = new
    return rank
