"""Translator: routes each language pair to a model (override, multilingual, pair pattern, English pivot)
and translates sentence by sentence in length-sorted batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..config import TranslationConfig
from ..engines.base import Engine
from ..engines.params import GenerationParams
from ..engines.pool import EnginePool
from ..errors import DeviceError, ExplicitModelError, ModelLoadError, NoRouteError
from ..nlp.glossary import Glossary
from ..nlp.language import model_code, normalize, same_writing, script_converter
from ..nlp.repetition import looping, regenerate
from ..nlp.text import pack_chunks, split_sentences
from .summarizer import EmptyOutput


def candidate_routes(config: TranslationConfig, src: str, tgt: str) -> list[list[Hop]]:
    """Possible routes from `src` to `tgt` in order of preference: override, multilingual, pattern, English pivot.

    Loads nothing, so `digest models list` can show what a run needs without a Translator.
    """
    if same_writing(src, tgt):
        return [[]]
    routes = []
    explicit = _override(config, src, tgt)
    if explicit:
        routes.append([Hop(explicit, src, tgt, explicit=True)])
    if config.multilingual and config.multilingual.model:
        multi = config.multilingual
        routes.append([Hop(multi.model, src, tgt, multi.revision, multi.codes, explicit=True)])
    if config.pattern:
        routes.append([Hop(config.pattern.format(src=_pair_code(src), tgt=_pair_code(tgt)), src, tgt)])
    if not same_writing(config.pivot, src) and not same_writing(config.pivot, tgt):
        for first in candidate_routes(config, src, config.pivot):
            routes.extend(first + second for second in candidate_routes(config, config.pivot, tgt))
    return routes


def _pair_code(tag: str) -> str:
    """How a pair pattern (opus-mt-{src}-{tgt}) names a language: its ISO code where the tag is written in the
    language's usual script ("pt-BR" → pt), the whole tag otherwise ("zh-Hant": a pair of its own, or none)."""
    base = normalize(tag)
    return base if same_writing(tag, base) else tag


def _override(config: TranslationConfig, src: str, tgt: str) -> str | None:
    """`translation.models` for the pair ("en-pt-BR", then "en-pt"), or for the target alone from the pivot."""
    for s, t in dict.fromkeys(((src, tgt), (_pair_code(src), _pair_code(tgt)))):
        found = config.models.get(f"{s}-{t}") or (config.models.get(t) if same_writing(s, config.pivot) else None)
        if found:
            return found
    return None


#: no sentence's translation may run longer than this many tokens per source token (plus SLACK): real
#: translations stay well under twice their source; a model stuck in a loop runs to max_length
LENGTH_RATIO = 3
SLACK = 10


@dataclass
class Translation:
    """Translated texts, the models on the way, and which texts kept a repetition loop that had to be cut."""

    texts: list[str]
    models: list[str]
    looped: list[bool]


@dataclass(frozen=True)
class Hop:
    """One model call on the way from the source language to the target."""

    model: str
    src: str
    tgt: str
    revision: str | None = None
    scheme: str | None = None
    explicit: bool = False

    def describe(self) -> str:
        return f"{self.model} ({self.src}→{self.tgt})"


