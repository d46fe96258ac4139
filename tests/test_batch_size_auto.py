"""`batch_size: auto` from the config file, the API and `--batch-size`; the engine side is in test_hf_engine.py."""

from __future__ import annotations

import click
import pytest

from digest.cli_options import BatchSize
from digest.config import ConfigError, load_config
from digest.engines.pool import Runtime


def test_auto_is_read_from_yaml_and_overrides(tmp_path):
    path = tmp_path / "gpu.yaml"
    path.write_text("device: cuda\nbatch_size: auto\n")
    assert load_config(path).batch_size == "auto"
    assert load_config(None, batch_size="auto").batch_size == "auto"
    assert load_config(path, batch_size=12).batch_size == 12


@pytest.mark.parametrize("value, message", [("lots", "'batch_size' must be a number"),
                                            (0, "'batch_size' must be at least 1")])
def test_other_words_and_zero_are_still_refused(tmp_path, value, message):
    path = tmp_path / "bad.yaml"
    path.write_text(f"batch_size: {value}\n")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_the_cli_option_takes_a_number_or_auto():
    option = BatchSize()
    assert option.convert("auto", None, None) == "auto"
    assert option.convert("32", None, None) == 32
    for bad in ("0", "-4", "big"):
        with pytest.raises(click.BadParameter, match="whole number of at least 1 or auto"):
            option.convert(bad, None, None)


def test_auto_on_a_cpu_is_the_old_default_so_waves_stay_small():
    assert Runtime(device="cpu", batch_size="auto").batch_limit() == 8
    assert Runtime(engine="ct2", device="cuda", batch_size="auto").batch_limit() == 8
    assert Runtime(device="cuda", batch_size="auto").batch_limit() == 64
    assert Runtime(device="cpu", batch_size=3).batch_limit() == 3
