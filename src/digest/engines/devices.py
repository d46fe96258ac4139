"""Which device a model runs on and how many texts a call takes there (`batch_size: auto`)."""

from __future__ import annotations

from .base import DeviceError


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


#: `batch_size: auto`: where the HF engine starts on a GPU (it halves on out-of-memory and keeps what fit), and
#: what it means on a CPU and for the CT2 engine, which has no out-of-memory fallback (today's default)
AUTO_BATCH_GPU, AUTO_BATCH_CPU = 64, 8


def batch_size_for(batch_size: int | str, engine: str, device: str) -> int:
    """Texts per model call for a configured `batch_size`; "auto" is large only where the HF engine runs on a GPU
    (`device` already resolved, or "auto", which asks torch)."""
    if batch_size != "auto":
        return int(batch_size)
    if engine != "hf" or device in ("cpu", "mps"):
        return AUTO_BATCH_CPU
    if device == "auto":
        device = resolve_device("auto")
    return AUTO_BATCH_GPU if device.startswith("cuda") else AUTO_BATCH_CPU
