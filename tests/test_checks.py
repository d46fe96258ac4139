"""Faithfulness checks: numbers by value, names as whole words, quotes verbatim; translation checks; rerank."""

from __future__ import annotations

import pytest

from digest.engines.base import Hypothesis
from digest.nlp.checks import (
    check_article,
    check_summary,
    check_translation,
    count_flags,
    names_in,
    numbers_in,
    quotes_in,
    rerank,
)
from digest.nlp.glossary import Glossary

SOURCE = (
    "Army General Mark Milley, chairman of the Joint Chiefs of Staff, said his staff tried to reach General "
    "Valery Gerasimov. The missile reportedly landed 15 miles from the Ukrainian border and killed two Polish "
    "citizens. Russia had launched as many as one hundred missiles at Ukraine. Russia controls roughly 20% of "
    "Ukraine, and the chance of overruling the entire country \u201cis close to zero.\u201d"
)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("1,000 people and 1.5 tonnes", "en", ["1000", "1.5"]),
        ("roughly 20% of Ukraine", "en", ["20"]),
        ("$3 million and 3bn", "en", ["3000000", "3000000000"]),
        ("15 miles away", "en", ["15"]),
        ("two hundred and fifty, a dozen, one hundred, twenty-five", "en", ["250", "12", "100", "25"]),
        ("one of them said", "en", []),  # "one" alone is a pronoun more often than a claim
        ("1.000 Menschen, 1,5 Tonnen, zwei Millionen, fünfundzwanzig, 2,5 Milliarden", "de",
         ["1000", "1.5", "2000000", "25", "2500000000"]),
        ("1 000 personnes, deux cents, quatre-vingt-dix, vingt et un", "fr", ["1000", "200", "90", "21"]),
        ("tres mil millones, treinta y cinco", "es", ["3000000000", "35"]),
        ("F-16 jets and a G7 summit", "en", ["16"]),
    ],
)
def test_numbers_in(text, language, expected):
    assert numbers_in(text, language) == expected


def test_names_in_finds_people_and_institutions_not_sentence_starters():
    names = names_in(SOURCE)
    for name in ("Mark Milley", "Joint Chiefs of Staff", "Valery Gerasimov", "Ukraine", "Polish"):
        assert name in names
    assert "The" not in names and "Army General Mark Milley" not in names  # titles are split off
    assert "Russia" not in names  # only ever sentence-initial here: indistinguishable from "Rather"
    assert names_in("Rather than wait, officials left. However, Kyiv stayed calm.") == ["Kyiv"]


def test_names_in_german_only_counts_multi_word_names():
    assert names_in("Der Minister traf Olaf Scholz in Berlin.", "de") == ["Olaf Scholz"]


def test_quotes_in_all_quote_styles():
    text = 'He said "one", then \u201ctwo\u201d, \u201edrei\u201c and \u00abquatre\u00bb.'
    assert quotes_in(text) == ["one", "two", "drei", "quatre"]


def test_faithful_summary_has_no_flags():
    summary = (
        "Gen. Mark Milley could not reach Valery Gerasimov after a missile killed 2 Polish citizens "
        "15 miles from the border. He said the chance is \u201cclose to zero\u201d. Russia fired 100 missiles."
    )
    result = check_summary(summary, SOURCE)
    assert result == {"unsupported_numbers": [], "unsupported_names": [], "unsupported_quotes": []}


def test_unsupported_numbers_names_and_quotes_are_flagged():
    summary = (
        "General Mark Milley said three Polish citizens died 15 miles from the border. Russia controls 25% of "
        "Ukraine, according to General Sergei Shoigu, who called it \u201ca total success\u201d."
    )
    result = check_summary(summary, SOURCE)
    assert result["unsupported_numbers"] == ["three", "25"]
    assert result["unsupported_names"] == ["Sergei Shoigu"]
    assert result["unsupported_quotes"] == ["a total success"]


def test_numbers_compare_by_value_both_ways():
    assert check_summary("Two people died.", "2 people died.")["unsupported_numbers"] == []
    assert check_summary("2 people died.", "Two people died.")["unsupported_numbers"] == []
    assert check_summary("It cost 1,000 dollars.", "It cost one thousand dollars.")["unsupported_numbers"] == []


def test_names_are_case_sensitive_whole_words():
    assert check_summary("They met Mark Milley.", "They met mark milley.")["unsupported_names"] == ["Mark Milley"]
    assert check_summary("They met Milley.", "They met the Milleys.")["unsupported_names"] == ["Milley"]


