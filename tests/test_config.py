"""Config: defaults == configs/default.yaml, overrides, readable errors naming key and file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.config import Config, ConfigError, load_config

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def test_default_yaml_is_the_builtin_default():
    assert load_config(CONFIGS / "default.yaml") == Config()


@pytest.mark.parametrize("name", sorted(p.name for p in CONFIGS.glob("*.yaml")))
def test_every_shipped_config_loads(name):
    assert isinstance(load_config(CONFIGS / name), Config)


def test_multilingual_and_t5_configs():
    multi = load_config(CONFIGS / "multilingual.yaml")
    assert multi.translation.multilingual.model == "facebook/m2m100_418M"
    assert "CC-BY-NC" in (CONFIGS / "multilingual.yaml").read_text()
    t5 = load_config(CONFIGS / "t5-small.yaml")
    assert t5.summarizer.model == t5.translation.models["de"]


def test_overrides_by_alias_and_dotted_key():
    cfg = load_config(None, summary_model="x/y", to="de,fr", batch_size=2,
                      **{"translation.models": {"de": "p"}, "summarizer.generation": {"num_beams": 1}})
    assert cfg.summarizer.model == "x/y"
    assert cfg.targets == ["de", "fr"]
    assert cfg.batch_size == 2
    assert cfg.translation.models == {"de": "p"}
    assert cfg.summarizer.generation["num_beams"] == 1
    assert cfg.summarizer.generation["max_length"] == 142  # merged, not replaced


def test_file_then_overrides(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("targets: [it]\nbatch_size: 3\n")
    cfg = load_config(path, batch_size=5)
    assert cfg.targets == ["it"] and cfg.batch_size == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("summarizer:\n  modle: x\n", "unknown key 'summarizer.modle'"),
        ("batch_size: many\n", "'batch_size' must be a number"),
        ("engine: tpu\n", "'engine' must be one of hf, ct2"),
        ("targets: 5\n", "'targets' must be a list"),
        ("summarizer:\n  generation:\n    beams: 4\n", "summarizer.generation"),
        ("- a\n- b\n", "must be a mapping"),
        ("a: [unclosed\n", "invalid YAML at line"),
    ],
)
def test_errors_name_the_key_and_the_file(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file():
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config("/nonexistent/digest.yaml")


def test_yaml_is_read_with_the_safe_loader(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("targets: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(path)


@pytest.mark.parametrize("data, key", [
    ({"dtype": "banana"}, "dtype"),
    ({"compute_type": "int3"}, "compute_type"),
    ({"threads": -1}, "threads"),
    ({"input": {"max_bytes": 0}}, "max_bytes"),
    ({"batch_size": 2.7}, "'batch_size' must be a whole number"),
    ({"translation": {"generation": {"max_length": "foo"}}}, "max_length must be a whole number, not 'foo'"),
    ({"summarizer": {"generation": {"num_beams": -3}}}, "num_beams must be at least 1"),
    ({"summarizer": {"generation": {"length_penalty": "x"}}}, "length_penalty must be a number"),
    ({"summarizer": {"generation": {"early_stopping": 1}}}, "early_stopping must be true or false"),
    ({"ray": {"num_cpus": -1}}, "ray.num_cpus"),
    ({"translation": {"pattern": "models/opus-mt-{foo}"}}, r"may use \{src\} and \{tgt\} only, not \{foo\}"),
    ({"translation": {"pattern": "models/opus-mt-{src"}}, "expected '}' before end of string"),
    ({"targets": " , ,"}, "'targets' names nothing in ' , ,'"),
    ({"targets": ["de", "../x"]}, "'../x' is not a language code"),
])
def test_bad_values_are_caught_when_the_config_loads(tmp_path, data, key):
    path = tmp_path / "c.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=key) as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_targets_are_normalized_and_deduplicated():
    assert load_config(None, to="DE, de,fr,,").targets == ["de", "fr"]


def test_a_fractional_length_penalty_and_the_default_pattern_are_fine():
    config = load_config(None, **{"summarizer.generation": {"length_penalty": 0.8}})
    assert config.summarizer.generation["length_penalty"] == 0.8
    assert config.translation.pattern == "Helsinki-NLP/opus-mt-{src}-{tgt}"
    assert load_config(None, to="pt-BR,eng_Latn").targets == ["pt-BR", "en"]  # BCP-47: the region is kept
    assert load_config(None, to=[]).targets == []  # summaries only


@pytest.mark.parametrize("generation, message", [
    ({"min_length": 50, "max_length": 20}, r"'summarizer.generation': min_length \(50\) is above max_length \(20\)"),
    ({"num_beams": 2, "num_return_sequences": 4}, r"num_return_sequences \(4\) is above num_beams \(2\)"),
])
def test_rules_across_generation_settings_are_reported_not_fixed(tmp_path, generation, message):
    path = tmp_path / "c.yaml"
    path.write_text(json.dumps({"summarizer": {"generation": generation}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_sections_check_themselves_however_they_are_made():
    """dataclasses.replace and a script's own constructor call cannot skip the checks load_config makes."""
    import dataclasses

    from digest.config import OutputConfig, RayConfig, TranslationConfig

    config = load_config(None)
    with pytest.raises(ConfigError, match="'threads' must be 0"):
        dataclasses.replace(config, threads=-1)
    with pytest.raises(ConfigError, match="'engine' must be one of hf, ct2"):
        dataclasses.replace(config, engine="onnx")
    with pytest.raises(ConfigError, match="'ray.num_cpus'"):
        RayConfig(num_cpus=0)
    with pytest.raises(ConfigError, match="'output.timezone': unknown time zone 'Mars/Olympus'"):
        OutputConfig(timezone="Mars/Olympus")
    with pytest.raises(ConfigError, match=r"may use \{src\} and \{tgt\} only"):
        TranslationConfig(pattern="models/{lang}")
    assert Config(targets=["EN", "Deutsch"]).targets == ["en", "de"]
