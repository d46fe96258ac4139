"""Wiring: the engine pool, summarizer, translator and batch processor a config asks for.

The facade (api.Digester) and each Ray actor build their parts here, so an actor needs no Digester.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..config import Config
from ..engines.base import Engine
from ..engines.params import GenerationParams
from ..engines.pool import EnginePool, Runtime
from ..nlp.checks import rerank
from ..nlp.glossary import Glossary
from .batch import BatchProcessor
from .summarizer import Summarizer
from .translator import Translator


def engine_pool(config: Config, engines: Mapping[str, Engine] | None = None) -> EnginePool:
    """A pool that loads each model once with the config's runtime; `engines` are models already loaded."""
    return EnginePool(Runtime(
        engine=config.engine, device=config.device, dtype=config.dtype, compute_type=config.compute_type,
        threads=config.threads, batch_size=config.batch_size, trust_remote_code=config.trust_remote_code,
    ), engines=engines)


def build_translator(config: Config, pool: EnginePool, glossary: Glossary | None = None) -> Translator:
    """Loads nothing yet: a route's models load when the pair is first translated."""
    return Translator(config.translation, pool, GenerationParams().merged(config.translation.generation),
                      glossary=glossary, loops=config.faithfulness.loops)


def build_summarizer(config: Config, pool: EnginePool) -> Summarizer:
    """Loads the summarization model; with `faithfulness.rerank` K > 1 it decodes K beams and keeps the best."""
    cfg = config.summarizer
    engine = pool.get(cfg.model, cfg.revision)
    params = GenerationParams().merged(cfg.generation)
    k = config.faithfulness.rerank
    if k > 1:  # K beam hypotheses to choose from
        params = params.merged({"num_return_sequences": k, "num_beams": max(k, params.num_beams or 1)})
    return Summarizer(engine, params, prefix=cfg.prefix, max_input_tokens=cfg.max_input_tokens,
                      chooser=rerank if k > 1 else None, loops=config.faithfulness.loops)


def build_processor(config: Config, *, summarizer: Summarizer | None = None, translator: Translator | None = None,
                    pool: EnginePool | None = None) -> BatchProcessor:
    """The batch processor for `config`, from the parts given or new ones (a Ray actor passes none)."""
    pool = pool or engine_pool(config)
    glossary = translator.glossary if translator else Glossary.from_dict(config.glossary)
    return BatchProcessor(
        summarizer or build_summarizer(config, pool), translator or build_translator(config, pool, glossary),
        targets=config.targets, summary_model=config.summarizer.model, checks=config.faithfulness.checks,
        glossary=glossary, max_seconds=config.input.max_seconds,
    )
