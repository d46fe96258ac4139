"""The CTranslate2 engine on the tiny models: conversion cache, races, and parity with the HF engine."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from digest.engines.base import ModelLoadError  # noqa: E402
from digest.engines.ct2 import (  # noqa: E402
    MARKER,
    MISSING,
    CT2Engine,
    cache_root,
    convert_into,
    decoding_lengths,
    ensure_converted,
    is_converted,
)
from digest.engines.hf import HFEngine  # noqa: E402
from digest.engines.params import GenerationParams  # noqa: E402
from digest.engines.pool import Runtime, load_engine  # noqa: E402

TEXTS = [
    "The government announced new measures on Monday to curb rising energy prices.",
    "Heavy rain caused flooding in several towns.",
    "Police arrested two men in connection with the robbery, officials said.",
    "Prices rose by 4.5% in April; analysts had expected 3.9% - a surprise for markets?",
    "The minister told reporters that talks with the unions would continue next week.",
]
#: greedy, and lengths forced three ways: HF's max_length (counts the decoder start token; bart and
#: marian also force EOS at the end), min_length == max_length, and min_new_tokens == max_new_tokens;
#: then the repetition settings
PARITY_PARAMS = [
    GenerationParams(num_beams=1, max_length=12),
    GenerationParams(num_beams=1, min_length=10, max_length=10),
    GenerationParams(num_beams=1, min_new_tokens=9, max_new_tokens=9),
    GenerationParams(num_beams=1, max_length=16, repetition_penalty=1.5, no_repeat_ngram_size=2),
]
#: key -> (src_lang, tgt_token) for the generate call
FAMILIES = {
    "bart": (None, None), "t5": (None, None), "opus-mt-en-de": (None, None), "m2m100": ("en", "__de__"),
    "pegasus": (None, None), "nllb": ("eng_Latn", "deu_Latn"),
}


@pytest.fixture(scope="module", autouse=True)
def _one_thread_each():
    """torch and CTranslate2 bring separate OpenMP runtimes whose idle threads spin; on a small, busy machine
    two pools in one process slow each other down 100-fold, so both run single-threaded here."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def ct2_cache(tmp_path_factory):
    """Every engine of this module converts into a fresh DIGEST_CACHE."""
    root = tmp_path_factory.mktemp("digest-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DIGEST_CACHE", str(root))
        yield root


@pytest.fixture(scope="module")
def models(tiny_models, tmp_path_factory):
    """The tiny models, with BART and Pegasus re-saved without `normalize_before`/`normalize_embedding`,
    as transformers 5 writes them: the converter's fix must fill them in."""
    out = dict(tiny_models)
    for key in ("bart", "pegasus"):
        if key not in out:
            continue
        folder = tmp_path_factory.mktemp("plain") / key
        shutil.copytree(tiny_models[key], folder)
        config = json.loads((folder / "config.json").read_text())
        for name in ("normalize_before", "normalize_embedding"):
            config.pop(name, None)
        (folder / "config.json").write_text(json.dumps(config, indent=2))
        out[key] = folder
    return out


@pytest.fixture(scope="module")
def pair(models, ct2_cache):
    """pair(key) -> (HFEngine, CT2Engine float32), loaded once per module."""
    loaded: dict[str, tuple[HFEngine, CT2Engine]] = {}

    def get(key: str) -> tuple[HFEngine, CT2Engine]:
        if key not in models:
            pytest.skip(f"no tiny {key} model")
        if key not in loaded:
            path = str(models[key])
            ct2 = CT2Engine(path, compute_type="float32", batch_size=2, threads=1)
            loaded[key] = (HFEngine(path, batch_size=2), ct2)
        return loaded[key]

    return get


# -- conversion cache ---------------------------------------------------------------------------------------


def test_converts_once_into_the_cache_then_reuses_it(models, ct2_cache, caplog):
    caplog.set_level("INFO", logger="digest")
    first = CT2Engine(str(models["opus-mt-en-fr"]), threads=1)
    assert first.converted and first.compute_type == "int8"  # auto on CPU
    assert first.path.parent == cache_root() == ct2_cache / "ct2"
    assert first.path.name.startswith("opus-mt-en-fr-")
    assert is_converted(first.path) and json.loads((first.path / MARKER).read_text())["quantization"] == "int8"
    assert "converting" in caplog.text and "for CTranslate2 (int8)" in caplog.text
    stamp = (first.path / "model.bin").stat().st_mtime_ns

    again = CT2Engine(str(models["opus-mt-en-fr"]), threads=1)
    assert not again.converted and again.path == first.path
    assert (first.path / "model.bin").stat().st_mtime_ns == stamp
    assert again.generate(TEXTS, GenerationParams(num_beams=1)) == first.generate(TEXTS, GenerationParams(num_beams=1))
    other = CT2Engine(str(models["opus-mt-en-fr"]), compute_type="float32", threads=1)
    assert other.converted and other.path != first.path  # quantization is in the key