def test_quotes_verbatim_after_normalising_marks_and_whitespace():
    source = 'He said: \u201cWe\u2019ve said   repeatedly that the\nUkrainians are going to decide.\u201d'
    assert check_summary("\"We've said repeatedly that the Ukrainians\"", source)["unsupported_quotes"] == []
    assert check_summary("\u201cWe have said it\u201d", source)["unsupported_quotes"] == ["We have said it"]


SUMMARY = ("General Mark Milley could not reach General Valery Gerasimov after the missile killed two Polish "
           "citizens 15 miles from the border of Ukraine.")


def test_translation_keeps_numbers_names_and_language():
    german = ("General Mark Milley konnte General Valery Gerasimov nicht erreichen, nachdem die Rakete zwei "
              "polnische Bürger 15 Meilen von der Grenze der Ukraine entfernt getötet hatte.")
    result = check_translation(german, SUMMARY, "de", "en")
    assert result == {"number_mismatch": [], "missing_names": [], "language": "de", "wrong_language": False}


def test_translation_mismatches_are_flagged():
    german = ("General Mark Milley konnte General Waleri Gerassimow nicht erreichen, nachdem die Rakete drei "
              "polnische Bürger 15 Meilen von der Grenze der Ukraine entfernt getötet hatte.")
    result = check_translation(german, SUMMARY, "de", "en")
    assert result["number_mismatch"] == ["two", "drei"]  # missing first, then extra
    assert result["missing_names"] == ["Valery Gerasimov"]


def test_translation_allows_short_inflection_of_names():
    result = check_translation("Milleys Stab erreichte Gerasimov nicht, sagte man in der Ukraine heute.",
                               "Milley's staff could not reach Gerasimov in Ukraine.", "de", "en")
    assert result["missing_names"] == []


def test_translation_in_wrong_language_is_flagged():
    result = check_translation(SUMMARY, SUMMARY, "de", "en")
    assert result["language"] == "en" and result["wrong_language"] is True


def test_too_short_translation_language_is_unknown_not_wrong():
    result = check_translation("OK", "Fine.", "de", "en")
    assert result["language"] is None and result["wrong_language"] is False


def test_glossary_translation_counts_as_kept_name():
    summary = "Mark Milley chairs the Joint Chiefs of Staff in Washington today."
    german = "Mark Milley leitet heute die Vereinigten Stabschefs in Washington."
    glossary = Glossary.from_dict({"translate": {"Joint Chiefs of Staff": {"de": "Vereinigten Stabschefs"}}})
    assert check_translation(german, summary, "de", "en")["missing_names"] == ["Joint Chiefs of Staff"]
    assert check_translation(german, summary, "de", "en", glossary)["missing_names"] == []


def test_check_article_shape_and_count_flags():
    german = "Mark Milley erreichte Waleri Gerassimow nicht, drei Bürger starben, sagte er heute in Berlin."
    checks = check_article(SOURCE, "Mark Milley could not reach Valery Gerasimov; 4 citizens died.", "en",
                           {"de": german})
    assert set(checks) == {"summary", "translations", "flags"}
    assert checks["summary"]["unsupported_numbers"] == ["4"]
    assert checks["translations"]["de"]["missing_names"] == ["Valery Gerasimov"]
    assert checks["translations"]["de"]["number_mismatch"] == ["4", "drei"]
    assert checks["flags"] == count_flags(checks) == 4
    assert count_flags({"unsupported_numbers": ["1"], "wrong_language": True, "language": "en"}) == 2


def test_rerank_prefers_fewest_flags_then_score_then_index():
    source = "Mark Milley said 2 citizens died in Poland."
    candidates = [
        Hypothesis("Mark Milley said 5 citizens died in Poland.", score=-0.1),   # 1 flag
        Hypothesis("Mark Milley said 2 citizens died in Poland.", score=-0.5),   # 0 flags
        Hypothesis("Mark Milley said two citizens died in Poland.", score=-0.3), # 0 flags, better score
        Hypothesis("John Smith said 9 died in Poland.", score=0.0),               # 2 flags
    ]
    index, record = rerank(candidates, source, "en")
    assert index == 2
    assert record == {"candidates": 4, "chosen": 2, "flags": [1, 0, 0, 2]}
    with pytest.raises(ValueError):
        rerank([], source, "en")
    tied = [Hypothesis("Milley spoke.", None), Hypothesis("Milley spoke.", None)]
    assert rerank(tied, "Milley spoke.", "en")[0] == 0
