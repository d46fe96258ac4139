"""Names across scripts: Cyrillic and Greek names found again in Latin letters (and back), inflected or not."""

from __future__ import annotations

import pytest

from digest.nlp.checks import check_translation
from digest.nlp.transliterate import common_word, kept_across, latin, place_codes, required_across, same_name, script


@pytest.mark.parametrize(("a", "b"), [
    ("Байден", "Biden"), ("Байдену", "Biden"), ("Навального", "Navalny"), ("Джонсон", "Johnson"),
    ("Зеленский", "Zelensky"), ("Шольц", "Scholz"), ("Макинани", "McEnany"), ("Уайли", "Wiley"),
    ("Стивен", "Stephen"), ("Μητσοτάκη", "Mitsotakis"), ("Хабаровск", "Khabarovsk"), ("Машиши", "Mechichi"),
    ("Жан", "Jean"), ("Си", "Xi"), ("Цзиньпин", "Jinping"), ("Цзян", "Jiang"),
])
def test_a_transliterated_name_is_the_same_name(a, b):
    lang = "ru" if script(a) == "CYRILLIC" else "el"
    assert same_name(a, b, lang, "en")
    assert same_name(b, a, "en", lang)


@pytest.mark.parametrize(("a", "b"), [("Путин", "Petersburg"), ("Байден", "Baker"), ("Путин", "Vladimir"),
                                      ("Москва", "Minsk")])
def test_other_names_are_not(a, b):
    assert not same_name(a, b, "ru", "en")


def test_latin_letters_for_any_cased_script():
    assert latin("Байден") == "Bayden"
    assert latin("Αθήνα") == "Athina"


def test_places_by_their_names_in_each_language():
    assert place_codes("России", "ru") == place_codes("Russia", "en") != frozenset()
    assert kept_across(["Германии"], "Talks in Germany.", "ru", "en")
    assert kept_across(["Europe"], "Лучшие клубы Европы.", "en", "ru")


def test_common_words_and_acronyms_need_not_survive():
    assert common_word("Главный", "ru") and common_word("Кубок", "ru")  # "Главный штаб", "Кубок России"
    assert not common_word("Навальный", "ru") and not common_word("Байдена", "ru")  # a surname, an unknown word
    assert required_across("Суперкубок России", "ru", "en") == ["России"]
    assert required_across("США", "ru", "en") == [] and required_across("Петр I", "ru", "en") == ["Петр"]


def test_a_derived_word_keeps_the_name():
    assert kept_across(["Kevlar"], "выстреливает кевларовым шнуром", "en", "ru")
    assert kept_across(["Tamil", "Nadu"], "в штате Тамилнад", "en", "ru")


def test_a_name_dropped_across_scripts_is_caught_both_ways():
    summary = "Путин встретился с Байденом в Женеве."
    assert check_translation("Putin met Biden in Geneva.", summary, "en", "ru")["missing_names"] == []
    assert check_translation("Putin met in Geneva.", summary, "en", "ru")["missing_names"] == ["Байденом"]
    source = "On Monday Putin met Biden and Alexei Navalny's lawyers in Geneva."
    faithful = check_translation("В понедельник Путин встретился в Женеве с Байденом и адвокатами Алексея "
                                 "Навального.", source, "ru", "en")
    assert faithful["missing_names"] == [] and "not_checked" not in faithful
    dropped = check_translation("В понедельник Путин встретился в Женеве с Байденом и адвокатами Алексея.",
                                source, "ru", "en")
    assert dropped["missing_names"] == ["Alexei Navalny"]


def test_caseless_scripts_stay_unchecked():
    record = check_translation("普京在日内瓦会见了拜登。", "Putin met Biden in Geneva.", "zh", "en")
    assert record["missing_names"] == [] and "caseless" in record["not_checked"]["missing_names"]