def test_changed_model_files_give_a_new_cache_folder(models, ct2_cache, tmp_path):
    folder = tmp_path / "opus-mt-en-es"
    shutil.copytree(models["opus-mt-en-es"], folder)
    before = CT2Engine(str(folder), compute_type="float32", threads=1)
    assert before.converted
    weights = folder / "model.safetensors"
    os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 10**9))  # "re-saved"
    after = CT2Engine(str(folder), compute_type="float32", threads=1)
    assert after.converted and after.path != before.path and is_converted(before.path)
    assert not CT2Engine(str(folder), compute_type="float32", threads=1).converted


def _convert_in_child(model: str, target: str, barrier, results) -> None:
    barrier.wait()
    results.put(ensure_converted(model, Path(target), quantization="int8"))


@pytest.mark.slow
def test_two_processes_racing_convert_once(models, tmp_path):
    target = tmp_path / "ct2" / "opus-mt-de-en-race"
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_convert_in_child, args=(str(models["opus-mt-de-en"]), str(target), barrier, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert sorted(results.get(timeout=5) for _ in procs) == [False, True]  # one converted, one waited
    assert is_converted(target)
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name, target.name + ".lock"]  # no temp left

    # Without the lock (e.g. a disk where it does not hold) the loser of the rename keeps the winner's folder.
    stamp = (target / "model.bin").stat().st_mtime_ns
    assert convert_into(str(models["opus-mt-de-en"]), target, quantization="int8") is False
    assert (target / "model.bin").stat().st_mtime_ns == stamp
    assert len(list(target.parent.iterdir())) == 2
    import ctranslate2

    assert ctranslate2.Translator(str(target)).translate_batch([["▁The", "</s>"]], max_decoding_length=3)


# -- parity with the transformers engine -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("key", list(FAMILIES))
def test_greedy_output_equals_the_hf_engine(pair, key):
    """float32, greedy: the same tokens as `model.generate`, for every length setting.

    All six families match exactly; beam search is not compared (HF's early_stopping and its length
    normalisation of unfinished beams have no exact CTranslate2 counterpart).
    """
    hf, ct2 = pair(key)
    src_lang, tgt_token = FAMILIES[key]
    for params in PARITY_PARAMS:
        expected = hf.generate(TEXTS, params, src_lang=src_lang, tgt_token=tgt_token)
        assert ct2.generate(TEXTS, params, src_lang=src_lang, tgt_token=tgt_token) == expected, params
    assert any(expected)  # the tiny models do produce text


@pytest.mark.parametrize("key", ["bart", "t5", "opus-mt-en-de", "m2m100"])
def test_model_facts_equal_the_hf_engine(pair, key):
    hf, ct2 = pair(key)
    assert ct2.model_type == hf.model_type
    assert ct2.max_input_tokens == hf.max_input_tokens
    assert ct2.task_prefixes == hf.task_prefixes
    assert ct2.default_params == hf.default_params
    assert ct2.count_tokens(TEXTS) == hf.count_tokens(TEXTS)


def test_multilingual_target_token_is_forced_and_stripped(pair):
    hf, ct2 = pair("m2m100")
    params = GenerationParams(num_beams=1, max_new_tokens=8)
    german = ct2.generate(TEXTS, params, src_lang="en", tgt_token="__de__")
    french = ct2.generate(TEXTS, params, src_lang="en", tgt_token="__fr__")
    assert german != french
    assert french == hf.generate(TEXTS, params, src_lang="en", tgt_token="__fr__")
    assert not any("__" in text for text in german + french)
    assert ct2.vocab_has("__de__") and not ct2.vocab_has("__xx__")
    with pytest.raises(ValueError, match="__xx__"):
        ct2.generate(TEXTS, params, src_lang="en", tgt_token="__xx__")


