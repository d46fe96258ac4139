"""`summary-model: extractive` — sentences the reporter wrote, picked without a model or a download.

Two methods. `extractive` (alias `extractive:lede`, the default) is lede-aware: news puts the key facts first, so
each sentence scores its position prior 1 / (1 + rank / POSITION_SCALE) plus its centrality (TF-IDF cosine with the
whole article, scaled to 0..1); the lede is always taken, then sentences by score minus their similarity to what is
already chosen (a later sentence with new key facts beats a weak second one), until `min_length` words are
reached, never beyond `max_length` (as TextRank always did, so the same settings give the same lengths). A
sentence that opens with an unresolved pronoun or connective brings the sentence before it or is not taken, and a
quote is taken only when its speaker is named (nlp/openers.py). `explain()` says why each sentence was or was not
picked. `extractive:textrank` is the older TextRank (Mihalcea & Tarau 2004: TF-IDF cosine graph, PageRank with
damping 0.85), kept to compare against. Selected sentences come out in source order, whole. "Tokens" are words
here, so length settings read as word counts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..nlp.language import normalize
from ..nlp.openers import dangling_opener, is_quote, names, speaker_names
from ..nlp.text import length_units, terms
from .base import Engine, Hypothesis, ModelLoadError
from .params import GenerationParams

if TYPE_CHECKING:
    from .pool import Runtime

METHODS = ("lede", "textrank")
DAMPING = 0.85
#: a sentence this similar to an already chosen one adds nothing
REDUNDANCY = 0.5
#: shorter sentences ("Submit a Comment") are never picked: datelines, credits and buttons, not content
MIN_WORDS = 6
#: the summary of a text of 5 sentences or more is at most this share of it (its first sentence always stays), and
#: `min_length` never asks for more: a short article's "summary" is not the article
MIN_SHARE = 0.45
#: lede: the position prior halves by the third candidate sentence (rank 2)
POSITION_SCALE = 2.0
#: lede: weight of centrality against position, and of the overlap with already chosen sentences
CENTRALITY_WEIGHT = 1.0
REDUNDANCY_WEIGHT = 1.0
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def method_of(model: str) -> str | None:
    """"lede" or "textrank" for an extractive model name ("extractive", "extractive:textrank"), else None."""
    base, _, method = model.partition(":")
    if base != "extractive":
        return None
    return method or "lede"


class ExtractiveEngine(Engine):
    """Lede-aware (default) or TextRank extractive summarizer behind the same interface as the neural engines."""

    def __init__(self, language_hint: str | None = None, method: str = "lede") -> None:
        if method not in METHODS:
            raise ValueError(f"extractive:{method}: unknown method (choose extractive:lede or extractive:textrank)")
        self.language_hint = language_hint
        self.method = method
        self.model_id = "extractive" if method == "lede" else f"extractive:{method}"
        self.model_type = "extractive"
        # both build sentence x sentence matrices: a window of 4,000 words (~200 sentences) keeps them small,
        # and longer texts go through the summarizer's map-reduce like on any model
        self.max_input_tokens = 4000
        self.task_prefixes: dict[str, str] = {}
        # lede: fewer words than Lead-3 on news (CNN/DM Lead-3 averages 83; this gives ~68); TextRank keeps its own
        self.default_params = (GenerationParams(max_length=85, min_length=56) if method == "lede"
                               else GenerationParams(max_length=142, min_length=56))

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Words per text (characters in scripts without spaces between words)."""
        return [length_units(text) for text in texts]

    def generate_candidates(
        self,
        texts: Sequence[str],
        params: GenerationParams,
        *,
        src_lang: str | None = None,
        tgt_token: str | None = None,
    ) -> list[list[Hypothesis]]:
        """Up to `num_return_sequences` distinct sentence selections per text, the method's plain pick first.

        Lengths are in words and never cut a sentence: both methods add sentences until `min_*` is reached, never
        beyond `max_*` (the lede, or TextRank's top sentence, alone when it is longer). Variants leave out one
        chosen sentence (weakest first) so the next one moves in. `score`: TextRank, the mean PageRank relative to
        the top sentence; lede, the selection's total sentence score relative to the plain pick's, at most 1.
        """
        min_words, max_words, k = self._limits(params)
        language = self.language_hint or (normalize(src_lang) if src_lang else None)
        summarize = self._lede if self.method == "lede" else self._summarize
        return [summarize(text, min_words, max_words, k, language) for text in texts]

    def explain(self, text: str, params: GenerationParams | None = None, language: str | None = None) -> list[dict]:
        """Per sentence of `text`: its position prior, centrality, score, whether the lede method picked it, and why."""
        min_words, max_words, _ = self._limits(params or GenerationParams())
        language = _language(text, language or self.language_hint)
        lede = Lede(_sentences(text, language), language)
        min_words, max_words = _bounded_min(min_words, lede.lengths), _bounded_max(max_words, lede.lengths)
        chosen, reasons = lede.select(max_words, min_words)
        return [{"index": i, "sentence": s, "position": round(lede.position.get(i, 0.0), 4),
                 "centrality": round(float(lede.centrality[i]), 4), "score": round(lede.score.get(i, 0.0), 4),
                 "picked": i in chosen, "reason": reasons[i]} for i, s in enumerate(lede.sentences)]

    def _limits(self, params: GenerationParams) -> tuple[int, int, int]:
        merged = self.default_params.merged(params)
        max_words = merged.max_new_tokens or merged.max_length or 85
        min_words = min(merged.min_new_tokens or merged.min_length or 0, max_words)
        return min_words, max_words, max(1, merged.num_return_sequences or 1)

    def _lede(self, text: str, min_words: int, max_words: int, k: int, language: str | None) -> list[Hypothesis]:
        language = _language(text, language)
        lede = Lede(_sentences(text, language), language)
        if not lede.sentences:
            return [Hypothesis(text=" ".join(text.split()), score=0.0)]
        min_words, max_words = _bounded_min(min_words, lede.lengths), _bounded_max(max_words, lede.lengths)
        picks = _alternatives(
            lambda excluded: tuple(sorted(lede.select(max_words, min_words, excluded)[0])), lede.sentences, k,
            16 * k, lambda pick: sorted(pick[1:], key=lambda i: lede.score.get(i, 0.0)))  # the lede always stays
        plain = sum(lede.score.get(i, 0.0) for i in picks[0]) or 1.0

        def score(pick: tuple[int, ...]) -> float:  # relative to the plain pick, which a tie (e.g. in rerank) keeps
            return round(min(1.0, sum(lede.score.get(i, 0.0) for i in pick) / plain), 6)

        best, rest = picks[0], sorted(picks[1:], key=score, reverse=True)
        return [Hypothesis(text=" ".join(lede.sentences[i] for i in pick), score=score(pick)) for pick in [best, *rest]]

    def _summarize(self, text: str, min_words: int, max_words: int, k: int, language: str | None) -> list[Hypothesis]:
        sentences = _sentences(text, language)
        if not sentences:
            return [Hypothesis(text=" ".join(text.split()), score=0.0)]
        lengths = [length_units(s) for s in sentences]
        min_words, max_words = _bounded_min(min_words, lengths), _bounded_max(max_words, lengths)
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

        picks = _alternatives(select, sentences, k, 64 * k, lambda pick: sorted(pick, key=lambda i: scores[i]))

        def score(pick: tuple[int, ...]) -> float:
            return sum(scores[i] for i in pick) / (len(pick) * top)

        best, rest = picks[0], sorted(picks[1:], key=score, reverse=True)
        return [Hypothesis(text=" ".join(sentences[i] for i in pick), score=round(score(pick), 6))
                for pick in [best, *rest]]


