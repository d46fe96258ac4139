"""Smoke tests for the session's tiny models (digest.testing.tiny_models): they load by path like hub ids."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import torch
from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

from digest.testing.tiny_models import OPUS_PAIRS, WINDOW, build_tiny_models

KEYS = [
    "bart",
    "t5",
    "opus-mt-en-de",
    "opus-mt-en-fr",
    "opus-mt-en-es",
    "opus-mt-fr-en",
    "opus-mt-de-en",
    "m2m100",
    "pegasus",
    "nllb",
]

TEXTS = [
    "The government announced new measures on Monday to curb rising energy prices.",
    "Short one.",
    "Le Parlement a adopté le budget mardi soir après un long débat.",
]

ARTICLE = " ".join(
    [
        "The city council met on Tuesday evening to discuss the new budget for schools and roads.",
        "Several residents spoke about the rising cost of housing and the lack of public transport.",
        "The mayor said that the plan would be published next month after a public consultation.",
    ]
    * 12
)  # ~550 words


def _load(path: Path):
    return AutoTokenizer.from_pretrained(path), AutoModelForSeq2SeqLM.from_pretrained(path)


def test_network_is_off():
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_keys_and_folders(tiny_models, models_root):
    assert list(tiny_models) == KEYS
    for key, path in tiny_models.items():
        assert path == models_root / key
        files = {p.name for p in path.iterdir()}
        assert {"config.json", "generation_config.json", "model.safetensors", "tokenizer_config.json"} <= files
        assert not any(name.endswith((".bin", ".pt")) for name in files)
        size = sum(p.stat().st_size for p in path.iterdir())
        assert size < 2_000_000, f"{key} is {size} bytes"


@pytest.mark.slow
@pytest.mark.parametrize("key", KEYS)
def test_loads_by_path_and_generates_in_batch(tiny_models, key):
    tok, model = _load(tiny_models[key])
    assert tok.model_max_length == WINDOW
    assert model.config.vocab_size >= len(tok)
    gen = model.generation_config
    assert gen.decoder_start_token_id == model.config.decoder_start_token_id
    assert gen.pad_token_id == tok.pad_token_id == model.config.pad_token_id
    assert gen.eos_token_id == tok.eos_token_id == model.config.eos_token_id

    kwargs = {}
    if key == "m2m100":
        kwargs["forced_bos_token_id"] = tok.get_lang_id("de")
    elif key == "nllb":
        kwargs["forced_bos_token_id"] = tok.convert_tokens_to_ids("deu_Latn")
    batch = tok(TEXTS, return_tensors="pt", padding=True)
    with torch.no_grad():
        out = model.generate(**batch, max_new_tokens=8, min_new_tokens=2, **kwargs)
    assert out.shape[0] == len(TEXTS)
    assert 2 < out.shape[1] <= 10
    decoded = tok.batch_decode(out, skip_special_tokens=True)
    assert len(decoded) == len(TEXTS)
    assert all(isinstance(d, str) for d in decoded)
    assert any(d.strip() for d in decoded)
    # Not a constant function of the input: tests can tell per-article outputs apart.
    assert len(set(decoded)) > 1
    # Deterministic, and batching (padding) does not change a row's result.
    with torch.no_grad():
        again = model.generate(**batch, max_new_tokens=8, min_new_tokens=2, **kwargs)
        single = model.generate(**tok(TEXTS[:1], return_tensors="pt"), max_new_tokens=8, min_new_tokens=2, **kwargs)
    assert torch.equal(out, again)
    assert tok.decode(single[0], skip_special_tokens=True) == decoded[0]


@pytest.mark.parametrize("key", ["bart", "t5", "pegasus"])
def test_summarizer_window_is_smaller_than_an_article(tiny_models, key):
    tok, model = _load(tiny_models[key])
    assert len(tok(ARTICLE).input_ids) > WINDOW
    positions = getattr(model.config, "max_position_embeddings", None) or model.config.n_positions
    assert positions == WINDOW


def test_bart_tokenizer_and_params(tiny_models):
    from transformers import BartTokenizer, BartTokenizerFast

    path = tiny_models["bart"]
    assert (path / "vocab.json").is_file() and (path / "merges.txt").is_file()
    tok = AutoTokenizer.from_pretrained(path)
    assert isinstance(tok, (BartTokenizer, BartTokenizerFast))
    assert (tok.bos_token, tok.pad_token, tok.eos_token, tok.unk_token, tok.mask_token) == (
        "<s>",
        "<pad>",
        "</s>",
        "<unk>",
        "<mask>",
    )
    config = AutoConfig.from_pretrained(path)
    assert config.max_position_embeddings == WINDOW
    params = config.task_specific_params["summarization"]
    assert "prefix" not in params
    assert params["num_beams"] == 1
    gen = AutoModelForSeq2SeqLM.from_pretrained(path).generation_config
    assert gen.num_beams == 1 and gen.max_length == 24


def test_t5_prefixes_and_vocab(tiny_models):
    path = tiny_models["t5"]
    tok, model = _load(path)
    assert type(tok).__name__ == "T5Tokenizer"
    params = model.config.task_specific_params
    assert params["summarization"]["prefix"] == "summarize: "
    assert params["translation_en_to_de"]["prefix"] == "translate English to German: "
    assert params["translation_en_to_fr"]["prefix"] == "translate English to French: "
    assert model.config.vocab_size == len(tok)
    # The prefixes tokenize without <unk>.
    ids = tok("summarize: translate English to German: x").input_ids
    assert tok.unk_token_id not in ids
    assert (tok.pad_token_id, tok.eos_token_id, model.config.decoder_start_token_id) == (0, 1, 0)


def test_marian_pairs_route_by_folder_name(models_root):
    from transformers import MarianMTModel, MarianTokenizer

    pairs = sorted(p.name for p in models_root.glob("opus-mt-*-*"))
    assert pairs == sorted(f"opus-mt-{pair}" for pair in OPUS_PAIRS)
    assert not (models_root / "opus-mt-fr-de").exists()
    assert not (models_root / "opus-mt-de-fr").exists()
    for pair in OPUS_PAIRS:
        path = models_root / f"opus-mt-{pair}"
        assert {"source.spm", "target.spm", "vocab.json"} <= {p.name for p in path.iterdir()}
        tok, model = _load(path)
        assert isinstance(tok, MarianTokenizer) and isinstance(model, MarianMTModel)
        assert model.config.decoder_start_token_id == tok.pad_token_id
        assert tok.unk_token_id not in tok("The government announced new measures.").input_ids


def test_marian_pairs_have_different_weights(tiny_models):
    digests = {
        hashlib.sha256((tiny_models[f"opus-mt-{pair}"] / "model.safetensors").read_bytes()).hexdigest()
        for pair in OPUS_PAIRS
    }
    assert len(digests) == len(OPUS_PAIRS)


def test_m2m100_language_tokens(tiny_models):
    from transformers import M2M100Tokenizer

    path = tiny_models["m2m100"]
    tok, model = _load(path)
    assert isinstance(tok, M2M100Tokenizer)
    for lang in ("en", "de", "fr", "es"):
        lang_id = tok.get_lang_id(lang)
        assert tok.convert_tokens_to_ids(f"__{lang}__") == lang_id
        assert lang_id != tok.unk_token_id
        assert lang_id < model.config.vocab_size
    tok.src_lang = "fr"
    ids = tok("Le gouvernement a annoncé.").input_ids
    assert ids[0] == tok.get_lang_id("fr") and ids[-1] == tok.eos_token_id
    assert tok.decode([tok.get_lang_id("de"), *ids[1:]], skip_special_tokens=True) == "Le gouvernement a annoncé."
    assert model.generation_config.forced_bos_token_id is None


def test_nllb_language_codes(tiny_models):
    from transformers import NllbTokenizer

    tok, model = _load(tiny_models["nllb"])
    assert isinstance(tok, NllbTokenizer)
    de = tok.convert_tokens_to_ids("deu_Latn")
    assert de != tok.unk_token_id and de < model.config.vocab_size
    tok.src_lang = "fra_Latn"
    ids = tok("Le gouvernement a annoncé.").input_ids
    assert ids[0] == tok.convert_tokens_to_ids("fra_Latn") and ids[-1] == tok.eos_token_id
    assert model.generation_config.forced_bos_token_id is None


@pytest.mark.slow
def test_build_is_reproducible(tiny_models, tmp_path):
    rebuilt = build_tiny_models(tmp_path)
    assert list(rebuilt) == list(tiny_models)
    for key, path in tiny_models.items():
        for file in sorted(path.iterdir()):
            assert file.read_bytes() == (rebuilt[key] / file.name).read_bytes(), f"{key}/{file.name}"
