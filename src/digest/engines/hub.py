"""Whether the models a run needs are on this machine, and fetching them once while online.

Cron boxes often run with no network (`HF_HUB_OFFLINE=1`): `digest models pull` downloads every model the
config will load (run/needs.py works out which) into the Hugging Face cache, converted for the CT2 engine, so
the offline run finds everything; `digest models list` shows what is there.  Heavy libraries load inside the functions.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import HubUnreachable, NotOnHub, PullError, one_line
from .hf_common import hub_offline

LOCAL, CACHED, MISSING = "local folder", "cached", "missing"

#: small files a tokenizer or config may need; weights are chosen separately (safetensors first)
AUX_PATTERNS = ("*.json", "*.txt", "*.model", "*.spm", "*.tiktoken", "*.jinja")
#: weight formats the transformers/CTranslate2 engines never read: never downloaded
UNUSED_WEIGHTS = ("*.h5", "*.msgpack", "*.ot", "*.onnx", "*.onnx_data", "*.tflite", "*.mlmodel", "*.gguf")
OFFLINE_MESSAGE = (
    "HF_HUB_OFFLINE is set, so nothing can be downloaded: run `digest models pull` on a machine that is online "
    "(or with HF_HUB_OFFLINE unset), then run digest with HF_HUB_OFFLINE=1"
)


@dataclass(frozen=True)
class ModelRef:
    """One model a config needs, and why (its role), so `list` and `pull` can say what each line is for."""

    id: str
    revision: str | None = None
    role: str = ""
    #: named by the user (summarizer, override, multilingual): a missing one stops the run, there is no fallback
    explicit: bool = True
    #: the next route's models, used at run time when this pattern-derived pair does not exist on the hub
    fallback: tuple[ModelRef, ...] = ()

    def describe(self) -> str:
        return f"{self.id}@{self.revision}" if self.revision else self.id


@dataclass(frozen=True)
class PullOutcome:
    """What happened to one model in `pull_all`; `ok` False means the run will miss it."""

    ref: ModelRef
    ok: bool
    message: str
    #: a pattern-derived pair that does not exist, replaced by its pivot route: informative, not a failure
    replaced: bool = False


def is_local(model: str) -> bool:
    """A local folder, exactly as the engines decide it (they load a path that is a directory)."""
    return Path(model).is_dir()


def is_hub_id(model: str) -> bool:
    """Whether `model` could name a hub repo (`org/name` or `name`); a path like models/tiny/x cannot."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(model)
    except HFValidationError:
        return False
    return True


def status(ref: ModelRef, *, cache_dir: str | Path | None = None) -> str:
    """"local folder", "cached" or "missing": would an offline run find this model?

    Cheap: reads the HF cache layout through huggingface_hub's own lookup (so HF_HOME / HF_HUB_CACHE count),
    loads nothing.  "cached" needs the config and weights in the snapshot, not just a stray config.json left
    by a download that was interrupted.
    """
    if is_local(ref.id):
        return LOCAL
    if not is_hub_id(ref.id):
        return MISSING
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(ref.id, "config.json", cache_dir=cache_dir, revision=ref.revision)
    if not isinstance(found, str):
        return MISSING
    snapshot = Path(found).parent
    weights = ("*.safetensors", "pytorch_model*.bin", "*.safetensors.index.json", "*.bin.index.json")
    has_weights = any(p.exists() for pattern in weights for p in snapshot.glob(pattern))
    return CACHED if has_weights else MISSING


def download_patterns(files: Iterable[str], *, trust_remote_code: bool = False) -> tuple[list[str], str]:
    """(allow_patterns, weight format) for `snapshot_download`: safetensors when the repo has them, else .bin.

    Only top-level files: repos such as t5-small also carry onnx/ or other exports the engines never read.
    Raises PullError when the repo has no PyTorch weights at all (e.g. a TensorFlow-only repo).
    """
    top = [f for f in files if "/" not in f]
    matches = [f for f in top if any(fnmatch.fnmatch(f, p) for p in AUX_PATTERNS + (("*.py",) if trust_remote_code
                                                                                     else ()))]
    safetensors = [f for f in top if f.endswith(".safetensors")]
    binaries = [f for f in top if f.endswith(".bin") and not any(fnmatch.fnmatch(f, p) for p in UNUSED_WEIGHTS)]
    if safetensors:
        weights, kind, skip = safetensors, "safetensors", ".bin.index.json"
    elif binaries:
        weights, kind, skip = binaries, "pytorch .bin", ".safetensors.index.json"
    else:
        raise PullError("has no PyTorch weights (no .safetensors or .bin files)")
    aux = [f for f in matches if not f.endswith(skip) and not f.endswith((".h5.index.json", ".msgpack.index.json"))]
    return sorted(set(aux + weights)), kind


def pull(
    ref: ModelRef, engine: str = "hf", *, device: str = "auto", compute_type: str = "auto",
    trust_remote_code: bool = False, cache_dir: str | Path | None = None,
) -> str:
    """Fetch one model into the HF cache (and convert it for CT2), so an offline run can load it.

    Returns a short outcome ("downloaded 7 files (safetensors)", "local folder", ...); raises PullError
    (NotOnHub, HubUnreachable) with a one-line reason naming the model.
    """
    if is_local(ref.id):
        outcome = LOCAL
    else:
        if not is_hub_id(ref.id):
            raise PullError(f"{ref.id}: not a local folder, and not a hub id (org/name)")
        if hub_offline():
            raise PullError(f"{ref.describe()}: {OFFLINE_MESSAGE}")
        outcome = _download(ref, trust_remote_code=trust_remote_code, cache_dir=cache_dir)
    if engine == "ct2":
        outcome += ", " + _convert(ref, device=device, compute_type=compute_type, trust_remote_code=trust_remote_code)
    return outcome


