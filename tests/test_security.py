"""Loading models never runs a model's own code unless the config says so, and prefers safetensors weights."""

from __future__ import annotations

import json
import shutil

import pytest

from digest.config import ConfigError, load_config
from digest.engines.hf import HFEngine


@pytest.fixture
def remote_code_model(tiny_models, tmp_path):
    """The tiny BART with an `auto_map` pointing at code that would leave a marker file if it ever ran."""
    folder = tmp_path / "remote-code"
    shutil.copytree(tiny_models["bart"], folder)
    marker = tmp_path / "code-ran"
    (folder / "evil.py").write_text(
        f"open({str(marker)!r}, 'w').write('ran')\n"
        "from transformers import BartConfig, BartForConditionalGeneration\n"
        "class EvilConfig(BartConfig):\n    pass\n"
        "class EvilModel(BartForConditionalGeneration):\n    config_class = EvilConfig\n",
        encoding="utf-8")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["auto_map"] = {"AutoConfig": "evil.EvilConfig", "AutoModelForSeq2SeqLM": "evil.EvilModel"}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder, marker


def test_remote_code_is_refused_by_default(remote_code_model):
    folder, marker = remote_code_model
    assert load_config().trust_remote_code is False
    engine = HFEngine(str(folder), device="cpu")  # loads as the plain BART it declares, without the code
    assert engine.model_type == "bart" and type(engine.model).__name__ == "BartForConditionalGeneration"
    assert not marker.exists()


def test_safetensors_weights_are_preferred(tiny_models, tmp_path):
    folder = tmp_path / "both-formats"
    shutil.copytree(tiny_models["bart"], folder)
    assert (folder / "model.safetensors").exists()
    (folder / "pytorch_model.bin").write_bytes(b"not a pickle: loading this file would fail")
    engine = HFEngine(str(folder), device="cpu")
    assert engine.count_tokens(["hello"])[0] > 0


def test_config_yaml_is_read_with_the_safe_loader(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("targets: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="evil.yaml"):
        load_config(path)


def test_a_non_utf8_config_is_one_line_exit_2(tmp_path):
    from click.testing import CliRunner

    from digest.cli import cli

    path = tmp_path / "latin1.yaml"
    path.write_bytes("summary_model: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="latin1.yaml: a config must be UTF-8"):
        load_config(path)
    result = CliRunner().invoke(cli, ["config", "show", "--config", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.stderr and "UTF-8" in result.stderr


def test_a_yaml_alias_bomb_is_refused(tmp_path):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("translation:\n  models:\n" + "\n".join("    " + line for line in lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bomb.yaml: more than 100000 values once YAML aliases"):
        load_config(path)
