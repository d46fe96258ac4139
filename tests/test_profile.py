"""The language profile: one place that says how a language is written, read from CLDR and Unicode."""

from __future__ import annotations

import pytest

from digest.nlp.profile import profile


@pytest.mark.parametrize(("tag", "script", "direction", "decimal", "group", "digits", "spaced", "sentences"), [
    ("en", "Latn", "ltr", ".", ",", "0123456789", True, "pysbd"),
    ("de", "Latn", "ltr", ",", ".", "0123456789", True, "pysbd"),
    ("de-CH", "Latn", "ltr", ".", "’", "0123456789", True, "pysbd"),
    ("ru", "Cyrl", "ltr", ",", "\u00a0", "0123456789", True, "pysbd"),
    ("ar", "Arab", "rtl", ".", ",", "٠١٢٣٤٥٦٧٨٩", True, "pysbd"),
    ("fa", "Arab", "rtl", ".", ",", "۰۱۲۳۴۵۶۷۸۹", True, "pysbd"),
    ("he", "Hebr", "rtl", ".", ",", "0123456789", True, "sentencex"),
    ("hi", "Deva", "ltr", ".", ",", "०१२३४५६७८९", True, "pysbd"),
    ("bn", "Beng", "ltr", ".", ",", "০১২৩৪৫৬৭৮৯", True, "sentencex"),
    ("th", "Thai", "ltr", ".", ",", "๐๑๒๓๔๕๖๗๘๙", False, "sentencex"),
    ("km", "Khmr", "ltr", ".", ",", "០១២៣៤៥៦៧៨៩", False, "sentencex"),
    ("zh-TW", "Hant", "ltr", ".", ",", "〇一二三四五六七八九", False, "pysbd"),
    ("ja", "Jpan", "ltr", ".", ",", "0123456789", False, "pysbd"),
    ("ko", "Kore", "ltr", ".", ",", "0123456789", True, "sentencex"),
    ("pt-BR", "Latn", "ltr", ",", ".", "0123456789", True, "sentencex"),
    ("sr-Latn", "Latn", "ltr", ",", ".", "0123456789", True, "sentencex"),
])
def test_profiles_come_from_cldr(tag, script, direction, decimal, group, digits, spaced, sentences) -> None:
    found = profile(tag)
    assert (found.script, found.direction, found.decimal, found.digits, found.spaced, found.sentences) == (
        script, direction, decimal, digits, spaced, sentences)
    assert found.group.replace("'", "’") == group


def test_tag_and_region_are_canonical_and_unknown_tags_are_neutral() -> None:
    assert (profile("zh_tw").tag, profile("pt_br").region, profile("en").region) == ("zh-Hant", "BR", None)
    for unknown in ("", None, "xx"):
        found = profile(unknown)
        assert (found.direction, found.decimal, found.digits, found.spaced) == ("ltr", ".", "0123456789", True)


def test_callers_read_the_profile() -> None:
    """The page direction, the number parser and the length units take their language facts from the profile."""
    from digest.nlp.numbers import mentions
    from digest.nlp.text import length_units
    from digest.output.labels import direction

    assert [direction(t) for t in ("ar", "ps", "ur", "en", "zh-Hant")] == ["rtl", "rtl", "rtl", "ltr", "ltr"]
    assert mentions("1,5 milhão", "pt-BR")[0].value == 1.5e6  # CLDR: pt writes a decimal comma; milhão scales
    assert [m.value for m in mentions("2,5", "ha")] == [2, 5]  # Hausa writes a decimal point: a list
    assert length_units("ประเทศไทย") == 9 and length_units("한국 서울") == 2
