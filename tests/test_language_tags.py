"""BCP-47 tags keep their script and region from `--to` to the files: zh-Hant and zh-Hans are two targets."""

from __future__ import annotations

import json
import re

import pytest

from digest import Digester
from digest.config import load_config
from digest.errors import ConfigError
from digest.nlp.language import canonical_tag, model_code, same_writing, script_converter, source_tag
from digest.run.translator import candidate_routes

FOUR = ["zh-Hant", "zh-Hans", "sr-Latn", "pt-BR"]


@pytest.mark.parametrize(("code", "tag"), [
    ("zh-TW", "zh-Hant"), ("zh-CN", "zh-Hans"), ("zh_hant", "zh-Hant"), ("ZH-HK", "zh-Hant"), ("zh", "zh"),
    ("sr-Latn", "sr-Latn"), ("sr-ME", "sr-Latn"), ("sr-RS", "sr-Cyrl"), ("pt_br", "pt-BR"), ("pt-BR", "pt-BR"),
    ("en-US", "en-US"), ("en-Latn-GB", "en-GB"), ("deu_Latn", "de"), ("German", "de"), ("iw", "he"),
    ("es-419", "es-419"), ("zho_Hant", "zh-Hant"), ("hi-Latn", "hi-Latn"),
])
def test_canonical_tags_keep_script_and_region(code: str, tag: str) -> None:
    assert canonical_tag(code) == tag


def test_a_source_drops_the_region_but_keeps_the_script() -> None:
    assert [source_tag(t) for t in ("en-US", "zh-TW", "pt-BR", "sr-Latn", "de")] == ["en", "zh-Hant", "pt",
                                                                                      "sr-Latn", "de"]
    assert same_writing("zh", "zh-Hans") and same_writing("en-US", "en") and same_writing("pt-BR", "pt")
    assert not same_writing("zh-Hans", "zh-Hant") and not same_writing("sr", "sr-Latn")


def test_targets_are_four_distinct_tags_and_one_spelling_of_each() -> None:
    assert load_config(None, to="zh-tw,zh-cn,sr-Latn,pt-BR").targets == FOUR
    assert load_config(None, to="zh,zh-Hans,zh-CN,en,EN-latn").targets == ["zh", "en"]
    with pytest.raises(ConfigError, match="'targets'"):
        load_config(None, to="zh-Hant,xx-Yyyy-1")


@pytest.mark.parametrize(("tag", "scheme", "code"), [
    ("zh-Hant", "nllb", "zho_Hant"), ("zh-TW", "nllb", "zho_Hant"), ("zh-Hans", "nllb", "zho_Hans"),
    ("zh", "nllb", "zho_Hans"), ("sr", "nllb", "srp_Cyrl"), ("pt-BR", "nllb", "por_Latn"), ("pt-BR", "m2m100", "pt"),
    ("zh-Hans", "m2m100", "zh"), ("zh-CN", "mbart50", "zh_CN"),
])
def test_model_codes_follow_the_script(tag: str, scheme: str, code: str) -> None:
    assert model_code(tag, scheme) == code


@pytest.mark.parametrize(("tag", "scheme"), [("zh-Hant", "m2m100"), ("zh-Hant", "mbart50"), ("sr-Latn", "m2m100")])
def test_a_family_without_the_script_says_so(tag: str, scheme: str) -> None:
    with pytest.raises(KeyError, match=f"{tag!r} is not supported by {scheme}"):
        model_code(tag, scheme)


def test_serbian_latin_is_served_from_cyrillic_letter_by_letter() -> None:
    to_latin = script_converter("sr-Latn")
    assert to_latin is not None and to_latin("Љубљана и Београд") == "Ljubljana i Beograd"
    assert script_converter("sr") is None and script_converter("zh-Hant") is None


def test_pair_patterns_name_the_iso_code_where_the_script_is_the_usual_one() -> None:
    cfg = load_config(None).translation
    assert [h.model for h in candidate_routes(cfg, "en", "pt-BR")[0]] == ["Helsinki-NLP/opus-mt-en-pt"]
    assert [h.model for h in candidate_routes(cfg, "en", "zh-Hant")[0]] == ["Helsinki-NLP/opus-mt-en-zh-Hant"]
    assert candidate_routes(cfg, "en", "en-GB") == [[]]