def test_beams_return_k_scored_hypotheses_best_first(pair):
    _, ct2 = pair("t5")
    out = ct2.generate_candidates(TEXTS, GenerationParams(num_beams=4, num_return_sequences=3, max_length=10))
    assert len(out) == len(TEXTS)
    for hyps in out:
        assert len(hyps) == 3
        scores = [h.score for h in hyps]
        assert all(isinstance(s, float) for s in scores) and scores == sorted(scores, reverse=True)
    assert ct2.generate(TEXTS, GenerationParams(num_beams=4, max_length=10)) == [h[0].text for h in out]
    more = ct2.generate_candidates(TEXTS[:1], GenerationParams(num_beams=2, num_return_sequences=3, max_length=10))
    assert len(more[0]) == 3  # beams raised to K, as in the HF engine


def test_order_is_kept_across_length_sorted_batches(pair):
    hf, ct2 = pair("opus-mt-en-de")
    params = GenerationParams(num_beams=1, max_length=12)
    texts = TEXTS * 3  # 15 inputs, batches of 2
    assert ct2.generate(texts, params) == hf.generate(texts, params)
    assert ct2.generate([], params) == []


def test_pipeline_on_ct2_matches_the_hf_engine(models, ct2_cache):
    """The whole Digester (chunking, reduce, sentence-wise translation) gives the same text on both engines."""
    from digest import Digester

    article = " ".join(TEXTS * 6)  # longer than the tiny window (128 tokens): chunked, then reduced
    greedy = {"num_beams": 1, "min_length": 0, "max_length": 16, "length_penalty": 1.0, "no_repeat_ngram_size": 0}
    out = {}
    for engine in ("hf", "ct2"):
        digester = Digester.from_config(
            None, progress=False, engine=engine, compute_type="float32", threads=1, summary_model=str(models["bart"]),
            translation_models={"de": str(models["opus-mt-en-de"])}, targets=["de"],
            **{"summarizer.generation": greedy, "translation.generation": {"num_beams": 1, "max_length": 16}},
        )
        summary = digester.summarize(article, "en")
        out[engine] = (summary, digester.translate(summary, "de", source="en"))
    assert out["ct2"] == out["hf"]
    assert out["ct2"][0]


# -- settings and errors ------------------------------------------------------------------------------------


def test_decoding_lengths_follow_hf_semantics():
    # HF max_length counts the decoder start token; a forced EOS takes the last step
    assert decoding_lengths({"max_length": 10}, forced_eos=False) == (0, 9)
    assert decoding_lengths({"max_length": 10}, forced_eos=True) == (0, 8)
    assert decoding_lengths({"min_length": 10, "max_length": 10}, forced_eos=False) == (9, 9)
    assert decoding_lengths({"min_length": 10, "max_length": 10}, forced_eos=True) == (8, 8)
    # the *_new_tokens settings win over the *_length ones, as in HF
    assert decoding_lengths({"max_length": 142, "max_new_tokens": 60, "min_new_tokens": 60}, forced_eos=False) == (
        60, 60)
    assert decoding_lengths({"min_length": 56, "min_new_tokens": 5, "max_length": 142}, forced_eos=False) == (5, 141)
    assert decoding_lengths({}, forced_eos=False) == (0, 19)  # HF's default max_length is 20


def test_load_engine_dispatches_to_ct2(models, ct2_cache):
    engine = load_engine(str(models["opus-mt-en-de"]), Runtime(engine="ct2", compute_type="float32", threads=1))
    assert isinstance(engine, CT2Engine) and engine.device == "cpu"


def test_missing_model_is_one_line(tmp_path, ct2_cache):
    with pytest.raises(ModelLoadError) as info:
        CT2Engine(str(tmp_path / "no-such-model"))
    message = str(info.value)
    assert "\n" not in message and "no-such-model" in message
    assert not list(cache_root().glob("no-such-model*"))


def test_bad_settings_are_one_line(models):
    with pytest.raises(ModelLoadError, match="compute_type"):
        CT2Engine(str(models["t5"]), compute_type="int3")
    with pytest.raises(ModelLoadError, match="cpu or cuda"):
        CT2Engine(str(models["t5"]), device="mps")


def test_missing_ctranslate2_says_how_to_install(monkeypatch, models):
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import fails as if it were not installed
    with pytest.raises(ModelLoadError) as info:
        CT2Engine(str(models["t5"]))
    assert str(info.value) == MISSING
