"""Converting a Hugging Face model for CTranslate2, once, into a cache folder shared by every run and process.

Why a module of its own: conversion (cache layout, file lock, atomic rename) is a different job from decoding
(ct2.py), and `digest models pull` converts without ever decoding.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ModelLoadError
from .fingerprint import model_fingerprint

log = logging.getLogger("digest")

#: bump when the way we convert changes (e.g. the normalize_before fix), so old cache folders are not reused
LAYOUT = 1
#: written last into a converted folder; a folder without it is not a finished conversion
MARKER = "digest-ct2.json"
MISSING = 'the ct2 engine needs CTranslate2: pip install "digest[ct2]"'


def import_ct2():
    """Import CTranslate2, which is an optional extra."""
    try:
        import ctranslate2
    except ImportError as exc:
        raise ModelLoadError(MISSING) from exc
    return ctranslate2


def cache_root() -> Path:
    """`$DIGEST_CACHE/ct2`, else `~/.cache/digest/ct2` (honouring XDG_CACHE_HOME)."""
    base = os.environ.get("DIGEST_CACHE")
    if not base:
        base = str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "digest")
    return Path(base).expanduser() / "ct2"


def cache_dir(model: str, revision: str | None, quantization: str) -> Path:
    """Folder of this exact model + revision/files + quantization + CTranslate2 version."""
    local = Path(model).is_dir()
    # model_fingerprint is memoised per process; a folder re-saved during this process must give a new key
    fingerprint = getattr(model_fingerprint, "__wrapped__", model_fingerprint)(model, revision)
    data = {
        "model": str(Path(model).resolve()) if local else model, "revision": revision, "files": fingerprint,
        "quantization": quantization, "ctranslate2": import_ct2().__version__, "layout": LAYOUT,
    }
    key = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9._-]+", "--", Path(model).resolve().name if local else model).strip("-.") or "model"
    return cache_root() / f"{name[:80]}-{key}"


def is_converted(folder: Path) -> bool:
    """A finished conversion: the marker is written last, just before the rename."""
    return (folder / MARKER).is_file() and (folder / "model.bin").is_file()


def ensure_converted(
    model: str, target: Path, *, quantization: str, revision: str | None = None, trust_remote_code: bool = False
) -> bool:
    """Convert `model` into `target` unless a finished conversion is there; True when this call converted.

    A file lock makes a second process wait for the first instead of converting twice; the atomic rename
    in `convert_into` keeps the folder valid even where the lock does not hold (e.g. some network disks).
    """
    from filelock import FileLock, Timeout

    if is_converted(target):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(target) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.info("waiting for another process converting %s for CTranslate2", model)
        lock.acquire()
    try:
        if is_converted(target):
            return False
        for stale in target.parent.glob(f".{target.name}.tmp-*"):  # left by a killed conversion
            shutil.rmtree(stale, ignore_errors=True)
        return convert_into(model, target, quantization=quantization, revision=revision,
                            trust_remote_code=trust_remote_code)
    finally:
        lock.release()


def convert_into(
    model: str, target: Path, *, quantization: str, revision: str | None = None, trust_remote_code: bool = False
) -> bool:
    """Convert into a temp folder next to `target`, then rename it into place; False if `target` won the race."""
    converter = _converter(model, quantization=quantization, revision=revision, trust_remote_code=trust_remote_code)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        out = tmp / "model"
        started = time.monotonic()
        with _progress(f"converting {model} for CTranslate2 ({quantization})"):
            converter.convert(str(out), quantization=quantization)
        meta = {"model": model, "revision": revision, "quantization": quantization,
                "ctranslate2": import_ct2().__version__, "seconds": round(time.monotonic() - started, 1)}
        (out / MARKER).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        try:
            os.rename(out, target)
        except OSError:
            if is_converted(target):  # another process finished first: keep theirs, drop ours
                return False
            raise
        log.info("converted %s in %.1f s → %s", model, meta["seconds"], target)
        return True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _converter(model: str, *, quantization: str, revision: str | None, trust_remote_code: bool):
    """CTranslate2's TransformersConverter, fixed for configs saved by transformers 5.

    CTranslate2 4.8's BART/Pegasus loaders read `config.normalize_before` (and `normalize_embedding`), which
    transformers 5 configs no longer carry.  We fill them in from the loaded model's own structure (a
    pre-norm encoder has a final `layer_norm`; `layernorm_embedding` exists or not), on this model object
    only.  It also loads the config at the requested revision, which CTranslate2's loader forgets.
    """
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            if revision:
                from transformers import AutoConfig

                kwargs["config"] = AutoConfig.from_pretrained(
                    model_name_or_path, revision=revision, trust_remote_code=trust_remote_code
                )
            loaded = super().load_model(model_class, model_name_or_path, **kwargs)
            encoder = getattr(getattr(loaded, "model", None), "encoder", None)
            config = loaded.config
            if encoder is not None and not hasattr(config, "normalize_before"):
                config.normalize_before = getattr(encoder, "layer_norm", None) is not None
            if encoder is not None and not hasattr(config, "normalize_embedding"):
                config.normalize_embedding = getattr(encoder, "layernorm_embedding", None) is not None
            return loaded

    return Converter(model, load_as_float16=quantization in ("float16", "int8_float16"), revision=revision,
                     trust_remote_code=trust_remote_code)


@contextmanager
def _progress(message: str) -> Iterator[None]:
    """A log line, plus an elapsed-time spinner on a terminal: conversion of a big model takes minutes."""
    log.info("%s…", message)
    if not sys.stderr.isatty():
        yield
        return
    from tqdm import tqdm

    bar = tqdm(total=None, desc=message, bar_format="{desc}… {elapsed}", leave=False)
    stop = threading.Event()

    def spin() -> None:
        while not stop.wait(0.5):
            bar.refresh()  # redraws the elapsed time

    spinner = threading.Thread(target=spin, daemon=True)
    spinner.start()
    try:
        yield
    finally:
        stop.set()
        spinner.join()
        bar.close()