@pytest.fixture(scope="module")
def four_targets(tiny_models, tmp_path_factory):
    """One English article digested into the four tags through the tiny NLLB model; the OUT folder."""
    src = tmp_path_factory.mktemp("in")
    (src / "council.txt").write_text(
        "City council approves new budget\n\nThe city council approved a budget of 12 million euros on Monday. "
        "The mayor said the money would go to schools and roads. Work on the first road starts in March.\n",
        encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    config = load_config(None, to="zh-TW,zh-CN,sr-Latn,pt-BR", summary_model="extractive", device="cpu",
                         multilingual_model=str(tiny_models["nllb"]),
                         **{"translation.pattern": None, "input.language": "en",
                            "translation.generation": {"num_beams": 1, "max_length": 12}})
    Digester(config, progress=False).run([src], out)
    return out


def test_four_targets_give_four_translations_routes_and_keys(four_targets) -> None:
    record = json.loads((four_targets / "articles" / "council.json").read_text(encoding="utf-8"))
    assert list(record["summaries"]) == ["en", *FOUR]
    texts = [record["summaries"][t] for t in FOUR]
    assert all(texts) and len(set(texts)) == 4
    assert not re.search(r"[\u0400-\u04ff]", record["summaries"]["sr-Latn"])  # srp_Cyrl output, in Latin letters
    assert all(record["models"][t] for t in FOUR)
    assert set(record["titles"]) >= set(FOUR)


def test_four_targets_give_four_pages_and_feeds_with_their_lang(four_targets) -> None:
    for tag in FOUR:
        page = (four_targets / f"digest.{tag}.html").read_text(encoding="utf-8")
        assert f'<html lang="{tag}"' in page
        assert (four_targets / f"digest.{tag}.md").exists()
        feed = (four_targets / f"feed.{tag}.atom").read_text(encoding="utf-8")
        assert f"<language>{tag}</language>" in feed or f'xml:lang="{tag}"' in feed
    assert not (four_targets / "digest.zh.html").exists() and not (four_targets / "digest.pt.html").exists()


def test_the_cache_key_changes_with_the_script_of_a_target(tiny_models) -> None:
    from digest.inputs.article import Article

    keys = set()
    for targets in (["zh-Hant"], ["zh-Hans"], ["zh"]):
        config = load_config(None, targets=targets, summary_model="extractive", device="cpu",
                             multilingual_model=str(tiny_models["nllb"]), **{"translation.pattern": None})
        keys.add(Digester(config, progress=False)._cache_key(Article(id="a", title="", text="Some text."), "en"))
    assert len(keys) == 3  # zh and zh-Hans write the same, but the target list is spelt differently


def test_nllb_gets_the_script_token_of_each_tag(tiny_models) -> None:
    model = str(tiny_models["nllb"])
    config = load_config(None, targets=FOUR, device="cpu", multilingual_model=model, **{"translation.pattern": None})
    translator = Digester(config, progress=False).translator
    engine = translator.pool.get(model)
    tokens = {tag: translator._codes(engine, translator.route("en", tag)[0]) for tag in FOUR}
    assert {tag: code[1] for tag, code in tokens.items()} == {
        "zh-Hant": "zho_Hant", "zh-Hans": "zho_Hans", "sr-Latn": "srp_Cyrl", "pt-BR": "por_Latn"}
    assert [tag for tag, code in tokens.items() if code[2] is not None] == ["sr-Latn"]
    hop = translator.route("zh-Hant", "en")[0]
    assert translator._codes(engine, hop)[0] == "zho_Hant"


def test_the_api_keeps_the_script_of_a_given_source(tiny_models) -> None:
    from scripted_engines import language_codes

    model = str(tiny_models["nllb"])
    config = load_config(None, targets=["en"], device="cpu", multilingual_model=model,
                         **{"translation.pattern": None, "translation.generation": {"num_beams": 1, "max_length": 6}})
    digester = Digester(config, progress=False)
    assert digester.source_language("台北市政府今天宣布新的預算。", "zh-TW") == "zh-Hant"
    with language_codes(digester.translator.pool.get(model)) as seen:
        digester.translate("台北市政府今天宣布新的預算。", "en", source="zh-TW")
    assert seen == {"src_lang": "zho_Hant", "tgt_token": "eng_Latn"}
