"""One small interface for every generation backend (transformers, CTranslate2, extractive).

Summarizer and Translator only talk to `Engine`; which library runs the model is a config choice.
Heavy libraries are imported inside the implementations, never here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import DeviceError, ModelLoadError
from .params import GenerationParams

__all__ = ["DeviceError", "Engine", "Hypothesis", "ModelLoadError"]


@dataclass(frozen=True)
class Hypothesis:
    """One decoded candidate; `score` is the engine's length-normalised log-probability when it has one."""

    text: str
    score: float | None = None


class Engine(ABC):
    """A loaded seq2seq model: count tokens, generate text. Loaded once per run and reused."""

    #: the model as configured (hub id or local path); shown in outputs
    model_id: str
    #: longest input (in this model's tokens) the model accepts
    max_input_tokens: int
    #: the model's own task prefixes, e.g. {"summarization": "summarize: "} for T5
    task_prefixes: dict[str, str]
    #: the model's own generation defaults (its generation_config), lowest priority
    default_params: GenerationParams
    #: model family as transformers names it ("bart", "t5", "marian", "m2m_100", ...)
    model_type: str = ""

    @abstractmethod
    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Number of input tokens (special tokens included) of each text."""

    @abstractmethod
    def generate_candidates(
        self,
        texts: Sequence[str],
        params: GenerationParams,
        *,
        src_lang: str | None = None,
        tgt_token: str | None = None,
    ) -> list[list[Hypothesis]]:
        """Decode every text; one list of `num_return_sequences` hypotheses per input, best first.

        `src_lang` is the tokenizer's source-language code and `tgt_token` the token forced first in the
        output, both only for multilingual models (M2M100, NLLB, MBart-50).
        """

    def generate(
        self,
        texts: Sequence[str],
        params: GenerationParams,
        *,
        src_lang: str | None = None,
        tgt_token: str | None = None,
    ) -> list[str]:
        """Decode every text and keep the best hypothesis."""
        single = params.merged({"num_return_sequences": 1})
        out = self.generate_candidates(texts, single, src_lang=src_lang, tgt_token=tgt_token)
        return [hyps[0].text for hyps in out]

    def vocab_has(self, token: str) -> bool:
        """Whether `token` is a single known token (used to check multilingual language codes)."""
        return False

    def code_scheme(self) -> str | None:
        """The language-code family of a multilingual model ("m2m100", "nllb", "mbart50"), None for a pair model:
        a model named for one target must still get its forced target-language token."""
        return None