def _alternatives(select: Callable[[frozenset[int]], tuple[int, ...]], sentences: list[str], k: int, tries: int,
                  droppable: Callable[[tuple[int, ...]], list[int]]) -> list[tuple[int, ...]]:
    """Up to `k` picks with different texts: the plain one first, then, breadth first, the picks made with one more
    of an earlier pick's sentences left out (`droppable`, weakest first) so the next-ranked one moves in; at most
    `tries` selections. Texts, not indices, must differ: the same sentence may occur twice in a text."""
    picks: list[tuple[int, ...]] = []
    queue: list[frozenset[int]] = [frozenset()]
    seen: set[frozenset[int]] = set()
    while queue and len(picks) < k and len(seen) < tries:
        excluded = queue.pop(0)
        if excluded in seen:
            continue
        seen.add(excluded)
        pick = select(excluded)
        if all([sentences[i] for i in pick] != [sentences[i] for i in p] for p in picks):
            picks.append(pick)
        queue += [excluded | {i} for i in droppable(pick)]
    return picks


def _bounded_min(min_words: int, lengths: Sequence[int]) -> int:
    """`min_words`, lowered to MIN_SHARE of the text when the text has five sentences or more."""
    return min(min_words, int(MIN_SHARE * sum(lengths))) if len(lengths) >= 5 else min_words


