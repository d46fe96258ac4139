"""Identify a model's exact files without loading it, so cache keys and the CT2 cache follow a re-saved model."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=64)
def model_fingerprint(model: str, revision: str | None = None) -> str:
    """Identify a model's exact files without loading it.

    A local folder is identified by the names, sizes and modification times of its files (cheap, and any
    re-save changes it); a hub id by the commit of its snapshot in the local HF cache, else by id@revision.
    """
    if model.partition(":")[0] == "extractive":  # the method's name: TextRank output is not the lede method's
        return "extractive:" + (model.partition(":")[2] or "lede")
    path = Path(model)
    if path.is_dir():
        stats = sorted(
            (str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns)
            for p in path.rglob("*") if p.is_file()
        )
        return "dir:" + digest_of(stats)
    try:
        from huggingface_hub import snapshot_download

        local = snapshot_download(model, revision=revision, local_files_only=True)
        return f"hub:{model}@{Path(local).name}"
    except Exception:  # not cached (or not a hub id): the configured revision is all we know
        return f"hub:{model}@{revision or 'main'}"


def digest_of(data: object) -> str:
    """A short stable hash of JSON-able data (cache keys, folder fingerprints)."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:32]
