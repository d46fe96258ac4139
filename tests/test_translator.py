"""Translation routing: pair pattern, overrides, multilingual codes, English pivot, same-language copy."""

from __future__ import annotations

import pytest
from scripted_engines import language_codes

from digest.config import MultilingualConfig, TranslationConfig
from digest.engines.base import DeviceError
from digest.engines.params import GenerationParams
from digest.engines.pool import EnginePool, Runtime
from digest.run.translator import ExplicitModelError, Hop, NoRouteError, Translator

FAST = GenerationParams(num_beams=1, max_length=12)


@pytest.fixture(scope="module")
def pool():
    return EnginePool(Runtime(device="cpu", batch_size=4))


def pattern_translator(models_root, pool, **kw) -> Translator:
    cfg = TranslationConfig(pattern=str(models_root / "opus-mt-{src}-{tgt}"), **kw)
    return Translator(cfg, pool, FAST)


def test_pair_pattern_routes_directly(models_root, pool):
    tr = pattern_translator(models_root, pool)
    assert tr.route("en", "de") == [Hop(str(models_root / "opus-mt-en-de"), "en", "de")]
    out, models = tr.translate(["The minister resigned. Elections follow in May."], "en", "de")
    assert len(out) == 1 and isinstance(out[0], str)
    assert models == [f"{models_root / 'opus-mt-en-de'} (en→de)"]


def test_same_language_is_a_copy_without_a_model(models_root):
    calls = []
    pool = EnginePool(Runtime(device="cpu"), loader=lambda *a: calls.append(a))
    tr = pattern_translator(models_root, pool)
    assert tr.translate(["Bonjour à tous."], "fr", "fr") == (["Bonjour à tous."], [])
    assert calls == []


@pytest.mark.slow
def test_missing_pair_pivots_through_english(models_root, pool):
    tr = pattern_translator(models_root, pool)
    hops = tr.route("fr", "de")  # there is no opus-mt-fr-de
    assert [(h.src, h.tgt) for h in hops] == [("fr", "en"), ("en", "de")]
    out, models = tr.translate(["Le maire a inauguré le pont.", "Il pleut."], "fr", "de")
    assert len(out) == 2 and len(models) == 2


def test_no_route_names_the_pair(models_root, pool):
    tr = pattern_translator(models_root, pool)
    with pytest.raises(NoRouteError, match="en→xx"):
        tr.route("en", "xx")


@pytest.mark.parametrize(("engine", "device"), [("hf", "cuda"), ("hf", "mps"), ("ct2", "cuda"), ("ct2", "mps")])
def test_a_device_this_machine_lacks_stops_the_run_instead_of_missing_every_pair(models_root, engine, device):
    """Not a per-pair "no route": the same error would hit every model, so it is a setup error (exit 2)."""
    if device == "cuda" and pytest.importorskip("torch").cuda.is_available():
        pytest.skip("this machine has CUDA")
    tr = pattern_translator(models_root, EnginePool(Runtime(engine=engine, device=device)))
    with pytest.raises(DeviceError, match=device):
        tr.route("en", "de")


def test_explicit_override_wins_and_must_load(models_root, pool):
    cfg = dict(models={"de": str(models_root / "opus-mt-en-fr")})
    tr = pattern_translator(models_root, pool, **cfg)
    assert tr.route("en", "de")[0].model == str(models_root / "opus-mt-en-fr")
    broken = pattern_translator(models_root, pool, models={"de": str(models_root / "nope")})
    with pytest.raises(ExplicitModelError, match="nope"):
        broken.route("en", "de")


def test_pair_key_override(models_root, pool):
    tr = pattern_translator(models_root, pool, models={"fr-de": str(models_root / "opus-mt-en-de")})
    assert [h.model for h in tr.route("fr", "de")] == [str(models_root / "opus-mt-en-de")]


def test_multilingual_model_uses_language_codes(tiny_models, pool):
    cfg = TranslationConfig(pattern=None, multilingual=MultilingualConfig(model=str(tiny_models["m2m100"])))
    tr = Translator(cfg, pool, FAST)
    with language_codes(pool.get(str(tiny_models["m2m100"]))) as seen:
        out, models = tr.translate(["Le conseil a voté le budget."], "fr", "de")
    assert seen == {"src_lang": "fr", "tgt_token": "__de__"}
    assert len(tr.route("fr", "de")) == 1  # no pivot needed
    assert len(out) == 1


def test_multilingual_model_without_the_language(tiny_models, pool):
    cfg = TranslationConfig(pattern=None, multilingual=MultilingualConfig(model=str(tiny_models["m2m100"])))
    with pytest.raises(NoRouteError, match="en→qq"):
        Translator(cfg, pool, FAST).route("en", "qq")


def test_t5_translation_prefix(tiny_models, pool):
    t5 = str(tiny_models["t5"])
    tr = Translator(TranslationConfig(pattern=None, models={"de": t5}), pool, FAST)
    engine = pool.get(t5)
    seen = []
    original = engine.generate_candidates
    engine.generate_candidates = lambda inputs, params, **kw: seen.extend(inputs) or original(inputs, params, **kw)
    try:
        tr.translate(["The vote passed. Everyone went home."], "en", "de")
    finally:
        del engine.generate_candidates
    assert seen == ["translate English to German: The vote passed.",
                    "translate English to German: Everyone went home."]


@pytest.mark.slow
def test_sentences_are_batched_in_order(models_root, pool):
    tr = pattern_translator(models_root, pool)
    texts = ["One. Two is longer than one.", "Three.", "Four is here. Five. Six is the last one."]
    out, _ = tr.translate(texts, "en", "de")
    assert len(out) == 3
    engine = pool.get(str(models_root / "opus-mt-en-de"))
    sentence_by_sentence = [" ".join(engine.generate([s], FAST)) for s in ["Three."]]
    assert out[1] == sentence_by_sentence[0]