def _bounded_max(max_words: int, lengths: Sequence[int]) -> int:
    """`max_words`, lowered to MIN_SHARE of the text when the text has five sentences or more."""
    return min(max_words, max(1, int(MIN_SHARE * sum(lengths)))) if len(lengths) >= 5 else max_words


def _language(text: str, language: str | None) -> str | None:
    from ..nlp.language import detect

    return language or detect(text)


def _sentences(text: str, language: str | None) -> list[str]:
    """Sentences by the project's splitter, line breaks and space runs collapsed (a no-break space is kept: the
    sentence stays a verbatim piece of the text); language detected when not given."""
    from ..nlp.text import split_sentences

    return [_SPACES.sub(" ", s).strip() for s in split_sentences(text, _language(text, language)) if s.strip()]


class Lede:
    """The lede-aware selection over one text's sentences; scores kept so the choice can be explained."""

    def __init__(self, sentences: list[str], language: str | None) -> None:
        import numpy as np

        self.sentences, self.language = sentences, language
        self.lengths = [length_units(s) for s in sentences]
        self.candidates = [i for i, n in enumerate(self.lengths) if n >= MIN_WORDS] or list(range(len(sentences)))
        unit = unit_vectors(sentences) if sentences else np.zeros((0, 1))
        centroid = unit[self.candidates].sum(axis=0) if sentences else np.zeros(1)
        centrality = unit @ (centroid / (np.linalg.norm(centroid) or 1.0))
        top = max((centrality[i] for i in self.candidates), default=0.0)
        self.centrality = centrality / top if top > 0 else centrality
        self.sim = np.clip(unit @ unit.T, 0.0, 1.0)
        self.position = {i: 1 / (1 + rank / POSITION_SCALE) for rank, i in enumerate(self.candidates)}
        self.score = {i: self.position[i] + CENTRALITY_WEIGHT * float(self.centrality[i]) for i in self.candidates}
        self.opener = {i: dangling_opener(s, language) for i, s in enumerate(sentences)}
        self.names = [names(s) for s in sentences]
        self.speakers = [speaker_names(s) if is_quote(s) else None for s in sentences]

    def _needs(self, i: int, named: set[str]) -> str | None:
        """Why sentence i cannot stand first or alone: a dangling opener, or a quote whose speaker is unnamed."""
        if self.opener[i]:
            return f"opens with {self.opener[i]!r}"
        speakers = self.speakers[i]
        if speakers is not None and not speakers & named:
            return "quote whose speaker is not named before it"
        return None

    def select(self, max_words: int, min_words: int = 0,
               excluded: frozenset[int] = frozenset()) -> tuple[set[int], list[str]]:
        """Indices picked until `min_words` are reached, never beyond `max_words`, and a reason per sentence."""
        reasons = [f"shorter than {MIN_WORDS} words"] * len(self.sentences)
        pool = [i for i in self.candidates if i not in excluded]
        for i in self.candidates:
            reasons[i] = "left out for a variant" if i in excluded else "lower gain, or too long for the budget left"
        if not pool:
            return set(), reasons
        unopened = next((i for i in pool if not self.opener[i]), pool[0])  # all quotes: one that needs no context
        lede = next((i for i in pool if not self._needs(i, set())), unopened)
        chosen, total, named = [lede], self.lengths[lede], set(self.names[lede])
        nearest = self.sim[lede].tolist()  # per sentence, its similarity to the closest chosen one
        reasons[lede] = "lede (first sentence)" if lede == self.candidates[0] else "first sentence that stands alone"
        while total < min_words:
            best: tuple[float, list[int], str] | None = None
            for i in pool:
                if i in chosen:
                    continue
                unit, why, prev = [i], self._needs(i, named), i - 1
                if why and prev in chosen and not self.opener[i]:  # a quote after its context, speaker still unnamed
                    reasons[i] = why
                    continue
                if why and prev not in chosen:
                    if (prev not in self.score or prev in excluded or self._needs(prev, named)
                            or not (self.opener[i] or (self.speakers[i] or set()) & (named | self.names[prev]))):
                        reasons[i] = f"{why}, and the sentence before it cannot come along"
                        continue
                    unit = [prev, i]
                if total + sum(self.lengths[j] for j in unit) > max_words:
                    continue
                overlap = max(nearest[j] for j in unit)
                if overlap > REDUNDANCY:
                    reasons[i] = f"repeats a chosen sentence (similarity {overlap:.2f})"
                    continue
                gain = sum(self.score[j] for j in unit) / len(unit) - REDUNDANCY_WEIGHT * overlap
                if best is None or gain > best[0]:
                    best = (gain, unit, why or "")
            if best is None:
                break
            gain, unit, why = best
            for j in unit:
                chosen.append(j)
                total += self.lengths[j]
                named |= self.names[j]
                nearest = [max(a, b) for a, b in zip(nearest, self.sim[j].tolist(), strict=True)]
            reasons[unit[-1]] = f"score {self.score[unit[-1]]:.2f}, gain {gain:.2f} after overlap"
            if len(unit) == 2:
                reasons[unit[0]] = f"brought by the next sentence ({why})"
        return set(chosen), reasons


