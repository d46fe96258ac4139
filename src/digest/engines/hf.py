"""The transformers backend: tokenizer + `model.generate`, length-sorted batches, CPU or GPU."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from .base import Hypothesis
from .devices import batch_size_for, resolve_device
from .hf_common import TokenizerEngine, defaults_of, load_error, quiet_transformers, task_prefixes_of, window_of
from .params import GenerationParams

if TYPE_CHECKING:
    from .pool import Runtime

log = logging.getLogger(__name__)



def resolve_dtype(device: str, dtype: str = "auto"):
    """float32 on CPU, bfloat16 (or float16 where bf16 is missing) on GPUs, unless the config says otherwise."""
    import torch

    if dtype != "auto":
        return getattr(torch, dtype)
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device == "mps":
        return torch.float16
    return torch.float32


class HFEngine(TokenizerEngine):
    """A seq2seq model run by transformers; loaded once, reused for every batch of the run."""

    #: prepare (tokenize, pad, copy to the device) the next batch on a worker thread while one generates; None:
    #: on a GPU only (a CPU has no idle device to keep busy).  Outputs are the same either way.
    prefetch: bool | None = None

    def __init__(
        self,
        model: str,
        *,
        revision: str | None = None,
        device: str = "auto",
        dtype: str = "auto",
        batch_size: int | str = 8,
        threads: int = 0,
        trust_remote_code: bool = False,
    ) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        quiet_transformers()
        self.model_id = model
        self.device = resolve_device(device)
        #: "auto" starts at 64 on a GPU; out-of-memory halves it and the size that fit stays for the run
        self.batch_size = max(1, batch_size_for(batch_size, "hf", self.device))
        self._tokenizer_lock = threading.Lock()
        if threads > 0:
            torch.set_num_threads(threads)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(
                model, revision=revision, trust_remote_code=trust_remote_code
            )
            self.model = AutoModelForSeq2SeqLM.from_pretrained(
                model, revision=revision, trust_remote_code=trust_remote_code,
                dtype=resolve_dtype(self.device, dtype),
            )
        except Exception as exc:  # hub, file-system and format errors all mean "cannot load"
            raise load_error(model, exc) from exc
        self.model.to(self.device).eval()
        config = self.model.config
        self.model_type = getattr(config, "model_type", "")
        self.max_input_tokens = window_of(self.tokenizer, config)
        positions = getattr(config, "max_position_embeddings", None)  # None for T5 (relative positions)
        self.max_output_tokens = positions if isinstance(positions, int) and positions > 0 else None
        self.task_prefixes = task_prefixes_of(config)
        self.default_params = defaults_of(getattr(self.model, "generation_config", None))

    def _prepare(self, texts: list[str]) -> dict:
        """Tokenize and pad one batch and start its copy to the device: CPU work that can run while the batch
        before it generates (pinned memory lets the copy to a GPU run asynchronously)."""
        with self._tokenizer_lock:
            inputs = self.tokenizer(
                texts, return_tensors="pt", padding=True, truncation=True, max_length=self.max_input_tokens,
            )
        if self.device.startswith("cuda"):
            return {key: value.pin_memory().to(self.device, non_blocking=True) for key, value in inputs.items()}
        return {key: value.to(self.device) for key, value in inputs.items()}

    def _generate_batch(self, inputs: dict, kwargs: dict, k: int) -> list[list[Hypothesis]]:
        import torch

        with torch.inference_mode():
            out = self.model.generate(  # beam scores are only kept when candidates are compared
                **inputs, **kwargs, return_dict_in_generate=True, output_scores=k > 1
            )
        with self._tokenizer_lock:
            decoded = self.tokenizer.batch_decode(out.sequences, skip_special_tokens=True)
        scores = getattr(out, "sequences_scores", None)
        return [
            [Hypothesis(decoded[h].strip(), float(scores[h]) if scores is not None else None)
             for h in range(j * k, (j + 1) * k)]
            for j in range(len(decoded) // k)
        ]

    def generate_candidates(
        self,
        texts: Sequence[str],
        params: GenerationParams,
        *,
        src_lang: str | None = None,
        tgt_token: str | None = None,
    ) -> list[list[Hypothesis]]:

        if src_lang is not None:
            self.tokenizer.src_lang = src_lang
        kwargs = self.default_params.merged(params).as_dict()
        k = kwargs.get("num_return_sequences", 1)
        if self.max_output_tokens and kwargs.get("max_length", 0) > self.max_output_tokens:
            kwargs["max_length"] = self.max_output_tokens  # longer would index past the position embeddings
            kwargs["min_length"] = min(kwargs.get("min_length", 0), self.max_output_tokens)
        if self.max_output_tokens and kwargs.get("max_new_tokens", 0) > self.max_output_tokens - 1:
            kwargs["max_new_tokens"] = self.max_output_tokens - 1  # the decoder start token takes a position too
        if k > kwargs.get("num_beams", 1):
            kwargs["num_beams"] = k
        if tgt_token is not None:
            if not self.vocab_has(tgt_token):
                raise ValueError(f"model {self.model_id!r} has no language token {tgt_token!r}")
            kwargs["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(tgt_token)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        prefetch = self.device != "cpu" if self.prefetch is None else self.prefetch
        if not prefetch or len(order) <= self.batch_size:  # one batch: nothing to prepare ahead
            return self._run_batches(texts, order, kwargs, k, None)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="digest-prefetch") as worker:
            return self._run_batches(texts, order, kwargs, k, worker)

    def _run_batches(self, texts: Sequence[str], order: list[int], kwargs: dict, k: int,
                     worker: ThreadPoolExecutor | None) -> list[list[Hypothesis]]:
        """Generate batch after batch in `order`; with a `worker`, the next batch is prepared while one generates.
        A prepared batch is only used if it still matches (start, size): out-of-memory changes the size."""
        import torch

        results: list[list[Hypothesis]] = [[] for _ in texts]
        start, ahead = 0, None  # ahead: (start, size, future) of the batch being prepared
        while start < len(order):
            size = self.batch_size
            batch = order[start : start + size]
            if ahead is not None and ahead[:2] == (start, size):
                inputs = ahead[2].result()
            else:
                if ahead is not None:
                    ahead[2].result()  # never two tokenizer users at once, nor an orphaned copy
                inputs = self._prepare([texts[i] for i in batch])
            ahead = None
            following = order[start + len(batch) : start + len(batch) + size]
            if worker is not None and following:
                future: Future = worker.submit(self._prepare, [texts[i] for i in following])
                ahead = (start + len(batch), size, future)
            try:
                hyps = self._generate_batch(inputs, kwargs, k)
            except torch.OutOfMemoryError:
                if len(batch) == 1:
                    if ahead is not None:
                        ahead[2].result()
                    raise
                del inputs
                self.batch_size = (len(batch) + 1) // 2  # GPU memory decides: halve, and keep the smaller size
                log.warning("%s: out of memory with %d texts per batch, retrying with %d",
                            self.model_id, len(batch), self.batch_size)
                if self.device.startswith("cuda"):
                    torch.cuda.empty_cache()
                continue
            for index, hyp in zip(batch, hyps, strict=True):
                results[index] = hyp
            start += len(batch)
        return results


def build(model: str, runtime: Runtime, revision: str | None = None) -> HFEngine:
    """The registry's builder for `engine: hf`."""
    return HFEngine(model, revision=revision, device=runtime.device, dtype=runtime.dtype,
                    batch_size=runtime.batch_size, threads=runtime.threads,
                    trust_remote_code=runtime.trust_remote_code)
