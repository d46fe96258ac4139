"""The transformers backend: tokenizer + `model.generate`, length-sorted batches, CPU or GPU."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from .base import DeviceError, Engine, Hypothesis, ModelLoadError
from .params import GenerationParams
from .pool import batch_size_for

log = logging.getLogger(__name__)

#: generation-config fields that map onto GenerationParams
_GEN_FIELDS = (
    "num_beams", "min_length", "max_length", "length_penalty", "no_repeat_ngram_size",
    "repetition_penalty", "early_stopping",
)
#: tokenizers report this (or larger) when they have no real limit
_NO_LIMIT = 1_000_000


def quiet_transformers() -> None:
    """Silence transformers' own weight-loading bars and length warnings: digest shows its own progress,
    and it counts tokens of whole articles on purpose before chunking them."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def resolve_device(device: str = "auto") -> str:
    """Pick the device for `auto`, and refuse a device this machine does not have."""
    import torch

    if device == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise DeviceError(f"device {device!r} requested but CUDA is not available; use --device cpu")
    if device == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise DeviceError("device 'mps' requested but this PyTorch has no MPS (Apple GPU) support; use --device cpu")
    return device


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


def load_error(model: str, exc: BaseException) -> ModelLoadError:
    """One line that names the model, the cause and what to do about it."""
    from pathlib import Path

    looks_local = model.startswith(("/", "./", "../", "~")) or model.count("/") > 1  # hub ids are org/name
    if looks_local and not Path(model).expanduser().exists():
        return ModelLoadError(f"cannot load model {model!r}: no such folder")
    if Path(model).expanduser().is_dir() and not (Path(model).expanduser() / "config.json").is_file():
        return ModelLoadError(f"cannot load model {model!r}: the folder holds no config.json, so it is not a saved "
                              "Hugging Face model (save_pretrained or `digest models pull` writes one)")
    cause = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return ModelLoadError(
        f"cannot load model {model!r}: {cause} — give a local folder, a valid hub id, or download it first "
        "(`digest models pull`) and run with HF_HUB_OFFLINE=1"
    )


def window_of(tokenizer, config) -> int:
    """The model's input window in tokens: tokenizer limit, else position embeddings, else 512."""
    limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(limit, int) and 0 < limit < _NO_LIMIT:
        return limit
    for name in ("max_position_embeddings", "n_positions"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return 512


def task_prefixes_of(config) -> dict[str, str]:
    """Task prefixes from `task_specific_params` (T5's "summarize: " and friends)."""
    params = getattr(config, "task_specific_params", None) or {}
    return {task: p["prefix"] for task, p in params.items() if isinstance(p, dict) and p.get("prefix")}


def defaults_of(generation_config) -> GenerationParams:
    """The model's own generation defaults, the lowest layer of the settings."""
    if generation_config is None:
        return GenerationParams()
    values = {name: getattr(generation_config, name, None) for name in _GEN_FIELDS}
    return GenerationParams(**values)


class HFEngine(Engine):
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

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        encoded = self.tokenizer(list(texts), add_special_tokens=True, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def vocab_has(self, token: str) -> bool:
        unk = self.tokenizer.unk_token_id
        token_id = self.tokenizer.convert_tokens_to_ids(token)
        return token_id is not None and token_id != unk

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