class Translator:
    """Translates texts between languages with whatever models the config routes the pair to."""

    def __init__(
        self, config: TranslationConfig, pool: EnginePool, params: GenerationParams | None = None,
        glossary: Glossary | None = None, loops: bool = True,
    ) -> None:
        self.config = config
        self.loops = loops  # faithfulness.loops: runaway sentences are translated again (see `_bounded`)
        self.glossary = glossary
        self.pool = pool
        self.params = params or GenerationParams()
        self._routes: dict[tuple[str, str], list[Hop]] = {}

    def candidates(self, src: str, tgt: str) -> list[list[Hop]]:
        """Possible routes in order of preference, before any model is loaded."""
        return candidate_routes(self.config, src, tgt)

    def route(self, src: str, tgt: str) -> list[Hop]:
        """The first candidate route whose models load and know both languages.

        A model the user named (an override or the multilingual model) that cannot load stops the run with
        its ModelLoadError; a pattern-derived pair that does not exist just moves on to the next route.
        """
        key = (src, tgt)
        if key not in self._routes:
            reasons = []
            for hops in self.candidates(src, tgt):
                try:
                    for hop in hops:
                        self._load(hop)
                except (ExplicitModelError, DeviceError):
                    raise
                except (ModelLoadError, KeyError, ValueError) as exc:
                    reasons.append(str(exc).strip("'\""))
                    continue
                self._routes[key] = hops
                break
            else:
                why = reasons[0] if reasons else "no model configured"
                raise NoRouteError(f"no translation route {src}→{tgt}: {why}")
        return self._routes[key]

    def _load(self, hop: Hop) -> Engine:
        try:
            engine = self.pool.get(hop.model, hop.revision)
        except ModelLoadError as exc:
            if hop.explicit:
                raise ExplicitModelError(str(exc)) from exc
            raise
        self._codes(engine, hop)
        return engine

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> tuple[list[str], list[str]]:
        """Translate every text from `src` to `tgt`; returns the translations and the models used."""
        done = self.translation(texts, src, tgt)
        return done.texts, done.models

    def translation(self, texts: Sequence[str], src: str, tgt: str) -> Translation:
        """`translate`, saying too which texts had a repetition loop that survived a retry and was cut."""
        hops = self.route(src, tgt)
        if not hops:
            return Translation(list(texts), [], [False] * len(texts))
        if any(not text or not text.strip() for text in texts):  # never a tokenizer's message about no input
            raise ValueError(f"no text to translate into {tgt}")
        protected = [self.glossary.protect(text, tgt) if self.glossary else (text, {}) for text in texts]
        sentences = [split_sentences(text, src) for text, _ in protected]
        flat = [s for group in sentences for s in group]
        cut = [False] * len(flat)
        for hop in hops:
            flat, cuts = self._run_hop(hop, flat)
            cut = [a or b for a, b in zip(cut, cuts, strict=True)]
        out, looped, pos = [], [], 0
        for group, (_, mapping) in zip(sentences, protected, strict=True):
            joined = " ".join(t for t in flat[pos : pos + len(group)] if t)
            out.append(self.glossary.restore(joined, mapping) if mapping and self.glossary else joined)
            looped.append(any(cut[pos : pos + len(group)]))
            pos += len(group)
        if any(not text.strip() for text in out):
            raise EmptyOutput(f"translator produced an empty translation for {tgt}")
        return Translation(out, [hop.describe() for hop in hops], looped)

    def _run_hop(self, hop: Hop, sentences: list[str]) -> tuple[list[str], list[bool]]:
        """Translate sentences with one model; a sentence longer than the window goes in pieces.

        Also returns, per sentence, whether a repetition loop survived the retry and was cut (see `_bounded`).
        """
        if not sentences:
            return [], []
        engine = self.pool.get(hop.model, hop.revision)
        src_lang, tgt_token, convert = self._codes(engine, hop)
        prefix = engine.task_prefixes.get(f"translation_{normalize(hop.src)}_to_{normalize(hop.tgt)}", "")
        budget = engine.max_input_tokens - (engine.count_tokens([prefix])[0] if prefix else 0)
        counts = engine.count_tokens(sentences)
        pieces = [
            pack_chunks([s], [n], budget, count=engine.count_tokens) if n > budget else [s]
            for s, n in zip(sentences, counts, strict=True)
        ]
        flat = [prefix + p for group in pieces for p in group]
        translated = engine.generate(flat, self.params, src_lang=src_lang, tgt_token=tgt_token) if flat else []
        translated, cuts = self._bounded(engine, flat, translated, src_lang, tgt_token)
        out, cut, pos = [], [], 0
        for group in pieces:
            joined = " ".join(translated[pos : pos + len(group)])
            out.append(convert(joined) if convert else joined)
            cut.append(any(cuts[pos : pos + len(group)]))
            pos += len(group)
        return out, cut

    def _bounded(self, engine: Engine, sources: list[str], outputs: list[str], src_lang: str | None,
                 tgt_token: str | None) -> tuple[list[str], list[bool]]:
        """Outputs bounded by their sources' length and free of repetition loops.

        A piece whose translation loops (and its source does not) or runs past LENGTH_RATIO times its source's
        tokens is translated again on its own, with repeated 3-grams blocked and the bound as `max_new_tokens`
        (alone, so the retry does not depend on which other pieces shared its batch). A loop that survives is
        cut back to its first copy and reported, so the article is flagged for review.
        """
        outputs, cuts = list(outputs), [False] * len(outputs)
        if not outputs or not self.loops:
            return outputs, cuts

        def alone(source: str, params: GenerationParams) -> Callable[[dict], str]:
            return lambda blocked: engine.generate([source], params.merged(blocked), src_lang=src_lang,
                                                   tgt_token=tgt_token)[0]

        lengths = engine.count_tokens(sources)
        produced = engine.count_tokens(outputs)
        for i, (source, output) in enumerate(zip(sources, outputs, strict=True)):
            bound = LENGTH_RATIO * lengths[i] + SLACK
            bound = min(bound, self.params.max_length) if self.params.max_length else bound
            if produced[i] <= bound and not looping(output, source):
                continue
            outputs[i], cuts[i] = regenerate(alone(source, self.params.merged({"max_new_tokens": bound})), source)
        return outputs, cuts

    @staticmethod
    def _codes(engine: Engine, hop: Hop) -> tuple[str | None, str | None, Callable[[str], str] | None]:
        """Source-language code, forced first token for multilingual models (checked against the vocab), and the
        script conversion the output needs when the model writes the target language in another script only
        (NLLB has srp_Cyrl, no srp_Latn: "sr-Latn" is srp_Cyrl converted letter by letter)."""
        scheme = engine.code_scheme() if hop.scheme in (None, "auto") else hop.scheme
        if not scheme or scheme == "iso":
            return None, None, None

        def token(tag: str) -> str:
            code = model_code(tag, scheme)
            code = f"__{code}__" if scheme == "m2m100" else code
            if not engine.vocab_has(code):
                raise KeyError(f"model {hop.model!r} has no language token {code!r} for {tag!r}")
            return code

        try:
            token(hop.src)
            src_code = model_code(hop.src, scheme)
        except KeyError:  # a script the model does not read by name (sr-Latn): its language's usual code
            src_code = model_code(normalize(hop.src), scheme)
        try:
            return src_code, token(hop.tgt), None
        except KeyError:
            convert = script_converter(hop.tgt)
            if convert is None:
                raise
            return src_code, token(normalize(hop.tgt)), convert