def _download(ref: ModelRef, *, trust_remote_code: bool, cache_dir: str | Path | None) -> str:
    import huggingface_hub

    try:
        files = huggingface_hub.HfApi().list_repo_files(ref.id, revision=ref.revision)
        patterns, kind = download_patterns(files, trust_remote_code=trust_remote_code)
        huggingface_hub.snapshot_download(ref.id, revision=ref.revision, allow_patterns=patterns,
                                          cache_dir=cache_dir)
    except Exception as exc:  # hub, network and file-system errors: one line each
        raise _pull_error(ref, exc) from exc
    return f"downloaded {len(patterns)} files ({kind})"


def _convert(ref: ModelRef, *, device: str, compute_type: str, trust_remote_code: bool) -> str:
    """Convert into the CT2 cache exactly where CT2Engine will look (same device → same quantization)."""
    from .base import ModelLoadError

    try:
        from .ct2 import cache_dir, ensure_converted, resolve_compute_type, resolve_device

        quantization = resolve_compute_type(compute_type, resolve_device(device)[0])
        target = cache_dir(ref.id, ref.revision, quantization)
        converted = ensure_converted(ref.id, target, quantization=quantization, revision=ref.revision,
                                     trust_remote_code=trust_remote_code)
    except ModelLoadError as exc:
        raise PullError(f"{ref.describe()}: {one_line(exc, 200, first=True)}") from exc
    except Exception as exc:  # conversion and format errors
        raise PullError(f"{ref.describe()}: cannot convert for CTranslate2: {one_line(exc, 200, first=True)}") from exc
    return f"converted for ct2 ({quantization})" if converted else f"already converted for ct2 ({quantization})"


def _pull_error(ref: ModelRef, exc: BaseException) -> PullError:
    """One line naming the model and the reason, in words a cron log reader understands."""
    from huggingface_hub import errors

    name = ref.describe()
    if isinstance(exc, PullError):
        return type(exc)(f"{name}: {exc}")
    if isinstance(exc, errors.OfflineModeIsEnabled):
        return PullError(f"{name}: {OFFLINE_MESSAGE}")
    if isinstance(exc, errors.GatedRepoError):
        return PullError(f"{name}: gated model: accept its terms on the hub, then log in (`hf auth login`)")
    if isinstance(exc, errors.RepositoryNotFoundError):
        return NotOnHub(f"{name}: no such model on the hub (or it is private: log in with `hf auth login`)")
    if isinstance(exc, errors.RevisionNotFoundError):
        return NotOnHub(f"{name}: no revision {ref.revision!r} of this model on the hub")
    if _is_network_error(exc) or isinstance(exc, errors.LocalEntryNotFoundError):
        return HubUnreachable(f"{name}: cannot reach the hub ({one_line(exc, 200, first=True)})")
    if isinstance(exc, errors.HfHubHTTPError):
        return PullError(f"{name}: the hub answered with an error ({one_line(exc, 200, first=True)})")
    return PullError(f"{name}: {one_line(exc, 200, first=True)}")


def _is_network_error(exc: BaseException) -> bool:
    """Connection trouble from whichever HTTP client huggingface_hub uses (httpx, httpx2 or requests)."""
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"TransportError", "ConnectError", "ConnectTimeout", "TimeoutException", "NetworkError"}) or (
        "ConnectionError" in names and type(exc).__module__.startswith("requests"))


def pull_all(refs: Sequence[ModelRef], engine: str = "hf", **options) -> Iterator[PullOutcome]:
    """Pull every ref in order, as `digest run` would route: a missing pattern pair brings in its pivot hops.

    Once the hub is unreachable the remaining hub models are reported with the same reason at once, instead
    of each retrying for half a minute.  `options` go to `pull` (device, compute_type, ...).
    """
    done: set[tuple[str, str | None]] = set()
    unreachable: HubUnreachable | None = None
    queue = list(refs)
    while queue:
        ref = queue.pop(0)
        key = (ref.id, ref.revision)
        if key in done:
            continue
        done.add(key)
        if unreachable is not None and not is_local(ref.id):
            yield PullOutcome(ref, False, f"{ref.describe()}: cannot reach the hub (skipped)")
            continue
        try:
            yield PullOutcome(ref, True, pull(ref, engine, **options))
        except NotOnHub as exc:
            if ref.explicit or not ref.fallback:
                yield PullOutcome(ref, False, str(exc))
                continue
            via = ", ".join(f.id for f in ref.fallback)
            yield PullOutcome(ref, True, f"{exc}; runs will use the pivot route instead: {via}", replaced=True)
            queue[:0] = list(ref.fallback)
        except HubUnreachable as exc:
            unreachable = exc
            yield PullOutcome(ref, False, str(exc))
        except PullError as exc:
            yield PullOutcome(ref, False, str(exc))