def unit_vectors(sentences: Sequence[str]):
    """TF-IDF rows (log tf, smoothed idf over the text's sentences), scaled to unit length (numpy array)."""
    import numpy as np

    bags = [Counter(t for w in _WORD.findall(s) for t in terms(w.lower())) for s in sentences]
    df = Counter(w for bag in bags for w in bag)
    n = len(sentences)
    vocab = {w: i for i, w in enumerate(df)}
    matrix = np.zeros((n, max(1, len(vocab))))
    for row, bag in enumerate(bags):
        for w, tf in bag.items():
            matrix[row, vocab[w]] = (1 + math.log(tf)) * math.log((1 + n) / df[w])
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    return matrix / norms[:, None]


def similarity_matrix(sentences: Sequence[str]):
    """TF-IDF cosine similarity between sentences (numpy array, zero diagonal)."""
    import numpy as np

    unit = unit_vectors(sentences)
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


def build(model: str, runtime: Runtime | None = None, revision: str | None = None) -> ExtractiveEngine:
    """The registry's builder for "extractive"[":lede"|":textrank"]: no weights, so runtime and revision are moot."""
    try:
        return ExtractiveEngine(method=model.partition(":")[2] or "lede")
    except ValueError as exc:
        raise ModelLoadError(str(exc)) from None
