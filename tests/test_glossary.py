"""Glossary: config validation, placeholders that survive MT damage, and verification."""

from __future__ import annotations

import pytest

from digest.nlp.glossary import Glossary

CONFIG = {
    "keep": ["Milley", "Gerasimov", "NATO"],
    "translate": {"Joint Chiefs of Staff": {"de": "Vereinigte Stabschefs", "fr": "chefs d'état-major interarmées"}},
}
TEXT = "Milley, chairman of the Joint Chiefs of Staff, could not reach Gerasimov, a NATO official said."


@pytest.fixture
def glossary():
    return Glossary.from_dict(CONFIG)


def test_from_dict(glossary):
    assert glossary.keep == ("Milley", "Gerasimov", "NATO")
    assert glossary.translate["Joint Chiefs of Staff"]["de"] == "Vereinigte Stabschefs"
    assert Glossary.from_dict(None) == Glossary()
    assert Glossary.from_dict({}) == Glossary()
    assert Glossary.from_dict({"translate": {"NATO": {"French": "OTAN", "deu_Latn": "NATO"}}}).translate == {
        "NATO": {"fr": "OTAN", "de": "NATO"}}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"keep": "Milley"}, "glossary.keep"),
        ({"keep": ["Milley", ""]}, "glossary.keep[1]"),
        ({"kept": ["Milley"]}, "glossary.kept"),
        ({"translate": ["x"]}, "glossary.translate"),
        ({"translate": {"NATO": "OTAN"}}, "glossary.translate.NATO"),
        ({"translate": {"NATO": {"french": 3}}}, "glossary.translate.NATO.french"),
        ({"translate": {"NATO": {"xx": "OTAN"}}}, "glossary.translate.NATO.xx"),
        ({"translate": {"NATO": {"not a code": "OTAN"}}}, "glossary.translate.NATO.not a code"),
        (["Milley"], "glossary"),
    ],
)
def test_from_dict_names_the_bad_key(data, key):
    with pytest.raises(ValueError) as info:
        Glossary.from_dict(data)
    assert str(info.value).startswith(key + ":")


def test_protect_replaces_whole_words_longest_first(glossary):
    protected, mapping = glossary.protect(TEXT + " The Milleys and NATOs stay.", "de")
    for term in ("Milley,", "Joint Chiefs of Staff", "Gerasimov", "NATO official"):
        assert term not in protected
    assert "Milleys" in protected and "NATOs" in protected  # not whole words: left alone
    assert sorted(mapping.values()) == ["Gerasimov", "Milley", "NATO", "Vereinigte Stabschefs"]
    for placeholder in mapping:
        assert placeholder.isalnum() and placeholder[:3].isupper() and placeholder[3:].isdigit()
        assert placeholder in protected


def test_translate_term_without_target_language_is_not_protected(glossary):
    protected, mapping = glossary.protect(TEXT, "es")
    assert "Joint Chiefs of Staff" in protected
    assert sorted(mapping.values()) == ["Gerasimov", "Milley", "NATO"]


def test_round_trip_restores_terms(glossary):
    protected, mapping = glossary.protect(TEXT, "fr")
    assert glossary.restore(protected, mapping) == TEXT.replace(
        "Joint Chiefs of Staff", "chefs d'état-major interarmées")


def test_restore_tolerates_spaces_and_case(glossary):
    _, mapping = glossary.protect(TEXT, "de")
    by_term = {v: k for k, v in mapping.items()}
    milley, chiefs, nato = by_term["Milley"], by_term["Vereinigte Stabschefs"], by_term["NATO"]
    damaged = (f"{milley[:3]} {milley[3:]}, Vorsitzender der  {chiefs.lower()} , sagte ein "
               f"{nato}-Vertreter. {milley}s Stab")
    assert glossary.restore(damaged, mapping) == (
        "Milley, Vorsitzender der Vereinigte Stabschefs, sagte ein NATO-Vertreter. Milleys Stab")


def test_placeholder_prefix_avoids_text_that_already_has_it():
    glossary = Glossary(keep=("NATO",))
    protected, mapping = glossary.protect("Code ZXQ1 belongs to NATO.", "de")
    assert "ZXQ1 belongs" in protected and list(mapping.values()) == ["NATO"]
    assert not next(iter(mapping)).startswith("ZXQ")
    assert glossary.restore(protected, mapping) == "Code ZXQ1 belongs to NATO."


def test_verify_lists_missing_forms(glossary):
    good = "Milley, Vorsitzender der Vereinigte Stabschefs, erreichte Gerasimovs Büro nicht, sagte ein NATO-Beamter."
    assert glossary.verify(TEXT, good, "de") == []
    bad = "Milly, Vorsitzender der Vereinigten Generalstabschefs, erreichte Gerassimow nicht."
    assert glossary.verify(TEXT, bad, "de") == ["Milley", "Gerasimov", "NATO", "Joint Chiefs of Staff"]
    assert glossary.verify("Nothing relevant here.", bad, "de") == []
